"""Corrections (retraction, revocation, variation) and exemptions (R-EXEMPT, Precise readings 1, 11, 12)."""
from __future__ import annotations

from ledger.rules.checks import check_decision
from tests.unit.factories import Dossier, day, rows_of, status_on


def test_a_retracted_sanction_appears_nowhere() -> None:
    cadre = Dossier()
    cadre.sanction("demerit", "2025-03-10", id="s-1")
    cadre.record("retraction", "2025-12-01", target="s-1", reason="recorded in error")

    status = status_on(cadre, "2025-04-01")

    assert (status["restrictions"], status["expired_restrictions"], status["grade_effects"]) == ([], [], [])
    assert status["promotable"] is True


def test_a_query_known_before_the_retraction_still_shows_the_sanction() -> None:
    cadre = Dossier()
    cadre.sanction("demerit", "2025-03-10", id="s-1")
    known_then = list(cadre.facts)
    cadre.record("retraction", "2025-12-01", target="s-1", reason="recorded in error")

    from ledger.rules.status import compute_status
    status = compute_status(known_then, day("2025-04-01"))

    assert [r["source"] for r in status["restrictions"]] == ["s-1"]


def test_retracting_a_retraction_restores_its_target() -> None:
    cadre = Dossier()
    cadre.sanction("demerit", "2025-03-10", id="s-1")
    cadre.record("retraction", "2025-12-01", id="r-1", target="s-1", reason="error")
    cadre.record("retraction", "2025-12-02", id="r-2", target="r-1", reason="the retraction was the error")

    assert [r["source"] for r in status_on(cadre, "2025-04-01")["restrictions"]] == ["s-1"]


def test_a_revocation_voids_from_the_start_whatever_its_date() -> None:
    cadre = Dossier()
    cadre.sanction("major-demerit", "2025-03-10", id="s-1")
    cadre.record("revocation", "2026-01-01", target="s-1", reason="appeal upheld")

    status = status_on(cadre, "2025-04-01")

    assert status["restrictions"] == [] and status["grade_effects"] == []


def test_a_revoked_sanction_no_longer_stacks_a_later_one() -> None:
    cadre = Dossier()
    cadre.sanction("demerit", "2025-03-10", id="s-1")
    cadre.sanction("warning", "2025-06-01", id="s-2")
    cadre.record("revocation", "2026-01-01", target="s-1", reason="appeal upheld")

    status = status_on(cadre, "2025-07-01")

    assert [(r["source"], r["ends_on"]) for r in status["restrictions"]] == [("s-2", day("2025-12-01"))]


def test_a_variation_recomputes_the_kind_from_the_targets_own_date() -> None:
    cadre = Dossier()
    cadre.sanction("major-demerit", "2025-03-10", id="s-1")
    cadre.record("variation", "2025-09-01", target="s-1", kind="demerit", reason="review")

    status = status_on(cadre, "2025-04-01")

    assert [(r["kind"], r["ends_on"]) for r in status["restrictions"]] == [("demerit", day("2026-03-10"))]
    assert [e["year"] for e in status["grade_effects"]] == [2025]


def test_the_latest_variation_in_valid_time_wins_not_the_latest_recorded() -> None:
    cadre = Dossier()
    cadre.sanction("major-demerit", "2025-03-10", id="s-1")
    cadre.record("variation", "2025-10-01", target="s-1", kind="warning", reason="second review")
    cadre.record("variation", "2025-09-01", target="s-1", kind="demerit",
                 reason="first review, recorded late")

    assert [r["kind"] for r in status_on(cadre, "2025-04-01")["restrictions"]] == ["warning"]


def test_varying_an_expulsion_restores_membership() -> None:
    cadre = Dossier()
    cadre.sanction("party-expulsion", "2025-03-10", id="p-1")
    cadre.record("variation", "2025-09-01", target="p-1", kind="party-serious-warning", reason="review")

    assert status_on(cadre, "2025-04-01")["party_member"] is True


def test_an_exemption_ends_the_targets_restrictions_on_its_own_date() -> None:
    cadre = Dossier()
    cadre.sanction("demerit", "2025-03-10", id="s-1")
    cadre.record("exemption", "2025-06-01", target="s-1", outcome="exempt", ground="pilot-inexperience")

    before, after = status_on(cadre, "2025-05-31"), status_on(cadre, "2025-06-01")

    assert [r["ends_on"] for r in before["restrictions"]] == [day("2026-03-10")]
    assert after["restrictions"] == []
    assert [(r["source"], r["ends_on"]) for r in after["expired_restrictions"]] == [("s-1",
                                                                                     day("2025-06-01"))]


def test_an_exemption_lapses_grade_effects_after_its_year_only() -> None:
    cadre = Dossier()
    cadre.sanction("major-demerit", "2025-03-10", id="s-1")
    cadre.record("exemption", "2025-11-01", target="s-1", outcome="no-liability", ground="force-majeure")

    effects = status_on(cadre, "2026-06-01")["grade_effects"]

    assert [e["year"] for e in effects] == [2025]


def test_a_rejected_exemption_changes_nothing() -> None:
    cadre = Dossier()
    cadre.sanction("demerit", "2025-03-10", id="s-1")
    cadre.record("exemption", "2025-06-01", target="s-1", outcome="rejected", ground="other")

    assert [r["ends_on"] for r in status_on(cadre, "2025-07-01")["restrictions"]] == [day("2026-03-10")]


def test_a_reduced_exemption_shows_the_replacement_from_its_date_computed_from_the_targets_date() -> None:
    cadre = Dossier()
    cadre.sanction("grade-demotion", "2025-01-10", id="s-1")
    cadre.record("exemption", "2025-08-01", target="s-1", outcome="reduced", replacement="warning",
                 ground="unintentional-development-error")

    before, after = status_on(cadre, "2025-07-31"), status_on(cadre, "2025-08-01")

    assert [(r["kind"], r["ends_on"]) for r in before["restrictions"]] == [("grade-demotion",
                                                                            day("2027-01-10"))]
    assert after["restrictions"] == []
    assert [(r["kind"], r["ends_on"]) for r in after["expired_restrictions"]] == [("warning",
                                                                                   day("2025-07-10"))]
    assert [(e["year"], e["effect"]) for e in after["grade_effects"]] == [(2025, "no-excellent")]


def test_a_reduced_replacement_stacks_on_the_running_sanction_and_later_ones_stack_on_it() -> None:
    cadre = Dossier()
    cadre.sanction("demerit", "2025-01-01", id="s-1")
    cadre.sanction("grade-demotion", "2025-02-01", id="s-2")
    cadre.record("exemption", "2025-03-01", target="s-2", outcome="reduced", replacement="warning",
                 ground="other")
    cadre.sanction("warning", "2025-04-01", id="s-3")

    status = status_on(cadre, "2025-04-01")

    assert [(r["source"], r["kind"], r["ends_on"]) for r in status["restrictions"]] == [
        ("s-1", "demerit", day("2026-01-01")), ("s-2", "warning", day("2026-07-01")),
        ("s-3", "warning", day("2027-01-01"))]


def test_a_later_sanction_stacks_on_the_original_when_the_reduction_comes_after_it() -> None:
    cadre = Dossier()
    cadre.sanction("grade-demotion", "2025-02-01", id="s-1")
    cadre.sanction("warning", "2025-04-01", id="s-2")
    cadre.record("exemption", "2025-05-01", target="s-1", outcome="reduced", replacement="warning",
                 ground="other")

    status = status_on(cadre, "2025-05-01")

    assert [(r["source"], r["ends_on"]) for r in status["restrictions"]] == [
        ("s-1", day("2025-08-01")), ("s-2", day("2027-08-01"))]


def test_of_several_exemptions_the_latest_effective_applies() -> None:
    cadre = Dossier()
    cadre.sanction("grade-demotion", "2025-03-10", id="s-1")
    cadre.record("exemption", "2025-06-01", target="s-1", outcome="exempt", ground="other")
    cadre.record("exemption", "2025-08-01", target="s-1", outcome="reduced", replacement="demerit",
                 ground="other")

    exempt_in_force, reduced_in_force = status_on(cadre, "2025-07-01"), status_on(cadre, "2025-08-01")

    assert exempt_in_force["restrictions"] == []
    assert [(r["kind"], r["ends_on"]) for r in reduced_in_force["restrictions"]] == [("demerit",
                                                                                      day("2026-03-10"))]


def test_an_exemption_of_a_discharge_ends_the_bar_but_not_the_discharge() -> None:
    cadre = Dossier()
    cadre.sanction("discharge", "2025-03-10", id="s-1")
    cadre.record("exemption", "2025-06-01", target="s-1", outcome="exempt", ground="other")

    status = status_on(cadre, "2025-07-01")

    assert status["restrictions"] == []
    assert [(r["end_kind"], r["ends_on"]) for r in status["expired_restrictions"]] == [("date",
                                                                                        day("2025-06-01"))]
    assert status["employment"] == "discharged"


def test_a_retracted_exemption_no_longer_ends_anything() -> None:
    cadre = Dossier()
    cadre.sanction("demerit", "2025-03-10", id="s-1")
    cadre.record("exemption", "2025-06-01", id="e-1", target="s-1", outcome="exempt", ground="other")
    cadre.record("retraction", "2025-06-02", target="e-1", reason="error")

    assert [r["ends_on"] for r in status_on(cadre, "2025-07-01")["restrictions"]] == [day("2026-03-10")]


def test_voiding_an_assessment_removes_its_grade() -> None:
    cadre = Dossier()
    cadre.assess(2024, "basically-competent", id="a-1")
    cadre.record("retraction", "2025-02-01", target="a-1", reason="error")

    status = status_on(cadre, "2025-03-01")

    assert status["restrictions"] == [] and status["promotable"] is True
    check_decision(cadre.facts, cadre.draft("assessment", "2025-03-01", year=2024, grade="competent"))


def test_stacking_counts_an_exemption_of_the_old_sanction_effective_by_the_new_on() -> None:
    cadre = Dossier()
    cadre.sanction("demerit", "2025-01-01", id="s-1")
    cadre.record("exemption", "2025-03-01", target="s-1", outcome="exempt", ground="other")
    cadre.sanction("warning", "2025-04-01", id="s-2")

    assert [r["ends_on"] for r in rows_of(status_on(cadre, "2025-04-01")["restrictions"], "s-2")] == [
        day("2025-10-01")]


def test_stacking_ignores_an_exemption_of_the_old_sanction_effective_after_the_new_on() -> None:
    cadre = Dossier()
    cadre.sanction("demerit", "2025-01-01", id="s-1")
    cadre.sanction("warning", "2025-04-01", id="s-2")
    cadre.record("exemption", "2025-05-01", target="s-1", outcome="exempt", ground="other")

    assert [r["ends_on"] for r in rows_of(status_on(cadre, "2025-05-01")["restrictions"], "s-2")] == [
        day("2026-07-01")]


def test_a_cycle_of_retractions_does_not_stop_the_status() -> None:
    cadre = Dossier()
    cadre.sanction("demerit", "2025-01-01", id="s-1")
    cadre.record("retraction", "2025-01-01", id="r-1", target="r-2", reason="x")
    cadre.record("retraction", "2025-01-01", id="r-2", target="r-1", reason="x")

    assert [r["source"] for r in status_on(cadre, "2025-01-02")["restrictions"]] == ["s-1"]


def test_an_exemption_of_an_expulsion_ends_its_bars_but_not_the_expulsion() -> None:
    cadre = Dossier()
    cadre.sanction("party-expulsion", "2025-03-10", id="p-1")
    cadre.record("exemption", "2025-06-01", target="p-1", outcome="no-liability", ground="other")

    status = status_on(cadre, "2025-07-01")

    assert (status["restrictions"], status["party_member"]) == ([], False)


def test_a_probation_reduced_to_a_serious_warning_shows_the_warning_from_the_exemption_date() -> None:
    cadre = Dossier()
    cadre.sanction("party-probation", "2025-03-10", id="p-1", period_months=24)
    cadre.record("exemption", "2025-06-01", target="p-1", outcome="reduced",
                 replacement="party-serious-warning", ground="other")

    before, after = status_on(cadre, "2025-05-31"), status_on(cadre, "2025-06-01")

    assert before["party_rights_suspended"] is True
    assert [(r["kind"], r["ends_on"]) for r in after["restrictions"]] == [
        ("party-serious-warning", day("2026-09-10"))]
    assert after["party_rights_suspended"] is False


def test_an_exemption_effective_on_the_sanctions_own_day_shows_it_expired_that_day() -> None:
    cadre = Dossier()
    cadre.sanction("demerit", "2025-03-10", id="s-1")
    cadre.record("exemption", "2025-03-10", target="s-1", outcome="exempt", ground="force-majeure")

    status = status_on(cadre, "2025-03-10")

    assert status["restrictions"] == []
    assert [(r["effective_on"], r["ends_on"]) for r in status["expired_restrictions"]] == [
        (day("2025-03-10"), day("2025-03-10"))]


def test_an_exemption_before_restoration_means_no_post_bar_starts_later() -> None:
    cadre = Dossier()
    cadre.sanction("party-probation", "2025-03-10", id="p-1", period_months=12)
    cadre.record("exemption", "2025-09-01", target="p-1", outcome="exempt", ground="other")
    cadre.record("party-rights-restored", "2026-03-10", target="p-1")

    status = status_on(cadre, "2026-06-01")

    assert status["restrictions"] == []
    assert [(r["bars"], r["ends_on"]) for r in status["expired_restrictions"]] == [
        (["party-rights", "promotion"], day("2025-09-01"))]
