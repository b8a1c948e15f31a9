"""The report an organisation department reads first (the demo's output), as plain data."""
from __future__ import annotations

from datetime import date
from typing import Any

from projections import tallies
from projections.reader import Reader

HORIZON_DAYS = 90


def first_report(reader: Reader, as_of: date, integrity: dict[str, Any], unit: str | None = None) -> dict[str, Any]:
    """Restrictions ending within 90 days, triggers awaiting determination, overdue handovers and inquiry
    replies, audit findings, and the integrity result — all as of `as_of`; for the dashboard, the
    restrictions ending within 90 days one by one, those ending in each of the next 12 months and the
    cadres not promotable per unit. With `unit`, only that unit's cadres, posts and findings."""
    models = reader
    expiring = models.list_cadres(as_of, expiring_within=HORIZON_DAYS, unit=unit)
    flagged = models.list_cadres(as_of, flagged=True, unit=unit)
    flags = []
    for row in flagged:
        for flag in reader.status(row["cadre"], as_of)["flags"]:
            if flag["determination"] is None and flag["raised_on"] <= as_of:
                flags.append({"cadre": row["cadre"], "name": row["name"], **flag})
    tables = models.tables(as_of, None)
    findings = models.findings(as_of)
    inquiries = reader.reports(as_of, which="overdue")
    if unit is not None:
        cadres = {c["cadre"] for c in tables["proj_cadres"] if c["unit"] == unit}
        posts = {h["post"] for h in tables["proj_handovers"] if h["unit"] == unit}
        findings = [f for f in findings if f["cadre"] in cadres or f["post"] in posts]
        inquiries = [r for r in inquiries if r["cadre"] in cadres]
    by_kind: dict[str, int] = {}
    for f in findings:
        by_kind[f["kind"]] = by_kind.get(f["kind"], 0) + 1
    return {
        "as_of": as_of,
        "cadres": len(models.list_cadres(as_of, unit=unit)),
        "not_promotable": len(models.list_cadres(as_of, not_promotable=True, unit=unit)),
        "expiring": expiring,
        "flags_awaiting_determination": flags,
        "overdue_handovers": models.handovers(as_of, status="overdue", unit=unit),
        "overdue_inquiries": inquiries,
        "findings_by_kind": by_kind,
        "findings": findings,
        "integrity": integrity,
        "unit": unit,
        "expiring_restrictions": tallies.ending_within(tables, as_of, HORIZON_DAYS, unit=unit),
        "ending_by_month": tallies.ending_by_month(tables, as_of, unit=unit),
        "not_promotable_by_unit": tallies.not_promotable_by_unit(tables, as_of, unit=unit),
    }
