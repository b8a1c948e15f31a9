"""R-TRIGGER: adjustment triggers raised by grades and democratic evaluations, and their determinations."""
from __future__ import annotations

from datetime import date

from ledger.facts import Fact
from ledger.rules.history import History


def is_vote_below_two_thirds(evaluation: Fact) -> bool:
    """R-TRIGGER `vote-below-two-thirds`: (excellent + competent) x 3 < valid x 2 (two thirds exactly: no)."""
    approving = int(evaluation.get("excellent", 0)) + int(evaluation.get("competent", 0))
    return approving * 3 < int(evaluation["valid"]) * 2


def _determination(history: History, trigger: str, basis_last: object, as_of: date) -> str | None:
    """R-TRIGGER: the outcome of the latest determination of this trigger and last basis element."""
    outcome = None
    for fact in history.of_type("determination"):
        same_basis = str(fact.get("basis")) == str(basis_last)
        if fact["on"] <= as_of and fact.get("trigger") == trigger and same_basis:
            outcome = fact.get("outcome")
    return outcome


def _flag(history: History, trigger: str, basis: list, raised_on: date, as_of: date) -> dict:
    return {"trigger": trigger, "raised_on": raised_on, "basis": basis,
            "determination": _determination(history, trigger, basis[-1], as_of)}


def compute_flags(history: History, as_of: date) -> list[dict]:
    """R-TRIGGER: every flag raised by `as_of` from the grades and evaluations effective by then."""
    flags = []
    grades = history.year_grades(as_of)
    for year, assessment in sorted(grades.items()):
        grade = assessment["grade"]
        if grade == "incompetent":
            flags.append(_flag(history, "incompetent-year", [year], assessment["on"], as_of))
        following = grades.get(year + 1)
        if following is None or following["grade"] != grade:
            continue
        raised_on = max(assessment["on"], following["on"])
        if grade == "basically-competent":
            flags.append(_flag(history, "two-basic-consecutive", [year, year + 1], raised_on, as_of))
        elif grade == "incompetent":
            flags.append(_flag(history, "two-incompetent-consecutive", [year, year + 1], raised_on, as_of))
    for evaluation in history.of_type("democratic-evaluation"):
        if evaluation["on"] <= as_of and is_vote_below_two_thirds(evaluation):
            flags.append(_flag(history, "vote-below-two-thirds", [evaluation["id"]], evaluation["on"], as_of))
    return sorted(flags, key=lambda flag: (flag["raised_on"], flag["trigger"]))
