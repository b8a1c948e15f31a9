"""Every table of a ledger's database, and the queries that read them a page at a time.

The library keeps the events (and snapshots) in its own tables; the ledger's tables sit beside them: the
decision index, and the seals, the Merkle tree's interior nodes and its head. Statements are written with
`?` marks; `Tables.sql` turns them into `%s` on PostgreSQL, where every name is qualified by the schema.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal, NamedTuple

Dialect = Literal["sqlite", "postgresql"]

EVENTS: dict[str, str] = {"sqlite": "stored_events", "postgresql": "ledger_events"}  # the library's names
SNAPSHOTS: dict[str, str] = {"sqlite": "stored_snapshots", "postgresql": "ledger_snapshots"}
DECISIONS = "ledger_decisions"
SEALS, NODES, HEAD = "ledger_seals", "ledger_merkle_nodes", "ledger_seal_head"
META = "ledger_meta"  # what a ledger records about itself: whether it is encrypted, its key's fingerprint
SEAL_COLUMNS = ("position", "leaf_index", "originator_id", "originator_version", "event_hash", "chain_hash",
                "format", "recorded_at")
# Seal columns added after the first release, with their values in the seals written before them.
LATER_SEAL_COLUMNS = (("format", "1"), ("recorded_at", "NULL"))
HEAD_COLUMNS = ("size", "last_position", "chain_head", "frontier")
# On PostgreSQL, a write of this many rows or more is sent with COPY; a smaller one with INSERT … FROM unnest in
# pipeline mode (two round trips in all), which does not allow COPY.
COPY_FROM = 64
DECISION_COLUMNS = ("decision_id", "content_hash", "stream", "type", "position")
EVENT_COLUMNS = ("originator_id", "originator_version", "topic", "state")
# The ledger's own tables a migration copies, each with the column it is paged by.
SIDE_TABLES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (DECISIONS, DECISION_COLUMNS, "position"),
    (SEALS, SEAL_COLUMNS, "position"),
    (NODES, ("node_key", "hash"), "node_key"),
)


def quote(name: str) -> str:
    """A double-quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def qualify(table: str, schema: str | None = None) -> str:
    """`table`, quoted, in `schema` when one is given."""
    return f"{quote(schema)}.{quote(table)}" if schema else quote(table)


def _column_or_default(column: str, present: frozenset[str], prefix: str = "") -> str:
    """A seal column as selected: itself, or the value seals written before it had."""
    if column in present:
        return prefix + column
    return next((default for name, default in LATER_SEAL_COLUMNS if name == column), prefix + column)


class SealSql(NamedTuple):
    """The statements that seal events and read seals back."""

    read_head: str
    lock_head: str
    insert_head: str
    update_head: str
    insert_seals: str
    insert_nodes: str
    copy_seals: str
    copy_nodes: str
    select_node: str
    select_seal: str
    seal_at_or_after: str
    last_recorded_at: str


@dataclass(frozen=True)
class Tables:
    """The ledger's tables in one database: qualified names, the position column and the statements."""

    dialect: Dialect
    schema: str | None = None

    def name(self, table: str) -> str:
        """A table's name as statements write it (schema-qualified on PostgreSQL)."""
        return qualify(table, self.schema if self.dialect == "postgresql" else None)

    def sql(self, statement: str) -> str:
        """A statement written with `?` marks, in this database's parameter style."""
        return statement.replace("?", "%s") if self.dialect == "postgresql" else statement

    @cached_property
    def events(self) -> str:
        return self.name(EVENTS[self.dialect])

    @cached_property
    def snapshots(self) -> str:
        return self.name(SNAPSHOTS[self.dialect])

    @cached_property
    def decisions(self) -> str:
        return self.name(DECISIONS)

    @cached_property
    def seals(self) -> str:
        return self.name(SEALS)

    @cached_property
    def nodes(self) -> str:
        return self.name(NODES)

    @cached_property
    def head(self) -> str:
        return self.name(HEAD)

    @cached_property
    def meta(self) -> str:
        return self.name(META)

    @property
    def position(self) -> str:
        """The events table's column holding an event's place in the log."""
        return "rowid" if self.dialect == "sqlite" else "notification_id"

    # --- creating ---------------------------------------------------------------------------------------
    def create_statements(self) -> list[str]:
        """CREATE statements for the decision index, the seal tables and the initial head row (idempotent)."""
        if self.dialect == "sqlite":
            integer, blob, zero, empty = "INTEGER", "BLOB", "zeroblob(32)", "x''"
        else:
            integer, blob, zero, empty = "BIGINT", "BYTEA", "decode(repeat('00', 32), 'hex')", "decode('', 'hex')"
        index = quote(f"{DECISIONS}_position")
        return [
            (f"CREATE TABLE IF NOT EXISTS {self.decisions} (decision_id TEXT PRIMARY KEY, "
            f"content_hash TEXT NOT NULL, stream TEXT NOT NULL, type TEXT NOT NULL, position {integer} NOT NULL)"),
            f"CREATE UNIQUE INDEX IF NOT EXISTS {index} ON {self.decisions} (position)",
            (f"CREATE TABLE IF NOT EXISTS {self.seals} (position {integer} PRIMARY KEY, "
            f"leaf_index {integer} NOT NULL, originator_id TEXT NOT NULL, originator_version {integer} NOT NULL, "
            f"event_hash {blob} NOT NULL, chain_hash {blob} NOT NULL, format {integer} NOT NULL DEFAULT 1, "
            f"recorded_at {integer})"),
            f"CREATE TABLE IF NOT EXISTS {self.nodes} (node_key {integer} PRIMARY KEY, hash {blob} NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS {self.meta} (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
            (f"CREATE TABLE IF NOT EXISTS {self.head} (id INTEGER PRIMARY KEY CHECK (id = 1), "
            f"size {integer} NOT NULL, last_position {integer} NOT NULL, chain_head {blob} NOT NULL, "
            f"frontier {blob} NOT NULL)"),
            (f"INSERT INTO {self.head} (id, {', '.join(HEAD_COLUMNS)}) VALUES (1, 0, 0, {zero}, {empty}) "
            "ON CONFLICT DO NOTHING"),
        ]

    def upgrade_statements(self, seal_columns: set[str]) -> list[str]:
        """ALTER statements adding the seal columns a ledger of an earlier release lacks (run on a write)."""
        integer = "INTEGER" if self.dialect == "sqlite" else "BIGINT"
        kinds = {"format": f"{integer} NOT NULL DEFAULT 1", "recorded_at": integer}
        return [f"ALTER TABLE {self.seals} ADD COLUMN {name} {kinds[name]}"
                for name, _ in LATER_SEAL_COLUMNS if name not in seal_columns]

    def seal_columns_query(self) -> tuple[str, tuple[str, ...]]:
        """A query (and its parameters) listing the seal table's columns."""
        return self.columns_query(SEALS)

    def columns_query(self, table: str) -> tuple[str, tuple[str, ...]]:
        """A query (and its parameters) listing a table's columns: none when there is no such table (asked
        without creating anything)."""
        if self.dialect == "sqlite":
            return f"SELECT name FROM pragma_table_info('{table}')", ()
        return ("SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s",
                (self.schema or "public", table))

    # --- the decision index -----------------------------------------------------------------------------
    @cached_property
    def insert_decisions(self) -> str:
        return self.sql(f"INSERT INTO {self.decisions} ({', '.join(DECISION_COLUMNS)}) VALUES (?,?,?,?,?)")

    def decisions_among(self, count: int) -> str:
        """(decision_id, content_hash, stream) of the recorded ids among `count` given ones."""
        if self.dialect == "postgresql":
            return f"SELECT decision_id, content_hash, stream FROM {self.decisions} WHERE decision_id = ANY(%s)"
        marks = ",".join("?" * count)
        return f"SELECT decision_id, content_hash, stream FROM {self.decisions} WHERE decision_id IN ({marks})"

    @cached_property
    def streams(self) -> str:
        return f"SELECT DISTINCT stream FROM {self.decisions} ORDER BY stream"

    @cached_property
    def streams_with_type(self) -> str:
        return self.sql(f"SELECT DISTINCT stream FROM {self.decisions} WHERE type = ? ORDER BY stream")

    @cached_property
    def position_of_decision(self) -> str:
        return self.sql(f"SELECT position FROM {self.decisions} WHERE decision_id = ?")

    # --- sealing ----------------------------------------------------------------------------------------
    @cached_property
    def seal_sql(self) -> SealSql:
        """The statements of sealing and of reading seals and nodes for proofs (on an upgraded ledger)."""
        return self.seal_sql_for(frozenset(SEAL_COLUMNS))

    def seal_sql_for(self, present: frozenset[str]) -> SealSql:
        """The statements on a ledger whose seal table has the columns `present` (older ones lack some)."""
        seal_columns = ", ".join(SEAL_COLUMNS)
        marks = ", ".join("?" * len(SEAL_COLUMNS))
        selected = ", ".join(_column_or_default(c, present) for c in SEAL_COLUMNS)
        head_columns = ", ".join(HEAD_COLUMNS)
        read_head = f"SELECT {head_columns} FROM {self.head} WHERE id = 1"
        return SealSql(
            read_head=read_head,
            lock_head=read_head + (" FOR UPDATE" if self.dialect == "postgresql" else ""),
            insert_head=self.sql(f"INSERT INTO {self.head} (id, {head_columns}) VALUES (1, ?, ?, ?, ?)"),
            update_head=self.sql(f"UPDATE {self.head} SET ({head_columns}) = (?, ?, ?, ?) WHERE id = 1"),
            insert_seals=self.sql(f"INSERT INTO {self.seals} ({seal_columns}) VALUES ({marks})"),
            insert_nodes=self.sql(f"INSERT INTO {self.nodes} (node_key, hash) VALUES (?, ?)"),
            copy_seals=f"COPY {self.seals} ({seal_columns}) FROM STDIN (FORMAT BINARY)",
            copy_nodes=f"COPY {self.nodes} (node_key, hash) FROM STDIN (FORMAT BINARY)",
            select_node=self.sql(f"SELECT hash FROM {self.nodes} WHERE node_key = ?"),
            select_seal=self.sql(f"SELECT {selected} FROM {self.seals} WHERE position = ?"),
            seal_at_or_after=self.sql(
                f"SELECT {selected} FROM {self.seals} WHERE position >= ? ORDER BY position LIMIT 1"),
            last_recorded_at=self.sql(f"SELECT recorded_at FROM {self.seals} WHERE position = ?"),
        )

    # --- pages ------------------------------------------------------------------------------------------
    def events_page(self) -> str:
        """Events after a position, in log order: (position, originator_id, version, topic, state); params
        (after, limit)."""
        return self.sql(f"SELECT {self.position}, {', '.join(EVENT_COLUMNS)} FROM {self.events} "
                        f"WHERE {self.position} > ? ORDER BY {self.position} LIMIT ?")

    def side_table_page(self, table: str, columns: tuple[str, ...], key: str, first: bool) -> str:
        """One page of a ledger table ordered by `key`; params (after, limit), or (limit) for the first."""
        where = "" if first else f"WHERE {key} > ? "
        return self.sql(f"SELECT {', '.join(columns)} FROM {self.name(table)} {where}ORDER BY {key} LIMIT ?")

    def sealed_events_page(self, present: frozenset[str] = frozenset(SEAL_COLUMNS),
                           originator_id: str = "e.originator_id", upto: bool = False) -> str:
        """Events joined with their seals and decision-index rows after a position, in log order (no LIMIT:
        fetched in pages): (position, originator_id, version, topic, state, leaf_index, event_hash, chain_hash,
        format, recorded_at, decision_id, content_hash, type, stream); param (after), and (upto) with `upto`."""
        p = self.position
        later = ", ".join(_column_or_default(c, present, "s.") for c, _ in LATER_SEAL_COLUMNS)
        return self.sql(f"SELECT e.{p}, {originator_id}, e.originator_version, e.topic, e.state, "
                        f"s.leaf_index, s.event_hash, s.chain_hash, {later}, d.decision_id, d.content_hash, "
                        "d.type, d.stream "
                        f"FROM {self.events} e LEFT JOIN {self.seals} s ON s.position = e.{p} "
                        f"LEFT JOIN {self.decisions} d ON d.position = e.{p} WHERE e.{p} > ? "
                        f"{f'AND e.{p} <= ? ' if upto else ''}ORDER BY e.{p}")

    @cached_property
    def all_seals(self) -> str:
        """(position, event_hash, chain_hash, recorded_at) of every seal, in position order."""
        return f"SELECT position, event_hash, chain_hash, recorded_at FROM {self.seals} ORDER BY position"

    @cached_property
    def nodes_after(self) -> str:
        """Stored interior nodes after a key, in key order; param (after)."""
        return self.sql(f"SELECT node_key, hash FROM {self.nodes} WHERE node_key > ? ORDER BY node_key")

    def feed_rows(self, types: int, stream: bool) -> str:
        """Envelope rows between two positions, filtered by `types` decision types and a stream, in log order
        (no LIMIT: fetched in pages): (position, version, topic, state, stream, event_hash); params (after,
        upto, *types, [stream])."""
        p = f"e.{self.position}"
        where = [f"{p} > ?", f"{p} <= ?"]
        if types:
            where.append(f"d.type IN ({','.join('?' * types)})")
        if stream:
            where.append("d.stream = ?")
        return self.sql(f"SELECT {p}, e.originator_version, e.topic, e.state, d.stream, s.event_hash "
                        f"FROM {self.events} e JOIN {self.decisions} d ON d.position = {p} "
                        f"LEFT JOIN {self.seals} s ON s.position = {p} "
                        f"WHERE {' AND '.join(where)} ORDER BY {p}")

    @cached_property
    def versions_between(self) -> str:
        """The aggregates with an event in (start, end], with their last version in it; params (start, end)."""
        return self.sql(f"SELECT originator_id, MAX(originator_version) FROM {self.events} "
                        f"WHERE {self.position} > ? AND {self.position} <= ? GROUP BY originator_id")

    @cached_property
    def events_by_stream(self) -> str:
        """Every event ordered by aggregate then version: (originator_id, version, topic, state, position)."""
        return (f"SELECT {', '.join(EVENT_COLUMNS)}, {self.position} FROM {self.events} "
                "ORDER BY originator_id, originator_version")

    def events_around(self, present: frozenset[str] = frozenset(SEAL_COLUMNS)) -> str:
        """Every event ordered by aggregate then version, with its decision-index row and its seal's
        recording time and format: (originator_id, version, topic, state, position, decision_id, stream,
        type, recorded_at, format)."""
        p = self.position
        later = ", ".join(_column_or_default(c, present, "s.") for c in ("recorded_at", "format"))
        return (f"SELECT e.originator_id, e.originator_version, e.topic, e.state, e.{p}, d.decision_id, d.stream, "
                f"d.type, {later} FROM {self.events} e LEFT JOIN {self.decisions} d ON d.position = e.{p} "
                f"LEFT JOIN {self.seals} s ON s.position = e.{p} ORDER BY e.originator_id, e.originator_version")

    @cached_property
    def orphan_decision(self) -> str:
        """The first decision-index row whose position holds no event: (decision_id, stream, position)."""
        p = self.position
        return (f"SELECT d.decision_id, d.stream, d.position FROM {self.decisions} d WHERE NOT EXISTS "
                f"(SELECT 1 FROM {self.events} e WHERE e.{p} = d.position) ORDER BY d.position LIMIT 1")

    @cached_property
    def stream_with_snapshot(self) -> str:
        """One stream's latest snapshot and the events after it, in one statement (its id given three times):
        (1 for the snapshot / 0 for an event, version, topic, state), the snapshot first, then by version."""
        return self.sql(
            f"SELECT 1, originator_version, topic, state FROM (SELECT originator_version, topic, state FROM "
            f"{self.snapshots} WHERE originator_id = ? ORDER BY originator_version DESC LIMIT 1) s UNION ALL "
            f"SELECT 0, originator_version, topic, state FROM {self.events} WHERE originator_id = ? AND "
            f"originator_version > COALESCE((SELECT MAX(originator_version) FROM {self.snapshots} "
            "WHERE originator_id = ?), 0) ORDER BY 1 DESC, 2")

    @cached_property
    def snapshots_by_stream(self) -> str:
        """Every snapshot ordered by aggregate then version: (originator_id, version, topic, state)."""
        return (f"SELECT originator_id, originator_version, topic, state FROM {self.snapshots} "
                "ORDER BY originator_id, originator_version")
