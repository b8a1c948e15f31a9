"""Reading a stored log with its seals for the verifier: fast page-wise reads that never crash on damage.

The events come joined with their seals in position order, in large pages, as tuples
(position, originator_id, version, topic, state, leaf_index, event_hash, chain_hash), the seal columns
None when the event has no seal. On SQLite a value whose storage type was changed (a TEXT state, a BLOB
topic, a TEXT version) arrives with a Python type the hashing refuses, or, when the text is not even
UTF-8, the page is read again with casts and the damaged value arrives as None: either way the verifier
reports the row as changed instead of crashing.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from itertools import chain
from typing import Any

from ledger.integrity.sealing import StoredHead
from ledger.storage.tables import Tables

PAGE = 20_000
PG_PAGE = 5_000  # psycopg holds a whole fetched page twice (the result and its rows)
MIN_KEY = -(1 << 63)
UUID_OID = 2950
EVENT_TYPES = (
    ("originator_id", "text"), ("originator_version", "integer"), ("topic", "text"), ("state", "blob"),
)
SEAL_TYPES = (("leaf_index", "integer"), ("event_hash", "blob"), ("chain_hash", "blob"))
Joined = tuple[int, Any, Any, Any, Any, Any, Any, Any]


class DbReader:
    """The verifier's view of one database, inside the caller's read transaction."""

    def __init__(self, connection: Any, tables: Tables) -> None:
        self.connection, self.tables, self.dialect = connection, tables, tables.dialect
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
        joined = f"FROM {self.events} e LEFT JOIN {self.seals} s ON s.position = e.{self.pos}"
        fast = self.tables.sealed_events_page(self.oid)
        if self.dialect == "postgresql":
            cursor = self._cursor("cadre_ledger_verify_events")
            cursor.execute(fast, (MIN_KEY,))
            while page := cursor.fetchmany(PG_PAGE):
                yield page
            cursor.close()
            return
        yield from _sqlite_pages(self.connection, fast, _robust(EVENT_TYPES, SEAL_TYPES, joined, self.pos),
                                 _convert_event)

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
        columns = [f"typeof(e.{c})" for c, _ in EVENT_TYPES] + [f"typeof(s.{c})" for c, _ in SEAL_TYPES]
        row = self._one(f"SELECT {', '.join(columns)} FROM {self.events} e LEFT JOIN {self.seals} s "
                        f"ON s.position = e.rowid WHERE e.rowid = ?", (position,))
        if row is None:
            return None
        wrong = [f"its {name} is stored as {got}, not {want}"
                 for (name, want), got in zip(EVENT_TYPES, row) if got != want]
        wrong += [f"its seal's {name} is stored as {got}, not {want}"
                  for (name, want), got in zip(SEAL_TYPES, row[4:]) if got not in (want, "null")]
        return "; ".join(wrong) or None


def _robust(event_types: Sequence[tuple[str, str]], seal_types: Sequence[tuple[str, str]], joined: str,
            pos: str) -> str:
    """The SQLite events query that casts every value to a blob and says which type it was stored as."""
    values = [f"CAST(e.{c} AS BLOB), typeof(e.{c})" for c, _ in event_types]
    values += [f"CAST(s.{c} AS BLOB), typeof(s.{c})" for c, _ in seal_types]
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
    """A robust events row as a fast one: position, the four event values, the three seal values."""
    values = [_as(row[1 + 2 * i], row[2 + 2 * i], want) for i, (_, want) in enumerate(EVENT_TYPES)]
    seal = [row[9 + 2 * i] if row[10 + 2 * i] in (want, "null") else b""
            for i, (_, want) in enumerate(SEAL_TYPES)]
    if seal[0] is not None and row[10] == "integer":
        seal[0] = int(seal[0])
    return (row[0], *values, *seal)


def _convert_node(row: Sequence[Any]) -> tuple[int, Any]:
    """A robust nodes row as a fast one: the hash, or None when it is not stored as a blob."""
    return row[0], row[1] if row[2] == "blob" else None
