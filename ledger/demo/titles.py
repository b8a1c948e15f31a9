"""Post titles for appointments to posts that are not registered leading posts."""

from __future__ import annotations

from ledger import vocab
from ledger.demo.org import AREA_TOP, EXEC, FDS, unit_head
from ledger.demo.world import Area, World

LEVELS = vocab.POST_LEVEL_ORDER
PD, BC, BD, CC, CD, TC, TD = LEVELS[1:]


def area_for(area: Area, level: str) -> Area | None:
    """The area where a post of `level` is taken: the cadre's own, or the nearest one above that has it."""
    found: Area | None = area
    while found is not None and LEVELS.index(level) < LEVELS.index(AREA_TOP[found.kind]):
        found = found.parent
    return found


def generic_title(world: World, area: Area, level: str, role: str | None = None) -> tuple[str, str]:
    """(title, unit) of a plausible post of `level` in `area` (free text; never a registered post)."""
    a, head = area.name, area.head
    depts = [u for u, _ in area.depts] or [a]
    pick = world.pick
    if role == FDS:
        return f"{a}委副书记", a
    if role == EXEC:
        return f"{a}人民政府常务副{head}", a
    if area.kind == "county":
        if level == TD:
            unit = pick(list(area.towns) + depts)
            return f"{unit}副{unit_head(unit)}", unit
        choices = {
            TC: (
                f"{a}委办公室主任",
                f"{a}人民政府办公室主任",
                f"{a}委组织部常务副部长",
                f"{a}纪委监委副书记",
                f"{a}委政法委常务副书记",
            ),
            CD: (
                f"{a}人民政府副{head}",
                f"{a}委常委、宣传部部长",
                f"{a}人大常委会副主任",
                f"{a}政协副主席",
                f"{a}委常委、政法委书记",
            ),
            CC: (f"{a}人大常委会主任", f"{a}政协主席"),
        }[level]
        return pick(choices), a
    if level in (TD, TC):
        unit = pick(depts)
        office = pick(("办公室", "综合科", "规划科", "财务科", "政策法规科"))
        return f"{unit}{office}{'副科长' if level == TD else '科长'}", unit
    if area.kind == "city":
        if level == CD:
            unit = pick(depts)
            return pick((f"{unit}副{unit_head(unit)}", f"{a}人民政府副秘书长")), unit
        choices = {
            CC: (f"{a}委副秘书长", f"{a}人民政府办公室主任", f"{a}委政策研究室主任"),
            BD: (f"{a}人民政府副{head}", f"{a}委常委、组织部部长", f"{a}人大常委会副主任", f"{a}政协副主席"),
            BC: (f"{a}人大常委会主任", f"{a}政协主席"),
        }[level]
        return pick(choices), a
    unit = pick(depts)
    office = pick(("综合处", "规划处", "政策法规处", "财务处"))
    return {
        CD: (f"{unit}{office}副处长", unit),
        CC: (f"{unit}{office}处长", unit),
        BD: (f"{unit}副{unit_head(unit)}", unit),
        BC: ("湖北省委副秘书长", "中共湖北省委"),
        PD: ("湖北省人民政府副省长", "湖北省人民政府"),
    }[level]
