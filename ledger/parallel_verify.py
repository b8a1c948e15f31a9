"""A faster confirmation that a large SQLite log is intact, on two processes; any doubt falls back to the exact pass.

A forked child recomputes every event hash from the stored rows and checks it against the seal at the same
position, with its leaf index. The parent, meanwhile, recomputes the hash chain and the Merkle tree from the
sealed event hashes and checks the stored chain hashes and nodes. When both agree on the count and last
position and the head matches, the log is exactly what a single pass would have found intact: every event has
its seal, no seal lacks its event (equal counts), and the chain and tree over the sealed hashes are the chain
and tree over the recomputed ones. Anything else (a mismatch, a damaged value, a concurrent append between the
two snapshots, a failed child) returns None, and the caller runs the exact single pass, which says where.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
import threading
from collections.abc import Iterable
from typing import Any

from ledger.integrity import _EVENT_HEADER, _EVENT_TAG, EMPTY_ROOT, GENESIS, root_from_frontier
from ledger.seal_reader import MIN_KEY, PAGE
from ledger.sealing import HEAD, NODES, SEALS, StoredHead, qualify

PARALLEL_MIN = 50_000
Tree = tuple[int, int, bytes, list[bytes], dict[int, bytes], dict[int, int]]


def usable(connection: sqlite3.Connection) -> str | None:
    """The database file to reopen in a child, when two processes are worth it here; else None."""
    if not hasattr(os, "fork") or threading.active_count() > 1 or len(os.sched_getaffinity(0)) < 2:
        return None
    row = connection.execute(f"SELECT size FROM {qualify(HEAD)} WHERE id = 1").fetchone()
    if row is None or type(row[0]) is not int or row[0] < PARALLEL_MIN:
        return None
    path = next((r[2] for r in connection.execute("PRAGMA database_list") if r[1] == "main"), "")
    return path or None


def confirm(connection: sqlite3.Connection, path: str, events_table: str,
            sizes: Iterable[int]) -> tuple[StoredHead, Tree] | None:
    """(head, tree) when the log in `connection`'s read transaction is intact, else None (not necessarily tampered)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never touches the parent's connection
        status = 1
        try:
            os.close(read)
            child = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
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
    head = connection.execute(f"SELECT size, last_position, chain_head, frontier FROM {qualify(HEAD)} "
                              "WHERE id = 1").fetchone()
    if tree is None or events is None or events != tree[:2] or head is None:
        return None
    stored = StoredHead(*head)
    if (stored.size, stored.last_position, stored.chain_head, stored.frontier) != (
            tree[0], tree[1], tree[2], b"".join(tree[3])):
        return None
    return stored, tree


def _events_match(connection: sqlite3.Connection, events_table: str) -> tuple[int, int] | None:
    """(count, last position) when every event's recomputed hash and leaf index match the seal at its position."""
    sha, pack, tag = hashlib.sha256, _EVENT_HEADER, _EVENT_TAG
    cursor = connection.cursor()
    cursor.execute(f"SELECT e.rowid, e.originator_id, e.originator_version, e.topic, e.state, s.leaf_index, "
                   f"s.event_hash FROM {qualify(events_table)} e LEFT JOIN {qualify(SEALS)} s "
                   "ON s.position = e.rowid ORDER BY e.rowid")
    topics: dict[Any, bytes] = {}
    size = position = 0
    try:
        while page := cursor.fetchmany(PAGE):
            for position, originator_id, version, topic, state, leaf, sealed in page:
                oid = originator_id.encode()
                top = topics.get(topic)
                if top is None:
                    top = topics[topic] = topic.encode()
                if sealed != sha(pack(tag, len(oid), version, len(top), len(state)) + oid + top + state).digest() \
                        or leaf != size:
                    return None
                size += 1
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
    computed: list[bytes] = []
    add, checked = computed.append, MIN_KEY
    frontier: list[bytes] = []
    pop, push = frontier.pop, frontier.append
    size, chain, position = 0, GENESIS, 0
    cursor = connection.cursor()
    cursor.execute(f"SELECT position, event_hash, chain_hash FROM {qualify(SEALS)} ORDER BY position")
    while page := cursor.fetchmany(PAGE):
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
                    add(node)
                if len(computed) >= PAGE:
                    if not _nodes_match(connection, checked, key, computed):
                        return None
                    checked = key
                    computed.clear()
            push(node)
            size += 1
            if size == next_wanted:
                roots_at[size], positions_at[size] = root_from_frontier(frontier), position
                next_wanted = next(wanted, -1)
    if computed and not _nodes_match(connection, checked, key, computed):
        return None
    if connection.execute(f"SELECT 1 FROM {qualify(NODES)} WHERE node_key > ? OR node_key <= ? LIMIT 1",
                          (key if computed else checked, MIN_KEY)).fetchone():
        return None
    return size, position, chain, frontier, roots_at, positions_at


def _nodes_match(connection: sqlite3.Connection, after: int, last: int, computed: list[bytes]) -> bool:
    """Whether the stored nodes with keys in (after, last] are exactly `computed`, in key order.

    The keys in that range that are well formed (not negative, level 1..62, the last leaf's low `level` bits all ones)
    are exactly those of the recomputed nodes, so a count of stored keys equal to theirs, none malformed,
    means the same keys; their hashes are then compared as one concatenation.
    """
    count, malformed, hashes = connection.execute(
        f"SELECT count(*), total(node_key < 0 OR (node_key & 63) NOT BETWEEN 1 AND 62 OR typeof(hash) != 'blob' "
        "OR ((node_key >> 6) + 1) % (1 << (node_key & 63)) != 0), CAST(group_concat(hash, x'') AS BLOB) "
        f"FROM (SELECT node_key, hash FROM {qualify(NODES)} WHERE node_key > ? AND node_key <= ? ORDER BY node_key)",
        (after, last)).fetchone()
    return count == len(computed) and malformed == 0 and hashes == b"".join(computed)
