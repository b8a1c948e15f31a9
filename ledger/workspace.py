"""An import in progress: the streams it touches, as the ledger holds them plus what the import has added.

What the import adds is written at once to an encrypted spill file (the events to store, in line order); in
memory each stream keeps only its version and where its added events are, and the facts of the streams used
most recently (at most CACHED_FACTS facts in all): a stream let go is read again from the ledger and the spill
when a later line needs its history.

The hot path of a bulk import builds each event's stored state directly — the same dict, and so the
same bytes, that the aggregate's event class would give the library's mapper (a test pins this) —
without making a domain-event object per decision.
"""
from __future__ import annotations

import pickle
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, overload
from uuid import UUID

from eventsourcing.persistence import Transcoder
from eventsourcing.utils import get_topic

from ledger.aggregate import Subject
from ledger.cadre import Cadre
from ledger.decisions import Decision
from ledger.facts import Fact
from ledger.fastpaths import PendingEvent, fact_of, stored_state, untimed_state
from ledger.post import LeadershipPost
from ledger.spill import Spill
from ledger.subjects import CREATED, subject_class

CACHED_FACTS = 60_000
POST_FIELDS = ("role", "post_level", "title", "unit", "principal")


class Stream:
    """One subject as this import sees it: its version, its added events' offsets, its facts when held."""

    __slots__ = ("added", "cls", "facts", "first", "id", "in_ledger", "key", "later", "version")

    def __init__(self, cls: type[Subject], key: str, agg_id: UUID, version: int = 0, in_ledger: bool = False,
                 facts: list[Fact] | None = None, later: bool = False) -> None:
        self.cls, self.key, self.id, self.version, self.in_ledger = cls, key, agg_id, version, in_ledger
        self.later = later  # registered on an earlier line but checked later: known to exist, its history not yet
        self.added = array("Q")
        self.facts: list[Fact] | None = facts if facts is not None else []
        self.first: Fact | None = facts[0] if facts else None


class Facts(Sequence[Fact]):
    """A stream's facts, read (again) only when something looks into them."""

    __slots__ = ("_stream", "_work")

    def __init__(self, work: Workspace, stream: Stream) -> None:
        self._work, self._stream = work, stream

    def __len__(self) -> int:
        return self._stream.version

    @overload
    def __getitem__(self, i: int) -> Fact: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Fact]: ...
    def __getitem__(self, i: int | slice) -> Fact | Sequence[Fact]:
        if i == 0 and self._stream.first is not None:
            return self._stream.first
        return self._work.facts_of(self._stream)[i]

    def __iter__(self) -> Iterator[Fact]:
        return iter(self._work.facts_of(self._stream))


class Workspace:
    """Streams loaded from the ledger plus what this import has added, for lookups and checks."""

    def __init__(self, load: Callable[[UUID], Subject | None], id_of: Callable[[type[Subject], str], UUID],
                 spill: Spill, transcoder: Transcoder, cached_facts: int | None = None) -> None:
        self._load, self._id_of, self.spill, self.transcoder = load, id_of, spill, transcoder
        self._budget = CACHED_FACTS if cached_facts is None else cached_facts
        self._streams: dict[UUID, Stream | None] = {}
        self._held: OrderedDict[UUID, int] = OrderedDict()  # streams whose facts are in memory → how many
        self._held_facts = 0
        self.registered: dict[UUID, int] | None = None  # subjects registered in the file → their register line
        self.line = 0  # the line being checked: another subject registered at or after it is not yet registered

    def __len__(self) -> int:
        """How many events this import has added."""
        return len(self.spill)

    def stream(self, cls: type[Subject], key: str) -> Stream | None:
        """The stream as the ledger holds it plus this import's additions; None when not registered (yet, as of
        the line being checked)."""
        agg_id = self._id_of(cls, key)
        found = self._stream(cls, key, agg_id)
        at = self.registered.get(agg_id) if self.registered is not None else None
        if at is None:
            return found
        if at >= self.line:
            return None
        return found if found is not None else Stream(cls, key, agg_id, later=True)

    def _stream(self, cls: type[Subject], key: str, agg_id: UUID | None = None) -> Stream | None:
        agg_id = self._id_of(cls, key) if agg_id is None else agg_id
        if agg_id not in self._streams:
            registered_here = self.registered is not None and agg_id in self.registered  # so not in the ledger
            found = None if registered_here else self._load(agg_id)
            stream = None if found is None else Stream(cls, key, agg_id, found.version, True, list(found.facts))
            self._streams[agg_id] = stream
            if stream is not None:
                self._hold(stream)
        return self._streams[agg_id]

    def facts_of(self, stream: Stream) -> list[Fact]:
        """The stream's facts, read again from the ledger and the spill when they were let go."""
        if stream.later:
            raise AssertionError(f"the history of {stream.cls.stream(stream.key)} was asked for before it was "
                                 "checked: another subject's checks may ask only whether it is registered")
        if stream.facts is None:
            facts: list[Fact] = []
            if stream.in_ledger:
                found = self._load(stream.id)
                facts = list(found.facts) if found is not None else []
            for offset in stream.added:
                facts.append(self._fact_of_record(self.spill.read(offset), stream))
            stream.facts = facts
        self._hold(stream)
        return stream.facts

    def cadre_facts(self, cadre: str) -> Sequence[Fact] | None:
        found = self.stream(Cadre, cadre)
        return Facts(self, found) if found is not None else None

    def post_facts(self, post: str) -> Sequence[Fact] | None:
        found = self.stream(LeadershipPost, post)
        return Facts(self, found) if found is not None else None

    def post_info(self, post: str) -> dict[str, Any] | None:
        """A registered post's register fields: role, post_level, title, unit, principal."""
        found = self.stream(LeadershipPost, post)
        if found is not None and found.later:
            self.facts_of(found)  # refused: posts are checked before the cadres whose checks ask for them
        if found is None or found.first is None:
            return None
        return {k: found.first.get(k) for k in POST_FIELDS}

    def next_fact(self, decision: Decision, actor: str) -> Fact:
        """The fact that `decision` would become if recorded now (for the rule checks)."""
        cls = subject_class(decision)
        found = self.stream(cls, decision[cls.subject_key])
        seq = found.version + 1 if found is not None else 1
        return {"doc": None, "authority": None, "note": None, "case": None, "override_reason": None,
                **decision, "recorded_at": datetime.now(UTC), "seq": seq, "actor": actor}

    def add(self, decision: Decision, content_hash: str, actor: str, override_reason: str | None,
            number: int = 0) -> int:
        """Record `decision` (of line `number`) on its stream and in the spill; the record's offset."""
        cls = subject_class(decision)
        key = decision[cls.subject_key]
        stream = self._stream(cls, key)
        if stream is None:
            agg_id = self._id_of(cls, key)
            stream = self._streams[agg_id] = Stream(cls, key, agg_id)
        first = stream.version == 0
        event_class = CREATED[cls] if first else cls.events_by_type[decision["type"]]
        state = stored_state(decision, event_class, cls, key, actor, override_reason, first)
        stream.version += 1
        untimed = untimed_state(self.transcoder, state)
        record = (number, stream.id.bytes, stream.version, get_topic(event_class),
                  state if untimed is None else untimed, state["timestamp"], decision["id"], content_hash,
                  cls.stream(key), decision["type"], event_class.decision_type)
        offset = self.spill.append(pickle.dumps(record, pickle.HIGHEST_PROTOCOL))
        stream.added.append(offset)
        fact = fact_of(state, event_class.decision_type, stream.version, cls.subject_key, key)
        if first:
            stream.first = fact
        if stream.facts is not None:
            stream.facts.append(fact)
            self._hold(stream)
        return offset

    def recorded(self, offset: int) -> tuple[str, str]:
        """The decision id and content hash of the record at `offset`."""
        record = pickle.loads(self.spill.read(offset))
        return record[6], record[7]

    def _fact_of_record(self, data: bytes, stream: Stream) -> Fact:
        _, _, version, _, body, moment, *_, decision_type = pickle.loads(data)
        state = {**self.transcoder.decode(body), "timestamp": moment} if isinstance(body, bytes) else body
        return fact_of(state, decision_type, version, stream.cls.subject_key, stream.key)

    def _hold(self, stream: Stream) -> None:
        """Count the stream's facts as held (most recently used), letting go of the least recent over budget."""
        held = self._held
        self._held_facts += len(stream.facts or ()) - held.pop(stream.id, 0)
        held[stream.id] = len(stream.facts or ())
        while self._held_facts > self._budget and len(held) > 1:
            agg_id, count = held.popitem(last=False)
            let_go = self._streams[agg_id]
            if let_go is not None:
                let_go.facts = None
            self._held_facts -= count


def pending_events(spill: Spill, start: int = 0, end: int | None = None) -> Iterator[tuple[int, PendingEvent]]:
    """(line number, event to write) for each record of a workspace's spill (from offset `start` to `end`), in the
    order added."""
    for data in spill.records(start, end):
        number, oid, version, topic, body, moment, d_id, chash, stream, dtype, _ = pickle.loads(data)
        agg_id = UUID(bytes=oid)
        index = (d_id, chash, stream, dtype, agg_id, version)
        if isinstance(body, bytes):
            yield number, PendingEvent(agg_id, version, topic, {"timestamp": moment}, index, body)
        else:
            yield number, PendingEvent(agg_id, version, topic, body, index)
