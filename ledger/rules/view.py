"""One cadre's facts, read once: corrected history, profile over time and restrictions."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from ledger.facts import Fact
from ledger.rules.history import History
from ledger.rules.profile import Profile, Profiles
from ledger.rules.timeline import Restriction, Timeline


class CadreView:
    """The derived state of one cadre that the status, the checks and the findings share."""

    def __init__(self, facts: Sequence[Fact], posts: Mapping[str, dict] | None = None) -> None:
        self.facts: list[Fact] = list(facts)
        self.posts: Mapping[str, dict] = posts or {}
        self.history = History(self.facts)
        self.profiles = Profiles(self.history, self.posts)
        self.timeline = Timeline(self.history, self.profiles)

    @property
    def cadre(self) -> str:
        """The cadre number, from the register (or any fact naming it)."""
        if self.history.cadre:
            return self.history.cadre
        return next((f["cadre"] for f in self.facts if f.get("cadre")), "the cadre")

    def profile(self, day: date) -> Profile:
        """The record fields as of `day` (Precise reading 6)."""
        return self.profiles.at(day)

    def running(self, day: date) -> list[Restriction]:
        """R-BLOCK: the restrictions in force on `day`."""
        return [r for r in self.timeline.restrictions(day) if r.is_running(day)]

    def expired(self, day: date) -> list[Restriction]:
        """R-REUSE: the restrictions that started and ended on or before `day`."""
        return [r for r in self.timeline.restrictions(day) if r.has_expired(day)]

    def grades(self, day: date) -> dict[int, str]:
        """R-ASSESS: the grade of each year, from assessments effective on or before `day`."""
        return {year: fact["grade"] for year, fact in self.history.year_grades(day).items()}
