"""SPEC "Status": the contract keys and the record fields as of a date (Precise readings 6, 9)."""
from __future__ import annotations

from ledger.rules.status import compute_status
from tests.unit.factories import Dossier, day, status_on

CONTRACT = {
    "cadre", "name", "unit", "post", "post_level", "rank", "staff_category", "party_member", "employment",
    "promotable", "salary_step_allowed", "party_rights_suspended", "restrictions", "expired_restrictions",
    "grade_effects", "flags", "rank_promotion_eligible_on", "open_investigations", "findings",
}


def test_status_has_exactly_the_contract_keys() -> None:
    assert set(status_on(Dossier(), "2025-01-01")) == CONTRACT


def test_a_fresh_cadre_is_promotable_with_the_registered_fields() -> None:
    cadre = Dossier(cadre="HB-000123", name="Wang Fang", unit="Xiling", post="head",
                    post_level="county-chief",
                    rank="researcher-2")

    status = status_on(cadre, "2025-01-01")

    assert {k: status[k] for k in ("cadre", "name", "unit", "post", "post_level", "rank", "staff_category",
                                   "party_member", "employment", "promotable", "salary_step_allowed",
                                   "party_rights_suspended")} == {
        "cadre": "HB-000123", "name": "Wang Fang", "unit": "Xiling", "post": "head",
        "post_level": "county-chief", "rank": "researcher-2", "staff_category": "civil-servant",
        "party_member": True, "employment": "active",
        "promotable": True, "salary_step_allowed": True, "party_rights_suspended": False}


def test_restriction_rows_have_the_contract_shape() -> None:
    cadre = Dossier()
    cadre.sanction("demerit", "2025-03-10", id="s-2025-17")

    assert status_on(cadre, "2025-04-01")["restrictions"] == [
        {"source": "s-2025-17", "track": "state", "kind": "demerit", "effective_on": day("2025-03-10"),
         "end_kind": "date", "ends_on": day("2026-03-10"), "bars": ["promotion", "salary-step"],
         "rule": "R-STATE"}]


def test_a_decision_effective_after_the_as_of_date_is_not_yet_running() -> None:
    cadre = Dossier()
    cadre.sanction("demerit", "2025-03-10")

    status = status_on(cadre, "2025-03-09")

    assert (status["restrictions"], status["expired_restrictions"], status["promotable"]) == ([], [], True)


def test_employment_end_is_a_permanent_employment_restriction() -> None:
    cadre = Dossier()
    cadre.record("employment-end", "2025-06-30", id="end", reason="retirement")

    before, after = status_on(cadre, "2025-06-29"), status_on(cadre, "2025-06-30")

    assert before["employment"] == "active"
    assert after["employment"] == "retired"
    assert [(r["track"], r["kind"], r["end_kind"], r["bars"]) for r in after["restrictions"]] == [
        ("employment", "retirement", "permanent", ["employment"])]
    assert (after["promotable"], after["salary_step_allowed"]) == (False, False)


def test_post_level_and_rank_follow_appointments_and_rank_changes_in_valid_time() -> None:
    cadre = Dossier(post_level="county-deputy", rank="researcher-4")
    cadre.appoint("county-chief", "2025-05-01")
    cadre.record("rank-promotion", "2025-08-01", rank="researcher-3")
    cadre.record("rank-demotion", "2025-10-01", rank="researcher-4")

    seen = [(s["post_level"], s["rank"]) for s in (status_on(cadre, d) for d in
                                                  ("2025-04-30", "2025-05-01", "2025-08-01", "2025-10-01"))]

    assert seen == [("county-deputy", "researcher-4"), ("county-chief", "researcher-4"),
                    ("county-chief", "researcher-3"), ("county-chief", "researcher-4")]


def test_org_demotion_lowers_the_post_level() -> None:
    cadre = Dossier(post_level="county-chief")
    cadre.org("demotion", "2025-05-01", new_post_level="county-deputy")

    assert status_on(cadre, "2025-05-01")["post_level"] == "county-deputy"


def test_a_non_member_registers_without_party_membership() -> None:
    assert status_on(Dossier(party_member=False), "2025-01-01")["party_member"] is False


def test_the_status_is_computed_only_from_the_facts_given() -> None:
    cadre = Dossier()
    cadre.sanction("demerit", "2025-03-10", id="s-1")

    status = compute_status(cadre.facts[:1], day("2025-04-01"))

    assert status["restrictions"] == []


def test_expired_restrictions_are_kept_for_the_reuse_review() -> None:
    cadre = Dossier()
    cadre.sanction("warning", "2023-03-10", id="s-1")
    cadre.sanction("demerit", "2025-03-10", id="s-2")

    status = status_on(cadre, "2025-04-01")

    assert [r["source"] for r in status["expired_restrictions"]] == ["s-1"]
    assert [r["source"] for r in status["restrictions"]] == ["s-2"]
