"""The read side's front: every question the command line asks of one ledger, answered as plain data.

A cadre's status comes from its own facts (and the handovers it is party to); cross-cadre questions come
from the reporting tables, brought up to date first, or, for an earlier `known_at`, derived afresh from
what was recorded by then.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import date, datetime, timedelta, timezone
from typing import Any

from ledger.app import CadreLedger, history_row
from ledger.cadre import Cadre
from ledger.errors import NotFound
from ledger.facts import known_at, named_posts
from ledger.post import LeadershipPost
from ledger.replay import Replayed, replay_streams
from ledger.rules.handover import compute_handovers
from ledger.rules.reports import compute_reports
from ledger.storage.failures import driver_errors, is_contention
from ledger.storage.meta import read_meta, record_meta
from ledger.storage.session import Cursor
from ledger.vocab import term_key
from projections import queries, runner
from projections.derive import Rows
from projections.queries import Row, rows_at
from projections.status import cadre_status, current_posts, party_to, posts_of
from projections.stored_rows import StoredRows
from projections.tables import SEALED, SUBJECT_TABLES, TABLE_NAMES, columns, create_tables, position, tables_exist

ROWS = "reporting_rows"  # recorded in the ledger's meta once every reporting row of an encrypted ledger is sealed
REPORT_GROUPS = ("open", "overdue", "deferred", "closed", "clarified")
CHINA = timezone(timedelta(hours=8))  # Asia/Shanghai has kept UTC+8 since 1991
# A progress bar for a task of so many steps, with a label: a context giving `update(n)`, or None.
Progress = Callable[[int, str], AbstractContextManager[Callable[[int], Any] | None]]


def no_progress(_total: int, _label: str) -> AbstractContextManager[Callable[[int], Any] | None]:
    """No progress bar."""
    return nullcontext()


class Reader:
    """Answers queries about one ledger, through its reporting tables where a question spans cadres."""

    def __init__(self, app: CadreLedger, progress: Progress = no_progress) -> None:
        self.app, self.progress = app, progress
        self.notes: list[str] = []  # what people should know about how an answer was found (stderr)
        self._now: Rows | None = None
        self._busy: str | None = None  # why the tables could not be brought up to date (a lock held elsewhere)
        self.stored = StoredRows(app.keys)
        if app.mode == "write":
            create_tables(app.session)
            if app.keys is not None and read_meta(app.session).get(ROWS) != "sealed":
                if self._rows_in_the_clear():
                    self.rebuild()  # rows an earlier release wrote in the clear for this encrypted ledger: sealed now
                record_meta(app.session, {ROWS: "sealed"})

    def current(self) -> bool:
        """Whether the reporting tables hold what the log says now — brought up to date first where this
        process may write — so that a query may read them as they stand."""
        with self.app.session.transaction(commit=False) as c:
            if not tables_exist(c):
                return False
            at = position(c)
        if self.app.writable and self._busy is None:
            try:
                runner.catch_up(self.app, wait=False)  # a query does not queue behind another's catch-up
                return True
            except driver_errors() as e:
                if not is_contention(e):
                    raise
                # another process holds the lock: this query reads the tables with the lag derived in memory
                self._busy = "another process held the lock"
        return at >= (self.app.recorder.max_notification_id() or 0)

    def _rows_in_the_clear(self) -> bool:
        """Whether any reporting row of this encrypted ledger is not sealed."""
        with self.app.session.transaction(commit=False) as c:
            return any(c.execute(f"SELECT 1 FROM {t} WHERE {SEALED} IS NULL LIMIT 1").fetchone() for t in TABLE_NAMES)

    def _select(self, c: Cursor, table: str, where: str = "", params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of a reporting table as derived (opened where sealed)."""
        rows = c.execute(f"SELECT * FROM {table}" + (f" WHERE {where}" if where else ""), params).fetchall()
        return [self.stored.decode(table, r) for r in rows]

    def rows(self, table: str) -> list[tuple[Any, ...]]:
        """Every row of one reporting table as the log says now: read from the table when it is current,
        else from the rows derived in memory."""
        if not self.current():
            return list(self._rows_now()[table])
        with self.app.session.transaction(commit=False) as c:
            return self._select(c, table)

    def _rows_now(self) -> Rows:
        """Every reporting row as the log says now, without writing: the tables' rows with those of the subjects
        recorded since their position derived afresh (every subject's, when the tables were never built)."""
        if self._now is not None:
            return self._now
        head = self.app.recorder.max_notification_id() or 0
        with self.app.session.transaction(commit=False) as c:
            built = tables_exist(c)
            at = position(c) if built else 0
            rows: Rows = {t: self._select(c, t) if built else [] for t in TABLE_NAMES}
        subjects = runner.subjects_as_of(self.app, runner.versions_between(self.app, at, head))
        for table, column in SUBJECT_TABLES.items():
            stale = {runner.subject_keys(s)[column] for s in subjects}
            at_column = columns(table).index(column)
            rows[table] = [r for r in rows[table] if r[at_column] not in stale]
        with self.progress(len(subjects), "deriving") as bar:
            for subject in subjects:
                if bar:
                    bar(1)
                for table, values in runner.rows_for(self.app, subject).items():
                    rows[table] += values
        why = self._busy or self.app.access.why_not or "this process may not write"
        behind = head - at
        lag = "were never built" if not built else f"lag {behind:,} event{'s' if behind != 1 else ''}"
        self.notes.append(f"the reporting tables {lag} and {why}: derived from the events in memory")
        self._now = rows
        return rows

    # --- the reporting tables -------------------------------------------------------------------------
    def catch_up(self, progress: Callable[[int], None] | None = None) -> int:
        """Apply the events recorded since the last catch-up; returns how many."""
        return runner.catch_up(self.app, progress=progress)

    def rebuild(self, progress: Callable[[int], None] | None = None, tables: Sequence[str] | None = None) -> int:
        """Derive every read model (or those in `tables`) again from zero; returns how many events were read."""
        return runner.rebuild(self.app, progress=progress, tables=tables)

    def positions(self) -> list[dict[str, Any]]:
        """Each read model's position in the log and how far behind it is (position None: never built)."""
        head = self.app.recorder.max_notification_id() or 0
        with self.app.session.transaction(commit=False) as c:
            if not tables_exist(c):
                return [{"name": t.removeprefix("proj_"), "table": t, "rows": 0, "position": None, "log_head": head,
                         "lag": head} for t in TABLE_NAMES]
            at = position(c)
            counts = {t: (c.execute(f"SELECT COUNT(*) FROM {t}").fetchone() or (0,))[0] for t in TABLE_NAMES}
        return [{"name": t.removeprefix("proj_"), "table": t, "rows": counts[t], "position": at, "log_head": head,
                 "lag": head - at} for t in TABLE_NAMES]

    def tables(self, as_of: date, at: datetime | None) -> dict[str, list[Row]]:
        """The rows valid as of `as_of`: from the tables (brought up to date, or overlaid in memory where they
        cannot be), or derived afresh for `at`."""
        if at is None:
            if not self.current():
                return _filter_as_of(self._rows_now(), as_of)
            with self.app.session.transaction(commit=False) as c:
                return {t: rows_at(c, t, as_of, self.stored) for t in TABLE_NAMES}
        return _filter_as_of(self._derive_known_at(at), as_of)

    def _derive_known_at(self, at: datetime) -> Rows:
        """Every reporting row as the ledger said at `at`: every stream replayed from its events, those recorded
        by then."""
        derived: Rows = {t: [] for t in TABLE_NAMES}
        with self.progress(self.app.recorder.max_notification_id() or 0, "replaying") as bar:
            for stream in replay_streams(self.app.session, self.app.mapper):
                if bar:
                    bar(len(stream.facts))
                facts = known_at(stream.facts, at)
                if facts:
                    subject = Replayed(stream.originator_id, stream.subject_key, stream.key, facts)
                    for table, values in runner.rows_for(self.app, subject).items():
                        derived[table] += values
        return derived

    # --- one cadre ------------------------------------------------------------------------------------
    def status(self, cadre: str, as_of: date, at: datetime | None = None) -> dict[str, Any]:
        """The status document of SPEC "Status" for one cadre."""
        facts = self.app.facts(Cadre, cadre, at)
        return cadre_status(facts, as_of, at, lambda post: self.app.post_info(post, at),
                            lambda: self.cadre_handovers(cadre, as_of, at))

    def cadre_handovers(self, cadre: str, as_of: date, at: datetime | None = None) -> list[dict[str, Any]]:
        """The handovers a cadre is party to, as outgoing or incoming leader (posts found via the read models)."""
        if at is not None:
            return [h for h in self.all_handovers(as_of, at) if cadre in (h.get("outgoing"), h.get("incoming"))]
        rows: list[dict[str, Any]] = []
        for post in self.posts_of(cadre):
            subject = self.app.load_subject(self.app.id_of(LeadershipPost, post))
            if subject is not None:
                rows += party_to(cadre, subject.facts, as_of)
        return rows

    def all_handovers(self, as_of: date, at: datetime | None = None) -> list[dict[str, Any]]:
        """Every handover announced on or before `as_of`, across all posts, from their facts."""
        rows: list[dict[str, Any]] = []
        for stream in self.app.streams("leadership-change"):
            subject = self.app.load_subject(self.app.stream_id(stream))
            if subject is not None:
                rows += compute_handovers(known_at(subject.facts, at), as_of)
        return rows

    def posts_of(self, cadre: str) -> list[str]:
        """The leading posts whose handovers name this cadre as outgoing or incoming leader."""
        found = current_posts(self.app.session, cadre)
        if found is not None:
            return found
        if not self.current():
            names = columns("proj_handovers")
            out, inc, post = names.index("outgoing"), names.index("incoming"), names.index("post")
            return sorted({r[post] for r in self._rows_now()["proj_handovers"] if cadre in (r[out], r[inc])})
        with self.app.session.transaction(commit=False) as c:
            return posts_of(c, cadre)

    # --- across cadres --------------------------------------------------------------------------------
    def list_cadres(self, as_of: date, at: datetime | None = None, tables: dict[str, list[Row]] | None = None,
                    **filters: Any) -> list[Row]:
        """`list` (see queries.list_cadres); `tables` when already read for the same question."""
        return queries.list_cadres(tables or self.tables(as_of, at), as_of, **filters)

    def findings(self, as_of: date, at: datetime | None = None, kind: str | None = None,
                 tables: dict[str, list[Row]] | None = None) -> list[Row]:
        """`findings`: every audit finding raised on or before `as_of`."""
        return queries.findings((tables or self.tables(as_of, at))["proj_findings"], as_of, kind)

    def handovers(self, as_of: date, at: datetime | None = None, tables: dict[str, list[Row]] | None = None,
                  **filters: Any) -> list[Row]:
        """`handovers`: every handover announced on or before `as_of`, with its status then."""
        return queries.handovers((tables or self.tables(as_of, at))["proj_handovers"], as_of, **filters)

    # --- changes --------------------------------------------------------------------------------------
    def changes(self, start: date, end: date, at: datetime | None = None,
                cadres: Sequence[str] | None = None) -> list[Row]:
        """Every status change dated in [start, end) of `cadres` (default: every cadre), as known at `at`."""
        from projections.changes import window_changes

        chosen = list(cadres) if cadres is not None else [s.split("/", 1)[1] for s in self.app.streams()
                                                          if s.startswith("cadre/")]

        def subjects() -> Any:
            with self.progress(len(chosen), "comparing") as bar:
                for cadre in chosen:
                    if bar:
                        bar(1)
                    try:
                        facts = self.app.facts(Cadre, cadre, at)
                    except NotFound:
                        continue  # not yet recorded at `at`
                    yield cadre, facts, named_posts(facts, lambda post: self.app.post_info(post, at))

        return window_changes(subjects(), start, end)

    def recorded_since(self, since: datetime, streams: Sequence[str] | None = None) -> list[Row]:
        """Decisions recorded at or after `since` (of `streams` only, when given): late ones first, latest first."""
        from projections.changes import recorded_since
        from projections.feed import envelopes

        wanted = set(streams) if streams is not None else None
        head = self.app.recorder.max_notification_id() or 0

        def chosen() -> Any:
            with self.progress(head, "reading") as bar:
                for envelope in envelopes(self.app):
                    if bar:
                        bar(1)
                    if wanted is None or envelope["stream"] in wanted:
                        yield envelope

        return recorded_since(chosen(), since, lambda moment: moment.astimezone(CHINA).date())

    # --- names ----------------------------------------------------------------------------------------
    def cadres_named(self, name: str) -> list[Row]:
        """The cadres (number, name, unit) whose name is exactly `name` (after NFKC and trimming)."""
        wanted = term_key(name)
        cadre, named, unit = (columns("proj_cadres").index(c) for c in ("cadre", "name", "unit"))
        if self.stored.sealing and self.current():  # by the name's blind index: only the rows of that name open
            with self.app.session.transaction(commit=False) as c:
                found = self._select(c, "proj_cadres", "name = ?", (self.stored.lookup("proj_cadres", "name", name),))
        else:
            found = self.rows("proj_cadres")
        rows = sorted(found, key=lambda r: r[cadre])
        return [{"cadre": r[cadre], "name": r[named], "unit": r[unit]} for r in rows
                if term_key(r[named] or "") == wanted]

    def units(self) -> set[str]:
        """Every unit the ledger names: of its cadres, its leading posts and its accountable units."""
        found = {r[columns("proj_cadres").index("unit")] for r in self.rows("proj_cadres")}
        found |= {r[columns("proj_handovers").index("unit")] for r in self.rows("proj_handovers")}
        found |= {s.split("/", 1)[1] for s in self.app.streams() if s.startswith("unit/")}
        return {u for u in found if u} | {info["unit"] for info in self.posts().values() if info.get("unit")}

    def cadre_numbers(self, unit: str | None = None) -> list[str]:
        """Every cadre's number, or those of one unit (from the reporting table, brought up to date)."""
        cadre, at_unit = columns("proj_cadres").index("cadre"), columns("proj_cadres").index("unit")
        return sorted(r[cadre] for r in self.rows("proj_cadres") if unit is None or r[at_unit] == unit)

    def unit_streams(self, unit: str, at: datetime | None = None) -> list[str]:
        """The streams of one unit: its own (一案双查), its leading posts' and its cadres'."""
        own = [f"unit/{unit}"] if f"unit/{unit}" in self.app.streams("unit-accountability") else []
        posts = [f"post/{post}" for post, info in self.posts(at).items() if info.get("unit") == unit]
        return own + posts + [f"cadre/{cadre}" for cadre in self.cadre_numbers(unit)]

    def unit_history(self, unit: str, at: datetime | None = None) -> list[dict[str, Any]]:
        """Every event of one unit, its leading posts and its cadres, in recorded order."""
        rows: list[dict[str, Any]] = []
        for stream in self.unit_streams(unit, at):
            try:
                facts = self.app.stream_facts(stream, at)
            except NotFound:
                continue  # not yet recorded at `at`
            rows += [{"stream": stream, **history_row(f, stream.split("/", 1)[0])} for f in facts]
        return sorted(rows, key=lambda r: (r["recorded_at"], r["stream"], r["seq"]))

    def posts(self, at: datetime | None = None) -> dict[str, dict[str, Any]]:
        """Every registered leading post with its register fields (unit, title, level …)."""
        found = {}
        for stream in self.app.streams("post-register"):
            post = stream.split("/", 1)[1]
            info = self.app.post_info(post, at)
            if info is not None:
                found[post] = info
        return found

    def reports(self, as_of: date, at: datetime | None = None, which: str | None = None) -> list[dict[str, Any]]:
        """Reports about cadres as of `as_of`: all, or those `open`, `overdue` or `clarified` (R-REPORT)."""
        day = as_of.isoformat()
        cadres = sorted({r["cadre"] for r in self.tables(as_of, at)["proj_reports"] if r["received_on"] <= day})
        rows: list[dict[str, Any]] = []
        for cadre in cadres:
            found = compute_reports(self.app.facts(Cadre, cadre, at), as_of)
            seen: set[str] = set()
            for group in [which] if which else REPORT_GROUPS:
                for row in found.get(f"{group}_reports", []):
                    if which or row["report"] not in seen:
                        seen.add(row["report"])
                        rows.append({"cadre": cadre, "standing": group, **row})
        return rows

    def case(self, case: str, at: datetime | None = None) -> list[dict[str, Any]]:
        """Every decision recorded under one case number (一案双查), the organisation's and its leaders'."""
        rows = []
        for ref in self.case_rows(case, at):
            facts = {f["id"]: f for f in self.app.stream_facts(ref["stream"], at)}
            fact = facts.get(ref["decision_id"])
            if fact is not None:
                rows.append({"stream": ref["stream"], **history_row(fact, ref["stream"].split("/", 1)[0])})
        return rows

    def case_rows(self, case: str, at: datetime | None = None) -> list[Row]:
        """Every decision recorded under one case number: (stream, decision id, type, date, kind)."""
        names = columns("proj_cases")
        if at is not None:
            rows = [dict(zip(names, r)) for r in self._derive_known_at(at)["proj_cases"]]
            return sorted((r for r in rows if r["case_no"] == case), key=lambda r: (r["on_date"], r["stream"]))
        if not self.current():
            rows = [dict(zip(names, r)) for r in self._rows_now()["proj_cases"]]
            return sorted((r for r in rows if r["case_no"] == case),
                          key=lambda r: (r["on_date"], r["stream"], r["decision_id"]))
        with self.app.session.transaction(commit=False) as c:
            found = self._select(c, "proj_cases", "case_no = ?", (self.stored.lookup("proj_cases", "case_no", case),))
        return sorted((dict(zip(names, r)) for r in found if r[names.index("case_no")] == case),
                      key=lambda r: (r["on_date"], r["stream"], r["decision_id"]))


def _filter_as_of(derived: Rows, as_of: date) -> dict[str, list[Row]]:
    day = as_of.isoformat()
    out: dict[str, list[Row]] = {}
    for table, values in derived.items():
        names = columns(table)
        rows = [dict(zip(names, v)) for v in values]
        if "asof_from" in names:
            rows = [r for r in rows if r["asof_from"] <= day < r["asof_to"]]
        out[table] = rows
    return out
