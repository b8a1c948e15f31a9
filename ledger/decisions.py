"""Parsing and validating one decision: a JSON object in, a normalised decision dict out.

Shared by `import` and the `record` commands. Only the shape is checked here (types, enumerations
with their Chinese aliases, real dates, counts); references to other records are checked by
`references.py`, rules by `ledger/rules/`. Every problem raises `InvalidDecision(field, problem)`.
"""
from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import msgpack

from ledger import vocab
from ledger.characters import describe, find_unsafe
from ledger.errors import InvalidDecision
from ledger.schema import COMMON, TYPES, Field

Decision = dict[str, Any]

MAX_TEXT = 500
MAX_LONGTEXT = 10_000
MAX_IDENT = 128
MAX_LIST = 200
MAX_COUNT = 10**9
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_IDENT = re.compile(r"[^\s\x00-\x1f\x7f/]+\Z")
_PLAIN_NAME = re.compile(r"[\w.-]+")
_TYPE_LIST = ", ".join(TYPES)


def parse(raw: Any) -> Decision:
    """The normalised decision for one raw JSON object; raises InvalidDecision naming the field."""
    if not isinstance(raw, dict):
        raise InvalidDecision("(line)", f"expected a JSON object, got {_json_type(raw)}")
    type_name = raw.get("type")
    if not isinstance(type_name, str) or type_name not in TYPES:
        shown = f"{type_name!r}" if isinstance(type_name, str) else _json_type(type_name)
        problem = "missing" if "type" not in raw else f"{clip(shown)} is not a decision type"
        raise InvalidDecision("type", f"{problem}; use one of {_TYPE_LIST}")
    dtype = TYPES[type_name]
    fields: dict[str, Field] = {**COMMON, **dtype.fields}
    allowed = {"type", "on", dtype.subject, *fields}
    for key in raw:
        if key not in allowed:
            raise InvalidDecision(field_label(key), f"unknown field for {type_name}; its fields are "
                                  f"{', '.join(sorted(allowed - {'type'}))}")
    decision: Decision = {"type": type_name}
    decision["on"] = _date("on", _require(raw, "on"))
    decision[dtype.subject] = _ident(dtype.subject, _require(raw, dtype.subject))
    # `kind` is resolved after `authority_kind` (警告), and conditional fields after what they depend on
    order = sorted(fields, key=lambda name: (fields[name].when is not None, name == "kind"))
    for name in order:
        spec = fields[name]
        present = name in raw
        if spec.when is not None:
            other, values = spec.when
            applies = decision.get(other) in values
            if not applies:
                if present:
                    raise InvalidDecision(name, f"only for {other} {' / '.join(sorted(values))}; remove it")
                continue
        if not present:
            if spec.required:
                raise InvalidDecision(name, f"missing; {type_name} needs it")
            if spec.default is not None:
                decision[name] = spec.default
            continue
        value = raw[name]
        if value is None:
            if spec.nullable:
                decision[name] = None
                continue
            if not spec.required:
                continue
            raise InvalidDecision(name, "must not be null")
        decision[name] = _value(name, spec, value, raw)
    _check_consistency(decision)
    return decision


def sha256_hex(data: bytes) -> str:
    """SHA-256 (hex): the content hash of a ledger that is not encrypted."""
    return hashlib.sha256(data).hexdigest()


def content_hash(decision: Decision, hasher: Callable[[bytes], str] = sha256_hex) -> str:
    """The hash (hex) of the decision's canonical bytes: equal decisions, equal hashes. `hasher` is SHA-256, or
    on an encrypted ledger HMAC-SHA256 under its key (`Keyring.content_hash`)."""
    return hasher(_canonical(decision))


def with_id(decision: Decision, hasher: Callable[[bytes], str] = sha256_hex) -> Decision:
    """The decision with its `id`: the given one, or one derived from its content (hashed by `hasher`)."""
    if decision.get("id"):
        return decision
    derived = "h-" + content_hash({k: v for k, v in decision.items() if k != "id"}, hasher)[:24]
    return {"id": derived, **decision}


def _value(name: str, spec: Field, value: Any, raw: Mapping[str, Any]) -> Any:
    kind = spec.kind
    if kind == "text":
        return _text(name, value, MAX_TEXT)
    if kind == "longtext":
        return _text(name, value, MAX_LONGTEXT, multiline=True)
    if kind == "ident":
        return _ident(name, value)
    if kind == "date":
        return _date(name, value)
    if kind == "bool":
        if type(value) is not bool:
            raise InvalidDecision(name, f"expected true or false, got {_json_type(value)}")
        return value
    if kind == "count":
        return _int(name, value, 0, MAX_COUNT)
    if kind == "year":
        return _int(name, value, 1949, 2100)
    if kind == "months":
        return _int(name, value, 1, 600)
    if kind == "amount":
        return _amount(name, value)
    if kind == "enum":
        assert spec.table is not None
        return _enum(name, value, spec.table, raw)
    if kind in ("enums", "texts", "idents"):
        if not isinstance(value, list):
            raise InvalidDecision(name, f"expected a list, got {_json_type(value)}")
        if len(value) > MAX_LIST:
            raise InvalidDecision(name, f"at most {MAX_LIST} entries")
        if kind == "enums":
            assert spec.table is not None
            return [_enum(f"{name}[{i}]", v, spec.table, raw) for i, v in enumerate(value)]
        if kind == "texts":
            return [_text(f"{name}[{i}]", v, MAX_TEXT) for i, v in enumerate(value)]
        return [_ident(f"{name}[{i}]", v) for i, v in enumerate(value)]
    if kind == "basis":
        if type(value) is int:
            return _int(name, value, 1949, 2100)
        return _ident(name, value)
    raise AssertionError(f"unknown field kind {kind}")


def _require(raw: Mapping[str, Any], name: str) -> Any:
    if name not in raw or raw[name] is None:
        raise InvalidDecision(name, f"missing; {raw.get('type')} needs it")
    return raw[name]


def _text(name: str, value: Any, limit: int, multiline: bool = False) -> str:
    if not isinstance(value, str):
        raise InvalidDecision(name, f"expected a string, got {_json_type(value)}")
    if not value.strip():
        raise InvalidDecision(name, "must not be empty")
    if len(value) > limit:
        raise InvalidDecision(name, f"too long ({len(value)} characters; at most {limit})")
    _refuse_unsafe(name, value, multiline)
    return value


def _refuse_unsafe(name: str, value: str, multiline: bool = False) -> None:
    """Refuse control and bidirectional characters (newline and tab pass in long text)."""
    found = find_unsafe(value, multiline)
    if found:
        raise InvalidDecision(name, describe(found))


def _ident(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidDecision(name, f"expected a string, got {_json_type(value)}")
    _refuse_unsafe(name, value)
    if not value or len(value) > MAX_IDENT or not _IDENT.match(value):
        raise InvalidDecision(name, f"{clip(repr(value))} is not a valid identifier "
                              f"(1–{MAX_IDENT} characters, no spaces, slashes or control characters)")
    return value


def _date(name: str, value: Any) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DATE.match(value):
        raise InvalidDecision(name, f"{clip(repr(value))} is not a date; write YYYY-MM-DD")
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise InvalidDecision(name, f"{value} is not a real calendar date") from None
    if not 1900 <= parsed.year <= 2100:
        raise InvalidDecision(name, f"{value} is out of range (1900–2100)")
    return parsed


def _int(name: str, value: Any, low: int, high: int) -> int:
    if type(value) is not int:
        raise InvalidDecision(name, f"expected a whole number, got {_json_type(value)}")
    if not low <= value <= high:
        problem = "must not be negative" if value < 0 and low == 0 else f"must be from {low} to {high}"
        raise InvalidDecision(name, f"{value} {problem}")
    return value


def _amount(name: str, value: Any) -> Decimal:
    if type(value) is bool or not isinstance(value, (int, float, str)):
        raise InvalidDecision(name, f"expected a number, got {_json_type(value)}")
    if isinstance(value, str):
        if len(value) > 100:
            raise InvalidDecision(name, f"{clip(repr(value))} is not a number of at most 100 characters")
        _refuse_unsafe(name, value)
    try:
        amount = Decimal(str(value)) if not isinstance(value, float) else Decimal(repr(value))
    except InvalidOperation:
        raise InvalidDecision(name, f"{clip(repr(value))} is not a number") from None
    if not amount.is_finite() or (isinstance(value, float) and not math.isfinite(value)):
        raise InvalidDecision(name, "must be a finite number")
    if amount < 0 or amount.adjusted() > 15:
        raise InvalidDecision(name, f"{clip(str(value))} is out of range (0 to 10^15)")
    return amount


def _enum(name: str, value: Any, table: Mapping[str, str], raw: Mapping[str, Any]) -> str:
    if not isinstance(value, str):
        raise InvalidDecision(name, f"expected a string, got {_json_type(value)}")
    _refuse_unsafe(name, value)
    given, value = value, value if value in table else vocab.term_key(value)  # 免职（问责） is 免职(问责)
    if table is vocab.SANCTION_KINDS:
        authority = raw.get("authority_kind")
        authority = vocab.resolve(authority, vocab.AUTHORITY_KINDS) if isinstance(authority, str) else None
        token = vocab.sanction_kind(value, authority)
    elif value in vocab.AMBIGUOUS and sum(label == value for label in table.values()) > 1:
        return value  # resolved against the target's family by references.py
    else:
        token = vocab.resolve(value, table)
    if token is None:
        choices = ", ".join(f"{t} ({label})" for t, label in table.items())
        raise InvalidDecision(name, f"{clip(repr(given))} is not one of {choices}")
    return token


def _check_consistency(d: Decision) -> None:
    """Checks across fields of one decision (malformed input, never overridable)."""
    t = d["type"]
    if t == "democratic-evaluation":
        votes = d["excellent"] + d["competent"] + d["basically_competent"] + d["incompetent"]
        if votes > d["valid"]:
            raise InvalidDecision("valid", f"the votes add up to {votes}, more than {d['valid']} valid votes")
    elif t == "sanction":
        track = vocab.sanction_track(d["kind"])
        authority = d["authority_kind"]
        if (track == "party") != (authority == "party"):
            raise InvalidDecision("kind", f"{d['kind']} is a {track} sanction; it does not match "
                                  f"authority_kind {authority}")
        if d["kind"] == "party-probation":
            if d.get("period_months") not in (12, 24):
                raise InvalidDecision("period_months", "party-probation needs period_months 12 or 24")
        elif track == "party" and "period_months" in d:
            raise InvalidDecision("period_months", f"only for party-probation and state kinds, not {d['kind']}")
        for i, kind in enumerate(d.get("violations", ())):
            if vocab.sanction_track(kind) != track:
                raise InvalidDecision(f"violations[{i}]", f"{kind} is not a {track} kind")
    elif t == "leave" and d["end"] < d["start"]:
        raise InvalidDecision("end", f"{d['end']} is before start {d['start']}")
    elif t == "handover-extension" and d["working_days"] < 1:
        raise InvalidDecision("working_days", "must be at least 1")


_AS_IS = frozenset({str, int, bool, float, type(None)})  # exactly these types (not subclasses) stay as they are


def _canonical(value: Any) -> bytes:
    return msgpack.packb(_plain(value), use_bin_type=True)


def _plain(value: Any) -> Any:
    if type(value) in _AS_IS:
        return value
    if isinstance(value, dict):
        return [[k, v if type(v) in _AS_IS else _plain(v)] for k, v in sorted(value.items())]
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (date, Decimal)):
        return str(value)
    return value


def _json_type(value: Any) -> str:
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "a list",
            dict: "an object", type(None): "null"}.get(type(value), type(value).__name__)


def field_label(key: str) -> str:
    """A field's name as shown: as given when plain, else quoted, control characters escaped."""
    return clip(key if _PLAIN_NAME.fullmatch(key) else repr(key))


def clip(text: str, limit: int = 60) -> str:
    """`text`, cut to `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
