"""The SQLite recorder: events and their decision-index rows written in ONE transaction, with whatever
`seal_rows` adds (integrity's subclass seals them), so that there is never a committed event without its
seal, nor a decision id recorded twice.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import OperationalError, StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteTransaction

from ledger.storage.index import hex_id, index_rows
from ledger.storage.tables import Tables

TABLES = Tables("sqlite")


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
    """SQLite events table + decision index, written in one transaction (with `seal_rows`)."""

    tables = TABLES

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *TABLES.create_statements()]

    def create_table(self) -> None:
        """Create the tables (and the seal head row) in a transaction begun IMMEDIATE.

        Begun deferred, it reads the schema first; when another process commits before its INSERT of the head
        row, SQLite refuses the upgrade at once ("database is locked") instead of waiting for the lock.
        """
        with self.datastore.get_connection(commit=True) as conn, _ImmediateTransaction(conn, commit=True) as c:
            self._create_table(c)

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        """One write transaction, begun IMMEDIATE so that concurrent writers queue for the lock."""
        with self.datastore.get_connection(commit=True) as conn, _ImmediateTransaction(conn, commit=True) as c:
            return self._insert_events(c, stored_events, **kwargs)

    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int]:
        rows = self._insert_rows(c, stored_events)
        ids = [row[0] for row in rows]
        index = index_rows(stored_events, ids, kwargs.get("decisions") or ())
        if index:
            c.executemany(TABLES.insert_decisions, index)
        self.seal_rows(c.sqlite_cursor, rows)  # the rows as inserted are the rows to seal
        return ids

    def seal_rows(self, cursor: Any, rows: Sequence[tuple[Any, ...]]) -> None:
        """What else to write, in the same transaction, for the events just inserted: (position, originator
        id, version, topic, state) rows. Nothing here; the sealing recorder seals them."""

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
