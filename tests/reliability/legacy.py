"""A test-only aggregate for the schema-evolution drill: events written under one schema, read under the next.

The ledger's own decision events keep every type-specific field in `details`, so none of them needs a new
attribute today; this aggregate stands in for the day one does. `tests/fixtures/dossier-v1.db` holds its
events as first written (see tests/fixtures/make_fixtures.py); its module path and class names are part of
the stored topics, so they must not move.
"""
from __future__ import annotations

from eventsourcing.domain import Aggregate, event


class Dossier(Aggregate):
    """A cadre's paper dossier (档案) and the notes filed into it."""

    @event("Opened")
    def __init__(self, cadre: str) -> None:
        self.cadre = cadre
        self.notes: list[str] = []

    @event("Annotated")
    def annotate(self, text: str) -> None:
        """File a note."""
        self.notes.append(text)
