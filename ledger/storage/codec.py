"""Reading the ledger's msgpack states without the event-sourcing library: the extension types the
transcoder (`ledger.storage.transcoder`) writes, decoded to their exact Python types.

One place for both: the transcoder decodes through `ext_value`, and so does a read that builds no
application (`ledger.storage.direct`).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import msgpack

# msgpack extension type codes (0..127 are the application's).
UUID_CODE, DECIMAL_CODE, DATETIME_CODE, DATE_CODE, TUPLE_CODE, SET_CODE, CUSTOM_CODE = 1, 2, 3, 4, 5, 6, 7


class CustomValue(ValueError):
    """A stored value of a registered custom type, which only the transcoder that registered it can read."""


def ext_value(code: int, data: bytes, decode: Callable[[bytes], Any]) -> Any:
    """The value of one extension (`decode` reads nested msgpack); CustomValue for a custom type's."""
    if code == UUID_CODE:
        return UUID(bytes=data)
    if code == DECIMAL_CODE:
        return Decimal(data.decode())
    if code == DATETIME_CODE:
        return datetime.fromisoformat(data.decode())
    if code == DATE_CODE:
        return date.fromisoformat(data.decode())
    if code == TUPLE_CODE:
        return tuple(decode(data))
    if code == SET_CODE:
        return set(decode(data))
    if code == CUSTOM_CODE:
        raise CustomValue("a value of a custom type")
    return msgpack.ExtType(code, data)


def _hook(code: int, data: bytes) -> Any:
    return ext_value(code, data, unpack)


def unpack(data: bytes) -> Any:
    """The value whose canonical bytes are `data` (as `MsgpackTranscoder.decode`, without custom types)."""
    return msgpack.unpackb(data, ext_hook=_hook, raw=False, strict_map_key=False, timestamp=0)


def to_jsonable(value: Any) -> Any:
    """A decoded value in JSON's types: dates as YYYY-MM-DD, datetimes as ISO 8601, Decimals as strings,
    tuples and sets as lists (the same text `decode_for_json` gives for stored values)."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in value]
    return value
