"""RULES.md worked examples 1–6 (7 is the handover calendar's)."""
from __future__ import annotations

import pytest

from ledger.errors import RuleViolation
from ledger.rules.checks import check_decision
from ledger.rules.rank import compute_eligible_on
from tests.unit.factories import Dossier, day, status_on


def test_demerit_bars_promotion_until_the_same_day_a_year_later() -> None:
    cadre = Dossier()
    cadre.sanction("demerit", "2025-03-10", id="s-2025-17")

    before, clear = status_on(cadre, "2026-03-09"), status_on(cadre, "2026-03-10")

    assert before["promotable"] is False
    assert clear["promotable"] is True
    assert [r["source"] for r in clear["expired_restrictions"]] == ["s-2025-17"]


def test_refusal_names_the_rule_the_blocking_demerit_and_its_end() -> None:
    cadre = Dossier()
    cadre.sanction("demerit", "2025-03-10", id="s-2025-17")

    with pytest.raises(RuleViolation, match="HB-12 may not be promoted until 2026-03-10: demerit s-2025-17 "
                                            r"is running \(R-RANK-BAR\)") as refused:
        check_decision(cadre.facts, cadre.draft("rank-promotion", "2026-03-09", rank="researcher-3"))

    assert (refused.value.rule, refused.value.blocking, refused.value.ends_on) == (
        "R-RANK-BAR", "s-2025-17", day("2026-03-10"))


def test_state_warning_allows_salary_steps_but_bars_promotion_for_six_months() -> None:
    cadre = Dossier()
    cadre.sanction("warning", "2025-03-10", id="w-1")

    during, clear = status_on(cadre, "2025-09-09"), status_on(cadre, "2025-09-10")

    assert (during["salary_step_allowed"], during["promotable"]) == (True, False)
    assert clear["promotable"] is True


def test_excellent_for_the_warning_year_is_refused_even_when_recorded_the_next_year() -> None:
    cadre = Dossier()
    cadre.sanction("warning", "2025-03-10", id="w-1")
    late_grade = cadre.draft("assessment", "2026-01-20", year=2025, grade="excellent")

    with pytest.raises(RuleViolation, match="R-ASSESS-EFFECT") as refused:
        check_decision(cadre.facts, late_grade)

    assert refused.value.blocking == "w-1"


def test_party_serious_warning_stacks_on_a_running_party_warning() -> None:
    cadre = Dossier()
    cadre.sanction("party-warning", "2025-01-10", id="p-1")
    cadre.sanction("party-serious-warning", "2025-07-10", id="p-2")

    barred, clear = status_on(cadre, "2027-01-10"), status_on(cadre, "2027-07-10")

    assert barred["promotable"] is False
    assert clear["promotable"] is True
    assert clear["expired_restrictions"][-1]["ends_on"] == day("2027-07-10")


def test_party_and_state_tracks_run_separately_and_the_longer_governs() -> None:
    cadre = Dossier()
    cadre.sanction("party-warning", "2025-05-01", id="p-1")
    cadre.sanction("demerit", "2025-05-20", id="s-1")

    state_still_running, both_clear = status_on(cadre, "2026-05-10"), status_on(cadre, "2026-05-20")

    assert state_still_running["promotable"] is False
    assert [r["track"] for r in state_still_running["restrictions"]] == ["state"]
    assert both_clear["promotable"] is True


def test_democratic_evaluation_below_two_thirds_raises_a_flag_and_exactly_two_thirds_does_not() -> None:
    cadre = Dossier()
    cadre.record("democratic-evaluation", "2025-06-01", id="ev-low", valid=60, excellent=20, competent=19,
                 basically_competent=21, incompetent=0)
    cadre.record("democratic-evaluation", "2025-07-01", id="ev-even", valid=60, excellent=20, competent=20,
                 basically_competent=20, incompetent=0)

    flags = status_on(cadre, "2025-12-31")["flags"]

    assert flags == [{"trigger": "vote-below-two-thirds", "raised_on": day("2025-06-01"), "basis": ["ev-low"],
                      "determination": None}]


def test_rank_eligibility_of_worked_example_six() -> None:
    cadre = Dossier(rank="principal-staff-2", rank_since="2021-01-01", post_level=None)
    cadre.assess(2021, "excellent")
    cadre.assess(2022, "competent")

    status = status_on(cadre, "2023-06-01")

    assert status["rank_promotion_eligible_on"] == day("2022-07-01")
    assert compute_eligible_on(day("2021-01-01"), 2, {2021: "excellent",
                                                      2022: "competent"}) == day("2022-07-01")
