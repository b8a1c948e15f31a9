"""R-DATE-WORKDAYS: counting official working days, and the Monday–Friday fallback."""
from __future__ import annotations

from datetime import date

import pytest

from ledger.rules.calendar import (
    add_working_days,
    calendar_covers,
    covered_years,
    is_working_day,
    working_days_after,
)

NOTE_AFTER_2026 = "working days after 2026 counted Monday–Friday: the official calendar is not published yet"


def test_the_next_day_is_day_one():
    assert add_working_days(date(2025, 9, 1), 1) == date(2025, 9, 2)


def test_zero_working_days_is_the_start_itself():
    assert add_working_days(date(2025, 9, 6), 0) == date(2025, 9, 6)


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError, match="may not be negative"):
        add_working_days(date(2025, 9, 1), -1)


def test_ten_working_days_from_monday_1_september_2025_end_on_15_september():
    due = working_days_after(date(2025, 9, 1), 10)

    assert due.on == date(2025, 9, 15)
    assert due.calendar_note is None


def test_twenty_working_days_end_on_the_make_up_sunday_28_september_2025():
    assert add_working_days(date(2025, 9, 1), 20) == date(2025, 9, 28)


def test_the_make_up_sunday_is_a_working_day_and_the_saturday_before_is_not():
    assert is_working_day(date(2025, 9, 28)) is True
    assert is_working_day(date(2025, 9, 27)) is False


def test_national_day_2025_is_skipped_and_the_make_up_saturday_counts():
    # 30 Sep is day 1; 1–8 Oct are holidays; Thu 9, Fri 10 and the make-up Sat 11 Oct count.
    assert add_working_days(date(2025, 9, 29), 2) == date(2025, 10, 9)
    assert add_working_days(date(2025, 9, 29), 4) == date(2025, 10, 11)
    assert add_working_days(date(2025, 9, 29), 5) == date(2025, 10, 13)


def test_spring_festival_2026_is_skipped():
    # The make-up Saturday 14 Feb counts; 15–23 Feb are holidays.
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)


def test_the_official_calendar_covers_2026_but_not_2027():
    assert calendar_covers(date(2026, 12, 31)) is True
    assert calendar_covers(date(2027, 1, 1)) is False
    assert covered_years() == (2004, 2026)


def test_2027_falls_back_to_monday_to_friday():
    assert is_working_day(date(2027, 1, 1)) is True  # a Friday; New Year is not known yet
    assert is_working_day(date(2027, 1, 2)) is False  # a Saturday


def test_a_count_reaching_into_2027_is_noted():
    # Thu 31 Dec 2026 → Fri 1 Jan 2027 (day 1, Mon–Fri), Mon 4 Jan (day 2).
    due = working_days_after(date(2026, 12, 31), 2)

    assert due.on == date(2027, 1, 4)
    assert due.calendar_note == NOTE_AFTER_2026


def test_a_count_ending_inside_2026_has_no_note():
    assert working_days_after(date(2026, 12, 29), 2).calendar_note is None


def test_a_count_before_2004_is_noted_as_uncovered():
    # Wed 31 Dec 2003 is day 1 (Mon–Fri); 1 Jan 2004 is New Year's Day in the official calendar.
    due = working_days_after(date(2003, 12, 30), 2)

    assert due.on == date(2004, 1, 2)
    assert due.calendar_note is not None
    assert "before 2004 counted Monday–Friday" in due.calendar_note
