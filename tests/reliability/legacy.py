"""A test-only aggregate for the schema-evolution drill: events written under one schema, read under the next.

The ledger's own decision events keep every type-specific field in `details`, so none of them needs a new
attribute today; this aggregate stands in for the day one does. `tests/fixtures/dossier-v1.db` holds its
events as first written (see tests/fixtures/make_fixtures.py); its module path and class names are part of
the stored topics, so they must not move.
"""
from __future__ import annotations

from typing import Any

from eventsourcing.domain import Aggregate, event


class Dossier(Aggregate):
    """A cadre's paper dossier (档案) and the notes filed into it, with their page counts."""

    @event("Opened")
    def __init__(self, cadre: str) -> None:
        self.cadre = cadre
        self.notes: list[str] = []
        self.pages = 0

    class Annotated(Aggregate.Event):
        """A note filed. Version 2 added `pages`; a note filed before it counts 0 pages (unknown)."""

        class_version = 2
        text: str
        pages: int

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["pages"] = 0

    @event(Annotated)
    def annotate(self, text: str, pages: int) -> None:
        """File a note of `pages` pages."""
        self.notes.append(text)
        self.pages += pages
