"""Tamper drills through the real ledger: rows changed with raw SQL, caught by the CLI at the right position.

Each drill records the example decisions, saves a signed checkpoint, changes the stored rows the way an
intruder with database access would, and runs `cadre-ledger verify` (exit 1 and the first bad position),
`verify-proof` or `history --verify`. On SQLite the two-process confirmation runs first (its threshold is
lowered to 0 here), so every drill also shows that it falls back to the exact pass.
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from ledger.examples import EXAMPLES
from ledger.integrity import two_process, verify
from ledger.integrity.front import checkpoint
from ledger.integrity.keys import generate_keypair
from ledger.storage.tables import Tables
from tests.integration.drills import Drill, recorded_drill, tampered_at

SANCTION, PERFORMANCE, EVALUATION = "s-2023-17", "perf-2019-1", "eval-2020"


@pytest.fixture(autouse=True)
def two_processes_even_for_a_small_log(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(two_process, "PARALLEL_MIN", 0)


@pytest.fixture
def drill(ledger: Any, db_url: str, tmp_path: Path) -> Drill:
    return recorded_drill(ledger, db_url, tmp_path)


def test_an_untouched_ledger_verifies_against_its_checkpoint(drill: Drill) -> None:
    result = drill.verify_with_checkpoint()

    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"intact: {len(EXAMPLES)} events, root ")
    assert "consistent with 1 checkpoint(s)" in result.output


def test_a_flipped_state_byte_is_caught_at_its_position(drill: Drill) -> None:
    position = drill.position(SANCTION)
    state = bytearray(drill.state(position))
    state[len(state) // 2] ^= 0x01
    drill.set_state(position, bytes(state))

    reason = tampered_at(drill.verify_with_checkpoint(), position)

    assert "does not match its seal: its topic, state, recording time or decision-index row was changed" in reason


def test_a_changed_topic_is_caught_at_its_position(drill: Drill) -> None:
    position = drill.position(SANCTION)
    drill.sql(f"UPDATE {drill.events} SET topic = 'ledger.cadre:Cadre.Commended' WHERE {drill.pos} = ?",
              (position,))

    assert "topic, state, recording time or decision-index row was changed" in tampered_at(drill.verify(), position)


def test_a_deleted_row_is_caught_at_its_position(drill: Drill) -> None:
    position = drill.position(EVALUATION)
    drill.sql(f"DELETE FROM {drill.events} WHERE {drill.pos} = ?", (position,))

    reason = tampered_at(drill.verify(), position)

    assert "was sealed" in reason and "its event is gone: it was deleted" in reason


def test_a_row_deleted_with_its_seal_is_caught_at_the_next_position(drill: Drill) -> None:
    position = drill.position(EVALUATION)
    drill.sql(f"DELETE FROM {drill.events} WHERE {drill.pos} = ?", (position,))
    drill.sql(f"DELETE FROM {drill.seals} WHERE position = ?", (position,))

    assert "removed together with its seal" in tampered_at(drill.verify(), position + 1)


def test_an_inserted_row_is_caught_at_its_position(drill: Drill) -> None:
    source = drill.position(SANCTION)
    drill.sql(f"INSERT INTO {drill.events} (originator_id, originator_version, topic, state, {drill.pos}) "
              f"SELECT originator_id, 999, topic, state, ? FROM {drill.events} WHERE {drill.pos} = ?",
              (len(EXAMPLES) + 1, source))

    assert "has no seal: it was inserted after sealing" in tampered_at(drill.verify(), len(EXAMPLES) + 1)


def test_two_swapped_rows_are_caught_at_the_first_of_them(drill: Drill) -> None:
    first, second = drill.position(PERFORMANCE), drill.position(SANCTION)
    columns = "originator_id, originator_version, topic, state"
    select = f"SELECT {columns} FROM {drill.events} WHERE {drill.pos} = ?"
    a, b = (drill.sql(select, (p,))[0] for p in (first, second))
    move = f"UPDATE {drill.events} SET ({columns}) = (?, ?, ?, ?) WHERE {drill.pos} = ?"
    drill.sql(move, (a[0], -1, a[2], a[3], first))
    drill.sql(move, (*a, second))
    drill.sql(move, (*b, first))

    assert "rows were moved or swapped" in tampered_at(drill.verify(), first)


def test_a_truncated_tail_is_caught_after_the_last_event_left(drill: Drill) -> None:
    for table, column in ((drill.events, drill.pos), (drill.seals, "position")):
        drill.sql(f"DELETE FROM {table} WHERE {column} > 40")

    result = drill.verify_with_checkpoint()

    assert "its tail was removed" in tampered_at(result, 41)


def test_a_tail_rewritten_with_recomputed_seals_is_caught_only_against_the_checkpoint(drill: Drill) -> None:
    position = drill.position(SANCTION)
    drill.set_state(position, drill.state(position).replace(b"demerit", b"warning"))
    drill.reseal()

    alone, against = drill.verify(), drill.verify_with_checkpoint()

    assert alone.exit_code == 0 and alone.output.startswith("intact: ")
    assert against.exit_code == 1
    n = len(EXAMPLES)
    assert against.output == (f"TAMPERED: checkpoint of {n} events: the first {n} events no longer hash to "
                              "the checkpoint's root: history was rewritten after position 0 and at or "
                              f"before position {n}\n")


def test_a_truncated_and_resealed_tail_is_caught_against_the_checkpoint(drill: Drill) -> None:
    drill.sql(f"DELETE FROM {drill.events} WHERE {drill.pos} > 40")
    drill.reseal()

    result = drill.verify_with_checkpoint()

    assert result.exit_code == 1
    assert (f"the checkpoint covers {len(EXAMPLES)} events but the log now has only 40: events were removed"
            in result.output)


def test_history_verify_marks_the_tampered_event(drill: Drill) -> None:
    position = drill.position(PERFORMANCE)
    drill.set_state(position, drill.state(position).replace(b"economy", b"ecOnomy"))

    rows = json.loads(drill.cli("history", "HB-000123", "--verify", "--json").output)

    marks = {row["id"]: row["verified"] for row in rows}
    assert marks.pop(PERFORMANCE) == "MISMATCH"
    assert set(marks.values()) == {"verified"}
    tampered_at(drill.verify(), position)


# --- values stored with another type, or NULL: reported as tampered, never a crash ----------------------
SQLITE_TYPE_CHANGES = {
    "state as text that is not UTF-8":
        "UPDATE stored_events SET state = substr(state,1,10) || x'ff' || substr(state,12)",
    "state as text": "UPDATE stored_events SET state = substr(state,1,10) || x'41' || substr(state,12)",
    "state NULL": "UPDATE stored_events SET state = NULL",
    "version as text": "UPDATE stored_events SET originator_version = 'x' || originator_version",
    "topic as blob": "UPDATE stored_events SET topic = CAST(topic AS BLOB)",
    "state as text with the same bytes": "UPDATE stored_events SET state = CAST(state AS TEXT)",
}


@pytest.mark.parametrize("change", SQLITE_TYPE_CHANGES, ids=list(SQLITE_TYPE_CHANGES))
def test_a_value_stored_with_another_type_is_reported_not_a_crash(drill: Drill, change: str) -> None:
    if not drill.sqlite:
        pytest.skip("PostgreSQL columns keep their types")
    position = drill.position(SANCTION)
    drill.sql(f"{SQLITE_TYPE_CHANGES[change]} WHERE rowid = ?", (position,))

    reason = tampered_at(drill.verify_with_checkpoint(), position)

    assert "was changed outside the ledger" in reason


def test_a_seal_hash_stored_as_text_is_reported_not_a_crash(drill: Drill) -> None:
    if not drill.sqlite:
        pytest.skip("PostgreSQL columns keep their types")
    position = drill.position(SANCTION)
    drill.sql("UPDATE ledger_seals SET event_hash = CAST(event_hash AS TEXT) WHERE position = ?", (position,))

    assert "its seal's event_hash is stored as text" in tampered_at(drill.verify(), position)


@pytest.mark.parametrize("column", ["state", "topic"])
def test_a_null_value_is_reported_not_a_crash(drill: Drill, column: str) -> None:
    position = drill.position(SANCTION)
    drill.sql(f"UPDATE {drill.events} SET {column} = NULL WHERE {drill.pos} = ?", (position,))

    assert "was changed outside the ledger" in tampered_at(drill.verify(), position)


def test_history_verify_marks_a_row_whose_state_became_text(drill: Drill) -> None:
    if not drill.sqlite:
        pytest.skip("PostgreSQL columns keep their types")
    from ledger.cadre import Cadre
    from ledger.integrity.front import verify_stream

    position = drill.position(SANCTION)
    drill.sql(f"{SQLITE_TYPE_CHANGES['state as text that is not UTF-8']} WHERE rowid = ?", (position,))

    marks = verify_stream(drill.app.session, Cadre.id_for("HB-000123"))

    assert sorted(marks.values()) == ["MISMATCH"] + ["verified"] * (len(marks) - 1)


# --- checkpoints and proofs -------------------------------------------------------------------------------
def test_a_checkpoint_with_a_forged_signature_fails_with_exit_1(drill: Drill) -> None:
    forged = drill.saved_checkpoint()
    forged["root_hash"] = "ab" * 32

    result = drill.verify_against(drill.write("forged.json", forged))

    assert result.exit_code == 1
    assert result.output == (f"error: checkpoint of {len(EXAMPLES)} events has a bad signature: "
                             "it was altered or forged\n")


def test_a_checkpoint_signed_by_another_key_fails_with_exit_1(drill: Drill) -> None:
    generate_keypair(drill.folder / "other.key", drill.folder / "other.pub")
    other = checkpoint(drill.app.session, str(drill.folder / "other.key"))

    result = drill.verify_against(drill.write("other.json", other))

    assert result.exit_code == 1
    assert "not the given public key" in result.output


@pytest.mark.parametrize("text", ["{not json", "[]", '{"format": "cadre-ledger-checkpoint/1"}', "x" * 2**21],
                         ids=["not JSON", "not an object", "missing fields", "too large"])
def test_a_malformed_checkpoint_file_is_unusable_input(drill: Drill, text: str) -> None:
    result = drill.verify_against(drill.write("bad.json", text))

    assert result.exit_code == 2
    assert result.output.startswith("error: ") and result.output.count("\n") == 1


def test_a_signature_that_is_not_base64_is_unusable_input(drill: Drill) -> None:
    cp = drill.saved_checkpoint()
    cp["signature"] = "not base64!"

    result = drill.verify_against(drill.write("bad.json", cp))

    assert result.exit_code == 2
    assert result.output == "error: checkpoint: signature is not base64\n"


def _proof(drill: Drill) -> dict[str, Any]:
    out = drill.folder / "proof.json"
    proved = drill.cli("prove", SANCTION, "--checkpoint", str(drill.folder / "cp.json"), "--out", str(out))
    assert proved.exit_code == 0
    return json.loads(out.read_text())


def verify_proof(drill: Drill, doc: Any) -> Result:
    return drill.cli("verify-proof", drill.write("checked.json", doc), "--public-key", drill.public_key)


def test_a_proof_verifies_offline_against_its_checkpoint(drill: Drill) -> None:
    result = verify_proof(drill, _proof(drill))

    assert result.exit_code == 0
    position = drill.position(SANCTION)
    assert result.output.startswith(f"proved: decision {SANCTION} (cadre/HB-000123 v22, position {position}, ")
    assert f"is event {position} of a tree of " in result.output
    assert "(the proof binds its decision id, stream, version, position, recording time and content)" in result.output
    assert result.output.endswith("(checkpoint signature checked)\n")


def test_an_over_long_proof_fails_with_a_one_line_reason(drill: Drill) -> None:
    doc = _proof(drill)
    doc["audit_path"].append("00" * 32)

    result = verify_proof(drill, doc)

    assert result.exit_code == 1
    assert result.output.startswith("error: audit path has ") and result.output.count("\n") == 1


def test_a_proof_longer_than_any_real_one_is_unusable_input(drill: Drill) -> None:
    doc = _proof(drill)
    doc["audit_path"] = ["00" * 32] * 200

    result = verify_proof(drill, doc)

    assert result.exit_code == 2
    assert "more than any real proof" in result.output


@pytest.mark.parametrize("size", [len(EXAMPLES) - 1, len(EXAMPLES) + 1, 10**9])
def test_a_proof_for_the_wrong_tree_size_fails_with_a_one_line_reason(drill: Drill, size: int) -> None:
    doc = _proof(drill)
    doc["tree_size"] = size

    result = verify_proof(drill, doc)

    assert result.exit_code == 1
    assert result.output.startswith("error: ") and result.output.count("\n") == 1


@pytest.mark.parametrize("text", ["{not json", '{"format": "cadre-ledger-inclusion-proof/1"}', '"a string"'])
def test_a_malformed_proof_file_is_unusable_input(drill: Drill, text: str) -> None:
    result = drill.cli("verify-proof", drill.write("bad-proof.json", text))

    assert result.exit_code == 2
    assert result.output.startswith("error: ") and result.output.count("\n") == 1


# --- the two-process confirmation on SQLite ---------------------------------------------------------------
def test_two_processes_confirm_an_intact_log_with_the_same_report_as_one_pass(
    drill: Drill, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not drill.sqlite:
        pytest.skip("the two-process confirmation is for SQLite files")
    session = drill.app.session
    with session.snapshot() as cursor:
        exact = verify.check_log(verify.DbReader(cursor.connection, session.tables), [0, 1, 24, 47])
    monkeypatch.setattr(verify, "check_log", lambda *_: pytest.fail("the exact pass ran"))
    with session.snapshot() as cursor:
        confirmed = verify._confirmed(cursor.connection, session.tables, [0, 1, 24, 47])

    assert confirmed is not None and set(confirmed.roots_at) == {0, 1, 24, 47}
    fields = ("events", "root", "chain_head", "roots_at", "positions_at")
    assert [getattr(confirmed, f) for f in fields] == [getattr(exact, f) for f in fields]


@pytest.mark.parametrize("damage", [
    ("UPDATE ledger_merkle_nodes SET hash = zeroblob(32) "
    "WHERE node_key = (SELECT max(node_key) FROM ledger_merkle_nodes)"),
    "DELETE FROM ledger_merkle_nodes WHERE node_key = (SELECT min(node_key) FROM ledger_merkle_nodes)",
    "INSERT INTO ledger_merkle_nodes VALUES (-63, zeroblob(32))",
    "UPDATE ledger_merkle_nodes SET node_key = -63 WHERE node_key = 65",
    "UPDATE ledger_merkle_nodes SET hash = CAST(hash AS TEXT) WHERE node_key = 65",
    "UPDATE ledger_seals SET leaf_index = leaf_index + 1 WHERE position = 30",
    "UPDATE ledger_seals SET chain_hash = zeroblob(32) WHERE position = 47",
    "UPDATE ledger_seal_head SET frontier = zeroblob(32)",
    ("INSERT INTO ledger_seals SELECT 48, 47, originator_id, 99, event_hash, chain_hash, format, recorded_at "
     "FROM ledger_seals WHERE position = 47"),
    ("INSERT INTO ledger_seals SELECT 0, 0, originator_id, 99, event_hash, chain_hash, format, recorded_at "
     "FROM ledger_seals WHERE position = 1"),
    "UPDATE ledger_seals SET event_hash = CAST(event_hash AS TEXT) WHERE position = 9",
    "UPDATE ledger_seals SET chain_hash = CAST(chain_hash AS TEXT) WHERE position = 9",
    "UPDATE ledger_seals SET leaf_index = 'x' || leaf_index WHERE position = 9",
    "UPDATE ledger_seals SET event_hash = substr(event_hash, 1, 31) WHERE position = 9",
    ("UPDATE ledger_seals SET (leaf_index, event_hash, chain_hash) = "
    "(SELECT leaf_index + 1, event_hash, chain_hash FROM ledger_seals WHERE position = 10) "
    "WHERE position = 9"),
    "UPDATE stored_events SET rowid = 100 WHERE rowid = 47",
], ids=["node hash", "node gone", "node added", "node moved", "node as text", "leaf index", "chain", "head",
        "extra seal", "seal before the first event", "event hash as text", "chain hash as text",
        "leaf index as text",
        "short event hash", "seal copied from the next", "event moved to a gap"])
def test_two_processes_leave_any_damage_to_the_exact_pass(drill: Drill, damage: str) -> None:
    if not drill.sqlite:
        pytest.skip("the two-process confirmation is for SQLite files")
    drill.sql(damage)

    with drill.app.session.snapshot() as cursor:
        confirmed = verify._confirmed(cursor.connection, drill.app.session.tables, [])
    assert confirmed is None
    assert drill.verify().exit_code == 1


def test_a_proof_checked_without_the_public_key_says_its_checkpoint_is_unauthenticated(drill: Drill) -> None:
    result = drill.cli("verify-proof", drill.write("unkeyed.json", _proof(drill)))

    assert result.exit_code == 0
    assert result.output.endswith("(checkpoint signature NOT checked: pass --public-key)\n")


def test_two_processes_reopen_a_file_whose_path_looks_like_a_uri(drill: Drill, tmp_path: Path) -> None:
    if not drill.sqlite:
        pytest.skip("the two-process confirmation is for SQLite files")
    folder = tmp_path / "a?mode=rwc#b"
    folder.mkdir()
    copy = folder / "ledger 100%.db"
    with sqlite3.connect(drill.app.database.path) as source, sqlite3.connect(copy) as target:
        source.backup(target)

    with sqlite3.connect(copy) as conn:
        conn.execute("BEGIN")
        tables = Tables("sqlite")
        confirmed = two_process.confirm(conn, two_process.usable(conn, tables) or "", tables, [])

    assert confirmed is not None
    assert {p.name for p in folder.iterdir()} <= {copy.name, f"{copy.name}-wal", f"{copy.name}-shm"}


@pytest.mark.parametrize("parallel_min", [0, 10**12], ids=["two processes", "one pass"])
@pytest.mark.parametrize("damage", [None, "UPDATE ledger_seals SET chain_hash = zeroblob(32) WHERE position = 47"],
                         ids=["intact", "damaged"])
def test_verify_tells_its_progress_of_every_event_once(drill: Drill, monkeypatch: pytest.MonkeyPatch,
                                                        parallel_min: int, damage: str | None) -> None:
    from ledger.integrity.front import verify_ledger

    monkeypatch.setattr(two_process, "PARALLEL_MIN", parallel_min)
    if damage is not None:
        if not drill.sqlite:
            pytest.skip("the damage is written in SQLite's dialect")
        drill.sql(damage)
    told: list[int] = []

    report = verify_ledger(drill.app.session, progress=told.append)

    assert report.ok is (damage is None)
    assert all(n > 0 for n in told) and sum(told) == report.events == 47
