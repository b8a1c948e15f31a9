"""R-RANK: the eligibility algorithm, R-RANK-MIN and R-RANK-BAR (Precise reading 7)."""
from __future__ import annotations

import pytest

from ledger.errors import RuleViolation
from ledger.rules.checks import check_decision
from ledger.rules.rank import compute_eligible_on, required_years
from tests.unit.factories import Dossier, day, status_on


def test_every_excellent_year_takes_six_months_off() -> None:
    eligible = compute_eligible_on(day("2021-01-01"), 2, {2021: "excellent", 2022: "excellent"})

    assert eligible == day("2022-01-01")


@pytest.mark.parametrize("grade", ["basically-competent", "incompetent", "not-graded"])
def test_a_weak_or_ungraded_year_adds_twelve_months(grade: str) -> None:
    assert compute_eligible_on(day("2021-01-01"), 2, {2021: grade, 2022: "competent"}) == day("2024-01-01")


def test_a_year_not_yet_assessed_changes_nothing() -> None:
    assert compute_eligible_on(day("2021-01-01"), 2, {}) == day("2023-01-01")


def test_added_years_are_assessed_too() -> None:
    grades = {2021: "incompetent", 2022: "competent", 2023: "excellent"}

    assert compute_eligible_on(day("2021-01-01"), 2, grades) == day("2023-07-01")


def test_counting_starts_on_the_first_of_the_month() -> None:
    assert compute_eligible_on(day("2021-03-20"), 2, {}) == day("2023-03-01")


@pytest.mark.parametrize(("target", "years"), [
    ("inspector-1", 4), ("inspector-2", 4), ("researcher-1", 3), ("researcher-2", 2), ("principal-staff-4",
                                                                                       2),
    ("staff-1", 2)])
def test_years_needed_in_the_rank_below(target: str, years: int) -> None:
    assert required_years(target) == years


def test_promotion_before_the_minimum_years_is_refused_until_the_eligible_day() -> None:
    cadre = Dossier(rank="principal-staff-2", rank_since="2021-01-01", post_level=None)
    cadre.assess(2021, "excellent")
    cadre.assess(2022, "competent")
    promotion = cadre.draft("rank-promotion", "2022-06-30", rank="principal-staff-1")

    with pytest.raises(RuleViolation, match="R-RANK-MIN") as refused:
        check_decision(cadre.facts, promotion)
    check_decision(cadre.facts, {**promotion, "on": day("2022-07-01")})

    assert refused.value.ends_on == day("2022-07-01")


def test_only_grades_effective_by_the_promotion_count() -> None:
    cadre = Dossier(rank="principal-staff-2", rank_since="2021-01-01", post_level=None)
    cadre.assess(2021, "excellent", on="2022-08-01")

    with pytest.raises(RuleViolation, match="until 2023-01-01"):
        check_decision(cadre.facts, cadre.draft("rank-promotion", "2022-07-01", rank="principal-staff-1"))


def test_a_promotion_goes_to_the_next_rank_up() -> None:
    cadre = Dossier(rank="principal-staff-2", rank_since="2015-01-01", post_level=None)

    with pytest.raises(RuleViolation, match="next rank up, principal-staff-1"):
        check_decision(cadre.facts, cadre.draft("rank-promotion", "2022-06-30", rank="researcher-4"))


def test_a_promotion_to_a_lower_rank_is_refused() -> None:
    cadre = Dossier(rank="principal-staff-2", rank_since="2015-01-01", post_level=None)

    with pytest.raises(RuleViolation, match="not above"):
        check_decision(cadre.facts, cadre.draft("rank-promotion", "2022-06-30", rank="principal-staff-3"))


def test_the_equivalent_post_allows_a_higher_target_counting_its_time() -> None:
    cadre = Dossier(rank="researcher-4", rank_since="2024-01-01", post_level="county-chief",
                    post_level_since="2020-05-10")

    check_decision(cadre.facts, cadre.draft("rank-promotion", "2023-05-01", rank="researcher-1"))
    with pytest.raises(RuleViolation, match="until 2023-05-01"):
        check_decision(cadre.facts, cadre.draft("rank-promotion", "2023-04-30", rank="researcher-1"))


def test_time_in_the_equivalent_post_counts_when_it_started_earlier_than_the_rank() -> None:
    cadre = Dossier(rank="principal-staff-2", rank_since="2022-01-01", post_level="township-chief",
                    post_level_since="2020-01-01")

    status = status_on(cadre, "2022-06-01")

    assert status["rank_promotion_eligible_on"] == day("2022-01-01")


def test_rank_promotion_is_barred_by_a_running_restriction_even_after_the_minimum_years() -> None:
    cadre = Dossier(rank="principal-staff-2", rank_since="2015-01-01", post_level=None)
    cadre.org("admonition", "2025-03-01", id="adm")

    with pytest.raises(RuleViolation, match="until 2025-09-01: admonition adm") as refused:
        check_decision(cadre.facts, cadre.draft("rank-promotion", "2025-08-31", rank="principal-staff-1"))
    check_decision(cadre.facts, cadre.draft("rank-promotion", "2025-09-01", rank="principal-staff-1"))

    assert refused.value.rule == "R-RANK-BAR"


def test_a_pending_restriction_is_named_without_an_end_date() -> None:
    cadre = Dossier()
    cadre.record("investigation-open", "2025-03-01", id="inv", case="C-1")

    with pytest.raises(RuleViolation, match="while investigation inv is running") as refused:
        check_decision(cadre.facts, cadre.draft("rank-promotion", "2025-08-31", rank="researcher-3"))

    assert refused.value.ends_on is None


def test_non_civil_servants_have_no_minimum_years_but_bars_apply() -> None:
    cadre = Dossier(rank="principal-staff-2", rank_since="2024-01-01", staff_category="soe")

    check_decision(cadre.facts, cadre.draft("rank-promotion", "2024-02-01", rank="researcher-1"))
    cadre.sanction("warning", "2024-03-01")
    with pytest.raises(RuleViolation, match="R-RANK-BAR"):
        check_decision(cadre.facts, cadre.draft("rank-promotion", "2024-04-01", rank="principal-staff-1"))
    assert status_on(cadre, "2024-04-01")["rank_promotion_eligible_on"] is None


def test_rank_since_restarts_on_a_promotion() -> None:
    cadre = Dossier(rank="principal-staff-2", rank_since="2018-01-01", post_level=None)
    cadre.record("rank-promotion", "2022-03-15", rank="principal-staff-1")

    status = status_on(cadre, "2022-04-01")

    assert (status["rank"], status["rank_promotion_eligible_on"]) == ("principal-staff-1", day("2024-03-01"))


def test_no_eligibility_above_the_top_rank() -> None:
    cadre = Dossier(rank="inspector-1", rank_since="2018-01-01")

    assert status_on(cadre, "2022-04-01")["rank_promotion_eligible_on"] is None
