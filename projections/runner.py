"""Keeping the read models up to date: catch-up with tracking, and rebuild from zero.

Catch-up reads the log after the tracked position in pages; for each page it re-derives the rows of
every subject the page touches and writes them together with the page's last position in ONE
transaction. The position only moves forward from the value read (compare-and-set), so a page is
applied exactly once even with two catch-ups racing; re-deriving a subject is idempotent anyway.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import resolve_topic

from ledger.aggregate import Subject
from ledger.errors import LedgerError
from ledger.facts import Fact, named_posts
from ledger.transcoder import plain_state
from ledger.workspace import fact_of
from projections.db import SUBJECT_TABLES, TABLES, Cursor, Db
from projections.derive import Rows, cadre_rows, post_rows, unit_rows

NAME = "read-models"
PAGE = 2000
BACKLOG = 20_000
BATCH = 200


class ProjectionConflict(LedgerError):
    """Another process moved the read models' position first; this page was not applied."""


def position(c: Cursor) -> int:
    """The last log position applied to the read models (0 when none)."""
    row = c.execute("SELECT position FROM proj_tracking WHERE projection = ?", (NAME,)).fetchone()
    return int(row[0]) if row else 0


def rows_for(app: Any, subject: Subject) -> Rows:
    """The rows of one subject, from its facts."""
    kind = subject.subject_key
    if kind == "cadre":
        return cadre_rows(subject.facts, named_posts(subject.facts, app.post_info), with_names=not app.mapper.cipher)
    if kind == "post":
        return post_rows(subject.facts)
    return unit_rows(subject.facts)


def subject_keys(subject: Subject) -> dict[str, str]:
    """The value naming this subject in each per-subject table."""
    stream = f"{subject.subject_key}/{subject.key}"
    return {"cadre": subject.key, "post": subject.key, "stream": stream, "subject": stream}


def write_rows(c: Cursor, rows: Rows) -> None:
    """Insert derived rows, table by table."""
    for table, values in rows.items():
        if values:
            marks = ",".join("?" * len(values[0]))
            c.executemany(f"INSERT INTO {table} VALUES ({marks})", values)


def replace_subject(c: Cursor, subject: Subject, rows: Rows) -> None:
    """Replace everything the read models hold about one subject."""
    keys = subject_keys(subject)
    for table, column in SUBJECT_TABLES.items():
        if subject.subject_key != "cadre" and column == "cadre":
            continue
        if subject.subject_key != "post" and column == "post":
            continue
        c.execute(f"DELETE FROM {table} WHERE {column} = ?", (keys[column],))
    write_rows(c, rows)


def advance(c: Cursor, old: int, new: int) -> None:
    """Move the tracked position from `old` to `new`, or refuse when it is no longer `old`."""
    if old == 0 and c.execute("SELECT 1 FROM proj_tracking WHERE projection = ?", (NAME,)).fetchone() is None:
        c.execute("INSERT INTO proj_tracking VALUES (?, ?)", (NAME, new))
        return
    c.execute("UPDATE proj_tracking SET position = ? WHERE projection = ? AND position = ?", (new, NAME, old))
    if c.rowcount != 1:
        raise ProjectionConflict(f"the read models moved past position {old} meanwhile; page up to {new} not applied")


def catch_up(app: Any, db: Db, page: int = PAGE, progress: Callable[[int], None] | None = None,
             limit: int | None = None) -> int:
    """Apply every event after the tracked position; returns how many were applied.

    A long backlog (more than BACKLOG events, e.g. after a bulk import) is applied subject by subject —
    each touched subject derived once, not once per page — and the position moves once at the end.
    """
    if limit is None:
        with db.transaction(commit=False) as c:
            start = position(c)
        head = app.recorder.max_notification_id() or 0
        if head - start > BACKLOG:
            return _catch_up_backlog(app, db, start, head, progress)
    done = 0
    while limit is None or done < limit:
        with db.transaction(commit=False) as c:
            start = position(c)
        size = page if limit is None else min(page, limit - done)
        notes = app.recorder.select_notifications(start=start, limit=size, inclusive_of_start=False)
        if not notes:
            break
        touched: dict[UUID, None] = dict.fromkeys(n.originator_id for n in notes)
        subjects = [s for agg_id in touched if (s := app.load_subject(agg_id)) is not None]
        derived = [(s, rows_for(app, s)) for s in subjects]
        with db.transaction() as c:
            for subject, rows in derived:
                replace_subject(c, subject, rows)
            advance(c, start, notes[-1].id)
        done += len(notes)
        if progress:
            progress(len(notes))
    return done


def _catch_up_backlog(app: Any, db: Db, start: int, head: int, progress: Callable[[int], None] | None) -> int:
    ids = _subjects_between(app, start, head)
    for chunk in range(0, len(ids), BATCH):
        subjects = [s for agg_id in ids[chunk:chunk + BATCH] if (s := app.load_subject(agg_id)) is not None]
        derived = [(s, rows_for(app, s)) for s in subjects]
        with db.transaction() as c:
            for subject, rows in derived:
                replace_subject(c, subject, rows)
        if progress:
            progress(sum(s.version for s in subjects))
    with db.transaction() as c:
        advance(c, start, head)
    return head - start


def _subjects_between(app: Any, start: int, head: int) -> list[UUID]:
    """The aggregates with an event in (start, head]."""
    table = app.recorder.events_table_name
    datastore = app.recorder.datastore
    if app.database.kind == "postgresql":
        from psycopg.sql import SQL, Identifier

        with datastore.transaction(commit=False) as curs:
            curs.execute(SQL("SELECT DISTINCT originator_id FROM {}.{} WHERE notification_id > %s AND "
                             "notification_id <= %s").format(Identifier(datastore.schema), Identifier(table)),
                         (start, head))
            return [r["originator_id"] for r in curs.fetchall()]
    with datastore.transaction(commit=False) as curs:
        curs.execute(f"SELECT DISTINCT originator_id FROM {table} WHERE rowid > ? AND rowid <= ?", (start, head))
        return [UUID(r[0]) for r in curs.fetchall()]


def rebuild(app: Any, db: Db, progress: Callable[[int], None] | None = None, batch: int = BATCH) -> int:
    """Throw the read models away and derive them again from every stored event."""
    with db.transaction() as c:
        for table in TABLES:
            c.execute(f"DELETE FROM {table}")
    top, count, pending = 0, 0, []
    for subject, events, last in _subjects_in_log(app):
        top = max(top, last)
        count += events
        pending.append(rows_for(app, subject))
        if len(pending) >= batch:
            _write_batch(db, pending)
            pending = []
        if progress:
            progress(events)
    _write_batch(db, pending)
    with db.transaction() as c:
        advance(c, 0, top)
    catch_up(app, db)
    return count


def _write_batch(db: Db, batch: list[Rows]) -> None:
    with db.transaction() as c:
        for rows in batch:
            write_rows(c, rows)


@dataclass
class Replayed:
    """A subject rebuilt straight from its stored states (what `rows_for` needs of an aggregate)."""

    subject_key: str
    key: str
    facts: list[Fact] = field(default_factory=list)


@lru_cache(maxsize=None)
def _event_class(topic: str) -> Any:
    return resolve_topic(topic)


def _subjects_in_log(app: Any) -> Iterator[tuple[Any, int, int]]:
    """Each subject's facts straight from its stored states, one subject at a time: (subject, events, max position).

    No domain-event objects are made: each state is decoded and turned into its fact as `Decided.fact` does.
    States of a newer class version go through the library's mapper and its upcasters instead.
    """
    mapper = app.mapper
    current: Replayed | None = None
    current_id: Any = None
    events = top = 0
    for agg_id, version, topic, state, notification_id in _stream_events(app):
        if current is not None and agg_id != current_id:
            yield current, events, top
            current, events, top = None, 0, 0
        cls = _event_class(topic)
        data = mapper.transcoder.decode(plain_state(mapper, state))
        if "class_version" in data:  # an older schema: let the library upcast it
            stored = StoredEvent(originator_id=UUID(str(agg_id)), originator_version=version, topic=topic, state=state)
            data = dict(vars(mapper.to_domain_event(stored)))
        if current is None:
            subject_class = resolve_topic(data["originator_topic"])
            current, current_id = Replayed(subject_class.subject_key, data["key"]), agg_id
        current.facts.append(fact_of(data, cls.decision_type, version, current.subject_key, current.key))
        events += 1
        top = max(top, notification_id)
    if current is not None:
        yield current, events, top


def _stream_events(app: Any) -> Iterator[tuple[Any, int, str, bytes, int]]:
    """Every stored event ordered by aggregate then version, read in one consistent snapshot."""
    datastore = app.recorder.datastore
    table = app.recorder.events_table_name
    if app.database.kind == "postgresql":
        from psycopg.sql import SQL, Identifier

        with datastore.get_connection() as conn, conn.transaction(), conn.cursor(name="rebuild") as curs:
            curs.itersize = 5000
            curs.execute(SQL("SELECT originator_id, originator_version, topic, state, notification_id FROM {}.{} "
                             "ORDER BY originator_id, originator_version").format(
                Identifier(datastore.schema), Identifier(table)))
            for row in curs:
                yield row["originator_id"], row["originator_version"], row["topic"], bytes(row["state"]), \
                    row["notification_id"]
    else:
        with datastore.transaction(commit=False) as curs:
            curs.execute(f"SELECT originator_id, originator_version, topic, state, rowid FROM {table} "
                         "ORDER BY originator_id, originator_version")
            while rows := curs.sqlite_cursor.fetchmany(5000):
                for row in rows:
                    yield row[0], row[1], row[2], row[3], row[4]
