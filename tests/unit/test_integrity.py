"""The Merkle tree, proofs and hashes agree with RFC 6962 and with pymerkle's RFC-style tree."""
from __future__ import annotations

import hashlib

import pytest
from pymerkle import InmemoryTree

from ledger.integrity.hashes import (
    CHAIN_PREFIX,
    EMPTY_ROOT,
    EVENT_TAG,
    GENESIS,
    LEAF_PREFIX,
    NODE_PREFIX,
    chain_hash,
    event_hash,
    event_hashes,
    leaf_hash,
    node_hash,
)
from ledger.integrity.merkle import (
    consistency_path_length,
    consistency_proof,
    extend,
    inclusion_path_length,
    inclusion_proof,
    node_key,
    node_of_key,
    pack_frontier,
    parts_at,
    root_from_frontier,
    unpack_frontier,
    verify_consistency,
    verify_inclusion,
)

SIZES = 300
ENTRIES = [hashlib.sha256(f"decision-{i}".encode()).digest() for i in range(SIZES)]


def _split(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def _mth(leaves: list[bytes]) -> bytes:
    """MTH(D[n]) straight from RFC 6962 §2.1."""
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaf_hash(leaves[0])
    k = _split(len(leaves))
    return node_hash(_mth(leaves[:k]), _mth(leaves[k:]))


def _subproof(m: int, leaves: list[bytes], complete: bool) -> list[bytes]:
    """SUBPROOF(m, D[n], b) straight from RFC 6962 §2.1.2."""
    n = len(leaves)
    if m == n:
        return [] if complete else [_mth(leaves)]
    k = _split(n)
    if m <= k:
        return _subproof(m, leaves[:k], complete) + [_mth(leaves[k:])]
    return _subproof(m - k, leaves[k:], False) + [_mth(leaves[:k])]


class _Tree:
    """An in-memory tree grown one entry at a time with `extend`, keeping every complete node."""

    def __init__(self, entries: list[bytes]) -> None:
        self.nodes: dict[tuple[int, int], bytes] = {}
        self.roots = [EMPTY_ROOT]
        frontier: list[bytes] = []
        chain = GENESIS
        for index, entry in enumerate(entries):
            self.nodes[0, index] = leaf_hash(entry)
            _, completed, chain = extend(index, chain, frontier, [entry])
            for key, digest in completed:
                self.nodes[node_of_key(key)] = digest
            self.roots.append(root_from_frontier(frontier))

    def get_node(self, level: int, index: int) -> bytes:
        return self.nodes[level, index]


@pytest.fixture(scope="module")
def reference() -> InmemoryTree:
    tree = InmemoryTree(algorithm="sha256")
    for entry in ENTRIES:
        tree.append_entry(entry)
    return tree


@pytest.fixture(scope="module")
def ours() -> _Tree:
    return _Tree(ENTRIES)


def test_pymerkle_uses_the_rfc_6962_prefixes(reference: InmemoryTree) -> None:
    assert reference.hash_buff(b"x") == leaf_hash(b"x") == hashlib.sha256(b"\x00x").digest()
    assert reference.hash_pair(b"l", b"r") == node_hash(b"l", b"r") == hashlib.sha256(b"\x01lr").digest()


def test_roots_match_pymerkle_for_every_size_up_to_300(reference: InmemoryTree, ours: _Tree) -> None:
    for size in range(1, SIZES + 1):
        assert ours.roots[size] == reference.get_root(size), size
    assert ours.roots[0] == EMPTY_ROOT == hashlib.sha256(b"").digest()


def test_roots_match_the_rfc_definition(ours: _Tree) -> None:
    for size in (1, 2, 3, 7, 8, 9, 100, 255, 256, 257, 300):
        assert ours.roots[size] == _mth(ENTRIES[:size])


def test_append_stores_each_perfect_subtree_once(ours: _Tree) -> None:
    interior = [key for key in ours.nodes if key[0] > 0]

    assert len(interior) == SIZES - bin(SIZES).count("1")
    assert ours.nodes[8, 0] == _mth(ENTRIES[:256])


def test_inclusion_proofs_match_pymerkle_and_verify(reference: InmemoryTree, ours: _Tree) -> None:
    for size in range(1, SIZES + 1):
        for index in range(size):
            proof = inclusion_proof(index, size, ours.get_node)
            theirs = reference.prove_inclusion(index + 1, size)

            assert theirs.path[0] == ours.nodes[0, index]
            assert proof == theirs.path[1:], (index, size)
            assert verify_inclusion(ours.nodes[0, index], index, size, proof, reference.get_root(size))


def test_consistency_proofs_match_the_rfc_and_verify_against_pymerkle_roots(
    reference: InmemoryTree, ours: _Tree
) -> None:
    for new in range(1, SIZES + 1):
        for old in range(1, new + 1):
            proof = consistency_proof(old, new, ours.get_node)
            old_root, new_root = reference.get_root(old), reference.get_root(new)

            assert verify_consistency(old, new, old_root, new_root, proof), (old, new)
            reference.prove_consistency(old, new).verify(ours.roots[old], ours.roots[new])
            if new % 37 == 0 or new < 40:
                assert proof == (_subproof(old, ENTRIES[:new], True) if old < new else []), (old, new)


def test_a_proof_with_one_flipped_hash_does_not_verify(ours: _Tree) -> None:
    for old, new in [(1, 2), (3, 7), (8, 9), (100, 300), (256, 257), (255, 300)]:
        proof = consistency_proof(old, new, ours.get_node)
        for i in range(len(proof)):
            bent = proof[:i] + [bytes([proof[i][0] ^ 1]) + proof[i][1:]] + proof[i + 1:]
            assert not verify_consistency(old, new, ours.roots[old], ours.roots[new], bent)


def test_inclusion_rejects_long_short_and_out_of_range_proofs(ours: _Tree) -> None:
    proof = inclusion_proof(5, 300, ours.get_node)
    leaf, root = ours.nodes[0, 5], ours.roots[300]

    assert verify_inclusion(leaf, 5, 300, proof, root)
    assert not verify_inclusion(leaf, 5, 300, proof + [proof[-1]], root)
    assert not verify_inclusion(leaf, 5, 300, proof[:-1], root)
    assert not verify_inclusion(leaf, 300, 300, proof, root)
    assert not verify_inclusion(leaf, -1, 300, proof, root)
    assert not verify_inclusion(leaf, 5, 299, proof, ours.roots[299])
    assert not verify_inclusion(leaf, 6, 300, proof, root)
    assert not verify_inclusion(leaf, 5, 300, proof[:-1] + [proof[-1][:31]], root)
    assert not verify_inclusion(ours.nodes[0, 0], 0, 1, [ours.nodes[0, 0]], ours.roots[1])


def test_consistency_rejects_long_short_and_mismatched_proofs(ours: _Tree) -> None:
    proof = consistency_proof(100, 300, ours.get_node)
    old_root, new_root = ours.roots[100], ours.roots[300]

    assert not verify_consistency(100, 300, old_root, new_root, proof + [proof[-1]])
    assert not verify_consistency(100, 300, old_root, new_root, proof[:-1])
    assert not verify_consistency(100, 300, old_root, new_root, [])
    assert not verify_consistency(101, 300, ours.roots[101], new_root, proof)
    assert not verify_consistency(100, 299, old_root, ours.roots[299], proof)
    assert not verify_consistency(300, 100, new_root, old_root, proof)
    assert not verify_consistency(100, 300, ours.roots[99], new_root, proof)


def test_trivial_consistency_needs_an_empty_proof_and_equal_roots(ours: _Tree) -> None:
    assert verify_consistency(7, 7, ours.roots[7], ours.roots[7], [])
    assert not verify_consistency(7, 7, ours.roots[7], ours.roots[7], [ours.roots[7]])
    assert not verify_consistency(7, 7, ours.roots[7], ours.roots[6], [])
    assert verify_consistency(0, 9, EMPTY_ROOT, ours.roots[9], [])
    assert not verify_consistency(0, 9, ours.roots[1], ours.roots[9], [])
    assert consistency_proof(7, 7, ours.get_node) == [] == consistency_proof(0, 7, ours.get_node)


def test_proofs_are_refused_for_leaves_outside_the_tree(ours: _Tree) -> None:
    with pytest.raises(ValueError, match="outside a tree of 5"):
        inclusion_proof(5, 5, ours.get_node)
    with pytest.raises(ValueError, match="from a tree of 6 to a tree of 5"):
        consistency_proof(6, 5, ours.get_node)


def test_event_hash_is_unambiguous_about_field_boundaries() -> None:
    base = event_hash("HB-1", 1, "ledger.cadre:Cadre.Appointed", b"\x01\x02")

    assert base != event_hash("HB-1l", 1, "edger.cadre:Cadre.Appointed", b"\x01\x02")
    assert base != event_hash("HB-1", 2, "ledger.cadre:Cadre.Appointed", b"\x01\x02")
    assert base != event_hash("HB-1", 1, "ledger.cadre:Cadre.Appointed\x01", b"\x02")
    assert base == event_hash("HB-1", 1, "ledger.cadre:Cadre.Appointed", b"\x01\x02")
    assert len(base) == 32


def test_extend_in_batches_gives_the_chain_and_the_nodes_of_the_rfc_tree() -> None:
    topic = "ledger.cadre:Cadre.Appointed"
    digests = event_hashes((f"HB-{i % 7}", i // 7 + 1, topic, bytes([i]) * i) for i in range(50))
    frontier: list[bytes] = []
    chains, nodes, head = extend(0, GENESIS, frontier, digests[:20])
    more, more_nodes, head = extend(20, head, frontier, digests[20:])

    chain, expected_chains = GENESIS, []
    for digest in digests:
        chain = chain_hash(chain, digest)
        expected_chains.append(chain)
    assert chains + more == expected_chains and head == chain
    for key, digest in nodes + more_nodes:
        level, idx = node_of_key(key)
        assert digest == _mth(digests[idx << level:(idx + 1) << level]), (level, idx)
    assert len(nodes + more_nodes) == 50 - bin(50).count("1")
    assert root_from_frontier(frontier) == _mth(digests)


def test_each_hash_has_its_own_prefix() -> None:
    digest = event_hash("HB-1", 1, "ledger.cadre:Cadre.Appointed", b"")

    assert (LEAF_PREFIX, NODE_PREFIX, CHAIN_PREFIX, EVENT_TAG) == (b"\x00", b"\x01", b"\x02", b"CLE1")
    assert chain_hash(GENESIS, digest) == hashlib.sha256(b"\x02" + GENESIS + digest).digest()
    assert event_hashes([("HB-1", 1, "ledger.cadre:Cadre.Appointed", b""), (b"HB-1", 1, "t", b"")]) == [
        digest, bytes(32)]  # a stored value of the wrong type cannot be hashed: no seal holds zeros


def test_rows_are_cut_at_the_tree_sizes_that_fall_inside_them() -> None:
    rows = list(range(10, 20))  # leaves 10..19

    assert list(parts_at(rows, 10, [5, 12, 15, 20, 30])) == [[10, 11], [12, 13, 14], [15, 16, 17, 18, 19]]
    assert list(parts_at(rows, 10, [])) == [rows]


def test_frontier_round_trips_and_knows_its_size() -> None:
    frontier: list[bytes] = []
    extend(0, GENESIS, frontier, [leaf_hash(bytes([i])) for i in range(13)])

    assert len(frontier) == 3  # 13 = 8 + 4 + 1
    assert unpack_frontier(pack_frontier(frontier), 13) == frontier
    with pytest.raises(ValueError, match="a tree of 12 needs 2"):
        unpack_frontier(pack_frontier(frontier), 12)


def test_path_lengths_are_known_from_index_and_sizes(ours: _Tree) -> None:
    for new in range(1, 130):
        for old in range(new + 1):
            assert consistency_path_length(old, new) == len(consistency_proof(old, new, ours.get_node))
        for index in range(new):
            assert inclusion_path_length(index, new) == len(inclusion_proof(index, new, ours.get_node))


def test_node_keys_grow_in_append_order_and_round_trip() -> None:
    _, nodes, _ = extend(0, GENESIS, [], [bytes([i % 256]) * 32 for i in range(200)])
    keys = [key for key, _ in nodes]

    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert all(node_key(*node_of_key(key)) == key for key in keys)
    assert node_key(1, 0) == 1 << 6 | 1 and node_key(3, 1) == 15 << 6 | 3
