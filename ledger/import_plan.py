"""The order in which an import checks its lines: stream by stream in groups, each group in line order.

A line's checks look at its own subject's whole history and, of other subjects, only whether a cadre or post
is registered and a post's register fields. Registration in a file is decided by the line alone (a register
line is accepted when its subject is not in the ledger, its id is not recorded, and no earlier line registered
the subject), so it is known before any rule runs; with it, posts and units are checked first, then cadres a
group at a time (the group's histories fit in memory), and a lookup of another subject sees it registered only
from the line after its register line, as in a line-by-line check. A file that repeats a decision id (whose
second line depends on whether the first was accepted, on any subject) is checked line by line, in one group.
"""
from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from uuid import UUID

from ledger.aggregate import Subject
from ledger.subjects import SUBJECTS

GROUP_LINES = 40_000
REGISTERING = {"register": "cadre", "post-register": "post"}
_BUCKETS = 256  # repeated ids are looked for a bucket of hashes at a time (each sorted on its own)
_FEW = 65_536  # up to this many lines, in one set


@dataclass
class ParsedLines:
    """What the import keeps of each parsed line in memory: where its record is, and its subject."""

    offsets: array[int] = field(default_factory=lambda: array("Q"))
    streams: array[int] = field(default_factory=lambda: array("I"))
    subjects: list[tuple[str, str]] = field(default_factory=list)  # (kind, key) by stream number
    registers: list[tuple[int, int, str]] = field(default_factory=list)  # stream number, line, decision id
    repeated_id: bool = False  # whether two lines may have the same decision id (known once reading is done)
    _numbers: dict[tuple[str, str], int] = field(default_factory=dict)
    _prints: array[int] = field(default_factory=lambda: array("q"))  # each line's id hashed

    def __len__(self) -> int:
        return len(self.offsets)

    def add(self, number: int, d_id: str, kind: str, key: str, dtype: str, offset: int) -> None:
        """Note parsed line `number` (decision `d_id` of type `dtype` on `kind` `key`), whose record is at `offset`."""
        subject = (kind, key)
        stream = self._numbers.get(subject)
        if stream is None:
            stream = self._numbers[subject] = len(self.subjects)
            self.subjects.append(subject)
        self.offsets.append(offset)
        self.streams.append(stream)
        if REGISTERING.get(dtype) == kind:
            self.registers.append((stream, number, d_id))
        self._prints.append(hash(d_id))

    def done(self) -> None:
        """Find whether ids repeat (or their 64-bit hashes do), and let go of what only reading needed."""
        self._numbers.clear()
        if len(self._prints) <= _FEW:
            self.repeated_id = len(set(self._prints)) != len(self._prints)
            self._prints = array("q")
            return
        buckets = [array("q") for _ in range(_BUCKETS)]
        for print_ in self._prints:
            buckets[print_ % _BUCKETS].append(print_)
        self._prints = array("q")
        while buckets and not self.repeated_id:
            ordered = sorted(buckets.pop())
            self.repeated_id = any(a == b for a, b in pairwise(ordered))


@dataclass
class Plan:
    """Groups of parsed lines (indexes, in line order within each) and, when checked out of line order, the line
    at which each subject registered in the file becomes registered (by aggregate id)."""

    groups: list[Sequence[int]]
    registered: dict[UUID, int] | None


def plan(lines: ParsedLines, id_of: Callable[[type[Subject], str], UUID],
         in_ledger: Callable[[UUID], bool], recorded: Callable[[Sequence[str]], dict[str, tuple[str, str]]],
         group_lines: int | None = None) -> Plan:
    """The order to check `lines` in, given the ledger as it is now."""
    group_lines = GROUP_LINES if group_lines is None else group_lines
    count = len(lines)
    if lines.repeated_id or count <= group_lines:
        return Plan([range(count)], None)
    known = recorded([d_id for _, _, d_id in lines.registers])
    registered: dict[UUID, int] = {}
    decided: set[int] = set()
    for stream, number, d_id in lines.registers:
        if stream in decided or d_id in known:
            continue
        kind, key = lines.subjects[stream]
        agg_id = id_of(SUBJECTS[kind], key)
        decided.add(stream)
        if not in_ledger(agg_id):
            registered[agg_id] = number
    group_of = _groups(lines, group_lines)
    groups: list[array[int]] = [array("I") for _ in range(max(group_of, default=0) + 1)]
    for index, stream in enumerate(lines.streams):
        groups[group_of[stream]].append(index)
    return Plan([g for g in groups if g], registered)


def _groups(lines: ParsedLines, group_lines: int) -> array[int]:
    """The group of each stream: 0 for posts and units, then cadres in order of first appearance, about
    `group_lines` lines a group."""
    sizes = array("Q", bytes(8 * len(lines.subjects)))
    for stream in lines.streams:
        sizes[stream] += 1
    group_of = array("I", bytes(4 * len(lines.subjects)))
    group, filled = 1, 0
    for stream, (kind, _) in enumerate(lines.subjects):
        if kind != "cadre":
            continue
        if filled and filled + sizes[stream] > group_lines:
            group, filled = group + 1, 0
        group_of[stream] = group
        filled += sizes[stream]
    return group_of
