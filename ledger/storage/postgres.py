"""The PostgreSQL recorder: events and their decision-index rows in one transaction, with whatever `seal_rows`
adds (integrity's subclass seals them). Imported only for PostgreSQL ledgers."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.utils import retry
from psycopg.rows import tuple_row
from psycopg.sql import SQL

from ledger.storage.index import hex_id, index_rows
from ledger.storage.tables import Tables


class LedgerPostgresRecorder(PostgresApplicationRecorder):
    """PostgreSQL events table + decision index, written in one transaction (with `seal_rows`)."""

    def __init__(self, datastore: Any, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.tables = Tables("postgresql", self.datastore.schema)
        for statement in self.tables.create_statements():
            self.sql_create_statements.append(SQL(statement))  # type: ignore[arg-type]

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        """One plain transaction: an error anywhere, sealing included, rolls all of it back.

        The library's version runs in pipeline mode and commits whatever was sent when a later step raises in
        the client; in pipeline mode the seal's read of the head row could also fetch the index insert's result.
        """
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            self._insert_stored_events(curs, stored_events, **kwargs)
            return self._fetch_ids_after_insert_events(curs, stored_events, **kwargs)

    def _fetch_ids_after_insert_events(self, curs: Any, stored_events: Sequence[StoredEvent],
                                       **kwargs: Any) -> Sequence[int]:
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs) or []
        with curs.connection.cursor(row_factory=tuple_row) as c:
            index = index_rows(stored_events, ids, kwargs.get("decisions") or ())
            if index:
                c.executemany(self.tables.insert_decisions, index)
            rows = [(i, hex_id(s.originator_id), s.originator_version, s.topic, s.state)
                    for s, i in zip(stored_events, ids)]
            self.seal_rows(c, rows)
        return ids

    def seal_rows(self, cursor: Any, rows: Sequence[tuple[Any, ...]]) -> None:
        """What else to write, in the same transaction, for the events just inserted: (position, originator
        id, version, topic, state) rows. Nothing here; the sealing recorder seals them."""
