"""What every recorded decision's event carries, and how it becomes a fact."""
from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from eventsourcing.domain import Aggregate

from ledger.commitments import stream_id
from ledger.facts import Fact

COMMON_FIELDS = ("doc", "authority", "note", "case", "override_reason")

__all__ = ["COMMON_FIELDS", "Decided", "decision_of", "event_kwargs", "stream_id"]


class Decided(Aggregate.Event):
    """Base of every decision event: the decision id, its effective date, who recorded it and under which document."""

    decision_type: ClassVar[str] = ""
    decision_id: str
    on: date
    actor: str
    doc: str | None
    authority: str | None
    note: str | None
    case: str | None
    override_reason: str | None
    details: dict[str, Any]

    def apply(self, aggregate: Any) -> None:
        if self.originator_version == 1:  # the created event opens the stream
            aggregate.key = self.key  # type: ignore[attr-defined]
            aggregate.facts = []
        aggregate.facts.append(self.fact(aggregate))

    def fact(self, aggregate: Any) -> Fact:
        """This event as a fact of its aggregate (see ledger/facts.py)."""
        return {
            "id": self.decision_id, "type": self.decision_type, "on": self.on, "recorded_at": self.timestamp,
            "seq": self.originator_version, aggregate.subject_key: aggregate.key, "actor": self.actor,
            "doc": self.doc, "authority": self.authority, "note": self.note, "case": self.case,
            "override_reason": self.override_reason, **self.details,
        }


def decision_of(fact: Fact, subject_key: str) -> dict[str, Any]:
    """The decision as recorded (the JSON object a caller gave, normalised), from a fact."""
    out: dict[str, Any] = {"id": fact["id"], "type": fact["type"], "on": fact["on"], subject_key: fact[subject_key]}
    for key, value in fact.items():
        if key in out or key in ("recorded_at", "seq", "actor"):
            continue
        if key in COMMON_FIELDS and value is None:
            continue
        out[key] = value
    return out


def event_kwargs(decision: dict[str, Any], subject_key: str, actor: str, override_reason: str | None) -> dict[str, Any]:
    """The event attributes of a normalised decision."""
    details = {k: v for k, v in decision.items()
               if k not in ("id", "type", "on", subject_key, *COMMON_FIELDS)}
    return {
        "decision_id": decision["id"], "on": decision["on"], "actor": actor, "doc": decision.get("doc"),
        "authority": decision.get("authority"), "note": decision.get("note"), "case": decision.get("case"),
        "override_reason": override_reason, "details": details,
    }
