"""The keys of an encrypted ledger, each derived from CADRE_LEDGER_CIPHER_KEY for one use (HKDF-SHA256).

The stored states of events and snapshots are encrypted with the key itself (AES-GCM, by the library's
cipher, as the first release did). Everything else that would otherwise show what a ledger holds is keyed
with a key of its own, so that no value in any table can be recomputed from guessable content without the
key:

- aggregate ids: a commitment to the stream name, `committed_id(HMAC(k_ids, stream), stream)`, so that a
  unit's stream cannot be found by hashing unit names (an inclusion proof reveals its own stream's salt);
- decision references in the decision index and the seals: a commitment to the decision id (likewise);
- content hashes, and the ids derived from them: HMAC-SHA256 instead of SHA-256;
- blind indexes: HMAC of NFKC-normalised text, for the reporting-table columns queries look up by equality;
- reporting rows: the values that are not visible are sealed with AES-GCM, bound to their table and subject.

Without the key a reader learns exactly what SPEC lists as visible: positions, versions, dates, cadre
numbers, post ids and event types.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache
from uuid import UUID

from ledger.commitments import committed_id, decision_ref
from ledger.commitments import stream_id as plain_stream_id

NONCE = 12
BLIND_PREFIX = "#"  # a blinded value: `#` and 32 hex digits (a unit stream is `unit/#…`)


class Unsealable(ValueError):
    """A sealed value that does not open with this key: another key's, or changed outside the ledger."""


class Keyring:
    """The keys derived from one ledger key. `keyed` is False for a ledger encrypted by the first release,
    whose ids, decision references and content hashes were written unkeyed and stay so."""

    def __init__(self, master: bytes, keyed: bool = True) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # only an encrypted ledger needs it

        self.keyed = keyed
        self._ids = _derive(master, b"stream ids")
        self._refs = _derive(master, b"decision references")
        self._content = _derive(master, b"content hashes")
        self._blind = _derive(master, b"blind indexes")
        self._rows = AESGCM(_derive(master, b"reporting rows"))
        self.fingerprint = _mac(_derive(master, b"fingerprint"), b"cadre-ledger key")[:32]
        self.stream_salt = lru_cache(maxsize=65536)(self._stream_salt)
        self.stream_id = lru_cache(maxsize=65536)(self._stream_id)

    @classmethod
    def from_text(cls, key: str, keyed: bool = True) -> Keyring:
        """The keyring of a base64 key (as CADRE_LEDGER_CIPHER_KEY holds it; checked by the caller)."""
        return cls(base64.b64decode(key), keyed)

    # --- ids and references -----------------------------------------------------------------------
    def _stream_salt(self, stream: str) -> bytes | None:
        return hmac.new(self._ids, stream.encode(), hashlib.sha256).digest()[:16] if self.keyed else None

    def _stream_id(self, stream: str) -> UUID:
        """The aggregate id of a stream (`cadre/HB-1`, `post/…`, `unit/…`)."""
        salt = self.stream_salt(stream)
        return plain_stream_id(stream) if salt is None else committed_id(salt, stream)

    def decision_salt(self, decision_id: str) -> bytes | None:
        """The salt of a decision's reference (None when references are unkeyed)."""
        return hmac.new(self._refs, decision_id.encode(), hashlib.sha256).digest()[:16] if self.keyed else None

    def decision_ref(self, decision_id: str) -> str:
        """How the decision index and the seals name a decision."""
        return decision_ref(decision_id, self.decision_salt(decision_id))

    def stored_stream(self, stream: str) -> str:
        """A stream name as the decision index and the reporting tables hold it: a unit's is blinded
        (`unit/#…`, the hex of its aggregate id); a cadre's number and a post id are visible."""
        if not self.keyed or not stream.startswith("unit/"):
            return stream
        return "unit/" + BLIND_PREFIX + self.stream_id(stream).hex

    def blinded_id(self, key: str) -> UUID | None:
        """The aggregate id a blinded stream key (`#` and 32 hex digits, from `stored_stream`) names, else None."""
        if not self.keyed or len(key) != 33 or not key.startswith(BLIND_PREFIX):
            return None
        try:
            return UUID(hex=key[1:])
        except ValueError:
            return None

    def content_hash(self, canonical: bytes) -> str:
        """The content hash of a decision's canonical bytes: HMAC-SHA256 (hex), SHA-256 when unkeyed."""
        if not self.keyed:
            return hashlib.sha256(canonical).hexdigest()
        return hmac.new(self._content, canonical, hashlib.sha256).hexdigest()

    # --- reporting tables ---------------------------------------------------------------------------
    def blind(self, kind: str, text: str) -> str:
        """A keyed blind index of normalised `text` for equality lookups in one kind of column."""
        return BLIND_PREFIX + _mac(self._blind, f"{kind}\0{text}".encode())[:32]

    def seal(self, payload: bytes, bound_to: bytes) -> str:
        """`payload` encrypted (AES-GCM, a fresh nonce), bound to `bound_to` (its table and subject), as text."""
        nonce = os.urandom(NONCE)
        return base64.b64encode(nonce + self._rows.encrypt(nonce, payload, bound_to)).decode("ascii")

    def unseal(self, sealed: str, bound_to: bytes) -> bytes:
        """What `seal` sealed; Unsealable for another key's value or one changed or moved outside the ledger."""
        from cryptography.exceptions import InvalidTag

        try:
            data = base64.b64decode(sealed, validate=True)
            return self._rows.decrypt(data[:NONCE], data[NONCE:], bound_to)
        except (InvalidTag, ValueError, TypeError) as e:
            raise Unsealable(str(e) or type(e).__name__) from None


def _derive(master: bytes, purpose: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"cadre-ledger " + purpose).derive(master)


def _mac(key: bytes, data: bytes) -> str:
    return hmac.new(key, data, hashlib.sha256).hexdigest()
