"""The one-pass verifier, run over in-memory events and seals, finds the first tampered position."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.integrity.hashes import GENESIS
from ledger.integrity.merkle import pack_frontier
from ledger.integrity.sealing import StoredHead, seal_rows
from ledger.integrity.verify import VerifyReport, check_log

Event = tuple[int, str, int, str, bytes]  # position, originator id, version, topic, state
T0 = 1_750_000_000_000_000  # µs


class _Memory:
    """Events and what `seal()` would have stored for them, read back as the verifier reads a database."""

    def __init__(self, events: list[Event], stored: list[Event] | None = None) -> None:
        frontier: list[bytes] = []
        inserted = [(*e, f"d-{e[0]}", f"h-{e[0]}") for e in events]
        self.seals, self.node_rows, chain = seal_rows(0, GENESIS, frontier, inserted, T0)
        self.stored_head = StoredHead(len(events), events[-1][0] if events else 0, chain, pack_frontier(frontier))
        self.events = events if stored is None else stored
        self.orphans: list[tuple[Any, ...]] = []

    def head(self) -> StoredHead:
        return self.stored_head

    def nodes(self) -> Iterator[tuple[int, bytes]]:
        return iter(self.node_rows)

    def rows(self) -> Iterable[Sequence[tuple[Any, ...]]]:
        by_position = {s[0]: s for s in self.seals}
        positions = {e[0] for e in self.events}
        self.orphans = [s for s in self.seals if s[0] not in positions]
        joined = []
        for position, oid, version, topic, state in self.events:
            s = by_position.get(position)
            seal = (s[1], s[4], s[5], s[6], s[7]) if s else (None,) * 5
            joined.append((position, oid, version, topic, state, *seal, f"d-{position}", f"h-{position}",
                           "commendation", f"cadre/{oid}"))
        return [joined]

    def seal_count(self) -> int:
        return len(self.seals)

    def first_orphan(self, before: int | None) -> tuple[Any, ...] | None:
        found = [s for s in self.orphans if before is None or s[0] < before]
        return tuple(found[0][:4]) if found else None

    def seal_identity(self, position: int) -> tuple[Any, Any] | None:
        return next(((s[2], s[3]) for s in self.seals if s[0] == position), None)

    def damage(self, position: int) -> str | None:
        return None


def verify_log(events: list[Event], sealed: list[Event] | None = None, sizes: Iterable[int] = ()) -> VerifyReport:
    """Verify `events` against the seals `sealed` (default: the events themselves) would have had."""
    memory = _Memory(sealed if sealed is not None else events, events)
    return check_log(memory, sizes)


def _log(size: int) -> list[Event]:
    return [(3 * i + 1, f"{i % 5:032x}", i // 5 + 1, "ledger.cadre:Cadre.Appointed", b"state-%d" % i)
            for i in range(size)]


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 300).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n - 1), st.integers(0, 5))))
def test_a_flipped_byte_anywhere_is_reported_at_its_position(case: tuple[int, int, int]) -> None:
    size, victim, byte = case
    events = _log(size)
    changed = list(events)
    position, oid, version, topic, state = events[victim]
    changed[victim] = (position, oid, version, topic, state[:byte] + bytes([state[byte] ^ 4]) + state[byte + 1:])

    report = verify_log(changed, events)

    assert (report.first_bad_position, report.first_bad_leaf) == (position, victim)
    assert f"decision d-{position}, cadre/{oid} v{version}" in (report.reason or "")


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 300).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n - 1))))
def test_a_deleted_event_is_reported_at_its_position(case: tuple[int, int]) -> None:
    size, victim = case
    events = _log(size)

    report = verify_log(events[:victim] + events[victim + 1:], events)

    assert report.first_bad_position == events[victim][0]
    assert "it was deleted" in (report.reason or "")


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 300), st.data())
def test_an_intact_log_verifies_and_keeps_roots_for_checkpoints(size: int, data: st.DataObject) -> None:
    events = _log(size)
    wanted = data.draw(st.sets(st.integers(0, size), max_size=4))

    report = verify_log(events, sizes=wanted)

    assert report.ok and report.events == size
    assert set(report.roots_at) == wanted
    for n in wanted:
        assert report.roots_at[n] == verify_log(events[:n]).root
