"""R-DATE: period arithmetic on effective dates."""
from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta


def add_months(day: date, months: int) -> date:
    """R-DATE: the first clear day of a period of `months` that takes effect on `day`.

    The effective day counts as day 1, so a period covers ``[day, add_months(day, months))``; the
    result is clamped to the month's last day (2025-08-31 + 6 months = 2026-02-28).
    """
    return day + relativedelta(months=months)


def first_of_month(day: date) -> date:
    """R-RANK: the 1st of the month of `day`."""
    return day.replace(day=1)


def new_year(year: int) -> date:
    """1 January of `year` (R-ASSESS-NEXT, R-RANK)."""
    return date(year, 1, 1)


def new_years_eve(year: int) -> date:
    """31 December of `year` (R-INVESTIGATION)."""
    return date(year, 12, 31)
