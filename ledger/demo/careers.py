"""Careers: registration, rank promotions, appointments, removals, retirement and the yearly plan."""

from __future__ import annotations

from datetime import date

from ledger.demo import names, routine
from ledger.demo.cadre import LEVELS, RANKS, Sim, level_up, rank_up
from ledger.demo.measures import doc
from ledger.demo.org import CC, EXEC, FDS, TC, TD
from ledger.demo.titles import area_for, generic_title
from ledger.demo.world import add_months

# Highest rank reached by promotion, by area and whether the cadre leads.
RANK_CAP = {
    ("county", True): "researcher-1",
    ("county", False): "researcher-3",
    ("city", True): "inspector-2",
    ("city", False): "researcher-2",
    ("province", True): "inspector-1",
    ("province", False): "researcher-1",
}
UP_CHANCE = {
    TD: 0.10,
    TC: 0.07,
    "county-deputy": 0.06,
    CC: 0.05,
    "bureau-deputy": 0.05,
    "bureau-chief": 0.03,
    "province-deputy": 0.0,
}
FIRST_POST_CHANCE = {
    "principal-staff-1": 0.12,
    "principal-staff-2": 0.09,
    "principal-staff-3": 0.05,
    "researcher-4": 0.08,
    "researcher-3": 0.05,
}
DIRECT_ROLES = frozenset({FDS, EXEC})


def register(sim: Sim, day: date) -> None:
    """The cadre enters the ledger."""
    fields: dict[str, object] = {
        "name": sim.name,
        "unit": sim.unit,
        "post": sim.post,
        "post_level": sim.level,
    }
    if sim.level:
        fields["post_level_since"] = sim.level_since.isoformat()
    fields.update(
        rank=sim.rank, rank_since=sim.rank_since.isoformat(), party_member=sim.party, staff_category=sim.staff
    )
    if sim.service_start:
        fields["service_start"] = sim.service_start.isoformat()
    sim.emit("register", day, **fields)


def age(sim: Sim, day: date) -> float:
    """Age in years on `day`."""
    return (day - sim.birth).days / 365.25


def promote(sim: Sim, day: date) -> None:
    """职级晋升 to the next rank, once the minimum years are served and nothing bars it (R-RANK)."""
    target = rank_up(sim.rank)
    cap = RANK_CAP[(sim.area.kind, sim.level is not None)]
    if target is None or RANKS.index(target) < RANKS.index(cap) or not sim.clean(day):
        return
    if day < sim.rank_eligible_on(target, day) or not sim.world.chance(0.45):
        return
    sim.emit("rank-promotion", day, rank=target, doc=doc(sim, day, "组干"))
    sim.set_rank(target, day)


def _min_served(sim: Sim, held: str, target: str, path: str, day: date) -> bool:
    """R-POST-MIN: 2 years as deputy before chief, 3 as chief before the next deputy (from county-deputy)."""
    if LEVELS.index(target) > LEVELS.index("county-deputy") or path in ("exceptional", "direct"):
        return True
    return day >= add_months(sim.level_since, 24 if held.endswith("-deputy") else 36)


def consider_appointment(sim: Sim, day: date) -> None:
    """A possible move: a first leadership post, a step up (regular, seniority-waiver, direct, exceptional)
    or a lateral exchange (R-POST)."""
    world = sim.world
    if not sim.clean(day) or sim.seconded or (sim.level is None and sim.last_level is not None):
        return
    held = sim.level
    if held is None:
        if sim.staff == "civil-servant" and world.chance(FIRST_POST_CHANCE.get(sim.rank, 0.01)):
            appoint(sim, day, TD, "regular")
        return
    up = level_up(held)
    target_area = area_for(sim.area, up) if up else None
    if up is not None and target_area is not None:
        vacancy = world.find_vacancy(target_area.code, up, day, sim.no)
        if world.chance(0.5 if vacancy else UP_CHANCE.get(held, 0.0)):
            path = None
            if _min_served(sim, held, up, "regular", day):
                same_tier = held.endswith("-deputy") and up == held.replace("-deputy", "-chief")
                path = "seniority-waiver" if same_tier and world.chance(0.2) else "regular"
            elif held in (CC, TC) and world.chance(0.3):
                path = "direct"
            elif _exceptional_allowed(sim, day) and world.chance(0.2):
                path = "exceptional"
            if path is not None:
                appoint(sim, day, up, path)
                return
    if (day - sim.level_since).days > 3 * 365 and world.chance(0.06):
        appoint(sim, day, held, "lateral")


def _exceptional_allowed(sim: Sim, day: date) -> bool:
    """R-POST-SKIP for 破格: an excellent record, no exceptional step last time, 12 months since the last."""
    last = sim.last_upward
    if last is not None and (last[1] == "exceptional" or day < add_months(last[0], 12)):
        return False
    return sim.grade_of(day.year - 1, day) == "excellent"


def appoint(sim: Sim, day: date, level: str, path: str) -> None:
    """职务任免: to a vacant registered post when one fits, else to a plausible unregistered one."""
    world = sim.world
    held = sim.level or sim.last_level
    area = area_for(sim.area, level) or sim.area
    post = world.find_vacancy(area.code, level, day, sim.no, DIRECT_ROLES if path == "direct" else None)
    role = None
    if post is not None:
        title, unit = post.title, post.unit
        role = post.role if path == "direct" else None
    else:
        role = world.pick((FDS, EXEC)) if path == "direct" else None
        title, unit = generic_title(world, area, level, role)
    fields: dict[str, object] = {"post": title, "post_level": level, "path": path}
    if post is not None:
        fields["post_id"] = post.post_id
    if role:
        fields["role"] = role
    upward = held is None or LEVELS.index(level) < LEVELS.index(held)
    if upward:
        fields["approval_ref"] = (
            f"{area.name}委干任〔{day.year}〕{world.next(f'approval:{area.code}:{day.year}')}号"
        )
        if sim.perf_ids and world.chance(0.6):
            fields["basis"] = sim.perf_ids[-2:]
    sim.emit("appointment", day, **fields)
    sim.set_level(level, day, title)
    if post is not None:
        world.take(post, sim.no, day)
        sim.post_id = post.post_id
    sim.unit, sim.area = unit, area
    if upward:
        sim.last_upward = (day, path)
        if sim.in_pool and world.chance(0.4):
            sim.in_pool = False
            sim.emit("pool-exit", day, reason="已提拔使用")
    if world.chance(0.5):
        sim.at(sim.after(day, 20, 120), routine.train, names.APPOINTMENT_TRAINING)


def remove(sim: Sim, day: date, reason: str = "任职年龄到限，免去领导职务") -> None:
    """免职 (by default at the age limit for leading posts); the cadre keeps its rank."""
    if sim.level is not None:
        sim.emit("removal", day, reason=reason)
        sim.set_level(None, day)


def end_employment(sim: Sim, day: date, reason: str) -> None:
    """Retirement, resignation, death or transfer out of the province."""
    sim.emit("employment-end", day, reason=reason)
    sim.end_employment(day)
    sim.world.leavers.append(sim.area)


def pool_entry(sim: Sim, day: date, on_merit: bool = False) -> None:
    """Enters the 敢做善成 pool (after an excellent year, or on a recommendation); leaves it a year or
    three later."""
    if sim.in_pool or not sim.clean(day):
        return
    if not on_merit and sim.grade_of(day.year - 1, day) != "excellent":
        return
    reason = "重大任务中敢做善成，经组织推荐" if on_merit else "敢做善成，实绩突出"
    decision_id = sim.emit("pool-entry", day, reason=reason)
    sim.in_pool = True
    sim.pool_token = decision_id
    sim.at(sim.after(day, 365, 1100), pool_exit, decision_id)


def pool_exit(sim: Sim, day: date, token: str) -> None:
    """Leaves the pool at the end of its term (unless it already left)."""
    if sim.in_pool and sim.pool_token == token:
        sim.in_pool = False
        sim.emit("pool-exit", day, reason="届满动态调整")


def second(sim: Sim, day: date) -> None:
    """挂职 / 跟班学习 for six months to two years."""
    if sim.seconded:
        return
    host, programme = sim.world.pick(names.SECONDMENT_HOSTS)
    sim.emit("secondment", day, host=host, programme=programme)
    sim.seconded = True
    sim.at(sim.after(day, 180, 720), _second_end, host, programme)


def _second_end(sim: Sim, day: date, host: str, programme: str) -> None:
    sim.emit("secondment-end", day, host=host, programme=programme)
    sim.seconded = False
