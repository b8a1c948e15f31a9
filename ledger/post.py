"""The LeadershipPost aggregate: a leading post, its principal-leader changes and their handovers."""
from __future__ import annotations

from eventsourcing.domain import Aggregate

from ledger.aggregate import Subject, events_table
from ledger.events import Decided


class LeadershipPost(Subject):
    """One leading post; stream `post/<post id>`."""

    subject_key = "post"

    class Registered(Decided, Aggregate.Created):
        decision_type = "post-register"
        key: str

    class LeadershipChanged(Decided):
        decision_type = "leadership-change"

    class HandoverItemListed(Decided):
        decision_type = "handover-item"

    class HandoverExtended(Decided):
        decision_type = "handover-extension"

    class HandoverSignedOff(Decided):
        decision_type = "handover-signoff"

    class HandoverCompleted(Decided):
        decision_type = "handover-complete"


LeadershipPost.events_by_type = events_table(*(
    v for v in vars(LeadershipPost).values() if isinstance(v, type) and issubclass(v, Decided)
))
