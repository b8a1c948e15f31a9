"""Deterministic msgpack encoding of stored event state.

The same value always encodes to the same bytes: dict keys are written in sorted order and every
extension type has one fixed form, so a hash over the stored bytes identifies the event's content.
Round-trips `date`, tz-aware and naive `datetime`, `Decimal`, `UUID`, tuples, sets and nested dicts
with their exact types.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import msgpack
from eventsourcing.persistence import Transcoder, Transcoding, TranscodingNotRegisteredError

from ledger.storage.codec import (
    CUSTOM_CODE,
    DATE_CODE,
    DATETIME_CODE,
    DECIMAL_CODE,
    SET_CODE,
    TUPLE_CODE,
    UUID_CODE,
    ext_value,
    to_jsonable,
)

__all__ = ["MsgpackTranscoder", "to_jsonable"]
_CONTAINERS = frozenset({dict, list, tuple})


class MsgpackTranscoder(Transcoder):
    """Encodes event state with msgpack, deterministically; other types via `register`."""

    def __init__(self) -> None:
        self.types: dict[type, Transcoding] = {}
        self.names: dict[str, Transcoding] = {}

    def register(self, transcoding: Transcoding) -> None:
        """Adds a custom type, the same way as the library's JSONTranscoder."""
        self.types[transcoding.type] = transcoding
        self.names[transcoding.name] = transcoding

    def encode(self, obj: Any) -> bytes:
        """The canonical msgpack bytes of `obj`."""
        return msgpack.packb(
            _sorted(obj), default=self._default, strict_types=True, use_bin_type=True, datetime=False
        )

    def decode(self, data: bytes) -> Any:
        """The value whose canonical bytes are `data`."""
        return msgpack.unpackb(data, ext_hook=self._ext_hook, raw=False, strict_map_key=False, timestamp=0)

    def decode_for_json(self, data: bytes) -> Any:
        """Like `decode`, but dates, datetimes and Decimals stay the ISO / decimal strings they are stored as."""
        return msgpack.unpackb(data, ext_hook=self._json_ext_hook, raw=False, strict_map_key=False, timestamp=0)

    def _json_ext_hook(self, code: int, data: bytes) -> Any:
        if code in (DATE_CODE, DATETIME_CODE, DECIMAL_CODE):
            return data.decode()
        if code == TUPLE_CODE:
            return self.decode_for_json(data)
        return self._ext_hook(code, data)

    def _default(self, o: Any) -> msgpack.ExtType:
        t = type(o)
        if t is UUID:
            return msgpack.ExtType(UUID_CODE, o.bytes)
        if t is Decimal:
            return msgpack.ExtType(DECIMAL_CODE, str(o).encode())
        if t is datetime:  # before date: datetime is a subclass of date
            return msgpack.ExtType(DATETIME_CODE, o.isoformat().encode())
        if t is date:
            return msgpack.ExtType(DATE_CODE, o.isoformat().encode())
        if t is tuple:
            return msgpack.ExtType(TUPLE_CODE, self.encode(list(o)))
        if t is set or t is frozenset:
            return msgpack.ExtType(SET_CODE, self.encode(sorted(o, key=repr)))
        transcoding = self.types.get(t)
        if transcoding is None:
            raise TranscodingNotRegisteredError(f"Object of type {t} is not serializable; register a Transcoding")
        return msgpack.ExtType(CUSTOM_CODE, self.encode([transcoding.name, transcoding.encode(o)]))

    def _ext_hook(self, code: int, data: bytes) -> Any:
        if code == CUSTOM_CODE:
            name, payload = self.decode(data)
            transcoding = self.names.get(name)
            if transcoding is None:
                raise TranscodingNotRegisteredError(f"No transcoding named {name!r}")
            return transcoding.decode(payload)
        return ext_value(code, data, self.decode)


def _sorted(obj: Any) -> Any:
    """`obj` with every dict's keys in sorted order (lists and tuples keep their order and type)."""
    t = type(obj)
    if t is dict:
        try:
            keys = sorted(obj)
        except TypeError:  # keys of mixed types: order by type name, then text
            keys = sorted(obj, key=lambda k: (type(k).__name__, str(k)))
        return {k: (_sorted(obj[k]) if type(obj[k]) in _CONTAINERS else obj[k]) for k in keys}
    if t is list:
        return [_sorted(v) if type(v) in _CONTAINERS else v for v in obj]
    if t is tuple:
        return tuple(_sorted(v) if type(v) in _CONTAINERS else v for v in obj)
    return obj
