"""Database failures as one-line errors: which are worth a retry, and what to tell the user otherwise."""
from __future__ import annotations

import sqlite3
import sys

from ledger.errors import StorageError
from ledger.storage.url import Database

CONTENTION = ("locked", "busy", "deadlock", "could not serialize", "lock timeout", "could not obtain lock")


def is_contention(error: BaseException) -> bool:
    """Whether a write failed only because another writer got there first (worth retrying)."""
    return any(word in str(error).lower() for word in CONTENTION)


def integrity_errors() -> tuple[type[BaseException], ...]:
    """What a unique or key constraint that refused a row raises: the library's error, sqlite3's, psycopg's."""
    from eventsourcing.persistence import IntegrityError  # imported by whoever opens the library's recorders

    psycopg = sys.modules.get("psycopg")
    return (IntegrityError, sqlite3.IntegrityError, *((psycopg.IntegrityError,) if psycopg is not None else ()))


def driver_errors() -> tuple[type[BaseException], ...]:
    """Every error a database driver raises: the library's, sqlite3's, and psycopg's when it is loaded."""
    from eventsourcing.persistence import PersistenceError  # imported by whoever opens the library's recorders

    psycopg = sys.modules.get("psycopg")
    return (PersistenceError, OSError, sqlite3.Error, *((psycopg.Error,) if psycopg is not None else ()))


def first_line(error: BaseException) -> str:
    """The first line of an error's message, or its type's name when it has none."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def storage_failure(db: Database, error: BaseException, doing: str) -> StorageError:
    """A one-line StorageError for a database that cannot be used, naming it and the fix."""
    reason = first_line(error)
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
