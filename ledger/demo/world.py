"""Shared state of the synthetic province: randomness, the output buffer, leading posts and vacancies."""

from __future__ import annotations

import calendar
import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from random import Random
from typing import Any, TypeVar

T = TypeVar("T")
DAY = timedelta(days=1)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day (R-DATE)."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year = day.year + years
    return date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


def workday(day: date) -> date:
    """The day itself, or the Monday after when it falls on a weekend."""
    weekday = day.weekday()
    return day + timedelta(days=7 - weekday) if weekday >= 5 else day


@dataclass
class Area:
    """A county, city or the province: its name, ASCII code, level of government and units."""

    name: str
    code: str
    kind: str  # county | city | province
    parent: Area | None
    head: str  # 县长 / 区长 / 市长 / 州长 / 省长
    towns: tuple[str, ...] = ()
    depts: tuple[tuple[str, str], ...] = ()


@dataclass
class Post:
    """A registered leading post and who holds it."""

    post_id: str
    unit: str
    title: str
    level: str
    principal: bool
    role: str
    area: str
    holder: str | None = None
    vacant_since: date | None = None
    outgoing: str | None = None
    announced: bool = False


class World:
    """Everything the cadres of one province share while the province is generated."""

    def __init__(self, seed: int, start: date, end: date) -> None:
        self.rng = Random(seed)
        self.start, self.end = start, end
        self.buffer: list[dict[str, Any]] = []
        self.posts: dict[str, Post] = {}
        self.vacant: dict[tuple[str, str], list[str]] = {}
        self.new_vacancies: list[str] = []
        self.changes: list[tuple[date, int, str, str, str | None]] = []
        self.names: dict[str, str] = {}
        self.counters: dict[str, int] = {}
        self.overrides = 0
        self.override_budget = 2
        self.leavers: list[Area] = []
        self.supervisors: dict[str, str] = {}
        self.post_heap: list[tuple[date, int, Callable[..., None], tuple[Any, ...]]] = []
        self.post_tick = 0
        self.change_days: set[tuple[str, date]] = set()

    # --- randomness ---------------------------------------------------------------------------
    def between(self, first: date, last: date) -> date:
        """A random day from `first` to `last` inclusive (`first` when the span is empty)."""
        low, high = first.toordinal(), last.toordinal()
        return first if high <= low else date.fromordinal(self.rng.randint(low, high))

    def chance(self, p: float) -> bool:
        """True with probability `p`."""
        return self.rng.random() < p

    def pick(self, items: Sequence[T]) -> T:
        """One of `items`."""
        return items[self.rng.randrange(len(items))]

    def next(self, key: str) -> int:
        """1, 2, 3, … per key (document numbers, case numbers, report numbers)."""
        value = self.counters.get(key, 0) + 1
        self.counters[key] = value
        return value

    def variant(self, family: str, options: Sequence[T], weights: Sequence[float] | None = None) -> T:
        """The n-th occurrence of `family` takes option n while options last (so small provinces show
        every one), then a weighted choice."""
        n = self.next("variant:" + family)
        if n <= len(options):
            return options[n - 1]
        return self.rng.choices(options, weights)[0] if weights else self.pick(options)

    def may_override(self) -> bool:
        """Whether one more deliberate rule override fits the province's budget (a handful)."""
        if self.overrides >= self.override_budget:
            return False
        self.overrides += 1
        return True

    def person(self) -> str:
        """A random Chinese personal name."""
        from ledger.demo.names import GIVEN, SURNAMES

        rng = self.rng
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        return rng.choice(SURNAMES) + given

    # --- leading posts' agenda -----------------------------------------------------------------
    def post_at(self, day: date, action: Callable[..., None], *args: Any) -> None:
        """Schedule `action(self, day, *args)` on the leading posts' agenda."""
        self.post_tick += 1
        heapq.heappush(self.post_heap, (day, self.post_tick, action, args))

    def run_posts(self, last: date) -> None:
        """Run the posts' agenda up to and including `last`."""
        heap = self.post_heap
        while heap and heap[0][0] <= last:
            day, _, action, args = heapq.heappop(heap)
            action(self, day, *args)

    # --- output -------------------------------------------------------------------------------
    def emit_post(self, post_id: str, decision_type: str, day: date, /, **fields: Any) -> str:
        """Append a decision about a leading post; its id."""
        decision_id = f"{post_id}-{self.next('post:' + post_id):03d}"
        self.buffer.append(
            {"id": decision_id, "type": decision_type, "on": day.isoformat(), "post": post_id, **fields}
        )
        return decision_id

    def emit_unit(self, unit: str, day: date, kind: str, case: str) -> None:
        """Append a unit-accountability decision (一案双查) of `case`."""
        self.buffer.append(
            {
                "id": f"ua-{case}",
                "type": "unit-accountability",
                "on": day.isoformat(),
                "unit": unit,
                "kind": kind,
                "case": case,
                "doc": f"鄂纪发〔{day.year}〕{self.next(f'doc:{day.year}')}号",
            }
        )

    # --- posts --------------------------------------------------------------------------------
    def vacate(self, post_id: str | None, cadre: str, day: date) -> None:
        """The holder leaves a registered post on `day`; it waits for a successor."""
        post = self.posts.get(post_id or "")
        if post is None or post.holder != cadre:
            return
        post.holder, post.vacant_since, post.outgoing, post.announced = None, day, cadre, False
        self.vacant.setdefault((post.area, post.level), []).append(post.post_id)
        self.new_vacancies.append(post.post_id)

    def find_vacancy(
        self, area: str, level: str, day: date, cadre: str, roles: frozenset[str] | None = None
    ) -> Post | None:
        """A registered post of `area` at `level` vacant since `day` or earlier, not left by `cadre`."""
        for post_id in self.vacant.get((area, level), ()):
            post = self.posts[post_id]
            if (
                post.vacant_since is not None
                and post.vacant_since < day
                and post.outgoing != cadre
                and (roles is None or post.role in roles)
            ):
                return post
        return None

    def take(self, post: Post, cadre: str, day: date) -> None:
        """`cadre` is appointed to the vacant `post` on `day`; a principal post changes leader."""
        self.vacant[(post.area, post.level)].remove(post.post_id)
        if post.principal and post.outgoing is not None:
            self.changes.append((day, len(self.changes), post.post_id, post.outgoing, cadre))
        post.holder, post.vacant_since, post.announced = cadre, None, False
