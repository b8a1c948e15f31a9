"""Rows of the read models for one subject, derived from its facts (a pure function of the facts).

A cadre's status depends on the query date only through the decisions that change things "from
their own date" (exemptions, restorations, ends of suspensions and investigations, expulsions,
determinations; retractions, revocations and variations apply from the start). Between two such dates
the restriction intervals, flags and findings are the same, so each is computed once per stretch and
stored with the stretch `[asof_from, asof_to)` in which it holds. A query as of D then reads the rows
whose stretch contains D — exactly what a replay of the cadre as of D would say.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from ledger.facts import Fact

FAR = date(2199, 12, 31)
BEGINNING = "0001-01-01"
END = "9999-12-31"
AS_OF_DEPENDENT = frozenset({
    "exemption", "party-rights-restored", "suspension-end", "investigation-close", "determination",
})
BLOCKS_PROMOTION = frozenset({"promotion", "leadership-post", "higher-post", "equal-or-higher-post", "employment"})

Rows = dict[str, list[tuple[Any, ...]]]


def stretches(facts: Sequence[Fact], cut_all: bool = False) -> list[tuple[str, str, date]]:
    """(asof_from, asof_to, the date to evaluate at) for each stretch of constant status."""
    cuts = sorted({f["on"] for f in facts if cut_all or f["type"] in AS_OF_DEPENDENT
                   or (f["type"] == "sanction" and f.get("kind") == "party-expulsion")})
    out, start = [], BEGINNING
    for cut in cuts:
        out.append((start, cut.isoformat(), cut - timedelta(days=1)))
        start = cut.isoformat()
    out.append((start, END, FAR))
    return out


def cadre_rows(facts: Sequence[Fact], posts: dict[str, dict[str, Any]]) -> Rows:
    """The read-model rows of one cadre."""
    from ledger.rules.record import without_voided
    from ledger.rules.reports import compute_reports
    from ledger.rules.status import compute_status

    cadre, first = facts[0]["cadre"], facts[0]
    rows: Rows = {name: [] for name in ("proj_cadres", "proj_restrictions", "proj_flags", "proj_pool",
                                         "proj_findings", "proj_reports", "proj_cases")}
    rows["proj_cadres"].append((cadre, first.get("name"), first.get("unit"),
                                first.get("staff_category"),
                                first["on"].isoformat(), len(facts)))
    for asof_from, asof_to, at in stretches(facts):
        status = compute_status(facts, at, posts=posts)
        for r in [*status["restrictions"], *status["expired_restrictions"]]:
            rows["proj_restrictions"].append((
                cadre, asof_from, asof_to, r["source"], r["track"], r["kind"], _iso(r["effective_on"]),
                r["end_kind"], _iso(r["ends_on"]), ",".join(r["bars"]), int(bool(BLOCKS_PROMOTION & set(r["bars"]))),
                r["rule"]))
        for flag in status["flags"]:
            rows["proj_flags"].append((cadre, asof_from, asof_to, flag["trigger"], _basis(flag["basis"]),
                                       _iso(flag["raised_on"]), flag["determination"]))
        for f in status["findings"]:
            rows["proj_findings"].append(_finding(cadre, asof_from, asof_to, f))
    for f in compute_reports(facts, FAR)["findings"]:
        rows["proj_findings"].append(_finding(cadre, BEGINNING, END, f))
    live = without_voided(facts)
    entered: date | None = None
    for f in sorted((f for f in live if f["type"] in ("pool-entry", "pool-exit")), key=lambda f: (f["on"], f["seq"])):
        if f["type"] == "pool-entry" and entered is None:
            entered = f["on"]
        elif f["type"] == "pool-exit" and entered is not None:
            rows["proj_pool"].append((cadre, entered.isoformat(), f["on"].isoformat()))
            entered = None
    if entered is not None:
        rows["proj_pool"].append((cadre, entered.isoformat(), None))
    for f in facts:
        if f["type"] == "report":
            rows["proj_reports"].append((cadre, f["report"], f["on"].isoformat()))
    rows["proj_cases"] = case_rows(facts, f"cadre/{cadre}")
    return rows


def post_rows(facts: Sequence[Fact]) -> Rows:
    """The read-model rows of one leading post: its handovers and their late findings."""
    from ledger.rules.handover import compute_handover_findings, compute_handovers

    post = facts[0]["post"]
    rows: Rows = {"proj_handovers": [], "proj_findings": [], "proj_cases": case_rows(facts, f"post/{post}")}
    cuts = [f for f in facts if f["type"] in ("handover-extension", "handover-complete")]
    for asof_from, asof_to, at in stretches(cuts, cut_all=True):
        for h in compute_handovers(facts, at):
            rows["proj_handovers"].append((
                post, asof_from, asof_to, h.get("unit"), h.get("title"), h.get("source"), _iso(h["announced_on"]),
                h.get("outgoing"), h.get("incoming"), _iso(h["due_on"]), _iso(h.get("completed_on"))))
    for f in compute_handover_findings(facts, FAR):
        rows["proj_findings"].append(_finding(f"post/{post}", BEGINNING, END, f))
    for f in facts:
        if f.get("override_reason"):
            rows["proj_findings"].append(_finding(f"post/{post}", BEGINNING, END, {
                "kind": "override", "source": f["id"], "post": post, "raised_on": f["on"],
                "rule": f.get("overridden_rule"), "detail": f"{f['type']} recorded despite {f.get('overridden_rule')}: "
                                                            f"{f['override_reason']}"}))
    return rows


def unit_rows(facts: Sequence[Fact]) -> Rows:
    """The read-model rows of one unit: its cases."""
    return {"proj_cases": case_rows(facts, f"unit/{facts[0]['unit']}")}


def case_rows(facts: Sequence[Fact], stream: str) -> list[tuple[Any, ...]]:
    """One row per decision that names a case (一案双查)."""
    return [(f["case"], stream, f["id"], f["type"], f["on"].isoformat(), f.get("kind"))
            for f in facts if f.get("case")]


def _finding(subject: str, asof_from: str, asof_to: str, f: dict[str, Any]) -> tuple[Any, ...]:
    return (subject if "/" in subject else f"cadre/{subject}", asof_from, asof_to, f["kind"], f["source"],
            f.get("cadre"), f.get("post"), _iso(f["raised_on"]), f.get("rule"), f.get("detail"))


def _basis(basis: Any) -> str:
    return ",".join(str(b) for b in basis) if isinstance(basis, (list, tuple)) else str(basis)


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat() if isinstance(value, date) else str(value)
