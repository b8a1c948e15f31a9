"""A faster confirmation that a large SQLite log is intact, on two processes; any doubt: the exact pass.

A forked child recomputes the hash of every event up to a cut (most of the log) from the stored rows and
checks it, with the leaf index, against the seal at the same position. The parent, meanwhile, recomputes the
hash chain and the Merkle tree from the sealed event hashes and checks the stored chain hashes and nodes, then
checks the events after the cut as the child checks its own. When the two parts join (the leaf indexes after
the cut follow on from the child's count), they agree with the tree on the count and last position, and the
head matches, the log is what the exact single pass would have found intact: every event has
its seal, no seal lacks its event (equal counts), and the chain and tree over the sealed hashes are those over
the recomputed ones. Anything else (a mismatch, a damaged value, a concurrent append between the two
snapshots, a failed child) gives None, and the caller runs the exact pass, which says where.
"""
from __future__ import annotations

import os
import pickle
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from itertools import chain as chained
from itertools import islice
from typing import Any
from urllib.parse import quote

from ledger.integrity.hashes import EMPTY_ROOT, GENESIS, UNREADABLE, joined_event_hashes
from ledger.integrity.merkle import extend, parts_at, root_from_frontier
from ledger.integrity.sealed_log import PAGE
from ledger.integrity.sealing import StoredHead
from ledger.storage.tables import Tables

PARALLEL_MIN = 50_000
# The child hashes the events up to this share of the last position; the parent hashes the rest and also
# recomputes the chain and the tree, about as much work again.
CHILD_SHARE = 0.62
MIN_KEY = -(1 << 63)
Progress = Callable[[int], object]
# count, last position, first leaf index (None when there are no events)
Matched = tuple[int, int, int | None]
# size, last position, chain head, frontier, roots and positions at sizes, the first event after each size
Tree = tuple[int, int, bytes, list[bytes], dict[int, bytes], dict[int, int], dict[int, tuple[int, int | None, str]]]


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


def confirm(connection: sqlite3.Connection, path: str, tables: Tables, sizes: Iterable[int],
            progress: Progress | None = None) -> tuple[StoredHead, Tree] | None:
    """(head, tree) when the log in `connection`'s read transaction is intact, else None (which does not
    mean tampered: the caller then runs the exact pass). `progress` is told of each page of seals done."""
    row = _one(connection, f"SELECT last_position FROM {tables.head} WHERE id = 1")
    cut = int(row[0] * CHILD_SHARE) if row is not None and type(row[0]) is int else 0
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never touches the parent's connection
        status = 1
        try:
            os.close(read)
            child = sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True)
            child.execute("BEGIN")
            with os.fdopen(write, "wb") as out:
                out.write(pickle.dumps(_events_match(child, tables, MIN_KEY, cut)))
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    try:
        tree = _tree(connection, tables, sizes, progress)
        rest = _events_match(connection, tables, cut, None) if tree is not None else None
    except Exception:  # noqa: BLE001 - a damaged value: the exact pass will say which
        tree = rest = None
    finally:
        with os.fdopen(read, "rb") as incoming:
            data = incoming.read()
        os.waitpid(pid, 0)
    first = pickle.loads(data) if data else None
    events = _joined(first, rest)
    head = _one(connection, tables.seal_sql.read_head)
    if tree is None or events is None or events != tree[:2] or head is None:
        return None
    if head != (tree[0], tree[1], tree[2], b"".join(tree[3])):
        return None
    for size, (position, at, _) in tree[6].items():
        row = _one(connection, f"SELECT decision_id, stream, originator_version FROM {tables.decisions} d "
                               f"JOIN {tables.seals} s USING (position) WHERE position = ?", (position,))
        who = f"decision {row[0]}, {row[1]} v{row[2]}" if row else "no decision"
        tree[6][size] = (position, at, who)
    return StoredHead(*head), tree


def _joined(first: Matched | None, rest: Matched | None) -> tuple[int, int] | None:
    """(count, last position) of the whole log from the events up to the cut (leaves from 0) and those after
    it (leaves from where the first part ends), or None when either part failed or they do not join."""
    if first is None or rest is None or first[2] not in (None, 0):
        return None
    if rest[0] == 0:
        return first[0], first[1]
    if rest[2] != first[0]:
        return None
    return first[0] + rest[0], rest[1]


def _events_match(connection: sqlite3.Connection, tables: Tables, after: int, upto: int | None) -> Matched | None:
    """(count, last position, first leaf index) of the events after position `after` (and up to `upto`) when
    every event's recomputed hash matches the seal at its position and their leaf indexes follow on from the
    first; else None."""
    size = position = 0
    first: int | None = None
    statement = tables.sealed_events_page(upto=upto is not None)
    try:
        for page in _pages(connection, statement, (after,) if upto is None else (after, upto)):
            digests = joined_event_hashes(page)
            if first is None:
                first = page[0][5]
                if type(first) is not int:
                    return None
            if (UNREADABLE in digests or [r[6] for r in page] != digests
                    or [r[5] for r in page] != list(range(first + size, first + size + len(page)))):
                return None
            size += len(page)
            position = page[-1][0]
    except Exception:  # noqa: BLE001 - text that is not UTF-8: the exact pass will say which
        return None
    return size, position, first


def _tree(connection: sqlite3.Connection, tables: Tables, sizes: Iterable[int], progress: Progress | None = None
          ) -> Tree | None:
    """The chain and tree over the sealed event hashes, or None when a stored chain hash or node disagrees or a
    recording time decreases."""
    wanted = set(sizes)
    cuts = sorted(s for s in wanted if s > 0)
    roots_at = {0: EMPTY_ROOT} if 0 in wanted else {}
    positions_at: dict[int, int] = {}
    first_after: dict[int, tuple[int, int | None, str]] = {}
    nodes = chained.from_iterable(_pages(connection, tables.nodes_after, (MIN_KEY,)))
    frontier: list[bytes] = []
    size, chain, position, last_at = 0, GENESIS, 0, -1
    for page in _pages(connection, tables.all_seals):
        for part in parts_at(page, size, cuts):
            if size in wanted:
                first_after[size] = (part[0][0], part[0][3], "")
            chains, completed, chain = extend(size, chain, frontier, [row[1] for row in part])
            if [row[2] for row in part] != chains or list(islice(nodes, len(completed))) != completed:
                return None
            for row in part:
                if row[3] is not None:
                    if row[3] < last_at:
                        return None
                    last_at = row[3]
            size += len(part)
            position = part[-1][0]
            if size in wanted:
                roots_at[size], positions_at[size] = root_from_frontier(frontier), position
        if progress is not None:
            progress(len(page))
    if next(nodes, None) is not None:
        return None
    return size, position, chain, frontier, roots_at, positions_at, first_after


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
