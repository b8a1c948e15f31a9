"""One cadre's simulated career: its state, its agenda of future actions, and the decisions it emits."""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ledger import vocab
from ledger.demo.world import DAY, Area, World, add_months, workday

LEVELS, RANKS = vocab.POST_LEVEL_ORDER, vocab.RANK_ORDER  # highest first
CODES = {
    "register": "reg",
    "appointment": "apt",
    "removal": "rmv",
    "rank-promotion": "rkp",
    "rank-demotion": "rkd",
    "assessment": "asm",
    "democratic-evaluation": "dev",
    "performance-entry": "prf",
    "determination": "det",
    "sanction": "sac",
    "probation-extension": "pex",
    "party-rights-restored": "prr",
    "org-handling": "org",
    "suspension-end": "sen",
    "investigation-open": "ivo",
    "investigation-close": "ivc",
    "exemption": "exm",
    "revocation": "rev",
    "retraction": "ret",
    "variation": "var",
    "employment-end": "emp",
    "report": "rpt",
    "report-disposition": "dsp",
    "inquiry-reply": "rpl",
    "clarification": "clr",
    "commendation": "cmd",
    "pool-entry": "pin",
    "pool-exit": "pot",
    "secondment": "sec",
    "secondment-end": "sex",
    "training": "trn",
    "health-check": "hck",
    "leave": "lve",
    "reuse-review": "reu",
}
BAD_GRADES = frozenset({"basically-competent", "incompetent"})
# Grade effects (year offset, severity): 1 no-excellent, 2 not-graded, 3 incompetent (R-PARTY/STATE/ORG).
EFFECTS: dict[str, tuple[tuple[int, int], ...]] = {
    "party-warning": ((0, 1),),
    "party-serious-warning": ((0, 2),),
    "party-post-removal": ((0, 3),),
    "party-expulsion": ((0, 3), (1, 2), (2, 2)),
    "warning": ((0, 1),),
    "demerit": ((0, 2),),
    "major-demerit": ((0, 2), (1, 2)),
    "grade-demotion": ((0, 2), (1, 2)),
    "post-dismissal": ((0, 2), (1, 2)),
    "admonition": ((0, 1),),
    "post-adjustment": ((0, 1),),
    "ordered-resignation": ((0, 2),),
    "resignation-for-fault": ((0, 2),),
    "accountability-removal": ((0, 2),),
    "demotion": ((0, 2),),
}
# The longest bar of each kind in months (conservative: every bar the kind imposes, R-PARTY/R-STATE/R-ORG).
BAR_MONTHS: dict[str, int] = {
    "party-warning": 12,
    "party-serious-warning": 18,
    "party-post-removal": 24,
    "party-expulsion": 60,
    "warning": 6,
    "demerit": 12,
    "major-demerit": 18,
    "grade-demotion": 24,
    "post-dismissal": 24,
    "admonition": 6,
    "post-adjustment": 12,
    "ordered-resignation": 24,
    "resignation-for-fault": 24,
    "accountability-removal": 24,
    "demotion": 24,
}
MARGIN = timedelta(days=20)
Action = Callable[..., None]


@dataclass
class Measure:
    """A recorded sanction or organisational measure, with what later decisions did to it."""

    kind: str
    on: date
    period: int | None = None
    variation: str | None = None
    exemptions: list[tuple[date, str, str | None]] = field(default_factory=list)


def level_up(level: str) -> str | None:
    """The post level one step above, or None at the top."""
    i = LEVELS.index(level)
    return LEVELS[i - 1] if i > 0 else None


def level_down(level: str) -> str | None:
    """The post level one step below, or None at the bottom."""
    i = LEVELS.index(level)
    return LEVELS[i + 1] if i + 1 < len(LEVELS) else None


def rank_up(rank: str) -> str | None:
    """The rank one step above, or None at the top."""
    i = RANKS.index(rank)
    return RANKS[i - 1] if i > 0 else None


def rank_down(rank: str) -> str | None:
    """The rank one step below, or None at the bottom."""
    i = RANKS.index(rank)
    return RANKS[i + 1] if i + 1 < len(RANKS) else None


class Sim:
    """A cadre: its record as the rules see it, plus what the generator needs to stay within the rules."""

    def __init__(self, world: World, no: str, area: Area, registered_on: date, **state: Any) -> None:
        self.world, self.no, self.area, self.registered_on = world, no, area, registered_on
        self.name: str = state["name"]
        self.unit: str = state["unit"]
        self.post: str = state["post"]
        self.post_id: str | None = state.get("post_id")
        self.level: str | None = state.get("level")
        self.last_level: str | None = self.level
        self.level_since: date = state.get("level_since") or registered_on
        self.rank: str = state["rank"]
        self.rank_since: date = state["rank_since"]
        self.staff: str = state["staff"]
        self.party: bool = state["party"]
        self.birth: date = state["birth"]
        self.retire_on: date = state["retire_on"]
        self.service_start: date | None = state.get("service_start")
        self.heap: list[tuple[date, int, Action, tuple[Any, ...]]] = []
        self.tick = 0
        self.seq = 0
        self.active = True
        self.grades: dict[int, list[tuple[date, str, str]]] = {}
        self.measures: dict[str, Measure] = {}
        self.void: set[str] = set()
        self.barred_until = registered_on
        self.pending: set[str] = set()
        self.investigations: dict[str, date] = {}
        self.probation: dict[str, Any] | None = None
        self.in_pool = False
        self.pool_token: str | None = None
        self.seconded = False
        self.last_upward: tuple[date, str] | None = None
        self.perf_ids: list[str] = []
        self.forced: dict[int, str] = {}
        self.low_vote: str | None = None
        self.cast: str | None = None
        self.regrade: set[int] = set()
        self.first_year: int = state.get("first_year", registered_on.year - 1)
        self.first_graded: int = state.get("first_graded", self.first_year)
        world.names[no] = self.name

    # --- agenda -------------------------------------------------------------------------------
    def at(self, day: date, action: Action, *args: Any) -> None:
        """Schedule `action(self, day, *args)`; actions run in date order, ties in scheduling order."""
        self.tick += 1
        heapq.heappush(self.heap, (day, self.tick, action, args))

    def run_until(self, last: date) -> None:
        """Run every scheduled action up to and including `last`."""
        heap = self.heap
        while heap and heap[0][0] <= last:
            day, _, action, args = heapq.heappop(heap)
            if not self.active:
                heap.clear()
                return
            action(self, day, *args)

    def emit(self, decision_type: str, day: date, /, **fields: Any) -> str:
        """Append a decision about this cadre to the output; its id."""
        self.seq += 1
        decision_id = f"{CODES[decision_type]}-{self.no}-{self.seq}"
        self.world.buffer.append(
            {"id": decision_id, "type": decision_type, "on": day.isoformat(), "cadre": self.no, **fields}
        )
        return decision_id

    # --- what the rules will say --------------------------------------------------------------
    def grade_of(self, year: int, day: date) -> str | None:
        """R-ASSESS: the grade of `year` as of `day` (latest `on`, voided ones ignored)."""
        found = None
        for on, grade, decision_id in self.grades.get(year, ()):
            if on <= day and decision_id not in self.void:
                found = grade
        return found

    def effect(self, year: int, day: date) -> int:
        """R-ASSESS-EFFECT: the most severe grade effect on `year` as of `day` (0 none … 3 incompetent)."""
        severity = 0
        for decision_id, m in self.measures.items():
            if decision_id in self.void or m.on > day:
                continue
            kind = m.variation or m.kind
            applying = [e for e in m.exemptions if e[0] <= day and e[1] != "rejected"]
            exemption = applying[-1] if applying else None
            if exemption is not None and exemption[1] == "reduced":
                kind = exemption[2] or kind
            last_year = (
                exemption[0].year if exemption and exemption[1] in ("exempt", "no-liability") else None
            )
            if kind == "party-probation":
                effects: tuple[tuple[int, int], ...] = ((0, 3), (1, 2)) + (
                    ((2, 2),) if m.period == 24 else ()
                )
            else:
                effects = EFFECTS.get(kind, ())
            for offset, value in effects:
                if m.on.year + offset == year and (last_year is None or year <= last_year):
                    severity = max(severity, value)
        return severity

    def grading_barred(self, year: int) -> bool:
        """R-INVESTIGATION: an investigation open on some day of `year` is still open."""
        return any(opened <= date(year, 12, 31) for opened in self.investigations.values())

    def clean(self, day: date) -> bool:
        """Surely not barred from promotion on `day` (no running or pending restriction, R-BLOCK)."""
        return self.active and not self.pending and day >= self.barred_until

    def bar(self, day: date, months: int) -> None:
        """Record a restriction of `months` from `day`, stacked on whatever may still run (conservative)."""
        self.barred_until = max(self.barred_until, add_months(max(day, self.barred_until), months) + MARGIN)

    def rank_eligible_on(self, target: str, day: date) -> date:
        """R-RANK-MIN as of `day`: the first day of promotion to `target` (the rules' algorithm)."""
        starts = [self.rank_since]
        equivalent = {
            "inspector-1": "bureau-deputy",
            "researcher-1": "county-chief",
            "researcher-3": "county-deputy",
            "principal-staff-1": "township-chief",
            "principal-staff-3": "township-deputy",
        }.get(target)
        if equivalent is not None and equivalent == self.level:
            starts.append(self.level_since)
        start = min(starts).replace(day=1)
        required = 12 * {"inspector-1": 4, "inspector-2": 4, "researcher-1": 3}.get(target, 2)
        candidate = add_months(start, required)
        year = start.year
        while date(year, 1, 1) < candidate:
            grade = self.grade_of(year, day)
            if grade == "excellent":
                required -= 6
            elif grade in ("basically-competent", "incompetent", "not-graded"):
                required += 12
            candidate = add_months(start, required)
            year += 1
        return candidate

    # --- changes of record --------------------------------------------------------------------
    def add_measure(self, decision_id: str, kind: str, day: date, period: int | None = None) -> None:
        """Remember a sanction or org measure for grade effects and bars."""
        self.measures[decision_id] = Measure(kind, day, period)
        months = period or BAR_MONTHS.get(kind, 0)
        if months:
            self.bar(day, months)
        if self.in_pool:
            self.in_pool = False
            self.emit("pool-exit", day, reason="受到处理，调出优秀干部库")

    def set_level(self, level: str | None, day: date, title: str | None = None) -> None:
        """Change the post level held (None: leaves the post); `post_level_since` restarts on a new level."""
        self.world.vacate(self.post_id, self.no, day)
        self.post_id = None
        if title is not None:
            self.post = title
        if level is not None and level != (self.level or self.last_level):
            self.level_since = day
            self.last_level = level
        self.level = level

    def set_rank(self, rank: str, day: date) -> None:
        """Change the rank; `rank_since` restarts."""
        if rank != self.rank:
            self.rank, self.rank_since = rank, day

    def end_employment(self, day: date) -> None:
        """Employment ends: the post falls vacant and nothing more is recorded for the cadre."""
        self.world.vacate(self.post_id, self.no, day)
        self.active = False

    def after(self, day: date, low: int, high: int) -> date:
        """A random working day about `low` to `high` days after `day`."""
        return workday(day + DAY * self.world.rng.randint(low, high))
