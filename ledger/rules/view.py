"""One cadre's facts, read once: corrected history, profile over time and restrictions."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from functools import cached_property

from ledger.facts import Fact
from ledger.rules.history import History
from ledger.rules.profile import Profile, Profiles
from ledger.rules.timeline import Restriction, Timeline


class CadreView:
    """The derived state of one cadre that the status, the checks and the findings share.

    The history is read at once; the profiles and the restrictions only when a rule asks for them.
    """

    def __init__(self, facts: Sequence[Fact], posts: Mapping[str, dict] | None = None) -> None:
        self.history = History(facts)
        self.facts: list[Fact] = self.history.facts
        self.posts: Mapping[str, dict] = posts or {}
        self.memo: dict[object, object] = {}

    @classmethod
    def of(cls, history: History, posts: Mapping[str, dict] | None = None) -> CadreView:
        """The view of an already read history."""
        view = cls.__new__(cls)
        view.history, view.facts, view.posts, view.memo = history, history.facts, posts or {}, {}
        return view

    def reuse_profiles(self, other: CadreView) -> None:
        """Take `other`'s profiles, computed or not: the caller knows that they are the same."""
        if "profiles" in other.__dict__:
            self.__dict__["profiles"] = other.__dict__["profiles"]

    @cached_property
    def profiles(self) -> Profiles:
        """The record fields over valid time (Precise reading 6)."""
        return Profiles(self.history, self.posts)

    @cached_property
    def timeline(self) -> Timeline:
        """Every restriction over valid time."""
        return Timeline(self.history, self.profiles)

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
