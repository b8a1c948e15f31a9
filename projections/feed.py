"""The feed for downstream systems: every event as an envelope, in log order, resumable by position.

An envelope holds `position`, `id` (decision id), `stream`, `version`, `type`, `effective_on`,
`recorded_at`, `actor`, `data` (the decision as recorded) and `hash` (the event's seal). Memory stays
bounded: the log is read in pages, from one query in one read snapshot (on PostgreSQL a server-side cursor).
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ledger.app import CadreLedger
from ledger.events import COMMON_FIELDS
from ledger.fastpaths import UNREADABLE, decode_state, event_class
from ledger.storage.session import pages

PAGE = 5000
ENVELOPE_FIELDS = ("position", "id", "stream", "version", "type", "effective_on", "recorded_at", "actor", "data",
                   "hash")


def envelopes(app: CadreLedger, after: int = 0, types: Sequence[str] = (), cadre: str | None = None,
              page: int = PAGE, upto: int | None = None) -> Iterator[dict[str, Any]]:
    """Every envelope after `after` (exclusive) and up to `upto` (default: all), in log order.

    Dates, datetimes and amounts in envelopes are the ISO / decimal strings they are stored as."""
    session, mapper = app.session, app.mapper
    stream = f"cadre/{cadre}" if cadre else None
    sql = session.tables.feed_rows(len(types), stream is not None)
    params = [after, upto if upto is not None else 2**62, *types, *([stream] if stream else [])]
    names: dict[str, tuple[str, Any]] = {}  # per stream the index holds: its name in envelopes, its aggregate id
    with session.snapshot() as c:
        for pos, version, topic, state, stored_stream, event_hash in pages(c, sql, "cadre_ledger_feed", params, page):
            named = names.get(stored_stream)
            if named is None:
                named = names[stored_stream] = (app.stream_name(stored_stream), app.stream_id(stored_stream))
            try:
                data = decode_state(mapper, topic, state, named[1], version, for_json=True)
                item = envelope(pos, version, topic, data, named[0], event_hash)
            except UNREADABLE as error:
                raise app.unreadable(f"the stored event at position {pos} (v{version} of {named[0]})",
                                     error) from None
            yield item


def follow(app: CadreLedger, after: int = 0, types: Sequence[str] = (), cadre: str | None = None,
           interval: float = 0.5, should_stop: Callable[[], bool] = lambda: False) -> Iterator[dict[str, Any]]:
    """Envelopes after `after`, then new ones as they are recorded (LISTEN/NOTIFY on PostgreSQL, polling on SQLite)."""
    position = after
    wait = _waiter(app, interval)
    try:
        while not should_stop():
            # positions become visible in commit order, so nothing at or below `head` can appear later
            head = max(position, app.recorder.max_notification_id() or 0)
            yield from envelopes(app, position, types, cadre, upto=head)
            position = head
            wait()
    finally:
        wait.close()


def envelope(position: int, version: int, topic: str, state: dict[str, Any], stream: str,
             event_hash: bytes | None) -> dict[str, Any]:
    """One envelope from a stored event's decoded state."""
    kind, key = stream.split("/", 1)
    dtype = event_class(topic).decision_type
    data: dict[str, Any] = {"id": state["decision_id"], "type": dtype, "on": state["on"], kind: key}
    for name in COMMON_FIELDS:
        if state.get(name) is not None:
            data[name] = state[name]
    data.update(state["details"])
    return {
        "position": position, "id": state["decision_id"], "stream": stream, "version": version, "type": dtype,
        "effective_on": state["on"], "recorded_at": state["timestamp"], "actor": state["actor"], "data": data,
        "hash": bytes(event_hash).hex() if event_hash is not None else None,
    }


class _Poll:
    def __init__(self, interval: float) -> None:
        self.interval = interval

    def __call__(self) -> None:
        time.sleep(self.interval)

    def close(self) -> None:
        return None


class _Listen:
    """Wakes on the PostgreSQL NOTIFY the ledger sends with every insert (or after `interval` at the latest)."""

    def __init__(self, app: CadreLedger, interval: float) -> None:
        import psycopg
        from psycopg.sql import SQL, Identifier

        db = app.database
        self.conn = psycopg.connect(host=db.host, port=db.port, user=db.user, password=db.password or None,
                                    dbname=db.dbname, autocommit=True)
        self.conn.execute(SQL("LISTEN {}").format(Identifier(app.recorder.channel_name)))  # type: ignore[attr-defined]
        self.interval = interval

    def __call__(self) -> None:
        for _ in self.conn.notifies(timeout=self.interval, stop_after=1):
            break

    def close(self) -> None:
        self.conn.close()


def _waiter(app: CadreLedger, interval: float) -> _Poll | _Listen:
    """LISTEN on PostgreSQL, polling on SQLite and where LISTEN is refused (a hot standby)."""
    if app.database.kind != "postgresql":
        return _Poll(interval)
    import psycopg

    try:
        return _Listen(app, max(interval, 1.0))
    except psycopg.Error:
        return _Poll(interval)

