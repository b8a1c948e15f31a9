"""Verify what the ledger derives from its sealed log and reads beside it: the decision index and the
snapshots.

Fed one replayed stream at a time (`ledger.replay`, joined with each event's index row and seal), it checks
that every decision event has exactly one index row and that the row says what the event says (decision,
stream, type); that each event's recorded time is the one its seal holds; that every snapshot equals the
replay of its stream's events up to its version and lies at or before its stream's head; and, at the end,
that no index row names a position where no event is. The first difference is kept per table, with the
smallest key.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Mapper, StoredEvent

from ledger.events import Decided
from ledger.fastpaths import event_class
from ledger.integrity.hashes import micros
from ledger.replay import Replayed
from ledger.storage.keyring import Keyring
from ledger.storage.session import Cursor, Session, pages

SNAPSHOTS, INDEX = "snapshot", "decision index"


@dataclass(frozen=True, order=True)
class Difference:
    """The first thing in one table that does not equal what the sealed events give."""

    table: str
    key: str
    message: str

    def line(self) -> str:
        """`TAMPERED: …`, one line."""
        return f"TAMPERED: {self.table} of {self.key} {self.message}"


@dataclass
class Differences:
    """The first difference found in each table."""

    first: dict[str, Difference] = field(default_factory=dict)

    def add(self, table: str, key: str, message: str) -> None:
        found = Difference(table, key, message)
        if table not in self.first or (found.key, found.message) < (self.first[table].key,
                                                                   self.first[table].message):
            self.first[table] = found

    def in_order(self, tables: list[str]) -> Difference | None:
        """The first difference of the first table (in `tables` order) that has one."""
        return next((self.first[t] for t in tables if t in self.first), None)


class LedgerChecks:
    """The decision index and the snapshots, checked stream by stream against the replayed events."""

    def __init__(self, session: Session, mapper: Mapper[UUID], found: Differences, within: Cursor,
                 keys: Keyring | None = None) -> None:
        self.session, self.mapper, self.found, self.within = session, mapper, found, within
        self.keys = keys  # an encrypted ledger's: its index names decisions and units keyed
        self._snapshots = _snapshots(session, within)
        self._next = next(self._snapshots, None)

    def see(self, stream: Replayed) -> None:
        """Check one stream's index rows, recorded times and snapshots."""
        self._index(stream)
        while self._next is not None and self._next[0] < stream.originator_id:
            self._orphan_snapshot(self._next)
            self._next = next(self._snapshots, None)
        while self._next is not None and self._next[0] == stream.originator_id:
            self._snapshot(stream, self._next)
            self._next = next(self._snapshots, None)

    def finish(self) -> None:
        """After the last stream: snapshots and index rows that belong to no event."""
        while self._next is not None:
            self._orphan_snapshot(self._next)
            self._next = next(self._snapshots, None)
        row = self.within.execute(self.session.tables.orphan_decision).fetchone()
        if row is not None:
            self.found.add(INDEX, str(row[1]), f"has a row for decision {row[0]} at position {row[2]}, where no "
                                               "event is: it was added or moved")

    def _index(self, stream: Replayed) -> None:
        seen: set[int] = set()
        for fact, position, topic, around in zip(stream.facts, stream.positions, stream.topics, stream.around):
            where = f"the event at position {position} ({stream.stream} v{fact['seq']})"
            if position in seen:
                self.found.add(INDEX, stream.stream, f"has more than one row for {where}: one was added")
                continue
            seen.add(position)
            if not issubclass(event_class(topic), Decided):
                continue
            if around.decision_id is None:
                self.found.add(INDEX, stream.stream, f"has no row for {where}: it was deleted")
                continue
            keys = self.keys
            told = {"decision": (around.decision_id, keys.decision_ref(fact["id"]) if keys else fact["id"]),
                    "stream": (around.stream, keys.stored_stream(stream.stream) if keys else stream.stream),
                    "type": (around.type, fact["type"])}
            for what, (row, event) in told.items():
                if row != event:
                    self.found.add(INDEX, stream.stream, f"names {what} {row} for {where}, which records "
                                                         f"{event}: the row was changed")
            if around.format == 2 and around.recorded_at != micros(fact["recorded_at"]):
                self.found.add(INDEX, stream.stream, f"seals {where} with another recording time than the "
                                                     f"{fact['recorded_at'].isoformat()} its event says")

    def _snapshot(self, stream: Replayed, row: tuple[Any, ...]) -> None:
        _, version, topic, state = row
        key = f"{stream.stream} v{version}"
        if version > len(stream.facts):
            self.found.add(SNAPSHOTS, key, f"lies beyond its stream's head (v{len(stream.facts)}): it was added "
                                           "or changed")
            return
        try:
            subject = self.mapper.to_domain_event(
                StoredEvent(stream.originator_id, version, topic, bytes(state))).mutate(None)  # type: ignore[attr-defined]
            same = (subject.version, subject.key, subject.facts) == (version, stream.key, stream.facts[:version])
        except Exception:  # noqa: BLE001 - a snapshot that cannot even be read differs from its events
            same = False
        if not same:
            self.found.add(SNAPSHOTS, key, "differs from its events: it was changed")

    def _orphan_snapshot(self, row: tuple[Any, ...]) -> None:
        self.found.add(SNAPSHOTS, f"{row[0]} v{row[1]}", "belongs to a stream with no events: it was added")


def _snapshots(session: Session, within: Cursor) -> Iterator[tuple[Any, ...]]:
    """Every snapshot ordered by aggregate then version, in the read transaction of `within`."""
    for oid, version, topic, state in pages(within, session.tables.snapshots_by_stream, "snapshots", size=500):
        yield (oid if isinstance(oid, UUID) else UUID(oid)), int(version), topic, state
