"""Leadership changes of principal posts and their handovers (交接): items, extensions, signoffs, completion."""

from __future__ import annotations

from datetime import date

from ledger.demo import names
from ledger.demo.world import DAY, World
from ledger.rules.calendar import working_days_after

BASE_DAYS = 10  # R-HANDOVER-DUE
VARIANTS = ("on-time", "extension", "late", "open", "no-supervisor")
WEIGHTS = (0.79, 0.07, 0.08, 0.04, 0.02)
OVERRIDE_SIGNOFF = "监交人因公出差无法到场，经上级组织部门同意先行办结，事后补签"


def post_pass(world: World, year: int) -> None:
    """Announce this year's leadership changes (and interim ones for posts left vacant) and run handovers."""
    for post_id in world.new_vacancies:
        post = world.posts[post_id]
        if (
            post.holder is None
            and post.principal
            and not post.announced
            and post.vacant_since is not None
            and post.vacant_since.year == year
            and world.chance(0.4)
        ):
            post.announced = True
            world.changes.append((post.vacant_since, len(world.changes), post_id, post.outgoing or "", None))
    world.new_vacancies = []
    for day, _, post_id, outgoing, incoming in sorted(world.changes, key=lambda c: (c[0], c[1])):
        while (post_id, day) in world.change_days:
            day += DAY
        world.change_days.add((post_id, day))
        world.post_at(day, _change, post_id, outgoing, incoming)
    world.changes = []
    world.run_posts(min(date(year, 12, 31), world.end))


def _emit(world: World, day: date, post_id: str, kind: str, fields: dict[str, object]) -> None:
    world.emit_post(post_id, kind, day, **fields)


def _change(world: World, day: date, post_id: str, outgoing: str, incoming: str | None) -> None:
    rng = world.rng
    body = world.supervisors.get(world.posts[post_id].area, "湖北省委组织部")
    supervisors = [f"{body} {world.person()}" for _ in range(1 if incoming else 2)]
    world.emit_post(
        post_id, "leadership-change", day, outgoing=outgoing, incoming=incoming, supervisors=supervisors
    )
    variant = world.variant("handover", VARIANTS, WEIGHTS)
    if variant == "no-supervisor" and (incoming is None or not world.may_override()):
        variant = "on-time"
    announced = day.isoformat()
    due = working_days_after(day, BASE_DAYS).on
    if variant == "extension":
        extended_on = world.between(day + DAY * 4, due)
        extra = rng.randint(3, 10)
        _at(
            world,
            extended_on,
            post_id,
            "handover-extension",
            announced_on=announced,
            working_days=extra,
            approved_by=body,
        )
        new_due = working_days_after(day, BASE_DAYS + extra).on
        signed = world.between(max(extended_on, due), new_due - DAY)
        done: date | None = world.between(signed, new_due)
    elif variant == "late":
        signed = due + DAY * rng.randint(1, 8)
        done = signed + DAY * rng.randint(0, 10)
    elif variant == "open":
        signed, done = world.between(day + DAY * 2, due), None
    else:
        signed = world.between(day + DAY * 3, due - DAY)
        done = world.between(signed, due)
    for category in sorted(rng.sample(list(names.HANDOVER_DESCRIPTIONS), rng.randint(2, 5))):
        fields: dict[str, object] = {
            "announced_on": announced,
            "category": category,
            "description": world.pick(names.HANDOVER_DESCRIPTIONS[category]),
        }
        if category in names.AMOUNT_CATEGORIES:
            fields["amount"] = f"{rng.randint(5, 50000) * 10000}.00"
        _at(world, min(signed, day + DAY * rng.randint(0, 4)), post_id, "handover-item", **fields)
    _at(
        world,
        signed,
        post_id,
        "handover-signoff",
        announced_on=announced,
        party="outgoing",
        signer=world.names.get(outgoing, outgoing),
    )
    if variant == "open":
        return
    if incoming is not None:
        _at(
            world,
            signed,
            post_id,
            "handover-signoff",
            announced_on=announced,
            party="incoming",
            signer=world.names.get(incoming, incoming),
        )
    if variant != "no-supervisor":
        for supervisor in supervisors:
            _at(
                world,
                signed,
                post_id,
                "handover-signoff",
                announced_on=announced,
                party="supervisor",
                signer=supervisor.split(" ", 1)[1],
            )
    assert done is not None
    extra_fields = {"override_reason": OVERRIDE_SIGNOFF} if variant == "no-supervisor" else {}
    _at(world, done, post_id, "handover-complete", announced_on=announced, **extra_fields)


def _at(world: World, day: date, post_id: str, kind: str, **fields: object) -> None:
    world.post_at(day, _emit, post_id, kind, fields)
