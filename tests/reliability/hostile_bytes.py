"""Hypothesis strategies for hostile import files, built byte by byte, each line with the field its refusal names.

A file is a few lines, each hostile in one way — bytes that are not UTF-8, a GBK line, a raw NUL, an
integer beyond 64 bits, NaN or Infinity, a key given twice, a control or bidirectional character in one
string field, nesting too deep, a stray byte-order mark, random bytes — between blank lines, CRLF or LF
line ends, sometimes behind a UTF-8 byte-order mark, sometimes beside a decision recorded already (which
must be reported as already recorded, not refused). Every hostile line must be refused alone, naming its
line and (where the line says it) its field; nothing may be written.
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from ledger.examples import EXAMPLES
from ledger.schema import COMMON, TYPES

LINE = "(line)"
ANY_FIELD: frozenset[str] = frozenset()  # the refusal may name any field (random bytes)
BOM = b"\xef\xbb\xbf"
INVALID_UTF8 = [b"\x80", b"\xbf", b"\xc0\xaf", b"\xc1\xbf", b"\xc3", b"\xe4\xb8", b"\xed\xa0\x80", b"\xed\xbf\xbf",
                b"\xf4\x90\x80\x80", b"\xf5", b"\xf8\x88\x80\x80\x80", b"\xfe", b"\xff", b"\xff\xfe"]
C0 = [chr(c) for c in range(32)]
C1 = [chr(c) for c in range(0x7F, 0xA0)]  # DEL and C1
BIDI = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]
SURROGATES = ["\ud800", "\udbff", "\udc80", "\udcff", "\udfff"]
HUGE_INTEGERS = [str(2**63), str(-(2**63) - 1), str(2**64), "9" * 20, "-" + "9" * 25, "1" + "0" * 4300]
SPECIAL_NUMBERS = ["NaN", "Infinity", "-Infinity", "1e400", "-1e999", "1E309", "123456789e999999999"]


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


RECORDED = [json.dumps(e, ensure_ascii=False).encode() for e in EXAMPLES]
GBK_NOT_UTF8 = [gbk for gbk in (line.decode().encode("gbk") for line in RECORDED) if not _is_utf8(gbk)]


@dataclass
class HostileFile:
    """A file's bytes; per line number, the fields its refusal may name (None: blank or recorded already)."""

    data: bytes
    expected: dict[int, frozenset[str]] = field(default_factory=dict)
    recorded: int = 0


def pick(draw: st.DrawFn, items: list[Any]) -> Any:
    """One of `items`, drawn by index."""
    return items[draw(st.integers(0, len(items) - 1))]


def example(draw: st.DrawFn) -> dict[str, Any]:
    """A deep copy of an example decision under a new id (so that only the break can refuse it)."""
    base = copy.deepcopy(pick(draw, EXAMPLES))
    base["id"] = f"fz-{draw(st.integers(0, 10**12))}"
    return base


def as_bytes(draw: st.DrawFn, decision: dict[str, Any]) -> bytes:
    return json.dumps(decision, ensure_ascii=draw(st.booleans())).encode()


def _long_text(decision: dict[str, Any], name: str) -> bool:
    spec = {**COMMON, **TYPES[decision["type"]].fields}.get(name)
    return spec is not None and spec.kind == "longtext"


# --- hostile lines: (bytes, fields the refusal may name) ----------------------------------------------------
def not_utf8(draw: st.DrawFn) -> tuple[bytes, frozenset[str]]:
    """A valid-looking line with one invalid UTF-8 sequence inserted anywhere (it can never complete a character)."""
    line = as_bytes(draw, example(draw))
    at = draw(st.integers(0, len(line)))
    return line[:at] + pick(draw, INVALID_UTF8) + line[at:], frozenset({LINE})


def gbk(draw: st.DrawFn) -> tuple[bytes, frozenset[str]]:
    """A decision saved as GBK by Chinese Windows software, read as UTF-8."""
    return pick(draw, GBK_NOT_UTF8), frozenset({LINE})


def raw_nul(draw: st.DrawFn) -> tuple[bytes, frozenset[str]]:
    """A raw NUL byte somewhere in the line (outside or inside a string: JSON refuses both)."""
    line = as_bytes(draw, example(draw))
    at = draw(st.integers(0, len(line)))
    return line[:at] + b"\x00" * draw(st.integers(1, 3)) + line[at:], frozenset({LINE})


def number(draw: st.DrawFn, literals: list[str]) -> tuple[bytes, frozenset[str]]:
    """A field (present, or an extra one) holding a number the ledger cannot take."""
    decision = example(draw)
    name = pick(draw, [*sorted(decision), "extra_number"])
    decision[name] = "\x00NUMBER\x00"
    text = json.dumps(decision).replace('"\\u0000NUMBER\\u0000"', pick(draw, literals))
    return text.encode(), frozenset({name})


def huge_integer(draw: st.DrawFn) -> tuple[bytes, frozenset[str]]:
    return number(draw, HUGE_INTEGERS + [str(draw(st.integers(2**63, 10**400)))])


def special_number(draw: st.DrawFn) -> tuple[bytes, frozenset[str]]:
    return number(draw, SPECIAL_NUMBERS)


def duplicate_key(draw: st.DrawFn) -> tuple[bytes, frozenset[str]]:
    """A key given twice, at the top level (same or another value) or inside a nested object."""
    decision = example(draw)
    text = json.dumps(decision, ensure_ascii=False)
    if draw(st.booleans()):
        name = pick(draw, sorted(decision))
        value = decision[name] if draw(st.booleans()) else draw(st.integers(0, 9))
        twice = json.dumps({name: value}, ensure_ascii=False)[1:-1]
        return ("{" + twice + ", " + text[1:]).encode(), frozenset({name})
    inner = pick(draw, ["a", "名称", "type"])
    nested = f'{{"{inner}": 1, "{inner}": 2}}'
    return (text[:-1] + f', "note": {nested}' + "}").encode(), frozenset({inner, "note"})


def unsafe_character(draw: st.DrawFn) -> tuple[bytes, frozenset[str]]:
    """A control, DEL/C1, bidirectional or surrogate character inside one string field (or a list's element)."""
    decision = example(draw)
    strings = [(name, None) for name, value in decision.items() if isinstance(value, str)]
    strings += [(name, i) for name, value in decision.items() if isinstance(value, list)
                for i, item in enumerate(value) if isinstance(item, str)]
    name, index = pick(draw, strings)
    kind = draw(st.integers(0, 3))
    chars = [C0, C1, BIDI, SURROGATES][kind]
    if _long_text(decision, name):
        chars = [c for c in chars if c not in "\n\t"]
    char = pick(draw, chars)
    value = decision[name] if index is None else decision[name][index]
    at = draw(st.integers(0, len(value)))
    changed = value[:at] + char + value[at:]
    if index is None:
        decision[name] = changed
    else:
        decision[name][index] = changed
    label = name if index is None else f"{name}[{index}]"
    if kind == 0 and char != "\n" and draw(st.integers(0, 3)) == 0:  # raw in a JSON string: not JSON at all
        text = json.dumps(decision, ensure_ascii=False).replace(json.dumps(char)[1:-1], char)
        return text.encode(), frozenset({LINE, label})
    ascii_only = kind == 3 or draw(st.booleans())  # a surrogate can only be written as an escape
    return json.dumps(decision, ensure_ascii=ascii_only).encode(), frozenset({label, LINE})


def deep(draw: st.DrawFn) -> tuple[bytes, frozenset[str]]:
    """One field nested deeper than a decision ever is: refused by name, or (very deep) as unreadable."""
    decision = example(draw)
    name = pick(draw, [*sorted(decision), "extra"])
    depth = draw(st.one_of(st.integers(8, 40), st.integers(41, 200_000)))
    opening, closing = pick(draw, [("[", "]"), ('{"a":', "}")])
    decision[name] = "\x00DEEP\x00"
    text = json.dumps(decision).replace('"\\u0000DEEP\\u0000"', opening * depth + "1" + closing * depth)
    return text.encode(), frozenset({name, LINE})


def stray_bom(draw: st.DrawFn) -> tuple[bytes, frozenset[str]]:
    """A byte-order mark in front of a line that is not the first (only the file's first may carry one)."""
    return BOM + pick(draw, RECORDED), frozenset({LINE})


def random_bytes(draw: st.DrawFn) -> tuple[bytes, frozenset[str]]:
    """Any bytes at all, but never a blank line."""
    data = draw(st.binary(min_size=1, max_size=200).filter(lambda b: b"\n" not in b and b.strip(b" \t\r")))
    return data, ANY_FIELD


HOSTILE = [not_utf8, gbk, raw_nul, huge_integer, special_number, duplicate_key, unsafe_character, deep,
           random_bytes]


@st.composite
def hostile_file(draw: st.DrawFn) -> HostileFile:
    """A file of 1–6 hostile lines, blank lines, perhaps a decision recorded already, perhaps a BOM."""
    lines: list[tuple[bytes, frozenset[str] | None]] = []
    for _ in range(draw(st.integers(1, 6))):
        if draw(st.integers(0, 4)) == 0:
            lines.append((pick(draw, [b"", b"  ", b"\t", b"\r"]), None))
        how = draw(st.integers(0, len(HOSTILE)))
        lines.append(stray_bom(draw) if how == len(HOSTILE) else HOSTILE[how](draw))
    if draw(st.booleans()):
        lines.insert(draw(st.integers(0, len(lines))), (pick(draw, RECORDED), None))
    if lines[0][0].startswith(BOM):  # a stray BOM moved to the top is the file's own: accepted there
        lines.insert(0, (b"", None))
    data = (b"\r\n" if draw(st.booleans()) else b"\n").join(line for line, _ in lines)
    if draw(st.booleans()):
        data += b"\n"
    if draw(st.booleans()):
        data = BOM + data
    expected = {n: fields for n, (_, fields) in enumerate(lines, start=1) if fields is not None}
    recorded = sum(1 for line, fields in lines if fields is None and line.strip(b" \t\r"))
    return HostileFile(data, expected, recorded)


@st.composite
def hostile_actor(draw: st.DrawFn) -> str:
    """An actor carrying a control, bidirectional or surrogate character between two visible ones."""
    return "组织部" + pick(draw, C0 + C1 + BIDI + SURROGATES) + "王"
