"""The Unit aggregate: accountability of a Party organisation or unit (一案双查)."""
from __future__ import annotations

from eventsourcing.domain import Aggregate

from ledger.aggregate import Subject, events_table
from ledger.events import Decided


class Unit(Subject):
    """One unit or Party organisation; stream `unit/<name>`. Its first decision opens the stream."""

    subject_key = "unit"

    class FirstHeldAccountable(Decided, Aggregate.Created):
        decision_type = "unit-accountability"
        key: str

    class HeldAccountable(Decided):
        decision_type = "unit-accountability"

    @classmethod
    def open(cls, decision, actor, override_reason=None):  # type: ignore[no-untyped-def]
        """A unit's stream opens with its first accountability decision."""
        return cls._create(cls.FirstHeldAccountable, id=cls.id_for(decision["unit"]), key=decision["unit"],
                           **_kwargs(decision, actor, override_reason))


def _kwargs(decision, actor, override_reason):  # type: ignore[no-untyped-def]
    from ledger.events import event_kwargs
    return event_kwargs(decision, "unit", actor, override_reason)


Unit.events_by_type = events_table(Unit.HeldAccountable)
