"""A time axis: dates to millimetres across a chart, whole years from 1 January to 1 January."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

# Beyond this many years the earliest are cut off (their rows are drawn from the left edge).
MAX_YEARS = 16


@dataclass(frozen=True)
class TimeAxis:
    """Maps dates in [start, end) onto [left, right] millimetres."""

    start: date
    end: date
    left: float
    right: float

    @classmethod
    def around(cls, days: Iterable[date | None], left: float, right: float, after: int = 1) -> TimeAxis:
        """Whole years covering `days`, plus `after` years beyond the latest (room for open ends)."""
        known = [d for d in days if d is not None]
        if not known:
            known = [date.today()]
        first, last = min(known).year, max(known).year + 1 + after
        first = max(first, last - MAX_YEARS)
        return cls(date(first, 1, 1), date(last, 1, 1), left, right)

    @property
    def width(self) -> float:
        """The plot's width in millimetres."""
        return self.right - self.left

    def x(self, day: date) -> float:
        """The position of `day`, clamped to the plot."""
        total = (self.end - self.start).days
        offset = min(max((day - self.start).days, 0), total)
        return self.left + self.width * offset / total

    def contains(self, day: date) -> bool:
        """Whether `day` lies within the axis."""
        return self.start <= day < self.end

    def years(self) -> list[int]:
        """The years the axis spans, in order."""
        return list(range(self.start.year, self.end.year))

    def year_span(self, year: int) -> tuple[float, float]:
        """The left and right edges of one year."""
        return self.x(date(year, 1, 1)), self.x(date(year + 1, 1, 1))
