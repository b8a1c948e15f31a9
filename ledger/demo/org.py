"""The province's organisation: counties, cities, departments, townships, leading posts and seats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ledger import vocab
from ledger.demo import names
from ledger.demo.world import Area, Post, World

PD, BC, BD, CC, CD, TC, TD = vocab.POST_LEVEL_ORDER[1:]
AREA_TOP = {"county": CC, "city": BC, "province": PD}
FDS, EXEC = "full-time-deputy-secretary", "executive-deputy"
COUNTY_SIZE = 110  # cadres per county in the sample
LEADER_SHARE = 0.36


@dataclass
class Seat:
    """A place for one cadre at registration: unit, post title, level (None: no leadership post)."""

    area: Area
    unit: str
    title: str
    level: str | None
    post: Post | None = None
    staff: str = "civil-servant"


def gov_head(name: str) -> str:
    """The title of a county's, city's or prefecture's government head: 县长, 区长, 市长, 州长."""
    if name.endswith("林区"):
        return "林区区长"
    return {"县": "县长", "区": "区长", "市": "市长", "州": "州长"}.get(name[-1], "县长")


def unit_head(unit: str) -> str:
    """The title of a unit's head: 局长, 主任, 厅长, 镇长, 乡长, 办事处主任."""
    for suffix, title in (
        ("局", "局长"),
        ("委员会", "主任"),
        ("厅", "厅长"),
        ("镇", "镇长"),
        ("乡", "乡长"),
        ("街道", "办事处主任"),
        ("中心", "主任"),
    ):
        if unit.endswith(suffix):
            return title
    return "主任"


def town_party(unit: str) -> str:
    """党委书记, or 党工委书记 for a 街道."""
    return "党工委书记" if unit.endswith("街道") else "党委书记"


def _towns(world: World, area: str, count: int) -> tuple[str, ...]:
    stems = world.rng.sample(names.TOWN_STEMS, count)
    district = area.endswith("区")
    out = []
    for stem in stems:
        roll = world.rng.random()
        suffix = "街道" if district and roll < 0.35 else "乡" if roll > 0.85 else "镇"
        out.append(f"{area}{stem}{suffix}")
    return tuple(out)


def _seat(
    world: World,
    area: Area,
    unit: str,
    title: str,
    level: str,
    post_id: str | None = None,
    principal: bool = True,
    role: str = "chief",
) -> Seat:
    """A leadership seat; with `post_id`, its post is a registered leading post."""
    post = None
    if post_id is not None:
        post = world.posts[post_id] = Post(post_id, unit, title, level, principal, role, area.code)
    return Seat(area, unit, title, level, post)


def county_seats(world: World, area: Area) -> list[Seat]:
    """A county's leadership seats, most important first."""
    a, head, code = area.name, area.head, area.code
    seats = [
        _seat(world, area, a, f"{a}委书记", CC, f"{code}-PARTY-SECRETARY"),
        _seat(world, area, a, f"{a}{head}", CC, f"{code}-HEAD"),
        _seat(world, area, a, f"{a}委副书记", CD, f"{code}-DEPUTY-SECRETARY", False, FDS),
        _seat(world, area, a, f"{a}人民政府常务副{head}", CD, f"{code}-EXECUTIVE-DEPUTY", False, EXEC),
    ]
    for i in range(max(len(area.depts), len(area.towns))):
        if i < len(area.depts):
            unit, dept = area.depts[i]
            seats.append(_seat(world, area, unit, f"{unit}{unit_head(unit)}", TC, f"{code}-{dept}-HEAD"))
        if i < len(area.towns):
            town, t = area.towns[i], f"{code}-T{i + 1:02d}"
            seats.append(_seat(world, area, town, f"{town}{town_party(town)}", TC, f"{t}-PARTY-SECRETARY"))
            seats.append(_seat(world, area, town, f"{town}{unit_head(town)}", TC, f"{t}-HEAD"))
        if i < len(area.depts):
            unit = area.depts[i][0]
            seats.append(_seat(world, area, unit, f"{unit}副{unit_head(unit)}", TD))
        if i < len(area.towns):
            town = area.towns[i]
            seats.append(_seat(world, area, town, f"{town}副{unit_head(town)}", TD))
            seats.append(_seat(world, area, town, f"{town}党委副书记", TD))
        if i % 2 == 1:
            seats.append(_seat(world, area, a, f"{a}人民政府副{head}", CD))
    return seats + [
        _seat(world, area, a, f"{a}人大常委会主任", CC),
        _seat(world, area, a, f"{a}委常委、纪委书记、监委主任", CD),
        _seat(world, area, a, f"{a}委常委、组织部部长", CD),
        _seat(world, area, a, f"{a}政协主席", CC),
    ]


def city_seats(world: World, area: Area) -> list[Seat]:
    """A city's leadership seats, most important first."""
    a, head, code = area.name, area.head, area.code
    seats = [
        _seat(world, area, a, f"{a}委书记", BC, f"{code}-PARTY-SECRETARY"),
        _seat(world, area, a, f"{a}{head}", BC, f"{code}-HEAD"),
        _seat(world, area, a, f"{a}委副书记", BD, f"{code}-DEPUTY-SECRETARY", False, FDS),
        _seat(world, area, a, f"{a}人民政府常务副{head}", BD, f"{code}-EXECUTIVE-DEPUTY", False, EXEC),
    ]
    for unit, dept in area.depts:
        seats.append(_seat(world, area, unit, f"{unit}{unit_head(unit)}", CC, f"{code}-{dept}-HEAD"))
        seats.append(_seat(world, area, unit, f"{unit}副{unit_head(unit)}", CD))
    return seats + [
        _seat(world, area, a, f"{a}人民政府副{head}", BD),
        _seat(world, area, a, f"{a}人大常委会主任", BC),
        _seat(world, area, a, f"{a}政协主席", BC),
        _seat(world, area, a, f"{a}人民政府副秘书长", CD),
    ]


def province_seats(world: World, area: Area) -> list[Seat]:
    """Provincial departments' leadership seats, most important first."""
    seats = [_seat(world, area, "湖北省人民政府", "湖北省人民政府副省长", PD)]
    for unit, dept in area.depts:
        seats += [
            _seat(world, area, unit, f"{unit}{unit_head(unit)}", BC, f"HB-{dept}-HEAD"),
            _seat(world, area, unit, f"{unit}副{unit_head(unit)}", BD),
            _seat(world, area, unit, f"{unit}综合处处长", CC),
            _seat(world, area, unit, f"{unit}规划处副处长", CD),
        ]
    return seats


def plain_seats(world: World, area: Area, count: int) -> list[Seat]:
    """Seats without a leadership post (科员, 主任科员 …), some in public institutions and SOEs."""
    units = [u for u, _ in area.depts] + list(area.towns)
    if area.kind != "province":
        units += [f"{area.name}委办公室", f"{area.name}人民政府办公室"]
    seats = []
    for _ in range(count):
        roll = world.rng.random()
        if roll < 0.12:
            seats.append(
                Seat(
                    area,
                    f"{area.name}{world.pick(names.INSTITUTION_SUFFIXES)}",
                    "管理岗位职员",
                    None,
                    staff="public-institution",
                )
            )
        elif roll < 0.18:
            seats.append(
                Seat(area, f"{area.name}{world.pick(names.SOE_SUFFIXES)}", "职员", None, staff="soe")
            )
        else:
            seats.append(Seat(area, world.pick(units), "", None))
    return seats


def build(world: World, cadres: int) -> tuple[list[Area], list[Seat]]:
    """The areas and the seats of the initial `cadres` cadres (leaders first within each area)."""
    province = Area("湖北省", "HB", "province", None, "省长", depts=names.PROVINCE_DEPARTMENTS)
    province_n = round(cadres * 0.06) if cadres >= 1000 else 0
    city_n = round(cadres * 0.12) if cadres >= 300 else 0
    county_n = cadres - province_n - city_n
    all_counties = [(c, i, county) for c in names.CITIES for i, county in enumerate(c[2], 1)]
    world.rng.shuffle(all_counties)
    n_counties = max(1, min(len(all_counties), round(county_n / COUNTY_SIZE)))
    cities: dict[str, Area] = {}
    counties: list[Area] = []
    for (city, code, _), i, county in all_counties[:n_counties]:
        if city not in cities:
            depts = tuple((f"{city}{n}", c) for n, c in names.CITY_DEPARTMENTS)
            cities[city] = Area(city, code, "city", province, gov_head(city), depts=depts)
        depts = tuple((f"{county}{n}", c) for n, c in world.rng.sample(names.COUNTY_DEPARTMENTS, 10))
        counties.append(
            Area(
                county,
                f"{code}{i:02d}",
                "county",
                cities[city],
                gov_head(county),
                towns=_towns(world, county, 6),
                depts=depts,
            )
        )
    seats: list[Seat] = []
    for area, n in (
        _shares(counties, county_n) + _shares(list(cities.values()), city_n) + _shares([province], province_n)
    ):
        template = {"county": county_seats, "city": city_seats, "province": province_seats}[area.kind](
            world, area
        )
        leaders = template[
            : min(len(template), max(1, round(n * (LEADER_SHARE if area.kind == "county" else 0.45))))
        ]
        seats += leaders + plain_seats(world, area, n - len(leaders))
    filled = {seat.post.post_id for seat in seats if seat.post is not None}
    world.posts = {post_id: post for post_id, post in world.posts.items() if post_id in filled}
    return counties + list(cities.values()) + [province], seats


def _shares(areas: list[Area], total: int) -> list[tuple[Area, int]]:
    if not areas or total <= 0:
        return []
    base, extra = divmod(total, len(areas))
    return [(area, base + (1 if i < extra else 0)) for i, area in enumerate(areas) if base + (i < extra) > 0]


def register_posts(world: World, day: date) -> None:
    """The post-register decisions of every filled leading post."""
    for post in world.posts.values():
        world.emit_post(
            post.post_id,
            "post-register",
            day,
            unit=post.unit,
            title=post.title,
            post_level=post.level,
            principal=post.principal,
            role=post.role,
        )
