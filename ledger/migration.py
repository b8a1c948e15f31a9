"""Copying a ledger to another database, byte for byte: events with their positions, recorded times
(inside the stored bytes) and seals, so that `verify` passes there against the same checkpoints."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from ledger.errors import LedgerError
from projections.db import Cursor, Db

PAGE = 5000
SIDE_TABLES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("ledger_decisions", ("decision_id", "content_hash", "stream", "type", "position"), "position"),
    ("ledger_seals", ("position", "leaf_index", "originator_id", "originator_version", "event_hash", "chain_hash"),
     "position"),
    ("ledger_merkle_nodes", ("node_key", "hash"), "node_key"),
)
HEAD_COLUMNS = ("size", "last_position", "chain_head", "frontier")


def migrate(source: Any, target: Any, progress: Callable[[int], None] | None = None) -> int:
    """Copy every event, decision-index row and seal of `source` into the empty ledger `target`."""
    if target.recorder.max_notification_id():
        raise LedgerError(f"the target ledger {target.database.redacted()} is not empty; migrate into a new database")
    src, dst = Db(source), Db(target)
    copied = _copy_events(source, target, src, dst, progress)
    for table, cols, key in SIDE_TABLES:
        _copy_table(src, dst, table, cols, key)
    with src.transaction(commit=False) as c:
        head = c.execute(f"SELECT {', '.join(HEAD_COLUMNS)} FROM ledger_seal_head WHERE id = 1").fetchone()
    if head is not None:
        with dst.transaction() as c:
            c.execute(f"UPDATE ledger_seal_head SET {', '.join(f'{h} = ?' for h in HEAD_COLUMNS)} WHERE id = 1",
                      [bytes(v) if isinstance(v, memoryview) else v for v in head])
    return copied


def _position(db: Db) -> str:
    return "notification_id" if db.postgres else "rowid"


def _copy_events(source: Any, target: Any, src: Db, dst: Db, progress: Callable[[int], None] | None) -> int:
    s_table, d_table = source.recorder.events_table_name, target.recorder.events_table_name
    s_pos, d_pos = _position(src), _position(dst)
    after, copied = 0, 0
    while True:
        with src.transaction(commit=False) as c:
            rows = c.execute(f"SELECT {s_pos}, originator_id, originator_version, topic, state FROM {s_table} "
                             f"WHERE {s_pos} > ? ORDER BY {s_pos} LIMIT ?", (after, PAGE)).fetchall()
        if not rows:
            break
        with dst.transaction() as c:
            c.executemany(f"INSERT INTO {d_table} ({d_pos}, originator_id, originator_version, topic, state) "
                          "VALUES (?, ?, ?, ?, ?)",
                          [(p, _originator(o, dst.postgres), v, t, bytes(s)) for p, o, v, t, s in rows])
            if dst.postgres:
                _advance_sequence(c, d_table, rows[-1][0])
        after = rows[-1][0]
        copied += len(rows)
        if progress:
            progress(len(rows))
    return copied


def _copy_table(src: Db, dst: Db, table: str, cols: tuple[str, ...], key: str) -> None:
    after: Any = None
    names = ", ".join(cols)
    while True:
        with src.transaction(commit=False) as c:
            where, params = (f"WHERE {key} > ? ", [after]) if after is not None else ("", [])
            rows = c.execute(f"SELECT {names} FROM {table} {where}ORDER BY {key} LIMIT ?", [*params, PAGE]).fetchall()
        if not rows:
            return
        with dst.transaction() as c:
            c.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(cols))})",
                          [tuple(bytes(v) if isinstance(v, memoryview) else v for v in r) for r in rows])
        after = rows[-1][cols.index(key)]


def _originator(value: Any, postgres: bool) -> Any:
    uuid = value if isinstance(value, UUID) else UUID(str(value))
    return uuid if postgres else uuid.hex


def _advance_sequence(c: Cursor, table: str, value: int) -> None:
    c.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'notification_id'), ?)", (value,))
