"""The read models' tables, in the same database as the events, through the application's own pool.

SQL is written once with `?` placeholders; on PostgreSQL they become `%s` and the schema of the URL is
put on the search path of each transaction. Dates are stored as ISO text (`YYYY-MM-DD`), so they
compare correctly on both databases.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

TABLES: dict[str, str] = {
    "proj_tracking": "projection TEXT PRIMARY KEY, position BIGINT NOT NULL",
    "proj_cadres": "cadre TEXT PRIMARY KEY, name TEXT, unit TEXT, staff_category TEXT, registered_on TEXT, "
                   "events BIGINT NOT NULL",
    "proj_restrictions": "cadre TEXT NOT NULL, asof_from TEXT NOT NULL, asof_to TEXT NOT NULL, source TEXT NOT NULL, "
                         "track TEXT, kind TEXT, effective_on TEXT, end_kind TEXT, ends_on TEXT, bars TEXT, "
                         "blocks_promotion INTEGER NOT NULL, rule TEXT",
    "proj_flags": "cadre TEXT NOT NULL, asof_from TEXT NOT NULL, asof_to TEXT NOT NULL, trigger TEXT, basis TEXT, "
                  "raised_on TEXT, determination TEXT",
    "proj_pool": "cadre TEXT NOT NULL, entered_on TEXT NOT NULL, left_on TEXT",
    "proj_findings": "subject TEXT NOT NULL, asof_from TEXT NOT NULL, asof_to TEXT NOT NULL, kind TEXT, "
                     "source TEXT, cadre TEXT, post TEXT, raised_on TEXT, rule TEXT, detail TEXT",
    "proj_reports": "cadre TEXT NOT NULL, report TEXT NOT NULL, received_on TEXT",
    "proj_handovers": "post TEXT NOT NULL, asof_from TEXT NOT NULL, asof_to TEXT NOT NULL, unit TEXT, title TEXT, source TEXT, announced_on TEXT NOT NULL, "
                      "outgoing TEXT, incoming TEXT, due_on TEXT, completed_on TEXT",
    "proj_cases": "case_no TEXT NOT NULL, stream TEXT NOT NULL, decision_id TEXT NOT NULL, type TEXT, on_date TEXT, "
                  "kind TEXT",
}
INDEXES: tuple[str, ...] = (
    "CREATE INDEX IF NOT EXISTS proj_restrictions_cadre ON proj_restrictions (cadre)",
    "CREATE INDEX IF NOT EXISTS proj_restrictions_end ON proj_restrictions (ends_on)",
    "CREATE INDEX IF NOT EXISTS proj_flags_cadre ON proj_flags (cadre)",
    "CREATE INDEX IF NOT EXISTS proj_pool_cadre ON proj_pool (cadre)",
    "CREATE INDEX IF NOT EXISTS proj_findings_subject ON proj_findings (subject)",
    "CREATE INDEX IF NOT EXISTS proj_reports_cadre ON proj_reports (cadre)",
    "CREATE INDEX IF NOT EXISTS proj_handovers_post ON proj_handovers (post)",
    "CREATE INDEX IF NOT EXISTS proj_cases_case ON proj_cases (case_no)",
    "CREATE INDEX IF NOT EXISTS proj_cases_stream ON proj_cases (stream)",
    "CREATE INDEX IF NOT EXISTS proj_cadres_unit ON proj_cadres (unit)",
)
# Tables holding rows per subject (replaced whenever the subject changes), and the column naming it.
SUBJECT_TABLES: dict[str, str] = {
    "proj_cadres": "cadre", "proj_restrictions": "cadre", "proj_flags": "cadre", "proj_pool": "cadre",
    "proj_reports": "cadre", "proj_findings": "subject", "proj_handovers": "post", "proj_cases": "stream",
}


class Cursor:
    """A DB-API cursor that takes `?` placeholders on both databases and returns tuples."""

    def __init__(self, raw: Any, postgres: bool) -> None:
        self.raw, self.postgres = raw, postgres

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.postgres else sql

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        self.raw.execute(self._sql(sql), tuple(params))
        return self

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self.raw.executemany(self._sql(sql), [tuple(r) for r in rows])

    @property
    def rowcount(self) -> int:
        """Rows changed by the last statement."""
        raw = getattr(self.raw, "sqlite_cursor", self.raw)
        return int(raw.rowcount)

    def fetchall(self) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.raw.fetchall()]

    def fetchone(self) -> tuple[Any, ...] | None:
        row = self.raw.fetchone()
        return None if row is None else tuple(row)


class Db:
    """Transactions on the application's database for the read models."""

    def __init__(self, app: Any) -> None:
        self.datastore = app.recorder.datastore
        self.postgres = app.database.kind == "postgresql"
        self.schema = app.database.schema
        self.create_tables()

    @contextmanager
    def transaction(self, commit: bool = True) -> Iterator[Cursor]:
        """One transaction: committed on success (when `commit`), rolled back on error."""
        if self.postgres:
            from psycopg.rows import tuple_row
            from psycopg.sql import SQL, Identifier

            with self.datastore.transaction(commit=commit) as curs:
                raw = curs.connection.cursor(row_factory=tuple_row)
                raw.execute(SQL("SET LOCAL search_path TO {}").format(Identifier(self.schema)))
                yield Cursor(raw, True)
        else:
            with self.datastore.transaction(commit=commit) as curs:
                yield Cursor(curs, False)

    def create_tables(self) -> None:
        """Create the read-model tables if they are missing."""
        with self.transaction() as c:
            if self.postgres:  # one process at a time: created at once, they collide in the catalog
                c.execute("SELECT pg_advisory_xact_lock(hashtext(?))", (f"cadre-ledger read models:{self.schema}",))
            for name, columns in TABLES.items():
                c.execute(f"CREATE TABLE IF NOT EXISTS {name} ({columns})")
            for statement in INDEXES:
                c.execute(statement)
