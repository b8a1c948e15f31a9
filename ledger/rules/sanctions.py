"""R-PARTY, R-STATE, R-ORG: each measure kind's restrictions and grade effects, as data."""
from __future__ import annotations

from dataclasses import dataclass

from ledger.rules import policy
from ledger.rules.bars import (
    EMPLOYMENT,
    EQUAL_OR_HIGHER_POST,
    HIGHER_POST,
    LEADERSHIP_POST,
    PARTY_RIGHTS,
    PROMOTION,
    REJOIN_PARTY,
    SALARY_STEP,
)

PARTY, STATE, ORG = "party", "state", "org"
DATE, PENDING, PERMANENT = "date", "pending", "permanent"
NO_EXCELLENT, NOT_GRADED, INCOMPETENT = "no-excellent", "not-graded", "incompetent"
# Most severe first (考核规定 Art. 29).
EFFECT_SEVERITY: tuple[str, ...] = (INCOMPETENT, NOT_GRADED, NO_EXCELLENT)
PROBATION = "party-probation"
EXPULSION = "party-expulsion"
DISCHARGE = "discharge"
POST_DISMISSAL = "post-dismissal"
ORG_DEMOTION = "demotion"
SUSPENSION = "suspension"
# Grade effects lapse with an `exempt`/`no-liability` exemption for years after the exemption's year.
ENDING_EXEMPTIONS = frozenset({"exempt", "no-liability"})


@dataclass(frozen=True)
class Span:
    """One restriction a measure imposes: its bars and how it ends (`months` for a date end)."""

    bars: frozenset[str]
    end: str
    months: int | None = None


@dataclass(frozen=True)
class Measure:
    """A sanction or organisational measure kind: track, restrictions, grade effects (year offset, effect)."""

    kind: str
    track: str
    rule: str
    spans: tuple[Span, ...]
    effects: tuple[tuple[int, str], ...]
    stacks: bool


def _for(months: int, *bars: str) -> Span:
    return Span(frozenset(bars), DATE, months)


def _expulsion_spans() -> tuple[Span, ...]:
    """Precise reading 5: one restriction when the rejoin and post bars end together, else two."""
    if policy.EXPULSION_REJOIN_MONTHS == policy.EXPULSION_POST_BAR_MONTHS:
        return (_for(policy.EXPULSION_REJOIN_MONTHS, PROMOTION, EQUAL_OR_HIGHER_POST, REJOIN_PARTY),)
    return (_for(policy.EXPULSION_REJOIN_MONTHS, REJOIN_PARTY),
            _for(policy.EXPULSION_POST_BAR_MONTHS, PROMOTION, EQUAL_OR_HIGHER_POST))


_LEAVING = (_for(12, LEADERSHIP_POST), _for(24, HIGHER_POST))

MEASURES: dict[str, Measure] = {m.kind: m for m in (
    # R-PARTY
    Measure("party-warning", PARTY, "R-PARTY", (_for(12, PROMOTION),), ((0, NO_EXCELLENT),), True),
    Measure("party-serious-warning", PARTY, "R-PARTY", (_for(18, PROMOTION),), ((0, NOT_GRADED),), True),
    Measure("party-post-removal", PARTY, "R-PARTY", (_for(24, PROMOTION, EQUAL_OR_HIGHER_POST),),
            ((0, INCOMPETENT),), True),
    Measure(PROBATION, PARTY, "R-PARTY", (Span(frozenset({PARTY_RIGHTS, PROMOTION}), PENDING),),
            ((0, INCOMPETENT),), False),
    Measure(EXPULSION, PARTY, "R-PARTY", _expulsion_spans(),
            ((0, INCOMPETENT), (1, NOT_GRADED), (2, NOT_GRADED)), False),
    # R-STATE
    Measure("warning", STATE, "R-STATE", (_for(6, PROMOTION),), ((0, NO_EXCELLENT),), True),
    Measure("demerit", STATE, "R-STATE", (_for(12, PROMOTION, SALARY_STEP),), ((0, NOT_GRADED),), True),
    Measure("major-demerit", STATE, "R-STATE", (_for(18, PROMOTION, SALARY_STEP),),
            ((0, NOT_GRADED), (1, NOT_GRADED)), True),
    Measure("grade-demotion", STATE, "R-STATE", (_for(24, PROMOTION, SALARY_STEP),),
            ((0, NOT_GRADED), (1, NOT_GRADED)), True),
    Measure(POST_DISMISSAL, STATE, "R-STATE", (_for(24, PROMOTION, SALARY_STEP),),
            ((0, NOT_GRADED), (1, NOT_GRADED)), True),
    Measure(DISCHARGE, STATE, "R-STATE", (Span(frozenset({EMPLOYMENT}), PERMANENT),), (), False),
    # R-ORG (never stacks, R-CROSS)
    Measure("circular", ORG, "R-ORG", (), (), False),
    Measure("admonition", ORG, "R-ORG", (_for(policy.ADMONITION_MONTHS, PROMOTION),), ((0, NO_EXCELLENT),),
            False),
    Measure(SUSPENSION, ORG, "R-ORG", (Span(frozenset({PROMOTION}), PENDING),), (), False),
    Measure("post-adjustment", ORG, "R-ORG", (_for(12, PROMOTION),), ((0, NO_EXCELLENT),), False),
    Measure("ordered-resignation", ORG, "R-ORG", _LEAVING, ((0, NOT_GRADED),), False),
    Measure("resignation-for-fault", ORG, "R-ORG", _LEAVING, ((0, NOT_GRADED),), False),
    Measure("accountability-removal", ORG, "R-ORG", _LEAVING, ((0, NOT_GRADED),), False),
    Measure(ORG_DEMOTION, ORG, "R-ORG", (_for(policy.ORG_DEMOTION_MONTHS, PROMOTION),), ((0, NOT_GRADED),),
            False),
)}

# R-PARTY: after restoration of Party rights, 24 months from the restoration date.
AFTER_RESTORATION = _for(24, PROMOTION, EQUAL_OR_HIGHER_POST)
STACK_RULES: dict[str, str] = {PARTY: "R-PARTY-STACK", STATE: "R-STATE-STACK"}

# R-PARTY-COMBINED: the combination ladder, lightest first; a probation step carries its months.
PARTY_LADDER: tuple[tuple[str, int | None], ...] = (
    ("party-warning", None),
    ("party-serious-warning", None),
    ("party-post-removal", None),
    (PROBATION, policy.COMBINED_PROBATION_STEP[0]),
    (PROBATION, policy.COMBINED_PROBATION_STEP[1]),
    (EXPULSION, None),
)
# R-STATE-COMBINED: lightest first.
STATE_LADDER: tuple[str, ...] = (
    "warning", "demerit", "major-demerit", "grade-demotion", POST_DISMISSAL, DISCHARGE,
)


def measure_of(kind: str) -> Measure | None:
    """The table row of a sanction or org-handling kind (R-PARTY, R-STATE, R-ORG), or None if unknown."""
    return MEASURES.get(kind)


def fixed_period(kind: str) -> int | None:
    """R-PARTY-STACK / R-STATE-STACK / R-STATE-COMBINED: the single fixed period of `kind`, if it has one."""
    measure = MEASURES.get(kind)
    if measure is None or len(measure.spans) != 1 or measure.spans[0].end != DATE:
        return None
    return measure.spans[0].months


def grade_effects_of(kind: str, period_months: int | None = None) -> tuple[tuple[int, str], ...]:
    """R-PARTY / R-STATE / R-ORG grade effects as (year offset, effect); a probation's follow its period."""
    measure = MEASURES.get(kind)
    if measure is None:
        return ()
    if kind == PROBATION:
        years = 2 if (period_months or policy.DEFAULT_PROBATION_MONTHS) > 12 else 1
        return measure.effects + tuple((offset, NOT_GRADED) for offset in range(1, years + 1))
    return measure.effects


def effect_severity(effect: str) -> int:
    """0 for the most severe grade effect (`incompetent`), larger for milder ones (考核规定 Art. 29)."""
    return EFFECT_SEVERITY.index(effect)


def is_grade_allowed(effect: str, grade: str) -> bool:
    """R-ASSESS-EFFECT: whether `grade` is accepted under a grade effect."""
    if effect == INCOMPETENT:
        return grade == "incompetent"
    if effect == NOT_GRADED:
        return grade == "not-graded"
    return grade != "excellent"
