"""Ed25519 signing keys: a new pair, loading either half, and the fingerprint that names a key."""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ledger.errors import UnusableInput
from ledger.integrity.files import read_small_file

SIGNING_KEY_ENV = "CADRE_LEDGER_SIGNING_KEY"


def generate_keypair(private_path: str | Path, public_path: str | Path) -> str:
    """Write a new Ed25519 key pair as PEM (private file mode 0600), both files or neither; return its fingerprint.

    Missing directories are created (the private key's with mode 0700); each key is written to a temporary file
    beside its target, then both are moved into place; an existing file is never overwritten."""
    private, public = Path(private_path), Path(public_path)
    if os.path.abspath(private) == os.path.abspath(public):
        raise UnusableInput(f"--private and --public both name {private}; give each key its own file")
    for path in (private, public):
        if path.is_dir():
            raise UnusableInput(f"{path} is a directory; name a key file inside it, e.g. {path / 'cadre-ledger.key'}")
        if path.exists() or path.is_symlink():
            raise UnusableInput(f"{path} already exists; choose another path or remove it first")
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    _write_both([(private, private_pem, 0o600), (public, public_pem, 0o644)])
    return fingerprint(key.public_key())


def _write_both(files: list[tuple[Path, bytes, int]]) -> None:
    """Write every file or none: temporary files first, then each moved into place (rolled back on failure)."""
    temps: list[Path] = []
    placed: list[Path] = []
    done = False
    try:
        for path, _, mode in files:
            _make_directory(path.parent, 0o700 if mode == 0o600 else 0o755)
        for path, data, mode in files:
            temps.append(_temporary(path, data, mode))
        for (path, _, _), temp in zip(files, temps):
            _place(temp, path)
            placed.append(path)
        done = True
    except OSError as error:
        where = error.filename if error.filename is not None else files[len(placed)][0]
        raise UnusableInput(f"cannot write {where}: {error.strerror or error}; no key was written") from None
    finally:
        for temp in temps:
            temp.unlink(missing_ok=True)
        if not done:
            for path in placed:
                path.unlink(missing_ok=True)


def _make_directory(directory: Path, mode: int) -> None:
    """Create a missing output directory (and its parents); one that cannot be made is unusable input."""
    if directory.is_dir():
        return
    try:
        directory.mkdir(mode=mode, parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise UnusableInput(f"cannot create the directory {directory}: a file is in the way (part of the path is a "
                            "file, not a directory); choose another path") from None
    except OSError as error:
        raise UnusableInput(f"cannot create the directory {directory}: {error.strerror or error}; "
                            "create it, or choose another path") from None


def _temporary(path: Path, data: bytes, mode: int) -> Path:
    """A temporary file beside `path` holding `data`, flushed to disk."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temp = Path(name)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except OSError:
        temp.unlink(missing_ok=True)
        raise
    return temp


def _place(temp: Path, path: Path) -> None:
    """Move `temp` to `path`, never replacing a file that appeared there meanwhile."""
    try:
        os.link(temp, path)  # fails when `path` exists
    except FileExistsError:
        raise UnusableInput(f"{path} already exists; choose another path or remove it first") from None
    except OSError:  # a file system without hard links (a FAT removable medium)
        if path.exists():
            raise UnusableInput(f"{path} already exists; choose another path or remove it first") from None
        os.replace(temp, path)


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
