"""The three kinds of subject a decision is recorded about, and the aggregate class of each."""
from __future__ import annotations

from ledger.aggregate import Subject
from ledger.cadre import Cadre
from ledger.decisions import Decision
from ledger.events import Decided
from ledger.post import LeadershipPost
from ledger.unit import Unit

SUBJECTS: dict[str, type[Subject]] = {"cadre": Cadre, "post": LeadershipPost, "unit": Unit}
CREATED: dict[type[Subject], type[Decided]] = {
    Cadre: Cadre.Registered, LeadershipPost: LeadershipPost.Registered, Unit: Unit.FirstHeldAccountable,
}


def subject_class(decision: Decision) -> type[Subject]:
    """The aggregate class a decision is recorded on."""
    for key, cls in SUBJECTS.items():
        if key in decision:
            return cls
    raise AssertionError(f"decision without a subject: {decision['type']}")


def subject_of_stream(stream: str) -> tuple[type[Subject], str]:
    """The aggregate class and natural key of a stream name (`cadre/HB-1`)."""
    kind, key = stream.split("/", 1)
    return SUBJECTS[kind], key
