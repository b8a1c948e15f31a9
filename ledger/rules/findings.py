"""RULES.md "Findings" of one cadre: override, restoration-missing, demotion-missing, retroactive-breach."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from ledger.errors import RuleViolation
from ledger.facts import Fact
from ledger.rules.assessment import compute_missing_demotions
from ledger.rules.checks import CHECKED_TYPES, check_decision
from ledger.rules.history import CORRECTIONS
from ledger.rules.probation import compute_missing_restorations
from ledger.rules.view import CadreView

RETROACTIVE_WHATEVER_THEIR_DATE = CORRECTIONS | {"variation"}


def _row(kind: str, source: str, cadre: str, raised_on: date, rule: str | None, detail: str) -> dict:
    return {"kind": kind, "source": source, "cadre": cadre, "raised_on": raised_on, "rule": rule,
            "detail": detail}


def _violation(facts: Sequence[Fact], fact: Fact, posts: Mapping[str, dict] | None) -> RuleViolation | None:
    try:
        check_decision(facts, fact, posts=posts)
    except RuleViolation as violation:
        return violation
    return None


def compute_overrides(view: CadreView) -> list[dict]:
    """Findings `override` (a rule overridden): each decision recorded with `override_reason`. The rule
    is its `overridden_rule` when the write side stored one, else found by re-checking it against the
    facts recorded before it."""
    rows = []
    for position, fact in enumerate(view.facts):
        if not fact.get("override_reason"):
            continue
        violation = _violation(view.facts[:position], fact, view.posts)
        rule = fact.get("overridden_rule") or (violation.rule if violation else None)
        detail = f"{fact['override_reason']}: {violation.detail}" if violation else fact["override_reason"]
        rows.append(_row("override", fact["id"], view.cadre, fact["on"], rule, detail))
    return rows


def retroactive_context(facts: Sequence[Fact], position: int) -> list[Fact] | None:
    """Precise reading 14: the facts recorded before `facts[position]` plus later-recorded ones effective
    strictly earlier (corrections and variations whatever their date); None when nothing was added."""
    fact = facts[position]
    later = [f for f in facts[position + 1:]
             if f["on"] < fact["on"] or f["type"] in RETROACTIVE_WHATEVER_THEIR_DATE]
    if not later:
        return None
    return list(facts[:position]) + later


def compute_retroactive_breaches(view: CadreView) -> list[dict]:
    """`retroactive-breach`: a recorded, non-overridden, checked decision that a later-recorded decision
    effective earlier makes break a rule; the earlier-recorded one is the source (Precise reading 14)."""
    rows = []
    for position, fact in enumerate(view.facts):
        if fact["type"] not in CHECKED_TYPES or fact.get("override_reason"):
            continue
        if view.history.is_void(fact["id"]):
            continue
        context = retroactive_context(view.facts, position)
        if context is None:
            continue
        violation = _violation(context, fact, view.posts)
        if violation is not None:
            rows.append(_row("retroactive-breach", fact["id"], view.cadre, fact["on"], violation.rule,
                             violation.detail))
    return rows


def compute_findings(view: CadreView, as_of: date) -> list[dict]:
    """RULES.md "Findings" (R-PARTY-RESTORE, R-ASSESS-DEMOTE, overrides, retroactive breaches of
    Precise reading 14) raised on or before `as_of`, in order of `raised_on`."""
    rows = compute_overrides(view) + compute_retroactive_breaches(view)
    for probation, due in compute_missing_restorations(view, as_of):
        rows.append(_row("restoration-missing", probation["id"], view.cadre, due, "R-PARTY-RESTORE",
                         f"probation {probation['id']} was due for restoration of Party rights on "
                         f"{due.isoformat()}"))
    for assessment, raised_on in compute_missing_demotions(view.history, as_of):
        rows.append(_row("demotion-missing", assessment["id"], view.cadre, raised_on, "R-ASSESS-DEMOTE",
                         f"graded incompetent for {assessment['year']}; no demotion within 12 months "
                         f"of {assessment['on'].isoformat()}"))
    rows = [row for row in rows if row["raised_on"] <= as_of]
    return sorted(rows, key=lambda row: (row["raised_on"], row["kind"], row["source"]))
