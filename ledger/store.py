"""Where the ledger lives: database URL → eventsourcing settings, and the sealing recorders.

The recorders insert the events, the decision index and the seals (`sealing.py`) in ONE transaction,
so there is never a committed event without its seal, nor a decision id recorded twice.
"""
from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit
from uuid import UUID

from eventsourcing.persistence import OperationalError, StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteTransaction
from eventsourcing.utils import get_topic

from ledger import sealing
from ledger.errors import StorageError

DEFAULT_DB = "cadre-ledger.db"
ACCEPTED = (
    "a file path (cadre-ledger.db), sqlite:///path/to/file.db, "
    "or postgresql://user:password@host:port/dbname[?schema=name]"
)
DECISIONS_TABLE = "ledger_decisions"


@dataclass(frozen=True)
class Database:
    """A parsed database URL: `kind` is sqlite or postgresql."""

    kind: str
    path: str = ""
    host: str = ""
    port: int = 5432
    user: str = ""
    password: str = ""
    dbname: str = ""
    schema: str = "public"

    def redacted(self) -> str:
        """The URL with no password in it, for messages."""
        if self.kind == "sqlite":
            return f"sqlite:///{self.path}"
        user = f"{self.user}@" if self.user else ""
        return f"postgresql://{user}{self.host}:{self.port}/{self.dbname}?schema={self.schema}"

    def connect(self) -> Any:
        """A plain connection to the PostgreSQL database (raises psycopg.OperationalError with the reason)."""
        import psycopg

        return psycopg.connect(host=self.host, port=self.port, user=self.user, password=self.password,
                               dbname=self.dbname, connect_timeout=10)

    @contextmanager
    def opening(self) -> Iterator[None]:
        """While an application opens (and creates its tables): on PostgreSQL, a connection holding a lock.

        Connecting first reports an unreachable server with its own reason at once (the pool would wait 10 s).
        The advisory lock, one per schema, makes processes that open the ledger together create its tables one
        at a time: run concurrently, CREATE OR REPLACE FUNCTION fails with "tuple concurrently updated".
        """
        if self.kind != "postgresql":
            yield
            return
        with self.connect() as conn:
            conn.autocommit = True
            conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (f"cadre-ledger:{self.schema}",))
            yield

    def env(self) -> dict[str, str]:
        """The eventsourcing settings for this database."""
        if self.kind == "sqlite":
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": self.path,
                "SQLITE_LOCK_TIMEOUT": "30",
                "APPLICATION_RECORDER_TOPIC": get_topic(SealingSQLiteRecorder),
            }
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": self.dbname,
            "POSTGRES_HOST": self.host,
            "POSTGRES_PORT": str(self.port),
            "POSTGRES_USER": self.user,
            "POSTGRES_PASSWORD": self.password,
            "POSTGRES_SCHEMA": self.schema,
            "POSTGRES_CONNECT_TIMEOUT": "10",
            "POSTGRES_POOL_SIZE": "2",
            "POSTGRES_MAX_OVERFLOW": "4",
            "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "60",
            "APPLICATION_RECORDER_TOPIC": "ledger.pgstore:SealingPostgresRecorder",  # imports psycopg only when used
        }


def parse_url(url: str | None) -> Database:
    """The database named by `url`, else by CADRE_LEDGER_DB, else ./cadre-ledger.db."""
    url = url or os.environ.get("CADRE_LEDGER_DB") or DEFAULT_DB
    if "://" not in url:
        return _sqlite(url)
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        if parts.netloc:
            raise StorageError(f"sqlite URLs have three slashes (sqlite:///path/to/file.db); accepted: {ACCEPTED}")
        return _sqlite(unquote(parts.path[1:]) if parts.path.startswith("/") else unquote(parts.path))
    if parts.scheme in ("postgresql", "postgres"):
        try:
            port = parts.port or 5432
        except ValueError:
            raise StorageError(f"the port of the PostgreSQL URL is not a number; accepted: {ACCEPTED}") from None
        dbname = unquote(parts.path.lstrip("/"))
        if not parts.hostname or not dbname:
            raise StorageError(f"a PostgreSQL URL needs a host and a database name; accepted: {ACCEPTED}")
        query = parse_qs(parts.query)
        unknown = set(query) - {"schema"}
        if unknown:
            raise StorageError(f"unknown URL parameter {sorted(unknown)[0]!r}; only ?schema=name is accepted")
        schema = query.get("schema", ["public"])[0]
        return Database(
            "postgresql", host=parts.hostname, port=port, user=unquote(parts.username or ""),
            password=unquote(parts.password or ""), dbname=dbname, schema=schema,
        )
    raise StorageError(f"unknown database URL scheme {parts.scheme!r}; accepted: {ACCEPTED}")


CONTENTION = ("locked", "busy", "deadlock", "could not serialize", "lock timeout", "could not obtain lock")


def is_contention(error: BaseException) -> bool:
    """Whether a write failed only because another writer got there first (worth retrying)."""
    return any(word in str(error).lower() for word in CONTENTION)


def storage_failure(db: Database, error: BaseException, doing: str) -> StorageError:
    """A one-line StorageError for a database that cannot be used, naming it and the fix."""
    reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    low = reason.lower()
    if "full" in low or "no space" in low:
        fix = "free some disk space, or move the ledger to a larger disk"
    elif ("readonly" in low or "read-only" in low) and db.kind == "sqlite":
        fix = "make the database file and its directory writable"
    elif "read-only" in low:
        fix = "connect to the primary server, with a role allowed to write"
    elif is_contention(error):
        fix = "another process is writing to it; try again when it has finished"
    elif db.kind == "postgresql":
        fix = "check that the PostgreSQL server is running and reachable, and the URL's host, port and database"
    else:
        fix = "check that the file and its directory exist and are writable, then run `cadre-ledger verify`"
    return StorageError(f"cannot {doing} the ledger at {db.redacted()}: {reason}; {fix}")


def _sqlite(path: str) -> Database:
    if not path or path == ":memory:" or path.startswith("file:"):
        raise StorageError(f"the ledger is never kept in memory; name a file. Accepted: {ACCEPTED}")
    if Path(path).is_dir():
        raise StorageError(f"{path} is a directory; name a database file inside it, e.g. {path}/cadre-ledger.db")
    return Database("sqlite", path=path)


def _index_rows(stored_events: Sequence[StoredEvent], ids: Sequence[int], kwargs: dict[str, Any]) -> list[tuple]:
    """Decision-index rows: (decision_id, content_hash, stream, type, position)."""
    decisions = kwargs.get("decisions") or ()
    if not decisions:
        return []
    position = {(_hex(s.originator_id), s.originator_version): i for s, i in zip(stored_events, ids)}
    return [(d_id, chash, stream, dtype, position[(_hex(oid), ver)]) for d_id, chash, stream, dtype, oid, ver in decisions]


def _seal_rows(stored_events: Sequence[StoredEvent], ids: Sequence[int]) -> list[tuple]:
    return [(i, _hex(s.originator_id), s.originator_version, s.topic, s.state) for s, i in zip(stored_events, ids)]


def _hex(originator_id: UUID | str) -> str:
    return originator_id.hex if isinstance(originator_id, UUID) else str(originator_id)


class _ImmediateTransaction(SQLiteTransaction):
    """A write transaction that takes SQLite's write lock at BEGIN (waiting up to the lock timeout)."""

    def __enter__(self) -> SQLiteCursor:
        cursor = self.connection.cursor()
        try:
            cursor.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:  # locked past the timeout, read-only: as inside the transaction
            raise OperationalError(e) from e
        return cursor


class SealingSQLiteRecorder(SQLiteApplicationRecorder):
    """SQLite events table + decision index + seals, written in one transaction."""

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {DECISIONS_TABLE} (decision_id TEXT PRIMARY KEY, "
            "content_hash TEXT NOT NULL, stream TEXT NOT NULL, type TEXT NOT NULL, position INTEGER NOT NULL)",
            f"CREATE UNIQUE INDEX IF NOT EXISTS {DECISIONS_TABLE}_position ON {DECISIONS_TABLE} (position)",
            *sealing.create_table_statements("sqlite"),
        ]

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
        index = _index_rows(stored_events, ids, kwargs)
        if index:
            c.executemany(f"INSERT INTO {DECISIONS_TABLE} VALUES (?,?,?,?,?)", index)
        sealing.seal(c, "sqlite", rows)  # the rows as inserted are the rows to seal
        return ids

    def _insert_rows(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent]) -> list[tuple]:
        """Insert the events with one executemany; rowids follow on from the current maximum.

        Returns the rows inserted: (rowid, originator_id hex, version, topic, state).
        """
        c.execute(f"SELECT COALESCE(MAX(rowid), 0) FROM {self.events_table_name}")
        first = c.fetchone()[0] + 1
        params = [
            (first + n, _hex(s.originator_id), s.originator_version, s.topic, s.state)
            for n, s in enumerate(stored_events)
        ]
        c.executemany(
            f"INSERT INTO {self.events_table_name} (rowid, originator_id, originator_version, topic, state) "
            "VALUES (?,?,?,?,?)", params,
        )
        return params

    def decision_hashes(self, decision_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        """For each recorded id among `decision_ids`: (content_hash, stream)."""
        found: dict[str, tuple[str, str]] = {}
        with self.datastore.transaction(commit=False) as c:
            for chunk in _chunks(decision_ids, 500):
                c.execute(
                    f"SELECT decision_id, content_hash, stream FROM {DECISIONS_TABLE} "
                    f"WHERE decision_id IN ({','.join('?' * len(chunk))})", list(chunk),
                )
                found.update({r[0]: (r[1], r[2]) for r in c.fetchall()})
        return found


    def streams(self) -> list[str]:
        """Every stream in the ledger."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT DISTINCT stream FROM {DECISIONS_TABLE} ORDER BY stream")
            return [r[0] for r in c.fetchall()]

    def streams_with(self, decision_type: str) -> list[str]:
        """The streams holding at least one decision of this type."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT DISTINCT stream FROM {DECISIONS_TABLE} WHERE type = ? ORDER BY stream", (decision_type,))
            return [r[0] for r in c.fetchall()]


def _chunks(items: Sequence[str], size: int) -> list[Sequence[str]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def __getattr__(name: str) -> Any:
    """`store.SealingPostgresRecorder`, imported on first use (it needs the PostgreSQL driver)."""
    if name == "SealingPostgresRecorder":
        from ledger.pgstore import SealingPostgresRecorder

        return SealingPostgresRecorder
    raise AttributeError(f"module 'ledger.store' has no attribute {name!r}")
