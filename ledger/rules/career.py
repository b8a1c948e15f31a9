"""A cadre's career by date, for the dossier: posts, ranks, grades and investigations (SPEC "Pictures").

Read from the same corrected history and profiles as the status (`CadreView`): a retracted or revoked
decision is not there, a variation decides a measure's kind from the start, and each row's dates are
valid-time dates. `to` is the first day the row no longer holds (like `ends_on`), None while it holds
as of the query date.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from datetime import date
from typing import Any

from ledger.facts import Fact
from ledger.rules.profile import PROFILE_TYPES, Profile
from ledger.rules.reuse import view_of
from ledger.rules.view import CadreView

Row = dict[str, Any]
Step = tuple[Fact, date, Profile]  # the fact, the day it takes effect, the profile just after it


def _steps(view: CadreView, as_of: date) -> list[Step]:
    """The register and each valid profile-changing fact effective by `as_of`, with the profile after it."""
    register = view.history.register
    if register is None:
        return []
    changes = view.history.among(PROFILE_TYPES)
    profiles = view.profiles
    first = profiles.before(changes[0]) if changes else profiles.at(date.max)
    steps: list[Step] = [(register, register["on"], first)]
    for index, fact in enumerate(changes):
        if fact["on"] > as_of:
            break
        after = profiles.before(changes[index + 1]) if index + 1 < len(changes) else profiles.at(date.max)
        steps.append((fact, fact["on"], after))
    return steps


def _spans(steps: Sequence[Step], key: Callable[[Profile], Hashable], held: Callable[[Profile], bool],
           row: Callable[[Fact, date, Profile], Row]) -> list[Row]:
    """One row per stretch over which `key` of the profile stays the same (and `held` is true)."""
    rows: list[Row] = []
    current: Hashable = object()
    for fact, day, profile in steps:
        value = key(profile)
        if value == current:
            continue
        if rows and rows[-1]["to"] is None:
            rows[-1]["to"] = day
        if held(profile):
            rows.append(row(fact, day, profile))
        current = value
    return rows


def compute_posts(view: CadreView, as_of: date) -> list[Row]:
    """The posts held, by date: title, level and unit; the first from the register's level date."""
    steps = _steps(view, as_of)

    def row(fact: Fact, day: date, profile: Profile) -> Row:
        start = profile.post_level_since or day if fact["type"] == "register" else day
        return {"from": start, "to": None, "post": profile.post, "post_level": profile.post_level,
                "unit": profile.unit, "source": fact["id"]}

    return _spans(steps, lambda p: (p.post, p.post_level, p.unit),
                  lambda p: p.post is not None or p.post_level is not None, row)


def compute_ranks(view: CadreView, as_of: date) -> list[Row]:
    """The ranks held, by date (`rank_since` of the register, then each change)."""
    def row(fact: Fact, day: date, profile: Profile) -> Row:
        return {"from": profile.rank_since or day, "to": None, "rank": profile.rank,
                "source": profile.rank_source or fact["id"]}

    return _spans(_steps(view, as_of), lambda p: p.rank, lambda p: p.rank is not None, row)


def compute_timeline(facts: Sequence[Fact], as_of: date, *, posts: Mapping[str, dict] | None = None) -> Row:
    """The cadre's posts, ranks, grades and investigations by date, as known with the facts given."""
    view = view_of(facts, posts)
    history = view.history
    register = history.register
    investigations = []
    for opened in history.of_type("investigation-open"):
        if opened["on"] > as_of:
            continue
        close = history.investigation_close(opened, as_of)
        investigations.append({
            "case": opened.get("case"), "opened_on": opened["on"],
            "closed_on": close["on"] if close is not None else None,
            "outcome": close.get("outcome") if close is not None else None, "source": opened["id"]})
    return {
        "registered_on": register["on"] if register is not None else None,
        "posts": compute_posts(view, as_of),
        "ranks": compute_ranks(view, as_of),
        "grades": [{"year": year, "grade": fact["grade"], "on": fact["on"], "source": fact["id"]}
                   for year, fact in sorted(history.year_grades(as_of).items())],
        "investigations": investigations,
    }
