"""R-RANK: minimum years for a rank promotion (R-RANK-MIN) and the promotion bar (R-RANK-BAR)."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from ledger.errors import RuleViolation
from ledger.facts import Fact
from ledger.rules.bars import is_promotion_barred
from ledger.rules.blocking import check_not_blocked
from ledger.rules.ladders import next_rank_up, rank_index
from ledger.rules.periods import add_months, first_of_month, new_year
from ledger.rules.profile import Profile
from ledger.rules.view import CadreView
from ledger.vocab import RANK_ORDER

CIVIL_SERVANT = "civil-servant"
# R-RANK-MIN: years in the rank directly below the target; every other rank needs 2.
YEARS_BELOW: dict[str, int] = {"inspector-1": 4, "inspector-2": 4, "researcher-1": 3}
DEFAULT_YEARS = 2
# R-RANK-MIN (Art. 18): time in this post level counts instead of the rank below the target.
EQUIVALENT_POST: dict[str, str] = {
    "inspector-1": "bureau-deputy",
    "researcher-1": "county-chief",
    "researcher-3": "county-deputy",
    "principal-staff-1": "township-chief",
    "principal-staff-3": "township-deputy",
}
# R-RANK: grades that add 12 months; `excellent` takes 6 off; ungraded years change nothing.
LENGTHENING_GRADES = frozenset({"basically-competent", "incompetent", "not-graded"})


def required_years(target: str) -> int:
    """R-RANK-MIN: years needed in the rank directly below `target` (or its equivalent post)."""
    return YEARS_BELOW.get(target, DEFAULT_YEARS)


def compute_eligible_on(start: date, years: int, grades: Mapping[int, str]) -> date:
    """R-RANK algorithm, exactly as written: adjust the required months year by year from `start`."""
    start = first_of_month(start)
    required = 12 * years
    candidate = add_months(start, required)
    year = start.year
    while new_year(year) < candidate:
        grade = grades.get(year)
        if grade == "excellent":
            required -= 6
        elif grade in LENGTHENING_GRADES:
            required += 12
        candidate = add_months(start, required)
        year += 1
    return candidate


def counting_start(profile: Profile, target: str) -> tuple[date, str] | None:
    """R-RANK-MIN: the earlier of `rank_since` (rank directly below) and the equivalent post's
    `post_level_since` (post held now), with the decision that set it."""
    starts = []
    if next_rank_up(profile.rank) == target and profile.rank_since is not None:
        starts.append((profile.rank_since, profile.rank_source or ""))
    if (EQUIVALENT_POST.get(target) == profile.post_level and profile.post_level is not None
            and profile.post_level_since is not None):
        starts.append((profile.post_level_since, profile.post_level_source or ""))
    return min(starts) if starts else None


def compute_rank_promotion_eligible_on(profile: Profile, grades: Mapping[int, str]) -> date | None:
    """R-RANK: the earliest date of promotion to the next rank up (minimum years only; bars are separate).

    None for a `staff_category` other than `civil-servant` (Precise reading 7) or at the top rank.
    """
    target = next_rank_up(profile.rank)
    if profile.staff_category != CIVIL_SERVANT or target is None:
        return None
    start = counting_start(profile, target)
    return compute_eligible_on(start[0], required_years(target), grades) if start else None


def check_rank_promotion(view: CadreView, new: Fact) -> None:
    """R-RANK-BAR then R-RANK-MIN (Precise reading 7) for a `rank-promotion`, as of its `on`."""
    day, target = new["on"], new.get("rank")
    check_not_blocked("R-RANK-BAR", view.cadre, "be promoted",
                      (r for r in view.running(day) if is_promotion_barred(r.bars)))
    profile = view.profile(day)
    if profile.staff_category != CIVIL_SERVANT or target not in RANK_ORDER or profile.rank not in RANK_ORDER:
        return
    if rank_index(target) >= rank_index(profile.rank):
        raise RuleViolation("R-RANK-MIN", f"{view.cadre} may not be promoted to {target}: it is not above "
                            f"the current rank {profile.rank}", blocking=profile.rank_source)
    start = counting_start(profile, target)
    if start is None:
        raise RuleViolation(
            "R-RANK-MIN", f"{view.cadre} may not be promoted to {target}: a promotion goes to the next "
            f"rank up, {next_rank_up(profile.rank)}, unless the cadre holds the equivalent post "
            f"{EQUIVALENT_POST.get(target, '(none)')}", blocking=profile.rank_source)
    years = required_years(target)
    eligible_on = compute_eligible_on(start[0], years, view.grades(day))
    if day < eligible_on:
        raise RuleViolation(
            "R-RANK-MIN", f"{view.cadre} may not be promoted to {target} until {eligible_on.isoformat()}: "
            f"{years} years counted from {start[0].isoformat()} ({start[1]}), adjusted by the annual grades",
            blocking=start[1], ends_on=eligible_on)
