"""Reading a ledger's streams straight from their stored states, without the event-sourcing library: no
application is built and no event class is made, so that a question about one subject costs little more
than the rows it reads.

The ledger is opened as a read opens it (`probe`: nothing is created or written; a read-only file works) and
its key settled as `CadreLedger` settles it (`meta.settle`). A stream is read in ONE query: its latest
snapshot and the events after it. States are decoded as the mapper decodes them (`codec.unpack`; AES-GCM
laid out as the library's cipher lays it out) and become facts as `Decided.fact` makes them (`fact_of`).

Anything unusual — a topic not in `ledger.topics`, a state with a `class_version`, a value of a custom
type, a gap in the versions, a row that does not decode, a stream the application would snapshot on this
read — raises `Unserved`: the caller then asks the application, which gives today's answer or today's
one-line error. Nothing here decides what a damaged row means.
"""
from __future__ import annotations

import base64
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from ledger.commitments import stream_id
from ledger.facts import Fact, fact_of
from ledger.storage.codec import unpack
from ledger.storage.keyring import Keyring
from ledger.storage.meta import KEY_ENV, checked_key, settle
from ledger.storage.probe import Access, probe
from ledger.storage.session import Cursor, Session
from ledger.storage.url import Database
from ledger.topics import DECISION_TYPES, SNAPSHOT_INTERVAL, SNAPSHOT_TOPIC, SUBJECT_TOPICS

NONCE, TAG = 12, 16  # the library's AESCipher writes nonce ‖ tag ‖ ciphertext


class Unserved(Exception):
    """This read cannot answer exactly as the application would: ask the application."""


class DirectSession(Session):
    """A `Session` over one plain connection, for reads only (no pool, no library)."""

    def __init__(self, database: Database, connection: Any) -> None:
        super().__init__(database, None)
        self.connection = connection

    @contextmanager
    def transaction(self, commit: bool = True) -> Iterator[Cursor]:
        """A read transaction (rolled back at its end); a direct session never writes."""
        if commit:
            raise Unserved("a direct session only reads")
        if self.dialect == "postgresql":
            from psycopg.rows import tuple_row

            with self.connection.transaction(force_rollback=True):
                yield Cursor(self.connection.cursor(row_factory=tuple_row), self.dialect)
            return
        raw = self.connection.cursor()
        raw.execute("BEGIN")
        try:
            yield Cursor(raw, self.dialect)
        finally:
            self.connection.rollback()

    snapshot = transaction

    def rows(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of one read-only statement (on PostgreSQL one round trip, in autocommit)."""
        if self.dialect == "postgresql":
            from psycopg.rows import tuple_row

            with self.connection.cursor(row_factory=tuple_row) as raw:
                raw.execute(statement, tuple(params))
                return list(raw.fetchall())
        return [tuple(r) for r in self.connection.execute(statement, tuple(params)).fetchall()]

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()


def connect(database: Database, access: Access | None) -> Any:
    """A plain connection to the ledger, opened as a read opens it; on PostgreSQL with the ledger's schema on
    the search path, in autocommit (each statement one round trip)."""
    if database.kind == "postgresql":
        import psycopg

        return psycopg.connect(host=database.host, port=database.port, user=database.user,
                               password=database.password, dbname=database.dbname, connect_timeout=10,
                               autocommit=True, options=f"-c search_path={database.schema}")
    if access is not None and access.sqlite_uri:
        return sqlite3.connect(access.sqlite_uri, uri=True, isolation_level=None, timeout=30)
    return sqlite3.connect(database.path, isolation_level=None, timeout=30)


class DirectLedger:
    """One ledger opened to read its streams directly."""

    def __init__(self, database: Database) -> None:
        key = checked_key(os.environ.get(KEY_ENV))
        self.database = database
        if database.kind == "postgresql":  # one connection: probed, then read
            connection = connect(database, None)
            try:
                self.access = probe(database, connection)
            except BaseException:
                connection.close()
                raise
        else:
            self.access = probe(database)
            connection = connect(database, self.access)
        self.session = DirectSession(database, connection)
        self.aead: Any = None
        if key is not None:
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM

            self.aead = AESGCM(base64.b64decode(key))
        try:
            self.keys: Keyring | None = settle(self.session, key, False, self._decodes).required()
        except BaseException:
            self.close()
            raise
    def close(self) -> None:
        """Close the connection."""
        self.session.close()

    def plain(self, state: bytes) -> bytes:
        """A stored state as the transcoder wrote it (decrypted on an encrypted ledger)."""
        data = bytes(state)
        if self.aead is None:
            return data
        return bytes(self.aead.decrypt(data[:NONCE], data[NONCE + TAG:] + data[NONCE:NONCE + TAG], None))

    def _decodes(self, state: bytes, keyed: bool) -> bool:
        """Whether a stored state reads as an event's state: with the key (`keyed`), or as it is."""
        try:
            decoded = unpack(self.plain(state) if keyed else bytes(state))
        except Exception:  # noqa: BLE001 - anything that does not decode does not read as a state
            return False
        return isinstance(decoded, dict) and "timestamp" in decoded

    def id_of(self, kind: str, key: str) -> UUID:
        """The aggregate id of a subject (as `CadreLedger.id_of`)."""
        stream = f"{kind}/{key}"
        return self.keys.stream_id(stream) if self.keys is not None else stream_id(stream)

    def facts(self, kind: str, key: str) -> list[Fact] | None:
        """Every fact of a subject in recording order (None: no such stream); Unserved when unusual."""
        agg_id = self.id_of(kind, key)
        param: Any = agg_id if self.session.dialect == "postgresql" else agg_id.hex
        try:
            return self._replayed(kind, self.session.rows(self.session.tables.stream_with_snapshot, (param,) * 3))
        except Unserved:
            raise
        except Exception as error:  # noqa: BLE001 - the application says what it means
            raise Unserved(f"{type(error).__name__}: {error}") from None

    def _replayed(self, kind: str, rows: list[tuple[Any, ...]]) -> list[Fact] | None:
        """The facts of a stream from its rows: (is snapshot, version, topic, state), the snapshot first."""
        if not rows:
            return None
        facts: list[Fact] | None = None
        key, last = "", 0
        for is_snapshot, version, topic, stored in rows:
            state = unpack(self.plain(stored))
            if not isinstance(state, dict) or "class_version" in state:
                raise Unserved("a state to upcast")
            if is_snapshot:
                aggregate = state["state"]
                if topic != SNAPSHOT_TOPIC or state["topic"] != SUBJECT_TOPICS[kind] or "class_version" in aggregate:
                    raise Unserved("a snapshot to read through the application")
                key, facts, last = aggregate["key"], list(aggregate["facts"]), version
                continue
            if version == 1:
                if state.get("originator_topic") != SUBJECT_TOPICS[kind]:
                    raise Unserved("a stream of another kind of subject")
                key, facts = state["key"], []
            decision_type = DECISION_TYPES.get(topic)
            if facts is None or decision_type is None or version != last + 1:
                raise Unserved("a stream the application must replay")
            last = version
            facts.append(fact_of(state, decision_type, version, kind, key))
        if facts is None or (self.access.writable and len(rows) - (1 if rows[0][0] else 0) >= SNAPSHOT_INTERVAL):
            raise Unserved("the application snapshots this stream on reading it")
        return facts
