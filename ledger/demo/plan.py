"""A cadre's plan for one year, and new recruits who replace those who left."""

from __future__ import annotations

from datetime import date, timedelta

from ledger.demo import careers, names, reports, routine
from ledger.demo.cadre import Sim
from ledger.demo.world import DAY, Area, World, add_months, workday

LEADING = frozenset({"township-chief", "county-deputy", "county-chief", "bureau-deputy", "bureau-chief"})


def plan_year(sim: Sim, year: int) -> None:
    """Schedule the year's routine decisions and chances; each action checks the rules when it runs."""
    world, rng = sim.world, sim.world.rng
    first = max(date(year, 1, 1), sim.registered_on + DAY)
    last = date(year, 12, 31)

    def when(start: date, end: date) -> date:
        return workday(world.between(max(first, start), end))

    if year - 1 >= sim.first_year and first.year == year and rng.random() < 0.985:
        sim.at(when(date(year, 1, 8), date(year, 2, 28)), routine.assess, year - 1)
    if rng.random() < 0.9:
        sim.at(when(date(year, 3, 1), date(year, 11, 30)), routine.health_check)
    leader = sim.level is not None
    for _ in range((rng.random() < 0.8) + (rng.random() < 0.3)):
        programme = world.pick(names.TRAINING if leader else names.TRAINING[2:])
        sim.at(when(date(year, 3, 1), date(year, 12, 20)), routine.train, programme)
    for _ in range(rng.choice((0, 1, 1, 2))):
        sim.at(world.between(max(first, date(year, 1, 2)), date(year, 12, 10)), routine.leave)
    for _ in range(2 if leader else int(rng.random() < 0.5)):
        sim.at(when(date(year, 6, 1), date(year, 12, 20)), routine.performance)
    if leader and rng.random() < 0.9:
        sim.at(when(date(year, 11, 20), date(year, 12, 25)), routine.evaluate)
    window = (
        (date(year, 4, 10), date(year, 5, 10))
        if rng.random() < 0.5
        else (date(year, 10, 10), date(year, 11, 10))
    )
    sim.at(when(*window), careers.promote)
    sim.at(when(date(year, 3, 15), date(year, 12, 10)), careers.consider_appointment)
    if rng.random() < 0.04:
        sim.at(when(date(year, 3, 1), date(year, 6, 30)), careers.pool_entry)
    if rng.random() < 0.015:
        sim.at(when(date(year, 2, 20), date(year, 10, 31)), careers.second)
    special = 0.02 if year == 2020 else 0.003  # 2020: 抗击新冠肺炎疫情 commendations
    if rng.random() < special:
        kind = rng.choices(("honorary-title", "merit-2", "merit-1"), (0.6, 0.35, 0.05))[0]
        sim.at(when(date(year, 3, 1), date(year, 12, 20)), routine.commend, kind)
    if rng.random() < 0.025:
        sim.at(when(date(year, 1, 5), date(year, 12, 15)), reports.start_report)
    _plan_exits(sim, year, first, last)


def _plan_exits(sim: Sim, year: int, first: date, last: date) -> None:
    world, rng = sim.world, sim.world.rng
    if sim.retire_on.year == year:
        sim.at(sim.retire_on, careers.end_employment, "retirement")
        return
    if sim.level in LEADING and add_months(sim.retire_on, -24).year == year and rng.random() < 0.4:
        sim.at(workday(max(first, add_months(sim.retire_on, -24))), careers.remove)
    if sim.cast is not None:
        return
    age = (first - sim.birth).days / 365.25
    roll = rng.random()
    reason = (
        "death"
        if roll < 0.0006
        else (
            "resignation"
            if roll < 0.0006 + (0.004 if age < 40 else 0.0)
            else "transfer-out" if roll < 0.0106 else None
        )
    )
    if reason is not None:
        sim.at(workday(world.between(first, last)), careers.end_employment, reason)


def recruit(world: World, number: int, area: Area, year: int) -> Sim:
    """A new civil servant (新录用公务员) registered in summer, not graded in the first year (试用期)."""
    rng = world.rng
    day = workday(world.between(date(year, 7, 1), date(year, 9, 15)))
    birth = day - timedelta(days=int(rng.uniform(22, 29) * 365.25))
    units = [u for u, _ in area.depts] + list(area.towns) or [area.name]
    rank = "staff-1" if rng.random() < 0.3 else "staff-2"
    sim = Sim(
        world,
        f"HB-{number:06d}",
        area,
        day,
        name=world.person(),
        unit=world.pick(units),
        post=names_for_rank(rank),
        rank=rank,
        rank_since=day,
        staff="civil-servant",
        party=rng.random() < 0.6,
        birth=birth,
        retire_on=retirement(birth),
        service_start=day,
        first_year=year,
        first_graded=year + 1,
    )
    sim.at(day, careers.register)
    sim.at(sim.after(day, 30, 150), routine.train, names.INDUCTION_TRAINING)
    return sim


def retirement(birth: date) -> date:
    """The first day of the month after the 60th birthday."""
    return add_months(date(birth.year + 60, birth.month, 1), 1)


def names_for_rank(rank: str) -> str:
    """A non-leader's post title: the rank's Chinese name (一级主任科员 …)."""
    from ledger.vocab import RANKS

    return RANKS[rank]
