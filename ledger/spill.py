"""Spill files: what an import keeps on disk instead of in memory, encrypted under a key held only in memory.

A `SpillDir` is a private temporary directory (mode 0700) removed when closed, also on error. Each `Spill`
in it is an append-only file of records, each sealed on its own with AES-256-GCM under a random key made
for that file (never written anywhere), so that nothing of the input is on disk in clear; a record is read
back by the offset `append` gave, or all of them in order.
"""
from __future__ import annotations

import os
import shutil
import struct
import tempfile
from collections.abc import Iterator
from types import TracebackType

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_HEADER = struct.Struct("<I")  # length of the sealed record that follows (nonce + ciphertext + tag)
_NONCE = 12


class Spill:
    """One append-only file of encrypted records."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._aead = AESGCM(AESGCM.generate_key(bit_length=256))
        self._file = open(path, "w+b")  # noqa: SIM115 - closed by close()
        self._fd = self._file.fileno()
        self._end = 0
        self._count = 0
        self._flushed = True

    def __len__(self) -> int:
        return self._count

    def append(self, data: bytes) -> int:
        """Write one record; its offset, for `read`."""
        self._count += 1
        nonce = self._count.to_bytes(_NONCE, "big")  # unique under this file's own key
        sealed = nonce + self._aead.encrypt(nonce, data, None)
        offset = self._end
        self._file.write(_HEADER.pack(len(sealed)))
        self._file.write(sealed)
        self._end += _HEADER.size + len(sealed)
        self._flushed = False
        return offset

    def read(self, offset: int) -> bytes:
        """The record written at `offset`."""
        self._flush()
        (size,) = _HEADER.unpack(os.pread(self._fd, _HEADER.size, offset))
        return self._open(os.pread(self._fd, size, offset + _HEADER.size))

    @property
    def end(self) -> int:
        """The offset the next record will have."""
        return self._end

    def __iter__(self) -> Iterator[bytes]:
        """Every record, in the order written."""
        return self.records()

    def records(self, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """The records from offset `start` (one `append` gave) up to offset `end` (or the end), in order."""
        self._flush()
        end = self._end if end is None else end
        with open(self.path, "rb") as f:
            f.seek(start)
            at = start
            while at < end:
                (size,) = _HEADER.unpack(f.read(_HEADER.size))
                yield self._open(f.read(size))
                at += _HEADER.size + size

    def close(self) -> None:
        """Close the file (the directory removes it)."""
        self._file.close()

    def _flush(self) -> None:
        if not self._flushed:
            self._file.flush()
            self._flushed = True

    def _open(self, sealed: bytes) -> bytes:
        return self._aead.decrypt(sealed[:_NONCE], sealed[_NONCE:], None)


class SpillDir:
    """A private temporary directory of spill files, removed with them on `close` (or leaving a `with`)."""

    def __init__(self) -> None:
        self.path = tempfile.mkdtemp(prefix="cadre-ledger-import-")
        self._spills: list[Spill] = []

    def spill(self, name: str) -> Spill:
        """A new, empty spill file in the directory."""
        made = Spill(os.path.join(self.path, f"{name}-{len(self._spills)}"))
        self._spills.append(made)
        return made

    def close(self) -> None:
        """Close and remove every spill file, and the directory."""
        for spill in self._spills:
            spill.close()
        self._spills.clear()
        shutil.rmtree(self.path, ignore_errors=True)

    def __enter__(self) -> SpillDir:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
