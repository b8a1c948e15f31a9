"""The hashes every seal is made of: an event's hash, the hash chain, and the RFC 6962 leaf and node hashes.

Pure functions, no I/O. Each hash starts with its own prefix, so that no value of one kind can be passed off
as another: an event hash is tagged with its format and length-prefixed; a chain link, a Merkle leaf and a
Merkle interior node start with one byte each (RFC 6962 uses 0x00 for leaves and 0x01 for nodes).

Event hash formats (each seal records its own):
- 1 (`CLE1`): the event's identity (stream id, version), topic and stored state bytes.
- 2 (`CLE2`): also its position in the log, the time the ledger stamped it (µs since 1970, UTC), and its
  decision-index row (the decision reference and content hash), with SHA-256 of the stored state in place
  of the state itself, so that a proof can carry everything its leaf is made of. A seal of format 2 binds
  the decision: its id, stream, position and recording time cannot be changed in the index or in a proof.
"""
from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

HASH_SIZE = 32
EVENT_TAG = b"CLE1"
EVENT_TAG_2 = b"CLE2"
FORMATS = (1, 2)
CURRENT_FORMAT = 2
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
CHAIN_PREFIX = b"\x02"
GENESIS = bytes(HASH_SIZE)  # the link before the first event
EMPTY_ROOT = hashlib.sha256(b"").digest()  # the Merkle tree hash of no leaves
UNREADABLE = bytes(HASH_SIZE)  # stands in for the hash of a row that cannot be hashed; no seal holds it

EVENT_HEADER = struct.Struct(">4sIqIQ")  # tag, len(originator id), version, len(topic), len(state)
# tag, position, version, recorded_at, len(originator id), len(topic), len(decision ref), len(content hash)
EVENT_HEADER_2 = struct.Struct(">4sqqqIIII")
EventRow = tuple[str, int, str, bytes]  # originator id (32 hex digits), version, topic, stored state
# format, position, originator id, version, topic, stored state, decision ref, content hash, recorded_at (µs)
SealedRow = tuple[int, int, str, int, str, bytes, str, str, int]

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)

_sha256 = hashlib.sha256
_header = EVENT_HEADER.pack
_header_2 = EVENT_HEADER_2.pack


def event_hash(originator_id: str, version: int, topic: str, state: bytes) -> bytes:
    """SHA-256 over a length-prefixed encoding of an event's identity, topic and stored state bytes."""
    oid, top = originator_id.encode(), topic.encode()
    return _sha256(_header(EVENT_TAG, len(oid), version, len(top), len(state)) + oid + top + state).digest()


def event_hash_2(position: int, originator_id: str, version: int, topic: str, state: bytes, decision_ref: str,
                 content_hash: str, recorded_at: int) -> bytes:
    """Format 2: SHA-256 over the event's position, identity, recording time, topic, decision reference and
    content hash, and SHA-256 of its stored state, length-prefixed."""
    return event_hash_2_of_digest(position, originator_id, version, topic, _sha256(state).digest(), decision_ref,
                                  content_hash, recorded_at)


def event_hash_2_of_digest(position: int, originator_id: str, version: int, topic: str, state_digest: bytes,
                           decision_ref: str, content_hash: str, recorded_at: int) -> bytes:
    """Format 2 from SHA-256 of the stored state (what a proof carries instead of the state)."""
    oid, top, ref, chash = originator_id.encode(), topic.encode(), decision_ref.encode(), content_hash.encode()
    header = _header_2(EVENT_TAG_2, position, version, recorded_at, len(oid), len(top), len(ref), len(chash))
    return _sha256(header + oid + top + ref + chash + state_digest).digest()


def sealed_hash(row: SealedRow) -> bytes:
    """The event hash of a row in the format its seal names."""
    fmt, position, oid, version, topic, state, ref, chash, recorded_at = row
    if fmt == 1:
        return event_hash(oid, version, topic, state)
    if fmt == 2:
        return event_hash_2(position, oid, version, topic, state, ref, chash, recorded_at)
    raise TypeError(f"unknown event hash format {fmt!r}")


def event_hashes(rows: Iterable[SealedRow]) -> list[bytes]:
    """The event hash of each row; UNREADABLE for a row whose stored values cannot be hashed at all."""
    rows = list(rows)
    try:
        return [sealed_hash(row) for row in rows]
    except (AttributeError, TypeError, struct.error, OverflowError):
        return [_event_hash_or_unreadable(row) for row in rows]


def joined_event_hashes(rows: Sequence[Sequence[Any]]) -> list[bytes]:
    """`event_hashes` of rows as the verifier reads them: (position, originator id, version, topic, state, leaf
    index, event hash, chain hash, format, recorded_at, decision ref, content hash, …), the decision ref and
    content hash None for an event without a decision-index row. The same hashes, without making a row of
    each first (the loop the verifier spends its time in)."""
    sha, header, tag = _sha256, _header_2, EVENT_TAG_2
    digests: list[bytes] = []
    add = digests.append
    try:
        for r in rows:
            if r[8] == 2:
                oid, top, ref, chash = r[1].encode(), r[3].encode(), (r[10] or "").encode(), (r[11] or "").encode()
                add(sha(header(tag, r[0], r[2], r[9], len(oid), len(top), len(ref), len(chash))
                        + oid + top + ref + chash + sha(r[4]).digest()).digest())
            else:
                add(sealed_hash((r[8], r[0], r[1], r[2], r[3], r[4], r[10] or "", r[11] or "", r[9])))
    except (AttributeError, TypeError, struct.error, OverflowError):
        return event_hashes((r[8], r[0], r[1], r[2], r[3], r[4], r[10] or "", r[11] or "", r[9]) for r in rows)
    return digests


def _event_hash_or_unreadable(row: SealedRow) -> bytes:
    try:
        return sealed_hash(row)
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


def micros(moment: datetime) -> int:
    """A timezone-aware moment as microseconds since 1970-01-01 UTC (how seals record it)."""
    return (moment - EPOCH) // _MICROSECOND


def moment_of(us: int) -> datetime:
    """The UTC moment `micros` gave `us` for."""
    return EPOCH + us * _MICROSECOND
