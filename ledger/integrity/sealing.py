"""The seals written with each event, inside the transaction that stores it.

The sealing recorders (named to the library by `RECORDER_TOPICS`) are the storage recorders with two hooks
filled in. `begin` runs first, once the transaction holds the write lock: it locks and reads the head row
and stamps the batch's recording time, never earlier than the last event's. `seal` runs after the events
and their decision-index rows are inserted: it hashes each event in format 2 (binding its position,
recording time and decision-index row), extends the hash chain and the Merkle tree (`merkle.extend`),
inserts one seal per event and the newly completed interior nodes, and moves the head. Both take the
recorder's own DB-API cursor (sqlite3, or psycopg 3 with tuple rows). On PostgreSQL the locked head row is read
instead by `head_statement` in the write's first round trip (`stamp_from` stamps the batch from it), and `seal`
writes through whatever `execute`s statements the recorder gives it: for a small batch, a gatherer whose
statements are sent with the events as one; for COPY_FROM rows or more, the cursor, with COPY. Level 0 of
the tree (leaf hashes) is not stored: it is leaf_hash(event_hash) of the seal with that leaf index.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain
from typing import Any, NamedTuple

from ledger.errors import IntegrityFailure
from ledger.integrity.hashes import CURRENT_FORMAT, GENESIS, event_hashes, micros, moment_of
from ledger.integrity.merkle import extend, pack_frontier, unpack_frontier
from ledger.storage.sqlite import LedgerSQLiteRecorder
from ledger.storage.tables import COPY_FROM, HEAD_COLUMNS, SealSql, Tables

RECORDER_TOPICS = {
    "sqlite": "ledger.integrity.sealing:SealingSQLiteRecorder",
    "postgresql": "ledger.integrity.sealing:SealingPostgresRecorder",  # imports psycopg only when used
}
# What the recorder inserted: position, originator id, version, topic, stored state, decision ref, content hash
InsertedRow = tuple[int, str, int, str, bytes, str, str]
# position, leaf index, originator id, version, event hash, chain hash, format, recorded_at (µs)
SealTuple = tuple[int, int, str, int, bytes, bytes, int, int]
ROWS_PER_INSERT = 100
SEAL_TYPES = ("int8", "int8", "text", "int8", "bytea", "bytea", "int8", "int8")
NODE_TYPES = ("int8", "bytea")


class StoredHead(NamedTuple):
    """The head row as stored: tree size, last sealed position, chain head and the packed frontier."""

    size: int
    last_position: int
    chain_head: bytes
    frontier: bytes


@dataclass(frozen=True)
class Stamp:
    """A write transaction's recording time, and the head row it locked."""

    now: datetime
    head: StoredHead | None


def stored_head(cursor: Any, sql: SealSql, lock: bool = False) -> StoredHead | None:
    """The head row as stored, or None before the tables were initialised."""
    cursor.execute(sql.lock_head if lock else sql.read_head)
    row = cursor.fetchone()
    return None if row is None else StoredHead(int(row[0]), int(row[1]), bytes(row[2]), bytes(row[3]))


def begin(cursor: Any, tables: Tables) -> Stamp:
    """Lock the head row and stamp the recording time: now, or the last event's time if the clock is behind it,
    so that recording times never decrease along positions."""
    head = stored_head(cursor, tables.seal_sql, lock=True)
    last_at = None
    if head is not None and head.size:
        cursor.execute(tables.seal_sql.last_recorded_at, (head.last_position,))
        row = cursor.fetchone()
        last_at = None if row is None else row[0]
    return stamped(head, last_at)


def stamped(head: StoredHead | None, last_at: int | None) -> Stamp:
    """The stamp of a transaction that locked `head`, after an event recorded at `last_at` (µs, or None)."""
    now = datetime.now(UTC)
    if last_at is not None:
        now = max(now, moment_of(int(last_at)))
    return Stamp(now, head)


def head_statement(tables: Tables) -> str:
    """The head row, locked, with the recording time of its last event: what `stamp_from` takes (PostgreSQL)."""
    head = ", ".join(f"h.{c}" for c in HEAD_COLUMNS)
    return (f"SELECT {head}, (SELECT s.recorded_at FROM {tables.seals} s WHERE s.position = h.last_position "
            f"AND h.size > 0) FROM {tables.head} h WHERE h.id = 1 FOR UPDATE")


def stamp_from(row: Sequence[Any] | None) -> Stamp:
    """The stamp of a transaction whose `head_statement` gave `row`."""
    if row is None:
        return stamped(None, None)
    return stamped(StoredHead(int(row[0]), int(row[1]), bytes(row[2]), bytes(row[3])), row[4])


def seal(cursor: Any, tables: Tables, rows: Sequence[InsertedRow], stamp: Stamp) -> None:
    """Seal the rows just inserted, in log order, in the caller's transaction begun with `begin`."""
    if not rows:
        return
    sql = tables.seal_sql
    head = stamp.head
    size, last, chain_head, frontier = (0, 0, GENESIS, []) if head is None else (
        head.size, head.last_position, head.chain_head, unpack_frontier(head.frontier, head.size))
    previous = last
    for row in rows:
        if row[0] <= previous:
            raise IntegrityFailure(
                f"cannot seal position {row[0]} after position {previous}: "
                "events must be sealed in log order, once each"
            )
        previous = row[0]
    seals, nodes, chain_head = seal_rows(size, chain_head, frontier, rows, micros(stamp.now))
    if tables.dialect == "postgresql" and len(rows) >= COPY_FROM:
        from ledger.storage.postgres import copy_rows  # the driver is loaded only for PostgreSQL ledgers

        copy_rows(cursor, sql.copy_seals, SEAL_TYPES, seals)  # a quarter less time than INSERT … FROM unnest
        copy_rows(cursor, sql.copy_nodes, NODE_TYPES, nodes)
    elif tables.dialect == "postgresql":  # in pipeline mode (see `ledger.storage.postgres`): no COPY
        _unnest_postgres(cursor, sql.insert_seals, SEAL_TYPES, seals)
        _unnest_postgres(cursor, sql.insert_nodes, NODE_TYPES, nodes)
    else:
        _insert_sqlite(cursor, sql.insert_seals, seals)
        _insert_sqlite(cursor, sql.insert_nodes, nodes)
    values = (size + len(seals), previous, chain_head, pack_frontier(frontier))
    cursor.execute(sql.insert_head if head is None else sql.update_head, values)


def seal_rows(size: int, chain_head: bytes, frontier: list[bytes], rows: Sequence[InsertedRow], recorded_at: int
              ) -> tuple[list[SealTuple], list[tuple[int, bytes]], bytes]:
    """The seals (format 2) of `rows` appended at leaf `size`, the interior nodes they complete, and the new
    chain head; `frontier` is updated in place."""
    fmt = CURRENT_FORMAT
    digests = event_hashes((fmt, p, oid, v, topic, state, ref, chash, recorded_at)
                           for p, oid, v, topic, state, ref, chash in rows)
    chains, nodes, chain_head = extend(size, chain_head, frontier, digests)
    seals = [(row[0], size + n, row[1], row[2], digest, link, fmt, recorded_at)
             for n, (row, digest, link) in enumerate(zip(rows, digests, chains))]
    return seals, nodes, chain_head


def _unnest_postgres(cursor: Any, insert: str, types: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert `rows` with one INSERT … SELECT FROM unnest of one array per column (no result to wait for)."""
    if not rows:
        return
    head = insert.split(" VALUES ", maxsplit=1)[0]
    arrays = ", ".join(f"%s::{t}[]" for t in types)
    cursor.execute(f"{head} SELECT * FROM unnest({arrays})", [list(column) for column in zip(*rows)])


def _insert_sqlite(cursor: Any, insert: str, rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert `rows` with statements of ROWS_PER_INSERT rows each (a third less time than one row each)."""
    if not rows:
        return
    full = len(rows) - len(rows) % ROWS_PER_INSERT
    if full:
        step = len(rows[0]) * ROWS_PER_INSERT
        flat = list(chain.from_iterable(rows))
        head, marks = insert.split(" VALUES ")
        cursor.executemany(f"{head} VALUES {', '.join([marks] * ROWS_PER_INSERT)}",
                           [flat[i:i + step] for i in range(0, full * len(rows[0]), step)])
    if full < len(rows):
        cursor.executemany(insert, rows[full:])


class SealingSQLiteRecorder(LedgerSQLiteRecorder):
    """The SQLite recorder that seals every event in the transaction that inserts it."""

    def begin(self, cursor: Any) -> Stamp:
        return begin(cursor, self.tables)

    def seal_rows(self, cursor: Any, rows: Sequence[InsertedRow], stamp: Any) -> None:
        seal(cursor, self.tables, rows, stamp)


def __getattr__(name: str) -> Any:
    """`SealingPostgresRecorder`, made on first use: it needs the PostgreSQL driver, which SQLite ledgers
    never import."""
    if name == "SealingPostgresRecorder":
        from ledger.storage.postgres import LedgerPostgresRecorder

        class SealingPostgresRecorder(LedgerPostgresRecorder):
            """The PostgreSQL recorder that seals every event in the transaction that inserts it."""

            def begin_statement(self) -> str:
                return head_statement(self.tables)

            def begin_from(self, row: Sequence[Any] | None) -> Stamp:
                return stamp_from(row)

            def seal_rows(self, cursor: Any, rows: Sequence[InsertedRow], stamp: Any) -> None:
                seal(cursor, self.tables, rows, stamp)

        SealingPostgresRecorder.__module__ = __name__
        globals()[name] = SealingPostgresRecorder
        return SealingPostgresRecorder
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
