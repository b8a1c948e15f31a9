"""RULES.md "Findings" of a cadre: override and retroactive-breach (Precise reading 14)."""
from __future__ import annotations

from tests.unit.factories import Dossier, day, status_on


def _kinds(cadre: Dossier, on: str) -> list[tuple[str, str, object, str | None]]:
    return [(f["kind"], f["source"], f["raised_on"], f["rule"]) for f in status_on(cadre, on)["findings"]]


def test_an_overridden_decision_is_a_finding_naming_the_rule_it_broke() -> None:
    cadre = Dossier()
    cadre.sanction("demerit", "2025-03-10", id="s-1")
    cadre.record("rank-promotion", "2025-06-01", id="rp-1", rank="researcher-3",
                 override_reason="court order")

    findings = status_on(cadre, "2025-06-01")["findings"]

    assert [(f["kind"], f["source"], f["cadre"], f["raised_on"], f["rule"]) for f in findings] == [
        ("override", "rp-1", "HB-12", day("2025-06-01"), "R-RANK-BAR")]
    assert findings[0]["detail"].startswith("court order: HB-12 may not be promoted until 2026-03-10")


def test_a_finding_shows_only_from_its_raised_on() -> None:
    cadre = Dossier()
    cadre.sanction("demerit", "2025-03-10", id="s-1")
    cadre.record("rank-promotion", "2025-06-01", rank="researcher-3", override_reason="court order")

    assert status_on(cadre, "2025-05-31")["findings"] == []


def test_a_sanction_recorded_later_but_effective_earlier_makes_a_recorded_promotion_a_breach() -> None:
    cadre = Dossier()
    cadre.record("rank-promotion", "2025-06-01", id="rp-1", rank="researcher-3")
    cadre.sanction("demerit", "2025-03-10", id="s-late")

    assert _kinds(cadre, "2025-07-01") == [("retroactive-breach", "rp-1", day("2025-06-01"), "R-RANK-BAR")]


def test_a_later_decision_effective_after_the_checked_one_is_no_breach() -> None:
    cadre = Dossier()
    cadre.record("rank-promotion", "2025-06-01", id="rp-1", rank="researcher-3")
    cadre.sanction("demerit", "2025-06-02", id="s-1")

    assert _kinds(cadre, "2025-07-01") == []


def test_an_overridden_decision_is_not_also_a_retroactive_breach() -> None:
    cadre = Dossier()
    cadre.sanction("warning", "2025-01-10", id="s-1")
    cadre.record("rank-promotion", "2025-06-01", id="rp-1", rank="researcher-3", override_reason="urgent")
    cadre.sanction("demerit", "2025-03-10", id="s-late")

    assert [k for k, *_ in _kinds(cadre, "2025-07-01")] == ["override"]


def test_a_variation_counts_whatever_its_date() -> None:
    cadre = Dossier()
    cadre.sanction("warning", "2024-03-01", id="s-1")
    cadre.assess(2024, "competent", on="2025-01-20", id="a-2024")
    cadre.record("variation", "2025-09-01", target="s-1", kind="demerit", reason="review")

    assert _kinds(cadre, "2025-10-01") == [("retroactive-breach", "a-2024", day("2025-01-20"),
                                            "R-ASSESS-EFFECT")]


def test_a_retracted_decision_is_not_reported_as_a_breach() -> None:
    cadre = Dossier()
    cadre.record("rank-promotion", "2025-06-01", id="rp-1", rank="researcher-3")
    cadre.sanction("demerit", "2025-03-10", id="s-late")
    cadre.record("retraction", "2025-08-01", target="rp-1", reason="error")

    assert _kinds(cadre, "2025-09-01") == []


def test_an_earlier_effective_grade_recorded_later_breaches_the_one_grade_rule() -> None:
    cadre = Dossier()
    cadre.assess(2024, "competent", on="2025-01-20", id="a-first")
    cadre.assess(2024, "excellent", on="2025-01-10", id="a-backdated")

    assert _kinds(cadre, "2025-02-01") == [("retroactive-breach", "a-first", day("2025-01-20"), "R-ASSESS")]


def test_an_override_finding_takes_the_rule_the_write_side_stored() -> None:
    cadre = Dossier()
    cadre.record("rank-promotion", "2025-06-01", id="rp-1", rank="researcher-3", override_reason="pilot",
                 overridden_rule="R-RANK-MIN")

    assert _kinds(cadre, "2025-06-01") == [("override", "rp-1", day("2025-06-01"), "R-RANK-MIN")]


def test_a_backdated_investigation_makes_a_recorded_grade_a_breach() -> None:
    cadre = Dossier()
    cadre.assess(2024, "competent", on="2025-01-20", id="a-2024")
    cadre.record("investigation-open", "2024-12-01", id="inv", case="C-9")

    assert _kinds(cadre, "2025-02-01") == [("retroactive-breach", "a-2024", day("2025-01-20"),
                                            "R-INVESTIGATION")]
