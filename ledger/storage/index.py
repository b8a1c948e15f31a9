"""The decision index: one row per recorded decision (id, content hash, stream, type, position).

Written by the recorders in the same transaction as the decision's event; read to keep decision ids unique,
to find a decision's position (proofs) and to list streams (the feed, cross-cadre queries as known at a time).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from uuid import UUID

from ledger.storage.session import Session

if TYPE_CHECKING:
    from eventsourcing.persistence import StoredEvent

IndexEntry = tuple[Any, ...]  # (decision_id, content_hash, stream, type, originator_id, version)
CHUNK = 500


def hex_id(originator_id: UUID | str) -> str:
    """An aggregate id as stored on SQLite and sealed: 32 hex digits."""
    return originator_id.hex if isinstance(originator_id, UUID) else str(originator_id)


def index_rows(stored: Sequence[StoredEvent], positions: Sequence[int],
               entries: Sequence[IndexEntry]) -> list[tuple[Any, ...]]:
    """Decision-index rows (decision_id, content_hash, stream, type, position) for events just inserted."""
    if not entries:
        return []
    position = {(hex_id(s.originator_id), s.originator_version): p for s, p in zip(stored, positions)}
    return [(d_id, chash, stream, dtype, position[(hex_id(oid), ver)])
            for d_id, chash, stream, dtype, oid, ver in entries]


def sealed_rows(rows: Sequence[tuple[Any, ...]], entries: Sequence[IndexEntry]) -> list[tuple[Any, ...]]:
    """Inserted (position, originator id, version, topic, state) rows with the decision reference and content
    hash of their index entry ("" for an event that records no decision), as the seals bind them."""
    refs = {(hex_id(oid), ver): (d_id, chash) for d_id, chash, _, _, oid, ver in entries}
    return [(*row, *refs.get((row[1], row[2]), ("", ""))) for row in rows]


def recorded(session: Session, decision_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """For each recorded id among `decision_ids`: (content_hash, stream). On PostgreSQL one statement on its
    own (one round trip, whatever the number of ids); on SQLite in chunks, in one read transaction."""
    tables = session.tables
    if session.dialect == "postgresql":
        return {r[0]: (r[1], r[2]) for r in session.query(tables.decisions_among(0), (list(decision_ids),))}
    found: dict[str, tuple[str, str]] = {}
    with session.transaction(commit=False) as c:
        for start in range(0, len(decision_ids), CHUNK):
            chunk = list(decision_ids[start:start + CHUNK])
            c.raw.execute(tables.decisions_among(len(chunk)), chunk)
            found.update({r[0]: (r[1], r[2]) for r in c.raw.fetchall()})
    return found


def streams(session: Session, decision_type: str | None = None) -> list[str]:
    """Every stream in the ledger, or those holding at least one decision of `decision_type`."""
    tables = session.tables
    with session.transaction(commit=False) as c:
        if decision_type is None:
            return [r[0] for r in c.execute(tables.streams).fetchall()]
        c.raw.execute(tables.streams_with_type, (decision_type,))
        return [r[0] for r in c.raw.fetchall()]


def position_of(session: Session, decision_id: str) -> int | None:
    """The log position of a recorded decision's event, or None."""
    with session.transaction(commit=False) as c:
        c.raw.execute(session.tables.position_of_decision, (decision_id,))
        row = c.raw.fetchone()
    return None if row is None else int(row[0])
