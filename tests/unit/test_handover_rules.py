"""R-HANDOVER: due dates, extensions, signoffs, status and findings of principal-leader handovers."""
from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ledger.errors import InvalidDecision, RuleViolation
from ledger.rules.handover import check_handover_decision, compute_handover_findings, compute_handovers
from tests.unit.factories import fact_builder

POST = "YC-YL-PARTY-SECRETARY"
MONDAY = date(2025, 9, 1)  # worked example 7: due 2025-09-15, +10 working days → Sunday 2025-09-28


fact = fact_builder("post", POST, "organisation-dept")


def register() -> dict[str, Any]:
    return fact("post-register", date(2020, 1, 1), unit="宜昌市夷陵区", title="区委书记",
                post_level="county-chief", principal=True)


def change(
    on: date = MONDAY, outgoing: str = "HB-1", incoming: str | None = "HB-2", **kw: Any
) -> dict[str, Any]:
    return fact("leadership-change", on, outgoing=outgoing, incoming=incoming, **kw)


def extension(on: date, days: int, announced_on: date = MONDAY) -> dict[str, Any]:
    return fact("handover-extension", on, announced_on=announced_on, working_days=days, approved_by="市委组织部")


def signoff(on: date, party: str, signer: str, announced_on: date = MONDAY) -> dict[str, Any]:
    return fact("handover-signoff", on, announced_on=announced_on, party=party, signer=signer)


def complete(on: date, announced_on: date = MONDAY) -> dict[str, Any]:
    return fact("handover-complete", on, announced_on=announced_on)


def all_signoffs(on: date) -> list[dict[str, Any]]:
    return [signoff(on, "outgoing", "张三"), signoff(on, "incoming", "李四"), signoff(on, "supervisor", "王五")]


def only(rows: list[dict[str, Any]]) -> dict[str, Any]:
    assert len(rows) == 1
    return rows[0]


# --- due date and status (R-HANDOVER-DUE) -------------------------------------------------------

def test_worked_example_7_is_due_on_the_tenth_working_day_and_open_that_day():
    row = only(compute_handovers([register(), change()], date(2025, 9, 15)))

    assert row["due_on"] == date(2025, 9, 15)
    assert row["status"] == "open"
    assert row["announced_on"] == MONDAY
    assert (row["outgoing"], row["incoming"]) == ("HB-1", "HB-2")
    assert (row["unit"], row["title"], row["post"]) == ("宜昌市夷陵区", "区委书记", POST)
    assert row["calendar_note"] is None


def test_worked_example_7_is_overdue_the_day_after_the_due_date():
    assert only(compute_handovers([register(), change()], date(2025, 9, 16)))["status"] == "overdue"


def test_a_handover_is_listed_from_its_announcement_day_only():
    facts = [register(), change()]

    assert compute_handovers(facts, date(2025, 8, 31)) == []
    assert only(compute_handovers(facts, MONDAY))["status"] == "open"


def test_ten_extra_working_days_move_the_due_date_to_the_make_up_sunday():
    facts = [register(), change(), extension(date(2025, 9, 10), 10)]

    on_due_day = only(compute_handovers(facts, date(2025, 9, 28)))
    day_after = only(compute_handovers(facts, date(2025, 9, 29)))

    assert on_due_day["due_on"] == date(2025, 9, 28)
    assert on_due_day["status"] == "open"
    assert day_after["status"] == "overdue"
    assert on_due_day["extensions"] == [
        {"working_days": 10, "approved_by": "市委组织部", "on": date(2025, 9, 10), "source": facts[2]["id"]}
    ]


def test_an_extension_counts_only_from_its_own_date():
    facts = [register(), change(), extension(date(2025, 9, 10), 10)]

    assert only(compute_handovers(facts, date(2025, 9, 9)))["due_on"] == date(2025, 9, 15)
    assert only(compute_handovers(facts, date(2025, 9, 10)))["due_on"] == date(2025, 9, 28)


def test_a_handover_announced_before_national_day_2025_skips_the_holiday():
    # Fri 26 Sep: Sun 28 (make-up), 29, 30 Sep, 9, 10, Sat 11 (make-up), 13, 14, 15, 16 Oct.
    facts = [register(), change(date(2025, 9, 26))]

    assert only(compute_handovers(facts, date(2025, 10, 16)))["status"] == "open"
    assert only(compute_handovers(facts, date(2025, 10, 17)))["status"] == "overdue"
    assert only(compute_handovers(facts, date(2025, 10, 17)))["due_on"] == date(2025, 10, 16)


def test_a_handover_announced_before_spring_festival_2026_ends_on_the_make_up_saturday():
    # Mon 9 Feb: 10–13, Sat 14 (make-up), 24–27, Sat 28 Feb (make-up).
    facts = [register(), change(date(2026, 2, 9))]

    assert only(compute_handovers(facts, date(2026, 2, 28)))["due_on"] == date(2026, 2, 28)
    assert only(compute_handovers(facts, date(2026, 2, 28)))["status"] == "open"
    assert only(compute_handovers(facts, date(2026, 3, 1)))["status"] == "overdue"


def test_a_due_date_in_2027_is_counted_monday_to_friday_and_says_so():
    # Fri 25 Dec 2026: 28–31 Dec (4), then Mon–Fri 1–8 Jan 2027 (6) → Fri 8 Jan.
    row = only(compute_handovers([register(), change(date(2026, 12, 25))], date(2026, 12, 28)))

    assert row["due_on"] == date(2027, 1, 8)
    assert row["calendar_note"] == (
        "working days after 2026 counted Monday–Friday: the official calendar is not published yet"
    )


def test_completion_on_the_due_date_is_completed():
    facts = [register(), change(), *all_signoffs(date(2025, 9, 12)), complete(date(2025, 9, 15))]

    row = only(compute_handovers(facts, date(2025, 12, 31)))

    assert row["status"] == "completed"
    assert row["completed_on"] == date(2025, 9, 15)
    assert compute_handover_findings(facts, date(2025, 12, 31)) == []


def test_completion_the_day_after_the_due_date_is_completed_late_and_the_finding_stays():
    facts = [register(), change(), *all_signoffs(date(2025, 9, 12)), complete(date(2025, 9, 16))]

    row = only(compute_handovers(facts, date(2025, 12, 31)))
    finding = only(compute_handover_findings(facts, date(2025, 12, 31)))

    assert row["status"] == "completed-late"
    assert finding["raised_on"] == date(2025, 9, 16)
    assert "completed on 2025-09-16" in finding["detail"]


def test_a_completion_after_the_query_date_does_not_count_yet():
    facts = [register(), change(), *all_signoffs(date(2025, 9, 12)), complete(date(2025, 9, 15))]

    row = only(compute_handovers(facts, date(2025, 9, 14)))

    assert row["status"] == "open"
    assert row["completed_on"] is None


def test_items_and_signoffs_count_only_from_their_own_date():
    item = fact("handover-item", date(2025, 9, 3), announced_on=MONDAY, category="finance-assets",
                description="专项资金账户", amount="1200000.00")
    facts = [register(), change(), item, signoff(date(2025, 9, 5), "outgoing", "张三")]

    before = only(compute_handovers(facts, date(2025, 9, 2)))
    after = only(compute_handovers(facts, date(2025, 9, 5)))

    assert (before["items"], before["signoffs"]) == ([], [])
    assert after["items"] == [{"category": "finance-assets", "description": "专项资金账户", "amount": "1200000.00",
                               "source": item["id"], "on": date(2025, 9, 3)}]
    assert after["signoffs"] == [{"party": "outgoing", "signer": "张三", "on": date(2025, 9, 5),
                                  "source": facts[3]["id"]}]


def test_each_leadership_change_opens_its_own_handover():
    facts = [register(), change(incoming=None), change(date(2025, 10, 20), outgoing="HB-1", incoming="HB-3")]

    rows = compute_handovers(facts, date(2025, 10, 20))

    assert [(r["announced_on"], r["incoming"], r["status"]) for r in rows] == [
        (MONDAY, None, "overdue"), (date(2025, 10, 20), "HB-3", "open"),
    ]


# --- findings -----------------------------------------------------------------------------------

def test_no_late_finding_on_the_due_date_and_one_the_day_after():
    facts = [register(), change()]

    assert compute_handover_findings(facts, date(2025, 9, 15)) == []
    assert compute_handover_findings(facts, date(2025, 9, 16)) == [{
        "kind": "handover-late", "source": facts[1]["id"], "post": POST, "raised_on": date(2025, 9, 16),
        "rule": "R-HANDOVER-DUE",
        "detail": f"handover of {POST} announced on 2025-09-01 was due on 2025-09-15; not completed",
    }]


# --- extensions (R-HANDOVER-DUE) ----------------------------------------------------------------

def test_extensions_up_to_twenty_working_days_in_total_are_accepted():
    facts = [register(), change(), extension(date(2025, 9, 5), 4), extension(date(2025, 9, 8), 5)]

    check_handover_decision(facts, extension(date(2025, 9, 9), 1))


def test_an_extension_beyond_twenty_working_days_in_total_is_refused():
    facts = [register(), change(), extension(date(2025, 9, 5), 4), extension(date(2025, 9, 8), 5)]

    too_many = r"at most 20 working days; 10 \+ 9 already granted \+ 2 asked = 21"
    with pytest.raises(RuleViolation, match=too_many):
        check_handover_decision(facts, extension(date(2025, 9, 9), 2))


def test_a_single_extension_of_eleven_days_is_refused_and_names_the_handover():
    facts = [register(), change()]

    with pytest.raises(RuleViolation, match="R-HANDOVER-DUE") as refused:
        check_handover_decision(facts, extension(date(2025, 9, 5), 11))
    assert refused.value.blocking == facts[1]["id"]


def test_an_extension_on_the_due_date_is_accepted():
    check_handover_decision([register(), change()], extension(date(2025, 9, 15), 3))


def test_an_extension_dated_after_the_due_date_is_refused():
    late = "was due on 2025-09-15; an extension must take effect on or before that day, not on 2025-09-16"
    with pytest.raises(RuleViolation, match=late):
        check_handover_decision([register(), change()], extension(date(2025, 9, 16), 3))


def test_an_extension_is_judged_against_the_due_date_already_extended():
    facts = [register(), change(), extension(date(2025, 9, 10), 5)]  # due now 2025-09-22

    check_handover_decision(facts, extension(date(2025, 9, 22), 5))
    with pytest.raises(RuleViolation, match="was due on 2025-09-22"):
        check_handover_decision(facts, extension(date(2025, 9, 23), 5))


def test_an_extension_of_zero_days_is_malformed():
    with pytest.raises(InvalidDecision, match="working_days: must be a whole number"):
        check_handover_decision([register(), change()], extension(date(2025, 9, 5), 0))


# --- signoffs (R-HANDOVER-SIGN) -----------------------------------------------------------------

def test_completion_with_all_three_signoffs_is_accepted():
    facts = [register(), change(), *all_signoffs(date(2025, 9, 12))]

    check_handover_decision(facts, complete(date(2025, 9, 12)))


@pytest.mark.parametrize("absent, named", [
    ("outgoing", r"the outgoing leader's signoff \(HB-1\)"),
    ("incoming", r"the incoming leader's signoff \(HB-2\)"),
    ("supervisor", r"a supervisor's signoff"),
])
def test_completion_without_a_required_signoff_is_refused_naming_it(absent: str, named: str):
    signed = [s for s in all_signoffs(date(2025, 9, 12)) if s["party"] != absent]
    facts = [register(), change(), *signed]

    with pytest.raises(RuleViolation, match=f"cannot be completed: missing {named}.*R-HANDOVER-SIGN"):
        check_handover_decision(facts, complete(date(2025, 9, 12)))


def test_completion_with_no_signoffs_names_everything_missing():
    with pytest.raises(RuleViolation, match=r"outgoing leader's.*; the incoming leader's.*; a supervisor's"):
        check_handover_decision([register(), change()], complete(date(2025, 9, 12)))


def test_a_signoff_dated_after_the_completion_does_not_count():
    facts = [register(), change(), signoff(date(2025, 9, 12), "outgoing", "张三"),
             signoff(date(2025, 9, 12), "incoming", "李四"), signoff(date(2025, 9, 13), "supervisor", "王五")]

    with pytest.raises(RuleViolation, match="missing a supervisor's signoff"):
        check_handover_decision(facts, complete(date(2025, 9, 12)))


def test_without_a_successor_two_distinct_supervisors_stand_in():
    facts = [register(), change(incoming=None), signoff(date(2025, 9, 12), "outgoing", "张三"),
             signoff(date(2025, 9, 12), "supervisor", "王五"), signoff(date(2025, 9, 12), "supervisor", "赵六")]

    check_handover_decision(facts, complete(date(2025, 9, 12)))


def test_without_a_successor_one_supervisor_signing_twice_is_not_enough():
    facts = [register(), change(incoming=None), signoff(date(2025, 9, 12), "outgoing", "张三"),
             signoff(date(2025, 9, 12), "supervisor", "王五"), signoff(date(2025, 9, 13), "supervisor", " 王五 ")]

    with pytest.raises(RuleViolation, match=r"signoffs of 2 distinct supervisors .no successor is named.; "
                                            "signed so far: 王五"):
        check_handover_decision(facts, complete(date(2025, 9, 13)))


def test_without_a_successor_the_outgoing_signoff_is_still_needed():
    facts = [register(), change(incoming=None), signoff(date(2025, 9, 12), "supervisor", "王五"),
             signoff(date(2025, 9, 12), "supervisor", "赵六")]

    missing = r"missing the outgoing leader's signoff \(HB-1\) \(R-HANDOVER-SIGN\)"
    with pytest.raises(RuleViolation, match=missing):
        check_handover_decision(facts, complete(date(2025, 9, 12)))


def test_an_incoming_signoff_without_a_successor_is_malformed():
    with pytest.raises(InvalidDecision, match=r"party: .* has no incoming leader"):
        check_handover_decision(
            [register(), change(incoming=None)], signoff(date(2025, 9, 12), "incoming", "李四")
        )


# --- naming the handover ------------------------------------------------------------------------

def test_a_handover_fact_naming_no_announced_handover_is_malformed_and_lists_the_posts_handovers():
    facts = [register(), change(), change(date(2025, 10, 20))]
    wrong_day = signoff(date(2025, 9, 12), "outgoing", "张三", announced_on=date(2025, 9, 2))
    named = (f"announced_on: no handover of {POST} was announced on 2025-09-02; "
             "the post's handovers: 2025-09-01, 2025-10-20")

    with pytest.raises(InvalidDecision, match=named):
        check_handover_decision(facts, wrong_day)


def test_a_handover_fact_for_a_post_without_handovers_says_so():
    with pytest.raises(InvalidDecision, match="the post's handovers: none"):
        check_handover_decision([register()], extension(date(2025, 9, 5), 2))


def test_a_handover_fact_dated_before_the_announcement_is_malformed():
    with pytest.raises(InvalidDecision, match="on: 2025-08-31 is before the handover"):
        check_handover_decision([register(), change()], signoff(date(2025, 8, 31), "outgoing", "张三"))


def test_a_completed_handover_takes_no_more_facts():
    facts = [register(), change(), *all_signoffs(date(2025, 9, 12)), complete(date(2025, 9, 12))]

    with pytest.raises(InvalidDecision, match="already completed on 2025-09-12"):
        check_handover_decision(facts, extension(date(2025, 9, 13), 2))


def test_facts_of_other_types_are_not_checked_here():
    check_handover_decision([register()], change())
