"""The report an organisation department reads first (the demo's output), as plain data."""
from __future__ import annotations

from datetime import date
from typing import Any

from projections.reader import Reader

HORIZON_DAYS = 90


def first_report(reader: Reader, as_of: date, integrity: dict[str, Any]) -> dict[str, Any]:
    """Restrictions ending within 90 days, triggers awaiting determination, overdue handovers and inquiry
    replies, audit findings, and the integrity result — all as of `as_of`."""
    models = reader
    expiring = models.list_cadres(as_of, expiring_within=HORIZON_DAYS)
    flagged = models.list_cadres(as_of, flagged=True)
    flags = []
    for row in flagged:
        for flag in reader.status(row["cadre"], as_of)["flags"]:
            if flag["determination"] is None and flag["raised_on"] <= as_of:
                flags.append({"cadre": row["cadre"], "name": row["name"], **flag})
    findings = models.findings(as_of)
    by_kind: dict[str, int] = {}
    for f in findings:
        by_kind[f["kind"]] = by_kind.get(f["kind"], 0) + 1
    return {
        "as_of": as_of,
        "cadres": len(models.list_cadres(as_of)),
        "not_promotable": len(models.list_cadres(as_of, not_promotable=True)),
        "expiring": expiring,
        "flags_awaiting_determination": flags,
        "overdue_handovers": models.handovers(as_of, status="overdue"),
        "overdue_inquiries": reader.reports(as_of, which="overdue"),
        "findings_by_kind": by_kind,
        "findings": findings,
        "integrity": integrity,
    }
