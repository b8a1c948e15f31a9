"""The SQLite recorder: events and their decision-index rows written in ONE transaction, begun IMMEDIATE.

Two hooks run inside that transaction: `begin`, once the write lock is held, gives the batch's recording
time (and whatever the sealing needs), and `seal_rows` writes what else belongs to the rows just inserted.
Here they do nothing beyond reading the clock; integrity's sealing recorder fills them in, so that there
is never a committed event without its seal, nor a decision id recorded twice.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple, Protocol

from eventsourcing.persistence import OperationalError, StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteTransaction

from ledger.storage.index import IndexEntry, hex_id, index_rows, sealed_rows
from ledger.storage.tables import Tables

TABLES = Tables("sqlite")
EncodeAt = Callable[[datetime], Sequence[StoredEvent]]  # the events to insert, stamped with a recording time


class Stamped(Protocol):
    """What `begin` gives: at least the batch's recording time."""

    @property
    def now(self) -> datetime: ...


class Now(NamedTuple):
    """A recording time and nothing else."""

    now: datetime


class _ImmediateTransaction(SQLiteTransaction):
    """A write transaction that takes SQLite's write lock at BEGIN (waiting up to the lock timeout)."""

    def __enter__(self) -> SQLiteCursor:
        cursor = self.connection.cursor()
        try:
            cursor.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:  # locked past the timeout, read-only: as inside the transaction
            raise OperationalError(e) from e
        return cursor


class LedgerSQLiteRecorder(SQLiteApplicationRecorder):
    """SQLite events table + decision index, written in one transaction (with the `seal_rows` hook)."""

    tables = TABLES

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *TABLES.create_statements()]

    def create_table(self) -> None:
        """Create the tables (and the seal head row), and add the columns a ledger of an earlier release lacks,
        in a transaction begun IMMEDIATE.

        Begun deferred, it reads the schema first; when another process commits before its INSERT of the head
        row, SQLite refuses the upgrade at once ("database is locked") instead of waiting for the lock.
        """
        with self.datastore.get_connection(commit=True) as conn, _ImmediateTransaction(conn, commit=True) as c:
            self._create_table(c)
            statement, _ = TABLES.seal_columns_query()
            c.execute(statement)
            for upgrade in TABLES.upgrade_statements({r[0] for r in c.fetchall()}):
                c.execute(upgrade)

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        """The library's way in: events already encoded (their recording time is their own)."""
        return self.insert_stamped(lambda _now: stored_events, kwargs.get("decisions") or ())

    def insert_stamped(self, encode_at: EncodeAt, entries: Sequence[IndexEntry], count: int | None = None
                       ) -> Sequence[int]:
        """One write transaction, begun IMMEDIATE so that concurrent writers queue for the lock: the events
        `encode_at` gives for the time `begin` stamps, their decision-index rows, and what `seal_rows` adds
        (`count`, how many events `encode_at` gives, is not needed here)."""
        with self.datastore.get_connection(commit=True) as conn, _ImmediateTransaction(conn, commit=True) as c:
            stamp = self.begin(c.sqlite_cursor)
            stored = encode_at(stamp.now)
            rows = self._insert_rows(c, stored)
            positions = [row[0] for row in rows]
            index = index_rows(stored, positions, entries)
            if index:
                c.executemany(TABLES.insert_decisions, index)
            self.seal_rows(c.sqlite_cursor, sealed_rows(rows, entries), stamp)
            return positions

    def begin(self, cursor: Any) -> Stamped:
        """The batch's recording time, once the write lock is held."""
        return Now(datetime.now(UTC))

    def seal_rows(self, cursor: Any, rows: Sequence[tuple[Any, ...]], stamp: Any) -> None:
        """What else to write, in the same transaction, for the events just inserted: (position, originator
        id, version, topic, state, decision ref, content hash) rows. Nothing here; the sealing recorder seals
        them."""

    def _insert_rows(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent]) -> list[tuple[Any, ...]]:
        """Insert the events with one executemany; rowids follow on from the current maximum.

        Returns the rows inserted: (rowid, originator_id hex, version, topic, state).
        """
        c.execute(f"SELECT COALESCE(MAX(rowid), 0) FROM {TABLES.events}")
        first = c.fetchone()[0] + 1
        params = [
            (first + n, hex_id(s.originator_id), s.originator_version, s.topic, s.state)
            for n, s in enumerate(stored_events)
        ]
        c.executemany(
            f"INSERT INTO {TABLES.events} (rowid, originator_id, originator_version, topic, state) "
            "VALUES (?,?,?,?,?)", params,
        )
        return params
