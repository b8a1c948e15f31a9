"""Keeping the read models up to date: catch-up with tracking, and rebuild from zero.

Catch-up reads the log after the tracked position in pages; for each page it re-derives the rows of
every subject the page touches and writes them together with the page's last position in ONE
transaction. The position only moves forward from the value read (compare-and-set), so a page is
applied exactly once even with two catch-ups racing; re-deriving a subject is idempotent anyway.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from ledger.app import CadreLedger
from ledger.errors import ProjectionConflict
from ledger.facts import Fact, named_posts
from ledger.fastpaths import UNREADABLE, decode_state, event_class, fact_of
from ledger.storage.session import Cursor, Session
from ledger.subjects import SUBJECTS
from projections.derive import Rows, cadre_rows, post_rows, unit_rows
from projections.tables import SUBJECT_TABLES, TABLES

NAME = "read-models"
PAGE = 2000
BACKLOG = 20_000
BATCH = 200


def position(c: Cursor) -> int:
    """The last log position applied to the read models (0 when none)."""
    row = c.execute("SELECT position FROM proj_tracking WHERE projection = ?", (NAME,)).fetchone()
    return int(row[0]) if row else 0


def rows_for(app: CadreLedger, subject: Any) -> Rows:
    """The rows of one subject, from its facts."""
    kind = subject.subject_key
    with app.reading(SUBJECTS[kind].id_for(subject.key), f"{kind}/{subject.key}"):
        if kind == "cadre":
            return cadre_rows(subject.facts, named_posts(subject.facts, app.post_info), with_names=not app.encrypted)
        if kind == "post":
            return post_rows(subject.facts)
        return unit_rows(subject.facts)


def subject_keys(subject: Any) -> dict[str, str]:
    """The value naming this subject in each per-subject table."""
    stream = f"{subject.subject_key}/{subject.key}"
    return {"cadre": subject.key, "post": subject.key, "stream": stream, "subject": stream}


def write_rows(c: Cursor, rows: Rows) -> None:
    """Insert derived rows, table by table."""
    for table, values in rows.items():
        if values:
            marks = ",".join("?" * len(values[0]))
            c.executemany(f"INSERT INTO {table} VALUES ({marks})", values)


def replace_subject(c: Cursor, subject: Any, rows: Rows) -> None:
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


def catch_up(app: CadreLedger, page: int = PAGE, progress: Callable[[int], None] | None = None,
             limit: int | None = None) -> int:
    """Apply every event after the tracked position; returns how many were applied.

    A long backlog (more than BACKLOG events, e.g. after a bulk import) is applied subject by subject —
    each touched subject derived once, not once per page — and the position moves once at the end.
    """
    if limit is None:
        with app.session.transaction(commit=False) as c:
            start = position(c)
        head = app.recorder.max_notification_id() or 0
        if head - start > BACKLOG:
            return _catch_up_backlog(app, start, head, progress)
    done = 0
    while limit is None or done < limit:
        with app.session.transaction(commit=False) as c:
            start = position(c)
        size = page if limit is None else min(page, limit - done)
        notes = app.recorder.select_notifications(start=start, limit=size, inclusive_of_start=False)
        if not notes:
            break
        touched: dict[Any, None] = dict.fromkeys(n.originator_id for n in notes)
        subjects = [s for agg_id in touched if (s := app.load_subject(agg_id)) is not None]
        derived = [(s, rows_for(app, s)) for s in subjects]
        with app.session.transaction() as c:
            for subject, rows in derived:
                replace_subject(c, subject, rows)
            advance(c, start, notes[-1].id)
        done += len(notes)
        if progress:
            progress(len(notes))
    return done


def _catch_up_backlog(app: CadreLedger, start: int, head: int, progress: Callable[[int], None] | None) -> int:
    ids = _subjects_between(app, start, head)
    for chunk in range(0, len(ids), BATCH):
        subjects = [s for agg_id in ids[chunk:chunk + BATCH] if (s := app.load_subject(agg_id)) is not None]
        derived = [(s, rows_for(app, s)) for s in subjects]
        with app.session.transaction() as c:
            for subject, rows in derived:
                replace_subject(c, subject, rows)
        if progress:
            progress(sum(s.version for s in subjects))
    with app.session.transaction() as c:
        advance(c, start, head)
    return head - start


def _subjects_between(app: CadreLedger, start: int, head: int) -> list[UUID]:
    """The aggregates with an event in (start, head]."""
    with app.session.transaction(commit=False) as c:
        c.raw.execute(app.session.tables.originators_between, (start, head))
        return [r[0] if isinstance(r[0], UUID) else UUID(r[0]) for r in c.raw.fetchall()]


def rebuild(app: CadreLedger, progress: Callable[[int], None] | None = None, batch: int = BATCH,
            tables: Sequence[str] | None = None) -> int:
    """Throw the read models (or only `tables`) away and derive them again from every stored event."""
    whole = tables is None
    chosen = set(TABLES if tables is None else tables)
    with app.session.transaction() as c:
        for table in chosen:
            c.execute(f"DELETE FROM {table}")
    top, count, pending = 0, 0, []
    for subject, events, last in _subjects_in_log(app):
        top = max(top, last)
        count += events
        pending.append({t: rows for t, rows in rows_for(app, subject).items() if t in chosen})
        if len(pending) >= batch:
            _write_batch(app.session, pending)
            pending = []
        if progress:
            progress(events)
    _write_batch(app.session, pending)
    if whole:
        with app.session.transaction() as c:
            advance(c, 0, top)
    catch_up(app)
    return count


def _write_batch(session: Session, batch: list[Rows]) -> None:
    with session.transaction() as c:
        for rows in batch:
            write_rows(c, rows)


@dataclass
class Replayed:
    """A subject rebuilt straight from its stored states (what `rows_for` needs of an aggregate)."""

    subject_key: str
    key: str
    facts: list[Fact] = field(default_factory=list)


def _subjects_in_log(app: CadreLedger) -> Iterator[tuple[Replayed, int, int]]:
    """Each subject's facts straight from its stored states, one subject at a time: (subject, events, max position).

    No domain-event objects are made: each state is decoded (and upcast) and turned into its fact as
    `Decided.fact` does (see `ledger.fastpaths`).
    """
    mapper = app.mapper
    current: Replayed | None = None
    current_id: Any = None
    events = top = 0
    for agg_id, version, topic, state, position in _stream_events(app):
        if current is not None and agg_id != current_id:
            yield current, events, top
            current, events, top = None, 0, 0
        try:
            data = decode_state(mapper, topic, state, agg_id, version)
            if current is None:
                subject_class = event_class(data["originator_topic"])
                current, current_id = Replayed(subject_class.subject_key, data["key"]), agg_id
            current.facts.append(fact_of(data, event_class(topic).decision_type, version, current.subject_key,
                                         current.key))
        except UNREADABLE as error:
            raise app.unreadable(f"the stored event at position {position} (v{version} of {agg_id})", error) from None
        events += 1
        top = max(top, position)
    if current is not None:
        yield current, events, top


def _stream_events(app: CadreLedger) -> Iterator[tuple[UUID, int, str, bytes, int]]:
    """Every stored event ordered by aggregate then version, read in one consistent snapshot."""
    session = app.session
    with session.snapshot() as c:
        if session.dialect == "postgresql":
            from psycopg.rows import tuple_row

            with c.connection.cursor(name="rebuild", row_factory=tuple_row) as named:
                named.itersize = 5000
                named.execute(session.tables.events_by_stream)
                for oid, version, topic, state, position in named:
                    yield oid, version, topic, bytes(state), position
            return
        c.raw.execute(session.tables.events_by_stream)
        while rows := c.raw.fetchmany(5000):
            for oid, version, topic, state, position in rows:
                yield UUID(oid), version, topic, state, position
