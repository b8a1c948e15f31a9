"""R-PARTY probation: extension (R-PARTY-EXT), restoration (R-PARTY-RESTORE) and its missing finding."""
from __future__ import annotations

from datetime import date
from typing import NoReturn

from ledger.errors import RuleViolation
from ledger.facts import Fact
from ledger.rules.periods import add_months
from ledger.rules.sanctions import ENDING_EXEMPTIONS, PROBATION
from ledger.rules.view import CadreView

EXTENSION_MONTHS = 12
EXTENDABLE_MONTHS = 12


def is_probation(view: CadreView, fact: Fact | None, day: date) -> bool:
    """R-PARTY: whether `fact` is a valid sanction shown as a probation as of `day` (variation, `reduced`)."""
    return (fact is not None and fact["type"] == "sanction" and not view.history.is_void(fact["id"])
            and view.history.measure_kind(fact, day) == PROBATION)


def restoration_due_on(view: CadreView, probation: Fact, day: date) -> date:
    """R-PARTY-RESTORE: add_months(E, months incl. the extensions effective by `day`)."""
    months = view.history.period_of(probation, PROBATION) or 0
    extensions = [e for e in view.history.targeting("probation-extension", probation["id"]) if e["on"] <= day]
    return add_months(probation["on"], months + EXTENSION_MONTHS * len(extensions))


def probation_ended_by(view: CadreView, probation: Fact, day: date) -> tuple[Fact, str] | None:
    """Precise reading 4: the restoration, expulsion or ending exemption that ended it by `day`, if any."""
    ended = view.timeline.probation_end(probation, day)
    exemption = view.history.exemption_at(probation["id"], day)
    if (exemption is not None and exemption["outcome"] in ENDING_EXEMPTIONS
            and (ended is None or exemption["on"] < ended[0]["on"])):
        return exemption, "exemption"
    return ended


def running_probation(view: CadreView, day: date) -> str | None:
    """R-PARTY-PROB-NEW: the id of the probation in progress on `day` (until restoration, even late,
    or until an expulsion or an `exempt`/`no-liability` exemption ends it; Precise reading 4)."""
    for fact in view.history.of_type("sanction"):
        if fact["on"] > day or not is_probation(view, fact, day):
            continue
        if probation_ended_by(view, fact, day) is None:
            return fact["id"]
    return None


def check_probation_extension(view: CadreView, new: Fact) -> None:
    """R-PARTY-EXT: once, by 12 months, only a 12-month probation, effective before it ends."""
    day, target_id = new["on"], new.get("target", "")
    target = view.history.by_id.get(target_id)

    def refuse(why: str, blocking: str | None = target_id, ends_on: date | None = None) -> NoReturn:
        raise RuleViolation("R-PARTY-EXT", f"{view.cadre}: probation {target_id} may not be extended: {why}",
                            blocking=blocking, ends_on=ends_on)

    if not is_probation(view, target, day) or target is None:
        refuse("it is not a probation in force (void, varied or reduced)")
    if target["on"] > day:
        refuse(f"it takes effect only on {target['on'].isoformat()}")
    if view.history.period_of(target, PROBATION) != EXTENDABLE_MONTHS:
        refuse("only a 12-month probation may be extended")
    earlier = view.history.targeting("probation-extension", target_id)
    if earlier:
        refuse(f"it was already extended by {earlier[0]['id']}", blocking=earlier[0]["id"])
    ended = probation_ended_by(view, target, day)
    if ended is not None:
        refuse(f"it ended on {ended[0]['on'].isoformat()} by {ended[1]} {ended[0]['id']}",
               blocking=ended[0]["id"])
    ends_on = add_months(target["on"], EXTENDABLE_MONTHS)
    if day >= ends_on:
        refuse(f"an extension must take effect before the probation ends on {ends_on.isoformat()}")


def check_party_rights_restored(view: CadreView, new: Fact) -> None:
    """R-PARTY-RESTORE: not before add_months(E, months incl. extension); not twice; not after expulsion."""
    day, target_id = new["on"], new.get("target", "")
    target = view.history.by_id.get(target_id)
    if not is_probation(view, target, day) or target is None:
        raise RuleViolation("R-PARTY-RESTORE", f"{view.cadre}: {target_id} is not a probation in force "
                            "(void, varied or reduced); there are no rights to restore", blocking=target_id)
    earlier = view.history.targeting("party-rights-restored", target_id)
    if earlier:
        raise RuleViolation("R-PARTY-RESTORE", f"{view.cadre}: probation {target_id} was already restored by "
                            f"{earlier[0]['id']}", blocking=earlier[0]["id"])
    ended = view.timeline.probation_end(target, day)
    if ended is not None:
        raise RuleViolation("R-PARTY-RESTORE", f"{view.cadre}: probation {target_id} ended on "
                            f"{ended[0]['on'].isoformat()} by {ended[1]} {ended[0]['id']}",
                            blocking=ended[0]["id"])
    due = restoration_due_on(view, target, day)
    if day < due:
        raise RuleViolation("R-PARTY-RESTORE", f"{view.cadre}'s Party rights may not be restored until "
                            f"{due.isoformat()}: probation {target_id} is running",
                            blocking=target_id, ends_on=due)


def compute_missing_restorations(view: CadreView, as_of: date) -> list[tuple[Fact, date]]:
    """R-PARTY-RESTORE: (probation, due date) for each probation past its due date with no restoration."""
    missing = []
    for fact in view.history.of_type("sanction"):
        if fact["on"] > as_of or not is_probation(view, fact, as_of):
            continue
        due = restoration_due_on(view, fact, as_of)
        if due <= as_of and probation_ended_by(view, fact, as_of) is None:
            missing.append((fact, due))
    return missing
