"""R-POST: appointments to leadership posts (R-POST-BAR, R-POST-PREV, R-POST-SKIP, R-POST-MIN)."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import NoReturn

from ledger.errors import RuleViolation
from ledger.facts import Fact
from ledger.rules import policy
from ledger.rules.bars import is_appointment_barred
from ledger.rules.blocking import check_not_blocked
from ledger.rules.ladders import is_deputy_level, is_level_above, level_index, steps_up
from ledger.rules.periods import add_months, new_year
from ledger.rules.profile import Profile
from ledger.rules.view import CadreView

# R-POST-PREV: a grade of the previous year that makes a cadre ineligible for a higher post.
DISQUALIFYING_GRADES = frozenset({"basically-competent", "incompetent"})
# R-POST-MIN applies to targets at this level or higher.
MIN_RULE_FROM_LEVEL = "county-deputy"
DEPUTY_TO_CHIEF_MONTHS = 24
CHIEF_TO_NEXT_DEPUTY_MONTHS = 36
# R-POST-SKIP `direct`: from these levels, one step, to a post with one of these roles.
DIRECT_FROM_LEVELS = frozenset({"county-chief", "township-chief"})
DIRECT_ROLES = frozenset({"full-time-deputy-secretary", "executive-deputy"})
EXCEPTIONAL_MAX_STEPS = 2
EXCEPTIONAL_GAP_MONTHS = 12
DOWNWARD_PATHS = frozenset({"lateral", "lower"})


def is_upward(profile: Profile, target: str) -> bool:
    """Precise reading 8: above the level held (the last one after leaving a post); always, if none."""
    return is_level_above(target, profile.level_held)


def role_of(new: Fact, posts: Mapping[str, dict]) -> str | None:
    """Precise reading 8: the appointment's `role`, else its `post_id`'s registered role."""
    if new.get("role"):
        return new["role"]
    registered = posts.get(new.get("post_id") or "")
    return registered.get("role") if registered else None


def check_previous_grade(view: CadreView, new: Fact) -> None:
    """R-POST-PREV: no higher post when the grade of year(`on`) − 1 is basically-competent or incompetent."""
    year = new["on"].year - 1
    assessment = view.history.year_grades(new["on"]).get(year)
    if assessment is not None and assessment["grade"] in DISQUALIFYING_GRADES:
        allowed_on = new_year(new["on"].year + 1)
        raise RuleViolation(
            "R-POST-PREV", f"{view.cadre} may not be appointed to a higher post until "
            f"{allowed_on.isoformat()}: graded {assessment['grade']} for {year} ({assessment['id']})",
            blocking=assessment["id"], ends_on=allowed_on)


def check_skip(view: CadreView, new: Fact, profile: Profile, held: str) -> None:
    """R-POST-SKIP: the path decides how far an upward appointment from `held` may go."""
    target, path = new["post_level"], new.get("path", "regular")
    steps = steps_up(held, target)

    def refuse(why: str, blocking: str | None = None, ends_on: date | None = None) -> NoReturn:
        raise RuleViolation("R-POST-SKIP", f"{view.cadre} may not be appointed from {held} to {target} "
                            f"on path {path}: {why}", blocking=blocking, ends_on=ends_on)

    if path in DOWNWARD_PATHS:
        refuse("an upward appointment may not take this path")
    if path in ("regular", "seniority-waiver", "direct") and steps > 1:
        refuse(f"it goes {steps} steps; this path goes one")
    if path == "seniority-waiver" and not is_deputy_level(held):
        refuse("seniority-waiver is deputy to chief of the same level")
    if path == "direct":
        if held not in DIRECT_FROM_LEVELS:
            refuse("direct promotion starts from county-chief or township-chief")
        role = role_of(new, view.posts)
        if role not in DIRECT_ROLES:
            refuse("direct promotion is to a full-time-deputy-secretary or executive-deputy post, "
                   f"not {role}")
    if path == "exceptional":
        if steps > EXCEPTIONAL_MAX_STEPS:
            refuse(f"it goes {steps} steps; exceptional promotion goes at most {EXCEPTIONAL_MAX_STEPS}")
        last = profile.last_upward
        if last is not None and last.path == "exceptional":
            refuse(f"the most recent upward appointment {last.source} was exceptional too",
                   blocking=last.source)
        if last is not None and new["on"] < add_months(last.on, EXCEPTIONAL_GAP_MONTHS):
            ends_on = add_months(last.on, EXCEPTIONAL_GAP_MONTHS)
            refuse(f"within 12 months of the upward appointment {last.source} (until {ends_on.isoformat()})",
                   blocking=last.source, ends_on=ends_on)


def check_minimum(view: CadreView, new: Fact, profile: Profile, held: str) -> None:
    """R-POST-MIN: 2 years as deputy before chief of the same level; 3 as chief before the next deputy."""
    target, path = new["post_level"], new.get("path", "regular")
    if level_index(target) > level_index(MIN_RULE_FROM_LEVEL) or steps_up(held, target) != 1:
        return
    if path in ("exceptional", "direct"):
        return
    if path == "seniority-waiver" and not policy.SENIORITY_WAIVER_KEEPS_FLOOR:
        return
    since = profile.post_level_since
    if since is None:
        return
    months = DEPUTY_TO_CHIEF_MONTHS if is_deputy_level(held) else CHIEF_TO_NEXT_DEPUTY_MONTHS
    allowed_on = add_months(since, months)
    if new["on"] < allowed_on:
        raise RuleViolation(
            "R-POST-MIN", f"{view.cadre} may not be appointed to {target} until {allowed_on.isoformat()}: "
            f"{months // 12} years at {held} counted from {since.isoformat()} ({profile.post_level_source})",
            blocking=profile.post_level_source, ends_on=allowed_on)


def check_appointment(view: CadreView, new: Fact) -> None:
    """R-BLOCK / R-POST-BAR, then for an upward appointment R-POST-PREV, R-POST-SKIP, R-POST-MIN."""
    target = new.get("post_level")
    if target is None:
        return
    day = new["on"]
    profile = view.profile(day)
    upward = is_upward(profile, target)
    check_not_blocked(
        "R-POST-BAR" if upward else "R-BLOCK", view.cadre, f"be appointed to {target}",
        (r for r in view.running(day) if is_appointment_barred(r.bars, r.reference_level, target, upward)))
    if not upward:
        return
    check_previous_grade(view, new)
    held = profile.level_held
    if held is None:
        return
    check_skip(view, new, profile, held)
    check_minimum(view, new, profile, held)
