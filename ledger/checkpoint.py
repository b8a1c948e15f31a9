"""Signed checkpoints (tree size, root, time) and offline-checkable inclusion proof documents."""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ledger.errors import IntegrityFailure, UnusableInput
from ledger.integrity import (
    HASH_SIZE, MAX_TREE_SIZE, consistency_path_length, inclusion_path_length, leaf_hash, verify_consistency,
    verify_inclusion,
)

CHECKPOINT_FORMAT = "cadre-ledger-checkpoint/1"
PROOF_FORMAT = "cadre-ledger-inclusion-proof/1"
MAX_FILE_BYTES = 1 << 20
MAX_PATH_HASHES = 128
_CHECKPOINT_FIELDS = ("format", "tree_size", "root_hash", "time", "key_fingerprint", "signature")


def generate_keypair(private_path: str | Path, public_path: str | Path) -> str:
    """Write a new Ed25519 key pair as PEM (private file mode 0600); return the key's fingerprint."""
    for path in (private_path, public_path):
        if Path(path).exists():
            raise UnusableInput(f"{path} already exists; choose another path or remove it first")
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(private_pem)
    os.chmod(private_path, 0o600)
    Path(public_path).write_bytes(public_pem)
    return fingerprint(key.public_key())


def _read(path: str | Path, what: str) -> bytes:
    """The bytes of a small input file, or UnusableInput saying why it cannot be read."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise UnusableInput(f"cannot read {what} {path}: {error.strerror or error}") from None
    if len(data) > MAX_FILE_BYTES:
        raise UnusableInput(f"{what} {path} is larger than {MAX_FILE_BYTES} bytes; is it the right file?")
    return data


def load_private_key(path: str | Path) -> Ed25519PrivateKey:
    """The Ed25519 signing key in a PEM file."""
    try:
        key = serialization.load_pem_private_key(_read(path, "signing key"), password=None)
    except (ValueError, TypeError) as error:
        raise UnusableInput(f"{path} is not an unencrypted PEM private key: {error}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise UnusableInput(f"{path} is not an Ed25519 key; create one with `cadre-ledger keygen`")
    return key


def load_public_key(path: str | Path) -> Ed25519PublicKey:
    """The Ed25519 public key in a PEM file."""
    try:
        key = serialization.load_pem_public_key(_read(path, "public key"))
    except (ValueError, TypeError) as error:
        raise UnusableInput(f"{path} is not a PEM public key: {error}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise UnusableInput(f"{path} is not an Ed25519 public key; use the one `cadre-ledger keygen` wrote")
    return key


def fingerprint(public_key: Ed25519PublicKey) -> str:
    """SHA-256 hex of the raw 32-byte public key."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def _signed_bytes(cp: dict[str, Any]) -> bytes:
    """The canonical byte string a checkpoint's signature covers."""
    return (
        f"{cp['format']}\ntree_size={cp['tree_size']}\nroot_hash={cp['root_hash']}\n"
        f"time={cp['time']}\nkey_fingerprint={cp['key_fingerprint']}\n"
    ).encode()


def make_checkpoint(size: int, root: bytes, private_key: Ed25519PrivateKey, now: datetime) -> dict[str, Any]:
    """A checkpoint of the tree (size, root) at `now` (timezone-aware), signed with `private_key`."""
    if now.tzinfo is None:
        raise ValueError("checkpoint time must be timezone-aware")
    cp: dict[str, Any] = {
        "format": CHECKPOINT_FORMAT,
        "tree_size": size,
        "root_hash": root.hex(),
        "time": now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "key_fingerprint": fingerprint(private_key.public_key()),
    }
    cp["signature"] = base64.b64encode(private_key.sign(_signed_bytes(cp))).decode()
    return cp


def _hash_field(doc: dict[str, Any], name: str, what: str) -> bytes:
    """A 32-byte hash given as hex in `doc[name]`."""
    value = doc.get(name)
    try:
        digest = bytes.fromhex(value) if isinstance(value, str) else b""
    except ValueError:
        digest = b""
    if len(digest) != HASH_SIZE:
        raise UnusableInput(f"{what}: {name} must be {HASH_SIZE * 2} hex digits")
    return digest


def _int_field(doc: dict[str, Any], name: str, what: str, low: int = 0) -> int:
    """A non-negative integer in `doc[name]`."""
    value = doc.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= MAX_TREE_SIZE:
        raise UnusableInput(f"{what}: {name} must be an integer of at least {low}")
    return value


def parse_checkpoint(cp: Any) -> tuple[int, bytes]:
    """Check a checkpoint's shape and return its (tree size, root hash); UnusableInput if malformed."""
    what = "checkpoint"
    if not isinstance(cp, dict):
        raise UnusableInput("checkpoint must be a JSON object")
    missing = [name for name in _CHECKPOINT_FIELDS if name not in cp]
    if missing:
        raise UnusableInput(f"checkpoint lacks {', '.join(missing)}; is it a cadre-ledger checkpoint?")
    if cp["format"] != CHECKPOINT_FORMAT:
        raise UnusableInput(f"checkpoint format {cp['format']!r} is not {CHECKPOINT_FORMAT!r}")
    for name in ("time", "key_fingerprint", "signature"):
        if not isinstance(cp[name], str):
            raise UnusableInput(f"{what}: {name} must be a string")
    return _int_field(cp, "tree_size", what), _hash_field(cp, "root_hash", what)


def _load_json(path: str | Path, what: str) -> Any:
    """The JSON document in a small file."""
    try:
        return json.loads(_read(path, what))
    except (ValueError, UnicodeDecodeError) as error:
        raise UnusableInput(f"{what} {path} is not JSON: {error}") from None


def load_checkpoint(path: str | Path) -> dict[str, Any]:
    """The checkpoint saved in a file, checked for shape but not yet for its signature."""
    cp = _load_json(path, "checkpoint")
    parse_checkpoint(cp)
    return cp


def verify_checkpoint(cp: dict[str, Any], public_key: Ed25519PublicKey) -> tuple[int, bytes]:
    """Check a checkpoint's signature with `public_key`; return its (tree size, root hash)."""
    size, root = parse_checkpoint(cp)
    expected = fingerprint(public_key)
    if cp["key_fingerprint"] != expected:
        raise IntegrityFailure(
            f"checkpoint of {size} events names key {cp['key_fingerprint'][:16]}…, "
            f"not the given public key {expected[:16]}…; check --public-key"
        )
    try:
        signature = base64.b64decode(cp["signature"], validate=True)
    except (binascii.Error, ValueError):
        raise UnusableInput("checkpoint: signature is not base64") from None
    try:
        public_key.verify(signature, _signed_bytes(cp))
    except InvalidSignature:
        raise IntegrityFailure(
            f"checkpoint of {size} events has a bad signature: it was altered or forged"
        ) from None
    return size, root


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
    return [_hash_field({name: item}, name, "proof") for item in value]


def load_proof_doc(path: str | Path) -> dict[str, Any]:
    """The proof document saved in a file (checked when verified)."""
    doc = _load_json(path, "proof")
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
    position = _int_field(doc, "position", "proof")
    size = _int_field(doc, "tree_size", "proof", low=1)
    index = _int_field(doc, "leaf_index", "proof")
    digest, root = _hash_field(doc, "event_hash", "proof"), _hash_field(doc, "root_hash", "proof")
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
