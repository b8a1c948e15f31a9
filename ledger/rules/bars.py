"""R-BLOCK: the bar tokens and which running bars block which action."""
from __future__ import annotations

from collections.abc import Iterable

from ledger.rules.ladders import is_level_above, is_level_at_or_above

PROMOTION = "promotion"
SALARY_STEP = "salary-step"
LEADERSHIP_POST = "leadership-post"
HIGHER_POST = "higher-post"
EQUAL_OR_HIGHER_POST = "equal-or-higher-post"
PARTY_RIGHTS = "party-rights"
REJOIN_PARTY = "rejoin-party"
EMPLOYMENT = "employment"

BARS: frozenset[str] = frozenset(
    {PROMOTION, SALARY_STEP, LEADERSHIP_POST, HIGHER_POST, EQUAL_OR_HIGHER_POST, PARTY_RIGHTS, REJOIN_PARTY,
     EMPLOYMENT}
)
# R-BLOCK row `promotable`; also rank promotion (R-RANK-BAR) and upward appointment (R-POST-BAR).
PROMOTION_BARS: frozenset[str] = frozenset(
    {PROMOTION, LEADERSHIP_POST, HIGHER_POST, EQUAL_OR_HIGHER_POST, EMPLOYMENT}
)
# R-BLOCK row `salary step`, with Precise reading 9 (an ended employment stops salary steps too).
SALARY_BARS: frozenset[str] = frozenset({SALARY_STEP, EMPLOYMENT})


def is_promotion_barred(bars: Iterable[str]) -> bool:
    """R-BLOCK: true when a restriction with these bars blocks promotion (status `promotable`, R-RANK-BAR)."""
    return not PROMOTION_BARS.isdisjoint(bars)


def is_salary_step_barred(bars: Iterable[str]) -> bool:
    """R-BLOCK / Precise reading 9: true when these bars stop a salary step."""
    return not SALARY_BARS.isdisjoint(bars)


def is_appointment_barred(
    bars: Iterable[str], reference_level: str | None, target_level: str, upward: bool
) -> bool:
    """R-BLOCK / R-POST-BAR: true when a restriction with these bars blocks an appointment to `target_level`.

    An upward appointment is blocked by every promotion bar. Any appointment is blocked by
    `leadership-post` and `employment`, by `equal-or-higher-post` when the target is at or above the
    restriction's reference level, and by `higher-post` when it is above it (Precise reading 8). An
    unknown reference level (a cadre who held no post) counts every target as above it.
    """
    bars = frozenset(bars)
    if upward and is_promotion_barred(bars):
        return True
    if LEADERSHIP_POST in bars or EMPLOYMENT in bars:
        return True
    if EQUAL_OR_HIGHER_POST in bars and is_level_at_or_above(target_level, reference_level):
        return True
    return HIGHER_POST in bars and is_level_above(target_level, reference_level)
