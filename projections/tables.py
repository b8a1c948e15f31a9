"""The read models' tables (the reporting tables), in the same database as the events.

Written and read through the ledger's `Session` (`?` marks; on PostgreSQL the URL's schema is on the search
path). Dates are stored as ISO text (`YYYY-MM-DD`), so they compare correctly on both databases.
"""
from __future__ import annotations

from ledger.storage.session import Cursor, Session

PROJECTION = "read-models"  # the read models' row in proj_tracking

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
    "proj_handovers": "post TEXT NOT NULL, asof_from TEXT NOT NULL, asof_to TEXT NOT NULL, unit TEXT, title TEXT, "
                      "source TEXT, announced_on TEXT NOT NULL, "
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
    "CREATE INDEX IF NOT EXISTS proj_handovers_outgoing ON proj_handovers (outgoing)",  # a cadre's handovers
    "CREATE INDEX IF NOT EXISTS proj_handovers_incoming ON proj_handovers (incoming)",
    "CREATE INDEX IF NOT EXISTS proj_cases_case ON proj_cases (case_no)",
    "CREATE INDEX IF NOT EXISTS proj_cases_stream ON proj_cases (stream)",
    "CREATE INDEX IF NOT EXISTS proj_cadres_unit ON proj_cadres (unit)",
)
# Tables holding rows per subject (replaced whenever the subject changes), and the column naming it.
SUBJECT_TABLES: dict[str, str] = {
    "proj_cadres": "cadre", "proj_restrictions": "cadre", "proj_flags": "cadre", "proj_pool": "cadre",
    "proj_reports": "cadre", "proj_findings": "subject", "proj_handovers": "post", "proj_cases": "stream",
}
TABLE_NAMES = tuple(name for name in TABLES if name != "proj_tracking")


SEALED = "sealed"  # every table but the tracking one ends with it: a row's sealed values (stored_rows.py)


def columns(table: str) -> list[str]:
    """The column names of a read-model table, as derived rows give them (without `sealed`)."""
    return [part.strip().split()[0] for part in TABLES[table].split(",")]


def table_spec(table: str) -> str:
    """The columns of a read-model table as created."""
    return TABLES[table] if table == "proj_tracking" else f"{TABLES[table]}, {SEALED} TEXT"


def create_tables(session: Session) -> None:
    """Create the read-model tables if they are missing, and add the `sealed` column to those of a release
    before it."""
    with session.transaction() as c:
        if session.dialect == "postgresql":  # one process at a time: created at once, they collide in the catalog
            lock = f"cadre-ledger read models:{session.database.schema}"
            c.execute("SELECT pg_advisory_xact_lock(hashtext(?))", (lock,))
        for name in TABLES:
            c.execute(f"CREATE TABLE IF NOT EXISTS {name} ({table_spec(name)})")
        for name in TABLE_NAMES:
            if not _has_column(c, session, name, SEALED):
                c.execute(f"ALTER TABLE {name} ADD COLUMN {SEALED} TEXT")
        for statement in INDEXES:
            c.execute(statement)


def _has_column(c: Cursor, session: Session, table: str, column: str) -> bool:
    statement, params = session.tables.columns_query(table)
    c.raw.execute(statement, params)
    return column in {r[0] for r in c.raw.fetchall()}


def tables_exist(c: Cursor) -> bool:
    """Whether the reporting tables were built in this database, by this release (asked without creating
    anything): tables an earlier release built, without `sealed`, count as not built until a write upgrades
    them."""
    if c.dialect == "postgresql":
        row = c.execute("SELECT to_regclass('proj_tracking') IS NOT NULL AND EXISTS (SELECT 1 FROM "
                        "information_schema.columns WHERE table_schema = current_schema() AND table_name = "
                        "'proj_cadres' AND column_name = ?)", (SEALED,)).fetchone()
    else:
        row = c.execute("SELECT (SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'proj_tracking') "
                        "AND (SELECT count(*) FROM pragma_table_info('proj_cadres') WHERE name = ?)",
                        (SEALED,)).fetchone()
    return bool(row and row[0])


def position(c: Cursor) -> int:
    """The last log position applied to the read models (0 when none)."""
    row = c.execute("SELECT position FROM proj_tracking WHERE projection = ?", (PROJECTION,)).fetchone()
    return int(row[0]) if row else 0
