"""Counts for the dashboard, from the same read-model rows as `list`: restrictions ending per month and
cadres not promotable per unit."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from ledger.rules.periods import add_months
from projections.queries import Row, list_cadres, running_restrictions

MONTHS_AHEAD = 12


def ending_by_month(tables: dict[str, list[Row]], as_of: date, months: int = MONTHS_AHEAD,
                    unit: str | None = None) -> list[Row]:
    """Restrictions running on `as_of` whose `ends_on` falls in each calendar month from `as_of`'s on.

    One row per month (`month` YYYY-MM, `ending`, `blocking_promotion`, `cadres`), zeros included; those
    that end later or have no end date are not counted.
    """
    units = {c["cadre"]: c["unit"] for c in tables["proj_cadres"]}
    first = as_of.replace(day=1)
    keys = [add_months(first, i).isoformat()[:7] for i in range(months)]
    counts: dict[str, dict[str, Any]] = {
        k: {"ending": 0, "blocking_promotion": 0, "cadres": set()} for k in keys}
    for row in running_restrictions(tables["proj_restrictions"], as_of):
        if row["ends_on"] is None or (unit is not None and units.get(row["cadre"]) != unit):
            continue
        bucket = counts.get(row["ends_on"][:7])
        if bucket is not None:
            bucket["ending"] += 1
            bucket["blocking_promotion"] += 1 if row["blocks_promotion"] else 0
            bucket["cadres"].add(row["cadre"])
    return [{"month": k, "ending": v["ending"], "blocking_promotion": v["blocking_promotion"],
             "cadres": len(v["cadres"])} for k, v in counts.items()]


def ending_within(tables: dict[str, list[Row]], as_of: date, days: int, unit: str | None = None) -> list[Row]:
    """The restrictions running on `as_of` that end within `days` after it (the rows `list
    --expiring-within` counts), one row each with its cadre, in order of `ends_on`."""
    cadres = {c["cadre"]: c for c in tables["proj_cadres"]}
    horizon = (as_of + timedelta(days=days)).isoformat()
    rows = []
    for row in running_restrictions(tables["proj_restrictions"], as_of):
        cadre = cadres.get(row["cadre"], {})
        if row["ends_on"] is None or row["ends_on"] > horizon:
            continue
        if unit is not None and cadre.get("unit") != unit:
            continue
        rows.append({"cadre": row["cadre"], "name": cadre.get("name"), "unit": cadre.get("unit"),
                     "source": row["source"], "track": row["track"], "kind": row["kind"],
                     "effective_on": row["effective_on"], "ends_on": row["ends_on"],
                     "blocks_promotion": bool(row["blocks_promotion"])})
    return sorted(rows, key=lambda r: (r["ends_on"], r["cadre"], r["source"]))


def not_promotable_by_unit(tables: dict[str, list[Row]], as_of: date, unit: str | None = None) -> list[Row]:
    """Per unit: its cadres on `as_of` and how many of them may not be promoted (R-BLOCK, as `list` says).

    Units with the most cadres not promotable first; units where all may be promoted are included.
    """
    per_unit: dict[str, dict[str, int]] = {}
    for row in list_cadres(tables, as_of, unit=unit):
        counts = per_unit.setdefault(row["unit"] or "", {"cadres": 0, "not_promotable": 0})
        counts["cadres"] += 1
        counts["not_promotable"] += 0 if row["promotable"] else 1
    rows = [{"unit": name, **counts} for name, counts in per_unit.items()]
    return sorted(rows, key=lambda r: (-r["not_promotable"], -r["cadres"], r["unit"]))
