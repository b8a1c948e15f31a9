"""Ed25519 signing keys: a new pair, loading either half, and the fingerprint that names a key."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ledger.errors import UnusableInput
from ledger.integrity.files import read_small_file

SIGNING_KEY_ENV = "CADRE_LEDGER_SIGNING_KEY"


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


def load_private_key(path: str | Path) -> Ed25519PrivateKey:
    """The Ed25519 signing key in a PEM file."""
    return _private_key(read_small_file(path, "signing key"), str(path))


def _private_key(pem: bytes, where: str) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as error:
        raise UnusableInput(f"{where} is not an unencrypted PEM private key: {error}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise UnusableInput(f"{where} is not an Ed25519 key; create one with `cadre-ledger keygen`")
    return key


def load_public_key(path: str | Path) -> Ed25519PublicKey:
    """The Ed25519 public key in a PEM file."""
    try:
        key = serialization.load_pem_public_key(read_small_file(path, "public key"))
    except (ValueError, TypeError) as error:
        raise UnusableInput(f"{path} is not a PEM public key: {error}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise UnusableInput(f"{path} is not an Ed25519 public key; use the one `cadre-ledger keygen` wrote")
    return key


def fingerprint(public_key: Ed25519PublicKey) -> str:
    """SHA-256 hex of the raw 32-byte public key."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def signing_key(path: str | None) -> Ed25519PrivateKey:
    """The Ed25519 private key from --key, or from CADRE_LEDGER_SIGNING_KEY (a path or the PEM text)."""
    value = path or os.environ.get(SIGNING_KEY_ENV)
    if not value:
        raise UnusableInput(f"no signing key: pass --key FILE or set {SIGNING_KEY_ENV} (make one with keygen)")
    if value.lstrip().startswith("-----BEGIN"):
        return _private_key(value.encode(), SIGNING_KEY_ENV)
    return load_private_key(value)
