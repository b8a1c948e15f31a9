"""R-DATE: a period counts its effective day as day 1 and clamps to the month's last day."""
from __future__ import annotations

from datetime import date

from ledger.rules.periods import add_months


def test_a_six_month_period_from_the_last_of_august_clears_on_the_last_of_february() -> None:
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)


def test_a_twelve_month_period_clears_on_the_same_day_a_year_later() -> None:
    assert add_months(date(2025, 3, 10), 12) == date(2026, 3, 10)


def test_a_leap_day_period_clamps_to_the_end_of_february() -> None:
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


def test_add_months_agrees_with_relativedelta_on_every_day_of_four_years() -> None:
    from datetime import timedelta

    from dateutil.relativedelta import relativedelta

    days = [date(2023, 1, 1) + timedelta(days=n) for n in range(4 * 366)]

    mismatches = [(d, n) for d in days for n in (-25, -13, -12, -1, 0, 1, 6, 11, 12, 13, 18, 24, 48, 60)
                  if add_months(d, n) != d + relativedelta(months=n)]

    assert mismatches == []
