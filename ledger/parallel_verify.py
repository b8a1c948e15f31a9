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

import hashlib
import os
import pickle
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from itertools import chain as chained
from typing import Any
from urllib.parse import quote

from ledger.integrity import _EVENT_HEADER, _EVENT_TAG, EMPTY_ROOT, GENESIS, root_from_frontier
from ledger.seal_reader import PAGE
from ledger.sealing import HEAD, NODES, SEALS, StoredHead, qualify

PARALLEL_MIN = 50_000
Tree = tuple[int, int, bytes, list[bytes], dict[int, bytes], dict[int, int]]
_SEALS, _NODES, _HEAD = qualify(SEALS), qualify(NODES), qualify(HEAD)


def usable(connection: sqlite3.Connection) -> str | None:
    """The database file to reopen in a child, when two processes are worth it here; else None."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if not hasattr(os, "fork") or threading.active_count() > 1 or cores < 2:
        return None
    row = _one(connection, f"SELECT size FROM {_HEAD} WHERE id = 1")
    if row is None or type(row[0]) is not int or row[0] < PARALLEL_MIN:
        return None
    path = next((r[2] for r in connection.execute("PRAGMA database_list") if r[1] == "main"), "")
    return path or None


def confirm(connection: sqlite3.Connection, path: str, events_table: str,
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
                out.write(pickle.dumps(_events_match(child, events_table)))
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    try:
        tree = _tree(connection, sizes)
    except Exception:  # a damaged value: the exact pass will say which
        tree = None
    finally:
        with os.fdopen(read, "rb") as incoming:
            data = incoming.read()
        os.waitpid(pid, 0)
    events = pickle.loads(data) if data else None
    head = _one(connection, f"SELECT size, last_position, chain_head, frontier FROM {_HEAD} WHERE id = 1")
    if tree is None or events is None or events != tree[:2] or head is None:
        return None
    if head != (tree[0], tree[1], tree[2], b"".join(tree[3])):
        return None
    return StoredHead(*head), tree


def _events_match(connection: sqlite3.Connection, events_table: str) -> tuple[int, int] | None:
    """(count, last position) when every event's recomputed hash and leaf index match the seal at its
    position; else None."""
    sha, pack, tag = hashlib.sha256, _EVENT_HEADER, _EVENT_TAG
    cursor = connection.cursor()
    cursor.execute(f"SELECT e.rowid, e.originator_id, e.originator_version, e.topic, e.state, s.leaf_index, "
                   f"s.event_hash FROM {qualify(events_table)} e LEFT JOIN {_SEALS} s "
                   "ON s.position = e.rowid ORDER BY e.rowid")
    oids: dict[Any, bytes] = {}
    topics: dict[Any, bytes] = {}
    size = position = 0
    try:
        while page := cursor.fetchmany(PAGE):
            for position, originator_id, version, topic, state, leaf, sealed in page:
                oid = oids.get(originator_id)
                if oid is None:
                    oid = oids[originator_id] = originator_id.encode()
                top = topics.get(topic)
                if top is None:
                    top = topics[topic] = topic.encode()
                digest = sha(pack(tag, len(oid), version, len(top), len(state)) + oid + top + state).digest()
                if sealed != digest or leaf != size:
                    return None
                size += 1
            if len(oids) > PAGE:
                oids.clear()
    except Exception:  # a value whose type was changed, or text that is not UTF-8
        return None
    return size, position


def _tree(connection: sqlite3.Connection, sizes: Iterable[int]) -> Tree | None:
    """The chain and tree over the sealed event hashes, or None when a stored chain hash or node disagrees."""
    sha = hashlib.sha256
    wanted = iter(sorted(s for s in set(sizes) if s > 0))
    next_wanted = next(wanted, -1)
    roots_at = {0: EMPTY_ROOT} if 0 in set(sizes) else {}
    positions_at: dict[int, int] = {}
    nodes = chained.from_iterable(_pages(connection, f"SELECT node_key, hash FROM {_NODES} "
                                                     "ORDER BY node_key"))
    stored_node = next(nodes, None)
    frontier: list[bytes] = []
    pop, push = frontier.pop, frontier.append
    size, chain, position = 0, GENESIS, 0
    seals = f"SELECT position, event_hash, chain_hash FROM {_SEALS} ORDER BY position"
    for page in _pages(connection, seals):
        for position, digest, sealed_chain in page:
            chain = sha(b"\x02" + chain + digest).digest()
            if sealed_chain != chain:
                return None
            node = sha(b"\x00" + digest).digest()
            if size & 1:
                index, key = size, size << 6
                while index & 1:
                    node = sha(b"\x01" + pop() + node).digest()
                    index >>= 1
                    key += 1
                    if stored_node is None or stored_node[0] != key or stored_node[1] != node:
                        return None
                    stored_node = next(nodes, None)
            push(node)
            size += 1
            if size == next_wanted:
                roots_at[size], positions_at[size] = root_from_frontier(frontier), position
                next_wanted = next(wanted, -1)
    if stored_node is not None:
        return None
    return size, position, chain, frontier, roots_at, positions_at


def _pages(connection: sqlite3.Connection, statement: str) -> Iterator[list[Any]]:
    """The rows of `statement` as plain tuples, a page at a time."""
    cursor = connection.cursor()
    cursor.row_factory = None  # the application's connection makes sqlite3.Row rows
    cursor.execute(statement)
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
