"""What a ledger records about itself beside its events: whether it is encrypted, and with which key.

An encrypted ledger knows it: the first write with a key records the key's fingerprint (an HMAC of a
constant under a key derived from it, never the key); a ledger first written without a key records that
it is not encrypted. Every open compares the key it is given (CADRE_LEDGER_CIPHER_KEY) with what the
ledger recorded, so that a write without the key, with another key, or with a key to a ledger that is not
encrypted is refused before anything is written, and a read without the right key says so in one line.

A ledger of an earlier release recorded nothing: its first stored event tells whether it is encrypted
(and with this key), and its first write records what it found. One encrypted by the first release keeps
the unkeyed ids, decision references and content hashes it was written with (`keyed_ids` is `no`).
"""
from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass

from ledger.errors import StorageError
from ledger.storage.keyring import Keyring
from ledger.storage.session import Session
from ledger.storage.tables import META

KEY_ENV = "CADRE_LEDGER_CIPHER_KEY"
CIPHER, FINGERPRINT, KEYED_IDS = "cipher", "key_fingerprint", "keyed_ids"
HOW_TO_MAKE = ("python -c \"import os,base64;print(base64.b64encode(os.urandom(32)).decode())\"")
# Reads a stored state: True when it decodes with the ledger's key (`keyed`) or without one, False when not.
Decodes = Callable[[bytes, bool], bool]


@dataclass(frozen=True)
class Keying:
    """How one open of a ledger stands to its key: the keyring (None: not encrypted), and what is wrong
    (None: nothing) — a read that needs no key (`verify --log-only`) may go on despite it."""

    keyring: Keyring | None
    problem: str | None = None

    def required(self) -> Keyring | None:
        """The keyring, or the one-line refusal (exit 2) when the key is missing or wrong."""
        if self.problem is not None:
            raise StorageError(self.problem)
        return self.keyring


def checked_key(text: str | None) -> str | None:
    """The key as given (trimmed), or None; refused when it is not base64 of 16, 24 or 32 bytes."""
    key = (text or "").strip()
    if not key:
        return None
    try:
        if len(base64.b64decode(key, validate=True)) not in (16, 24, 32):
            raise ValueError
    except (ValueError, binascii.Error):
        raise StorageError(f"{KEY_ENV} must be base64 of 16, 24 or 32 random bytes, e.g. the output of "
                           f"{HOW_TO_MAKE}") from None
    return key


def read_meta(session: Session) -> dict[str, str]:
    """What the ledger recorded about itself (nothing for a ledger of an earlier release), without DDL."""
    statement, params = session.tables.columns_query(META)
    with session.transaction(commit=False) as c:
        c.raw.execute(statement, params)
        if not c.raw.fetchall():
            return {}
        return dict(c.execute(f"SELECT name, value FROM {session.tables.meta}").fetchall())


def record_meta(session: Session, values: dict[str, str]) -> dict[str, str]:
    """Record `values` where nothing is recorded yet (a concurrent first write may win); what now stands."""
    with session.transaction() as c:
        for name, value in values.items():
            c.execute(f"INSERT INTO {session.tables.meta} (name, value) VALUES (?, ?) ON CONFLICT DO NOTHING",
                      (name, value))
    return read_meta(session)


def first_state(session: Session) -> bytes | None:
    """The stored state of the ledger's first event, or None when it holds none."""
    t = session.tables
    with session.transaction(commit=False) as c:
        row = c.execute(f"SELECT state FROM {t.events} ORDER BY {t.position} LIMIT 1").fetchone()
    return None if row is None else bytes(row[0])


def settle(session: Session, key: str | None, writable: bool, decodes: Decodes) -> Keying:
    """Compare the key given with what the ledger recorded (or, for an earlier release's ledger, with its first
    event), recording what it finds on a write; the keyring to use, or what is wrong."""
    meta = read_meta(session)
    if CIPHER not in meta:
        meta = _found(session, key, decodes)
        if writable and _consistent(meta, key) is None:
            meta = record_meta(session, meta)
    problem = _consistent(meta, key)
    if problem is not None or key is None:
        return Keying(None, problem)
    return Keying(Keyring.from_text(key, keyed=meta.get(KEYED_IDS) != "no"), None)


def _found(session: Session, key: str | None, decodes: Decodes) -> dict[str, str]:
    """What to record for a ledger that recorded nothing about itself: from its first event, or, when it has
    none, from the key this first write is given."""
    state = first_state(session)
    if state is None:
        if key is None:
            return {CIPHER: "none"}
        return {CIPHER: "aes-gcm", FINGERPRINT: Keyring.from_text(key).fingerprint, KEYED_IDS: "yes"}
    if decodes(state, False):
        return {CIPHER: "none"}
    if key is not None and decodes(state, True):  # encrypted by the first release, with this key
        return {CIPHER: "aes-gcm", FINGERPRINT: Keyring.from_text(key).fingerprint, KEYED_IDS: "no"}
    if key is None:
        return {CIPHER: "aes-gcm"}  # encrypted, by a key not known here: refused below
    return {CIPHER: "aes-gcm", FINGERPRINT: "another key"}


def _consistent(meta: dict[str, str], key: str | None) -> str | None:
    """What is wrong with opening a ledger that recorded `meta` with `key` (None: nothing)."""
    if meta.get(CIPHER) == "none":
        if key is not None:
            return (f"this ledger is not encrypted, but {KEY_ENV} is set: unset it to use this ledger (a ledger "
                    "is encrypted from its first write on, or never)")
        return None
    if key is None:
        return (f"this ledger is encrypted: set {KEY_ENV} to its key (`verify --log-only` checks its sealed log "
                "without the key)")
    if meta.get(FINGERPRINT) != Keyring.from_text(key).fingerprint:
        return (f"{KEY_ENV} is not this ledger's key (its fingerprint differs): set the key the ledger was first "
                "written with")
    return None
