"""Sealing into real SQLite and PostgreSQL databases, and tamper drills that verification must catch."""
from __future__ import annotations

import hashlib
import os
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.errors import IntegrityFailure, NotFound
from ledger.integrity import stored_tree
from ledger.integrity.checkpoints import make_checkpoint, verify_checkpoint
from ledger.integrity.hashes import GENESIS, event_hash, leaf_hash
from ledger.integrity.merkle import extend, node_key, root_from_frontier, verify_inclusion
from ledger.integrity.proofs import make_inclusion_proof_doc, verify_proof_doc
from ledger.integrity.sealing import seal
from ledger.integrity.verify import VerifyReport, verify_through
from ledger.storage.tables import Dialect, Tables

POSTGRES_URL = os.environ.get("CADRE_LEDGER_TEST_POSTGRES")
TOPICS = [
    "ledger.cadre:Cadre.Appointed",
    "ledger.cadre:Cadre.SanctionImposed",
    "ledger.post:LeadershipPost.HandoverCompleted",
]
KEY = Ed25519PrivateKey.generate()
NOON = datetime(2025, 11, 3, 12, 0, tzinfo=UTC)
# 120 events at positions 1..80 and 86..125: the gap is where an insertion can hide mid-log.
POSITIONS = list(range(1, 81)) + list(range(86, 126))
BATCHES = [1, 1, 7, 30, 2, 39, 40]


class Db:
    """A stand-in events table (rowid / notification_id is the position) with the seal tables beside it."""

    def __init__(self, conn: Any, dialect: Dialect, schema: str | None = None) -> None:
        self.conn, self.dialect, self.schema = conn, dialect, schema
        self.tables = Tables(dialect, schema)
        if dialect == "sqlite":
            events = ("CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER, "
                      "topic TEXT, state BLOB, PRIMARY KEY (originator_id, originator_version))")
        else:
            events = ("CREATE TABLE ledger_events (originator_id uuid NOT NULL, "
                      "originator_version bigint NOT NULL, topic text, state bytea, "
                      "notification_id bigserial, PRIMARY KEY (originator_id, originator_version))")
        for statement in [events, *self.tables.create_statements()]:
            self.run(statement)
        self.commit()

    @property
    def position(self) -> str:
        return "rowid" if self.dialect == "sqlite" else "notification_id"

    def run(self, statement: str, params: tuple[Any, ...] = ()) -> list[Any]:
        cursor = self.conn.cursor()
        cursor.execute(statement if self.dialect == "sqlite" else statement.replace("?", "%s"), params)
        return cursor.fetchall() if cursor.description else []

    def commit(self) -> None:
        self.conn.commit()

    def insert(self, position: int, oid: uuid.UUID, version: int, topic: str, state: bytes) -> None:
        """Insert one event row at `position`, without sealing it."""
        stored_id = oid.hex if self.dialect == "sqlite" else oid
        columns = f"originator_id, originator_version, topic, state, {self.position}"
        self.run(f"INSERT INTO {self.tables.events} ({columns}) VALUES (?, ?, ?, ?, ?)",
                 (stored_id, version, topic, state, position))

    def append(self, events: list[tuple[int, uuid.UUID, int, str, bytes]]) -> None:
        """Insert events at their positions and seal them, in one transaction, as the recorder will."""
        for event in events:
            self.insert(*event)
        seal(self.conn.cursor(), self.tables, [(p, o.hex, v, t, s) for p, o, v, t, s in events])
        self.commit()

    def verify(self, checkpoints: list[dict[str, Any]] = ()) -> VerifyReport:  # type: ignore[assignment]
        return verify_through(self.conn, self.tables, checkpoints)

    def event(self, position: int) -> tuple[Any, ...]:
        return tuple(self.run(f"SELECT originator_id, originator_version, topic, state FROM {self.tables.events} "
                              f"WHERE {self.position} = ?", (position,))[0])

    def checkpoint(self) -> dict[str, Any]:
        size, root, _ = stored_tree.current_head(self.conn.cursor(), self.tables)
        return make_checkpoint(size, root, KEY, NOON)


def _events() -> list[tuple[int, uuid.UUID, int, str, bytes]]:
    cadres = [uuid.UUID(int=n * 7919 + 1) for n in range(9)]
    return [(position, cadres[i % 9], i // 9 + 1, TOPICS[i % 3], bytes([i % 251]) * (i % 40) + b"HB-%d" % i)
            for i, position in enumerate(POSITIONS)]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Db]:
    if request.param == "sqlite":
        conn = sqlite3.connect(tmp_path / "ledger.db")
        yield Db(conn, "sqlite")
        conn.close()
        return
    if not POSTGRES_URL:
        pytest.skip("set CADRE_LEDGER_TEST_POSTGRES to run against PostgreSQL")
    import psycopg
    schema = f"seal_test_{uuid.uuid4().hex[:12]}"
    conn = psycopg.connect(POSTGRES_URL)
    conn.execute(f'CREATE SCHEMA "{schema}"')
    conn.execute(f'SET search_path TO "{schema}"')
    conn.commit()
    try:
        yield Db(conn, "postgresql", schema)
    finally:
        conn.rollback()
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        conn.commit()
        conn.close()


@pytest.fixture
def sealed(db: Db) -> Db:
    events, start = _events(), 0
    for batch in BATCHES:
        db.append(events[start:start + batch])
        start += batch
    return db


def test_an_untouched_log_verifies_and_its_head_matches_a_recomputation(sealed: Db) -> None:
    frontier: list[bytes] = []
    digests = [event_hash(o.hex, v, t, s) for _, o, v, t, s in _events()]
    _, _, chain = extend(0, GENESIS, frontier, digests)

    report = sealed.verify()

    assert report.ok, report.reason
    assert (report.events, report.head_size, report.root) == (120, 120, root_from_frontier(frontier))
    assert tuple(stored_tree.current_head(sealed.conn.cursor(), sealed.tables)) == (120, report.root, chain)


def test_seals_name_the_event_and_its_leaf(sealed: Db) -> None:
    p, oid, version, topic, state = _events()[90]

    seal = stored_tree.seal_of(sealed.conn.cursor(), sealed.tables, p)

    assert seal == (p, 90, oid.hex, version, event_hash(oid.hex, version, topic, state), seal.chain_hash)
    assert stored_tree.seal_of(sealed.conn.cursor(), sealed.tables, 83) is None


def test_sealing_refuses_positions_out_of_log_order(sealed: Db) -> None:
    with pytest.raises(IntegrityFailure, match="cannot seal position 100 after position 125"):
        seal(sealed.conn.cursor(), sealed.tables, [(100, "a" * 32, 1, TOPICS[0], b"")])
    sealed.conn.rollback()


def test_a_proof_from_the_database_verifies_offline_against_a_later_checkpoint(sealed: Db) -> None:
    cursor = sealed.conn.cursor()
    seal, size, path, root = stored_tree.prove_inclusion(cursor, sealed.tables, 100, tree_size=95)
    checkpoint = sealed.checkpoint()
    consistency = stored_tree.prove_consistency(cursor, sealed.tables, 95, 120)
    doc = make_inclusion_proof_doc("d-100", 100, seal.event_hash, seal.leaf_index, size, path, root,
                                   checkpoint, consistency)

    result = verify_proof_doc(doc, KEY.public_key())

    assert (result["leaf_index"], result["tree_size"], result["checkpoint_size"]) == (94, 95, 120)
    assert stored_tree.root_at(cursor, sealed.tables, 120) == stored_tree.current_head(cursor, sealed.tables).root


def test_a_flipped_state_byte_is_caught_at_its_position(sealed: Db) -> None:
    state = bytearray(sealed.event(37)[3])
    state[0] ^= 0x01
    sealed.run(f"UPDATE {sealed.tables.events} SET state = ? WHERE {sealed.position} = 37", (bytes(state),))
    sealed.commit()

    report = sealed.verify()

    assert (report.first_bad_position, report.first_bad_leaf) == (37, 36)
    assert "topic or state bytes were changed" in report.reason


def test_a_changed_topic_is_caught_at_its_position(sealed: Db) -> None:
    sealed.run(f"UPDATE {sealed.tables.events} SET topic = 'ledger.cadre:Cadre.Promoted' WHERE {sealed.position} = 50")
    sealed.commit()

    assert sealed.verify().first_bad_position == 50


def test_a_deleted_event_is_caught_at_its_position(sealed: Db) -> None:
    sealed.run(f"DELETE FROM {sealed.tables.events} WHERE {sealed.position} = 60")
    sealed.commit()

    report = sealed.verify()

    assert report.first_bad_position == 60
    assert "its event is gone" in report.reason


def test_an_event_deleted_with_its_seal_is_caught_at_the_next_position(sealed: Db) -> None:
    sealed.run(f"DELETE FROM {sealed.tables.events} WHERE {sealed.position} = 60")
    sealed.run("DELETE FROM ledger_seals WHERE position = 60")
    sealed.commit()

    report = sealed.verify()

    assert report.first_bad_position == 61
    assert "removed together with its seal" in report.reason


def test_an_event_inserted_into_a_gap_is_caught_at_its_position(sealed: Db) -> None:
    sealed.insert(83, uuid.UUID(int=42), 1, TOPICS[0], b"x")
    sealed.commit()

    report = sealed.verify()

    assert report.first_bad_position == 83
    assert "has no seal" in report.reason


def test_an_event_inserted_before_the_first_position_is_caught(sealed: Db) -> None:
    sealed.insert(0, uuid.UUID(int=43), 1, TOPICS[0], b"backdated")
    sealed.commit()

    assert sealed.verify().first_bad_position == 0


def test_an_empty_log_verifies(db: Db) -> None:
    report = db.verify()

    assert report.ok and report.events == 0 and report.root == hashlib.sha256(b"").digest()


def test_swapped_rows_are_caught_at_the_first_of_them(sealed: Db) -> None:
    first, second = sealed.event(20), sealed.event(90)
    move = (f"UPDATE {sealed.tables.events} SET originator_id = ?, originator_version = ?, topic = ?, state = ? "
            f"WHERE {sealed.position} = ?")
    sealed.run(move, (first[0], -1, first[2], first[3], 20))
    sealed.run(move, (*first, 90))
    sealed.run(move, (*second, 20))
    sealed.commit()

    report = sealed.verify()

    assert report.first_bad_position == 20
    assert "moved or swapped" in report.reason


def test_a_truncated_tail_is_caught_after_the_last_event_left(sealed: Db) -> None:
    sealed.run(f"DELETE FROM {sealed.tables.events} WHERE {sealed.position} > 100")
    sealed.run("DELETE FROM ledger_seals WHERE position > 100")
    sealed.commit()

    report = sealed.verify()

    assert report.first_bad_position == 101
    assert "its tail was removed" in report.reason


def test_a_tampered_merkle_node_is_caught_where_it_is_completed(sealed: Db) -> None:
    sealed.run("UPDATE ledger_merkle_nodes SET hash = ? WHERE node_key = ?", (b"\x00" * 32, node_key(2, 5)))
    sealed.commit()

    report = sealed.verify()

    assert report.first_bad_position == 24
    assert "Merkle node (2, 5) does not match" in report.reason


def test_a_missing_merkle_node_is_caught(sealed: Db) -> None:
    sealed.run("DELETE FROM ledger_merkle_nodes WHERE node_key = ?", (node_key(3, 4),))
    sealed.commit()

    report = sealed.verify()

    assert report.first_bad_position == 40
    assert "Merkle node (3, 4) is missing" in report.reason


def test_an_added_merkle_node_is_caught(sealed: Db) -> None:
    sealed.run("INSERT INTO ledger_merkle_nodes VALUES (?, ?)", (node_key(7, 0), b"\x07" * 32))
    sealed.commit()

    report = sealed.verify()

    assert report.first_bad_position == 126
    assert "Merkle node (7, 0) is stored but no event completes it" in report.reason


def test_every_leaf_has_a_proof_from_the_database(sealed: Db) -> None:
    cursor = sealed.conn.cursor()
    root = stored_tree.current_head(cursor, sealed.tables).root

    for position in POSITIONS:
        seal, size, path, proved_root = stored_tree.prove_inclusion(cursor, sealed.tables, position)
        assert proved_root == root
        assert verify_inclusion(leaf_hash(seal.event_hash), seal.leaf_index, size, path, root), position


def test_a_tail_rewritten_with_recomputed_seals_is_caught_only_by_a_checkpoint(sealed: Db) -> None:
    checkpoints = []
    for size in (40, 80, 100):
        cursor = sealed.conn.cursor()
        checkpoints.append(make_checkpoint(size, stored_tree.root_at(cursor, sealed.tables, size), KEY, NOON))
    state = bytearray(sealed.event(60)[3])
    state[-1] ^= 0x80
    sealed.run(f"UPDATE {sealed.tables.events} SET state = ? WHERE {sealed.position} = 60", (bytes(state),))
    _reseal_everything(sealed)

    report = sealed.verify(checkpoints)

    assert report.reason is None
    assert [c.ok for c in report.checkpoints] == [True, False, False]
    assert (report.checkpoints[1].after_position, report.checkpoints[1].up_to_position) == (40, 80)
    assert not report.ok
    assert all(verify_checkpoint(cp, KEY.public_key()) for cp in checkpoints)


def test_a_checkpoint_larger_than_the_log_fails(sealed: Db) -> None:
    checkpoint = sealed.checkpoint()
    sealed.run(f"DELETE FROM {sealed.tables.events} WHERE {sealed.position} > 120")
    sealed.run("DELETE FROM ledger_seals WHERE position > 120")
    _reseal_everything(sealed)

    report = sealed.verify([checkpoint])

    assert report.reason is None
    assert "events were removed" in report.checkpoints[0].reason


def _reseal_everything(db: Db) -> None:
    """What a thorough forger does: drop every seal and seal the current rows afresh."""
    for table in ("ledger_seals", "ledger_merkle_nodes", "ledger_seal_head"):
        db.run(f"DELETE FROM {table}")
    rows = db.run(f"SELECT {db.position}, originator_id, originator_version, topic, state FROM {db.tables.events} "
                  f"ORDER BY {db.position}")
    oid = (lambda o: o) if db.dialect == "sqlite" else (lambda o: o.hex)
    seal(db.conn.cursor(), db.tables, [(p, oid(o), v, t, bytes(s)) for p, o, v, t, s in rows])
    db.commit()


def test_proofs_are_refused_for_unknown_positions_and_too_large_trees(sealed: Db) -> None:
    cursor = sealed.conn.cursor()

    with pytest.raises(NotFound, match="no sealed event at position 83"):
        stored_tree.prove_inclusion(cursor, sealed.tables, 83)
    with pytest.raises(NotFound, match="not among the first 50 of 120"):
        stored_tree.prove_inclusion(cursor, sealed.tables, 100, tree_size=50)
    with pytest.raises(IntegrityFailure, match="covers 130 events but the log has only 120"):
        stored_tree.prove_consistency(cursor, sealed.tables, 100, 130)
