"""A cadre's status document (SPEC "Status"), composed from the rules over its facts."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from ledger.facts import Fact

CONTRACT_ORDER = (
    "cadre", "name", "as_of", "known_at", "unit", "post", "post_level", "rank", "staff_category", "party_member",
    "employment", "promotable", "salary_step_allowed", "party_rights_suspended", "restrictions",
    "expired_restrictions", "grade_effects", "flags", "rank_promotion_eligible_on", "open_investigations", "pool",
    "open_reports", "clarified_reports", "commendations", "handovers", "findings",
)


def compose_status(facts: Sequence[Fact], as_of: date, known_at: datetime, *,
                   posts: Mapping[str, dict[str, Any]], handovers: list[dict[str, Any]]) -> dict[str, Any]:
    """The full status of one cadre as of `as_of`, as known at `known_at` (facts already limited to it)."""
    from ledger.rules.career import compute_timeline
    from ledger.rules.record import compute_record, compute_reuse_candidates, without_voided
    from ledger.rules.reports import compute_reports
    from ledger.rules.status import compute_status

    core = compute_status(facts, as_of, posts=posts)
    reports = compute_reports(facts, as_of)
    record = compute_record(facts, as_of)
    merged: dict[str, Any] = {**core, **record, "as_of": as_of, "known_at": known_at, "handovers": handovers,
                              "open_reports": reports["open_reports"],
                              "clarified_reports": reports["clarified_reports"],
                              "overdue_reports": reports.get("overdue_reports", [])}
    merged["findings"] = sorted([*core["findings"], *reports["findings"]],
                                key=lambda f: (f["raised_on"], f["kind"], f["source"]))
    reviews = [f for f in without_voided(facts) if f["type"] == "reuse-review"]
    merged["reuse_candidates"] = compute_reuse_candidates(core["expired_restrictions"], reviews, as_of)
    merged["timeline"] = compute_timeline(facts, as_of, posts=posts)
    ordered = {key: merged[key] for key in CONTRACT_ORDER if key in merged}
    ordered.update({k: v for k, v in merged.items() if k not in ordered})
    return ordered
