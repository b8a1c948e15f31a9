"""The hashes every seal is made of: an event's hash, the hash chain, and the RFC 6962 leaf and node hashes.

Pure functions, no I/O. Each hash starts with its own prefix, so that no value of one kind can be passed off
as another: an event hash is tagged `CLE1` (event hash format 1) and length-prefixed; a chain link, a Merkle
leaf and a Merkle interior node start with one byte each (RFC 6962 uses 0x00 for leaves and 0x01 for nodes).
"""
from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterable

HASH_SIZE = 32
EVENT_TAG = b"CLE1"
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
CHAIN_PREFIX = b"\x02"
GENESIS = bytes(HASH_SIZE)  # the link before the first event
EMPTY_ROOT = hashlib.sha256(b"").digest()  # the Merkle tree hash of no leaves
UNREADABLE = bytes(HASH_SIZE)  # stands in for the hash of a row that cannot be hashed; no seal holds it

EVENT_HEADER = struct.Struct(">4sIqIQ")  # tag, len(originator id), version, len(topic), len(state)
EventRow = tuple[str, int, str, bytes]  # originator id (32 hex digits), version, topic, stored state

_sha256 = hashlib.sha256
_header = EVENT_HEADER.pack


def event_hash(originator_id: str, version: int, topic: str, state: bytes) -> bytes:
    """SHA-256 over a length-prefixed encoding of an event's identity, topic and stored state bytes."""
    oid, top = originator_id.encode(), topic.encode()
    return _sha256(_header(EVENT_TAG, len(oid), version, len(top), len(state)) + oid + top + state).digest()


def event_hashes(rows: Iterable[EventRow]) -> list[bytes]:
    """The event hash of each row; UNREADABLE for a row whose stored values cannot be hashed at all."""
    rows = list(rows)
    try:
        return [event_hash(*row) for row in rows]
    except (AttributeError, TypeError, struct.error, OverflowError):
        return [_event_hash_or_unreadable(row) for row in rows]


def _event_hash_or_unreadable(row: EventRow) -> bytes:
    try:
        return event_hash(*row)
    except (AttributeError, TypeError, struct.error, OverflowError):
        return UNREADABLE


def chain_hash(prev: bytes, digest: bytes) -> bytes:
    """The next link of the hash chain; the first event's `prev` is GENESIS."""
    return _sha256(CHAIN_PREFIX + prev + digest).digest()


def leaf_hash(data: bytes) -> bytes:
    """RFC 6962 leaf hash: SHA-256(0x00 ‖ data)."""
    return _sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 6962 interior node hash: SHA-256(0x01 ‖ left ‖ right)."""
    return _sha256(NODE_PREFIX + left + right).digest()
