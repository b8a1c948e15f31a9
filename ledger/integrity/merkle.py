"""The RFC 6962 / RFC 9162 Merkle tree (and the hash chain beside it) over event hashes: pure, no I/O.

`extend` is the one loop that grows the chain and the tree, used alike by sealing, by `verify` and by its
two-process form. Interior nodes are keyed by `node_key(level, index)` (last leaf × 64 + level), which grows
in the order nodes are completed.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from ledger.integrity.hashes import CHAIN_PREFIX, EMPTY_ROOT, HASH_SIZE, LEAF_PREFIX, NODE_PREFIX, node_hash

MAX_TREE_SIZE = 1 << 62

GetNode = Callable[[int, int], bytes]
T = TypeVar("T")


def node_key(level: int, index: int) -> int:
    """The storage key of node (level, index): its last leaf's index × 64 + level, growing in append order."""
    return ((((index + 1) << level) - 1) << 6) | level


def node_of_key(key: int) -> tuple[int, int]:
    """The (level, index) of a node from its storage key."""
    level = key & 63
    return level, (((key >> 6) + 1) >> level) - 1


def extend(
    size: int, chain: bytes, frontier: list[bytes], digests: Sequence[bytes]
) -> tuple[list[bytes], list[tuple[int, bytes]], bytes]:
    """Append event hashes as leaves `size`, `size` + 1, …, updating `frontier` in place.

    Returns the chain hash after each event, the new interior nodes as (node_key, hash) in the order they
    are completed, and the new chain head.
    """
    sha = hashlib.sha256
    pop, push = frontier.pop, frontier.append
    chains: list[bytes] = []
    add_chain = chains.append
    nodes: list[tuple[int, bytes]] = []
    add_node = nodes.append
    for digest in digests:
        chain = sha(CHAIN_PREFIX + chain + digest).digest()
        add_chain(chain)
        node = sha(LEAF_PREFIX + digest).digest()
        if size & 1:
            index, key = size, size << 6
            while index & 1:
                node = sha(NODE_PREFIX + pop() + node).digest()
                index >>= 1
                key += 1
                add_node((key, node))
        push(node)
        size += 1
    return chains, nodes, chain


def parts_at(rows: list[T], size: int, sizes: Sequence[int]) -> Iterator[list[T]]:
    """`rows` (whose first is leaf `size`), cut after each tree size in `sizes` (ascending) that falls inside
    them, so that the tree can be read at that size."""
    start = 0
    for cut in sizes:
        if size < cut < size + len(rows):
            yield rows[start:cut - size]
            start = cut - size
    if start < len(rows):
        yield rows[start:]


def root_from_frontier(frontier: Sequence[bytes]) -> bytes:
    """The Merkle tree hash of a tree given by its right-edge perfect subtree roots (left to right)."""
    if not frontier:
        return EMPTY_ROOT
    root = frontier[-1]
    for digest in reversed(frontier[:-1]):
        root = node_hash(digest, root)
    return root


def pack_frontier(frontier: Sequence[bytes]) -> bytes:
    """The frontier as one blob of concatenated 32-byte hashes."""
    return b"".join(frontier)


def unpack_frontier(blob: bytes, size: int) -> list[bytes]:
    """The frontier stored by `pack_frontier`, checked against the tree size it belongs to."""
    count = bin(size).count("1")
    if len(blob) != count * HASH_SIZE:
        raise ValueError(f"frontier holds {len(blob) // HASH_SIZE} hashes, a tree of {size} needs {count}")
    return [bytes(blob[i:i + HASH_SIZE]) for i in range(0, len(blob), HASH_SIZE)]


def _split(width: int) -> int:
    """The largest power of two strictly less than `width` (width >= 2)."""
    return 1 << (width - 1).bit_length() - 1


def subtree_root(start: int, end: int, get_node: GetNode, memo: dict[tuple[int, int], bytes]) -> bytes:
    """MTH(D[start:end]) from stored complete nodes; `start` is aligned as in RFC 6962 decompositions."""
    width = end - start
    if width & (width - 1) == 0:
        level = width.bit_length() - 1
        return get_node(level, start >> level)
    if (start, end) not in memo:
        k = _split(width)
        memo[start, end] = node_hash(subtree_root(start, start + k, get_node, memo),
                                     subtree_root(start + k, end, get_node, memo))
    return memo[start, end]


def inclusion_proof(index: int, size: int, get_node: GetNode) -> list[bytes]:
    """RFC 6962 PATH(index, D[size]): the audit path, leaf sibling first."""
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is outside a tree of {size} leaves")
    memo: dict[tuple[int, int], bytes] = {}
    path: list[bytes] = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = _split(hi - lo)
        if index < lo + k:
            path.append(subtree_root(lo + k, hi, get_node, memo))
            hi = lo + k
        else:
            path.append(subtree_root(lo, lo + k, get_node, memo))
            lo += k
    path.reverse()
    return path


def consistency_proof(old_size: int, new_size: int, get_node: GetNode) -> list[bytes]:
    """RFC 6962 PROOF(old_size, D[new_size]); empty when old_size is 0 or equals new_size."""
    if not 0 <= old_size <= new_size:
        raise ValueError(f"no consistency proof from a tree of {old_size} to a tree of {new_size}")
    if old_size in (0, new_size):
        return []
    memo: dict[tuple[int, int], bytes] = {}
    path: list[bytes] = []
    lo, hi, m, complete = 0, new_size, old_size, True
    while m != hi - lo:
        k = _split(hi - lo)
        if m <= k:
            path.append(subtree_root(lo + k, hi, get_node, memo))
            hi = lo + k
        else:
            path.append(subtree_root(lo, lo + k, get_node, memo))
            lo, m, complete = lo + k, m - k, False
    if not complete:
        path.append(subtree_root(lo, hi, get_node, memo))
    path.reverse()
    return path


def _well_formed(proof: Sequence[bytes]) -> bool:
    """Every proof element is a 32-byte hash."""
    return all(isinstance(p, bytes) and len(p) == HASH_SIZE for p in proof)


def root_from_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes]) -> bytes | None:
    """The root an inclusion proof leads to (RFC 9162 §2.1.3.2), or None if the proof is malformed."""
    if not (0 <= index < size <= MAX_TREE_SIZE) or not _well_formed(proof):
        return None
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not (fn & 1 or fn == 0):
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


def verify_inclusion(leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """Whether `proof` puts leaf `index` in the tree of `size` leaves with `root` (RFC 9162 §2.1.3.2)."""
    return root_from_inclusion(leaf_hash, index, size, proof) == root


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Whether `proof` shows (old_size, old_root) is a prefix of (new_size, new_root) (RFC 9162 §2.1.4.2)."""
    if not (0 <= old_size <= new_size <= MAX_TREE_SIZE) or not _well_formed(proof):
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof and old_root == EMPTY_ROOT
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not (fn & 1 or fn == 0):
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0


def inclusion_path_length(index: int, size: int) -> int:
    """How many hashes the audit path of leaf `index` in a tree of `size` leaves has."""
    length, lo, hi = 0, 0, size
    while hi - lo > 1:
        k = _split(hi - lo)
        lo, hi = (lo, lo + k) if index < lo + k else (lo + k, hi)
        length += 1
    return length


def consistency_path_length(old_size: int, new_size: int) -> int:
    """How many hashes a consistency proof from `old_size` to `new_size` leaves has."""
    if old_size in (0, new_size):
        return 0
    length, lo, hi, m, complete = 0, 0, new_size, old_size, True
    while m != hi - lo:
        k = _split(hi - lo)
        hi, lo, m, complete = (lo + k, lo, m, complete) if m <= k else (hi, lo + k, m - k, False)
        length += 1
    return length + (not complete)
