"""A faster confirmation that a large SQLite log is intact, on two processes; any doubt: the exact pass.

A forked child recomputes every event hash from the stored rows and checks it, with the leaf index, against
the seal at the same position. The parent, meanwhile, recomputes the hash chain and the Merkle tree from the
sealed event hashes and checks the stored chain hashes and nodes. When both sides agree on the count and last
position and the head matches, the log is what the exact single pass would have found intact: every event has
its seal, no seal lacks its event (equal counts), and the chain and tree over the sealed hashes are those over
the recomputed ones. Anything else (a mismatch, a damaged value, a concurrent append between the two
snapshots, a failed child) gives None, and the caller runs the exact pass, which says where.
"""
from __future__ import annotations

import os
import pickle
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from itertools import chain as chained
from itertools import islice
from typing import Any
from urllib.parse import quote

from ledger.integrity.hashes import EMPTY_ROOT, GENESIS, UNREADABLE, event_hashes
from ledger.integrity.merkle import extend, parts_at, root_from_frontier
from ledger.integrity.sealed_log import PAGE
from ledger.integrity.sealing import StoredHead
from ledger.storage.tables import Tables

PARALLEL_MIN = 50_000
Tree = tuple[int, int, bytes, list[bytes], dict[int, bytes], dict[int, int]]


def usable(connection: sqlite3.Connection, tables: Tables) -> str | None:
    """The database file to reopen in a child, when two processes are worth it here; else None."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if not hasattr(os, "fork") or threading.active_count() > 1 or cores < 2:
        return None
    row = _one(connection, f"SELECT size FROM {tables.head} WHERE id = 1")
    if row is None or type(row[0]) is not int or row[0] < PARALLEL_MIN:
        return None
    path = next((r[2] for r in connection.execute("PRAGMA database_list") if r[1] == "main"), "")
    return path or None


def confirm(connection: sqlite3.Connection, path: str, tables: Tables,
            sizes: Iterable[int]) -> tuple[StoredHead, Tree] | None:
    """(head, tree) when the log in `connection`'s read transaction is intact, else None (which does not
    mean tampered: the caller then runs the exact pass)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never touches the parent's connection
        status = 1
        try:
            os.close(read)
            child = sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True)
            child.execute("BEGIN")
            with os.fdopen(write, "wb") as out:
                out.write(pickle.dumps(_events_match(child, tables)))
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    try:
        tree = _tree(connection, tables, sizes)
    except Exception:  # noqa: BLE001 - a damaged value: the exact pass will say which
        tree = None
    finally:
        with os.fdopen(read, "rb") as incoming:
            data = incoming.read()
        os.waitpid(pid, 0)
    events = pickle.loads(data) if data else None
    head = _one(connection, tables.seal_sql.read_head)
    if tree is None or events is None or events != tree[:2] or head is None:
        return None
    if head != (tree[0], tree[1], tree[2], b"".join(tree[3])):
        return None
    return StoredHead(*head), tree


def _events_match(connection: sqlite3.Connection, tables: Tables) -> tuple[int, int] | None:
    """(count, last position) when every event's recomputed hash and leaf index match the seal at its
    position; else None."""
    size = position = 0
    try:
        for page in _pages(connection, tables.sealed_events_page(), (-(1 << 63),)):
            digests = event_hashes(row[1:5] for row in page)
            if (UNREADABLE in digests or [r[6] for r in page] != digests
                    or [r[5] for r in page] != list(range(size, size + len(page)))):
                return None
            size += len(page)
            position = page[-1][0]
    except Exception:  # noqa: BLE001 - text that is not UTF-8: the exact pass will say which
        return None
    return size, position


def _tree(connection: sqlite3.Connection, tables: Tables, sizes: Iterable[int]) -> Tree | None:
    """The chain and tree over the sealed event hashes, or None when a stored chain hash or node disagrees."""
    wanted = set(sizes)
    cuts = sorted(s for s in wanted if s > 0)
    roots_at = {0: EMPTY_ROOT} if 0 in wanted else {}
    positions_at: dict[int, int] = {}
    nodes = chained.from_iterable(_pages(connection, tables.nodes_after, (-(1 << 63),)))
    frontier: list[bytes] = []
    size, chain, position = 0, GENESIS, 0
    for page in _pages(connection, tables.all_seals):
        for part in parts_at(page, size, cuts):
            chains, completed, chain = extend(size, chain, frontier, [row[1] for row in part])
            if [row[2] for row in part] != chains or list(islice(nodes, len(completed))) != completed:
                return None
            size += len(part)
            position = part[-1][0]
            if size in wanted:
                roots_at[size], positions_at[size] = root_from_frontier(frontier), position
    if next(nodes, None) is not None:
        return None
    return size, position, chain, frontier, roots_at, positions_at


def _pages(connection: sqlite3.Connection, statement: str, params: tuple[Any, ...] = ()) -> Iterator[list[Any]]:
    """The rows of `statement` as plain tuples, a page at a time."""
    cursor = connection.cursor()
    cursor.row_factory = None  # the application's connection makes sqlite3.Row rows
    cursor.execute(statement, params)
    while page := cursor.fetchmany(PAGE):
        yield page


def _one(
    connection: sqlite3.Connection, statement: str, params: tuple[Any, ...] = ()
) -> tuple[Any, ...] | None:
    """The first row of `statement` as a plain tuple (the application's connection makes sqlite3.Row rows)."""
    cursor = connection.cursor()
    cursor.row_factory = None
    row = cursor.execute(statement, params).fetchone()
    return None if row is None else tuple(row)
