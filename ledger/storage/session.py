"""Transactions on a ledger's database through the application's own connection pool.

Everything that reads or writes the database beside the library's recorders goes through a `Session`:
the decision index, the seals, the read models, migration. Its cursors take `?` marks on both databases
and return plain tuples; on PostgreSQL each transaction puts the URL's schema on the search path, so the
read models' statements name their tables unqualified.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from typing import Any

from ledger.storage.tables import Dialect, SealSql, Tables
from ledger.storage.url import Database

READ_SNAPSHOT = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
PAGE = 5000


class Cursor:
    """A DB-API cursor on either database: statements with `?` marks, rows as tuples."""

    def __init__(self, raw: Any, dialect: Dialect) -> None:
        self.raw, self.dialect = raw, dialect

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.dialect == "postgresql" else sql

    @property
    def connection(self) -> Any:
        """The DB-API connection the cursor belongs to."""
        return self.raw.connection

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        """Run one statement."""
        self.raw.execute(self._sql(sql), tuple(params))
        return self

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement for each row (nothing when there are none)."""
        if rows:
            self.raw.executemany(self._sql(sql), [tuple(r) for r in rows])

    def insert_rows(self, table: str, rows: Sequence[Sequence[Any]]) -> None:
        """Insert `rows` (every column, in order) into `table`: with COPY on PostgreSQL, else one INSERT each."""
        if not rows:
            return
        if self.dialect == "postgresql":
            with self.raw.copy(f"COPY {table} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        self.raw.executemany(f"INSERT INTO {table} VALUES ({','.join('?' * len(rows[0]))})", rows)

    @property
    def rowcount(self) -> int:
        """Rows changed by the last statement."""
        return int(self.raw.rowcount)

    def fetchone(self) -> tuple[Any, ...] | None:
        """The next row, or None."""
        row = self.raw.fetchone()
        return None if row is None else tuple(row)

    def fetchall(self) -> list[tuple[Any, ...]]:
        """Every remaining row."""
        return [tuple(r) for r in self.raw.fetchall()]

    def fetchmany(self, size: int) -> list[tuple[Any, ...]]:
        """Up to `size` more rows."""
        return [tuple(r) for r in self.raw.fetchmany(size)]


class Session:
    """The ledger's database seen through one application's connection pool."""

    def __init__(self, database: Database, datastore: Any) -> None:
        self.database, self.datastore = database, datastore
        self.dialect: Dialect = "postgresql" if database.kind == "postgresql" else "sqlite"
        self.tables = Tables(self.dialect, database.schema if self.dialect == "postgresql" else None)

    @contextmanager
    def transaction(self, commit: bool = True) -> Iterator[Cursor]:
        """One transaction: committed on success (when `commit`), rolled back on error or when not."""
        if self.dialect == "postgresql":
            from psycopg.rows import tuple_row
            from psycopg.sql import SQL, Identifier

            with self.datastore.transaction(commit=commit) as curs:
                raw = curs.connection.cursor(row_factory=tuple_row)
                raw.execute(SQL("SET LOCAL search_path TO {}").format(Identifier(self.database.schema)))
                yield Cursor(raw, self.dialect)
        else:
            with self.datastore.transaction(commit=commit) as curs:
                raw = curs.sqlite_cursor
                raw.row_factory = None  # the library's connections make sqlite3.Row rows
                yield Cursor(raw, self.dialect)

    def rows(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of one read-only statement (with its own `%s` marks on PostgreSQL, as `Tables` gives them),
        run on its own: on PostgreSQL one round trip, outside any transaction block."""
        if self.dialect == "postgresql":
            from psycopg.rows import tuple_row

            with self.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as raw:
                raw.execute(statement, tuple(params))
                return list(raw.fetchall())
        with self.transaction(commit=False) as c:
            c.raw.execute(statement, tuple(params))
            return [tuple(r) for r in c.raw.fetchall()]

    def query(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """`rows` of a statement written with `?` marks whose names are all qualified."""
        return self.rows(self.tables.sql(statement), params)

    @contextmanager
    def snapshot(self) -> Iterator[Cursor]:
        """A read-only transaction that sees the whole database as of its first read, whatever commits meanwhile."""
        if self.dialect == "postgresql":
            from psycopg.rows import tuple_row
            from psycopg.sql import SQL, Identifier

            with self.datastore.get_connection() as conn, conn.transaction(force_rollback=True):
                raw = conn.cursor(row_factory=tuple_row)
                raw.execute(READ_SNAPSHOT)
                raw.execute(SQL("SET LOCAL search_path TO {}").format(Identifier(self.database.schema)))
                yield Cursor(raw, self.dialect)
        else:
            with self.transaction(commit=False) as cursor:  # SQLite in WAL mode: one snapshot per transaction
                yield cursor

    @contextmanager
    def quiet(self) -> Iterator[Cursor]:
        """A read-only view of the database while writers wait (they queue for the lock until it ends): what a
        checkpoint signs, so that every event recorded after it is stamped later. Where the database cannot be
        locked (a read-only file, a hot standby), nobody writes to it anyway: a plain snapshot."""
        if self.dialect == "postgresql":
            with self.snapshot() as cursor:
                cursor.raw.execute("SAVEPOINT quiet")
                try:
                    cursor.raw.execute(f"LOCK TABLE {self.tables.events} IN SHARE MODE")
                except Exception as error:
                    if "read-only" not in str(error) and "recovery" not in str(error) and "permission" not in str(
                            error):
                        raise
                    cursor.raw.execute("ROLLBACK TO SAVEPOINT quiet")
                yield cursor
            return
        with self.datastore.get_connection(commit=False) as conn:
            raw = conn.cursor().sqlite_cursor
            raw.row_factory = None
            try:
                raw.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                if "readonly" not in str(error) and "read-only" not in str(error):
                    raise
                raw.execute("BEGIN")
            try:
                yield Cursor(raw, self.dialect)
            finally:
                raw.connection.rollback()

    @cached_property
    def seal_columns(self) -> frozenset[str]:
        """The columns of the seal table (a ledger of an earlier release lacks the later ones until a write)."""
        statement, params = self.tables.seal_columns_query()
        with self.transaction(commit=False) as c:
            c.raw.execute(statement, params)
            return frozenset(r[0] for r in c.raw.fetchall())

    @cached_property
    def seal_sql(self) -> SealSql:
        """The seal statements for this ledger's seal table as it stands (older ledgers lack later columns)."""
        return self.tables.seal_sql_for(self.seal_columns)


def pages(within: Cursor, statement: str, name: str, params: Sequence[Any] = (),
          size: int = PAGE) -> Iterator[tuple[Any, ...]]:
    """The rows of `statement`, fetched a page at a time in the read transaction of `within` (on PostgreSQL
    through a server-side cursor, so that memory stays bounded), as tuples."""
    if within.dialect == "postgresql":
        from psycopg.rows import tuple_row

        with within.connection.cursor(name=name, row_factory=tuple_row, binary=True) as named:
            named.itersize = size
            named.execute(statement, params)
            yield from named
        return
    cursor = within.connection.cursor()
    cursor.row_factory = None
    cursor.execute(statement, params)
    while rows := cursor.fetchmany(size):
        yield from rows
