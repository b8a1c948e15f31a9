"""Spill files: what an import keeps on disk instead of in memory, encrypted under a key held only in memory.

A `SpillDir` is a private temporary directory (mode 0700) removed when closed, also on error. Each `Spill`
in it is an append-only file of records (made when its first block is full: a small import never touches
the disk), unlinked as soon as it is opened (so that a killed process leaves
nothing), gathered in blocks of about BLOCK bytes each sealed with AES-256-GCM under a random key made for
that file (never written anywhere), so that nothing of the input is on disk in clear; a record is read back
by the offset `append` gave, or records in order from one offset to another.
"""
from __future__ import annotations

import os
import shutil
import struct
import tempfile
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

BLOCK = 1 << 14
_LENGTH = struct.Struct("<I")  # before each record in a block: its length
_NONCE = 12


class Spill:
    """One append-only file of records, encrypted a block at a time."""

    def __init__(self, path: Callable[[], str]) -> None:
        self._path = path
        self.path: str | None = None  # the file's name, once it is made (it is unlinked at once)
        self._aead: AESGCM | None = None  # its key is made with the file
        self._file: BinaryIO | None = None
        self._fd = -1
        self._starts = array("Q")  # by block: the offset of its first record
        self._places = array("Q")  # by block: where its sealed bytes are in the file
        self._sizes = array("Q")  # by block: how many sealed bytes
        self._buffer = bytearray()  # the records after the last block, in clear, in memory
        self._buffer_start = 0
        self._file_end = 0
        self._count = 0
        self._cached: tuple[int, bytes] = (-1, b"")

    def __len__(self) -> int:
        return self._count

    @property
    def end(self) -> int:
        """The offset the next record will have."""
        return self._buffer_start + len(self._buffer)

    def append(self, data: bytes) -> int:
        """Write one record; its offset, for `read`."""
        offset = self.end
        self._buffer += _LENGTH.pack(len(data))
        self._buffer += data
        self._count += 1
        if len(self._buffer) >= BLOCK:
            self._seal()
        return offset

    def read(self, offset: int) -> bytes:
        """The record written at `offset`."""
        if offset >= self._buffer_start:
            at = offset - self._buffer_start
            return bytes(self._buffer[at + _LENGTH.size:at + _LENGTH.size + _length(self._buffer, at)])
        block = bisect_right(self._starts, offset) - 1
        plain = self._block(block)
        at = offset - self._starts[block]
        return plain[at + _LENGTH.size:at + _LENGTH.size + _length(plain, at)]

    def __iter__(self) -> Iterator[bytes]:
        """Every record, in the order written."""
        return self.records()

    def records(self, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """The records from offset `start` (one `append` gave) up to offset `end` (or the end), in order."""
        end = self.end if end is None else end
        if not self._starts:  # all of it still in memory
            yield from _records(bytes(self._buffer[start:end]))
            return
        self._seal()
        block = bisect_right(self._starts, start) - 1
        offset = start
        while offset < end:
            plain = self._open(block)
            at = offset - self._starts[block]
            while at < len(plain) and offset < end:
                size = _length(plain, at)
                yield plain[at + _LENGTH.size:at + _LENGTH.size + size]
                at += _LENGTH.size + size
                offset += _LENGTH.size + size
            block += 1

    def close(self) -> None:
        """Close the file (the directory removes it)."""
        if self._file is not None:
            self._file.close()

    def _seal(self) -> None:
        """Encrypt the records in memory as one block and write it."""
        if not self._buffer:
            return
        if self._file is None:
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # a small import never needs it

            self._aead = AESGCM(AESGCM.generate_key(bit_length=256))
            self.path = path = self._path()
            self._file = open(path, "w+b")  # noqa: SIM115 - closed by close()
            self._fd = self._file.fileno()
            os.unlink(path)  # read and written through the open file alone: nothing is left if the process is killed
        nonce = (len(self._starts) + 1).to_bytes(_NONCE, "big")  # unique under this file's own key
        assert self._aead is not None  # made with the file, above
        sealed = nonce + self._aead.encrypt(nonce, bytes(self._buffer), None)
        self._file.write(sealed)
        self._file.flush()
        self._starts.append(self._buffer_start)
        self._places.append(self._file_end)
        self._sizes.append(len(sealed))
        self._file_end += len(sealed)
        self._buffer_start += len(self._buffer)
        self._buffer = bytearray()

    def _block(self, block: int) -> bytes:
        """A block in clear (the last one read is kept)."""
        if self._cached[0] != block:
            self._cached = (block, self._open(block))
        return self._cached[1]

    def _open(self, block: int) -> bytes:
        sealed = os.pread(self._fd, self._sizes[block], self._places[block])
        assert self._aead is not None  # a block is read only once written
        return self._aead.decrypt(sealed[:_NONCE], sealed[_NONCE:], None)


def _length(data: bytes | bytearray, at: int) -> int:
    return int(_LENGTH.unpack_from(data, at)[0])


def _records(plain: bytes) -> Iterator[bytes]:
    """The records of a stretch of clear bytes, in order."""
    at = 0
    while at < len(plain):
        size = _length(plain, at)
        yield plain[at + _LENGTH.size:at + _LENGTH.size + size]
        at += _LENGTH.size + size


class SpillDir:
    """A private temporary directory of spill files, removed with them on `close` (or leaving a `with`)."""

    def __init__(self) -> None:
        self._path: str | None = None  # made when a spill first writes to disk
        self._spills: list[Spill] = []

    @property
    def path(self) -> str:
        """The directory, made on first use."""
        if self._path is None:
            self._path = tempfile.mkdtemp(prefix="cadre-ledger-import-")
        return self._path

    def spill(self, name: str) -> Spill:
        """A new, empty spill file in the directory."""
        number = len(self._spills)
        made = Spill(lambda: os.path.join(self.path, f"{name}-{number}"))
        self._spills.append(made)
        return made

    def close(self) -> None:
        """Close and remove every spill file, and the directory."""
        for spill in self._spills:
            spill.close()
        self._spills.clear()
        if self._path is not None:
            shutil.rmtree(self._path, ignore_errors=True)

    def __enter__(self) -> SpillDir:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
