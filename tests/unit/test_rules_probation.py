"""Party probation: pending rights bar, the post bar after restoration, R-PARTY-EXT, R-PARTY-RESTORE,
R-PARTY-PROB-NEW, R-PARTY-MEMBER and the `restoration-missing` finding (Precise reading 4)."""
from __future__ import annotations

import pytest

from ledger.errors import RuleViolation
from ledger.rules.checks import check_decision
from tests.unit.factories import Dossier, day, rows_of, status_on


def _on_probation(months: int = 12, on: str = "2025-03-10") -> Dossier:
    cadre = Dossier()
    cadre.sanction("party-probation", on, id="prob", period_months=months)
    return cadre


def test_probation_suspends_party_rights_and_promotion_until_restoration() -> None:
    cadre = _on_probation()

    status = status_on(cadre, "2027-01-01")

    assert [(r["bars"], r["end_kind"], r["ends_on"]) for r in status["restrictions"]] == [
        (["party-rights", "promotion"], "pending", None)]
    assert (status["party_rights_suspended"], status["promotable"]) == (True, False)


def test_restoration_ends_the_rights_bar_and_starts_a_24_month_post_bar_from_its_date() -> None:
    cadre = _on_probation()
    cadre.record("party-rights-restored", "2026-04-01", id="rest", target="prob")

    day_before, restored, clear = (status_on(cadre, d) for d in ("2026-03-31", "2028-03-31", "2028-04-01"))

    assert day_before["party_rights_suspended"] is True
    assert [(r["effective_on"], r["ends_on"], r["bars"]) for r in restored["restrictions"]] == [
        (day("2026-04-01"), day("2028-04-01"), ["equal-or-higher-post", "promotion"])]
    assert restored["party_rights_suspended"] is False
    assert clear["promotable"] is True
    assert [r["ends_on"] for r in clear["expired_restrictions"]] == [day("2026-04-01"), day("2028-04-01")]


def test_the_post_bar_after_probation_refers_to_the_level_held_on_the_probations_date() -> None:
    cadre = Dossier(post_level="county-chief")
    cadre.sanction("party-probation", "2025-03-10", id="prob", period_months=12)
    cadre.appoint("county-deputy", "2025-06-01", path="lower")
    cadre.record("party-rights-restored", "2026-03-10", target="prob")

    with pytest.raises(RuleViolation, match="R-POST-BAR"):
        check_decision(cadre.facts, cadre.draft("appointment", "2026-06-01", post="head",
                                                post_level="county-chief",
                                                path="regular"))
    check_decision(cadre.facts, cadre.draft("appointment", "2026-06-01", post="other deputy",
                                            post_level="county-deputy", path="lateral"))


def test_a_party_warning_stacks_on_the_post_bar_after_probation() -> None:
    cadre = _on_probation()
    cadre.record("party-rights-restored", "2026-03-10", target="prob")
    cadre.sanction("party-warning", "2026-06-01", id="warn")

    status = status_on(cadre, "2026-06-01")

    assert [r["ends_on"] for r in rows_of(status["restrictions"], "warn")] == [day("2029-03-10")]


def test_restoration_before_the_end_of_probation_is_refused_until_that_day() -> None:
    cadre = _on_probation()
    early = cadre.draft("party-rights-restored", "2026-03-09", target="prob")

    with pytest.raises(RuleViolation, match="R-PARTY-RESTORE") as refused:
        check_decision(cadre.facts, early)

    assert (refused.value.blocking, refused.value.ends_on) == ("prob", day("2026-03-10"))
    check_decision(cadre.facts, {**early, "on": day("2026-03-10")})


def test_an_extension_moves_the_restoration_date_by_a_year() -> None:
    cadre = _on_probation()
    cadre.record("probation-extension", "2026-01-01", target="prob")

    with pytest.raises(RuleViolation, match="until 2027-03-10"):
        check_decision(cadre.facts, cadre.draft("party-rights-restored", "2026-03-10", target="prob"))
    check_decision(cadre.facts, cadre.draft("party-rights-restored", "2027-03-10", target="prob"))


def test_a_probation_may_be_extended_once() -> None:
    cadre = _on_probation()
    cadre.record("probation-extension", "2025-10-01", id="ext-1", target="prob")

    with pytest.raises(RuleViolation, match="R-PARTY-EXT") as refused:
        check_decision(cadre.facts, cadre.draft("probation-extension", "2026-01-01", target="prob"))

    assert refused.value.blocking == "ext-1"


def test_a_24_month_probation_may_not_be_extended() -> None:
    cadre = _on_probation(months=24)

    with pytest.raises(RuleViolation, match="only a 12-month probation"):
        check_decision(cadre.facts, cadre.draft("probation-extension", "2025-10-01", target="prob"))


def test_an_extension_must_take_effect_before_the_probation_ends() -> None:
    cadre = _on_probation()

    check_decision(cadre.facts, cadre.draft("probation-extension", "2026-03-09", target="prob"))
    with pytest.raises(RuleViolation, match="before the probation ends on 2026-03-10"):
        check_decision(cadre.facts, cadre.draft("probation-extension", "2026-03-10", target="prob"))


def test_an_extension_or_restoration_of_a_void_probation_is_refused() -> None:
    cadre = _on_probation()
    cadre.record("retraction", "2025-04-01", target="prob", reason="error")

    with pytest.raises(RuleViolation, match="R-PARTY-EXT"):
        check_decision(cadre.facts, cadre.draft("probation-extension", "2025-10-01", target="prob"))
    with pytest.raises(RuleViolation, match="R-PARTY-RESTORE"):
        check_decision(cadre.facts, cadre.draft("party-rights-restored", "2026-03-10", target="prob"))


def test_a_second_restoration_is_refused() -> None:
    cadre = _on_probation()
    cadre.record("party-rights-restored", "2026-03-10", id="rest", target="prob")

    with pytest.raises(RuleViolation, match="already restored by rest"):
        check_decision(cadre.facts, cadre.draft("party-rights-restored", "2026-04-10", target="prob"))


def test_a_new_party_sanction_during_probation_is_refused_until_restoration_even_a_late_one() -> None:
    cadre = _on_probation()
    warning = cadre.draft("sanction", "2026-05-01", kind="party-warning", authority_kind="party")

    with pytest.raises(RuleViolation, match="R-PARTY-PROB-NEW") as refused:
        check_decision(cadre.facts, warning)
    cadre.record("party-rights-restored", "2026-06-01", target="prob")
    check_decision(cadre.facts, {**warning, "on": day("2026-06-01"), "seq": len(cadre.facts) + 1})

    assert refused.value.blocking == "prob"


def test_expulsion_during_probation_is_accepted_and_ends_the_probation() -> None:
    cadre = _on_probation()
    check_decision(cadre.facts, cadre.draft("sanction", "2025-09-01", kind="party-expulsion",
                                            authority_kind="party"))
    cadre.sanction("party-expulsion", "2025-09-01", id="exp")

    status = status_on(cadre, "2026-06-01")

    assert [(r["kind"], r["ends_on"]) for r in status["expired_restrictions"]] == [
        ("party-probation", day("2025-09-01"))]
    assert [r["source"] for r in status["restrictions"]] == ["exp"]
    assert status["findings"] == [] and status["party_rights_suspended"] is False


def test_restoration_after_an_expulsion_is_refused() -> None:
    cadre = _on_probation()
    cadre.sanction("party-expulsion", "2025-09-01", id="exp")

    with pytest.raises(RuleViolation, match="R-PARTY-RESTORE") as refused:
        check_decision(cadre.facts, cadre.draft("party-rights-restored", "2026-03-10", target="prob"))

    assert refused.value.blocking == "exp"


def test_a_missing_restoration_raises_a_finding_from_the_due_date_while_it_is_missing() -> None:
    cadre = _on_probation()

    assert status_on(cadre, "2026-03-09")["findings"] == []
    due = status_on(cadre, "2026-03-10")
    cadre.record("party-rights-restored", "2026-05-01", target="prob")

    assert [(f["kind"], f["source"], f["raised_on"], f["rule"]) for f in due["findings"]] == [
        ("restoration-missing", "prob", day("2026-03-10"), "R-PARTY-RESTORE")]
    assert status_on(cadre, "2026-04-30")["findings"] != []
    assert status_on(cadre, "2026-05-01")["findings"] == []
    assert status_on(cadre, "2026-04-30")["party_rights_suspended"] is True


def test_an_exempt_exemption_ends_the_probation_and_no_restoration_is_expected() -> None:
    cadre = _on_probation()
    cadre.record("exemption", "2025-06-01", target="prob", outcome="exempt", ground="other")

    status = status_on(cadre, "2026-06-01")

    assert status["restrictions"] == [] and status["findings"] == []
    check_decision(cadre.facts, cadre.draft("sanction", "2025-07-01", kind="party-warning",
                                            authority_kind="party"))


def test_party_sanctions_of_a_non_member_are_refused() -> None:
    cadre = Dossier(party_member=False)

    with pytest.raises(RuleViolation, match="R-PARTY-MEMBER"):
        check_decision(cadre.facts, cadre.draft("sanction", "2025-01-01", kind="party-warning",
                                                authority_kind="party"))
    check_decision(cadre.facts, cadre.draft("sanction", "2025-01-01", kind="warning",
                                            authority_kind="supervisory"))


def test_party_sanctions_after_expulsion_are_refused_naming_the_expulsion() -> None:
    cadre = Dossier()
    cadre.sanction("party-expulsion", "2025-01-01", id="exp")

    with pytest.raises(RuleViolation, match="R-PARTY-MEMBER") as refused:
        check_decision(cadre.facts, cadre.draft("sanction", "2025-06-01", kind="party-warning",
                                                authority_kind="party"))

    assert refused.value.blocking == "exp"


def test_a_state_sanction_on_or_after_retirement_is_refused() -> None:
    cadre = Dossier()
    cadre.record("employment-end", "2025-06-01", id="retired", reason="retirement")
    demerit = cadre.draft("sanction", "2025-06-01", kind="demerit", authority_kind="supervisory")

    with pytest.raises(RuleViolation, match="R-STATE") as refused:
        check_decision(cadre.facts, demerit)
    check_decision(cadre.facts, {**demerit, "on": day("2025-05-31")})

    assert refused.value.blocking == "retired"
