"""R-DATE: period arithmetic on effective dates."""
from __future__ import annotations

from calendar import isleap
from datetime import date

DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(day: date, months: int) -> date:
    """R-DATE: the first clear day of a period of `months` that takes effect on `day`.

    The effective day counts as day 1, so a period covers ``[day, add_months(day, months))``; the
    result is clamped to the month's last day (2025-08-31 + 6 months = 2026-02-28). The same as
    ``day + dateutil.relativedelta(months=months)``, without its overhead.
    """
    years, month0 = divmod(day.month - 1 + months, 12)
    year = day.year + years
    last = 29 if month0 == 1 and isleap(year) else DAYS_IN_MONTH[month0]
    return day.replace(year=year, month=month0 + 1, day=min(day.day, last))


def first_of_month(day: date) -> date:
    """R-RANK: the 1st of the month of `day`."""
    return day.replace(day=1)


def new_year(year: int) -> date:
    """1 January of `year` (R-ASSESS-NEXT, R-RANK)."""
    return date(year, 1, 1)


def new_years_eve(year: int) -> date:
    """31 December of `year` (R-INVESTIGATION)."""
    return date(year, 12, 31)
