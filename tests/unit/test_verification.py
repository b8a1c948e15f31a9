"""The one-pass verifier, run over in-memory events and seals, finds the first tampered position."""
from __future__ import annotations

from collections.abc import Iterator

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.integrity.hashes import GENESIS
from ledger.integrity.merkle import pack_frontier
from ledger.integrity.sealing import StoredHead, seal_rows
from ledger.integrity.verify import verify_log

Event = tuple[int, str, int, str, bytes]


class _Sealed:
    """Events sealed in memory: what `seal()` would have stored."""

    def __init__(self, events: list[Event]) -> None:
        frontier: list[bytes] = []
        self.seal_rows, self.node_rows, chain = seal_rows(0, GENESIS, frontier, events)
        self.stored = StoredHead(len(events), events[-1][0] if events else 0, chain, pack_frontier(frontier))

    def head(self) -> StoredHead | None:
        return self.stored

    def seals(self) -> Iterator[tuple[int, int, str, int, bytes, bytes]]:
        return iter(self.seal_rows)

    def nodes(self) -> Iterator[tuple[int, bytes]]:
        return iter(self.node_rows)


def _log(size: int) -> list[Event]:
    return [(3 * i + 1, f"{i % 5:032x}", i // 5 + 1, "ledger.cadre:Cadre.Appointed", b"state-%d" % i)
            for i in range(size)]


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 300).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n - 1), st.integers(0, 5))))
def test_a_flipped_byte_anywhere_is_reported_at_its_position(case: tuple[int, int, int]) -> None:
    size, victim, byte = case
    events = _log(size)
    sealed = _Sealed(events)
    position, oid, version, topic, state = events[victim]
    events[victim] = (position, oid, version, topic, state[:byte] + bytes([state[byte] ^ 4]) + state[byte + 1:])

    report = verify_log(events, sealed)

    assert (report.first_bad_position, report.first_bad_leaf) == (position, victim)


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 300).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n - 1))))
def test_a_deleted_event_is_reported_at_its_position(case: tuple[int, int]) -> None:
    size, victim = case
    events = _log(size)
    sealed = _Sealed(events)

    report = verify_log(events[:victim] + events[victim + 1:], sealed)

    assert report.first_bad_position == events[victim][0]
    assert "it was deleted" in (report.reason or "")


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 300), st.data())
def test_an_intact_log_verifies_and_keeps_roots_for_checkpoints(size: int, data: st.DataObject) -> None:
    events = _log(size)
    wanted = data.draw(st.sets(st.integers(0, size), max_size=4))

    report = verify_log(events, _Sealed(events), wanted)

    assert report.ok and report.events == size
    assert set(report.roots_at) == wanted
    for n in wanted:
        assert report.roots_at[n] == verify_log(events[:n], _Sealed(events[:n])).root
