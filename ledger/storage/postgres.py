"""The PostgreSQL recorder: events and their decision-index rows in one transaction, with the `begin` and
`seal_rows` hooks of the SQLite recorder (integrity's subclass seals). Imported only for PostgreSQL ledgers."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresAggregateRecorder, PostgresApplicationRecorder
from eventsourcing.utils import retry
from psycopg.rows import tuple_row
from psycopg.sql import SQL

from ledger.storage.index import IndexEntry, hex_id, index_rows, sealed_rows
from ledger.storage.sqlite import EncodeAt, Now, Stamped
from ledger.storage.tables import Tables


class LedgerPostgresRecorder(PostgresApplicationRecorder):
    """PostgreSQL events table + decision index, written in one transaction (with the `seal_rows` hook)."""

    def __init__(self, datastore: Any, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.tables = Tables("postgresql", self.datastore.schema)
        for statement in self.tables.create_statements():
            self.sql_create_statements.append(SQL(statement))  # type: ignore[arg-type]

    def create_table(self) -> None:
        """Create the tables, then add the seal columns a ledger of an earlier release lacks."""
        super().create_table()
        statement, params = self.tables.seal_columns_query()
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(statement, params)
            for upgrade in self.tables.upgrade_statements({r["column_name"] for r in curs.fetchall()}):
                curs.execute(upgrade)

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        """The library's way in: events already encoded (their recording time is their own)."""
        return self.insert_stamped(lambda _now: stored_events, kwargs.get("decisions") or ())

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_stamped(self, encode_at: EncodeAt, entries: Sequence[IndexEntry]) -> Sequence[int]:
        """One plain transaction: the table locked (inserts commit in position order), the events `encode_at`
        gives for the time `begin` stamps, their decision-index rows, and what `seal_rows` adds. An error
        anywhere, sealing included, rolls all of it back.

        The library's own insert runs in pipeline mode and commits whatever was sent when a later step raises
        in the client; in pipeline mode the seal's read of the head row could also fetch the index insert's
        result.
        """
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            self._lock_table(curs)
            with conn.cursor(row_factory=tuple_row) as c:
                stamp = self.begin(c)
            stored = encode_at(stamp.now)
            self._notify_channel(curs)
            PostgresAggregateRecorder._insert_stored_events(self, curs, stored)
            positions = self._fetch_ids_after_insert_events(curs, stored) or []
            with conn.cursor(row_factory=tuple_row) as c:
                index = index_rows(stored, positions, entries)
                if index:
                    c.executemany(self.tables.insert_decisions, index)
                rows = [(p, hex_id(s.originator_id), s.originator_version, s.topic, s.state)
                        for s, p in zip(stored, positions)]
                self.seal_rows(c, sealed_rows(rows, entries), stamp)
            return positions

    def begin(self, cursor: Any) -> Stamped:
        """The batch's recording time, once the table lock is held."""
        return Now(datetime.now(UTC))

    def seal_rows(self, cursor: Any, rows: Sequence[tuple[Any, ...]], stamp: Any) -> None:
        """What else to write, in the same transaction, for the events just inserted: (position, originator
        id, version, topic, state, decision ref, content hash) rows. Nothing here; the sealing recorder seals
        them."""
