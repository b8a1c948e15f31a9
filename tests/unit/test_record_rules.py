"""A cadre's record beyond restrictions (pool, commendations, secondments, …) and R-REUSE candidates."""
from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ledger.rules.record import compute_record, compute_reuse_candidates, voided_ids
from tests.unit.factories import fact_builder

CADRE = "HB-000123"


fact = fact_builder("cadre", CADRE, "组织部")


def expired(source: str, ends_on: Any, bars: tuple[str, ...] = ("promotion",)) -> dict[str, Any]:
    return {"source": source, "track": "state", "kind": "demerit", "effective_on": "2024-03-10",
            "end_kind": "date", "ends_on": ends_on, "bars": list(bars), "rule": "R-STATE"}


def review(on: date, targets: list[str], outcome: str = "cleared") -> dict[str, Any]:
    return fact("reuse-review", on, targets=targets, outcome=outcome)


# --- pool ---------------------------------------------------------------------------------------

def test_the_pool_follows_the_latest_entry_or_exit_in_force():
    facts = [fact("pool-entry", date(2025, 3, 1)), fact("pool-exit", date(2025, 9, 1), reason="调任"),
             fact("pool-entry", date(2026, 1, 5))]

    assert compute_record(facts, date(2025, 2, 28))["pool"] is False
    assert compute_record(facts, date(2025, 3, 1))["pool"] is True
    assert compute_record(facts, date(2025, 9, 1))["pool"] is False
    assert compute_record(facts, date(2026, 1, 5))["pool_since"] == date(2026, 1, 5)


def test_entry_and_exit_on_the_same_day_follow_recording_order():
    exit_first = fact("pool-exit", date(2025, 3, 1))
    entry_second = fact("pool-entry", date(2025, 3, 1))

    assert compute_record([entry_second, exit_first], date(2025, 3, 1))["pool"] is True


def test_a_retracted_pool_entry_never_counted():
    entry = fact("pool-entry", date(2025, 3, 1))
    facts = [entry, fact("retraction", date(2025, 6, 1), target=entry["id"], reason="录入错误")]

    assert compute_record(facts, date(2025, 4, 1))["pool"] is False


def test_a_retraction_of_a_retraction_restores_its_target():
    entry = fact("pool-entry", date(2025, 3, 1))
    first = fact("retraction", date(2025, 6, 1), target=entry["id"], reason="误撤")
    facts = [entry, first, fact("retraction", date(2025, 6, 2), target=first["id"], reason="撤回误撤")]

    assert voided_ids(facts) == {first["id"]}
    assert compute_record(facts, date(2025, 4, 1))["pool"] is True


# --- lists --------------------------------------------------------------------------------------

def test_commendations_and_performance_entries_are_listed_once_in_force():
    merit = fact("commendation", date(2025, 5, 4), kind="merit-3", doc="鄂组〔2025〕8号")
    entry = fact("performance-entry", date(2025, 6, 1), title="完成化工企业关改搬转", year=2025)
    facts = [merit, entry]

    early = compute_record(facts, date(2025, 5, 31))
    record = compute_record(facts, date(2025, 6, 1))

    assert early["performance_entries"] == []
    assert record["commendations"] == [{"source": merit["id"], "on": date(2025, 5, 4), "kind": "merit-3",
                                        "doc": "鄂组〔2025〕8号", "authority": None, "note": None}]
    assert [(e["title"], e["year"]) for e in record["performance_entries"]] == [("完成化工企业关改搬转", 2025)]


def test_a_secondment_end_closes_the_latest_open_secondment_at_the_same_host():
    facts = [fact("secondment", date(2024, 3, 1), host="国家发展改革委"),
             fact("secondment", date(2025, 3, 1), host="省商务厅"),
             fact("secondment", date(2025, 4, 1), host="国家发展改革委"),
             fact("secondment-end", date(2025, 9, 30), host="国家发展改革委")]

    rows = compute_record(facts, date(2025, 10, 1))["secondments"]

    assert [(r["host"], r["started_on"], r["active"]) for r in rows] == [
        ("国家发展改革委", date(2024, 3, 1), True),
        ("省商务厅", date(2025, 3, 1), True),
        ("国家发展改革委", date(2025, 4, 1), False),
    ]
    assert rows[2]["ended_on"] == date(2025, 9, 30)
    assert rows[2]["end_source"] == facts[3]["id"]


def test_a_secondment_is_active_until_the_day_of_its_end():
    facts = [fact("secondment", date(2025, 3, 1), host="省商务厅"),
             fact("secondment-end", date(2025, 9, 30), host="省商务厅")]

    assert compute_record(facts, date(2025, 9, 29))["secondments"][0]["active"] is True
    assert compute_record(facts, date(2025, 9, 30))["secondments"][0]["active"] is False


def test_a_secondment_end_without_an_open_secondment_closes_nothing():
    facts = [fact("secondment", date(2025, 3, 1), host="省商务厅"),
             fact("secondment-end", date(2025, 9, 30), host="省财政厅")]

    assert [r["active"] for r in compute_record(facts, date(2025, 10, 1))["secondments"]] == [True]


def test_leave_is_current_from_its_start_through_its_end():
    facts = [fact("leave", date(2025, 7, 1), start=date(2025, 7, 14), end=date(2025, 7, 18),
                  leave_type="年休假")]

    assert compute_record(facts, date(2025, 7, 13))["on_leave"] is False
    assert compute_record(facts, date(2025, 7, 14))["on_leave"] is True
    assert compute_record(facts, date(2025, 7, 18))["on_leave"] is True
    assert compute_record(facts, date(2025, 7, 19))["on_leave"] is False


def test_training_health_checks_and_reviews_are_listed():
    facts = [fact("training", date(2025, 4, 30), programme="省委党校中青班", hours="120"),
             fact("health-check", date(2025, 5, 8), note="年度体检"),
             review(date(2025, 6, 1), ["s-1"], "reuse"),
             fact("sanction", date(2025, 6, 2), kind="warning", authority_kind="supervisory")]

    record = compute_record(facts, date(2025, 12, 31))

    assert [(t["programme"], t["hours"]) for t in record["training"]] == [("省委党校中青班", "120")]
    assert [h["note"] for h in record["health_checks"]] == ["年度体检"]
    assert [(r["targets"], r["outcome"]) for r in record["reuse_reviews"]] == [(["s-1"], "reuse")]


def test_an_empty_record():
    assert compute_record([], date(2025, 1, 1)) == {
        "pool": False, "pool_since": None, "commendations": [], "performance_entries": [], "secondments": [],
        "training": [], "health_checks": [], "leave": [], "on_leave": False, "reuse_reviews": [],
    }


# --- R-REUSE ------------------------------------------------------------------------------------

def test_an_expired_restriction_without_a_review_is_a_candidate():
    restriction = expired("s-1", date(2025, 3, 10))

    assert compute_reuse_candidates([restriction], []) == [restriction]


@pytest.mark.parametrize("outcome", ["cleared", "reuse", "defer"])
def test_a_review_naming_the_source_settles_it_whatever_its_outcome(outcome: str):
    reviews = [review(date(2025, 4, 1), ["s-1"], outcome)]

    assert compute_reuse_candidates([expired("s-1", date(2025, 3, 10))], reviews) == []


def test_a_review_naming_another_decision_settles_nothing():
    reviews = [review(date(2025, 4, 1), ["s-2"])]

    assert [r["source"] for r in compute_reuse_candidates([expired("s-1", "2025-03-10")], reviews)] == ["s-1"]


def test_a_review_before_a_bar_ended_does_not_settle_that_bar():
    # accountability-removal: leadership-post ends after 12 months, higher-post after 24.
    restrictions = [expired("o-1", "2025-05-01", ("leadership-post",)),
                    expired("o-1", "2026-05-01", ("higher-post",))]
    reviews = [review(date(2025, 6, 1), ["o-1"])]

    candidates = compute_reuse_candidates(restrictions, reviews)

    assert [r["bars"] for r in candidates] == [["higher-post"]]


def test_a_review_on_the_day_the_period_ended_settles_it():
    reviews = [review(date(2025, 3, 10), ["s-1"])]

    assert compute_reuse_candidates([expired("s-1", date(2025, 3, 10))], reviews) == []


def test_a_review_dated_after_the_query_date_does_not_count_yet():
    reviews = [review(date(2025, 4, 1), ["s-1"])]

    restrictions = [expired("s-1", date(2025, 3, 10))]

    assert len(compute_reuse_candidates(restrictions, reviews, as_of=date(2025, 3, 31))) == 1
    assert compute_reuse_candidates(restrictions, reviews, as_of=date(2025, 4, 1)) == []


def test_a_retracted_review_settles_nothing():
    r = review(date(2025, 4, 1), ["s-1"])
    facts = [r, fact("retraction", date(2025, 4, 2), target=r["id"], reason="录入错误")]

    assert len(compute_reuse_candidates([expired("s-1", date(2025, 3, 10))], facts)) == 1
