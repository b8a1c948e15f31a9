"""Recompute every event hash, the hash chain and the Merkle tree from the stored events in one pass,
compare them with the seals, nodes and head, and check the recomputed tree against saved checkpoints."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ledger.checkpoint import parse_checkpoint
from ledger.integrity import (
    EMPTY_ROOT, GENESIS, _EVENT_HEADER, _EVENT_TAG, node_of_key, root_from_frontier, unpack_frontier,
)
from ledger.sealing import Dialect, StoredHead, qualify, sql, stored_head

PAGE = 5000
MIN_KEY = -(1 << 63)
UUID_OID = 2950
SNAPSHOT = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
EventRow = tuple[int, str, int, str, bytes]
SealTuple = tuple[int, int, str, int, bytes, bytes]


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
    """Where the verifier reads what was sealed."""

    def head(self) -> StoredHead | None:
        """The stored head row."""

    def seals(self) -> Iterator[SealTuple]:
        """Every seal, in position order."""

    def nodes(self) -> Iterator[tuple[int, bytes]]:
        """Every stored interior node as (node_key, hash), in key order."""


def verify_log(
    events: Iterable[EventRow], source: SealSource, checkpoint_sizes: Iterable[int] = ()
) -> VerifyReport:
    """One pass over (position, originator_id, version, topic, state) rows in position order."""
    sha, pack, tag = hashlib.sha256, _EVENT_HEADER, _EVENT_TAG
    wanted = set(checkpoint_sizes)
    head = source.head()
    seal_iter = iter(source.seals())
    node_iter = iter(source.nodes())
    stored_node = next(node_iter, None)
    roots_at: dict[int, bytes] = {0: EMPTY_ROOT} if 0 in wanted else {}
    positions_at: dict[int, int] = {}
    frontier: list[bytes] = []
    pop, push = frontier.pop, frontier.append
    topics: dict[str, bytes] = {}
    size, chain, last_position = 0, GENESIS, 0
    bad: tuple[int, int, str] | None = None
    seal = next(seal_iter, None)
    for position, originator_id, version, topic, state in events:
        oid = originator_id.encode()
        top = topics.get(topic)
        if top is None:
            top = topics[topic] = topic.encode()
        digest = sha(pack(tag, len(oid), version, len(top), len(state)) + oid + top + state).digest()
        chain = sha(b"\x02" + chain + digest).digest()
        checking = bad is None
        if checking:
            if seal is None or seal[0] > position:
                bad = (position, size, f"event at position {position} ({originator_id} v{version}) "
                                       "has no seal: it was inserted after sealing")
            elif seal[0] < position:
                bad = _gone(seal)
            else:
                bad = _compare(seal, position, size, originator_id, version, digest, chain)
                seal = next(seal_iter, None)
        node = sha(b"\x00" + digest).digest()
        if size & 1:
            index, key = size, size << 6
            while index & 1:
                node = sha(b"\x01" + pop() + node).digest()
                index >>= 1
                key += 1
                if checking and bad is None:
                    if stored_node is not None and stored_node[0] == key and stored_node[1] == node:
                        stored_node = next(node_iter, None)
                    else:
                        bad = (position, size, f"{_node_problem(stored_node, key)} "
                                               f"(completed by the event at position {position})")
        push(node)
        size += 1
        last_position = position
        if size in wanted:
            roots_at[size], positions_at[size] = root_from_frontier(frontier), position
    report = VerifyReport(size, root_from_frontier(frontier), chain, head.size if head else 0,
                          roots_at=roots_at, positions_at=positions_at)
    if bad is None:
        bad = _check_end(seal, stored_node, head, size, last_position, chain, frontier)
    if bad is not None:
        report.first_bad_position, report.first_bad_leaf, report.reason = bad
    return report


def _compare(seal: SealTuple, position: int, size: int, originator_id: str, version: int,
             digest: bytes, chain: bytes) -> tuple[int, int, str] | None:
    """Why the seal at `position` does not match the recomputed event, or None."""
    if seal[4] != digest:
        if (seal[2], seal[3]) != (originator_id, version):
            return (position, size, f"event at position {position} is {originator_id} v{version} "
                                    f"but the seal names {seal[2]} v{seal[3]}: rows were moved or swapped")
        return (position, size, f"event at position {position} ({originator_id} v{version}) does not match "
                                "its seal: its topic or state bytes were changed")
    if seal[1] != size:
        return (position, size, f"seal at position {position} has leaf index {seal[1]}, expected {size}: "
                                "an earlier sealed event was removed together with its seal")
    if seal[5] != chain:
        return (position, size, f"hash chain breaks at position {position}: seals before it were rewritten")
    return None


def _node_problem(stored: tuple[int, bytes] | None, key: int) -> str:
    """Why the next stored node is not the recomputed node `key`."""
    level, idx = node_of_key(key)
    if stored is None or stored[0] > key:
        return f"Merkle node ({level}, {idx}) is missing"
    if stored[0] < key:
        return "Merkle node ({}, {}) is stored but no event completes it".format(*node_of_key(stored[0]))
    return f"Merkle node ({level}, {idx}) does not match the events under it"


def _gone(seal: SealTuple) -> tuple[int, int, str]:
    """A seal whose event is missing."""
    return (seal[0], seal[1], f"position {seal[0]} was sealed ({seal[2]} v{seal[3]}) "
                              "but its event is gone: it was deleted")


def _check_end(
    seal: SealTuple | None, stored_node: tuple[int, bytes] | None, head: StoredHead | None,
    size: int, last_position: int, chain: bytes, frontier: list[bytes],
) -> tuple[int, int, str] | None:
    """After the last event: leftover seals and nodes, and the head row."""
    if seal is not None:
        return _gone(seal)
    if head is None:
        return None if size == 0 else (last_position, 0, "the seal head row is missing")
    after = last_position + 1
    recorded = f"the seal head records {head.size} events up to position {head.last_position}"
    if head.size > size:
        return (after, size, f"{recorded} but the log ends with {size} at position {last_position}: "
                             "its tail was removed")
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


def check_against_checkpoint(report: VerifyReport, checkpoint: dict[str, Any]) -> CheckpointCheck:
    """Check the recomputed tree against one checkpoint's size and root."""
    return check_against_checkpoints(report, [checkpoint])[0]


class DbSealSource:
    """A SealSource reading the seal tables through a DB-API connection, in pages."""

    def __init__(self, connection: Any, dialect: Dialect, schema: str | None = None) -> None:
        self.connection, self.dialect, self.schema = connection, dialect, schema
        self.sql = sql(dialect, schema)

    def head(self) -> StoredHead | None:
        return stored_head(_cursor(self.connection, self.dialect), self.dialect, self.schema)

    def nodes(self) -> Iterator[tuple[int, bytes]]:
        return _pages(_cursor(self.connection, self.dialect), self.sql.nodes_page)

    def seals(self) -> Iterator[SealTuple]:
        return _pages(_cursor(self.connection, self.dialect), self.sql.seals_page)


def _cursor(connection: Any, dialect: Dialect) -> Any:
    """A cursor returning tuples."""
    if dialect == "postgres":
        from psycopg.rows import tuple_row
        return connection.cursor(row_factory=tuple_row)
    return connection.cursor()


def _pages(cursor: Any, statement: str) -> Iterator[Any]:
    """Every row of `statement` (keyed on its first column, with params key > ? and LIMIT ?), page by page."""
    after = MIN_KEY
    while True:
        cursor.execute(statement, (after, PAGE))
        rows = cursor.fetchall()
        yield from rows
        if len(rows) < PAGE:
            return
        after = rows[-1][0]


def iter_events(connection: Any, dialect: Dialect, table: str, schema: str | None = None) -> Iterator[EventRow]:
    """(position, originator_id, version, topic, state) of every stored event, in position order, in pages.

    On PostgreSQL a uuid originator_id is read as 32 hex digits, the form SQLite stores and seals cover.
    """
    cursor, name = _cursor(connection, dialect), qualify(table, schema)
    if dialect == "sqlite":
        position, oid, mark = "rowid", "originator_id", "?"
    else:
        cursor.execute(f"SELECT originator_id FROM {name} LIMIT 0")
        uuid_type = cursor.description[0].type_code == UUID_OID
        position, mark = "notification_id", "%s"
        oid = "replace(originator_id::text, '-', '')" if uuid_type else "originator_id"
    return _pages(cursor, f"SELECT {position}, {oid}, originator_version, topic, state FROM {name} "
                          f"WHERE {position} > {mark} ORDER BY {position} LIMIT {mark}")


def verify(
    connection: Any, dialect: Dialect, events_table: str, checkpoints: Sequence[dict[str, Any]] = (),
    schema: str | None = None,
) -> VerifyReport:
    """Verify the log in one read snapshot, and against `checkpoints` (whose signatures were checked)."""
    sizes = [parse_checkpoint(cp)[0] for cp in checkpoints]
    source = DbSealSource(connection, dialect, schema)
    if dialect == "sqlite":
        began = not connection.in_transaction
        if began:
            connection.execute("BEGIN")
        try:
            report = verify_log(iter_events(connection, dialect, events_table, schema), source, sizes)
        finally:
            if began:
                connection.rollback()
    else:
        from psycopg.pq import TransactionStatus
        idle = connection.info.transaction_status == TransactionStatus.IDLE
        with connection.transaction():
            if idle:
                _cursor(connection, dialect).execute(SNAPSHOT)
            report = verify_log(iter_events(connection, dialect, events_table, schema), source, sizes)
    report.checkpoints = check_against_checkpoints(report, checkpoints)
    return report
