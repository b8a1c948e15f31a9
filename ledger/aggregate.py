"""The base of the ledger's aggregates: a stream of decisions, kept as facts in recording order."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.events import Decided, event_kwargs, stream_id
from ledger.facts import Fact


class Subject(Aggregate):
    """A cadre, a leading post or a unit: whatever decisions are recorded about."""

    subject_key: ClassVar[str] = ""
    events_by_type: ClassVar[dict[str, type[Decided]]] = {}

    # Set by the first event; declared for type checkers only, since annotations in the class body would
    # become parameters of the aggregate's __init__.
    if TYPE_CHECKING:
        key: str  # the natural key
        facts: list[Fact]  # the decisions, in recording order

    @classmethod
    def stream(cls, key: str) -> str:
        """The stream name of a subject: `cadre/HB-1`, `post/…`, `unit/…`."""
        return f"{cls.subject_key}/{key}"

    @classmethod
    def id_for(cls, key: str) -> UUID:
        """The aggregate id of a ledger that is not encrypted: uuid5 of the stream name (an encrypted ledger's
        ids are keyed: `CadreLedger.id_of`)."""
        return stream_id(cls.stream(key))

    @classmethod
    def open(cls, decision: dict[str, Any], actor: str, override_reason: str | None = None,
             agg_id: UUID | None = None) -> Subject:
        """A new subject whose first event records `decision` (its id: `agg_id`, else the unkeyed one)."""
        created = cls.events_by_type[decision["type"]]
        key = decision[cls.subject_key]
        return cls._create(cast(Any, created), id=agg_id or cls.id_for(key), key=key,
                           **event_kwargs(decision, cls.subject_key, actor, override_reason))

    def record(self, decision: dict[str, Any], actor: str, override_reason: str | None = None) -> None:
        """Append `decision` to this subject's stream (checks are the caller's)."""
        event_class = self.events_by_type[decision["type"]]
        self.trigger_event(event_class, **event_kwargs(decision, self.subject_key, actor, override_reason))


def events_table(*classes: type[Decided]) -> dict[str, type[Decided]]:
    """decision type → event class."""
    return {c.decision_type: c for c in classes}
