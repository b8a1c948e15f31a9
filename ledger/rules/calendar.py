"""R-DATE-WORKDAYS: official working days ("N 个工作日内") from the State Council calendar.

The official calendar (holidays and make-up working days 调休) comes from the `chinesecalendar`
package, which covers only the years whose arrangement has been published. For any other year we
count Monday–Friday and say so: `working_days_after` returns a note that the output must show.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import cache, lru_cache
from typing import NamedTuple

import chinese_calendar

# Policy (R-DATE-WORKDAYS): outside the published calendar a working day is any Monday–Friday.
FALLBACK_WORKING_WEEKDAYS: frozenset[int] = frozenset({0, 1, 2, 3, 4})
# Probed once to name the covered span in the note; the package itself decides what it covers.
_PROBE_YEARS = range(1949, 2201)


class DueDate(NamedTuple):
    """A date counted in working days, and the note to show when part of it was counted Monday–Friday."""

    on: date
    calendar_note: str | None


@cache
def _year_covered(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def calendar_covers(d: date) -> bool:
    """R-DATE-WORKDAYS: whether the official calendar (incl. 调休) is published for `d`'s year."""
    return _year_covered(d.year)


@lru_cache(maxsize=1)
def covered_years() -> tuple[int, int] | None:
    """R-DATE-WORKDAYS: the first and last year of the official calendar, or None if none is known."""
    years = [y for y in _PROBE_YEARS if _year_covered(y)]
    return (years[0], years[-1]) if years else None


@lru_cache(maxsize=65536)
def is_working_day(d: date) -> bool:
    """R-DATE-WORKDAYS: an official working day (make-up days count); Monday–Friday outside the calendar."""
    if _year_covered(d.year):
        return bool(chinese_calendar.is_workday(d))
    return d.weekday() in FALLBACK_WORKING_WEEKDAYS


def fallback_note(years: set[int] | frozenset[int]) -> str | None:
    """R-DATE-WORKDAYS: the note saying which uncovered years were counted Monday–Friday (None if none)."""
    if not years:
        return None
    span = covered_years()
    later = sorted(y for y in years if span is None or y > span[1])
    earlier = sorted(y for y in years if span is not None and y < span[0])
    parts = []
    if later:
        after = f"after {span[1]}" if span else "in " + ", ".join(map(str, later))
        parts.append(
            f"working days {after} counted Monday–Friday: the official calendar is not published yet"
        )
    if earlier and span:
        parts.append(
            f"working days before {span[0]} counted Monday–Friday: the official calendar does not cover them"
        )
    return "; ".join(parts)


@lru_cache(maxsize=65536)
def working_days_after(start: date, n: int) -> DueDate:
    """R-DATE-WORKDAYS: the n-th working day after `start` (the next day is day 1), with the fallback note."""
    if n < 0:
        raise ValueError(f"a count of working days may not be negative: {n}")
    day, counted, uncovered = start, 0, set()
    while counted < n:
        day += timedelta(days=1)
        if not _year_covered(day.year):
            uncovered.add(day.year)
        if is_working_day(day):
            counted += 1
    return DueDate(day, fallback_note(uncovered))


def add_working_days(start: date, n: int) -> date:
    """R-DATE-WORKDAYS: the n-th working day after `start`; the next day is day 1 ("N 个工作日内")."""
    return working_days_after(start, n).on
