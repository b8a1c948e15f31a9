"""Validation of one decision: every field checked, one line naming the field and the fix."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ledger.decisions import content_hash, parse, with_id
from ledger.errors import InvalidDecision
from ledger.examples import EXAMPLES
from ledger.schema import TYPES


def sanction(**fields):
    return {"type": "sanction", "on": "2025-03-10", "cadre": "HB-1", "kind": "demerit",
            "authority_kind": "supervisory", **fields}


def test_every_decision_type_has_a_valid_example():
    assert {e["type"] for e in EXAMPLES} == set(TYPES)
    for example in EXAMPLES:
        parse(example)


def test_a_valid_sanction_is_normalised_to_tokens_and_dates():
    decision = parse(sanction(doc="鄂纪〔2025〕12号"))

    assert decision == {"type": "sanction", "on": date(2025, 3, 10), "cadre": "HB-1", "kind": "demerit",
                        "authority_kind": "supervisory", "doc": "鄂纪〔2025〕12号"}


def test_chinese_terms_are_accepted_for_enumerations():
    assert parse({"type": "assessment", "on": "2026-01-20", "cadre": "HB-1", "year": 2025,
                  "grade": "基本称职"})["grade"] == "basically-competent"


def test_jinggao_means_the_party_warning_for_a_party_authority_and_the_state_warning_otherwise():
    assert parse(sanction(kind="警告", authority_kind="party"))["kind"] == "party-warning"
    assert parse(sanction(kind="警告", authority_kind="监察机关"))["kind"] == "warning"


@pytest.mark.parametrize("raw, field, problem", [
    ({"on": "2025-01-01", "cadre": "HB-1"}, "type", "missing"),
    ({"type": "promotion", "on": "2025-01-01", "cadre": "HB-1"}, "type", "not a decision type"),
    (sanction(on="2025-02-30"), "on", "not a real calendar date"),
    (sanction(on="10/03/2025"), "on", "write YYYY-MM-DD"),
    (sanction(colour="red"), "colour", "unknown field for sanction"),
    (sanction(kind="fine"), "kind", "is not one of"),
    (sanction(kind="party-warning"), "kind", "does not match authority_kind"),
    (sanction(kind="party-warning", authority_kind="party", period_months=12), "period_months", "only for"),
    (sanction(kind="party-probation", authority_kind="party"), "period_months", "12 or 24"),
    (sanction(new_post="科员"), "new_post", "only for kind post-dismissal"),
    (sanction(kind="post-dismissal"), "new_post", "missing"),
    (sanction(cadre=42), "cadre", "expected a string"),
    (sanction(cadre="HB 1"), "cadre", "not a valid identifier"),
    (sanction(note="a\x07b"), "note", "control character"),
    (sanction(doc="x" * 501), "doc", "too long"),
    ({"type": "democratic-evaluation", "on": "2025-06-30", "cadre": "HB-1", "valid": 60, "excellent": -1,
      "competent": 0, "basically_competent": 0, "incompetent": 0}, "excellent", "must not be negative"),
    ({"type": "democratic-evaluation", "on": "2025-06-30", "cadre": "HB-1", "valid": 60, "excellent": 40,
      "competent": 21, "basically_competent": 0, "incompetent": 0}, "valid", "add up to 61"),
    ({"type": "assessment", "on": "2026-01-20", "cadre": "HB-1", "year": "2025", "grade": "excellent"},
     "year", "whole number"),
    ({"type": "register", "on": "2020-01-01", "cadre": "HB-1", "name": "张", "unit": "u", "post": "p",
      "post_level": "county-deputy", "rank": "staff-1", "rank_since": "2020-01-01", "party_member": "yes"},
     "party_member", "true or false"),
    ({"type": "report-disposition", "on": "2025-01-01", "cadre": "HB-1", "report": "R1",
      "disposition": "closed"}, "reason", "missing"),
    ({"type": "leave", "on": "2025-01-01", "cadre": "HB-1", "start": "2025-01-05", "end": "2025-01-01"},
     "end", "before start"),
    ([1, 2], "(line)", "expected a JSON object"),
])
def test_a_malformed_decision_names_its_field_and_the_problem(raw, field, problem):
    with pytest.raises(InvalidDecision, match=problem) as caught:
        parse(raw)

    assert caught.value.field == field


def test_the_error_names_the_line_when_it_comes_from_a_file():
    with pytest.raises(InvalidDecision) as caught:
        parse(sanction(on="2025-02-30"))

    assert caught.value.at_line(7).message == "line 7: on: 2025-02-30 is not a real calendar date"


def test_register_accepts_null_post_level_for_non_leaders_and_defaults_the_staff_category():
    decision = parse({"type": "register", "on": "2020-01-01", "cadre": "HB-1", "name": "张", "unit": "u",
                      "post": "科员", "post_level": None, "rank": "一级科员", "rank_since": "2020-01-01",
                      "party_member": False})

    assert decision["post_level"] is None
    assert decision["rank"] == "staff-1"
    assert decision["staff_category"] == "civil-servant"


def test_amounts_keep_their_exact_decimal_value():
    item = parse({"type": "handover-item", "on": "2025-09-03", "post": "P", "announced_on": "2025-09-01",
                  "category": "debts", "description": "债务", "amount": "1250000.10"})

    assert item["amount"] == Decimal("1250000.10")


def test_a_missing_id_is_derived_from_the_content_so_reimporting_is_idempotent():
    first, second = with_id(parse(sanction())), with_id(parse(sanction()))

    assert first["id"] == second["id"] and first["id"].startswith("h-")
    assert with_id(parse(sanction(on="2025-03-11")))["id"] != first["id"]
    assert content_hash(first) == content_hash(second)
