"""The report an organisation department reads first (the demo's output and `dashboard`), as plain data."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from projections import tallies
from projections.reader import Reader

HORIZON_DAYS = 90


def first_report(reader: Reader, as_of: date, integrity: dict[str, Any], unit: str | None = None,
                 at: datetime | None = None) -> dict[str, Any]:
    """Restrictions ending within 90 days, triggers awaiting determination, overdue handovers and inquiry
    replies, audit findings (the latest first), and the integrity result — all as of `as_of`, for the whole
    ledger or one unit, as known at `at`; for the pictures, the restrictions ending within 90 days one by
    one, those ending in each of the next 12 months and the cadres not promotable per unit."""
    tables = reader.tables(as_of, at)
    cadres = reader.list_cadres(as_of, at, unit=unit, tables=tables)
    members = {row["cadre"] for row in cadres}
    expiring = reader.list_cadres(as_of, at, expiring_within=HORIZON_DAYS, unit=unit, tables=tables)
    flagged = reader.list_cadres(as_of, at, flagged=True, unit=unit, tables=tables)
    flags = []
    for row in flagged:
        for flag in reader.status(row["cadre"], as_of, at)["flags"]:
            if flag["determination"] is None and flag["raised_on"] <= as_of:
                flags.append({"cadre": row["cadre"], "name": row["name"], **flag})
    handovers = reader.handovers(as_of, at, unit=unit, tables=tables)
    posts = {h["post"] for h in handovers}
    findings = [f for f in reader.findings(as_of, at, tables=tables)
                if unit is None or f["cadre"] in members or f["post"] in posts]
    findings.sort(key=lambda f: (f["raised_on"], f["kind"], f["source"]), reverse=True)
    by_kind: dict[str, int] = {}
    for f in findings:
        by_kind[f["kind"]] = by_kind.get(f["kind"], 0) + 1
    return {
        "as_of": as_of,
        "unit": unit,
        "cadres": len(cadres),
        "not_promotable": sum(1 for row in cadres if not row["promotable"]),
        "expiring": expiring,
        "flags_awaiting_determination": flags,
        "overdue_handovers": [h for h in handovers if h["status"] == "overdue"],
        "overdue_inquiries": [r for r in reader.reports(as_of, at, "overdue") if unit is None or r["cadre"] in members],
        "findings_by_kind": by_kind,
        "findings": findings,
        "integrity": integrity,
        "expiring_restrictions": tallies.ending_within(tables, as_of, HORIZON_DAYS, unit=unit),
        "ending_by_month": tallies.ending_by_month(tables, as_of, unit=unit),
        "not_promotable_by_unit": tallies.not_promotable_by_unit(tables, as_of, unit=unit),
    }
