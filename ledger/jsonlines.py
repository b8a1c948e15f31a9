"""Reading JSON Lines from bytes: each line decoded on its own and parsed strictly.

A line that is not in the file's encoding, is not JSON, repeats a key in one object, holds an integer
beyond 64 bits, NaN or Infinity, or nests too deep becomes an `InvalidDecision` naming its line and,
where there is one, its field; the lines around it are read as usual. A UTF-8 byte-order mark at the
start of the file is accepted.
"""
from __future__ import annotations

import codecs
import json
import math
from collections.abc import Iterable, Iterator
from typing import Any

from ledger.decisions import clip, field_label
from ledger.errors import InvalidDecision, UnusableInput

Line = tuple[int, Any]

LINE = "(line)"
DEFAULT_ENCODING = "utf-8"
MAX_DEPTH = 8
INT64 = (-(2**63), 2**63 - 1)
_BOM = "\ufeff"
_JSON_SPACE = " \t\r\n"
_SCALARS = frozenset({str, int, bool, float, type(None)})


class _Refused:
    """A value the parser met but the ledger refuses (a huge integer, NaN): found and reported by field."""

    __slots__ = ("problem",)

    def __init__(self, problem: str) -> None:
        self.problem = problem


class _DuplicateKey(Exception):
    """A key given twice in one JSON object."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def line_encoding(name: str | None) -> str:
    """The codec for `--encoding NAME`; unusable (exit 2) when unknown or when a line break is not byte 0x0A."""
    if not name:
        return DEFAULT_ENCODING
    try:
        codec = codecs.lookup(name).name
    except (LookupError, ValueError):  # unknown, or a name no codec could have
        raise UnusableInput(f"--encoding: {clip(repr(name))} is not a text encoding; use utf-8 (the default) or "
                            "gb18030 (files saved by Chinese Windows software)") from None
    try:
        one_byte_newline = "\n".encode(codec) == b"\n" and b"\n".decode(codec) == "\n"
    except LookupError:  # a codec from bytes to bytes (base64, hex)
        raise UnusableInput(f"--encoding: {clip(repr(name))} is not a text encoding; use utf-8 (the default) or "
                            "gb18030 (files saved by Chinese Windows software)") from None
    except ValueError:  # a codec that encodes nothing at all
        one_byte_newline = False
    if codec == "utf-8-sig":  # the byte-order mark is accepted anyway
        return DEFAULT_ENCODING
    if not one_byte_newline:
        raise UnusableInput(f"--encoding: {name} does not write a line break as the byte 0x0A, so its files cannot "
                            "be read line by line; save the file as UTF-8 (or gb18030)")
    return codec


def read_jsonl(stream: Iterable[bytes], encoding: str | None = None) -> Iterator[Line]:
    """(line number, parsed JSON or the InvalidDecision refusing that line) for each non-blank line of `stream`.

    `stream` yields raw lines (a file opened "rb", stdin's buffer); `encoding` is checked at once."""
    codec = line_encoding(encoding)
    label = "UTF-8" if codec == DEFAULT_ENCODING else codec
    return _lines(stream, codec, label)


def _lines(stream: Iterable[bytes], codec: str, label: str) -> Iterator[Line]:
    for number, raw in enumerate(stream, start=1):
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError as error:
            yield number, InvalidDecision(LINE, f"not valid {label} at byte {error.start + 1} "
                                          f"({raw[error.start]:#04x}); {_encoding_hint(raw, codec)}")
            continue
        if number == 1:
            text = text.removeprefix(_BOM)
        if text.strip(_JSON_SPACE):
            yield number, parse_line(text)


def _encoding_hint(raw: bytes, codec: str) -> str:
    """How to read the line: GB18030 when it reads as that, else the usual advice."""
    if codec == DEFAULT_ENCODING:
        try:
            raw.decode("gb18030")
            return "it reads as GB18030 (saved by Chinese Windows software): pass --encoding gb18030"
        except UnicodeDecodeError:
            pass
    return "save the file as UTF-8, or name its encoding with --encoding (gb18030 for Chinese Windows software)"


def parse_line(text: str) -> Any:
    """The JSON value of one line, or the InvalidDecision that refuses it."""
    try:
        value = _DECODER.decode(text)
    except json.JSONDecodeError as error:
        return InvalidDecision(LINE, f"not valid JSON ({error.msg} at column {error.colno}); "
                               "each line must be one JSON object")
    except RecursionError:
        return InvalidDecision(LINE, f"nested too deeply to read (at most {MAX_DEPTH} levels); "
                               "each line must be one flat JSON object")
    except _DuplicateKey as duplicate:
        return InvalidDecision(field_label(duplicate.key), "given twice in one JSON object; keep one of them")
    found = _first_refused(value)
    return value if found is None else found


def _first_refused(value: Any) -> InvalidDecision | None:
    """The refusal of the first huge or special number, or of nesting deeper than MAX_DEPTH, naming its field."""
    if not isinstance(value, dict):
        problem = _problem(value, 1)
        return None if problem is None else InvalidDecision(LINE, problem)
    for key, item in value.items():
        if type(item) in _SCALARS:  # what the parser made of a plain string, integer, boolean or null
            continue
        problem = _problem(item, 2)
        if problem is not None:
            return InvalidDecision(field_label(key), problem)
    return None


def _problem(value: Any, depth: int) -> str | None:
    """What is refused in `value` (found at `depth`), looking into lists and objects without recursion."""
    pending = [(value, depth)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, _Refused):
            return item.problem
        if isinstance(item, (list, dict)):
            if level > MAX_DEPTH:
                return (f"nested more than {MAX_DEPTH} levels deep; a decision's fields hold text, numbers, "
                        "true/false or lists of them")
            pending.extend((inner, level + 1) for inner in (item.values() if isinstance(item, dict) else item))
    return None


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


def _integer(text: str) -> int | _Refused:
    digits = len(text.lstrip("-"))
    if digits <= 19:
        value = int(text)
        if INT64[0] <= value <= INT64[1]:
            return value
    shown = text if len(text) <= 24 else f"{text[:12]}…({digits:,} digits)"
    return _Refused(f"the integer {shown} is beyond 64 bits (at most {INT64[1]:,}); write a smaller number")


def _float(text: str) -> float | _Refused:
    value = float(text)
    if math.isfinite(value):
        return value
    shown = text if len(text) <= 24 else text[:20] + "…"
    return _Refused(f"the number {shown} is too large to be represented; write a smaller number")


def _constant(text: str) -> _Refused:
    return _Refused(f"{text} is not a number JSON allows; write a finite number, or leave the field out")


_DECODER = json.JSONDecoder(object_pairs_hook=_object, parse_int=_integer, parse_float=_float,
                            parse_constant=_constant)
