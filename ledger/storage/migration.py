"""Copying a ledger to another database, byte for byte: events with their positions, recorded times
(inside the stored bytes) and seals, so that `verify` passes there against the same checkpoints."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from ledger.errors import LedgerError
from ledger.storage.meta import read_meta
from ledger.storage.session import Cursor, Session
from ledger.storage.tables import EVENT_COLUMNS, HEAD_COLUMNS, SIDE_TABLES

PAGE = 5000


def migrate(source: Session, target: Session, progress: Callable[[int], None] | None = None) -> int:
    """Copy every event, decision-index row and seal of `source` into the empty ledger `target`."""
    with target.transaction(commit=False) as c:
        if c.execute(f"SELECT 1 FROM {target.tables.events} LIMIT 1").fetchone() is not None:
            raise LedgerError(f"the target ledger {target.database.redacted()} is not empty; "
                              "migrate into a new database")
    copied = _copy_events(source, target, progress)
    for table, columns, key in SIDE_TABLES:
        _copy_table(source, target, table, columns, key)
    _copy_meta(source, target)
    with source.transaction(commit=False) as c:
        head = c.execute(source.tables.seal_sql.read_head).fetchone()
    if head is not None:
        with target.transaction() as c:
            c.execute(f"UPDATE {target.tables.head} SET {', '.join(f'{h} = ?' for h in HEAD_COLUMNS)} WHERE id = 1",
                      [_plain(v) for v in head])
    return copied


def _copy_events(source: Session, target: Session, progress: Callable[[int], None] | None) -> int:
    page = source.tables.events_page()
    insert = (f"INSERT INTO {target.tables.events} ({target.tables.position}, {', '.join(EVENT_COLUMNS)}) "
              "VALUES (?, ?, ?, ?, ?)")
    postgres = target.dialect == "postgresql"
    after, copied = 0, 0
    while True:
        with source.transaction(commit=False) as c:
            c.raw.execute(page, (after, PAGE))
            rows = c.fetchall()
        if not rows:
            return copied
        with target.transaction() as c:
            c.executemany(insert, [(p, _originator(o, postgres), v, t, bytes(s)) for p, o, v, t, s in rows])
            if postgres:
                _advance_sequence(c, target.tables.events, rows[-1][0])
        after = rows[-1][0]
        copied += len(rows)
        if progress:
            progress(len(rows))


def _copy_table(source: Session, target: Session, table: str, columns: tuple[str, ...], key: str) -> None:
    after: Any = None
    insert = f"INSERT INTO {target.tables.name(table)} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    while True:
        with source.transaction(commit=False) as c:
            statement = source.tables.side_table_page(table, columns, key, first=after is None)
            c.raw.execute(statement, (PAGE,) if after is None else (after, PAGE))
            rows = c.fetchall()
        if not rows:
            return
        with target.transaction() as c:
            c.executemany(insert, [tuple(_plain(v) for v in r) for r in rows])
        after = rows[-1][columns.index(key)]


def _copy_meta(source: Session, target: Session) -> None:
    """What the source ledger records about itself (encrypted or not, its key's fingerprint) replaces what the
    empty target recorded when it was opened: the copy is the source's, keyed alike."""
    known = read_meta(source)
    if not known:
        return  # a ledger of an earlier release: the target finds out from its first event
    with target.transaction() as c:
        c.execute(f"DELETE FROM {target.tables.meta}")
        c.executemany(f"INSERT INTO {target.tables.meta} (name, value) VALUES (?, ?)", list(known.items()))


def _plain(value: Any) -> Any:
    return bytes(value) if isinstance(value, memoryview) else value


def _originator(value: Any, postgres: bool) -> Any:
    uuid = value if isinstance(value, UUID) else UUID(str(value))
    return uuid if postgres else uuid.hex


def _advance_sequence(c: Cursor, events: str, value: int) -> None:
    c.execute("SELECT setval(pg_get_serial_sequence(?, 'notification_id'), ?)", (events, value))
