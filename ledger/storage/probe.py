"""Before a read opens a ledger: is there one, and may this process write to it? Asked without creating or
changing anything (a read never creates a database, a table or a column).

A read-only SQLite file (an auditor's copy) is opened read-only, or immutable where even its lock files
cannot be made; a read-only PostgreSQL session (a hot standby, a read-only role) is recognised, so that
queries answer without writing.
"""
from __future__ import annotations

import os
import sqlite3
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ledger.errors import StorageError
from ledger.storage.failures import first_line, storage_failure
from ledger.storage.tables import EVENTS
from ledger.storage.url import Database

CREATED_BY = "a ledger is created by `cadre-ledger import`, `record` or `demo`"


@dataclass(frozen=True)
class Access:
    """How a read may open an existing ledger."""

    writable: bool
    why_not: str | None = None  # why this process may not write, for the notes a read prints
    sqlite_uri: str | None = None  # the read-only URI to open a SQLite file with


def probe(db: Database, connection: Any = None) -> Access:
    """How the ledger at `db` may be opened for reading; StorageError (exit 2) when there is no ledger there.
    On PostgreSQL it asks on `connection` when given (kept open), else on a connection of its own."""
    return _probe_sqlite(db) if db.kind == "sqlite" else _probe_postgres(db, connection)


def _probe_sqlite(db: Database) -> Access:
    path = Path(db.path)
    if not path.exists():
        raise StorageError(f"no ledger at {db.path}: there is no such file; check the path ({CREATED_BY})")
    absolute = quote(str(path.resolve()))
    if not _in_wal_mode(path):  # opening it to write would convert it: read it as it stands
        return Access(False, f"{db.path} is in rollback-journal mode (an earlier release's); the next write "
                             "converts it", f"file:{absolute}?mode=ro&immutable=1")
    writable = _writable(path.resolve())
    for uri in (f"file:{absolute}?mode=ro", f"file:{absolute}?mode=ro&immutable=1"):
        try:
            with sqlite3.connect(uri, uri=True) as conn:
                found = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
                                     (EVENTS["sqlite"],)).fetchone()[0]
            break
        except sqlite3.OperationalError as error:
            if "unable to open" not in str(error) or "immutable" in uri or Path(f"{path}-wal").exists():
                raise StorageError(f"no ledger at {db.path}: {first_line(error)}; {CREATED_BY}") from None
        except sqlite3.DatabaseError as error:  # not a database at all
            raise StorageError(f"no ledger at {db.path}: {first_line(error)}; {CREATED_BY}") from None
    if not found:
        raise StorageError(f"no ledger at {db.path}: the file holds no ledger; check the path ({CREATED_BY})")
    if writable:
        return Access(True)
    return Access(False, f"{db.path} is read-only", uri)


def _in_wal_mode(path: Path) -> bool:
    """Whether a SQLite file is in WAL mode (its header's read and write versions are 2); a file too short
    to have a header is left to SQLite to judge."""
    with open(path, "rb") as file:
        header = file.read(20)
    return len(header) < 20 or header[18:20] == b"\x02\x02"


def _writable(path: Path) -> bool:
    """Whether this process could write the file and its WAL beside it (asked without writing): not on a
    read-only file system, not an immutable or read-only file, in a folder where the WAL may be made."""
    if os.statvfs(path).f_flag & os.ST_RDONLY:
        return False
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if file.exists():
            try:
                with open(file, "r+b"):
                    pass
            except OSError:
                return False
    return os.access(path.parent, os.W_OK)


def _probe_postgres(db: Database, connection: Any = None) -> Access:
    import psycopg

    events = f'"{db.schema}"."{EVENTS["postgresql"]}"'
    try:
        with nullcontext(connection) if connection is not None else db.connect() as conn:
            if conn.execute("SELECT to_regclass(%s)", (events,)).fetchone()[0] is None:
                raise StorageError(f"no ledger at {db.redacted()}: the schema holds no ledger; check the URL's "
                                   f"database and ?schema= ({CREATED_BY})")
            standby, read_only, may_insert = conn.execute(
                "SELECT pg_is_in_recovery(), current_setting('transaction_read_only') = 'on', "
                "has_table_privilege(%s, 'INSERT')", (events,)).fetchone()
    except (psycopg.Error, OSError) as error:
        raise storage_failure(db, error, "open") from None
    if standby:
        return Access(False, "the PostgreSQL server is a standby")
    if read_only:
        return Access(False, "the PostgreSQL session is read-only")
    if not may_insert:
        return Access(False, f"the role {db.user or 'in use'} may not write to the ledger")
    return Access(True)
