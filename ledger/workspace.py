"""An import in progress: the streams it touches, loaded once and extended in memory until saved.

The hot path of a bulk import builds each event's stored state directly — the same dict, and so the
same bytes, that the aggregate's event class would give the library's mapper (a test pins this) —
without making a domain-event object per decision.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from ledger.aggregate import Subject
from ledger.cadre import Cadre
from ledger.decisions import Decision
from ledger.facts import Fact
from ledger.fastpaths import PendingEvent, fact_of, stored_state
from ledger.post import LeadershipPost
from ledger.subjects import CREATED, subject_class


@dataclass
class Stream:
    """One subject as this import sees it: its facts so far and its version."""

    cls: type[Subject]
    key: str
    id: UUID
    version: int = 0
    facts: list[Fact] = field(default_factory=list)


class Workspace:
    """Streams loaded from the ledger plus what this import has added, for lookups and checks."""

    def __init__(self, load: Callable[[UUID], Subject | None],
                 id_of: Callable[[type[Subject], str], UUID] = lambda cls, key: cls.id_for(key)) -> None:
        self._load, self._id_of = load, id_of
        self._streams: dict[UUID, Stream | None] = {}
        self.pending: list[PendingEvent] = []

    def stream(self, cls: type[Subject], key: str) -> Stream | None:
        """The stream as the ledger holds it plus this import's additions; None when not registered."""
        agg_id = self._id_of(cls, key)
        if agg_id not in self._streams:
            found = self._load(agg_id)
            self._streams[agg_id] = None if found is None else Stream(cls, key, agg_id, found.version,
                                                                      list(found.facts))
        return self._streams[agg_id]

    def cadre_facts(self, cadre: str) -> Sequence[Fact] | None:
        found = self.stream(Cadre, cadre)
        return found.facts if found is not None else None

    def post_facts(self, post: str) -> Sequence[Fact] | None:
        found = self.stream(LeadershipPost, post)
        return found.facts if found is not None else None

    def post_info(self, post: str) -> dict[str, Any] | None:
        """A registered post's register fields: role, post_level, title, unit, principal."""
        facts = self.post_facts(post)
        if not facts:
            return None
        first = facts[0]
        return {k: first.get(k) for k in ("role", "post_level", "title", "unit", "principal")}

    def next_fact(self, decision: Decision, actor: str) -> Fact:
        """The fact that `decision` would become if recorded now (for the rule checks)."""
        cls = subject_class(decision)
        found = self.stream(cls, decision[cls.subject_key])
        seq = found.version + 1 if found is not None else 1
        return {"doc": None, "authority": None, "note": None, "case": None, "override_reason": None,
                **decision, "recorded_at": datetime.now(UTC), "seq": seq, "actor": actor}

    def add(self, decision: Decision, content_hash: str, actor: str, override_reason: str | None) -> None:
        """Record `decision` on its stream in memory; it is written by the next save."""
        cls = subject_class(decision)
        key = decision[cls.subject_key]
        stream = self.stream(cls, key)
        if stream is None:
            agg_id = self._id_of(cls, key)
            stream = self._streams[agg_id] = Stream(cls, key, agg_id)
        first = stream.version == 0
        event_class = CREATED[cls] if first else cls.events_by_type[decision["type"]]
        state = stored_state(decision, event_class, cls, key, actor, override_reason, first)
        stream.version += 1
        stream.facts.append(fact_of(state, event_class.decision_type, stream.version, cls.subject_key, key))
        index = (decision["id"], content_hash, cls.stream(key), decision["type"], stream.id, stream.version)
        self.pending.append(PendingEvent(stream.id, stream.version, get_topic(event_class), state, index))
