"""Discipline stories: sanctions of every track, org measures, investigations, exemptions, corrections.

Each story is cast on a few per cent of the cadres (at least once at any size), starts on a random day
and schedules its later steps; every step re-checks what the rules require at that time.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from ledger.demo import routine
from ledger.demo.cadre import Sim, rank_up
from ledger.demo.careers import appoint
from ledger.demo.measures import (
    close_investigation, end_suspension, exempt, new_case, open_investigation, org, review_later, sanction, vary,
    void,
)
from ledger.demo.world import DAY, World, add_months

GROUNDS = {"reduced": "pilot-inexperience", "no-liability": "collective-dissent",
           "exempt": "unintentional-development-error", "rejected": "other"}
OVERRIDE_PROMOTION = "防汛抢险中表现突出，经市委组织部批准在诫勉影响期内晋升职级"


def _then(sim: Sim, day: date, kind: str, authority_kind: str, earlier: str | None) -> None:
    decision_id = sanction(sim, day, kind, authority_kind)
    if decision_id:
        review_later(sim, [i for i in (earlier, decision_id) if i])


def _exempt(sim: Sim, day: date, target: str, outcome: str, replacement: str | None = None) -> None:
    exempt(sim, day, target, outcome, GROUNDS[outcome], replacement)


def _close(sim: Sim, day: date, case: str, sanctions: tuple[tuple[str, str], ...], unit_kind: str | None,
           suspension: str | None = None) -> None:
    if suspension:
        end_suspension(sim, day, suspension)
    close_investigation(sim, day, case, "sanctioned")
    if unit_kind and sim.level is not None:
        sim.world.emit_unit(sim.unit, day, unit_kind, case)
    ids = []
    for kind, authority_kind in sanctions:
        if kind == "post-dismissal" and (sim.level is None or sim.level == "township-deputy"):
            kind = "major-demerit"
        decision_id = sanction(sim, day, kind, authority_kind, case)
        if decision_id:
            ids.append(decision_id)
    if ids and sim.active:
        review_later(sim, ids)


def _investigate(sim: Sim, day: date, low: int, high: int, sanctions: tuple[tuple[str, str], ...],
                 unit_kind: str | None, suspend: bool = False) -> None:
    case = new_case(sim, day)
    open_investigation(sim, day, case)
    suspension = org(sim, day, "suspension", case=case) if suspend else None
    sim.at(sim.after(day, low, high), _close, case, sanctions, unit_kind, suspension)


def sc_warning(sim: Sim, day: date) -> None:
    """State warning (supervisory), re-use review afterwards."""
    _then(sim, day, "warning", "supervisory", None)


def sc_state_stack(sim: Sim, day: date) -> None:
    """A warning, then a demerit while it runs (R-STATE-STACK)."""
    first = sanction(sim, day, "warning", "appointing-body")
    sim.at(sim.after(day, 50, 150), _then, "demerit", "supervisory", first)


def sc_demerit_reduced(sim: Sim, day: date) -> None:
    """A demerit reduced to a warning by 容错免责."""
    decision_id = sanction(sim, day, "demerit", "appointing-body")
    if decision_id:
        sim.at(sim.after(day, 30, 120), _exempt, decision_id, "reduced", "warning")


def sc_heavy_state(sim: Sim, day: date) -> None:
    """Investigation, then a major demerit or grade demotion."""
    kind = sim.world.variant("heavy-state", ("major-demerit", "grade-demotion"))
    _investigate(sim, day, 60, 180, ((kind, "supervisory"),), None)


def sc_post_dismissal(sim: Sim, day: date) -> None:
    """A leader investigated (often suspended), dismissed from the post; Party warning; 一案双查."""
    sanctions = (("post-dismissal", "supervisory"),) + ((("party-serious-warning", "party"),) if sim.party else ())
    unit_kind = sim.world.variant("unit-kind", ("circular", "rectification-order"))
    _investigate(sim, day, 90, 200, sanctions, unit_kind, suspend=sim.world.chance(0.6))


def sc_expulsion(sim: Sim, day: date) -> None:
    """开除党籍 with 开除公职, or with a post dismissal or grade demotion."""
    state = sim.world.variant("expulsion", ("discharge", "post-dismissal", "grade-demotion"), (0.6, 0.25, 0.15))
    _investigate(sim, day, 120, 240, (("party-expulsion", "party"), (state, "supervisory")), "reorganisation")


def sc_party_warning(sim: Sim, day: date) -> None:
    """Party warning."""
    _then(sim, day, "party-warning", "party", None)


def sc_party_stack(sim: Sim, day: date) -> None:
    """A Party warning, then a serious warning while it runs (R-PARTY-STACK)."""
    first = sanction(sim, day, "party-warning", "party")
    sim.at(sim.after(day, 90, 300), _then, "party-serious-warning", "party", first)


def sc_party_post_removal(sim: Sim, day: date) -> None:
    """撤销党内职务: the year is graded incompetent, then the rank is lowered."""
    _then(sim, day, "party-post-removal", "party", None)


def sc_probation(sim: Sim, day: date) -> None:
    """留党察看: 12 months extended once, 24 months, 12 months, or 12 months never restored (a finding)."""
    variant = sim.world.variant("probation", ("12-extended", "24", "12", "12-missing"), (0.3, 0.3, 0.3, 0.1))
    months = 24 if variant == "24" else 12
    target = sanction(sim, day, "party-probation", "party", period_months=months)
    if target is None:
        return
    ends = add_months(day, months)
    if variant == "12-extended":
        sim.at(sim.world.between(day + DAY * 240, ends - DAY * 20), _extend, target)
        ends = add_months(day, 24)
    if variant != "12-missing":
        sim.at(sim.after(ends, 0, 45), _restore, target)


def _extend(sim: Sim, day: date, target: str) -> None:
    if sim.probation and sim.probation["id"] == target and not sim.probation["extended"]:
        sim.emit("probation-extension", day, target=target)
        sim.probation["extended"] = True


def _restore(sim: Sim, day: date, target: str) -> None:
    if sim.probation and sim.probation["id"] == target:
        sim.emit("party-rights-restored", day, target=target)
        sim.pending.discard(target)
        sim.probation = None
        sim.bar(day, 24)


def sc_party_combined(sim: Sim, day: date) -> None:
    """Several violations in one Party decision: the heaviest raised one level (R-PARTY-COMBINED)."""
    violations, kind = sim.world.variant("party-combined", (
        (["party-warning", "party-warning"], "party-serious-warning"),
        (["party-warning", "party-serious-warning"], "party-post-removal")))
    decision_id = sanction(sim, day, kind, "party", violations=violations)
    if decision_id:
        review_later(sim, [decision_id])


def sc_state_combined(sim: Sim, day: date) -> None:
    """Several violations in one state decision: the heaviest executed (R-STATE-COMBINED)."""
    violations, kind, months = sim.world.variant("state-combined", (
        (["demerit", "demerit"], "demerit", 18), (["warning", "demerit"], "demerit", None),
        (["warning", "warning"], "warning", 9)))
    extra: dict[str, object] = {"violations": violations}
    if months:
        extra["period_months"] = months
    decision_id = sanction(sim, day, kind, "supervisory", **extra)
    if decision_id:
        review_later(sim, [decision_id])


def sc_admonition(sim: Sim, day: date) -> None:
    """诫勉; rarely a rank promotion recorded during it with an override (an audit finding)."""
    org(sim, day, "admonition")
    if sim.world.variant("admonition", ("plain", "override"), (0.85, 0.15)) == "override" and sim.world.may_override():
        sim.at(sim.after(day, 20, 60), _override_promotion)


def _override_promotion(sim: Sim, day: date) -> None:
    target = rank_up(sim.rank)
    if target is not None:
        sim.emit("rank-promotion", day, rank=target, override_reason=OVERRIDE_PROMOTION)
        sim.set_rank(target, day)


def sc_suspension(sim: Sim, day: date) -> None:
    """停职检查 during an investigation that ends without sanction."""
    case = new_case(sim, day)
    open_investigation(sim, day, case)
    suspension = org(sim, day, "suspension", case=case)
    sim.at(sim.after(day, 30, 120), _clear, case, suspension)


def _clear(sim: Sim, day: date, case: str, suspension: str | None) -> None:
    if suspension:
        end_suspension(sim, day, suspension)
    close_investigation(sim, day, case, "no-sanction")


def sc_investigation_cleared(sim: Sim, day: date) -> None:
    """An investigation over the new year: the year is not graded, then graded after closing (补定等次)."""
    opened = sim.world.between(max(day, date(day.year, 9, 1)), date(day.year, 12, 10))
    case = new_case(sim, opened)
    sim.at(opened, lambda s, d: open_investigation(s, d, case))
    sim.at(sim.world.between(date(day.year + 1, 3, 10), date(day.year + 1, 5, 20)), _clear, case, None)


def sc_transferred(sim: Sim, day: date) -> None:
    """An investigation transferred to the judiciary, and 开除."""
    case = new_case(sim, day)
    open_investigation(sim, day, case)
    sim.at(sim.after(day, 90, 200), _transfer, case)


def _transfer(sim: Sim, day: date, case: str) -> None:
    close_investigation(sim, day, case, "transferred")
    sanction(sim, day, "discharge", "supervisory", case)


def sc_post_adjustment(sim: Sim, day: date) -> None:
    """调整职务, with a lateral move for a leader."""
    org(sim, day, "post-adjustment")
    if sim.level is not None:
        appoint(sim, day, sim.level, "lateral")


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
    kind, authority_kind = sim.world.variant("revocation", (("demerit", "appointing-body"), ("party-warning", "party"),
                                                           ("admonition", "org")))
    target = org(sim, day, kind) if authority_kind == "org" else sanction(sim, day, kind, authority_kind)
    if target:
        sim.at(sim.after(day, 40, 150), void, target, "revocation", "申诉成立，撤销原处理决定")


def _exemption_story(measure: str, outcome: str) -> Callable[[Sim, date], None]:
    def story(sim: Sim, day: date) -> None:
        target = org(sim, day, measure) if measure in ("post-adjustment", "admonition") else \
            sanction(sim, day, measure, "supervisory")
        if target:
            sim.at(sim.after(day, 20, 90), _exempt, target, outcome)
    story.__doc__ = f"{measure} followed by a {outcome} exemption."
    return story


def sc_variation(sim: Sim, day: date) -> None:
    """A measure changed to a lighter kind on 复审复核."""
    kind, lighter, authority_kind = sim.world.variant("variation", (
        ("party-serious-warning", "party-warning", "party"), ("demerit", "warning", "supervisory"),
        ("admonition", "circular", "org")))
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


# (name, rate per 1000 cadre-years, who, days the story needs, story)
SCENARIOS: tuple[tuple[str, float, str, int, Callable[[Sim, date], None]], ...] = (
    ("warning", 1.0, "any", 300, sc_warning), ("state-stack", 0.3, "any", 500, sc_state_stack),
    ("demerit-reduced", 0.3, "any", 200, sc_demerit_reduced), ("heavy-state", 0.4, "any", 300, sc_heavy_state),
    ("post-dismissal", 0.25, "leader+", 300, sc_post_dismissal), ("expulsion", 0.15, "party", 300, sc_expulsion),
    ("party-warning", 1.2, "party", 400, sc_party_warning), ("party-stack", 0.3, "party", 600, sc_party_stack),
    ("party-post-removal", 0.2, "party", 500, sc_party_post_removal), ("probation", 0.4, "party", 800, sc_probation),
    ("party-combined", 0.2, "party", 200, sc_party_combined), ("state-combined", 0.2, "any", 200, sc_state_combined),
    ("admonition", 1.5, "any", 100, sc_admonition), ("suspension", 0.4, "any", 150, sc_suspension),
    ("investigation-cleared", 0.5, "any", 600, sc_investigation_cleared),
    ("transferred", 0.1, "any", 250, sc_transferred), ("post-adjustment", 0.4, "leader", 100, sc_post_adjustment),
    ("accountability-removal", 0.3, "leader", 50, sc_accountability_removal),
    ("org-demotion", 0.2, "leader+", 50, sc_org_demotion), ("leave-for-fault", 0.15, "leader", 50, sc_leave_for_fault),
    ("circular", 0.4, "any", 50, sc_circular), ("revocation", 0.2, "party", 200, sc_revocation),
    ("no-liability", 0.15, "leader", 120, _exemption_story("post-adjustment", "no-liability")),
    ("exempt", 0.15, "any", 120, _exemption_story("warning", "exempt")),
    ("exemption-rejected", 0.15, "any", 120, _exemption_story("admonition", "rejected")),
    ("variation", 0.3, "party", 200, sc_variation), ("retraction", 0.6, "any", 60, sc_retraction),
    ("weak", 0.6, "any", 800, sc_weak), ("incompetent", 0.2, "any", 800, sc_incompetent),
    ("low-vote", 1.5, "leader", 90, sc_low_vote),
)


def _fits(sim: Sim, who: str) -> bool:
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
