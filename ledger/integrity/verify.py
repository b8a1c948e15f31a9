"""`verify` of the sealed log: recompute every event hash (binding, in format 2, the event's position,
recording time and decision-index row), the hash chain and the Merkle tree from the stored rows in one
pass; compare them with the seals, nodes and head; check that recording times never decrease; and check the
recomputed tree against saved checkpoints, including that nothing after a checkpoint claims to precede it."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any, Protocol

from ledger.integrity.checkpoints import checkpoint_time, parse_checkpoint
from ledger.integrity.hashes import EMPTY_ROOT, GENESIS, UNREADABLE, joined_event_hashes, micros, moment_of
from ledger.integrity.merkle import extend, node_of_key, parts_at, root_from_frontier, unpack_frontier
from ledger.integrity.sealed_log import DbReader, Joined
from ledger.integrity.sealing import StoredHead
from ledger.storage.session import Session
from ledger.storage.tables import Tables

Bad = tuple[int, int, str]
Progress = Callable[[int], object]  # told how many more events were checked
# Columns of a joined row (see `DbReader.rows`).
POS, OID, VERSION, TOPIC, STATE, LEAF, HASH, CHAIN, FORMAT, AT, REF, CHASH, TYPE, STREAM = range(14)


@dataclass
class CheckpointCheck:
    """Whether the current log still holds, unchanged, the tree a checkpoint signed."""

    tree_size: int
    ok: bool
    reason: str | None = None
    after_position: int | None = None
    up_to_position: int | None = None


@dataclass
class VerifyReport:
    """What one verification pass found: the recomputed tree and the first position that does not match."""

    events: int
    root: bytes
    chain_head: bytes
    head_size: int
    first_bad_position: int | None = None
    first_bad_leaf: int | None = None
    reason: str | None = None
    roots_at: dict[int, bytes] = field(default_factory=dict)
    positions_at: dict[int, int] = field(default_factory=dict)
    # for each checkpoint size: (position, recorded_at µs, who) of the first event after it
    first_after: dict[int, tuple[int, int | None, str]] = field(default_factory=dict)
    checkpoints: list[CheckpointCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the seals match and every checkpoint checked holds."""
        return self.reason is None and all(check.ok for check in self.checkpoints)


class Reader(Protocol):
    """What the one-pass check reads: see `ledger.integrity.sealed_log.DbReader`."""

    def head(self) -> StoredHead | str | None: ...
    def rows(self) -> Iterable[Sequence[Joined]]: ...
    def nodes(self) -> Iterator[tuple[int, Any]]: ...
    def seal_count(self) -> int: ...
    def first_orphan(self, before: int | None) -> tuple[int, Any, Any, Any] | None: ...
    def seal_identity(self, position: int) -> tuple[Any, Any] | None: ...
    def damage(self, position: int) -> str | None: ...


def check_log(reader: Reader, checkpoint_sizes: Iterable[int] = (), progress: Progress | None = None
              ) -> VerifyReport:
    """Recompute everything from `reader`'s rows; report the first position where the seals disagree.
    `progress` is told how many events each page held, once it is checked."""
    sizes = set(checkpoint_sizes)
    wanted = sorted(s for s in sizes if s > 0)
    roots_at: dict[int, bytes] = {0: EMPTY_ROOT} if 0 in sizes else {}
    positions_at: dict[int, int] = {}
    first_after: dict[int, tuple[int, int | None, str]] = {}
    head = reader.head()
    stored_nodes = reader.nodes()
    frontier: list[bytes] = []
    size, chain, position, last_at = 0, GENESIS, 0, -1
    bad: Bad | None = None
    for page in reader.rows():
        for part in parts_at(list(page), size, wanted):
            start = size
            if start in sizes:
                first_after[start] = (part[0][POS], part[0][AT], _who(part[0]))
            digests = joined_event_hashes(part)
            chains, nodes, chain = extend(start, chain, frontier, digests)
            size += len(part)
            position = part[-1][POS]
            if bad is None:
                stored = list(islice(stored_nodes, len(nodes)))
                if (stored != nodes or [r[HASH] for r in part] != digests or [r[CHAIN] for r in part] != chains
                        or [r[LEAF] for r in part] != list(range(start, size)) or UNREADABLE in digests):
                    bad = _first_bad(reader, part, start, digests, chains, nodes, stored)
                else:
                    bad, last_at = _recorded_in_order(part, start, last_at)
            if size in sizes:
                roots_at[size], positions_at[size] = root_from_frontier(frontier), position
        if progress is not None:
            progress(len(page))
    last_position = position
    if bad is not None or reader.seal_count() != size:
        orphan = reader.first_orphan(None if bad is None else bad[0])
        if orphan is not None:
            bad = _gone(orphan)
    if bad is None:
        bad = _check_end(next(stored_nodes, None), head, size, last_position, chain, frontier)
    head_size = head.size if isinstance(head, StoredHead) else 0
    report = VerifyReport(size, root_from_frontier(frontier), chain, head_size, roots_at=roots_at,
                          positions_at=positions_at, first_after=first_after)
    if bad is not None:
        report.first_bad_position, report.first_bad_leaf, report.reason = bad
    return report


def _who(row: Joined) -> str:
    """The event of a row as people know it: its decision and stream, or its aggregate when it has none."""
    if row[REF]:
        return f"decision {row[REF]}, {row[STREAM]} v{row[VERSION]}"
    return f"{row[OID]} v{row[VERSION]}"


def _recorded_in_order(part: list[Joined], start: int, last_at: int) -> tuple[Bad | None, int]:
    """The first event of `part` recorded earlier than the event before it (seals of format 1 carry no time)."""
    for i, row in enumerate(part):
        at = row[AT]
        if at is None:
            continue
        if at < last_at:
            return (row[POS], start + i, (
                f"the event at position {row[POS]} ({_who(row)}) was recorded at {_shown(at)}, earlier than the event "
                f"before it ({_shown(last_at)}): recording times never decrease along the log; it was "
                "backdated, or rows were moved")), last_at
        last_at = at
    return None, last_at


def _shown(us: int) -> str:
    return moment_of(us).isoformat(timespec="microseconds")


def _first_bad(reader: Reader, part: list[Joined], start: int, digests: list[bytes], chains: list[bytes],
               nodes: list[tuple[int, bytes]], stored: list[Any]) -> Bad:
    """The first event of `part` that does not match its seal, or whose completed nodes differ from those stored."""
    k = 0
    for i, row in enumerate(part):
        digest, leaf_index = digests[i], start + i
        if (row[HASH] != digest or row[CHAIN] != chains[i] or row[LEAF] != leaf_index
                or digest == UNREADABLE):
            return _explain(reader, row, leaf_index, digest)
        index = leaf_index
        while index & 1:
            got = stored[k] if k < len(stored) else None
            if got != nodes[k]:
                return (row[POS], leaf_index, (f"{_node_problem(got, nodes[k][0])} "
                                               f"(completed by the event at position {row[POS]})"))
            k += 1
            index >>= 1
    raise AssertionError("a part that differs from its seals has a first difference")


def _explain(reader: Reader, row: Joined, size: int, digest: bytes) -> Bad:
    """Why the event of `row` does not match its seal (called once, for the first one)."""
    position, leaf, sealed = row[POS], row[LEAF], row[HASH]
    who = _who(row)
    if sealed is None:
        return (position, size,
                f"event at position {position} ({who}) has no seal: it was inserted after sealing")
    damage = reader.damage(position)
    if damage or (digest == UNREADABLE and row[FORMAT] in (1, 2)):
        return (position, size, (f"event at position {position} ({who}) was changed outside the ledger: "
                                 f"{damage or 'it cannot be read as it was sealed'}"))
    if sealed != digest:
        named = reader.seal_identity(position)
        if named is not None and tuple(named) != (row[OID], row[VERSION]):
            return (position, size, (f"event at position {position} is {who} but the seal names "
                                     f"{named[0]} v{named[1]}: rows were moved or swapped"))
        if row[FORMAT] == 2 and row[REF] is None:
            return (position, size, (f"event at position {position} ({who}) has lost its decision-index row: "
                                     "it was deleted"))
        if row[FORMAT] == 2:
            return (position, size, (f"event at position {position} ({who}) does not match its seal: its "
                                     "topic, state, recording time or decision-index row was changed"))
        if row[FORMAT] == 1:
            return (position, size, (f"event at position {position} ({who}) does not match its seal: "
                                     "its topic or state bytes were changed"))
        return (position, size, f"seal at position {position} names an unknown format {row[FORMAT]!r}")
    if leaf != size:
        return (position, size, (f"seal at position {position} has leaf index {leaf}, expected {size}: "
                                 "an earlier sealed event was removed together with its seal"))
    return (position, size, f"hash chain breaks at position {position}: seals before it were rewritten")


def _node_problem(stored: tuple[int, Any] | None, key: int) -> str:
    """Why the next stored node is not the recomputed node `key`."""
    level, idx = node_of_key(key)
    if stored is None or stored[0] > key:
        return f"Merkle node ({level}, {idx}) is missing"
    if stored[0] < key:
        return "Merkle node ({}, {}) is stored but no event completes it".format(*node_of_key(stored[0]))
    return f"Merkle node ({level}, {idx}) does not match the events under it"


def _gone(seal: tuple[int, Any, Any, Any]) -> Bad:
    """A seal whose event is missing."""
    return (seal[0], seal[1], (f"position {seal[0]} was sealed ({seal[2]} v{seal[3]}) "
                               "but its event is gone: it was deleted"))


def _check_end(
    stored_node: tuple[int, Any] | None, head: StoredHead | str | None,
    size: int, last_position: int, chain: bytes, frontier: list[bytes],
) -> Bad | None:
    """After the last event: the head row and leftover nodes."""
    after = last_position + 1
    if isinstance(head, str):
        return (after, size, f"the seal head is damaged: {head}")
    if head is None:
        return None if size == 0 else (last_position, 0, "the seal head row is missing")
    recorded = f"the seal head records {head.size} events up to position {head.last_position}"
    if head.size > size:
        return (after, size, (f"{recorded} but the log ends with {size} at position {last_position}: "
                              "its tail was removed"))
    if head.size < size or head.last_position != last_position:
        return (after, size, f"{recorded}, the log has {size} up to position {last_position}")
    if head.chain_head != chain:
        return (after, size, "the seal head's chain hash does not match the recomputed chain")
    try:
        stored_frontier = unpack_frontier(head.frontier, head.size)
    except ValueError as error:
        return (after, size, f"the seal head is damaged: {error}")
    if stored_frontier != frontier:
        return (after, size, "the seal head's Merkle frontier does not match the recomputed tree")
    if stored_node is not None:
        return (after, size, "Merkle node ({}, {}) is stored but no event completes it".format(
            *node_of_key(stored_node[0])))
    return None


def check_against_checkpoints(
    report: VerifyReport, checkpoints: Iterable[dict[str, Any]]
) -> list[CheckpointCheck]:
    """Check the recomputed tree against each checkpoint (signatures are checked elsewhere), smallest first.

    A failed check says between which positions the change lies: after the last event of the largest
    smaller checkpoint that holds, and at or before the last event of the one that fails. The first event
    after a checkpoint must not have been recorded before the checkpoint was signed.
    """
    checks: list[CheckpointCheck] = []
    holding_position = 0
    for cp in sorted(checkpoints, key=lambda c: parse_checkpoint(c)[0]):
        size, root = parse_checkpoint(cp)
        if size > report.events:
            reason = f"the checkpoint covers {size} events but the log now has only {report.events}"
            checks.append(CheckpointCheck(size, False, f"{reason}: events were removed", holding_position))
            continue
        if size not in report.roots_at:
            raise ValueError(f"the log was not asked to keep the root at size {size}")
        if report.roots_at[size] != root:
            up_to = report.positions_at.get(size)
            reason = (f"the first {size} events no longer hash to the checkpoint's root: history was "
                      f"rewritten after position {holding_position} and at or before position {up_to}")
            checks.append(CheckpointCheck(size, False, reason, holding_position, up_to))
            continue
        backdated = _backdated(report.first_after.get(size), checkpoint_time(cp))
        checks.append(CheckpointCheck(size, backdated is None, backdated))
        holding_position = report.positions_at.get(size, 0)
    return checks


def _backdated(first_after: tuple[int, int | None, str] | None, signed: datetime) -> str | None:
    """Why the first event after a checkpoint claims to precede it, or None when it does not."""
    if first_after is None or first_after[1] is None or first_after[1] >= micros(signed):
        return None
    position, at, who = first_after[0], first_after[1], first_after[2]
    return (f"the event at position {position} ({who}) was recorded at {_shown(at)}, before the checkpoint was signed "
            f"({signed.isoformat()}) although the checkpoint does not contain it: it was backdated")


def verify(session: Session, checkpoints: Sequence[dict[str, Any]] = (), progress: Progress | None = None
           ) -> VerifyReport:
    """Verify the log in one read snapshot, and against `checkpoints` (whose signatures were checked);
    `progress` is told of the events checked as the pass goes (they add up to the events in the log)."""
    with session.snapshot() as cursor:
        return verify_through(cursor.connection, session.tables, checkpoints, session.seal_columns, session,
                              progress)


def verify_through(connection: Any, tables: Tables, checkpoints: Sequence[dict[str, Any]] = (),
                   seal_columns: frozenset[str] | None = None, session: Session | None = None,
                   progress: Progress | None = None) -> VerifyReport:
    """Verify the log through a DB-API connection, inside the caller's read transaction (on a large SQLite
    file, first on two processes; when they find any doubt, `progress` starts again from nothing)."""
    sizes = [parse_checkpoint(cp)[0] for cp in checkpoints]
    told = _Onward(progress) if progress is not None else None
    report = (_confirmed(connection, tables, sizes, told) if session is not None and tables.dialect == "sqlite"
              else None)
    if report is None:
        reader = DbReader(connection, tables) if seal_columns is None else DbReader(connection, tables, seal_columns)
        if told is not None:
            told.again()
        report = check_log(reader, sizes, told)
    report.checkpoints = check_against_checkpoints(report, checkpoints)
    return report


class _Onward:
    """A progress callback that never goes back: when a pass starts again, `progress` is told only of the events
    beyond those it was already told of."""

    def __init__(self, progress: Progress) -> None:
        self.progress, self.told, self.done = progress, 0, 0

    def again(self) -> None:
        self.done = 0

    def __call__(self, events: int) -> None:
        self.done += events
        if self.done > self.told:
            self.progress(self.done - self.told)
            self.told = self.done


def _confirmed(connection: Any, tables: Tables, sizes: Sequence[int], progress: Progress | None = None
               ) -> VerifyReport | None:
    """The report of an intact large SQLite log, confirmed on two processes; None to run the exact pass."""
    from ledger.integrity import two_process

    path = two_process.usable(connection, tables)
    found = two_process.confirm(connection, path, tables, sizes, progress) if path else None
    if found is None:
        return None
    head, (size, _, chain, frontier, roots_at, positions_at, first_after) = found
    return VerifyReport(size, root_from_frontier(frontier), chain, head.size, roots_at=roots_at,
                        positions_at=positions_at, first_after=first_after)
