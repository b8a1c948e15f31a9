"""`verify`: recompute every event hash, the hash chain and the Merkle tree from the stored events in one pass,
compare them with the seals, nodes and head, and check the recomputed tree against saved checkpoints."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Protocol

from ledger.integrity.checkpoints import parse_checkpoint
from ledger.integrity.hashes import EMPTY_ROOT, GENESIS, UNREADABLE, event_hashes
from ledger.integrity.merkle import extend, node_of_key, parts_at, root_from_frontier, unpack_frontier
from ledger.integrity.sealed_log import DbReader, Joined
from ledger.integrity.sealing import StoredHead
from ledger.storage.session import Session
from ledger.storage.tables import Tables

EventRow = tuple[int, str, int, str, bytes]
SealTuple = tuple[int, int, str, int, bytes, bytes]
Bad = tuple[int, int, str]


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
    checkpoints: list[CheckpointCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the seals match and every checkpoint checked holds."""
        return self.reason is None and all(check.ok for check in self.checkpoints)


class SealSource(Protocol):
    """Where the verifier reads what was sealed (in memory, for `verify_log`)."""

    def head(self) -> StoredHead | None:
        """The stored head row."""

    def seals(self) -> Iterator[SealTuple]:
        """Every seal, in position order."""

    def nodes(self) -> Iterator[tuple[int, bytes]]:
        """Every stored interior node as (node_key, hash), in key order."""


class Reader(Protocol):
    """What the one-pass check reads: see `ledger.seal_reader.DbReader`."""

    def head(self) -> StoredHead | str | None: ...
    def rows(self) -> Iterable[Iterable[Joined]]: ...
    def nodes(self) -> Iterator[tuple[int, Any]]: ...
    def seal_count(self) -> int: ...
    def first_orphan(self, before: int | None) -> tuple[int, Any, Any, Any] | None: ...
    def seal_identity(self, position: int) -> tuple[Any, Any] | None: ...
    def damage(self, position: int) -> str | None: ...


def verify_log(
    events: Iterable[EventRow], source: SealSource, checkpoint_sizes: Iterable[int] = ()
) -> VerifyReport:
    """One pass over (position, originator_id, version, topic, state) rows in position order."""
    return check_log(_MemoryReader(events, source), checkpoint_sizes)


def check_log(reader: Reader, checkpoint_sizes: Iterable[int] = ()) -> VerifyReport:
    """Recompute everything from `reader`'s rows; report the first position where the seals disagree."""
    sizes = set(checkpoint_sizes)
    wanted = sorted(s for s in sizes if s > 0)
    roots_at: dict[int, bytes] = {0: EMPTY_ROOT} if 0 in sizes else {}
    positions_at: dict[int, int] = {}
    head = reader.head()
    stored_nodes = reader.nodes()
    frontier: list[bytes] = []
    size, chain, position = 0, GENESIS, 0
    bad: Bad | None = None
    for page in reader.rows():
        for part in parts_at(list(page), size, wanted):
            start = size
            digests = event_hashes(row[1:5] for row in part)
            chains, nodes, chain = extend(start, chain, frontier, digests)
            size += len(part)
            position = part[-1][0]
            if bad is None:
                stored = list(islice(stored_nodes, len(nodes)))
                if (stored != nodes or [r[6] for r in part] != digests or [r[7] for r in part] != chains
                        or [r[5] for r in part] != list(range(start, size)) or UNREADABLE in digests):
                    bad = _first_bad(reader, part, start, digests, chains, nodes, stored)
            if size in sizes:
                roots_at[size], positions_at[size] = root_from_frontier(frontier), position
    last_position = position
    if bad is not None or reader.seal_count() != size:
        orphan = reader.first_orphan(None if bad is None else bad[0])
        if orphan is not None:
            bad = _gone(orphan)
    if bad is None:
        bad = _check_end(next(stored_nodes, None), head, size, last_position, chain, frontier)
    head_size = head.size if isinstance(head, StoredHead) else 0
    report = VerifyReport(size, root_from_frontier(frontier), chain, head_size, roots_at=roots_at,
                          positions_at=positions_at)
    if bad is not None:
        report.first_bad_position, report.first_bad_leaf, report.reason = bad
    return report


def _first_bad(reader: Reader, part: list[Joined], start: int, digests: list[bytes], chains: list[bytes],
               nodes: list[tuple[int, bytes]], stored: list[Any]) -> Bad:
    """The first event of `part` that does not match its seal, or whose completed nodes differ from those stored."""
    k = 0
    for i, (position, originator_id, version, _, _, leaf, sealed, sealed_chain) in enumerate(part):
        digest, leaf_index = digests[i], start + i
        if sealed != digest or sealed_chain != chains[i] or leaf != leaf_index or digest == UNREADABLE:
            return _explain(reader, position, leaf_index, originator_id, version, digest, leaf, sealed)
        index = leaf_index
        while index & 1:
            got = stored[k] if k < len(stored) else None
            if got != nodes[k]:
                return (position, leaf_index, (f"{_node_problem(got, nodes[k][0])} "
                                              f"(completed by the event at position {position})"))
            k += 1
            index >>= 1
    raise AssertionError("a part that differs from its seals has a first difference")


def _explain(reader: Reader, position: int, size: int, originator_id: Any, version: Any, digest: bytes,
             leaf: Any, sealed: Any) -> Bad:
    """Why the event at `position` does not match its seal (called once, for the first one)."""
    who = f"{originator_id} v{version}"
    if sealed is None:
        return (position, size,
                f"event at position {position} ({who}) has no seal: it was inserted after sealing")
    damage = reader.damage(position)
    if damage or digest == UNREADABLE:
        return (position, size, (f"event at position {position} was changed outside the ledger: "
                                f"{damage or 'it cannot be read as it was sealed'}"))
    if sealed != digest:
        named = reader.seal_identity(position)
        if named is not None and tuple(named) != (originator_id, version):
            return (position, size, (f"event at position {position} is {who} but the seal names "
                                    f"{named[0]} v{named[1]}: rows were moved or swapped"))
        return (position, size, (f"event at position {position} ({who}) does not match its seal: "
                                "its topic or state bytes were changed"))
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


class _MemoryReader:
    """A Reader over in-memory events and a SealSource, joining them by position."""

    def __init__(self, events: Iterable[EventRow], source: SealSource) -> None:
        self.events, self.source = events, source
        self.orphans: list[SealTuple] = []
        self.identities: dict[int, tuple[str, int]] = {}
        self.count = 0

    def head(self) -> StoredHead | None:
        return self.source.head()

    def nodes(self) -> Iterator[tuple[int, bytes]]:
        return iter(self.source.nodes())

    def rows(self) -> Iterable[Iterable[Joined]]:
        return [self._joined()]

    def _joined(self) -> Iterator[Joined]:
        seals = iter(self.source.seals())
        seal = next(seals, None)
        for position, oid, version, topic, state in self.events:
            while seal is not None and seal[0] < position:
                self._keep(seal, orphan=True)
                seal = next(seals, None)
            if seal is not None and seal[0] == position:
                self._keep(seal)
                yield position, oid, version, topic, state, seal[1], seal[4], seal[5]
                seal = next(seals, None)
            else:
                yield position, oid, version, topic, state, None, None, None
        while seal is not None:
            self._keep(seal, orphan=True)
            seal = next(seals, None)

    def _keep(self, seal: SealTuple, orphan: bool = False) -> None:
        self.count += 1
        self.identities[seal[0]] = (seal[2], seal[3])
        if orphan:
            self.orphans.append(seal)

    def seal_count(self) -> int:
        return self.count

    def first_orphan(self, before: int | None) -> tuple[int, Any, Any, Any] | None:
        found = [s for s in self.orphans if before is None or s[0] < before]
        return (found[0][0], found[0][1], found[0][2], found[0][3]) if found else None

    def seal_identity(self, position: int) -> tuple[Any, Any] | None:
        return self.identities.get(position)

    def damage(self, position: int) -> str | None:
        return None


def check_against_checkpoints(
    report: VerifyReport, checkpoints: Iterable[dict[str, Any]]
) -> list[CheckpointCheck]:
    """Check the recomputed tree against each checkpoint (signatures are checked elsewhere), smallest first.

    A failed check says between which positions the change lies: after the last event of the largest
    smaller checkpoint that holds, and at or before the last event of the one that fails.
    """
    checks: list[CheckpointCheck] = []
    holding_position = 0
    for size, root in sorted(parse_checkpoint(cp) for cp in checkpoints):
        if size > report.events:
            reason = f"the checkpoint covers {size} events but the log now has only {report.events}"
            checks.append(CheckpointCheck(size, False, f"{reason}: events were removed", holding_position))
            continue
        if size not in report.roots_at:
            raise ValueError(f"verify_log was not asked to keep the root at size {size}")
        if report.roots_at[size] == root:
            checks.append(CheckpointCheck(size, True))
            holding_position = report.positions_at.get(size, 0)
            continue
        up_to = report.positions_at.get(size)
        reason = (f"the first {size} events no longer hash to the checkpoint's root: history was "
                  f"rewritten after position {holding_position} and at or before position {up_to}")
        checks.append(CheckpointCheck(size, False, reason, holding_position, up_to))
    return checks


def verify(session: Session, checkpoints: Sequence[dict[str, Any]] = ()) -> VerifyReport:
    """Verify the log in one read snapshot, and against `checkpoints` (whose signatures were checked)."""
    with session.snapshot() as cursor:
        sizes = [parse_checkpoint(cp)[0] for cp in checkpoints]
        confirmed = _confirmed(cursor.connection, session, sizes) if session.dialect == "sqlite" else None
        if confirmed is None:
            return verify_through(cursor.connection, session.tables, checkpoints)
    confirmed.checkpoints = check_against_checkpoints(confirmed, checkpoints)
    return confirmed


def verify_through(connection: Any, tables: Tables, checkpoints: Sequence[dict[str, Any]] = ()) -> VerifyReport:
    """Verify the log through a DB-API connection, inside the caller's read transaction (the exact pass)."""
    report = check_log(DbReader(connection, tables), [parse_checkpoint(cp)[0] for cp in checkpoints])
    report.checkpoints = check_against_checkpoints(report, checkpoints)
    return report


def _confirmed(connection: Any, session: Session, sizes: Sequence[int]) -> VerifyReport | None:
    """The report of an intact large SQLite log, confirmed on two processes; None to run the exact pass."""
    from ledger.integrity import two_process

    path = two_process.usable(connection, session.tables)
    found = two_process.confirm(connection, path, session.tables, sizes) if path else None
    if found is None:
        return None
    head, (size, _, chain, frontier, roots_at, positions_at) = found
    return VerifyReport(size, root_from_frontier(frontier), chain, head.size, roots_at=roots_at,
                        positions_at=positions_at)
