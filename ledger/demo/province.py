"""The synthetic province, year by year: every cadre's and post's decisions of a year, in date order."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from operator import itemgetter
from typing import Any

from ledger import vocab
from ledger.demo import careers, org, stories
from ledger.demo.cadre import Sim
from ledger.demo.handovers import post_pass
from ledger.demo.org import Seat
from ledger.demo.plan import plan_year, recruit, retirement
from ledger.demo.world import World, workday

DEFAULT_END = date(2026, 11, 20)
# Post level -> (ranks held, youngest and oldest age at the start).
LEADER_PROFILE: dict[str, tuple[tuple[str, ...], float, float]] = {
    "province-deputy": (("inspector-1",), 55, 58),
    "bureau-chief": (("inspector-1", "inspector-2"), 50, 58),
    "bureau-deputy": (("inspector-2", "researcher-1"), 46, 57),
    "county-chief": (("researcher-1", "researcher-2", "researcher-2"), 42, 57),
    "county-deputy": (("researcher-2", "researcher-3", "researcher-3", "researcher-4"), 36, 57),
    "township-chief": (
        ("researcher-4", "principal-staff-1", "principal-staff-1", "principal-staff-2"),
        32,
        56,
    ),
    "township-deputy": (
        ("principal-staff-2", "principal-staff-3", "principal-staff-3", "principal-staff-4"),
        28,
        55,
    ),
}
# Rank of cadres without a leadership post: (rank, weight, youngest, oldest).
PLAIN_PROFILE: tuple[tuple[str, float, float, float], ...] = (
    ("staff-2", 0.08, 22, 27),
    ("staff-1", 0.17, 24, 32),
    ("principal-staff-4", 0.20, 27, 40),
    ("principal-staff-3", 0.18, 30, 48),
    ("principal-staff-2", 0.15, 33, 56),
    ("principal-staff-1", 0.12, 36, 58),
    ("researcher-4", 0.07, 40, 58),
    ("researcher-3", 0.03, 44, 58),
)


def _years(value: float) -> timedelta:
    return timedelta(days=int(value * 365.25))


def initial_cadre(world: World, number: int, seat: Seat, start: date) -> Sim:
    """A cadre in `seat` on the first day, with a plausible age, rank and time in rank and post."""
    rng = world.rng
    if seat.level:
        ranks, young, old = LEADER_PROFILE[seat.level]
        rank = world.pick(ranks)
    else:
        rank, _, young, old = rng.choices(PLAIN_PROFILE, [p[1] for p in PLAIN_PROFILE])[0]
    birth = start - _years(rng.uniform(young, old))
    service_start = min(birth + _years(rng.uniform(21.5, 25)), start - timedelta(days=30))
    rank_since = max(service_start, start - _years(rng.uniform(0.2, 4.5)))
    level_since = max(service_start, start - _years(rng.uniform(0.2, 6))) if seat.level else None
    party = rng.random() < (0.97 if seat.level else 0.78 if seat.staff == "civil-servant" else 0.6)
    sim = Sim(
        world,
        f"HB-{number:06d}",
        seat.area,
        start,
        name=world.person(),
        unit=seat.unit,
        post=seat.title or vocab.RANKS[rank],
        post_id=seat.post.post_id if seat.post else None,
        level=seat.level,
        level_since=level_since,
        rank=rank,
        rank_since=rank_since,
        staff=seat.staff,
        party=party,
        birth=birth,
        retire_on=retirement(birth),
        service_start=service_start,
    )
    if seat.post is not None:
        seat.post.holder = sim.no
    sim.at(start, careers.register)
    return sim


def generate(
    cadres: int = 2000, years: int = 10, seed: int = 1, end: date | None = None
) -> Iterator[dict[str, Any]]:
    """The decisions of a synthetic Hubei province, as import-ready JSON objects in an order that records
    cleanly into an empty ledger; the same arguments always give the same decisions."""
    if cadres < 1 or years < 1:
        raise ValueError("cadres and years must be at least 1")
    end = end or DEFAULT_END
    start = workday(date(end.year - years + 1, 1, 4))
    world = World(seed, start, end)
    world.override_budget = max(2, cadres * years // 1500)
    areas, seats = org.build(world, cadres)
    for area in areas:
        world.supervisors[area.code] = f"{(area.parent or area).name}委组织部"
    org.register_posts(world, start)
    sims = [initial_cadre(world, number, seat, start) for number, seat in enumerate(seats, 1)]
    stories.cast(world, sims, years)
    number = len(sims)
    for year in range(start.year, end.year + 1):
        for area in world.leavers:
            number += 1
            sims.append(recruit(world, number, area, year))
        world.leavers = []
        last = min(date(year, 12, 31), end)
        for sim in sims:
            plan_year(sim, year)
            sim.run_until(last)
        sims = [sim for sim in sims if sim.active]
        post_pass(world, year)
        batch, world.buffer = world.buffer, []
        batch.sort(key=itemgetter("on"))
        yield from batch
