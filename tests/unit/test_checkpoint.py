"""Checkpoints are signed and checked with Ed25519; proof documents are checked offline."""
from __future__ import annotations

import json
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.errors import IntegrityFailure, UnusableInput
from ledger.integrity.checkpoints import load_checkpoint, make_checkpoint, verify_checkpoint
from ledger.integrity.hashes import GENESIS, event_hash, leaf_hash
from ledger.integrity.keys import fingerprint, generate_keypair, load_private_key, load_public_key
from ledger.integrity.merkle import consistency_proof, extend, inclusion_proof, node_of_key, root_from_frontier
from ledger.integrity.proofs import load_proof_doc, make_inclusion_proof_doc, verify_proof_doc

NOON = datetime(2025, 11, 3, 12, 0, tzinfo=UTC)


class _Log:
    """A log of `size` sealed events kept in memory."""

    def __init__(self, size: int, topic: str = "ledger.cadre:Cadre.Appointed") -> None:
        self.hashes = [event_hash(f"HB-{i}", 1, topic, b"s%d" % i) for i in range(size)]
        self.nodes: dict[tuple[int, int], bytes] = {}
        self.roots: dict[int, bytes] = {}
        frontier: list[bytes] = []
        chain = GENESIS
        for i, digest in enumerate(self.hashes):
            self.nodes[0, i] = leaf_hash(digest)
            _, completed, chain = extend(i, chain, frontier, [digest])
            self.nodes.update((node_of_key(key), node) for key, node in completed)
            self.roots[i + 1] = root_from_frontier(frontier)

    def get_node(self, level: int, index: int) -> bytes:
        return self.nodes[level, index]

    def proof_doc(self, index: int, size: int, checkpoint: dict[str, Any] | None = None) -> dict[str, Any]:
        target = checkpoint["tree_size"] if checkpoint else size
        path = inclusion_proof(index, size, self.get_node)
        consistency = consistency_proof(size, target, self.get_node) if checkpoint else None
        return make_inclusion_proof_doc(f"d-{index}", index + 1, self.hashes[index], index, size, path,
                                        self.roots[size], checkpoint, consistency)


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="module")
def log() -> _Log:
    return _Log(50)


def test_keygen_writes_a_private_key_only_its_owner_can_read(tmp_path: Path) -> None:
    printed = generate_keypair(tmp_path / "ledger.key", tmp_path / "ledger.pub")

    assert stat.S_IMODE((tmp_path / "ledger.key").stat().st_mode) == 0o600
    assert fingerprint(load_public_key(tmp_path / "ledger.pub")) == printed
    assert fingerprint(load_private_key(tmp_path / "ledger.key").public_key()) == printed
    with pytest.raises(UnusableInput, match="already exists"):
        generate_keypair(tmp_path / "ledger.key", tmp_path / "other.pub")


def test_a_saved_checkpoint_verifies_with_its_public_key(
    tmp_path: Path, key: Ed25519PrivateKey, log: _Log
) -> None:
    (tmp_path / "cp.json").write_text(json.dumps(make_checkpoint(50, log.roots[50], key, NOON)))

    cp = load_checkpoint(tmp_path / "cp.json")

    assert verify_checkpoint(cp, key.public_key()) == (50, log.roots[50])
    assert cp["time"] == "2025-11-03T12:00:00Z"
    assert cp["format"] == "cadre-ledger-checkpoint/1"


def test_a_checkpoint_with_a_changed_root_fails_its_signature(key: Ed25519PrivateKey, log: _Log) -> None:
    cp = make_checkpoint(50, log.roots[50], key, NOON)
    cp["root_hash"] = log.roots[49].hex()

    with pytest.raises(IntegrityFailure, match="bad signature"):
        verify_checkpoint(cp, key.public_key())


def test_a_forged_checkpoint_signed_by_another_key_that_claims_ours_fails(
    key: Ed25519PrivateKey, log: _Log
) -> None:
    forger = Ed25519PrivateKey.generate()
    cp = make_checkpoint(50, log.roots[50], forger, NOON)
    cp["key_fingerprint"] = fingerprint(key.public_key())

    with pytest.raises(IntegrityFailure, match="bad signature"):
        verify_checkpoint(cp, key.public_key())


def test_a_checkpoint_checked_with_the_wrong_public_key_is_refused(key: Ed25519PrivateKey, log: _Log) -> None:
    cp = make_checkpoint(50, log.roots[50], key, NOON)

    with pytest.raises(IntegrityFailure, match="not the given public key"):
        verify_checkpoint(cp, Ed25519PrivateKey.generate().public_key())


@pytest.mark.parametrize("content, message", [
    ("{not json", "is not JSON"),
    ("[1, 2]", "must be a JSON object"),
    ('{"format": "cadre-ledger-checkpoint/1"}', "lacks tree_size"),
    ('{"format": "x", "tree_size": 1, "root_hash": "00", "time": "", "key_fingerprint": "", "signature": ""}',
     "is not 'cadre-ledger-checkpoint/1'"),
])
def test_a_malformed_checkpoint_file_is_unusable_input(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "cp.json").write_text(content)

    with pytest.raises(UnusableInput, match=message):
        load_checkpoint(tmp_path / "cp.json")


@pytest.mark.parametrize("field, value, message", [
    ("tree_size", -1, "tree_size must be an integer"),
    ("tree_size", "50", "tree_size must be an integer"),
    ("root_hash", "abc", "root_hash must be 64 hex digits"),
])
def test_a_checkpoint_with_a_bad_field_is_unusable(key: Ed25519PrivateKey, log: _Log, field: str,
                                                   value: Any, message: str) -> None:
    cp = make_checkpoint(50, log.roots[50], key, NOON)
    cp[field] = value

    with pytest.raises(UnusableInput, match=message):
        verify_checkpoint(cp, key.public_key())


def test_a_missing_key_file_is_unusable_input(tmp_path: Path) -> None:
    (tmp_path / "junk.pem").write_text("hello")

    with pytest.raises(UnusableInput, match="cannot read public key"):
        load_public_key(tmp_path / "missing.pem")
    with pytest.raises(UnusableInput, match="not a PEM public key"):
        load_public_key(tmp_path / "junk.pem")


def test_a_proof_document_verifies_offline_against_a_later_checkpoint(
    tmp_path: Path, key: Ed25519PrivateKey, log: _Log
) -> None:
    cp = make_checkpoint(50, log.roots[50], key, NOON)
    (tmp_path / "proof.json").write_text(json.dumps(log.proof_doc(17, 30, cp)))

    result = verify_proof_doc(load_proof_doc(tmp_path / "proof.json"), key.public_key())

    assert result["decision_id"] == "d-17"
    assert (result["tree_size"], result["checkpoint_size"], result["signature_checked"]) == (30, 50, True)


def test_a_proof_without_a_checkpoint_checks_only_its_own_root(log: _Log) -> None:
    result = verify_proof_doc(log.proof_doc(3, 7))

    assert (result["checkpoint_size"], result["signature_checked"]) == (None, False)


def test_an_over_long_audit_path_is_refused(log: _Log) -> None:
    doc = log.proof_doc(17, 30)
    doc["audit_path"].append(doc["audit_path"][-1])

    with pytest.raises(IntegrityFailure, match="has 6 hashes; leaf 17 of a tree of 30 needs exactly 5"):
        verify_proof_doc(doc)


def test_an_absurdly_long_audit_path_is_unusable(log: _Log) -> None:
    doc = log.proof_doc(17, 30)
    doc["audit_path"] = doc["audit_path"] * 40

    with pytest.raises(UnusableInput, match="more than any real proof"):
        verify_proof_doc(doc)


def test_a_proof_claiming_the_wrong_tree_size_is_refused(log: _Log) -> None:
    doc = log.proof_doc(5, 30)
    doc["tree_size"] = 16

    with pytest.raises(IntegrityFailure, match="leaf 5 of a tree of 16 needs exactly 4"):
        verify_proof_doc(doc)


def test_a_wrong_tree_size_with_the_same_path_shape_is_caught_by_the_checkpoint(
    key: Ed25519PrivateKey, log: _Log
) -> None:
    cp = make_checkpoint(50, log.roots[50], key, NOON)
    honest = log.proof_doc(17, 32, cp)
    doc = dict(honest, tree_size=31, consistency_path=log.proof_doc(17, 31, cp)["consistency_path"])

    assert verify_proof_doc(honest, key.public_key())["tree_size"] == 32
    with pytest.raises(IntegrityFailure, match="tree of 31 events is not a prefix of the checkpoint's 50"):
        verify_proof_doc(doc, key.public_key())


def test_a_proof_for_a_bigger_tree_than_the_checkpoint_is_refused(key: Ed25519PrivateKey, log: _Log) -> None:
    cp = make_checkpoint(20, log.roots[20], key, NOON)

    with pytest.raises(IntegrityFailure, match="checkpoint covers only 20"):
        verify_proof_doc(log.proof_doc(5, 30), key.public_key(), checkpoint=cp)


def test_a_proof_made_for_another_checkpoint_is_refused(key: Ed25519PrivateKey, log: _Log) -> None:
    doc = log.proof_doc(5, 30, make_checkpoint(40, log.roots[40], key, NOON))

    with pytest.raises(IntegrityFailure, match="not this one of 50"):
        verify_proof_doc(doc, key.public_key(), checkpoint=make_checkpoint(50, log.roots[50], key, NOON))


def test_a_proof_whose_event_hash_was_changed_is_refused(log: _Log) -> None:
    doc = log.proof_doc(5, 30)
    doc["event_hash"] = log.hashes[6].hex()

    with pytest.raises(IntegrityFailure, match="d-5 at position 6 is not in the tree"):
        verify_proof_doc(doc)


def test_a_proof_tied_to_a_checkpoint_of_another_log_is_refused(key: Ed25519PrivateKey, log: _Log) -> None:
    other = _Log(60, topic="ledger.cadre:Cadre.Dismissed")
    doc = log.proof_doc(5, 30, make_checkpoint(50, other.roots[50], key, NOON))

    with pytest.raises(IntegrityFailure, match="not a prefix of the checkpoint's 50"):
        verify_proof_doc(doc, key.public_key())


def test_a_proof_with_a_forged_checkpoint_is_refused(key: Ed25519PrivateKey, log: _Log) -> None:
    doc = log.proof_doc(5, 30, make_checkpoint(50, log.roots[50], Ed25519PrivateKey.generate(), NOON))

    with pytest.raises(IntegrityFailure, match="not the given public key"):
        verify_proof_doc(doc, key.public_key())


@pytest.mark.parametrize("field, value, message", [
    ("format", "x", "not an inclusion proof"),
    ("leaf_index", "5", "leaf_index must be an integer"),
    ("tree_size", 0, "tree_size must be an integer of at least 1"),
    ("audit_path", "ab", "audit_path must be a list"),
    ("audit_path", ["zz"], "audit_path must be 64 hex digits"),
    ("event_hash", None, "event_hash must be 64 hex digits"),
])
def test_a_malformed_proof_is_unusable(log: _Log, field: str, value: Any, message: str) -> None:
    doc = log.proof_doc(5, 30)
    doc[field] = value

    with pytest.raises(UnusableInput, match=message):
        verify_proof_doc(doc)
