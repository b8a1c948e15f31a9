"""The PostgreSQL recorder: events and their decision-index rows in one transaction, with the hooks of the
SQLite recorder (integrity's subclass seals). Imported only for PostgreSQL ledgers.

A write is one transaction in two round trips. The first, pipelined, takes the events table's lock (which
serialises writers, so positions commit in order), runs the `begin_statement` hook (the sealing recorder's
locked read of the seal head row) and draws the batch's positions from the events table's own sequence.
The events are then encoded for the recording time `begin_from` stamps and sealed by `seal_rows`; the second
round trip sends the events, their decision-index rows, what `seal_rows` wrote and COMMIT together. A batch of
`COPY_FROM` rows or more is written with binary COPY instead (which pipeline mode does not allow).
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.utils import retry
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from ledger.storage.index import IndexEntry, hex_id, index_rows, sealed_rows
from ledger.storage.sqlite import EncodeAt, Now, Stamped
from ledger.storage.tables import COPY_FROM, DECISION_COLUMNS, Tables

DECISION_TYPES = ("text", "text", "text", "text", "int8")


class LedgerPostgresRecorder(PostgresApplicationRecorder):
    """PostgreSQL events table + decision index, written in one transaction (with the sealing hooks)."""

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

    @cached_property
    def _statements(self) -> dict[str, Any]:
        """The write's statements as plain strings (psycopg caches their conversion, not that of composed SQL)."""
        events, decisions = self.tables.events, self.tables.decisions
        oid_type = self.datastore.originator_id_type
        columns = "notification_id, originator_id, originator_version, topic, state"
        table_literal = "'" + events.replace("'", "''") + "'"
        return {
            "lock": [f"SET LOCAL lock_timeout = '{float(self.datastore.lock_timeout)}s'",
                     f"LOCK TABLE {events} IN EXCLUSIVE MODE"],
            # positions drawn from the events table's sequence, while the table lock is held
            "positions": (f"ARRAY(SELECT nextval(pg_get_serial_sequence({table_literal}, 'notification_id')) "
                          "FROM generate_series(1, %s))"),
            "notify": SQL("NOTIFY {0}").format(Identifier(self.channel_name)).as_string(None),
            "insert_events": (f"INSERT INTO {events} ({columns}) SELECT * FROM unnest(%s::int8[], "
                              f"%s::{oid_type}[], %s::int8[], %s::text[], %s::bytea[])"),
            "copy_events": f"COPY {events} ({columns}) FROM STDIN (FORMAT BINARY)",
            "event_types": ("int8", oid_type, "int8", "text", "bytea"),
            "insert_decisions": (f"INSERT INTO {decisions} ({', '.join(DECISION_COLUMNS)}) SELECT * FROM "
                                 "unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::int8[])"),
            "copy_decisions": f"COPY {decisions} ({', '.join(DECISION_COLUMNS)}) FROM STDIN (FORMAT BINARY)",
        }

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        """The library's way in: events already encoded (their recording time is their own)."""
        return self.insert_stamped(lambda _now: stored_events, kwargs.get("decisions") or (), len(stored_events))

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_stamped(self, encode_at: EncodeAt, entries: Sequence[IndexEntry], count: int) -> Sequence[int]:
        """One plain transaction: the table locked (inserts commit in position order), the `count` events
        `encode_at` gives for the time `begin_from` stamps, their decision-index rows, and what `seal_rows`
        adds. An error anywhere, sealing included, rolls all of it back."""
        if not count:
            return []
        with self.datastore.get_connection() as conn:
            if count >= COPY_FROM:
                with conn.transaction(), conn.cursor(row_factory=tuple_row) as c:
                    return self._write(c, None, encode_at, entries, count)
            failed: Exception | None = None
            positions: Sequence[int] = []
            with conn.pipeline() as pipeline:
                try:
                    with conn.transaction(), conn.cursor(row_factory=tuple_row) as c:
                        positions = self._write(c, pipeline, encode_at, entries, count)
                except Exception as e:  # noqa: BLE001 - raised once the pipeline is closed (psycopg warns otherwise)
                    failed = e
            if failed is not None:
                raise failed
            return positions

    def _write(self, c: Any, pipeline: Any, encode_at: EncodeAt, entries: Sequence[IndexEntry],
               count: int) -> list[int]:
        """The transaction's statements on `c`: with a `pipeline`, in two round trips; else COPY."""
        conn, sql = c.connection, self._statements
        for statement in sql["lock"]:
            c.execute(statement)
        begin = self.begin_statement()
        drawn = conn.cursor(row_factory=tuple_row)
        if begin is None:
            drawn.execute(f"SELECT {sql['positions']}", (count,))
        else:  # the positions beside the hook's row (or NULLs when it gives none)
            drawn.execute(f"SELECT {sql['positions']}, b.* FROM (SELECT 1) AS one LEFT JOIN ({begin}) AS b ON true",
                          (count,))
        if pipeline is not None:
            pipeline.sync()
        row = drawn.fetchone()
        stamp = self.begin_from(None if begin is None or all(v is None for v in row[1:]) else row[1:])
        positions = sorted(row[0])
        stored = encode_at(stamp.now)
        if len(stored) != count:
            raise ValueError(f"{len(stored)} events were encoded for {count} positions")
        rows = [(p, hex_id(s.originator_id), s.originator_version, s.topic, s.state)
                for s, p in zip(stored, positions)]
        index = index_rows(stored, positions, entries)
        c.execute(sql["notify"])
        if pipeline is None:
            copy_rows(c, sql["copy_events"], sql["event_types"],
                      [(p, s.originator_id, s.originator_version, s.topic, s.state)
                       for s, p in zip(stored, positions)])
            copy_rows(c, sql["copy_decisions"], DECISION_TYPES, index)
            self.seal_rows(c, sealed_rows(rows, entries), stamp)
            return positions
        together = Together()
        together.execute(sql["insert_events"], [list(column) for column in zip(
            *((p, s.originator_id, s.originator_version, s.topic, s.state) for s, p in zip(stored, positions)))])
        if index:
            together.execute(sql["insert_decisions"], [list(column) for column in zip(*index)])
        self.seal_rows(together, sealed_rows(rows, entries), stamp)
        together.send(c)
        return positions

    def begin_statement(self) -> str | None:
        """A statement to run once the table lock is held, whose first row `begin_from` is given."""
        return None

    def begin_from(self, row: tuple[Any, ...] | None) -> Stamped:
        """The batch's recording time, once the table lock is held."""
        return Now(datetime.now(UTC))

    def seal_rows(self, cursor: Any, rows: Sequence[tuple[Any, ...]], stamp: Any) -> None:
        """What else to write, in the same transaction, for the events just inserted: (position, originator
        id, version, topic, state, decision ref, content hash) rows. Nothing here; the sealing recorder seals
        them."""


class Together:
    """Statements gathered to be sent as ONE (each but the last in a WITH clause: PostgreSQL runs them all, on
    one snapshot, in the same transaction), so that the client prepares and the server parses one statement.
    The gathered statements must not depend on each other's effects: here, inserts into different tables and
    the head row's update."""

    def __init__(self) -> None:
        self.statements: list[str] = []
        self.params: list[Any] = []

    def execute(self, statement: str, params: Sequence[Any] = ()) -> None:
        self.statements.append(statement)
        self.params.extend(params)

    def send(self, cursor: Any) -> None:
        """Execute what was gathered on `cursor`."""
        if not self.statements:
            return
        *first, last = self.statements
        withs = ", ".join(f"w{n} AS ({statement})" for n, statement in enumerate(first))
        cursor.execute(f"WITH {withs} {last}" if first else last, self.params)


def copy_rows(cursor: Any, statement: Any, types: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert `rows` with COPY … FROM STDIN in binary."""
    if not rows:
        return
    with cursor.copy(statement) as stream:
        stream.set_types(types)
        write = stream.write_row
        for row in rows:
            write(row)
