"""Signed checkpoints: the tree's size and root at a moment, signed with the ledger's Ed25519 key."""
from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ledger.errors import IntegrityFailure, UnusableInput
from ledger.integrity.files import load_json
from ledger.integrity.hashes import HASH_SIZE
from ledger.integrity.keys import fingerprint
from ledger.integrity.merkle import MAX_TREE_SIZE

CHECKPOINT_FORMAT = "cadre-ledger-checkpoint/1"
_CHECKPOINT_FIELDS = ("format", "tree_size", "root_hash", "time", "key_fingerprint", "signature")


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
        "time": now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "key_fingerprint": fingerprint(private_key.public_key()),
    }
    cp["signature"] = base64.b64encode(private_key.sign(_signed_bytes(cp))).decode()
    return cp


def hash_field(doc: dict[str, Any], name: str, what: str) -> bytes:
    """A 32-byte hash given as hex in `doc[name]`."""
    value = doc.get(name)
    try:
        digest = bytes.fromhex(value) if isinstance(value, str) else b""
    except ValueError:
        digest = b""
    if len(digest) != HASH_SIZE:
        raise UnusableInput(f"{what}: {name} must be {HASH_SIZE * 2} hex digits")
    return digest


def int_field(doc: dict[str, Any], name: str, what: str, low: int = 0) -> int:
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
    return int_field(cp, "tree_size", what), hash_field(cp, "root_hash", what)


def load_checkpoint(path: str | Path) -> dict[str, Any]:
    """The checkpoint saved in a file, checked for shape but not yet for its signature."""
    cp = load_json(path, "checkpoint")
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


