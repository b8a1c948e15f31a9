"""R-PARTY, R-STATE, R-ORG tables: every restriction runs the day before its end and is expired on it,
and every kind's grade effects fall on the right years."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from ledger.errors import RuleViolation
from ledger.rules.checks import check_decision
from tests.unit.factories import Dossier, day, status_on

ON = "2025-08-31"  # the end of August: every period below also checks the month-end clamp
DISMISSAL = {"new_post": "clerk", "new_post_level": "township-chief", "new_rank": "principal-staff-1"}

# (type, kind, extra fields, bars of one restriction, first clear day)
DATED = [
    ("sanction", "party-warning", {}, ["promotion"], "2026-08-31"),
    ("sanction", "party-serious-warning", {}, ["promotion"], "2027-02-28"),
    ("sanction", "party-post-removal", {}, ["equal-or-higher-post", "promotion"], "2027-08-31"),
    ("sanction", "party-expulsion", {}, ["equal-or-higher-post", "promotion", "rejoin-party"], "2030-08-31"),
    ("sanction", "warning", {}, ["promotion"], "2026-02-28"),
    ("sanction", "demerit", {}, ["promotion", "salary-step"], "2026-08-31"),
    ("sanction", "major-demerit", {}, ["promotion", "salary-step"], "2027-02-28"),
    ("sanction", "grade-demotion", {}, ["promotion", "salary-step"], "2027-08-31"),
    ("sanction", "post-dismissal", DISMISSAL, ["promotion", "salary-step"], "2027-08-31"),
    ("org-handling", "admonition", {}, ["promotion"], "2026-02-28"),
    ("org-handling", "post-adjustment", {}, ["promotion"], "2026-08-31"),
    ("org-handling", "ordered-resignation", {}, ["leadership-post"], "2026-08-31"),
    ("org-handling", "ordered-resignation", {}, ["higher-post"], "2027-08-31"),
    ("org-handling", "resignation-for-fault", {}, ["leadership-post"], "2026-08-31"),
    ("org-handling", "resignation-for-fault", {}, ["higher-post"], "2027-08-31"),
    ("org-handling", "accountability-removal", {}, ["leadership-post"], "2026-08-31"),
    ("org-handling", "accountability-removal", {}, ["higher-post"], "2027-08-31"),
    ("org-handling", "demotion", {"new_post_level": "township-chief"}, ["promotion"], "2027-08-31"),
]


def _measure(cadre: Dossier, type_: str, kind: str, fields: dict[str, Any]) -> None:
    if type_ == "sanction":
        cadre.sanction(kind, ON, id="m-1", **fields)
    else:
        cadre.org(kind, ON, id="m-1", **fields)


def _matching(rows: list[dict], kind: str, bars: list[str]) -> list[dict]:
    return [r for r in rows if r["source"] == "m-1" and r["kind"] == kind and r["bars"] == bars]


@pytest.mark.parametrize(("type_", "kind", "fields", "bars", "clear"), DATED,
                         ids=[f"{k}-{'+'.join(b)}" for _, k, _, b, _ in DATED])
def test_each_restriction_runs_the_day_before_its_end_and_has_expired_on_it(
        type_: str, kind: str, fields: dict, bars: list[str], clear: str) -> None:
    cadre = Dossier()
    _measure(cadre, type_, kind, fields)

    day_before = status_on(cadre, day(clear) - timedelta(days=1))
    end_day = status_on(cadre, clear)

    running = _matching(day_before["restrictions"], kind, bars)
    assert [(r["effective_on"], r["end_kind"], r["ends_on"]) for r in running] == [(day(ON), "date",
                                                                                    day(clear))]
    assert _matching(end_day["restrictions"], kind, bars) == []
    assert len(_matching(end_day["expired_restrictions"], kind, bars)) == 1


@pytest.mark.parametrize("kind", ["party-warning", "warning", "demerit", "admonition", "demotion"])
def test_a_single_promotion_bar_makes_the_cadre_promotable_again_on_its_end(kind: str) -> None:
    row = next(r for r in DATED if r[1] == kind)
    cadre = Dossier()
    _measure(cadre, row[0], kind, row[2])

    assert status_on(cadre, day(row[4]) - timedelta(days=1))["promotable"] is False
    assert status_on(cadre, row[4])["promotable"] is True


def test_accountability_removal_keeps_the_cadre_unpromotable_until_the_higher_post_bar_ends() -> None:
    cadre = Dossier()
    cadre.org("accountability-removal", ON, id="m-1")

    assert status_on(cadre, "2026-08-31")["promotable"] is False
    assert status_on(cadre, "2027-08-31")["promotable"] is True


def test_demerit_stops_salary_steps_but_a_party_warning_does_not() -> None:
    cadre, other = Dossier(), Dossier()
    cadre.sanction("demerit", ON)
    other.sanction("party-warning", ON)

    assert status_on(cadre, "2025-09-01")["salary_step_allowed"] is False
    assert status_on(other, "2025-09-01")["salary_step_allowed"] is True


def test_discharge_is_permanent_and_ends_employment() -> None:
    cadre = Dossier()
    cadre.sanction("discharge", ON, id="m-1")

    status = status_on(cadre, "2040-01-01")

    assert [(r["kind"], r["end_kind"], r["ends_on"], r["bars"]) for r in status["restrictions"]] == [
        ("discharge", "permanent", None, ["employment"])]
    assert (status["employment"], status["promotable"], status["salary_step_allowed"]) == ("discharged",
                                                                                           False, False)


def test_suspension_bars_promotion_until_its_end_is_effective() -> None:
    cadre = Dossier()
    cadre.org("suspension", ON, id="m-1")
    cadre.record("suspension-end", "2025-10-15", target="m-1")

    pending, ended = status_on(cadre, "2025-10-14"), status_on(cadre, "2025-10-15")

    assert [(r["end_kind"], r["ends_on"]) for r in pending["restrictions"]] == [("pending", None)]
    assert ended["restrictions"] == []
    assert [(r["end_kind"], r["ends_on"]) for r in ended["expired_restrictions"]] == [("date",
                                                                                       day("2025-10-15"))]


def test_circular_restricts_nothing() -> None:
    cadre = Dossier()
    cadre.org("circular", ON)

    status = status_on(cadre, "2025-09-01")

    assert (status["restrictions"], status["grade_effects"], status["promotable"]) == ([], [], True)


def test_expulsion_is_one_restriction_and_ends_membership() -> None:
    cadre = Dossier()
    cadre.sanction("party-expulsion", ON, id="m-1")

    status = status_on(cadre, "2025-09-01")

    assert len(status["restrictions"]) == 1
    assert status["party_member"] is False


def test_post_dismissal_lowers_post_and_rank_and_they_stay_lowered_after_the_period() -> None:
    cadre = Dossier()
    cadre.sanction("post-dismissal", ON, **DISMISSAL)

    status = status_on(cadre, "2030-01-01")

    assert (status["post"], status["post_level"], status["rank"]) == ("clerk", "township-chief",
                                                                      "principal-staff-1")


@pytest.mark.parametrize("kind", ["ordered-resignation", "resignation-for-fault", "accountability-removal"])
def test_leaving_measures_leave_the_post(kind: str) -> None:
    cadre = Dossier()
    cadre.org(kind, ON)

    status = status_on(cadre, "2025-09-01")

    assert (status["post"], status["post_level"]) == (None, None)


# (type, kind, extra, expected effect by year)
EFFECTS = [
    ("sanction", "party-warning", {}, {2025: "no-excellent"}),
    ("sanction", "party-serious-warning", {}, {2025: "not-graded"}),
    ("sanction", "party-post-removal", {}, {2025: "incompetent"}),
    ("sanction", "party-probation", {"period_months": 12}, {2025: "incompetent", 2026: "not-graded"}),
    ("sanction", "party-probation", {"period_months": 24},
     {2025: "incompetent", 2026: "not-graded", 2027: "not-graded"}),
    ("sanction", "party-expulsion", {}, {2025: "incompetent", 2026: "not-graded", 2027: "not-graded"}),
    ("sanction", "warning", {}, {2025: "no-excellent"}),
    ("sanction", "demerit", {}, {2025: "not-graded"}),
    ("sanction", "major-demerit", {}, {2025: "not-graded", 2026: "not-graded"}),
    ("sanction", "grade-demotion", {}, {2025: "not-graded", 2026: "not-graded"}),
    ("sanction", "post-dismissal", DISMISSAL, {2025: "not-graded", 2026: "not-graded"}),
    ("sanction", "discharge", {}, {}),
    ("org-handling", "circular", {}, {}),
    ("org-handling", "admonition", {}, {2025: "no-excellent"}),
    ("org-handling", "suspension", {}, {}),
    ("org-handling", "post-adjustment", {}, {2025: "no-excellent"}),
    ("org-handling", "ordered-resignation", {}, {2025: "not-graded"}),
    ("org-handling", "resignation-for-fault", {}, {2025: "not-graded"}),
    ("org-handling", "accountability-removal", {}, {2025: "not-graded"}),
    ("org-handling", "demotion", {"new_post_level": "township-chief"}, {2025: "not-graded"}),
]


@pytest.mark.parametrize(("type_", "kind", "fields", "expected"), EFFECTS,
                         ids=[f"{k}{f.get('period_months', '')}" for _, k, f, _ in EFFECTS])
def test_grade_effects_fall_on_the_years_of_the_table(type_: str, kind: str, fields: dict,
                                                      expected: dict) -> None:
    cadre = Dossier()
    _measure(cadre, type_, kind, fields)

    effects = status_on(cadre, "2028-06-01")["grade_effects"]

    assert {e["year"]: e["effect"] for e in effects} == expected
    assert all(e["source"] == "m-1" for e in effects)


# effect -> (a refused grade, an accepted grade)
GRADES_UNDER = {"no-excellent": ("excellent", "competent"), "not-graded": ("competent", "not-graded"),
                "incompetent": ("competent", "incompetent")}


@pytest.mark.parametrize(("type_", "kind", "fields", "expected"), [e for e in EFFECTS if e[3]],
                         ids=[f"{k}{f.get('period_months', '')}" for _, k, f, x in EFFECTS if x])
def test_each_grade_effect_refuses_the_grades_it_forbids(type_: str, kind: str, fields: dict,
                                                         expected: dict) -> None:
    for year, effect in expected.items():
        cadre = Dossier()
        _measure(cadre, type_, kind, fields)
        refused, accepted = GRADES_UNDER[effect]

        with pytest.raises(RuleViolation, match="R-ASSESS-EFFECT"):
            check_decision(cadre.facts, cadre.draft("assessment", f"{year + 1}-01-20", year=year,
                                                    grade=refused))
        check_decision(cadre.facts, cadre.draft("assessment", f"{year + 1}-01-20", year=year, grade=accepted))


def test_the_most_severe_grade_effect_of_a_year_wins() -> None:
    cadre = Dossier()
    cadre.sanction("warning", "2025-02-01", id="w-1")
    cadre.sanction("party-post-removal", "2025-03-01", id="p-1")

    with pytest.raises(RuleViolation, match="incompetent") as refused:
        check_decision(cadre.facts, cadre.draft("assessment", "2026-01-20", year=2025, grade="not-graded"))

    assert refused.value.blocking == "p-1"
