"""Loading aggregates fast: snapshot + tail replayed directly, and a small in-process cache that is brought
forward with one query for the events recorded since (by any process)."""
from __future__ import annotations

import copy
from collections import OrderedDict
from typing import Any
from uuid import UUID

from eventsourcing.domain import Snapshot

from ledger.aggregate import Subject

CACHE_SIZE = 256


class SubjectLoader:
    """Loads subjects for one application; returned subjects are shared: callers never mutate them."""

    def __init__(self, app: Any, snapshot_interval: int, cache_size: int = CACHE_SIZE) -> None:
        self.app, self.interval, self.size = app, snapshot_interval, cache_size
        self.cache: OrderedDict[UUID, Subject] = OrderedDict()

    def load(self, agg_id: UUID) -> Subject | None:
        """The subject as stored now, or None when there is no such stream."""
        cached = self.cache.get(agg_id)
        if cached is not None:
            newer = list(self.app.events.get(agg_id, gt=cached.version))
            subject = _advanced(cached, newer) if newer else cached
        else:
            subject = self._replay(agg_id)
            if subject is None:
                return None
        self.cache[agg_id] = subject
        self.cache.move_to_end(agg_id)
        while len(self.cache) > self.size:
            self.cache.popitem(last=False)
        return subject

    def forget(self) -> None:
        """Drop the cache."""
        self.cache.clear()

    def _replay(self, agg_id: UUID) -> Subject | None:
        subject: Any = None
        since = 0
        snapshots = self.app.snapshots
        if snapshots is not None:
            for snapshot in snapshots.get(agg_id, desc=True, limit=1):
                subject, since = snapshot.mutate(None), snapshot.originator_version
        for event in self.app.events.get(agg_id, gt=since or None):
            subject = event.mutate(subject)
        if subject is not None and snapshots is not None and subject.version - since >= self.interval:
            snapshots.put([Snapshot.take(subject)])
        return subject


def _advanced(cached: Subject, events: list[Any]) -> Subject:
    """A copy of `cached` with `events` applied (the cached object itself is left as it was)."""
    subject = copy.copy(cached)
    subject.facts = list(cached.facts)
    for event in events:
        subject = event.mutate(subject)
    return subject
