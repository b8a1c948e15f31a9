"""Inclusion proofs of one decision's event, as JSON documents checked offline against a checkpoint."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ledger.errors import IntegrityFailure, UnusableInput
from ledger.integrity.checkpoints import hash_field, int_field, parse_checkpoint, verify_checkpoint
from ledger.integrity.files import load_json
from ledger.integrity.hashes import leaf_hash
from ledger.integrity.merkle import (
    consistency_path_length,
    inclusion_path_length,
    verify_consistency,
    verify_inclusion,
)

PROOF_FORMAT = "cadre-ledger-inclusion-proof/1"
MAX_PATH_HASHES = 128


def make_inclusion_proof_doc(
    decision_id: str, position: int, event_hash: bytes, leaf_index: int, tree_size: int,
    audit_path: list[bytes], root: bytes, checkpoint: dict[str, Any] | None = None,
    consistency_path: list[bytes] | None = None,
) -> dict[str, Any]:
    """A JSON-ready proof that one event is in the tree, optionally tied to a later or equal checkpoint."""
    doc: dict[str, Any] = {
        "format": PROOF_FORMAT, "decision_id": decision_id, "position": position,
        "event_hash": event_hash.hex(), "leaf_index": leaf_index, "tree_size": tree_size,
        "root_hash": root.hex(), "audit_path": [h.hex() for h in audit_path],
    }
    if checkpoint is not None:
        doc["checkpoint"] = checkpoint
        doc["consistency_path"] = [h.hex() for h in consistency_path or []]
    return doc


def _path_field(doc: dict[str, Any], name: str) -> list[bytes]:
    """A list of hex hashes in `doc[name]`."""
    value = doc.get(name)
    if not isinstance(value, list):
        raise UnusableInput(f"proof: {name} must be a list of hex hashes")
    if len(value) > MAX_PATH_HASHES:
        raise UnusableInput(
            f"proof: {name} has {len(value)} hashes, more than any real proof ({MAX_PATH_HASHES})"
        )
    return [hash_field({name: item}, name, "proof") for item in value]


def load_proof_doc(path: str | Path) -> dict[str, Any]:
    """The proof document saved in a file (checked when verified)."""
    doc = load_json(path, "proof")
    if not isinstance(doc, dict):
        raise UnusableInput(f"proof {path} must be a JSON object")
    return doc


def verify_proof_doc(
    doc: dict[str, Any], public_key: Ed25519PublicKey | None = None, checkpoint: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Check an inclusion proof offline, against `checkpoint` or the one it carries; return what it proved."""
    if not isinstance(doc, dict) or doc.get("format") != PROOF_FORMAT:
        raise UnusableInput(f"not an inclusion proof: format must be {PROOF_FORMAT!r}")
    if not isinstance(doc.get("decision_id"), str):
        raise UnusableInput("proof: decision_id must be a string")
    position = int_field(doc, "position", "proof")
    size = int_field(doc, "tree_size", "proof", low=1)
    index = int_field(doc, "leaf_index", "proof")
    digest, root = hash_field(doc, "event_hash", "proof"), hash_field(doc, "root_hash", "proof")
    path = _path_field(doc, "audit_path")
    if index >= size:
        raise IntegrityFailure(f"proof names leaf {index}, outside its tree of {size} events")
    expected = inclusion_path_length(index, size)
    if len(path) != expected:
        raise IntegrityFailure(
            f"audit path has {len(path)} hashes; leaf {index} of a tree of {size} needs exactly {expected}"
        )
    if not verify_inclusion(leaf_hash(digest), index, size, path, root):
        raise IntegrityFailure(
            f"event {doc['decision_id']} at position {position} is not in the tree it claims"
        )
    result = {"decision_id": doc["decision_id"], "position": position, "leaf_index": index,
              "tree_size": size, "root_hash": root.hex(), "checkpoint_size": None, "signature_checked": False}
    cp = checkpoint if checkpoint is not None else doc.get("checkpoint")
    if cp is None:
        return result
    cp_size, cp_root = verify_checkpoint(cp, public_key) if public_key else parse_checkpoint(cp)
    if cp_size < size:
        raise IntegrityFailure(
            f"proof is for a tree of {size} events but the checkpoint covers only {cp_size}; "
            "make a proof against this checkpoint"
        )
    carried = doc.get("checkpoint")
    if checkpoint is not None and isinstance(carried, dict) and carried.get("tree_size") != cp_size:
        raise IntegrityFailure(
            f"proof was made against a checkpoint of {carried.get('tree_size')} events, "
            f"not this one of {cp_size}; "
            "make a proof against this checkpoint"
        )
    consistency = _path_field(doc, "consistency_path") if "consistency_path" in doc else []
    expected = consistency_path_length(size, cp_size)
    if len(consistency) != expected:
        raise IntegrityFailure(
            f"consistency path has {len(consistency)} hashes; "
            f"from {size} to {cp_size} events needs {expected}"
        )
    if not verify_consistency(size, cp_size, root, cp_root, consistency):
        raise IntegrityFailure(
            f"the proof's tree of {size} events is not a prefix of the checkpoint's {cp_size}"
        )
    result.update(checkpoint_size=cp_size, signature_checked=public_key is not None)
    return result
