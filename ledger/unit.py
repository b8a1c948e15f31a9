"""The Unit aggregate: accountability of a Party organisation or unit (一案双查)."""
from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.aggregate import Subject, events_table
from ledger.events import Decided, event_kwargs


class Unit(Subject):
    """One unit or Party organisation; stream `unit/<name>`. Its first decision opens the stream."""

    subject_key = "unit"

    class FirstHeldAccountable(Decided, Aggregate.Created):
        decision_type = "unit-accountability"
        key: str

    class HeldAccountable(Decided):
        decision_type = "unit-accountability"

    @classmethod
    def open(cls, decision: dict[str, Any], actor: str, override_reason: str | None = None,
             agg_id: UUID | None = None) -> Subject:
        """A unit's stream opens with its first accountability decision."""
        return cls._create(cast(Any, cls.FirstHeldAccountable), id=agg_id or cls.id_for(decision["unit"]),
                           key=decision["unit"], **event_kwargs(decision, "unit", actor, override_reason))


Unit.events_by_type = events_table(Unit.HeldAccountable)
