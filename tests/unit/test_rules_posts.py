"""R-POST: appointments — R-POST-BAR / R-BLOCK, R-POST-PREV, R-POST-SKIP, R-POST-MIN (Precise reading 8)."""
from __future__ import annotations

from typing import Any

import pytest

from ledger.errors import RuleViolation
from ledger.rules.checks import check_decision
from tests.unit.factories import Dossier, day, status_on


def _deputy(since: str = "2020-01-01", level: str = "county-deputy") -> Dossier:
    return Dossier(post_level=level, post_level_since=since)


def _appointment(cadre: Dossier, level: str, on: str, path: str = "regular", **fields: Any) -> dict:
    return cadre.draft("appointment", on, post=f"{level} post", post_level=level, path=path, **fields)


def test_a_deputy_becomes_chief_of_the_same_level_after_two_years() -> None:
    cadre = _deputy(since="2023-04-15")

    with pytest.raises(RuleViolation, match="R-POST-MIN") as refused:
        check_decision(cadre.facts, _appointment(cadre, "county-chief", "2025-04-14"))
    check_decision(cadre.facts, _appointment(cadre, "county-chief", "2025-04-15"))

    assert (refused.value.ends_on, refused.value.blocking) == (day("2025-04-15"), "reg-HB-12")


def test_a_chief_becomes_deputy_of_the_next_level_after_three_years() -> None:
    cadre = _deputy(since="2022-04-15", level="township-chief")

    with pytest.raises(RuleViolation, match="R-POST-MIN"):
        check_decision(cadre.facts, _appointment(cadre, "county-deputy", "2025-04-14"))
    check_decision(cadre.facts, _appointment(cadre, "county-deputy", "2025-04-15"))


def test_the_minimum_years_do_not_apply_below_county_deputy() -> None:
    cadre = _deputy(since="2025-01-01", level="township-deputy")

    check_decision(cadre.facts, _appointment(cadre, "township-chief", "2025-02-01"))


def test_an_appointment_restarts_the_time_at_a_level_but_a_lateral_one_does_not() -> None:
    cadre = _deputy(since="2020-01-01")
    cadre.appoint("county-deputy", "2024-06-01", path="lateral")

    check_decision(cadre.facts, _appointment(cadre, "county-chief", "2024-07-01"))
    cadre.appoint("county-chief", "2024-07-01")
    with pytest.raises(RuleViolation, match=r"R-POST-MIN.*") as refused:
        check_decision(cadre.facts, _appointment(cadre, "bureau-deputy", "2027-06-30"))

    assert refused.value.ends_on == day("2027-07-01")


def test_a_regular_promotion_goes_one_step() -> None:
    cadre = _deputy()

    with pytest.raises(RuleViolation, match="R-POST-SKIP"):
        check_decision(cadre.facts, _appointment(cadre, "bureau-deputy", "2025-01-01"))


@pytest.mark.parametrize("path", ["lateral", "lower"])
def test_an_upward_appointment_on_a_lateral_or_lower_path_is_refused(path: str) -> None:
    cadre = _deputy()

    with pytest.raises(RuleViolation, match="R-POST-SKIP"):
        check_decision(cadre.facts, _appointment(cadre, "county-chief", "2025-01-01", path=path))


def test_exceptional_promotion_goes_two_steps_and_waives_the_minimum_years() -> None:
    cadre = _deputy(since="2024-06-01")

    check_decision(cadre.facts, _appointment(cadre, "bureau-deputy", "2025-01-01", path="exceptional"))
    with pytest.raises(RuleViolation, match="at most 2"):
        check_decision(cadre.facts, _appointment(cadre, "bureau-chief", "2025-01-01", path="exceptional"))


def test_exceptional_promotion_is_refused_within_twelve_months_of_the_last_upward_appointment() -> None:
    cadre = _deputy(level="county-deputy", since="2020-01-01")
    cadre.appoint("county-chief", "2024-03-01", id="up-1")

    with pytest.raises(RuleViolation, match="R-POST-SKIP") as refused:
        check_decision(cadre.facts, _appointment(cadre, "bureau-deputy", "2025-02-28", path="exceptional"))
    check_decision(cadre.facts, _appointment(cadre, "bureau-deputy", "2025-03-01", path="exceptional"))

    assert (refused.value.blocking, refused.value.ends_on) == ("up-1", day("2025-03-01"))


def test_exceptional_promotion_is_refused_after_an_exceptional_one() -> None:
    cadre = _deputy(level="township-chief", since="2015-01-01")
    cadre.appoint("county-chief", "2018-03-01", path="exceptional", id="up-1")

    with pytest.raises(RuleViolation, match="was exceptional too") as refused:
        check_decision(cadre.facts, _appointment(cadre, "bureau-deputy", "2025-03-01", path="exceptional"))
    check_decision(cadre.facts, _appointment(cadre, "bureau-deputy", "2025-03-01"))

    assert refused.value.blocking == "up-1"


def test_direct_promotion_from_a_county_chief_to_an_executive_deputy_post() -> None:
    cadre = _deputy(level="county-chief", since="2024-06-01")

    check_decision(cadre.facts, _appointment(cadre, "bureau-deputy", "2025-01-01", path="direct",
                                             role="executive-deputy"))
    with pytest.raises(RuleViolation, match="R-POST-SKIP"):
        check_decision(cadre.facts, _appointment(cadre, "bureau-deputy", "2025-01-01", path="direct",
                                                 role="deputy"))


def test_direct_promotion_reads_the_role_of_the_registered_post() -> None:
    cadre = _deputy(level="township-chief", since="2024-06-01")
    posts = {"YC-DS": {"role": "full-time-deputy-secretary", "post_level": "county-deputy",
                       "title": "deputy secretary",
                       "unit": "Yiling", "principal": False}}

    direct = _appointment(cadre, "county-deputy", "2025-01-01", path="direct", post_id="YC-DS")
    check_decision(cadre.facts, direct, posts=posts)
    with pytest.raises(RuleViolation, match="R-POST-SKIP"):
        check_decision(cadre.facts, _appointment(cadre, "county-deputy", "2025-01-01", path="direct",
                                                 post_id="YC-DS"))


def test_direct_promotion_starts_only_from_a_county_or_township_chief() -> None:
    cadre = _deputy(level="county-deputy")

    with pytest.raises(RuleViolation, match="starts from county-chief or township-chief"):
        check_decision(cadre.facts, _appointment(cadre, "county-chief", "2025-01-01", path="direct",
                                                 role="executive-deputy"))


def test_seniority_waiver_is_deputy_to_chief_and_keeps_the_two_year_floor() -> None:
    cadre = _deputy(since="2024-01-01")

    with pytest.raises(RuleViolation, match="R-POST-MIN"):
        check_decision(cadre.facts, _appointment(cadre, "county-chief", "2025-06-01",
                                                 path="seniority-waiver"))
    check_decision(cadre.facts, _appointment(cadre, "county-chief", "2026-01-01", path="seniority-waiver"))
    chief = _deputy(level="county-chief", since="2015-01-01")
    with pytest.raises(RuleViolation, match="deputy to chief"):
        check_decision(chief.facts, _appointment(chief, "bureau-deputy", "2025-06-01",
                                                 path="seniority-waiver"))


def test_a_weak_grade_last_year_bars_a_higher_post_this_year() -> None:
    cadre = _deputy()
    cadre.assess(2024, "basically-competent", on="2025-01-20", id="a-2024")

    with pytest.raises(RuleViolation, match="R-POST-BAR") as refused:
        check_decision(cadre.facts, _appointment(cadre, "county-chief", "2025-06-01"))
    check_decision(cadre.facts, _appointment(cadre, "county-chief", "2026-01-01"))

    assert (refused.value.blocking, refused.value.ends_on) == ("a-2024", day("2026-01-01"))


def test_the_previous_year_grade_rule_names_the_assessment() -> None:
    from ledger.rules.posts import check_previous_grade
    from ledger.rules.view import CadreView

    cadre = _deputy()
    cadre.assess(2024, "incompetent", on="2025-01-20", id="a-2024")

    with pytest.raises(RuleViolation, match="R-POST-PREV") as refused:
        check_previous_grade(CadreView(cadre.facts), _appointment(cadre, "county-chief", "2025-06-01"))

    assert (refused.value.blocking, refused.value.ends_on) == ("a-2024", day("2026-01-01"))


def test_equal_or_higher_post_bars_a_lateral_move_at_the_reference_level_but_not_below() -> None:
    cadre = _deputy(level="county-chief")
    cadre.sanction("party-post-removal", "2025-01-01", id="p-1")

    with pytest.raises(RuleViolation, match="R-BLOCK") as refused:
        check_decision(cadre.facts, _appointment(cadre, "county-chief", "2025-06-01", path="lateral"))
    check_decision(cadre.facts, _appointment(cadre, "county-deputy", "2025-06-01", path="lower"))

    assert refused.value.blocking == "p-1"


def test_leadership_post_bars_every_appointment_for_twelve_months_then_higher_post_bars_upward_ones() -> None:
    cadre = _deputy(level="county-chief", since="2015-01-01")
    cadre.org("accountability-removal", "2025-01-01", id="o-1")

    with pytest.raises(RuleViolation, match="until 2026-01-01"):
        check_decision(cadre.facts, _appointment(cadre, "county-deputy", "2025-12-31", path="lower"))
    check_decision(cadre.facts, _appointment(cadre, "county-chief", "2026-01-01", path="lateral"))
    with pytest.raises(RuleViolation,
                       match=r"until 2027-01-01: accountability-removal o-1 is running \(R-POST-BAR\)"):
        check_decision(cadre.facts, _appointment(cadre, "bureau-deputy", "2026-01-01"))
    check_decision(cadre.facts, _appointment(cadre, "bureau-deputy", "2027-01-01"))


def test_after_leaving_a_post_the_last_level_held_is_compared() -> None:
    cadre = _deputy(level="county-deputy", since="2024-01-01")
    cadre.record("removal", "2024-06-01", reason="reassignment")

    with pytest.raises(RuleViolation, match="R-POST-MIN"):
        check_decision(cadre.facts, _appointment(cadre, "county-chief", "2025-06-01"))
    check_decision(cadre.facts, _appointment(cadre, "county-deputy", "2025-06-01", path="lateral"))
    assert (status_on(cadre, "2025-01-01")["post"], status_on(cadre, "2025-01-01")["post_level"]) == (None,
                                                                                                      None)


def test_a_cadre_who_never_held_a_post_level_is_appointed_upward_without_skip_or_minimum_checks() -> None:
    cadre = Dossier(post_level=None)
    cadre.sanction("warning", "2025-01-01", id="w-1")

    with pytest.raises(RuleViolation, match="R-POST-BAR"):
        check_decision(cadre.facts, _appointment(cadre, "county-chief", "2025-03-01", path="lateral"))
    check_decision(cadre.facts, _appointment(cadre, "county-chief", "2025-07-01", path="lateral"))


def test_an_appointment_changes_post_level_and_unit_of_a_registered_post() -> None:
    cadre = _deputy()
    posts = {"YL-HEAD": {"role": "chief", "post_level": "county-chief", "title": "head", "unit": "Yiling",
                         "principal": True}}
    cadre.appoint("county-chief", "2025-01-01", post_id="YL-HEAD")

    status = status_on(cadre, "2025-01-01", posts=posts)

    assert (status["post_level"], status["unit"]) == ("county-chief", "Yiling")
    assert status_on(cadre, "2024-12-31", posts=posts)["unit"] == "Yichang"
