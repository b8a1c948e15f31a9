"""Every stream replayed straight from its stored states, one stream at a time, all read in one snapshot.

Used to rebuild the read models and by `verify`'s checks of everything derived from the log. No
domain-event objects are made: each state is decoded (and upcast) and turned into the fact `Decided.fact`
would give (see `ledger.fastpaths`). With `joined`, each event also comes with its decision-index row and
its seal's recording time, for the checks.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from uuid import UUID

from eventsourcing.persistence import Mapper

from ledger.errors import IntegrityFailure, StorageError
from ledger.facts import Fact
from ledger.fastpaths import UNREADABLE, decode_state, event_class, fact_of
from ledger.storage.failures import first_line
from ledger.storage.session import Cursor, Session, pages


class Around(NamedTuple):
    """What stands beside one event: its decision-index row and its seal."""

    decision_id: str | None
    stream: str | None
    type: str | None
    recorded_at: int | None
    format: int | None


@dataclass
class Replayed:
    """One stream's facts in recording order, with each event's position (and, when joined, what is beside it)."""

    originator_id: UUID
    subject_key: str
    key: str
    facts: list[Fact] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    around: list[Around] = field(default_factory=list)

    @property
    def stream(self) -> str:
        """The stream name: `cadre/HB-1`, `post/…`, `unit/…`."""
        return f"{self.subject_key}/{self.key}"

    def up_to(self, position: int) -> list[Fact]:
        """The facts of the events at or before `position`."""
        return [f for f, p in zip(self.facts, self.positions) if p <= position]


def replay_streams(session: Session, mapper: Mapper[UUID], *, joined: bool = False,
                   within: Cursor | None = None) -> Iterator[Replayed]:
    """Every stream, ordered by aggregate id, each with its events in version order; read in one snapshot of
    its own, or in the read transaction of `within` (so that other reads see the same database)."""
    current: Replayed | None = None
    for row in _rows(session, joined, within):
        agg_id, version, topic, state, position = row[:5]
        if current is not None and agg_id != current.originator_id:
            yield current
            current = None
        try:
            data = decode_state(mapper, topic, state, agg_id, version)
            if current is None:
                if "originator_topic" not in data:
                    raise IntegrityFailure(f"the stream of the event at position {position} does not start with "
                                           f"its first event (it starts at version {version}); run "
                                           "`cadre-ledger verify`")
                subject = event_class(data["originator_topic"])
                current = Replayed(agg_id, subject.subject_key, data["key"])
            current.facts.append(fact_of(data, event_class(topic).decision_type, version, current.subject_key,
                                         current.key))
        except UNREADABLE as error:
            raise _unreadable(mapper, error, position, version, agg_id) from None
        current.positions.append(position)
        current.topics.append(topic)
        if joined:
            current.around.append(Around(*row[5:]))
    if current is not None:
        yield current


def _unreadable(mapper: Mapper[UUID], error: BaseException, position: int, version: int,
                agg_id: UUID) -> StorageError:
    """The one-line error for an event that cannot be read: another key, or a row changed outside the ledger."""
    where = f"the stored event at position {position} (v{version} of {agg_id})"
    if mapper.cipher is not None:
        return StorageError(f"cannot decrypt {where} with CADRE_LEDGER_CIPHER_KEY: the key is not this ledger's, "
                            "or the event was changed; check the key, then run `cadre-ledger verify --log-only`")
    return StorageError(f"cannot read {where}: {type(error).__name__}: {first_line(error)}; it was changed "
                        "outside the ledger: run `cadre-ledger verify` to find every damaged position")


def _rows(session: Session, joined: bool, within: Cursor | None) -> Iterator[tuple[Any, ...]]:
    """Every stored event ordered by aggregate then version, read in one consistent snapshot."""
    statement = session.tables.events_around(session.seal_columns) if joined else session.tables.events_by_stream
    if within is None:
        with session.snapshot() as c:
            yield from _rows(session, joined, c)
        return
    for row in pages(within, statement, "replay"):
        yield ((row[0] if isinstance(row[0], UUID) else UUID(row[0])), row[1], row[2], bytes(row[3]), *row[4:])
