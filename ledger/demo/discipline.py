"""Discipline stories: sanctions of every track, stacked and combined ones, and investigations.

Each story is cast on a few cadres (`stories.cast`), starts on a random day and schedules its later
steps; every step re-checks what the rules require at that time.
"""

from __future__ import annotations

from datetime import date

from ledger.demo.cadre import Sim
from ledger.demo.measures import (
    close_investigation,
    end_suspension,
    exempt,
    new_case,
    open_investigation,
    org,
    review_later,
    sanction,
)
from ledger.demo.world import DAY, add_months

GROUNDS = {
    "reduced": "pilot-inexperience",
    "no-liability": "collective-dissent",
    "exempt": "unintentional-development-error",
    "rejected": "other",
}


def _then(sim: Sim, day: date, kind: str, authority_kind: str, earlier: str | None) -> None:
    """A (further) sanction, and a re-use review once everything has run out."""
    decision_id = sanction(sim, day, kind, authority_kind)
    if decision_id:
        review_later(sim, [i for i in (earlier, decision_id) if i])


def grant_exemption(sim: Sim, day: date, target: str, outcome: str, replacement: str | None = None) -> None:
    """容错免责 on an earlier measure, on the usual ground for its outcome."""
    exempt(sim, day, target, outcome, GROUNDS[outcome], replacement)


def _close(
    sim: Sim,
    day: date,
    case: str,
    sanctions: tuple[tuple[str, str], ...],
    unit_kind: str | None,
    suspension: str | None = None,
) -> None:
    """结案 with sanctions of the case (and 一案双查 of a leader's unit)."""
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


def _investigate(
    sim: Sim,
    day: date,
    low: int,
    high: int,
    sanctions: tuple[tuple[str, str], ...],
    unit_kind: str | None,
    suspend: bool = False,
) -> None:
    """立案审查 (with 停职检查 when asked), closed with sanctions `low` to `high` days later."""
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
        sim.at(sim.after(day, 30, 120), grant_exemption, decision_id, "reduced", "warning")


def sc_heavy_state(sim: Sim, day: date) -> None:
    """Investigation, then a major demerit or grade demotion."""
    kind = sim.world.variant("heavy-state", ("major-demerit", "grade-demotion"))
    _investigate(sim, day, 60, 180, ((kind, "supervisory"),), None)


def sc_post_dismissal(sim: Sim, day: date) -> None:
    """A leader investigated (often suspended), dismissed from the post; Party warning; 一案双查."""
    sanctions = (("post-dismissal", "supervisory"),) + (
        (("party-serious-warning", "party"),) if sim.party else ()
    )
    unit_kind = sim.world.variant("unit-kind", ("circular", "rectification-order"))
    _investigate(sim, day, 90, 200, sanctions, unit_kind, suspend=sim.world.chance(0.6))


def sc_expulsion(sim: Sim, day: date) -> None:
    """开除党籍 with 开除公职, or with a post dismissal or grade demotion."""
    state = sim.world.variant(
        "expulsion", ("discharge", "post-dismissal", "grade-demotion"), (0.6, 0.25, 0.15)
    )
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
    """The probation extended once, before it ends (R-PARTY-EXT)."""
    if sim.probation and sim.probation["id"] == target and not sim.probation["extended"]:
        sim.emit("probation-extension", day, target=target)
        sim.probation["extended"] = True


def _restore(sim: Sim, day: date, target: str) -> None:
    """Party rights restored, not before the probation ends (R-PARTY-RESTORE)."""
    if sim.probation and sim.probation["id"] == target:
        sim.emit("party-rights-restored", day, target=target)
        sim.pending.discard(target)
        sim.probation = None
        sim.bar(day, 24)


def sc_party_combined(sim: Sim, day: date) -> None:
    """Several violations in one Party decision: the heaviest raised one level (R-PARTY-COMBINED)."""
    violations, kind = sim.world.variant(
        "party-combined",
        (
            (["party-warning", "party-warning"], "party-serious-warning"),
            (["party-warning", "party-serious-warning"], "party-post-removal"),
        ),
    )
    decision_id = sanction(sim, day, kind, "party", violations=violations)
    if decision_id:
        review_later(sim, [decision_id])


def sc_state_combined(sim: Sim, day: date) -> None:
    """Several violations in one state decision: the heaviest executed (R-STATE-COMBINED)."""
    violations, kind, months = sim.world.variant(
        "state-combined",
        (
            (["demerit", "demerit"], "demerit", 18),
            (["warning", "demerit"], "demerit", None),
            (["warning", "warning"], "warning", 9),
        ),
    )
    extra: dict[str, object] = {"violations": violations}
    if months:
        extra["period_months"] = months
    decision_id = sanction(sim, day, kind, "supervisory", None, **extra)
    if decision_id:
        review_later(sim, [decision_id])


def sc_suspension(sim: Sim, day: date) -> None:
    """停职检查 during an investigation that ends without sanction."""
    case = new_case(sim, day)
    open_investigation(sim, day, case)
    suspension = org(sim, day, "suspension", case=case)
    sim.at(sim.after(day, 30, 120), _clear, case, suspension)


def _clear(sim: Sim, day: date, case: str, suspension: str | None) -> None:
    """The investigation closes without sanction (and the suspension ends)."""
    if suspension:
        end_suspension(sim, day, suspension)
    close_investigation(sim, day, case, "no-sanction")


def sc_investigation_cleared(sim: Sim, day: date) -> None:
    """An investigation over the new year: the year is not graded, then graded after closing (补定等次)."""
    opened = sim.world.between(max(day, date(day.year, 9, 1)), date(day.year, 12, 10))
    case = new_case(sim, opened)
    sim.at(opened, open_investigation, case)
    sim.at(sim.world.between(date(day.year + 1, 3, 10), date(day.year + 1, 5, 20)), _clear, case, None)


def sc_transferred(sim: Sim, day: date) -> None:
    """An investigation transferred to the judiciary, and 开除."""
    case = new_case(sim, day)
    open_investigation(sim, day, case)
    sim.at(sim.after(day, 90, 200), _transfer, case)


def _transfer(sim: Sim, day: date, case: str) -> None:
    """移送 and 开除."""
    close_investigation(sim, day, case, "transferred")
    sanction(sim, day, "discharge", "supervisory", case)
