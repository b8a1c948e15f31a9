"""Fast paths around the eventsourcing library, each pinned by a test to the library's own behaviour.

- `stored_state` builds the state dict an event class would hand the library's mapper, and `encode` turns
  such states into stored events the way the mapper does (the same bytes are written);
- `decode_state` reads a stored state back, through the event class's upcasters exactly as the mapper does
  (the same upcasting), and `fact_of` turns it into the fact `Decided.fact` would give;
- `SubjectLoader` replays a snapshot and the events after it directly, with a small in-process cache
  brought forward by one query (the same aggregate is loaded).
"""
from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Snapshot
from eventsourcing.persistence import IntegrityError, Mapper, OperationalError, StoredEvent, Transcoder
from eventsourcing.utils import TopicError, get_topic, resolve_topic

from ledger.aggregate import Subject
from ledger.events import Decided, event_kwargs
from ledger.facts import fact_of
from ledger.storage.failures import is_contention
from ledger.storage.transcoder import to_jsonable

__all__ = ["PendingEvent", "SubjectLoader", "decode_state", "encode", "event_class", "fact_of", "plain_state",
           "stored_state"]

CACHE_SIZE = 256
# what decoding a stored event that was changed outside the ledger can raise: a topic naming no class, bytes
# that are not msgpack (or not the cipher's), a state without the fields of its event
UNREADABLE = (TopicError, ValueError, TypeError, KeyError, AttributeError, IndexError, ArithmeticError)


@dataclass
class PendingEvent:
    """An event to write: identity, topic, the state dict to encode, and its decision-index row; or, with
    `untimed`, the state's bytes without its timestamp (`state` then holds the timestamp alone)."""

    originator_id: UUID
    version: int
    topic: str
    state: dict[str, Any]
    index: tuple[Any, ...]
    untimed: bytes | None = None


@cache
def event_class(topic: str) -> Any:
    """The class a stored event's topic names."""
    return resolve_topic(topic)


# --- writing ------------------------------------------------------------------------------------------------
def stored_state(decision: dict[str, Any], event_cls: type[Decided], subject: type[Subject], key: str,
                 actor: str, override_reason: str | None, first: bool) -> dict[str, Any]:
    """The state `event_cls` would give the mapper for `decision` (`first`: the event that opens the stream)."""
    state: dict[str, Any] = {"timestamp": datetime.now(UTC),
                             **event_kwargs(decision, subject.subject_key, actor, override_reason)}
    if first:
        state["originator_topic"] = get_topic(subject)
        state["key"] = key
    class_version = getattr(event_cls, "class_version", 1)
    if class_version > 1:
        state["class_version"] = class_version
    return state


def untimed_state(transcoder: Transcoder, state: dict[str, Any]) -> bytes | None:
    """The transcoder's bytes of `state` without its timestamp, which `encode` completes with the time of
    writing (the same bytes as encoding the whole state, the timestamp being its last key in sorted order);
    None for a state with a key after "timestamp"."""
    untimed = {k: v for k, v in state.items() if k != "timestamp"}
    if any(k > "timestamp" for k in untimed):
        return None
    return transcoder.encode(untimed)


def encode(mapper: Mapper[UUID], pending: Sequence[PendingEvent], now: datetime | None = None) -> list[StoredEvent]:
    """Stored events for pending ones, recorded at `now` (when given): transcoded, compressed and encrypted as
    the mapper does."""
    stored = []
    tails: dict[datetime, bytes] = {}
    for p in pending:
        if now is not None:
            p.state["timestamp"] = now
        if p.untimed is not None:
            moment = p.state["timestamp"]
            tail = tails.get(moment)
            if tail is None:
                tail = tails[moment] = mapper.transcoder.encode({"timestamp": moment})[1:]  # after a 1-entry map
            state = _timed(p.untimed, tail)
        else:
            state = mapper.transcoder.encode(p.state)
        if mapper.compressor:
            state = mapper.compressor.compress(state)
        if mapper.cipher:
            state = mapper.cipher.encrypt(state)
        stored.append(StoredEvent(originator_id=p.originator_id, originator_version=p.version, topic=p.topic,
                                  state=state))
    return stored


def _timed(untimed: bytes, tail: bytes) -> bytes:
    """The bytes of a map encoded without its last entry, with that entry (`tail`) added."""
    first = untimed[0]
    if 0x80 <= first <= 0x8F:
        count, size = first & 0x0F, 1
    else:
        size = 3 if first == 0xDE else 5
        count = int.from_bytes(untimed[1:size], "big")
    count += 1
    header = (bytes([0x80 | count]) if count <= 0x0F else
              b"\xde" + count.to_bytes(2, "big") if count <= 0xFFFF else b"\xdf" + count.to_bytes(4, "big"))
    return header + untimed[size:] + tail


# --- reading ------------------------------------------------------------------------------------------------
def plain_state(mapper: Mapper[UUID], state: bytes) -> bytes:
    """A stored state as the transcoder wrote it: decrypted and decompressed the way the mapper stores it."""
    data = bytes(state)
    if mapper.cipher:
        data = mapper.cipher.decrypt(data)
    if mapper.compressor:
        data = mapper.compressor.decompress(data)
    return data


def decode_state(mapper: Mapper[UUID], topic: str, state: bytes, originator_id: UUID, version: int,
                 for_json: bool = False) -> dict[str, Any]:
    """A stored event's state as the mapper would give it to its class, upcast to the class's version.

    With `for_json`, dates, datetimes and Decimals come as the ISO / decimal strings they are stored as.
    """
    cls = event_class(topic)
    plain = plain_state(mapper, state)
    transcoder: Any = mapper.transcoder
    data: dict[str, Any] = transcoder.decode_for_json(plain) if for_json else transcoder.decode(plain)
    stored_version = data.pop("class_version", 1)
    current = getattr(cls, "class_version", 1)
    if stored_version >= current:
        return data
    if for_json:  # upcasters see the stored types, as through the mapper
        data = transcoder.decode(plain)
        data.pop("class_version", None)
    data["originator_id"], data["originator_version"] = originator_id, version
    while stored_version < current:
        getattr(cls, f"upcast_v{stored_version}_v{stored_version + 1}")(data)
        stored_version += 1
    del data["originator_id"], data["originator_version"]
    return to_jsonable(data) if for_json else data


class SubjectLoader:
    """Loads subjects for one application; returned subjects are shared: callers never mutate them."""

    def __init__(self, app: Application, snapshot_interval: int, cache_size: int = CACHE_SIZE,
                 keep_snapshots: bool = True) -> None:
        self.app, self.interval, self.size, self.keep_snapshots = app, snapshot_interval, cache_size, keep_snapshots
        self.cache: OrderedDict[UUID, Subject] = OrderedDict()

    def load(self, agg_id: UUID) -> Subject | None:
        """The subject as stored now, or None when there is no such stream."""
        cached = self.cache.get(agg_id)
        if cached is not None:
            newer = list(self.app.events.get(agg_id, gt=cached.version))
            subject = _advanced(cached, newer) if newer else cached
        else:
            replayed = self._replay(agg_id)
            if replayed is None:
                return None
            subject = replayed
        self.cache[agg_id] = subject
        self.cache.move_to_end(agg_id)
        while len(self.cache) > self.size:
            self.cache.popitem(last=False)
        return subject

    def _replay(self, agg_id: UUID) -> Subject | None:
        subject: Any = None
        since = 0
        snapshots = self.app.snapshots
        session: Any = getattr(self.app, "session", None)
        if snapshots is not None and session is not None:  # the latest snapshot and the events after it, one query
            mapper = self.app.mapper
            param = agg_id if session.dialect == "postgresql" else agg_id.hex
            for is_snapshot, version, topic, state in session.rows(session.tables.stream_with_snapshot, (param,) * 3):
                domain: Any = mapper.to_domain_event(StoredEvent(originator_id=agg_id, originator_version=version,
                                                                 topic=topic, state=bytes(state)))
                if is_snapshot:
                    subject, since = domain.mutate(None), version
                else:
                    subject = domain.mutate(subject)
        else:
            if snapshots is not None:
                found: Iterable[Any] = snapshots.get(agg_id, desc=True, limit=1)
                for snapshot in found:
                    subject, since = snapshot.mutate(None), snapshot.originator_version
            events: Iterable[Any] = self.app.events.get(agg_id, gt=since or None)
            for event in events:
                subject = event.mutate(subject)
        if (self.keep_snapshots and subject is not None and snapshots is not None
                and subject.version - since >= self.interval):
            try:
                snapshots.put([Snapshot.take(subject)])
            except IntegrityError:
                pass  # another process took the same snapshot at the same moment: it is there
            except OperationalError as e:
                if not is_contention(e):
                    raise
                # writers hold the lock: a snapshot only saves work, so this read goes on without saving one
        return subject

    def snapshot_damage(self, agg_id: UUID) -> str | None:
        """`snapshot v100: …` when the latest snapshot of a stream cannot be read or is not the replay of its
        events up to its version; None when it is, or when there is none."""
        snapshots = self.app.snapshots
        if snapshots is None:
            return None
        try:
            found: list[Any] = list(snapshots.get(agg_id, desc=True, limit=1))
            if not found:
                return None
            version = found[0].originator_version
            kept = found[0].mutate(None)
        except (TopicError, *UNREADABLE):  # the library's MapperDeserialisationError is a ValueError
            return "its latest snapshot cannot be read"
        replayed: Any = None
        events: Iterable[Any] = self.app.events.get(agg_id, lte=version)
        for event in events:
            replayed = event.mutate(replayed)
        if replayed is None or getattr(kept, "facts", None) != replayed.facts:
            return f"snapshot v{version}: not the replay of its events"
        return None


def _advanced(cached: Subject, events: list[Any]) -> Subject:
    """A copy of `cached` with `events` applied (the cached object itself is left as it was)."""
    subject: Any = copy.copy(cached)
    subject.facts = list(cached.facts)
    for event in events:
        subject = event.mutate(subject)
    return subject
