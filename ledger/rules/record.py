"""The rest of a cadre's record as of a date (pool, commendations, secondments, …) and R-REUSE candidates.

None of these facts creates a restriction. Facts voided by a `retraction` or `revocation` (R-EXEMPT:
void from the start, whatever the void's own date) are left out; a void of a void restores its target.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from ledger.facts import Fact

VOIDING_TYPES = frozenset({"retraction", "revocation"})
# Policy (R-REUSE): every recorded review outcome settles the review, `defer` (暂缓使用) included.
COVERING_REVIEW_OUTCOMES = frozenset({"cleared", "reuse", "defer"})
# Policy (R-REUSE): a review covers a restriction only when it is dated on or after the restriction's
# end: a review after the 12-month `leadership-post` bar does not settle the later `higher-post` bar.
REVIEW_MUST_FOLLOW_EXPIRY = True


def _order(fact: Fact) -> tuple[date, int]:
    return fact["on"], fact["seq"]


def voided_ids(facts: Iterable[Fact]) -> set[str]:
    """R-EXEMPT: ids voided from the start by a retraction or revocation that is not itself voided."""
    voiders: dict[str, list[str]] = {}
    for fact in facts:
        if fact["type"] in VOIDING_TYPES:
            voiders.setdefault(fact["target"], []).append(fact["id"])
    memo: dict[str, bool] = {}

    def voided(fact_id: str, seen: frozenset[str]) -> bool:
        if fact_id not in memo:
            memo[fact_id] = any(v not in seen and not voided(v, seen | {v}) for v in voiders.get(fact_id, ()))
        return memo[fact_id]

    return {target for target in voiders if voided(target, frozenset({target}))}


def without_voided(facts: Sequence[Fact]) -> list[Fact]:
    """R-EXEMPT: the facts minus those voided from the start (retraction, revocation)."""
    void = voided_ids(facts)
    return [f for f in facts if f["id"] not in void]


def _same_host(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _secondments(facts: Sequence[Fact]) -> list[dict[str, Any]]:
    """Secondments in order; a `secondment-end` closes the latest open one at its host (else nothing)."""
    rows: list[dict[str, Any]] = []
    for fact in facts:
        if fact["type"] == "secondment":
            rows.append({"source": fact["id"], "host": fact["host"], "programme": fact.get("programme"),
                         "started_on": fact["on"], "ended_on": None, "end_source": None, "active": True})
        elif fact["type"] == "secondment-end":
            open_rows = [r for r in rows if r["ended_on"] is None and _same_host(r["host"], fact["host"])]
            if open_rows:
                open_rows[-1].update(ended_on=fact["on"], end_source=fact["id"], active=False)
    return rows


def compute_record(facts: Sequence[Fact], as_of: date) -> dict[str, Any]:
    """The cadre's pool membership, commendations, performance entries, secondments, training, health
    checks, leave and re-use reviews effective on or before `as_of` (no restrictions)."""
    known = sorted((f for f in without_voided(facts) if f["on"] <= as_of), key=_order)

    def of(type_: str) -> list[Fact]:
        return [f for f in known if f["type"] == type_]

    pool_moves = [f for f in known if f["type"] in ("pool-entry", "pool-exit")]
    in_pool = bool(pool_moves) and pool_moves[-1]["type"] == "pool-entry"
    leave = [
        {"source": f["id"], "on": f["on"], "start": f["start"], "end": f["end"],
         "leave_type": f.get("leave_type"), "current": f["start"] <= as_of <= f["end"]}
        for f in of("leave")
    ]
    return {
        "pool": in_pool,
        "pool_since": pool_moves[-1]["on"] if in_pool else None,
        "commendations": [
            {"source": f["id"], "on": f["on"], "kind": f["kind"], "doc": f.get("doc"),
             "authority": f.get("authority"), "note": f.get("note")}
            for f in of("commendation")
        ],
        "performance_entries": [
            {"source": f["id"], "on": f["on"], "title": f["title"], "detail": f.get("detail"),
             "category": f.get("category"), "year": f.get("year"), "verified_by": f.get("verified_by")}
            for f in of("performance-entry")
        ],
        "secondments": _secondments(known),
        "training": [
            {"source": f["id"], "on": f["on"], "programme": f["programme"], "hours": f.get("hours")}
            for f in of("training")
        ],
        "health_checks": [
            {"source": f["id"], "on": f["on"], "note": f.get("note")} for f in of("health-check")
        ],
        "leave": leave,
        "on_leave": any(row["current"] for row in leave),
        "reuse_reviews": [
            {"source": f["id"], "on": f["on"], "targets": list(f["targets"]), "outcome": f["outcome"]}
            for f in of("reuse-review")
        ],
    }


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def compute_reuse_candidates(
    expired_restrictions: Sequence[dict[str, Any]], reviews: Sequence[Fact], as_of: date | None = None
) -> list[dict[str, Any]]:
    """R-REUSE: expired restrictions that no `reuse-review` naming their source has yet settled."""
    settled = [
        f for f in without_voided(reviews)
        if f["type"] == "reuse-review" and f.get("outcome") in COVERING_REVIEW_OUTCOMES
        and (as_of is None or f["on"] <= as_of)
    ]

    def covered(restriction: dict[str, Any]) -> bool:
        ended = _as_date(restriction.get("ends_on"))
        return any(
            restriction["source"] in review["targets"]
            and (not REVIEW_MUST_FOLLOW_EXPIRY or ended is None or review["on"] >= ended)
            for review in settled
        )

    return [dict(r) for r in expired_restrictions if not covered(r)]
