"""The PostgreSQL recorder: events table + decision index + seals in one transaction (imported only for PostgreSQL)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.utils import retry
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from ledger import sealing
from ledger.store import DECISIONS_TABLE, _chunks, _index_rows, _seal_rows


class SealingPostgresRecorder(PostgresApplicationRecorder):
    """PostgreSQL events table + decision index + seals, written in one transaction."""

    def __init__(self, datastore: Any, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        schema = self.datastore.schema
        self.sql_create_statements.append(SQL(
            "CREATE TABLE IF NOT EXISTS {schema}.{table} (decision_id TEXT PRIMARY KEY, "
            "content_hash TEXT NOT NULL, stream TEXT NOT NULL, type TEXT NOT NULL, position BIGINT NOT NULL)"
        ).format(schema=Identifier(schema), table=Identifier(DECISIONS_TABLE)))
        self.sql_create_statements.append(SQL("CREATE UNIQUE INDEX IF NOT EXISTS {index} ON {schema}.{table} (position)")
                                          .format(index=Identifier(f"{DECISIONS_TABLE}_position"),
                                                  schema=Identifier(schema), table=Identifier(DECISIONS_TABLE)))
        for statement in sealing.create_table_statements("postgres", schema):
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

    def _fetch_ids_after_insert_events(self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int]:
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs) or []
        schema = self.datastore.schema
        with curs.connection.cursor(row_factory=tuple_row) as c:
            index = _index_rows(stored_events, ids, kwargs)
            if index:
                c.executemany(SQL("INSERT INTO {}.{} VALUES (%s,%s,%s,%s,%s)").format(
                    Identifier(schema), Identifier(DECISIONS_TABLE)), index)
            sealing.seal(c, "postgres", _seal_rows(stored_events, ids), schema)
        return ids

    def decision_hashes(self, decision_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        """For each recorded id among `decision_ids`: (content_hash, stream)."""
        found: dict[str, tuple[str, str]] = {}
        with self.datastore.transaction(commit=False) as curs:
            for chunk in _chunks(decision_ids, 1000):
                curs.execute(SQL(
                    "SELECT decision_id, content_hash, stream FROM {schema}.{table} WHERE decision_id = ANY(%s)"
                ).format(schema=Identifier(self.datastore.schema), table=Identifier(DECISIONS_TABLE)), (list(chunk),))
                found.update({r["decision_id"]: (r["content_hash"], r["stream"]) for r in curs.fetchall()})
        return found


    def streams(self) -> list[str]:
        """Every stream in the ledger."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(SQL("SELECT DISTINCT stream FROM {schema}.{table} ORDER BY stream").format(
                schema=Identifier(self.datastore.schema), table=Identifier(DECISIONS_TABLE)))
            return [r["stream"] for r in curs.fetchall()]

    def streams_with(self, decision_type: str) -> list[str]:
        """The streams holding at least one decision of this type."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(SQL("SELECT DISTINCT stream FROM {schema}.{table} WHERE type = %s ORDER BY stream").format(
                schema=Identifier(self.datastore.schema), table=Identifier(DECISIONS_TABLE)), (decision_type,))
            return [r["stream"] for r in curs.fetchall()]
