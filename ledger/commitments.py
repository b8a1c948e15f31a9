"""Commitments: how an encrypted ledger names a decision or a stream in the clear without revealing it.

A commitment is a hash of a salt and a text; the salt is derived from the ledger's key (`Keyring`), so that
without the key nobody can test a guess, and an inclusion proof that reveals the salt of its own decision
and stream shows exactly what it binds. Pure functions: no key, no database.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from uuid import NAMESPACE_URL, UUID, uuid5

STREAM_TAG = b"CLS1"  # an aggregate id committing to its stream name


def decision_ref(decision_id: str, salt: bytes | None = None) -> str:
    """How the decision index and format-2 seals name a decision: its id, or on an encrypted ledger a
    commitment to it, hex SHA-256(salt ‖ id) with a salt derived from the ledger's key (a proof reveals the
    salt of its own decision, and so shows which decision it binds without the key)."""
    return decision_id if salt is None else hashlib.sha256(salt + decision_id.encode()).hexdigest()


def committed_id(salt: bytes, stream: str) -> UUID:
    """On an encrypted ledger, the aggregate id of a stream: a commitment to its name, the first 16 bytes of
    SHA-256("CLS1" ‖ salt ‖ name) as a UUID, the salt derived from the ledger's key (a proof reveals the salt
    of its own stream, and so shows which stream its event belongs to without the key)."""
    return UUID(bytes=hashlib.sha256(STREAM_TAG + salt + stream.encode()).digest()[:16], version=4)


@lru_cache(maxsize=65536)
def stream_id(stream: str) -> UUID:
    """The aggregate id of a stream (`cadre/HB-1`, `post/…`, `unit/…`) on a ledger that is not encrypted (or was
    encrypted by the first release): uuid5 of its natural key."""
    return uuid5(NAMESPACE_URL, f"cadre-ledger:/{stream}")
