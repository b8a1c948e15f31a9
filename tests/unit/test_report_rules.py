"""R-REPORT: reports, their dispositions, letter-inquiry replies and clarifications."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from ledger.rules.reports import DISPOSITION_STANDING, compute_reports
from tests.unit.factories import fact_builder

CADRE = "HB-000123"
REPORT = "YWJD-2025-0042"
RECEIVED = date(2025, 8, 20)


fact = fact_builder("cadre", CADRE, "纪委")


def report(on: date = RECEIVED, number: str = REPORT) -> dict[str, Any]:
    return fact("report", on, report=number, channel="一网监督", summary="反映违规收受礼金")


def disposition(on: date, kind: str, number: str = REPORT, **fields: Any) -> dict[str, Any]:
    return fact("report-disposition", on, report=number, disposition=kind, **fields)


def reply(on: date, number: str = REPORT) -> dict[str, Any]:
    return fact("inquiry-reply", on, report=number)


def letter(on: date = date(2025, 9, 1), **fields: Any) -> list[dict[str, Any]]:
    return [report(), disposition(on, "letter-inquiry", **fields)]


# --- letter inquiries (R-REPORT-DUE) ------------------------------------------------------------

def test_a_reply_is_due_on_the_fifteenth_working_day_after_the_letter_was_received():
    facts = letter(date(2025, 9, 1), received_on=date(2025, 9, 3))

    row = compute_reports(facts, date(2025, 9, 24))["open_reports"][0]

    assert row["reply_due_on"] == date(2025, 9, 24)
    assert row["letter_received_on"] == date(2025, 9, 3)
    assert row["status"] == "awaiting-reply"


def test_without_received_on_the_disposition_date_counts():
    row = compute_reports(letter(date(2025, 9, 1)), date(2025, 9, 22))["open_reports"][0]

    assert row["reply_due_on"] == date(2025, 9, 22)
    assert row["letter_received_on"] == date(2025, 9, 1)


def test_a_reply_due_across_national_day_2025_skips_the_holiday():
    # Thu 25 Sep: 26, Sun 28 (make-up), 29, 30 Sep, 9, 10, Sat 11 Oct (make-up), 13–17, 20–22 Oct.
    row = compute_reports(letter(date(2025, 9, 25)), date(2025, 10, 1))["open_reports"][0]

    assert row["reply_due_on"] == date(2025, 10, 22)


def test_no_finding_on_the_due_date_and_an_inquiry_overdue_finding_the_day_after():
    facts = letter(date(2025, 9, 1))

    on_due_day = compute_reports(facts, date(2025, 9, 22))
    day_after = compute_reports(facts, date(2025, 9, 23))

    assert on_due_day["findings"] == [] and on_due_day["overdue_reports"] == []
    assert day_after["findings"] == [{
        "kind": "inquiry-overdue", "source": facts[1]["id"], "cadre": CADRE, "raised_on": date(2025, 9, 23),
        "rule": "R-REPORT-DUE",
        "detail": f"reply to the letter inquiry on report {REPORT} received on 2025-09-01 "
                  "was due on 2025-09-22; no reply",
    }]
    assert [r["report"] for r in day_after["overdue_reports"]] == [REPORT]
    assert day_after["open_reports"][0]["status"] == "overdue"


def test_a_reply_on_the_due_date_is_in_time():
    facts = [*letter(date(2025, 9, 1)), reply(date(2025, 9, 22))]

    result = compute_reports(facts, date(2025, 12, 31))

    assert result["findings"] == []
    assert result["open_reports"][0]["status"] == "replied"
    assert result["open_reports"][0]["replied_on"] == date(2025, 9, 22)


def test_a_late_reply_ends_the_overdue_listing_but_the_finding_stays():
    facts = [*letter(date(2025, 9, 1)), reply(date(2025, 9, 23))]

    result = compute_reports(facts, date(2025, 12, 31))

    assert result["overdue_reports"] == []
    assert result["open_reports"][0]["status"] == "replied-late"
    assert [f["raised_on"] for f in result["findings"]] == [date(2025, 9, 23)]
    assert result["findings"][0]["detail"].endswith("replied on 2025-09-23")


def test_a_reply_recorded_for_a_later_day_does_not_count_yet():
    facts = [*letter(date(2025, 9, 1)), reply(date(2025, 9, 30))]

    row = compute_reports(facts, date(2025, 9, 25))["open_reports"][0]

    assert (row["status"], row["replied_on"]) == ("overdue", None)


def test_the_finding_stays_after_the_report_is_closed():
    facts = [*letter(date(2025, 9, 1)), disposition(date(2025, 10, 10), "closed", reason="untrue")]

    result = compute_reports(facts, date(2025, 12, 31))

    assert result["open_reports"] == []
    assert len(result["findings"]) == 1


def test_a_reply_before_a_second_letter_does_not_answer_it():
    facts = [*letter(date(2025, 9, 1)), reply(date(2025, 9, 10)),
             disposition(date(2025, 10, 9), "letter-inquiry")]

    result = compute_reports(facts, date(2025, 11, 30))

    assert [f["source"] for f in result["findings"]] == [facts[3]["id"]]


def test_a_count_reaching_into_2027_carries_the_calendar_note():
    row = compute_reports(letter(date(2026, 12, 21)), date(2026, 12, 31))["open_reports"][0]

    assert row["calendar_note"] == (
        "working days after 2026 counted Monday–Friday: the official calendar is not published yet"
    )


# --- dispositions and standing (R-REPORT policy) ------------------------------------------------

def test_a_report_without_a_disposition_is_open_as_received():
    row = compute_reports([report()], RECEIVED)["open_reports"][0]

    assert row == {
        "report": REPORT, "source": row["source"], "received_on": RECEIVED, "channel": "一网监督",
        "summary": "反映违规收受礼金", "disposition": None, "disposition_on": None, "letter_received_on": None,
        "reply_due_on": None, "replied_on": None, "status": "received", "calendar_note": None,
    }


def test_a_report_received_after_the_query_date_is_not_listed():
    assert compute_reports([report()], RECEIVED - timedelta(days=1))["open_reports"] == []


@pytest.mark.parametrize("kind, listed_in", [
    ("talk", "open_reports"),
    ("letter-inquiry", "open_reports"),
    ("preliminary-verification", "open_reports"),
    ("deferred", "deferred_reports"),
    ("no-inquiry", "closed_reports"),
    ("closed", "closed_reports"),
])
def test_each_disposition_puts_the_report_where_the_policy_says(kind: str, listed_in: str):
    reason = {"reason": "not-verifiable"} if kind in ("deferred", "no-inquiry", "closed") else {}
    facts = [report(), disposition(date(2025, 8, 25), kind, **reason)]

    result = compute_reports(facts, date(2025, 8, 25))

    lists = {k: [r["report"] for r in v] for k, v in result.items() if k.endswith("_reports")}
    assert lists.pop(listed_in) == [REPORT]
    assert all(v == [] for v in lists.values())
    assert "restrictions" not in result


def test_the_policy_table_names_every_disposition():
    from ledger.vocab import DISPOSITIONS

    assert set(DISPOSITION_STANDING) == set(DISPOSITIONS)


def test_the_latest_disposition_decides_and_a_later_one_reopens_a_deferred_report():
    facts = [report(), disposition(date(2025, 8, 25), "deferred", reason="not-verifiable"),
             disposition(date(2025, 11, 3), "preliminary-verification")]

    assert compute_reports(facts, date(2025, 11, 2))["deferred_reports"][0]["status"] == "deferred"
    reopened = compute_reports(facts, date(2025, 11, 3))["open_reports"][0]
    assert reopened["status"] == "preliminary-verification"


def test_a_closed_report_followed_by_a_clarification_is_listed_as_clarified_only():
    clarification = fact("clarification", date(2025, 10, 15), report=REPORT, scope="本单位")
    facts = [report(), disposition(date(2025, 9, 30), "closed", reason="untrue"), clarification]

    before = compute_reports(facts, date(2025, 10, 14))
    after = compute_reports(facts, date(2025, 10, 15))

    assert [r["report"] for r in before["closed_reports"]] == [REPORT] and before["clarified_reports"] == []
    assert after["closed_reports"] == []
    assert after["clarified_reports"] == [
        {"report": REPORT, "clarified_on": date(2025, 10, 15), "scope": "本单位", "source": clarification["id"]}
    ]


def test_other_fact_types_and_other_reports_are_kept_apart():
    facts = [fact("sanction", date(2025, 8, 1), kind="warning", authority_kind="supervisory"),
             report(), report(date(2025, 8, 21), "YWJD-2025-0050"),
             disposition(date(2025, 8, 25), "closed", number="YWJD-2025-0050", reason="hearsay")]

    result = compute_reports(facts, date(2025, 9, 1))

    assert [r["report"] for r in result["open_reports"]] == [REPORT]
    assert [r["report"] for r in result["closed_reports"]] == ["YWJD-2025-0050"]


def test_a_retracted_disposition_is_void_from_the_start():
    facts = letter(date(2025, 9, 1))
    facts.append(fact("retraction", date(2025, 12, 1), target=facts[1]["id"], reason="录入错误"))

    result = compute_reports(facts, date(2025, 10, 1))

    assert result["findings"] == []
    assert result["open_reports"][0]["status"] == "received"
