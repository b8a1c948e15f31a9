"""R-PARTY-STACK, R-STATE-STACK (48-month cap), R-CROSS, and the combined ranges that are refused."""
from __future__ import annotations

import pytest

from ledger.errors import RuleViolation
from ledger.rules.checks import check_decision
from tests.unit.factories import Dossier, day, rows_of, status_on


def _ends(cadre: Dossier, source: str, on: str = "2025-06-01") -> list:
    status = status_on(cadre, on)
    return [r["ends_on"] for r in rows_of(status["restrictions"] + status["expired_restrictions"], source)]


def test_a_new_party_sanction_runs_from_the_end_of_the_running_one() -> None:
    cadre = Dossier()
    cadre.sanction("party-warning", "2025-01-10", id="p-1")
    cadre.sanction("party-serious-warning", "2025-07-10", id="p-2")

    status = status_on(cadre, "2025-08-01")

    assert [(r["source"], r["ends_on"], r["rule"]) for r in status["restrictions"]] == [
        ("p-1", day("2026-01-10"), "R-PARTY"), ("p-2", day("2027-07-10"), "R-PARTY-STACK")]


def test_party_stacking_has_no_cap() -> None:
    cadre = Dossier()
    cadre.sanction("party-post-removal", "2025-01-01", id="p-1")
    cadre.sanction("party-post-removal", "2025-02-01", id="p-2")
    cadre.sanction("party-post-removal", "2025-03-01", id="p-3")

    assert _ends(cadre, "p-3", "2025-03-01") == [day("2031-01-01")]


def test_a_sanction_after_the_running_one_ended_does_not_stack() -> None:
    cadre = Dossier()
    cadre.sanction("warning", "2025-01-10", id="s-1")
    cadre.sanction("demerit", "2025-07-10", id="s-2")

    assert _ends(cadre, "s-2", "2025-08-01") == [day("2026-07-10")]


def test_a_new_state_sanction_starting_on_the_old_end_day_does_not_stack() -> None:
    cadre = Dossier()
    cadre.sanction("warning", "2025-01-10", id="s-1")
    cadre.sanction("demerit", "2025-07-10", id="s-2")

    status = status_on(cadre, "2025-07-10")

    assert rows_of(status["restrictions"], "s-2")[0]["rule"] == "R-STATE"


def test_state_stacking_is_capped_at_48_months_from_the_new_decision() -> None:
    cadre = Dossier()
    cadre.sanction("grade-demotion", "2025-01-01", id="s-1")
    cadre.sanction("grade-demotion", "2025-01-02", id="s-2")
    cadre.sanction("post-dismissal", "2025-01-03", id="s-3", new_post="clerk", new_post_level=None,
                   new_rank="staff-1")

    status = status_on(cadre, "2025-02-01")

    assert [(r["source"], r["ends_on"]) for r in status["restrictions"]] == [
        ("s-1", day("2027-01-01")), ("s-2", day("2029-01-01")), ("s-3", day("2029-01-03"))]
    assert rows_of(status["restrictions"], "s-3")[0]["rule"] == "R-STATE-STACK"


def test_state_stacking_below_the_cap_adds_the_remainder() -> None:
    cadre = Dossier()
    cadre.sanction("demerit", "2025-03-10", id="s-1")
    cadre.sanction("major-demerit", "2025-09-10", id="s-2", authority_kind="appointing-body")

    assert _ends(cadre, "s-2", "2025-10-01") == [day("2027-09-10")]


def test_same_day_sanctions_of_one_track_stack_in_recording_order() -> None:
    cadre = Dossier()
    cadre.sanction("demerit", "2025-03-10", id="s-1")
    cadre.sanction("warning", "2025-03-10", id="s-2")

    status = status_on(cadre, "2025-03-10")

    assert [(r["source"], r["ends_on"]) for r in status["restrictions"]] == [
        ("s-1", day("2026-03-10")), ("s-2", day("2026-09-10"))]


def test_a_sanction_recorded_later_but_effective_earlier_is_stacked_on_instead() -> None:
    cadre = Dossier()
    cadre.sanction("warning", "2025-06-01", id="late-effective")
    cadre.sanction("demerit", "2025-03-10", id="early-effective")

    status = status_on(cadre, "2025-07-01")

    assert [(r["source"], r["ends_on"]) for r in status["restrictions"]] == [
        ("early-effective", day("2026-03-10")), ("late-effective", day("2026-09-10"))]


def test_tracks_never_stack_on_each_other() -> None:
    cadre = Dossier()
    cadre.sanction("demerit", "2025-03-10", id="s-1")
    cadre.sanction("party-warning", "2025-04-10", id="p-1")
    cadre.org("post-adjustment", "2025-05-10", id="o-1")

    status = status_on(cadre, "2025-06-01")

    assert [r["ends_on"] for r in status["restrictions"]] == [
        day("2026-03-10"), day("2026-04-10"), day("2026-05-10")]


def test_org_measures_do_not_stack_on_each_other() -> None:
    cadre = Dossier()
    cadre.org("admonition", "2025-03-10", id="o-1")
    cadre.org("post-adjustment", "2025-04-10", id="o-2")

    assert _ends(cadre, "o-2", "2025-05-01") == [day("2026-04-10")]


def test_a_party_warning_stacks_on_a_running_post_removal() -> None:
    cadre = Dossier()
    cadre.sanction("party-post-removal", "2025-01-01", id="p-1")
    cadre.sanction("party-warning", "2025-06-01", id="p-2")

    assert _ends(cadre, "p-2", "2025-06-01") == [day("2028-01-01")]


def test_a_combined_state_period_replaces_the_kind_period_and_stacks() -> None:
    cadre = Dossier()
    cadre.sanction("demerit", "2025-01-01", id="s-1", violations=["demerit", "demerit"], period_months=20)
    cadre.sanction("warning", "2025-02-01", id="s-2")

    status = status_on(cadre, "2025-03-01")

    assert [r["ends_on"] for r in status["restrictions"]] == [day("2026-09-01"), day("2027-03-01")]


@pytest.mark.parametrize(("violations", "period"), [
    (["demerit", "demerit"], 11),
    (["demerit", "demerit"], 25),
    (["grade-demotion", "grade-demotion", "grade-demotion"], 49),
    (["demerit"], 12),
    (["demerit", "warning"], 12),
])
def test_a_combined_state_period_outside_its_range_is_refused(violations: list[str], period: int) -> None:
    cadre = Dossier()
    kind = max(violations, key=["warning", "demerit", "grade-demotion"].index)

    with pytest.raises(RuleViolation, match="R-STATE-COMBINED"):
        check_decision(cadre.facts, cadre.draft("sanction", "2025-01-01", kind=kind,
                                                authority_kind="supervisory",
                                                violations=violations, period_months=period))


@pytest.mark.parametrize(("violations", "period"), [
    (["demerit", "demerit"], 12), (["demerit", "demerit"], 24), (["grade-demotion"] * 3, 48)])
def test_a_combined_state_period_within_its_range_is_accepted(violations: list[str], period: int) -> None:
    cadre = Dossier()

    check_decision(cadre.facts, cadre.draft("sanction", "2025-01-01", kind=violations[0],
                                            authority_kind="supervisory", violations=violations,
                                            period_months=period))


def test_a_period_without_violations_is_refused() -> None:
    cadre = Dossier()

    with pytest.raises(RuleViolation, match="R-STATE-COMBINED"):
        check_decision(cadre.facts, cadre.draft("sanction", "2025-01-01", kind="demerit",
                                                authority_kind="supervisory", period_months=18))


def test_discharge_violations_cannot_combine_a_period() -> None:
    cadre = Dossier()

    with pytest.raises(RuleViolation, match="R-STATE-COMBINED"):
        check_decision(cadre.facts, cadre.draft("sanction", "2025-01-01", kind="discharge",
                                                authority_kind="supervisory", violations=["discharge"] * 2,
                                                period_months=12))


def test_only_the_heaviest_state_kind_is_executed() -> None:
    cadre = Dossier()
    mixed = cadre.draft("sanction", "2025-01-01", kind="demerit", authority_kind="supervisory",
                        violations=["major-demerit", "demerit"])

    with pytest.raises(RuleViolation, match="major-demerit"):
        check_decision(cadre.facts, mixed)
    check_decision(cadre.facts, {**mixed, "kind": "major-demerit"})


@pytest.mark.parametrize(("violations", "kind", "months"), [
    (["party-warning", "party-warning"], "party-serious-warning", None),
    (["party-warning", "party-serious-warning"], "party-post-removal", None),
    (["party-post-removal", "party-warning"], "party-probation", 12),
    (["party-probation", "party-warning"], "party-probation", 24),
    (["party-expulsion", "party-warning"], "party-expulsion", None),
])
def test_combined_party_violations_take_the_heaviest_raised_one_level(
        violations: list[str], kind: str, months: int | None) -> None:
    cadre = Dossier()
    extra = {"period_months": months} if months else {}
    right = cadre.draft("sanction", "2025-01-01", kind=kind, authority_kind="party", violations=violations,
                        **extra)

    check_decision(cadre.facts, right)
    with pytest.raises(RuleViolation, match="R-PARTY-COMBINED"):
        check_decision(cadre.facts, {**right, "kind": "party-warning"})


def test_combined_party_probation_with_the_wrong_months_is_refused() -> None:
    cadre = Dossier()

    with pytest.raises(RuleViolation, match="R-PARTY-COMBINED"):
        check_decision(cadre.facts, cadre.draft("sanction", "2025-01-01", kind="party-probation",
                                                authority_kind="party", period_months=12,
                                                violations=["party-probation", "party-warning"]))
