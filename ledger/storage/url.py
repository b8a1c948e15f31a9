"""Where the ledger lives: a database URL (or CADRE_LEDGER_DB, or ./cadre-ledger.db) and what it means."""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from ledger.errors import StorageError

DEFAULT_DB = "cadre-ledger.db"
ACCEPTED = (
    "a file path (cadre-ledger.db), sqlite:///path/to/file.db, "
    "or postgresql://user:password@host:port/dbname[?schema=name]"
)

MAX_IDENTIFIER = 63  # bytes: PostgreSQL cuts longer names
_IDENTIFIER = re.compile(r"[^\W\d]\w*")


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
    def opening(self, lock: bool = True) -> Iterator[None]:
        """While an application opens (and creates its tables): on PostgreSQL, a connection holding a lock.

        Connecting first reports an unreachable server with its own reason at once (the pool would wait 10 s).
        The advisory lock, one per schema, makes processes that open the ledger together create its tables one
        at a time: run concurrently, CREATE OR REPLACE FUNCTION fails with "tuple concurrently updated".
        """
        if self.kind != "postgresql" or not lock:
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
        }


def parse_url(url: str | None) -> Database:
    """The database named by `url`, else by CADRE_LEDGER_DB, else ./cadre-ledger.db."""
    url = url or os.environ.get("CADRE_LEDGER_DB") or DEFAULT_DB
    if "://" not in url:
        return _sqlite(url)
    try:
        parts = urlsplit(url)
    except ValueError as error:  # an unclosed [ of an IPv6 host
        raise StorageError(f"the database URL cannot be read ({error}); accepted: {ACCEPTED}") from None
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
        query = parse_qs(parts.query, keep_blank_values=True)
        unknown = set(query) - {"schema"}
        if unknown:
            raise StorageError(f"unknown URL parameter {sorted(unknown)[0]!r}; only ?schema=name is accepted")
        schema = _schema(query.get("schema", ["public"]))
        return Database(
            "postgresql", host=parts.hostname, port=port, user=unquote(parts.username or ""),
            password=unquote(parts.password or ""), dbname=dbname, schema=schema,
        )
    raise StorageError(f"unknown database URL scheme {parts.scheme!r}; accepted: {ACCEPTED}")


def _schema(values: list[str]) -> str:
    """The PostgreSQL schema of `?schema=`: one plain identifier, exactly as it is named in the database."""
    if len(values) != 1:
        raise StorageError("the URL gives ?schema= more than once; give it once, e.g. ?schema=hubei")
    schema = values[0]
    if not _IDENTIFIER.fullmatch(schema) or len(schema.encode()) > MAX_IDENTIFIER:
        raise StorageError(f"the URL's schema {schema!r} is not a valid PostgreSQL schema name: use 1–"
                           f"{MAX_IDENTIFIER} letters, digits or underscores, starting with a letter or underscore, "
                           "with no spaces or quotes (e.g. ?schema=hubei)")
    return schema


def _sqlite(path: str) -> Database:
    if not path or path == ":memory:" or path.startswith("file:"):
        raise StorageError(f"the ledger is never kept in memory; name a file. Accepted: {ACCEPTED}")
    if Path(path).is_dir():
        raise StorageError(f"{path} is a directory; name a database file inside it, e.g. {path}/cadre-ledger.db")
    return Database("sqlite", path=path)
