"""`verify` of everything a query reads beside the sealed log: the reporting tables (here, on the read side)
composed with the ledger's own checks of the decision index and the snapshots (`ledger.integrity.derived`),
all in one replay of every stream, inside one read transaction.

The reporting tables must equal a fresh derivation from the events up to their tracked position, and that
position may not lie beyond the log's head. Tables that were never built are reported as such: that is not
tampering.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ledger.app import CadreLedger
from ledger.integrity.derived import INDEX, SNAPSHOTS, Difference, Differences, LedgerChecks
from ledger.replay import Replayed, replay_streams
from ledger.storage.session import Cursor, pages
from projections import runner
from projections.stored_rows import RowsUnsealable, StoredRows
from projections.tables import SUBJECT_TABLES, TABLE_NAMES, columns, tables_exist

REPORTING = "reporting table"
Digests = dict[tuple[str, str], bytes]


@dataclass
class DerivedReport:
    """What the checks of the derived data found: the first difference (None when all hold)."""

    difference: Difference | None
    streams: int
    events: int
    snapshots_checked: bool
    tables_position: int | None  # None: the reporting tables were never built

    @property
    def ok(self) -> bool:
        return self.difference is None

    def line(self) -> str:
        """One line for people: the first difference, or what was checked."""
        if self.difference is not None:
            return self.difference.line()
        tables = ("reporting tables not built" if self.tables_position is None
                  else f"reporting tables equal the events up to position {self.tables_position:,}")
        return f"snapshots and the decision index match the events; {tables}"


def with_derived(summary: dict[str, Any], derived: DerivedReport) -> dict[str, Any]:
    """The log's verify summary (`ledger.integrity.front.summarize`) extended with the derived checks."""
    out = dict(summary, derived={"ok": derived.ok, "message": derived.line(),
                                 "table": derived.difference.table if derived.difference else None,
                                 "key": derived.difference.key if derived.difference else None,
                                 "tables_position": derived.tables_position})
    out["ok"] = summary["ok"] and derived.ok
    out["message"] = derived.line() if not derived.ok else f"{summary['message']}; {derived.line()}"
    return out


def verify_derived(app: CadreLedger, progress: Callable[[int], Any] | None = None) -> DerivedReport:
    """Check the snapshots, the decision index and the reporting tables against the sealed events."""
    found = Differences()
    session = app.session
    with session.snapshot() as within:
        ledger_checks = LedgerChecks(session, app.mapper, found, within, app.keys)
        tables = ReportingCheck(app, within, found)
        streams = events = 0
        for stream in replay_streams(session, app.mapper, joined=True, within=within):
            ledger_checks.see(stream)
            tables.see(stream)
            streams += 1
            events += len(stream.facts)
            if progress:
                progress(len(stream.facts))
        ledger_checks.finish()
        tables.finish()
    order = [SNAPSHOTS, INDEX, REPORTING]
    return DerivedReport(found.in_order(order), streams, events, True, tables.position)


class ReportingCheck:
    """The reporting tables, checked subject by subject against rows derived afresh from the events."""

    def __init__(self, app: CadreLedger, within: Cursor, found: Differences) -> None:
        self.app, self.within, self.found = app, within, found
        self.posts = runner.post_lookup(app)
        self.rows = StoredRows(app.keys)
        self.position = _tracked(within)
        self.stored: Digests = {}
        if self.position is None:
            return
        head = app.recorder.max_notification_id() or 0
        if self.position > head:
            found.add(REPORTING, "proj_tracking", f"tracks position {self.position}, beyond the log's head {head}: "
                                                  "it was changed")
        for table in TABLE_NAMES:
            self.stored.update(self._stored_digests(table))

    def see(self, stream: Replayed) -> None:
        """Compare the rows of one subject with what its events up to the tracked position give."""
        if self.position is None:
            return
        self.posts.see(stream)
        facts = stream.up_to(self.position)
        if not facts:
            return
        subject = Replayed(stream.originator_id, stream.subject_key, stream.key, facts)
        keys = runner.subject_keys(subject)
        for table, rows in runner.rows_for(self.app, subject, self.posts).items():
            key = self.rows.key(table, SUBJECT_TABLES[table], keys[SUBJECT_TABLES[table]])
            stored = self.stored.pop((table, key), None)
            if stored != (_digest(rows) if rows else None):
                self._differs(table, key, rows)

    def finish(self) -> None:
        """Rows for subjects no event up to the tracked position gives."""
        for table, key in sorted(self.stored):
            self.found.add(REPORTING, f"{table} {key}", "holds rows that no event gives: they were added")

    def _differs(self, table: str, key: str, derived: list[tuple[Any, ...]]) -> None:
        column = SUBJECT_TABLES[table]
        try:
            stored = [self.rows.decode(table, r) for r in
                      self.within.execute(f"SELECT * FROM {table} WHERE {column} = ?", (key,)).fetchall()]
        except RowsUnsealable as e:
            self.found.add(REPORTING, f"{table} {key}", f"holds a row that does not open: {e}")
            return
        extra = sorted(set(map(repr, stored)) - set(map(repr, derived)))
        missing = sorted(set(map(repr, derived)) - set(map(repr, stored)))
        if extra:
            what = f"holds the row {extra[0]}, which the events do not give"
        elif missing:
            what = f"lacks the row {missing[0]}, which the events give"
        else:
            what = "holds a row more than once"
        self.found.add(REPORTING, f"{table} {key}", f"{what} (events up to position {self.position}): it was "
                                                    "changed")

    def _stored_digests(self, table: str) -> Digests:
        """A digest of each subject's rows in `table` (as derived: opened where sealed), read in one pass ordered
        by the subject column; a row that does not open counts as differing."""
        column = SUBJECT_TABLES[table]
        at = columns(table).index(column)
        digests: Digests = {}
        key: Any = None
        rows: list[tuple[Any, ...]] = []
        for row in pages(self.within, f"SELECT * FROM {table} ORDER BY {column}", f"check_{table}"):
            if row[at] != key and rows:
                digests[table, key] = _digest(rows)
                rows = []
            key = row[at]
            try:
                rows.append(self.rows.decode(table, row))
            except RowsUnsealable:
                rows.append(("does not open", *row))
        if rows:
            digests[table, key] = _digest(rows)
        return digests


def _tracked(within: Cursor) -> int | None:
    """The reporting tables' tracked position, or None when they were never built."""
    if not tables_exist(within):
        return None
    row = within.execute("SELECT position FROM proj_tracking WHERE projection = ?", (runner.NAME,)).fetchone()
    return None if row is None else int(row[0])


def _digest(rows: Iterable[tuple[Any, ...]]) -> bytes:
    """An order-free digest of rows (each as its repr)."""
    return hashlib.sha256("\n".join(sorted(map(repr, rows))).encode()).digest()
