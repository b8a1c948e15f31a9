"""A cadre's post, level, rank, unit, membership and employment over valid time (Precise reading 6)."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from ledger.facts import Fact
from ledger.rules.frozen import evolve
from ledger.rules.history import MEASURE_TYPES, History, OrderKey, order_key
from ledger.rules.ladders import is_level_above
from ledger.rules.sanctions import DISCHARGE, EXPULSION, ORG_DEMOTION, POST_DISMISSAL
from ledger.vocab import EMPLOYMENT_BY_REASON, LEAVES_POST_ORG_KINDS


@dataclass(frozen=True)
class Upward:
    """An upward appointment (R-POST-SKIP looks at the most recent one)."""

    source: str
    on: date
    path: str


@dataclass(frozen=True)
class Profile:
    """The cadre's record fields on one day. `last_level` is the last post level held (R-POST-MIN)."""

    name: str | None = None
    unit: str | None = None
    post: str | None = None
    post_id: str | None = None
    role: str | None = None
    post_level: str | None = None
    last_level: str | None = None
    post_level_since: date | None = None
    post_level_source: str | None = None
    rank: str | None = None
    rank_since: date | None = None
    rank_source: str | None = None
    party_member: bool = False
    staff_category: str = "civil-servant"
    employment: str = "active"
    last_upward: Upward | None = None

    @property
    def level_held(self) -> str | None:
        """The level R-POST and the reference level compare with: the current one, else the last held."""
        return self.post_level or self.last_level


def _from_register(fact: Fact) -> Profile:
    level = fact.get("post_level")
    return Profile(
        name=fact.get("name"), unit=fact.get("unit"), post=fact.get("post"), post_level=level,
        last_level=level,
        post_level_since=fact.get("post_level_since") or fact["on"], post_level_source=fact["id"],
        rank=fact.get("rank"), rank_since=fact.get("rank_since") or fact["on"], rank_source=fact["id"],
        party_member=bool(fact.get("party_member")),
        staff_category=fact.get("staff_category") or "civil-servant",
    )


def _with_level(profile: Profile, level: str | None, fact: Fact) -> Profile:
    """Set the post level; `post_level_since` restarts only when the level held changes (reading 6)."""
    if level is None:
        return evolve(profile, post_level=None)
    if level == profile.level_held:
        return evolve(profile, post_level=level)
    return evolve(profile, post_level=level, last_level=level, post_level_since=fact["on"],
                  post_level_source=fact["id"])


def _with_rank(profile: Profile, rank: str | None, fact: Fact) -> Profile:
    """Set the rank; `rank_since` restarts only when the rank changes (reading 6)."""
    if rank is None or rank == profile.rank:
        return profile
    return evolve(profile, rank=rank, rank_since=fact["on"], rank_source=fact["id"])


def _left_post(profile: Profile) -> Profile:
    return evolve(profile, post=None, post_id=None, role=None, post_level=None)


def _appointed(profile: Profile, fact: Fact, posts: Mapping[str, dict]) -> Profile:
    level = fact.get("post_level")
    registered = posts.get(fact.get("post_id") or "", {})
    upward = level is not None and is_level_above(level, profile.level_held)
    changed = _with_level(profile, level, fact)
    return evolve(
        changed, post=fact.get("post"), post_id=fact.get("post_id"),
        role=fact.get("role") or registered.get("role"), unit=registered.get("unit") or profile.unit,
        last_upward=(Upward(fact["id"], fact["on"], fact.get("path", "regular")) if upward
                     else profile.last_upward),
    )


# The decision types `apply_fact` may change a profile with; every other type leaves it as it is.
PROFILE_TYPES = frozenset({"appointment", "removal", "rank-promotion", "rank-demotion", "employment-end"}
                          | MEASURE_TYPES)


def apply_fact(profile: Profile, fact: Fact, history: History, posts: Mapping[str, dict]) -> Profile:
    """Fold one valid fact into the profile (Precise reading 6; variations decide a measure's kind)."""
    kind_type = fact["type"]
    if kind_type == "appointment":
        return _appointed(profile, fact, posts)
    if kind_type == "removal":
        return _left_post(profile)
    if kind_type in ("rank-promotion", "rank-demotion"):
        return _with_rank(profile, fact.get("rank"), fact)
    if kind_type == "employment-end":
        employment = EMPLOYMENT_BY_REASON.get(fact.get("reason", ""), profile.employment)
        return evolve(profile, employment=employment)
    if kind_type not in MEASURE_TYPES:
        return profile
    kind = history.kind_of(fact)
    if kind == POST_DISMISSAL and fact.get("kind") == POST_DISMISSAL:
        lowered = profile
        if "new_post_level" in fact:
            lowered = _with_level(profile, fact["new_post_level"], fact)
        if "new_post" in fact:
            lowered = evolve(lowered, post=fact["new_post"])
        return _with_rank(lowered, fact.get("new_rank"), fact)
    if kind == DISCHARGE and kind_type == "sanction":
        return evolve(profile, employment="discharged")
    if kind == EXPULSION:
        return evolve(profile, party_member=False)
    if kind_type == "org-handling" and kind in LEAVES_POST_ORG_KINDS:
        return _left_post(profile)
    if kind_type == "org-handling" and kind == ORG_DEMOTION and fact.get("new_post_level"):
        return _with_level(profile, fact["new_post_level"], fact)
    return profile


class Profiles:
    """The profile after each valid fact that may change it, looked up by day or just before a fact."""

    def __init__(self, history: History, posts: Mapping[str, dict] | None = None) -> None:
        posts = posts or {}
        register = history.register
        profile = _from_register(register) if register is not None else Profile()
        self._initial = profile
        self._keys: list[OrderKey] = []
        self._states: list[Profile] = []
        for fact in history.among(PROFILE_TYPES):
            profile = apply_fact(profile, fact, history, posts)
            self._keys.append(order_key(fact))
            self._states.append(profile)

    def at(self, day: date) -> Profile:
        """The profile as of `day`: every valid fact effective on or before it applied."""
        index = bisect_right(self._keys, (day, float("inf")))
        return self._states[index - 1] if index else self._initial

    def before(self, fact: Fact) -> Profile:
        """The profile just before `fact` in valid-time order (its reference level, R-BLOCK)."""
        index = bisect_left(self._keys, order_key(fact))
        return self._states[index - 1] if index else self._initial
