"""Keeping the read models up to date: catch-up with tracking, and rebuild from zero.

Catch-up reads the log after the tracked position in pages; for each page it re-derives the rows of
every subject the page touches and writes them together with the page's last position in ONE
transaction. The position only moves forward from the value read (compare-and-set), so a page is
applied exactly once even with two catch-ups racing; re-deriving a subject is idempotent anyway.
"""
from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

from ledger.app import CadreLedger
from ledger.errors import ProjectionConflict
from ledger.facts import named_posts, post_register
from ledger.replay import replay_streams
from ledger.storage.failures import integrity_errors
from ledger.storage.session import Cursor, Session
from ledger.subjects import SUBJECTS
from projections.derive import Rows, cadre_rows, post_rows, unit_rows
from projections.stored_rows import StoredRows
from projections.tables import PROJECTION, SUBJECT_TABLES, TABLES, position, table_spec

NAME = PROJECTION
STAGING = "__rebuild"
PAGE = 2000
BACKLOG = 20_000
BATCH = 200


def claim(c: Cursor, dialect: str, wait: bool = True) -> int:
    """The tracked position, locked until the end of this transaction on PostgreSQL, so that catch-ups in other
    processes wait for this one and then see where it left the read models; without `wait`, a lock held
    elsewhere is an error at once ("could not obtain lock"). On SQLite, a transaction that has read is refused
    the write lock at once ("database is locked") while another process holds it."""
    lock = (" FOR UPDATE" if wait else " FOR UPDATE NOWAIT") if dialect == "postgresql" else ""
    row = c.execute(f"SELECT position FROM proj_tracking WHERE projection = ?{lock}", (NAME,)).fetchone()
    return int(row[0]) if row else 0


def rows_for(app: CadreLedger, subject: Any, post_info: Callable[[str], Any] | None = None) -> Rows:
    """The rows of one subject, from its facts (the posts it names looked up with `post_info`, by default
    `app.post_info`)."""
    kind = subject.subject_key
    with app.reading(app.id_of(SUBJECTS[kind], subject.key), f"{kind}/{subject.key}"):
        if kind == "cadre":
            return cadre_rows(subject.facts, named_posts(subject.facts, post_info or app.post_info))
        if kind == "post":
            return post_rows(subject.facts)
        return unit_rows(subject.facts)


def subject_keys(subject: Any) -> dict[str, str]:
    """The value naming this subject in each per-subject table."""
    stream = f"{subject.subject_key}/{subject.key}"
    return {"cadre": subject.key, "post": subject.key, "stream": stream, "subject": stream}


def write_rows(c: Cursor, rows: Rows, stored: StoredRows) -> None:
    """Insert derived rows, table by table, as stored (sealed on an encrypted ledger)."""
    for table, values in rows.items():
        if values:
            name = table.removesuffix(STAGING)
            c.insert_rows(table, [stored.encode(name, v) for v in values])


def replace_subject(c: Cursor, subject: Any, rows: Rows, stored: StoredRows) -> None:
    """Replace everything the read models hold about one subject."""
    keys = subject_keys(subject)
    for table, column in SUBJECT_TABLES.items():
        if subject.subject_key != "cadre" and column == "cadre":
            continue
        if subject.subject_key != "post" and column == "post":
            continue
        c.execute(f"DELETE FROM {table} WHERE {column} = ?", (stored.key(table, column, keys[column]),))
    write_rows(c, rows, stored)


def advance(c: Cursor, old: int, new: int) -> None:
    """Move the tracked position from `old` to `new`, or refuse when it is no longer `old`."""
    if old == 0 and c.execute("SELECT 1 FROM proj_tracking WHERE projection = ?", (NAME,)).fetchone() is None:
        c.execute("INSERT INTO proj_tracking VALUES (?, ?)", (NAME, new))
        return
    c.execute("UPDATE proj_tracking SET position = ? WHERE projection = ? AND position = ?", (new, NAME, old))
    if c.rowcount != 1:
        raise ProjectionConflict(f"the read models moved past position {old} meanwhile; page up to {new} not applied")


def catch_up(app: CadreLedger, page: int = PAGE, progress: Callable[[int], None] | None = None,
             limit: int | None = None, wait: bool = True) -> int:
    """Apply every event after the tracked position; returns how many were applied. Without `wait`, a page
    that another process is applying at this moment raises its lock error at once (a query then derives the
    lag in memory) instead of waiting for it.

    Each page's subjects are derived from their events up to the page's last position only (events recorded
    meanwhile wait for the next page), so that the tables at a tracked position are exactly what the events
    up to it give — what `verify` checks. A long backlog (more than BACKLOG events, e.g. after a bulk
    import) is applied subject by subject — each touched subject derived once, not once per page — and the
    position moves once at the end.
    """
    if limit is None:
        with app.session.transaction(commit=False) as c:
            start = position(c)
        head = app.recorder.max_notification_id() or 0
        if head - start > BACKLOG:
            return _catch_up_backlog(app, start, head, progress)
    done, stored = 0, StoredRows(app.keys)
    while limit is None or done < limit:
        with app.session.transaction(commit=False) as c:
            start = position(c)
        size = page if limit is None else min(page, limit - done)
        notes = app.recorder.select_notifications(start=start, limit=size, inclusive_of_start=False)
        if not notes:
            break
        versions: dict[Any, int] = {}
        for note in notes:
            versions[note.originator_id] = max(versions.get(note.originator_id, 0), note.originator_version)
        derived = [(s, rows_for(app, s)) for s in subjects_as_of(app, versions)]
        try:
            with app.session.transaction() as c:
                if claim(c, app.session.dialect, wait) != start:  # another process applied this page meanwhile
                    raise ProjectionConflict(f"the read models moved past position {start} meanwhile")
                for subject, rows in derived:
                    replace_subject(c, subject, rows, stored)
                advance(c, start, notes[-1].id)
        except ProjectionConflict:
            continue  # nothing of this page was written (one transaction): read on from where the other left
        except integrity_errors():
            if start != 0:
                raise
            continue  # two first catch-ups at once: the other one's rows and position are there
        done += len(notes)
        if progress:
            progress(len(notes))
    return done


def subjects_as_of(app: CadreLedger, versions: dict[Any, int]) -> list[Any]:
    """The subjects with these ids, each as of its given version (later events are left for later)."""
    subjects = []
    for agg_id, version in versions.items():
        subject = app.load_subject(agg_id if isinstance(agg_id, UUID) else UUID(str(agg_id)))
        if subject is None:
            continue
        if subject.version > version:
            subject = copy.copy(subject)  # loaded subjects are shared with the loader's cache
            subject.facts = subject.facts[:version]
        subjects.append(subject)
    return subjects


def _catch_up_backlog(app: CadreLedger, start: int, head: int, progress: Callable[[int], None] | None) -> int:
    versions = versions_between(app, start, head)
    ids, stored = list(versions), StoredRows(app.keys)
    for chunk in range(0, len(ids), BATCH):
        subjects = subjects_as_of(app, {agg_id: versions[agg_id] for agg_id in ids[chunk:chunk + BATCH]})
        derived = [(s, rows_for(app, s)) for s in subjects]
        with app.session.transaction() as c:
            for subject, rows in derived:
                replace_subject(c, subject, rows, stored)
        if progress:
            progress(sum(len(s.facts) for s in subjects))
    with app.session.transaction() as c:
        advance(c, start, head)
    return head - start


def versions_between(app: CadreLedger, start: int, head: int) -> dict[Any, int]:
    """Each aggregate with an event in (start, head], and its version at `head`."""
    with app.session.transaction(commit=False) as c:
        c.raw.execute(app.session.tables.versions_between, (start, head))
        return {r[0]: int(r[1]) for r in c.raw.fetchall()}


def rebuild(app: CadreLedger, progress: Callable[[int], None] | None = None, batch: int = BATCH,
            tables: Sequence[str] | None = None) -> int:
    """Derive the read models (or only `tables`) again from every stored event, atomically: the new rows are
    written to staging tables, which replace the old ones in one transaction at the end. A crash, a wrong key
    or any error before that leaves the old tables as they were."""
    whole = tables is None
    chosen = [t for t in TABLES if t != "proj_tracking" and (tables is None or t in tables)]
    session, stored = app.session, StoredRows(app.keys)
    with session.transaction() as c:
        for table in chosen:
            c.execute(f"DROP TABLE IF EXISTS {table}{STAGING}")
            c.execute(f"CREATE TABLE {table}{STAGING} ({table_spec(table)})")
    top, count, pending = 0, 0, []
    posts = post_lookup(app)
    try:
        for subject in replay_streams(session, app.mapper):
            posts.see(subject)
            top = max(top, subject.positions[-1])
            count += len(subject.facts)
            pending.append({f"{t}{STAGING}": rows for t, rows in rows_for(app, subject, posts).items()
                            if t in chosen})
            if len(pending) >= batch:
                _write_batch(session, pending, stored)
                pending = []
            if progress:
                progress(len(subject.facts))
        _write_batch(session, pending, stored)
        with session.transaction() as c:
            for table in chosen:
                c.execute(f"DELETE FROM {table}")
                c.execute(f"INSERT INTO {table} SELECT * FROM {table}{STAGING}")
            if whole:
                c.execute("DELETE FROM proj_tracking WHERE projection = ?", (NAME,))
                c.execute("INSERT INTO proj_tracking VALUES (?, ?)", (NAME, top))
    finally:
        with session.transaction() as c:
            for table in chosen:
                c.execute(f"DROP TABLE IF EXISTS {table}{STAGING}")
    catch_up(app)
    return count


class PostLookup:
    """`app.post_info` for a pass over every stream, each post looked up once (most are named many times, and
    each lookup reads the database), or taken from its own stream when the pass has replayed it."""

    def __init__(self, app: CadreLedger) -> None:
        self.app = app
        self.known: dict[str, Any] = {}

    def __call__(self, post: str) -> Any:
        if post not in self.known:
            self.known[post] = self.app.post_info(post)
        return self.known[post]

    def see(self, subject: Any) -> None:
        """A replayed stream: a post's register fields, as `post_info` gives them from its facts."""
        if subject.subject_key == "post" and subject.facts and subject.key not in self.known:
            self.known[subject.key] = post_register(subject.facts)


def post_lookup(app: CadreLedger) -> PostLookup:
    """A `PostLookup` for one pass over every stream."""
    return PostLookup(app)


def _write_batch(session: Session, batch: list[Rows], stored: StoredRows) -> None:
    """The rows of many subjects, table by table (one COPY per table on PostgreSQL)."""
    merged: Rows = {}
    for rows in batch:
        for table, values in rows.items():
            merged.setdefault(table, []).extend(values)
    with session.transaction() as c:
        write_rows(c, merged, stored)
