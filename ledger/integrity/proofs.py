"""Inclusion proofs of one decision's event, as JSON documents checked offline against a checkpoint.

Format 2 (`cadre-ledger-inclusion-proof/2`) carries everything its leaf is made of: for a seal of event
hash format 2, the decision id, stream, version, position, recording time, topic, content hash and SHA-256
of the stored state, so that `verify-proof` recomputes the leaf and a proof whose decision, stream, version
or position was edited fails. A seal of format 1 binds only the stored bytes, and its proof says so.
Format 1 proof files (earlier releases) are still read; they bind only the event hash.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ledger.commitments import committed_id, decision_ref
from ledger.errors import IntegrityFailure, UnusableInput
from ledger.events import stream_id
from ledger.integrity.checkpoints import hash_field, int_field, parse_checkpoint, verify_checkpoint
from ledger.integrity.files import load_json
from ledger.integrity.hashes import event_hash_2_of_digest, leaf_hash, moment_of
from ledger.integrity.merkle import (
    consistency_path_length,
    inclusion_path_length,
    verify_consistency,
    verify_inclusion,
)

PROOF_FORMAT = "cadre-ledger-inclusion-proof/2"
OLD_PROOF_FORMAT = "cadre-ledger-inclusion-proof/1"
MAX_PATH_HASHES = 128
MAX_TEXT = 4096
BINDS_ALL = ("decision id", "stream", "version", "position", "recording time", "content")


def make_inclusion_proof_doc(
    leaf: dict[str, Any], event_hash: bytes, leaf_index: int, tree_size: int, audit_path: list[bytes],
    root: bytes, checkpoint: dict[str, Any] | None = None, consistency_path: list[bytes] | None = None,
) -> dict[str, Any]:
    """A JSON-ready proof that one event (its `leaf` fields) is in the tree, optionally tied to a later or
    equal checkpoint."""
    doc: dict[str, Any] = {
        "format": PROOF_FORMAT, "decision_id": leaf["decision_id"], "leaf": leaf,
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


def _text_field(doc: dict[str, Any], name: str, what: str = "proof") -> str:
    value = doc.get(name)
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise UnusableInput(f"{what}: {name} must be a string")
    return value


def load_proof_doc(path: str | Path) -> dict[str, Any]:
    """The proof document saved in a file (checked when verified)."""
    doc = load_json(path, "proof")
    if not isinstance(doc, dict):
        raise UnusableInput(f"proof {path} must be a JSON object")
    return doc


def _leaf_of(doc: dict[str, Any], digest: bytes) -> tuple[dict[str, Any], tuple[str, ...]]:
    """What the proof's leaf says, checked against its event hash, and what that binds."""
    leaf = doc.get("leaf")
    if not isinstance(leaf, dict):
        raise UnusableInput("proof: leaf must be an object")
    fmt = leaf.get("format")
    if fmt == 1:
        return {"decision_id": doc["decision_id"]}, ("event hash",)
    if fmt != 2:
        raise UnusableInput(f"proof: leaf format {fmt!r} is not 1 or 2")
    what = "proof leaf"
    position, version = int_field(leaf, "position", what), int_field(leaf, "version", what)
    recorded_at = int_field(leaf, "recorded_at", what)
    stream, oid, topic = (_text_field(leaf, n, what) for n in ("stream", "originator_id", "topic"))
    content_hash = _text_field(leaf, "content_hash", what)
    state_digest = hash_field(leaf, "state_sha256", what)
    salt_bytes = _salt(leaf, "decision_salt")
    ref = decision_ref(doc["decision_id"], salt_bytes)
    if event_hash_2_of_digest(position, oid, version, topic, state_digest, ref, content_hash, recorded_at) != digest:
        raise IntegrityFailure(
            f"the proof's leaf does not hash to its event hash: its decision id, stream, version, position, "
            f"recording time or content was edited (it names decision {doc['decision_id']})")
    stream_salt = _salt(leaf, "stream_salt")  # an encrypted ledger: its aggregate ids commit to their streams
    if (stream_id(stream) if stream_salt is None else committed_id(stream_salt, stream)).hex != oid:
        raise IntegrityFailure(f"the proof's stream {stream} is not the stream its event belongs to: it was edited")
    binds = BINDS_ALL
    said = {"decision_id": doc["decision_id"], "stream": stream, "version": version, "position": position,
            "recorded_at": moment_of(recorded_at).isoformat(timespec="microseconds")}
    return said, binds


def _salt(leaf: dict[str, Any], name: str) -> bytes | None:
    """A salt the leaf carries (hex), or None."""
    salt = leaf.get(name)
    try:
        return None if salt is None else bytes.fromhex(str(salt))
    except ValueError:
        raise UnusableInput(f"proof leaf: {name} must be hex") from None


def verify_proof_doc(
    doc: dict[str, Any], public_key: Ed25519PublicKey | None = None, checkpoint: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Check an inclusion proof offline, against `checkpoint` or the one it carries; return what it proved.

    With `public_key`, a proof must bind its decision and be tied to a checkpoint whose signature verifies.
    """
    fmt = doc.get("format") if isinstance(doc, dict) else None
    if fmt not in (PROOF_FORMAT, OLD_PROOF_FORMAT):
        raise UnusableInput(f"not an inclusion proof: format must be {PROOF_FORMAT!r} (or {OLD_PROOF_FORMAT!r})")
    _text_field(doc, "decision_id")
    size = int_field(doc, "tree_size", "proof", low=1)
    index = int_field(doc, "leaf_index", "proof")
    digest, root = hash_field(doc, "event_hash", "proof"), hash_field(doc, "root_hash", "proof")
    path = _path_field(doc, "audit_path")
    if fmt == OLD_PROOF_FORMAT:
        said: dict[str, Any] = {"decision_id": doc["decision_id"], "position": int_field(doc, "position", "proof")}
        binds: tuple[str, ...] = ("event hash",)
    else:
        said, binds = _leaf_of(doc, digest)
    if index >= size:
        raise IntegrityFailure(f"proof names leaf {index}, outside its tree of {size} events")
    expected = inclusion_path_length(index, size)
    if len(path) != expected:
        raise IntegrityFailure(
            f"audit path has {len(path)} hashes; leaf {index} of a tree of {size} needs exactly {expected}"
        )
    if not verify_inclusion(leaf_hash(digest), index, size, path, root):
        raise IntegrityFailure(f"event {doc['decision_id']} is not in the tree it claims")
    if public_key is not None and "decision id" not in binds:
        raise IntegrityFailure(
            f"this proof binds only an event hash, not the decision {doc['decision_id']}: it was made by an "
            "earlier release or for an event sealed before decisions were bound; a checked proof must bind "
            "its decision")
    result: dict[str, Any] = {**said, "leaf_index": index, "tree_size": size, "root_hash": root.hex(),
                              "binds": list(binds), "checkpoint_size": None, "signature_checked": False}
    cp = checkpoint if checkpoint is not None else doc.get("checkpoint")
    if cp is None:
        if public_key is not None:
            raise IntegrityFailure("this proof is tied to no checkpoint, so nothing authenticates its tree; "
                                   "make it with `cadre-ledger prove --checkpoint FILE`, or pass --checkpoint")
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
            f"proof was made against a checkpoint of {carried.get('tree_size')} events, not this one of "
            f"{cp_size}; make a proof against this checkpoint"
        )
    consistency = _path_field(doc, "consistency_path") if "consistency_path" in doc else []
    expected = consistency_path_length(size, cp_size)
    if len(consistency) != expected:
        raise IntegrityFailure(
            f"consistency path has {len(consistency)} hashes; from {size} to {cp_size} events needs {expected}"
        )
    if not verify_consistency(size, cp_size, root, cp_root, consistency):
        raise IntegrityFailure(f"the proof's tree of {size} events is not a prefix of the checkpoint's {cp_size}")
    result.update(checkpoint_size=cp_size, signature_checked=public_key is not None)
    return result
