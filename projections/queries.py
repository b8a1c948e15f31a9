"""Cross-cadre questions answered from the read models: list, findings, handovers, reports, case.

Each query reads the rows whose as-of stretch contains the query date. With `known_at` (what the
ledger said at an earlier moment) the rows are derived afresh from the facts known then, and the
same filters apply, so both paths give the same answer for the same question.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from ledger.storage.session import Cursor
from ledger.vocab import term_key
from projections.stored_rows import StoredRows
from projections.tables import columns

Row = dict[str, Any]


def rows_at(c: Cursor, table: str, as_of: date, stored: StoredRows, where: str = "",
            params: tuple[Any, ...] = ()) -> list[Row]:
    """Rows of `table` valid as of `as_of` (when it has stretches), as dicts."""
    cols = columns(table)
    clauses = ["asof_from <= ? AND asof_to > ?"] if "asof_from" in cols else []
    args: list[Any] = [as_of.isoformat(), as_of.isoformat()] if clauses else []
    if where:
        clauses.append(where)
        args += list(params)
    sql = f"SELECT * FROM {table}" + (" WHERE " + " AND ".join(clauses) if clauses else "")
    return [dict(zip(cols, stored.decode(table, r))) for r in c.execute(sql, args).fetchall()]


def running_restrictions(rows: Iterable[Row], as_of: date) -> list[Row]:
    """R-BLOCK: the restriction rows in force on `as_of` (`ends_on` is the first clear day)."""
    day = as_of.isoformat()
    return [r for r in rows if r["effective_on"] <= day and (r["ends_on"] is None or r["ends_on"] > day)]


def list_cadres(tables: dict[str, list[Row]], as_of: date, *, expiring_within: int | None = None,
                flagged: bool = False, not_promotable: bool = False, pool: bool = False,
                unit: str | None = None, name: str | None = None) -> list[Row]:
    """`list`: cadres with their promotability, next end of a running period, open flags and pool membership;
    `name` keeps those whose name contains it (after NFKC and trimming)."""
    day = as_of.isoformat()
    part = term_key(name) if name else None
    horizon = (as_of + timedelta(days=expiring_within)).isoformat() if expiring_within is not None else None
    running: dict[str, list[Row]] = {}
    for r in running_restrictions(tables["proj_restrictions"], as_of):
        running.setdefault(r["cadre"], []).append(r)
    open_flags: dict[str, int] = {}
    for f in tables["proj_flags"]:
        if f["raised_on"] <= day and f["determination"] is None:
            open_flags[f["cadre"]] = open_flags.get(f["cadre"], 0) + 1
    in_pool = {p["cadre"] for p in tables["proj_pool"]
               if p["entered_on"] <= day and (p["left_on"] is None or p["left_on"] > day)}
    out = []
    for cadre in sorted(tables["proj_cadres"], key=lambda r: r["cadre"]):
        key = cadre["cadre"]
        if cadre["registered_on"] > day or (unit is not None and cadre["unit"] != unit):
            continue
        if part is not None and part not in term_key(cadre["name"] or ""):
            continue
        mine = running.get(key, [])
        promotable = not any(r["blocks_promotion"] for r in mine)
        ends = sorted(r["ends_on"] for r in mine if r["ends_on"] is not None)
        expiring = [r for r in mine if horizon is not None and r["ends_on"] is not None and r["ends_on"] <= horizon]
        if (not_promotable and promotable) or (flagged and key not in open_flags) or (pool and key not in in_pool):
            continue
        if horizon is not None and not expiring:
            continue
        out.append({
            "cadre": key, "name": cadre["name"], "unit": cadre["unit"], "promotable": promotable,
            "running": len(mine), "next_end": ends[0] if ends else None,
            "expiring": ", ".join(f"{r['kind']} {r['source']} → {r['ends_on']}" for r in expiring) or None,
            "open_flags": open_flags.get(key, 0), "pool": key in in_pool,
        })
    return out


def findings(rows: Iterable[Row], as_of: date, kind: str | None = None) -> list[Row]:
    """`findings`: audit findings raised on or before `as_of`."""
    day = as_of.isoformat()
    out = [{k: r[k] for k in ("kind", "source", "cadre", "post", "raised_on", "rule", "detail")}
           for r in rows if r["raised_on"] <= day and (kind is None or r["kind"] == kind)]
    return sorted(out, key=lambda r: (r["raised_on"], r["kind"], r["source"]))


def handovers(rows: Iterable[Row], as_of: date, *, status: str | None = None, post: str | None = None,
              unit: str | None = None) -> list[Row]:
    """`handovers`: every handover announced on or before `as_of`, with its status on that date (R-HANDOVER)."""
    day = as_of.isoformat()
    out = []
    for r in rows:
        if r["announced_on"] > day or (post and r["post"] != post) or (unit and r["unit"] != unit):
            continue
        state = handover_status(r["due_on"], r["completed_on"], day)
        if status is None or status == state:
            out.append({"post": r["post"], "unit": r["unit"], "title": r["title"], "announced_on": r["announced_on"],
                        "due_on": r["due_on"], "status": state, "outgoing": r["outgoing"],
                        "incoming": r["incoming"], "completed_on": r["completed_on"], "source": r["source"]})
    return sorted(out, key=lambda r: (r["announced_on"], r["post"]))


def handover_status(due_on: str, completed_on: str | None, day: str) -> str:
    """R-HANDOVER status as of `day` (ISO dates compare as text)."""
    if completed_on is not None and completed_on <= day:
        return "completed" if completed_on <= due_on else "completed-late"
    return "overdue" if day > due_on else "open"
