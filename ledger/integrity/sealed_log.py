"""Reading a stored log with its seals for the verifier: fast page-wise reads that never crash on damage.

The events come joined with their seals and decision-index rows in position order, in large pages, as
tuples (position, originator_id, version, topic, state, leaf_index, event_hash, chain_hash, format,
recorded_at, decision_id, content_hash, type, stream), the seal or index columns None when the event has no
seal or no index row. On SQLite a value whose storage type was changed (a TEXT state, a BLOB
topic, a TEXT version) arrives with a Python type the hashing refuses, or, when the text is not even
UTF-8, the page is read again with casts and the damaged value arrives as None: either way the verifier
reports the row as changed instead of crashing.
"""
from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import suppress
from functools import partial
from itertools import chain
from typing import Any, TypeVar

from ledger.integrity.sealing import StoredHead
from ledger.storage.tables import LATER_SEAL_COLUMNS, SEAL_COLUMNS, Tables

PAGE = 20_000
PG_PAGE = 5_000  # psycopg holds a whole fetched page twice (the result and its rows)
MIN_KEY = -(1 << 63)
UUID_OID = 2950
EVENT_TYPES = (
    ("originator_id", "text"), ("originator_version", "integer"), ("topic", "text"), ("state", "blob"),
)
SEAL_TYPES = (("leaf_index", "integer"), ("event_hash", "blob"), ("chain_hash", "blob"), ("format", "integer"),
              ("recorded_at", "integer"))
INDEX_TYPES = (("decision_id", "text"), ("content_hash", "text"), ("type", "text"), ("stream", "text"))
Joined = tuple[Any, ...]
T = TypeVar("T")


class DbReader:
    """The verifier's view of one database, inside the caller's read transaction."""

    def __init__(self, connection: Any, tables: Tables, seal_columns: frozenset[str] = frozenset(SEAL_COLUMNS)
                 ) -> None:
        self.connection, self.tables, self.dialect = connection, tables, tables.dialect
        self.present = seal_columns
        self.events, self.seals = tables.events, tables.seals
        self.nodes_table, self.head_table = tables.nodes, tables.head
        self.pos = tables.position
        self.mark = "?" if self.dialect == "sqlite" else "%s"
        self.oid = "e.originator_id"
        if self.dialect == "postgresql":
            cursor = self._cursor()
            cursor.execute(f"SELECT originator_id FROM {self.events} LIMIT 0")
            if cursor.description[0].type_code == UUID_OID:
                self.oid = "replace(e.originator_id::text, '-', '')"

    def _cursor(self, name: str | None = None) -> Any:
        """A tuple-returning cursor; on PostgreSQL a named (server-side) one when `name` is given."""
        if self.dialect == "sqlite":
            cursor = self.connection.cursor()
            cursor.row_factory = None  # the application's connection makes sqlite3.Row rows
            return cursor
        from psycopg.rows import tuple_row

        if name:
            return self.connection.cursor(name=name, row_factory=tuple_row, binary=True)
        return self.connection.cursor(row_factory=tuple_row)

    def _one(self, statement: str, params: Sequence[Any] = ()) -> Any:
        cursor = self._cursor()
        cursor.execute(statement, params)
        return cursor.fetchone()

    def head(self) -> StoredHead | str | None:
        """The stored head row, None when there is none, or what is wrong with it."""
        if self.dialect == "sqlite":
            row = self._one(f"SELECT size, last_position, CAST(chain_head AS BLOB), CAST(frontier AS BLOB), "
                            f"typeof(chain_head), typeof(frontier) FROM {self.head_table} WHERE id = 1")
            if row is not None and row[4:] != ("blob", "blob"):
                return "its hashes are not stored as blobs"
        else:
            row = self._one(f"SELECT size, last_position, chain_head, frontier FROM {self.head_table} "
                            "WHERE id = 1")
        if row is None:
            return None
        size, last, chain, frontier = row[:4]
        if type(size) is not int or type(last) is not int or chain is None or frontier is None:
            return "its size or last position is not a number"
        return StoredHead(size, last, bytes(chain), bytes(frontier))

    def rows(self) -> Iterator[Sequence[Joined]]:
        """Every event joined with its seal, in position order, page by page."""
        joined = (f"FROM {self.events} e LEFT JOIN {self.seals} s ON s.position = e.{self.pos} "
                  f"LEFT JOIN {self.tables.decisions} d ON d.position = e.{self.pos}")
        fast = self.tables.sealed_events_page(self.present, self.oid)
        if self.dialect == "postgresql":
            cursor = self._cursor("cadre_ledger_verify_events")
            cursor.execute(fast, (MIN_KEY,))
            yield from read_ahead(iter(partial(cursor.fetchmany, PG_PAGE), []))
            cursor.close()
            return
        yield from _sqlite_pages(self.connection, fast, _robust(joined, self.pos, self.present), _convert_event)

    def nodes(self) -> Iterator[tuple[int, Any]]:
        """Every stored interior node as (node_key, hash), in key order."""
        return chain.from_iterable(self._node_pages())

    def _node_pages(self) -> Iterator[Sequence[tuple[int, Any]]]:
        fast = self.tables.nodes_after
        if self.dialect == "postgresql":
            cursor = self._cursor("cadre_ledger_verify_nodes")
            cursor.execute(fast, (MIN_KEY,))
            while page := cursor.fetchmany(PG_PAGE):
                yield page
            cursor.close()
            return
        robust = (f"SELECT node_key, CAST(hash AS BLOB), typeof(hash) FROM {self.nodes_table} "
                  "WHERE node_key > ? ORDER BY node_key LIMIT ?")
        yield from _sqlite_pages(self.connection, fast, robust, _convert_node)

    def seal_count(self) -> int:
        """How many seals are stored."""
        return int(self._one(f"SELECT count(*) FROM {self.seals}")[0])

    def first_orphan(self, before: int | None) -> tuple[int, Any, Any, Any] | None:
        """The first seal (position, leaf, originator_id, version) whose event is gone, before `before`."""
        limit = "" if before is None else f"AND s.position < {self.mark} "
        cast = "CAST(s.originator_id AS BLOB)" if self.dialect == "sqlite" else "s.originator_id"
        row = self._one(
            f"SELECT s.position, s.leaf_index, {cast}, s.originator_version FROM {self.seals} s "
            f"WHERE NOT EXISTS (SELECT 1 FROM {self.events} e WHERE e.{self.pos} = s.position) "
            f"{limit}ORDER BY s.position LIMIT 1",
            () if before is None else (before,))
        return None if row is None else (row[0], row[1], _text(row[2]), row[3])

    def seal_identity(self, position: int) -> tuple[Any, Any] | None:
        """The (originator_id, version) the seal at `position` names, or None."""
        cast = "CAST(originator_id AS BLOB)" if self.dialect == "sqlite" else "originator_id"
        row = self._one(f"SELECT {cast}, originator_version FROM {self.seals} WHERE position = {self.mark}",
                        (position,))
        return None if row is None else (_text(row[0]), row[1])

    def damage(self, position: int) -> str | None:
        """Which stored values of the event at `position` or its seal have the wrong type or are NULL."""
        if self.dialect == "postgresql":
            row = self._one(f"SELECT e.topic IS NULL, e.state IS NULL FROM {self.events} e "
                            f"WHERE e.{self.pos} = %s", (position,))
            nulls = [name for name, null in zip(("topic", "state"), row or ()) if null]
            return f"its {' and '.join(nulls)} {'is' if len(nulls) == 1 else 'are'} NULL" if nulls else None
        seal_types = [(c, w) for c, w in SEAL_TYPES if c in self.present]
        columns = [f"typeof(e.{c})" for c, _ in EVENT_TYPES] + [f"typeof(s.{c})" for c, _ in seal_types]
        columns += [f"typeof(d.{c})" for c, _ in INDEX_TYPES]
        row = self._one(f"SELECT {', '.join(columns)} FROM {self.events} e LEFT JOIN {self.seals} s "
                        f"ON s.position = e.rowid LEFT JOIN {self.tables.decisions} d ON d.position = e.rowid "
                        "WHERE e.rowid = ?", (position,))
        if row is None:
            return None
        wrong = [f"its {name} is stored as {got}, not {want}"
                 for (name, want), got in zip(EVENT_TYPES, row) if got != want]
        wrong += [f"its seal's {name} is stored as {got}, not {want}"
                  for (name, want), got in zip(seal_types, row[4:]) if got not in (want, "null")]
        wrong += [f"its decision-index row's {name} is stored as {got}, not {want}"
                  for (name, want), got in zip(INDEX_TYPES, row[4 + len(seal_types):]) if got not in (want, "null")]
        return "; ".join(wrong) or None


def read_ahead(pages: Iterator[T], depth: int = 2) -> Iterator[T]:
    """`pages`, each read on a thread while the caller works on the one before (psycopg waits for the server
    without holding the GIL, so the server's work and the caller's overlap). The thread is done when this is."""
    ready: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def read() -> None:
        try:
            for page in pages:
                while not stop.is_set():
                    try:
                        ready.put(("page", page), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            ready.put(("end", None))
        except BaseException as error:  # noqa: BLE001 - raised again in the caller's thread
            ready.put(("error", error))

    reader = threading.Thread(target=read, name="cadre-ledger-read-ahead", daemon=True)
    reader.start()
    try:
        while True:
            kind, value = ready.get()
            if kind == "page":
                yield value
            elif kind == "error":
                raise value
            else:
                return
    finally:
        stop.set()
        while reader.is_alive():
            with suppress(queue.Empty):
                ready.get(timeout=0.1)
        reader.join()


def _robust(joined: str, pos: str, present: frozenset[str]) -> str:
    """The SQLite events query that casts every value to a blob and says which type it was stored as."""
    values = [f"CAST(e.{c} AS BLOB), typeof(e.{c})" for c, _ in EVENT_TYPES]
    defaults = dict(LATER_SEAL_COLUMNS)
    for column, _ in SEAL_TYPES:
        if column in present:
            values.append(f"CAST(s.{column} AS BLOB), typeof(s.{column})")
        else:
            values.append(f"{defaults[column]}, typeof({defaults[column]})")
    values += [f"CAST(d.{c} AS BLOB), typeof(d.{c})" for c, _ in INDEX_TYPES]
    return f"SELECT e.{pos}, {', '.join(values)} {joined} WHERE e.{pos} > ? ORDER BY e.{pos} LIMIT ?"


def _sqlite_pages(
    connection: sqlite3.Connection, fast: str, robust: str, convert: Any
) -> Iterator[list[Any]]:
    """Pages of `fast` (keyed on its first column, param key > ?); a page with text that is not UTF-8 is
    read again with `robust` (param key > ? and LIMIT ?), each row through `convert`."""
    after = MIN_KEY
    while True:
        cursor = connection.cursor()
        cursor.row_factory = None
        cursor.execute(fast, (after,))
        try:
            while page := cursor.fetchmany(PAGE):
                yield page
                after = page[-1][0]
            return
        except sqlite3.OperationalError as error:
            if "decode" not in str(error):
                raise
        cursor = connection.cursor()
        cursor.row_factory = None
        page = [convert(row) for row in cursor.execute(robust, (after, PAGE))]
        if not page:
            return
        yield page
        after = page[-1][0]


def _text(value: Any) -> Any:
    """Stored bytes of a TEXT value as str when they are UTF-8, else unchanged."""
    if isinstance(value, bytes):
        try:
            return value.decode()
        except UnicodeDecodeError:
            return value
    return value


def _as(value: Any, stored: str, want: str) -> Any:
    """A robustly read value as the fast read would give it, or None when its storage type is wrong."""
    if stored != want:
        return None
    if want == "text":
        text = _text(value)
        return text if isinstance(text, str) else None
    if want == "integer":
        return int(value)
    return value


def _convert_event(row: Sequence[Any]) -> Joined:
    """A robust events row as a fast one: position, the event's values (None when of the wrong type), the
    seal's (b"" when of the wrong type) and the decision-index row's (None when of the wrong type)."""
    pairs = [(row[1 + 2 * i], row[2 + 2 * i]) for i in range(len(EVENT_TYPES) + len(SEAL_TYPES) + len(INDEX_TYPES))]
    values = [_as(v, stored, want) for (v, stored), (_, want) in zip(pairs, EVENT_TYPES)]
    seal_pairs = pairs[len(EVENT_TYPES):len(EVENT_TYPES) + len(SEAL_TYPES)]
    seal = [None if stored == "null" else _as(v, stored, want) if stored == want else b""
            for (v, stored), (_, want) in zip(seal_pairs, SEAL_TYPES)]
    index = [_as(v, stored, want) for (v, stored), (_, want) in zip(pairs[-len(INDEX_TYPES):], INDEX_TYPES)]
    return (row[0], *values, *seal, *index)


def _convert_node(row: Sequence[Any]) -> tuple[int, Any]:
    """A robust nodes row as a fast one: the hash, or None when it is not stored as a blob."""
    return row[0], row[1] if row[2] == "blob" else None
