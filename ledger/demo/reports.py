"""Reports about cadres (信访举报) and what was done with them: every disposition, replies on time or late."""

from __future__ import annotations

from datetime import date

from ledger.demo import names
from ledger.demo.cadre import Sim
from ledger.rules.calendar import working_days_after

VARIANTS = (
    "reply",
    "late-reply",
    "no-reply",
    "reply-closed",
    "closed",
    "deferred",
    "no-inquiry",
    "talk",
    "verification",
)
WEIGHTS = (0.25, 0.06, 0.03, 0.08, 0.15, 0.10, 0.12, 0.12, 0.09)
REPLY_DAYS = 15  # R-REPORT-DUE: working days after the letter is received


def start_report(sim: Sim, day: date) -> None:
    """A report arrives; its disposition follows within weeks."""
    world = sim.world
    number = f"XF-{day.year}-{world.next(f'report:{day.year}'):05d}"
    sim.emit(
        "report",
        day,
        report=number,
        channel=world.pick(names.REPORT_CHANNELS),
        summary=world.pick(names.REPORT_SUMMARIES),
    )
    variant = world.variant("report", VARIANTS, WEIGHTS)
    sim.at(sim.after(day, 7, 30), _dispose, number, variant)


def _dispose(sim: Sim, day: date, number: str, variant: str) -> None:
    world = sim.world
    if variant in ("reply", "late-reply", "no-reply", "reply-closed"):
        received = sim.after(day, 1, 4)
        sim.emit(
            "report-disposition",
            day,
            report=number,
            disposition="letter-inquiry",
            received_on=received.isoformat(),
        )
        due = working_days_after(received, REPLY_DAYS).on
        if variant in ("reply", "reply-closed"):
            replied = world.between(sim.after(received, 3, 3), due)
        elif variant == "late-reply":
            replied = sim.after(due, 2, 25)
        else:
            return
        sim.at(replied, _reply, number, variant == "reply-closed")
    elif variant == "closed":
        _close(
            sim,
            day,
            number,
            clarify=world.chance(0.6) or world.counters.get("variant:report", 0) <= len(VARIANTS),
        )
    elif variant in ("deferred", "no-inquiry"):
        sim.emit(
            "report-disposition",
            day,
            report=number,
            disposition=variant,
            reason=world.pick(("no-substance", "not-verifiable")),
        )
    elif variant == "talk":
        sim.emit("report-disposition", day, report=number, disposition="talk", note="谈话提醒")
    else:
        sim.emit("report-disposition", day, report=number, disposition="preliminary-verification")
        if world.chance(0.5):
            sim.at(sim.after(day, 40, 90), _close, number, False)


def _reply(sim: Sim, day: date, number: str, then_close: bool) -> None:
    sim.emit("inquiry-reply", day, report=number)
    if then_close:
        sim.at(sim.after(day, 15, 40), _close, number, True)


def _close(sim: Sim, day: date, number: str, clarify: bool) -> None:
    reason = sim.world.pick(("untrue", "hearsay", "speculation"))
    sim.emit("report-disposition", day, report=number, disposition="closed", reason=reason)
    if clarify:
        sim.at(sim.after(day, 10, 30), _clarify, number)


def _clarify(sim: Sim, day: date, number: str) -> None:
    sim.emit(
        "clarification",
        day,
        report=number,
        scope=sim.world.pick(("所在单位干部大会", "党委（党组）会议", "县委常委会", "本人及相关知情人")),
    )
