"""An import in progress: the subjects it touches, loaded once and changed in memory until saved."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import DomainEvent

from ledger.aggregate import Subject
from ledger.cadre import Cadre
from ledger.decisions import Decision
from ledger.facts import Fact
from ledger.post import LeadershipPost
from ledger.unit import Unit

SUBJECTS: dict[str, type[Subject]] = {"cadre": Cadre, "post": LeadershipPost, "unit": Unit}


def subject_class(decision: Decision) -> type[Subject]:
    """The aggregate class a decision is recorded on."""
    for key, cls in SUBJECTS.items():
        if key in decision:
            return cls
    raise AssertionError(f"decision without a subject: {decision['type']}")


class Workspace:
    """Subjects loaded from the ledger plus what this import has added, for lookups and checks."""

    def __init__(self, load: Callable[[UUID], Subject | None]) -> None:
        self._load = load
        self._subjects: dict[UUID, Subject | None] = {}
        self.pending: list[tuple[DomainEvent, tuple[Any, ...]]] = []

    def subject(self, cls: type[Subject], key: str) -> Subject | None:
        """The subject, as the ledger holds it plus this import's changes; None when not registered."""
        agg_id = cls.id_for(key)
        if agg_id not in self._subjects:
            self._subjects[agg_id] = self._load(agg_id)
        return self._subjects[agg_id]

    def cadre_facts(self, cadre: str) -> Sequence[Fact] | None:
        found = self.subject(Cadre, cadre)
        return found.facts if found is not None else None

    def post_facts(self, post: str) -> Sequence[Fact] | None:
        found = self.subject(LeadershipPost, post)
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
        found = self.subject(cls, decision[cls.subject_key])
        seq = len(found.facts) + 1 if found is not None else 1
        return {"doc": None, "authority": None, "note": None, "case": None, "override_reason": None,
                **decision, "recorded_at": datetime.now(timezone.utc), "seq": seq, "actor": actor}

    def add(self, decision: Decision, content_hash: str, actor: str, override_reason: str | None) -> None:
        """Record `decision` on its subject in memory; it is written by the next save."""
        cls = subject_class(decision)
        key = decision[cls.subject_key]
        found = self.subject(cls, key)
        if found is None:
            found = cls.open(decision, actor, override_reason)
            self._subjects[found.id] = found
        else:
            found.record(decision, actor, override_reason)
        event = found.pending_events[-1]
        index = (decision["id"], content_hash, cls.stream(key), decision["type"], found.id, event.originator_version)
        self.pending.append((event, index))

    def touched(self) -> list[Subject]:
        """The subjects this import changed."""
        return [s for s in self._subjects.values() if s is not None and s.pending_events]

    def forget(self) -> None:
        """Drop everything loaded (after a conflict, to reload fresh state)."""
        self._subjects.clear()
        self.pending.clear()


def load_subject(repository: Any) -> Callable[[UUID], Subject | None]:
    """A loader for `Workspace` over an eventsourcing repository."""
    def load(agg_id: UUID) -> Subject | None:
        try:
            return repository.get(agg_id)
        except AggregateNotFoundError:
            return None
    return load
