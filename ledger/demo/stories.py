"""Organisational measures, corrections and assessment stories, and the casting of every story.

Each story is given to a few per cent of the cadres, and to at least one at any size, so that a small
province still shows every decision type.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from ledger.demo import careers, routine
from ledger.demo import discipline as d
from ledger.demo.cadre import Sim, rank_up
from ledger.demo.measures import new_case, org, sanction, vary, void
from ledger.demo.world import World

OVERRIDE_PROMOTION = "防汛抢险中表现突出，经市委组织部批准在诫勉影响期内晋升职级"


def sc_admonition(sim: Sim, day: date) -> None:
    """诫勉; rarely a rank promotion recorded during it with an override (an audit finding)."""
    org(sim, day, "admonition")
    if (
        sim.world.variant("admonition", ("plain", "override"), (0.85, 0.15)) == "override"
        and sim.world.may_override()
    ):
        sim.at(sim.after(day, 20, 60), _override_promotion)


def _override_promotion(sim: Sim, day: date) -> None:
    """A rank promotion while the admonition still bars it, recorded with an override (a finding)."""
    target = rank_up(sim.rank)
    if target is not None:
        sim.emit("rank-promotion", day, rank=target, override_reason=OVERRIDE_PROMOTION)
        sim.set_rank(target, day)


def sc_post_adjustment(sim: Sim, day: date) -> None:
    """调整职务, with a lateral move for a leader."""
    org(sim, day, "post-adjustment")
    if sim.level is not None:
        careers.appoint(sim, day, sim.level, "lateral")


def sc_accountability_removal(sim: Sim, day: date) -> None:
    """免职(问责) of a leader with 一案双查 of the unit."""
    case = new_case(sim, day)
    if sim.level is not None:
        sim.world.emit_unit(sim.unit, day, "rectification-order", case)
    org(sim, day, "accountability-removal", case=case)


def sc_org_demotion(sim: Sim, day: date) -> None:
    """降职 of a leader."""
    org(sim, day, "demotion")


def sc_leave_for_fault(sim: Sim, day: date) -> None:
    """责令辞职 or 引咎辞职."""
    org(sim, day, sim.world.variant("leave-for-fault", ("resignation-for-fault", "ordered-resignation")))


def sc_circular(sim: Sim, day: date) -> None:
    """通报."""
    org(sim, day, "circular")


def sc_revocation(sim: Sim, day: date) -> None:
    """A measure overturned on appeal."""
    kind, authority_kind = sim.world.variant(
        "revocation", (("demerit", "appointing-body"), ("party-warning", "party"), ("admonition", "org"))
    )
    target = org(sim, day, kind) if authority_kind == "org" else sanction(sim, day, kind, authority_kind)
    if target:
        sim.at(sim.after(day, 40, 150), void, target, "revocation", "申诉成立，撤销原处理决定")


def _exemption_story(measure: str, outcome: str) -> Callable[[Sim, date], None]:
    """A story: `measure`, then an exemption with `outcome`."""

    def story(sim: Sim, day: date) -> None:
        target = (
            org(sim, day, measure)
            if measure in ("post-adjustment", "admonition")
            else sanction(sim, day, measure, "supervisory")
        )
        if target:
            sim.at(sim.after(day, 20, 90), d.grant_exemption, target, outcome)

    story.__doc__ = f"{measure} followed by a {outcome} exemption."
    return story


def sc_variation(sim: Sim, day: date) -> None:
    """A measure changed to a lighter kind on 复审复核."""
    kind, lighter, authority_kind = sim.world.variant(
        "variation",
        (
            ("party-serious-warning", "party-warning", "party"),
            ("demerit", "warning", "supervisory"),
            ("admonition", "circular", "org"),
        ),
    )
    target = org(sim, day, kind) if authority_kind == "org" else sanction(sim, day, kind, authority_kind)
    if target:
        sim.at(sim.after(day, 30, 150), vary, target, lighter)


def sc_retraction(sim: Sim, day: date) -> None:
    """A decision recorded in error, then retracted."""
    variant = sim.world.variant("retraction", ("training", "commendation", "warning"), (0.5, 0.3, 0.2))
    if variant == "training":
        target: str | None = sim.emit("training", day, programme="湖北干部在线学习（网络学院）", hours=50)
        reason = "重复录入"
    elif variant == "commendation":
        target = sim.emit("commendation", day, kind="citation")
        reason = "录入对象错误"
    else:
        target = sanction(sim, day, "warning", "appointing-body")
        reason = "误录，处分对象应为他人"
    if target:
        sim.at(sim.after(day, 5, 40), void, target, "retraction", reason)


def sc_weak(sim: Sim, day: date) -> None:
    """Two basically-competent years in a row (R-TRIGGER two-basic-consecutive)."""
    sim.forced[day.year] = sim.forced[day.year + 1] = "basically-competent"


def sc_incompetent(sim: Sim, day: date) -> None:
    """An incompetent year, or two in a row (辞退)."""
    sim.forced[day.year] = "incompetent"
    if sim.world.variant("incompetent", ("one", "two"), (0.7, 0.3)) == "two":
        sim.forced[day.year + 1] = "incompetent"


def sc_low_vote(sim: Sim, day: date) -> None:
    """A democratic evaluation below two thirds, determined (or not yet)."""
    sim.low_vote = sim.world.variant("low-vote", ("dismissed", "confirmed", "none"), (0.5, 0.25, 0.25))
    routine.evaluate(sim, day)


def sc_removal(sim: Sim, day: date) -> None:
    """免职 for health or reassignment."""
    careers.remove(
        sim, day, sim.world.variant("removal", ("因健康原因，本人申请免去领导职务", "工作需要，免去现职"))
    )


def sc_pool(sim: Sim, day: date) -> None:
    """Enters the 敢做善成 pool on a recommendation, leaves it later."""
    careers.pool_entry(sim, day, on_merit=True)


# (name, rate per 1000 cadre-years, who, days the story needs, story)
SCENARIOS: tuple[tuple[str, float, str, int, Callable[[Sim, date], None]], ...] = (
    ("warning", 1.0, "any", 300, d.sc_warning),
    ("state-stack", 0.3, "any", 500, d.sc_state_stack),
    ("demerit-reduced", 0.3, "any", 200, d.sc_demerit_reduced),
    ("heavy-state", 0.4, "any", 300, d.sc_heavy_state),
    ("post-dismissal", 0.25, "leader+", 300, d.sc_post_dismissal),
    ("expulsion", 0.15, "party", 300, d.sc_expulsion),
    ("party-warning", 1.2, "party", 400, d.sc_party_warning),
    ("party-stack", 0.3, "party", 600, d.sc_party_stack),
    ("party-post-removal", 0.2, "party", 500, d.sc_party_post_removal),
    ("probation", 0.4, "party", 800, d.sc_probation),
    ("party-combined", 0.2, "party", 200, d.sc_party_combined),
    ("state-combined", 0.2, "any", 200, d.sc_state_combined),
    ("admonition", 1.5, "any", 100, sc_admonition),
    ("suspension", 0.4, "any", 150, d.sc_suspension),
    ("investigation-cleared", 0.5, "any", 600, d.sc_investigation_cleared),
    ("transferred", 0.1, "any", 250, d.sc_transferred),
    ("post-adjustment", 0.4, "leader", 100, sc_post_adjustment),
    ("accountability-removal", 0.3, "leader", 50, sc_accountability_removal),
    ("org-demotion", 0.2, "leader+", 50, sc_org_demotion),
    ("leave-for-fault", 0.15, "leader", 50, sc_leave_for_fault),
    ("circular", 0.4, "any", 50, sc_circular),
    ("revocation", 0.2, "party", 200, sc_revocation),
    ("no-liability", 0.15, "leader", 120, _exemption_story("post-adjustment", "no-liability")),
    ("exempt", 0.15, "any", 120, _exemption_story("warning", "exempt")),
    ("exemption-rejected", 0.15, "any", 120, _exemption_story("admonition", "rejected")),
    ("variation", 0.3, "party", 200, sc_variation),
    ("retraction", 0.6, "any", 60, sc_retraction),
    ("weak", 0.6, "any", 800, sc_weak),
    ("incompetent", 0.2, "any", 800, sc_incompetent),
    ("low-vote", 1.5, "leader", 90, sc_low_vote),
    ("removal", 0.3, "leader", 30, sc_removal),
    ("pool", 0.5, "any", 1200, sc_pool),
)


def _fits(sim: Sim, who: str) -> bool:
    """Whether the cadre suits a story for `who` (anyone, Party members, leaders, leaders above 副科)."""
    if who == "party":
        return sim.party
    if who == "leader":
        return sim.level is not None
    if who == "leader+":
        return sim.level not in (None, "township-deputy")
    return True


def cast(world: World, sims: list[Sim], years: int) -> None:
    """Give each story to a few cadres (at least one), each cadre at most one story."""
    if not sims:
        return
    cadre_years = len(sims) * years
    earliest = world.start + timedelta(days=40)
    for name, rate, who, span, story in SCENARIOS:
        latest = max(earliest, world.end - timedelta(days=span))
        for _ in range(max(1, round(rate * cadre_years / 1000))):
            day = world.between(earliest, latest)
            for _ in range(80):
                sim = world.pick(sims)
                if sim.cast is None and _fits(sim, who) and sim.retire_on > day + timedelta(days=span + 60):
                    sim.cast = name
                    sim.at(day, story)
                    break
