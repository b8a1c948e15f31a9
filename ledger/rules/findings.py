"""RULES.md "Findings" of one cadre: override, restoration-missing, demotion-missing, retroactive-breach."""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from datetime import date
from itertools import accumulate, compress
from operator import itemgetter, methodcaller, or_

from ledger.errors import RuleViolation
from ledger.facts import Fact
from ledger.rules.assessment import compute_missing_demotions
from ledger.rules.checks import CHECKED_TYPES, check_view
from ledger.rules.history import CORRECTIONS, History
from ledger.rules.probation import compute_missing_restorations
from ledger.rules.view import CadreView

RETROACTIVE_WHATEVER_THEIR_DATE = CORRECTIONS | {"variation"}
_ON, _TYPE, _OVERRIDE_REASON = itemgetter("on"), itemgetter("type"), methodcaller("get", "override_reason")


def _row(kind: str, source: str, cadre: str, raised_on: date, rule: str | None, detail: str) -> dict:
    return {"kind": kind, "source": source, "cadre": cadre, "raised_on": raised_on, "rule": rule,
            "detail": detail}


def _violation(view: CadreView, fact: Fact) -> RuleViolation | None:
    try:
        check_view(view, fact)
    except RuleViolation as violation:
        return violation
    return None


def compute_overrides(view: CadreView) -> list[dict]:
    """Findings `override` (a rule overridden): each decision recorded with `override_reason`. The rule
    is its `overridden_rule` when the write side stored one, else found by re-checking it against the
    facts recorded before it."""
    rows = []
    for position in compress(range(len(view.facts)), map(_OVERRIDE_REASON, view.facts)):
        fact = view.facts[position]
        checked = fact["type"] in CHECKED_TYPES
        violation = _violation(CadreView(view.facts[:position], view.posts), fact) if checked else None
        rule = fact.get("overridden_rule") or (violation.rule if violation else None)
        detail = f"{fact['override_reason']}: {violation.detail}" if violation else fact["override_reason"]
        rows.append(_row("override", fact["id"], view.cadre, fact["on"], rule, detail))
    return rows


def _retroactive_additions(facts: Sequence[Fact]) -> Iterator[tuple[int, list[Fact]]]:
    """Precise reading 14: for each checked, non-overridden decision, the later-recorded facts that are
    effective strictly earlier, with every later correction and variation, whatever their date; only
    decisions to which something is added.

    Only a correction, a variation or a fact effective before some earlier-recorded one (a candidate)
    can be added; the earliest date and any correction among the candidates after each position tell
    at once whether anything is added there."""
    ons, types = list(map(_ON, facts)), list(map(_TYPE, facts))
    retro = list(map(RETROACTIVE_WHATEVER_THEIR_DATE.__contains__, types))
    candidates, latest = [], date.min
    for index, on in enumerate(ons):
        if on < latest or retro[index]:
            candidates.append(index)
        latest = max(latest, on)
    if not candidates:
        return
    earliest_after = list(accumulate((ons[j] for j in reversed(candidates)), min))[::-1]
    retro_after = list(accumulate((retro[j] for j in reversed(candidates)), or_))[::-1]
    for position in compress(range(len(facts)), map(CHECKED_TYPES.__contains__, types)):
        first = bisect_right(candidates, position)
        if first == len(candidates) or facts[position].get("override_reason"):
            continue
        on = ons[position]
        if retro_after[first] or earliest_after[first] < on:
            yield position, [facts[j] for j in candidates[first:] if retro[j] or ons[j] < on]


def compute_retroactive_breaches(view: CadreView) -> list[dict]:
    """`retroactive-breach`: a recorded, non-overridden, checked decision that a later-recorded decision
    effective earlier makes break a rule; the earlier-recorded one is the source (Precise reading 14).

    Each decision is re-checked against the facts recorded before it plus the additions of
    `_retroactive_additions`: the history of the facts before it, grown from one decision to the next,
    extended by the additions."""
    rows = []
    before, count = History(), 0
    for position, later in _retroactive_additions(view.facts):
        fact = view.facts[position]
        if view.history.is_void(fact["id"]):
            continue
        before, count = before.extended(view.facts[count:position]), position
        violation = _violation(CadreView.of(before.extended(later), view.posts), fact)
        if violation is not None:
            rows.append(_row("retroactive-breach", fact["id"], view.cadre, fact["on"], violation.rule,
                             violation.detail))
    return rows


def _recorded_findings(view: CadreView) -> list[dict]:
    """The findings that depend on the facts only, not on the query date (computed once per view)."""
    if "recorded" not in view.memo:
        view.memo["recorded"] = compute_overrides(view) + compute_retroactive_breaches(view)
    return [dict(row) for row in view.memo["recorded"]]  # type: ignore[attr-defined]


def compute_findings(view: CadreView, as_of: date) -> list[dict]:
    """RULES.md "Findings" (R-PARTY-RESTORE, R-ASSESS-DEMOTE, overrides, retroactive breaches of
    Precise reading 14) raised on or before `as_of`, in order of `raised_on`."""
    rows = _recorded_findings(view)
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
