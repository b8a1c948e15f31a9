"""The sealed tree as stored: its head, one event's seal, interior nodes, and proofs made from them.

Every function takes a DB-API cursor inside the caller's read transaction and the database's `Tables`.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from ledger.errors import IntegrityFailure, NotFound
from ledger.integrity.hashes import GENESIS, leaf_hash
from ledger.integrity.merkle import (
    GetNode,
    consistency_proof,
    inclusion_proof,
    node_key,
    root_from_frontier,
    subtree_root,
    unpack_frontier,
)
from ledger.integrity.sealing import stored_head
from ledger.storage.tables import Tables


class Head(NamedTuple):
    """The sealed tree as of the last seal: its size, Merkle root and hash-chain head."""

    size: int
    root: bytes
    chain_head: bytes


class Seal(NamedTuple):
    """One event's seal."""

    position: int
    leaf_index: int
    originator_id: str
    originator_version: int
    event_hash: bytes
    chain_hash: bytes


def current_head(cursor: Any, tables: Tables) -> Head:
    """The sealed tree's size, Merkle root and chain head."""
    head = stored_head(cursor, tables)
    if head is None:
        return Head(0, root_from_frontier([]), GENESIS)
    return Head(head.size, root_from_frontier(unpack_frontier(head.frontier, head.size)), head.chain_head)


def _as_seal(row: Sequence[Any]) -> Seal:
    return Seal(int(row[0]), int(row[1]), row[2], int(row[3]), bytes(row[4]), bytes(row[5]))


def seal_of(cursor: Any, tables: Tables, position: int) -> Seal | None:
    """The seal of the event at `position`, or None if none."""
    cursor.execute(tables.seal_sql.select_seal, (position,))
    row = cursor.fetchone()
    return None if row is None else _as_seal(row)


def seal_at_leaf(cursor: Any, tables: Tables, leaf_index: int) -> Seal:
    """The seal with `leaf_index`, found by bisecting positions (they grow with leaf indexes)."""
    head = stored_head(cursor, tables)
    if head is None or not 0 <= leaf_index < head.size:
        size = head.size if head else 0
        raise NotFound(f"no sealed event has leaf index {leaf_index}; the tree has {size}")
    lo, hi = leaf_index + 1, head.last_position - (head.size - 1 - leaf_index)
    guess = lo
    while lo <= hi:
        cursor.execute(tables.seal_sql.seal_at_or_after, (guess,))
        row = cursor.fetchone()
        if row is None:
            hi = guess - 1
        elif int(row[1]) == leaf_index:
            return _as_seal(row)
        elif int(row[1]) < leaf_index:
            lo = max(int(row[0]), guess) + 1
        else:
            hi = guess - 1
        guess = (lo + hi) // 2
    raise IntegrityFailure(f"the seals do not hold leaf index {leaf_index}; run `cadre-ledger verify`")


def get_node(cursor: Any, tables: Tables, level: int, idx: int) -> bytes:
    """The stored complete Merkle node at (level, idx); level 0 is a seal's leaf hash."""
    if level == 0:
        return leaf_hash(seal_at_leaf(cursor, tables, idx).event_hash)
    cursor.execute(tables.seal_sql.select_node, (node_key(level, idx),))
    row = cursor.fetchone()
    if row is None:
        raise IntegrityFailure(f"Merkle node ({level}, {idx}) is missing; run `cadre-ledger verify`")
    return bytes(row[0])


def node_reader(cursor: Any, tables: Tables) -> GetNode:
    """A `get_node(level, idx)` callback reading through `cursor`."""
    return lambda level, idx: get_node(cursor, tables, level, idx)


def root_at(cursor: Any, tables: Tables, size: int) -> bytes:
    """The Merkle root of the first `size` sealed events, from stored nodes."""
    if size == 0:
        return root_from_frontier([])
    return subtree_root(0, size, node_reader(cursor, tables), {})


def prove_inclusion(
    cursor: Any, tables: Tables, position: int, tree_size: int | None = None
) -> tuple[Seal, int, list[bytes], bytes]:
    """For the event at `position`: its seal, the tree size, the audit path and the root at that size."""
    found = seal_of(cursor, tables, position)
    if found is None:
        raise NotFound(f"no sealed event at position {position}")
    sealed = current_head(cursor, tables).size
    size = sealed if tree_size is None else tree_size
    if not found.leaf_index < size <= sealed:
        raise NotFound(f"position {position} (leaf {found.leaf_index}) is not among the first {size} of "
                       f"{sealed} sealed events; prove it against a later checkpoint")
    path = inclusion_proof(found.leaf_index, size, node_reader(cursor, tables))
    return found, size, path, root_at(cursor, tables, size)


def prove_consistency(cursor: Any, tables: Tables, old_size: int, new_size: int) -> list[bytes]:
    """RFC 6962 consistency proof between two sizes of the sealed tree, from stored nodes."""
    sealed = current_head(cursor, tables).size
    if new_size > sealed:
        raise IntegrityFailure(
            f"the checkpoint covers {new_size} events but the log has only {sealed} sealed; "
            "events were removed, or the checkpoint belongs to another ledger"
        )
    return consistency_proof(old_size, new_size, node_reader(cursor, tables))
