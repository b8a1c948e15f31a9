"""A compact table from decision ids to where their record is: about 21 bytes a decision instead of a dict entry.

Holds a 64-bit fingerprint of each id and a number (a spill offset) in two open-addressed arrays; `candidates`
gives the numbers stored under ids with the same fingerprint, for the caller to confirm against the record.
"""
from __future__ import annotations

from array import array
from hashlib import blake2b

_START = 1 << 12


def fingerprint(d_id: str) -> int:
    """A non-zero 64-bit fingerprint of a decision id."""
    return int.from_bytes(blake2b(d_id.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little") | 1


class IdTable:
    """Decision id fingerprints → numbers, growing as needed (at most three quarters full)."""

    def __init__(self) -> None:
        self._keys = array("Q", bytes(8 * _START))
        self._values = array("Q", bytes(8 * _START))
        self._used = 0

    def candidates(self, print_: int) -> list[int]:
        """The numbers stored under fingerprint `print_` (one, almost always, or none)."""
        keys, mask = self._keys, len(self._keys) - 1
        slot = print_ & mask
        found = []
        while (key := keys[slot]) != 0:
            if key == print_:
                found.append(self._values[slot])
            slot = (slot + 1) & mask
        return found

    def add(self, print_: int, value: int) -> None:
        """Store `value` under fingerprint `print_`."""
        if 4 * (self._used + 1) > 3 * len(self._keys):
            self._grow()
        self._put(self._keys, self._values, print_, value)
        self._used += 1

    def _put(self, keys: array[int], values: array[int], print_: int, value: int) -> None:
        mask = len(keys) - 1
        slot = print_ & mask
        while keys[slot] != 0:
            slot = (slot + 1) & mask
        keys[slot], values[slot] = print_, value

    def _grow(self) -> None:
        size = 2 * len(self._keys)
        keys, values = array("Q", bytes(8 * size)), array("Q", bytes(8 * size))
        for key, value in zip(self._keys, self._values, strict=True):
            if key:
                self._put(keys, values, key, value)
        self._keys, self._values = keys, values
