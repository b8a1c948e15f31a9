"""R-ASSESS (one grade per year), R-ASSESS-NEXT, R-INVESTIGATION and R-ASSESS-DEMOTE."""
from __future__ import annotations

import pytest

from ledger.errors import RuleViolation
from ledger.rules.checks import check_decision
from tests.unit.factories import Dossier, day, status_on


def test_a_second_grade_for_a_year_is_refused() -> None:
    cadre = Dossier()
    cadre.assess(2024, "competent", id="a-2024")

    with pytest.raises(RuleViolation, match="R-ASSESS") as refused:
        check_decision(cadre.facts, cadre.draft("assessment", "2025-03-01", year=2024, grade="excellent"))

    assert refused.value.blocking == "a-2024"


def test_a_not_graded_year_may_be_graded_later() -> None:
    cadre = Dossier()
    cadre.assess(2024, "not-graded")

    check_decision(cadre.facts, cadre.draft("assessment", "2025-06-01", year=2024, grade="competent"))


def test_basically_competent_bars_promotion_through_the_next_year_from_its_first_day() -> None:
    cadre = Dossier()
    cadre.assess(2024, "basically-competent", on="2025-03-01", id="a-2024")

    status = {d: status_on(cadre, d) for d in ("2024-12-31", "2025-01-01", "2025-12-31", "2026-01-01")}

    assert status["2024-12-31"]["promotable"] is True
    assert [(r["track"], r["kind"], r["effective_on"], r["ends_on"], r["rule"])
            for r in status["2025-01-01"]["restrictions"]] == [
        ("assessment", "basically-competent", day("2025-01-01"), day("2026-01-01"), "R-ASSESS-NEXT")]
    assert status["2025-12-31"]["promotable"] is False
    assert status["2026-01-01"]["promotable"] is True


def test_an_incompetent_grade_recorded_late_still_bars_from_the_first_of_january() -> None:
    cadre = Dossier()
    cadre.assess(2024, "incompetent", on="2025-04-01", id="a-2024")

    with pytest.raises(RuleViolation, match="R-RANK-BAR") as refused:
        check_decision(cadre.facts, cadre.draft("rank-promotion", "2025-02-01", rank="researcher-3"))

    assert (refused.value.blocking, refused.value.ends_on) == ("a-2024", day("2026-01-01"))


def test_a_competent_grade_restricts_nothing() -> None:
    cadre = Dossier()
    cadre.assess(2024, "competent")

    assert status_on(cadre, "2025-06-01")["restrictions"] == []


def test_an_open_investigation_bars_promotion_until_it_closes() -> None:
    cadre = Dossier()
    cadre.record("investigation-open", "2025-03-01", id="inv", case="C-7")
    cadre.record("investigation-close", "2025-09-01", case="C-7", outcome="no-sanction")

    open_, closed = status_on(cadre, "2025-08-31"), status_on(cadre, "2025-09-01")

    assert [(r["track"], r["kind"], r["end_kind"], r["rule"]) for r in open_["restrictions"]] == [
        ("investigation", "investigation", "pending", "R-INVESTIGATION")]
    assert open_["open_investigations"] == [{"case": "C-7", "source": "inv", "opened_on": day("2025-03-01")}]
    assert (closed["promotable"], closed["open_investigations"]) == (True, [])
    assert [r["ends_on"] for r in closed["expired_restrictions"]] == [day("2025-09-01")]


def test_while_an_investigation_is_open_only_not_graded_is_accepted_for_its_years() -> None:
    cadre = Dossier()
    cadre.record("investigation-open", "2024-11-01", id="inv", case="C-7")

    with pytest.raises(RuleViolation, match="R-INVESTIGATION") as refused:
        check_decision(cadre.facts, cadre.draft("assessment", "2025-01-15", year=2024, grade="competent"))
    check_decision(cadre.facts, cadre.draft("assessment", "2025-01-15", year=2024, grade="not-graded"))

    assert refused.value.blocking == "inv"


def test_an_investigation_opened_after_the_year_does_not_bar_its_grade() -> None:
    cadre = Dossier()
    cadre.record("investigation-open", "2025-01-05", case="C-7")

    check_decision(cadre.facts, cadre.draft("assessment", "2025-01-15", year=2024, grade="excellent"))


def test_after_the_investigation_closes_a_grade_may_replace_not_graded_subject_to_grade_effects() -> None:
    cadre = Dossier()
    cadre.record("investigation-open", "2024-11-01", case="C-7")
    cadre.assess(2024, "not-graded", on="2025-01-15")
    cadre.record("investigation-close", "2025-04-01", case="C-7", outcome="sanctioned")
    cadre.sanction("warning", "2024-12-01", id="w-1")

    with pytest.raises(RuleViolation, match="R-ASSESS-EFFECT"):
        check_decision(cadre.facts, cadre.draft("assessment", "2025-04-02", year=2024, grade="excellent"))
    check_decision(cadre.facts, cadre.draft("assessment", "2025-04-02", year=2024, grade="competent"))


def test_an_incompetent_grade_without_a_demotion_within_twelve_months_raises_a_finding() -> None:
    cadre = Dossier()
    cadre.assess(2024, "incompetent", on="2025-02-01", id="a-2024")

    before, due = status_on(cadre, "2026-01-31"), status_on(cadre, "2026-02-01")

    assert before["findings"] == []
    assert [(f["kind"], f["source"], f["raised_on"], f["rule"]) for f in due["findings"]] == [
        ("demotion-missing", "a-2024", day("2026-02-01"), "R-ASSESS-DEMOTE")]


@pytest.mark.parametrize("demotion", [
    ("rank-demotion", {"rank": "principal-staff-1"}),
    ("org-handling", {"kind": "demotion", "new_post_level": "township-chief"}),
    ("sanction", {"kind": "post-dismissal", "authority_kind": "appointing-body", "new_post": "clerk",
                  "new_post_level": None, "new_rank": "staff-1"}),
    ("appointment", {"post": "deputy", "post_level": "township-chief", "path": "lower"}),
])
def test_a_demotion_within_twelve_months_answers_an_incompetent_grade(demotion: tuple[str, dict]) -> None:
    cadre = Dossier()
    cadre.assess(2024, "incompetent", on="2025-02-01")
    cadre.record(demotion[0], "2026-01-31", **demotion[1])

    assert status_on(cadre, "2026-06-01")["findings"] == []


def test_a_demotion_after_twelve_months_does_not_answer_the_grade() -> None:
    cadre = Dossier()
    cadre.assess(2024, "incompetent", on="2025-02-01")
    cadre.record("rank-demotion", "2026-02-01", rank="principal-staff-1")

    assert [f["kind"] for f in status_on(cadre, "2026-06-01")["findings"]] == ["demotion-missing"]
