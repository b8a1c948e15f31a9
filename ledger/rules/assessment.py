"""R-ASSESS, R-ASSESS-EFFECT, R-INVESTIGATION grading, R-ASSESS-DEMOTE: grades and grade effects."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ledger.errors import RuleViolation
from ledger.facts import Fact
from ledger.rules.history import MEASURE_TYPES, History
from ledger.rules.periods import add_months, new_years_eve
from ledger.rules.sanctions import (
    ENDING_EXEMPTIONS,
    POST_DISMISSAL,
    effect_severity,
    grade_effects_of,
    is_grade_allowed,
    measure_of,
)
from ledger.rules.view import CadreView

DEMOTING_ORG_KINDS = frozenset({"demotion"})
# R-ASSESS-DEMOTE: the decision types that may carry out a demotion.
DEMOTING_TYPES = frozenset({"rank-demotion", "appointment"}) | MEASURE_TYPES


@dataclass(frozen=True)
class GradeEffect:
    """A constraint on the annual assessment of `year` (RULES.md "Vocabulary")."""

    year: int
    effect: str
    source: str
    rule: str

    def as_dict(self) -> dict:
        """The status row of SPEC "Status"."""
        return {"year": self.year, "effect": self.effect, "source": self.source, "rule": self.rule}


def compute_grade_effects(history: History, day: date) -> list[GradeEffect]:
    """R-PARTY / R-STATE / R-ORG grade effects of the measures effective on or before `day`.

    Y is the year of the measure's own `on` (also for a `reduced` replacement, R-EXEMPT); an `exempt`
    or `no-liability` exemption effective by `day` lapses the effects for years after its own year.
    """
    effects = []
    for fact in history.of_type(*MEASURE_TYPES):
        if fact["on"] > day:
            continue
        kind = history.measure_kind(fact, day)
        measure = measure_of(kind)
        if measure is None:
            continue
        exemption = history.exemption_at(fact["id"], day)
        last_year = exemption["on"].year if exemption and exemption["outcome"] in ENDING_EXEMPTIONS else None
        for offset, effect in grade_effects_of(kind, history.period_of(fact, kind)):
            year = fact["on"].year + offset
            if last_year is None or year <= last_year:
                effects.append(GradeEffect(year, effect, fact["id"], measure.rule))
    return sorted(effects, key=lambda e: (e.year, effect_severity(e.effect)))


def most_severe(effects: list[GradeEffect], year: int) -> GradeEffect | None:
    """R-ASSESS-EFFECT: the most severe effect on `year` (incompetent > not-graded > no-excellent)."""
    on_year = [e for e in effects if e.year == year]
    return min(on_year, key=lambda e: effect_severity(e.effect)) if on_year else None


def is_grading_barred(history: History, year: int, day: date) -> Fact | None:
    """R-INVESTIGATION: the investigation open on some day of `year` and still open on `day`, if any."""
    for opened in history.of_type("investigation-open"):
        still_open = history.investigation_close(opened, day) is None
        if opened["on"] <= min(day, new_years_eve(year)) and still_open:
            return opened
    return None


def is_demotion_carried_out(history: History, assessment: Fact) -> bool:
    """R-ASSESS-DEMOTE: a demotion effective within 12 months from an `incompetent` assessment's `on`."""
    start, end = assessment["on"], add_months(assessment["on"], 12)
    for fact in history.among(DEMOTING_TYPES):
        if not start <= fact["on"] < end:
            continue
        kind_type = fact["type"]
        if kind_type == "rank-demotion" or (kind_type == "appointment" and fact.get("path") == "lower"):
            return True
        if kind_type == "org-handling" and history.kind_of(fact) in DEMOTING_ORG_KINDS:
            return True
        if kind_type == "sanction" and history.kind_of(fact) == POST_DISMISSAL:
            return True
    return False


def compute_missing_demotions(history: History, as_of: date) -> list[tuple[Fact, date]]:
    """R-ASSESS-DEMOTE: (incompetent assessment, date raised) for each demotion still missing by `as_of`."""
    missing = []
    for assessment in history.year_grades(as_of).values():
        if assessment["grade"] != "incompetent":
            continue
        raised_on = add_months(assessment["on"], 12)
        if raised_on <= as_of and not is_demotion_carried_out(history, assessment):
            missing.append((assessment, raised_on))
    return sorted(missing, key=lambda item: item[1])


def check_assessment(view: CadreView, new: Fact) -> None:
    """R-ASSESS one grade per year, R-INVESTIGATION, R-ASSESS-EFFECT, as of the assessment's `on`."""
    year, grade, day = new["year"], new["grade"], new["on"]
    existing = view.history.year_grades(day).get(year)
    if existing is not None and existing["grade"] != "not-graded":
        raise RuleViolation(
            "R-ASSESS", f"{view.cadre} is already graded {existing['grade']} for {year} by {existing['id']}; "
            "a second assessment is accepted only after not-graded", blocking=existing["id"])
    opened = is_grading_barred(view.history, year, day)
    if opened is not None:
        if grade != "not-graded":
            raise RuleViolation(
                "R-INVESTIGATION", f"{view.cadre} may only be not-graded for {year} while investigation "
                f"{opened['id']} (case {opened.get('case')}) is open", blocking=opened["id"])
        return
    effect = most_severe(compute_grade_effects(view.history, day), year)
    if effect is not None and not is_grade_allowed(effect.effect, grade):
        source = view.history.by_id[effect.source]
        raise RuleViolation(
            "R-ASSESS-EFFECT", f"{view.cadre} may not be graded {grade} for {year}: "
            f"{view.history.measure_kind(source, day)} {effect.source} makes the year {effect.effect}",
            blocking=effect.source)
