"""The read models of one ledger: bring them up to date, rebuild them, and answer cross-cadre queries."""
from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from ledger.facts import known_at
from ledger.workspace import SUBJECTS
from projections import queries, runner
from projections.db import Db
from projections.derive import Rows
from projections.queries import Row, rows_at

TABLE_NAMES = ("proj_cadres", "proj_restrictions", "proj_flags", "proj_pool", "proj_findings", "proj_reports",
               "proj_handovers", "proj_cases")


class ReadModels:
    """Reporting tables kept by a tracked projection in the ledger's own database."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.db = Db(app)

    def catch_up(self, progress: Callable[[int], None] | None = None) -> int:
        """Apply the events recorded since the last catch-up; returns how many."""
        return runner.catch_up(self.app, self.db, progress=progress)

    def rebuild(self, progress: Callable[[int], None] | None = None) -> int:
        """Derive every read model again from zero; returns how many events were read."""
        return runner.rebuild(self.app, self.db, progress=progress)

    def positions(self) -> list[dict[str, Any]]:
        """Each read model's position in the log and how far behind it is."""
        head = self.app.recorder.max_notification_id() or 0
        with self.db.transaction(commit=False) as c:
            at = runner.position(c)
            counts = {t: c.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLE_NAMES}
        return [{"name": t.removeprefix("proj_"), "table": t, "rows": counts[t], "position": at, "log_head": head,
                 "lag": head - at} for t in TABLE_NAMES]

    def tables(self, as_of: date, at: datetime | None) -> dict[str, list[Row]]:
        """The rows valid as of `as_of`: from the tables (brought up to date), or derived afresh for `at`."""
        if at is None:
            self.catch_up()
            with self.db.transaction(commit=False) as c:
                return {t: rows_at(c, t, as_of) for t in TABLE_NAMES}
        return _filter_as_of(self._derive_known_at(at), as_of)

    def _derive_known_at(self, at: datetime) -> Rows:
        derived: Rows = {t: [] for t in TABLE_NAMES}
        for stream in self.app.recorder.streams():
            kind, key = stream.split("/", 1)
            subject = self.app.load_subject(SUBJECTS[kind].id_for(key))
            facts = known_at(subject.facts, at) if subject is not None else []
            if not facts:
                continue
            subject = copy.copy(subject)  # loaded subjects are shared with the loader's cache
            subject.facts = facts
            for table, values in runner.rows_for(self.app, subject).items():
                derived[table] += values
        return derived

    # --- queries ---------------------------------------------------------------------------------------
    def list_cadres(self, as_of: date, at: datetime | None = None, **filters: Any) -> list[Row]:
        """`list` (see queries.list_cadres)."""
        return queries.list_cadres(self.tables(as_of, at), as_of, **filters)

    def findings(self, as_of: date, at: datetime | None = None, kind: str | None = None) -> list[Row]:
        """`findings`: every audit finding raised on or before `as_of`."""
        return queries.findings(self.tables(as_of, at)["proj_findings"], as_of, kind)

    def handovers(self, as_of: date, at: datetime | None = None, **filters: Any) -> list[Row]:
        """`handovers`: every handover announced on or before `as_of`, with its status then."""
        return queries.handovers(self.tables(as_of, at)["proj_handovers"], as_of, **filters)

    def report_cadres(self, as_of: date, at: datetime | None = None) -> list[str]:
        """The cadres with a report received on or before `as_of`."""
        day = as_of.isoformat()
        return sorted({r["cadre"] for r in self.tables(as_of, at)["proj_reports"] if r["received_on"] <= day})

    def posts_of(self, cadre: str) -> list[str]:
        """The leading posts whose handovers name this cadre as outgoing or incoming leader."""
        self.catch_up()
        with self.db.transaction(commit=False) as c:
            return [r[0] for r in c.execute("SELECT DISTINCT post FROM proj_handovers WHERE outgoing = ? OR incoming = ? "
                                            "ORDER BY post", (cadre, cadre)).fetchall()]

    def case_rows(self, case: str, at: datetime | None = None) -> list[Row]:
        """Every decision recorded under one case number: (stream, decision id, type, date, kind)."""
        if at is not None:
            rows = [dict(zip(queries.columns("proj_cases"), r)) for r in self._derive_known_at(at)["proj_cases"]]
            return sorted((r for r in rows if r["case_no"] == case), key=lambda r: (r["on_date"], r["stream"]))
        self.catch_up()
        with self.db.transaction(commit=False) as c:
            return [dict(zip(queries.columns("proj_cases"), r)) for r in c.execute(
                "SELECT * FROM proj_cases WHERE case_no = ? ORDER BY on_date, stream, decision_id", (case,)).fetchall()]


def _filter_as_of(derived: Rows, as_of: date) -> dict[str, list[Row]]:
    day = as_of.isoformat()
    out: dict[str, list[Row]] = {}
    for table, values in derived.items():
        cols = queries.columns(table)
        rows = [dict(zip(cols, v)) for v in values]
        if "asof_from" in cols:
            rows = [r for r in rows if r["asof_from"] <= day < r["asof_to"]]
        out[table] = rows
    return out

