"""Nothing a reader sees escapes `verify`: the attacks an insider with write access to the database would try
on what queries read beside the sealed log, each caught by the command an auditor runs (SQLite and
PostgreSQL)."""
from __future__ import annotations

import json
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from eventsourcing.persistence import StoredEvent

from ledger.cadre import Cadre
from ledger.integrity.front import checkpoint
from ledger.integrity.hashes import micros
from projections import runner
from projections.reader import Reader
from tests.conftest import POSTGRES
from tests.integration.drills import Drill, recorded_drill

SANCTION = "s-2023-17"  # a demerit of HB-000123


@pytest.fixture
def drill(ledger: Any, db_url: str, tmp_path: Path) -> Drill:
    made = recorded_drill(ledger, db_url, tmp_path)
    Reader(ledger).catch_up()
    return made


def tampered(result: Any, *expected: str) -> str:
    """The one line of a verify that failed, after checking exit 1 and that it says each of `expected`."""
    assert result.exit_code == 1, result.output
    assert result.output.count("\n") == 1, result.output
    for text in expected:
        assert text in result.output, result.output
    return str(result.output)


# --- snapshots ---------------------------------------------------------------------------------------------
def _snapshot(drill: Drill, edit: Any) -> None:
    """Take a snapshot of HB-000123, then rewrite it in place with `edit` applied to the aggregate's state."""
    app, cadre = drill.app, Cadre.id_for("HB-000123")
    app.take_snapshot(cadre)
    [stored] = app.snapshots.recorder.select_events(cadre, desc=True, limit=1)  # type: ignore[union-attr]
    snapshot = app.mapper.to_domain_event(stored)
    edit(snapshot.state)
    forged = app.mapper.to_stored_event(snapshot)
    table = "stored_snapshots" if drill.sqlite else f'"{app.database.schema}".ledger_snapshots'
    drill.sql(f"UPDATE {table} SET state = ? WHERE originator_version = ?", (forged.state, stored.originator_version))


@pytest.mark.parametrize("edit", [
    lambda state: state.update(facts=[f for f in state["facts"] if f["id"] != SANCTION]),
    lambda state: state["facts"][0].update(name="王五"),
], ids=["a sanction's fact removed", "the cadre renamed"])
def test_a_rewritten_snapshot_that_queries_believe_is_caught_by_verify(drill: Drill, edit: Any) -> None:
    _snapshot(drill, edit)
    drill.app.loader.cache.clear()
    fooled = drill.cli("show", "HB-000123", "--as-of", "2023-09-01", "--json")
    honest = drill.cli("history", "HB-000123", "--verify", "--json")

    assert fooled.exit_code == 0 and fooled.output  # the query reads the snapshot: this is what verify must catch
    assert all(row["verified"] == "verified" for row in json.loads(honest.output))
    assert SANCTION in honest.output and "王五" not in honest.output  # history --verify shows the events
    tampered(drill.verify(), "TAMPERED: snapshot of cadre/HB-000123 v", "differs from its events")
    tampered(drill.verify_with_checkpoint(), "snapshot of cadre/HB-000123")
    assert drill.verify("--log-only").exit_code == 0  # the sealed log itself is intact


def test_a_snapshot_beyond_its_streams_head_is_caught(drill: Drill) -> None:
    _snapshot(drill, lambda state: None)
    table = "stored_snapshots" if drill.sqlite else f'"{drill.app.database.schema}".ledger_snapshots'
    drill.sql(f"UPDATE {table} SET originator_version = originator_version + 50")

    tampered(drill.verify(), "snapshot of cadre/HB-000123", "beyond its stream's head")


# --- the decision index ------------------------------------------------------------------------------------
def test_a_sanction_moved_to_another_cadre_in_the_index_is_caught(drill: Drill) -> None:
    drill.sql(f"UPDATE {drill.tables.decisions} SET stream = 'cadre/HB-000124' WHERE decision_id = ?", (SANCTION,))
    fooled = drill.cli("export", "--cadre", "HB-000124")

    assert SANCTION in fooled.output  # the feed trusts the index: this is what verify must catch
    tampered(drill.verify(), "TAMPERED: decision index of cadre/HB-000123", "names stream cadre/HB-000124")


def test_a_deleted_index_row_is_caught_even_by_the_log_alone(drill: Drill) -> None:
    position = drill.position(SANCTION)
    drill.sql(f"DELETE FROM {drill.tables.decisions} WHERE decision_id = ?", (SANCTION,))

    skipped = drill.cli("export", "--after", str(position - 1))

    assert f'"id": "{SANCTION}"' not in skipped.output  # the feed would skip it
    tampered(drill.verify("--log-only"), f"TAMPERED at position {position}", "lost its decision-index row")
    tampered(drill.verify(), f"TAMPERED at position {position}")


def test_swapped_index_positions_are_caught_and_prove_refuses_the_wrong_event(drill: Drill) -> None:
    a, b = drill.position(SANCTION), drill.position("commend-2021")
    d = drill.tables.decisions
    drill.sql(f"UPDATE {d} SET position = -1 WHERE position = ?", (a,))
    drill.sql(f"UPDATE {d} SET position = ? WHERE position = ?", (a, b))
    drill.sql(f"UPDATE {d} SET position = ? WHERE position = -1", (b,))

    proved = drill.cli("prove", SANCTION)

    assert proved.exit_code == 1
    assert proved.output.startswith("error: the decision index puts decision s-2023-17 at position")
    tampered(drill.verify("--log-only"), f"TAMPERED at position {min(a, b)}")


def test_a_cadre_deleted_from_the_index_still_lists_as_known_and_is_caught(drill: Drill) -> None:
    drill.sql(f"DELETE FROM {drill.tables.decisions} WHERE stream = 'cadre/HB-000124'")
    moment = (drill.app.history(cadre="HB-000124")[-1]["recorded_at"] + timedelta(seconds=1)).isoformat()

    listed = drill.cli("list", "--known-at", moment, "--as-of", "2026-11-20", "--json")

    assert "HB-000124" in {row["cadre"] for row in json.loads(listed.output)}
    tampered(drill.verify(), "TAMPERED at position")


def test_an_index_row_added_where_no_event_is_is_caught(drill: Drill) -> None:
    drill.sql(f"INSERT INTO {drill.tables.decisions} VALUES ('FAKE-1', 'x', 'cadre/HB-000123', 'sanction', 999999)")

    tampered(drill.verify(), "TAMPERED: decision index of cadre/HB-000123", "FAKE-1 at position 999999")


# --- the reporting tables ----------------------------------------------------------------------------------
def test_an_edited_reporting_table_that_list_believes_is_caught_by_verify(drill: Drill) -> None:
    table = "proj_restrictions" if drill.sqlite else f'"{drill.app.database.schema}".proj_restrictions'
    drill.sql(f"UPDATE {table} SET blocks_promotion = 0 WHERE cadre = 'HB-000123'")
    fooled = drill.cli("list", "--not-promotable", "--as-of", "2023-09-01", "--json")

    assert "HB-000123" not in fooled.output  # list believes the tables: this is what verify must catch
    tampered(drill.verify(), "TAMPERED: reporting table of proj_restrictions HB-000123",
             "which the events do not give")
    assert drill.verify("--log-only").exit_code == 0


def test_a_tracked_position_beyond_the_head_is_caught(drill: Drill) -> None:
    table = "proj_tracking" if drill.sqlite else f'"{drill.app.database.schema}".proj_tracking'
    drill.sql(f"UPDATE {table} SET position = position + 10")

    tampered(drill.verify(), "proj_tracking", "beyond the log's head")


def test_reporting_tables_never_built_are_not_tampering(db_url: str, tmp_path: Path) -> None:
    from ledger.app import CadreLedger
    from ledger.examples import EXAMPLES

    app = CadreLedger(db_url)
    app.import_lines(list(enumerate(EXAMPLES, 1)), "clerk")
    drill = Drill(app, db_url, tmp_path)

    result = drill.verify()

    assert result.exit_code == 0, result.output
    assert "reporting tables not built" in result.output


# --- proofs ------------------------------------------------------------------------------------------------
def _proof(drill: Drill, *args: str) -> dict[str, Any]:
    out = drill.folder / "p.json"
    assert drill.cli("prove", SANCTION, *args, "--out", str(out)).exit_code == 0
    return dict(json.loads(out.read_text()))


@pytest.mark.parametrize("edit", [
    lambda doc: doc.update(decision_id="FAKE-DECISION-999"),
    lambda doc: doc["leaf"].update(position=doc["leaf"]["position"] + 1),
    lambda doc: doc["leaf"].update(stream="cadre/HB-000124"),
], ids=["decision id", "position", "stream"])
def test_a_proof_whose_decision_was_edited_fails(drill: Drill, edit: Any) -> None:
    doc = _proof(drill, "--checkpoint", str(drill.folder / "cp.json"))
    edit(doc)

    result = drill.cli("verify-proof", drill.write("edited.json", doc), "--public-key", drill.public_key)

    assert result.exit_code == 1 and "was edited" in result.output
    assert result.output.count("\n") == 1


def test_with_the_public_key_a_proof_without_its_checkpoint_fails(drill: Drill) -> None:
    doc = _proof(drill, "--checkpoint", str(drill.folder / "cp.json"))
    del doc["checkpoint"], doc["consistency_path"]

    result = drill.cli("verify-proof", drill.write("bare.json", doc), "--public-key", drill.public_key)

    assert result.exit_code == 1 and "tied to no checkpoint" in result.output


def test_with_the_public_key_a_self_made_one_leaf_proof_fails(drill: Drill) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from ledger.integrity.checkpoints import make_checkpoint
    from ledger.integrity.hashes import leaf_hash

    doc = _proof(drill)
    digest = bytes.fromhex(doc["event_hash"])
    signed = drill.app.history(cadre="HB-000123")[0]["recorded_at"]
    forged = make_checkpoint(1, leaf_hash(digest), Ed25519PrivateKey.generate(), signed)
    doc.update(leaf_index=0, tree_size=1, audit_path=[], root_hash=leaf_hash(digest).hex(), checkpoint=forged,
               consistency_path=[])

    result = drill.cli("verify-proof", drill.write("self.json", doc), "--public-key", drill.public_key)

    assert result.exit_code == 1 and "not the given public key" in result.output


# --- checkpoints and recording times ---------------------------------------------------------------------
def test_checkpoint_refuses_to_sign_a_tampered_ledger(drill: Drill) -> None:
    position = drill.position(SANCTION)
    state = bytearray(drill.state(position))
    state[-1] ^= 1
    drill.set_state(position, bytes(state))

    result = drill.cli("checkpoint", "--key", str(drill.folder / "ledger.key"))

    assert result.exit_code == 1
    assert result.output.startswith("error: the log is tampered, so it is not signed: TAMPERED at position")


def test_an_event_backdated_before_a_checkpoint_that_does_not_contain_it_is_caught(drill: Drill) -> None:
    last = drill.app.history(cadre="HB-000123")[-1]["recorded_at"]
    later = checkpoint(drill.app.session, str(drill.folder / "ledger.key"), now=last + timedelta(hours=1))
    new = {"id": "c-late", "type": "commendation", "on": "2026-01-05", "cadre": "HB-000123", "kind": "citation"}
    assert drill.app.import_lines([(1, new)], "clerk").recorded == 1
    position = drill.position("c-late")
    backdated = last + timedelta(minutes=5)  # after every event before it, before the checkpoint's time
    _restamp(drill, position, backdated)
    drill.reseal_with({position: micros(backdated)})

    assert drill.verify("--log-only").exit_code == 0  # a thorough forger: the log alone holds
    tampered(drill.verify("--checkpoint", drill.write("later.json", later), "--public-key", drill.public_key),
             "backdated", "c-late")


def test_a_recording_time_that_decreases_along_the_log_is_caught(drill: Drill) -> None:
    position = drill.position(SANCTION)
    earlier = drill.app.history(cadre="HB-000123")[0]["recorded_at"] - timedelta(days=400)
    _restamp(drill, position, earlier)
    drill.reseal_with({position: micros(earlier)})

    tampered(drill.verify("--log-only"), f"TAMPERED at position {position}", "recording times never decrease")


def _restamp(drill: Drill, position: int, moment: Any) -> None:
    """Rewrite an event's stored state with another recording time, as a forger would."""
    app = drill.app
    oid, version, topic = drill.sql(f"SELECT originator_id, originator_version, topic FROM {drill.events} "
                                    f"WHERE {drill.pos} = ?", (position,))[0]
    stored = StoredEvent(oid if isinstance(oid, uuid.UUID) else uuid.UUID(oid), version, topic, drill.state(position))
    event = app.mapper.to_domain_event(stored)
    object.__setattr__(event, "timestamp", moment)
    drill.set_state(position, app.mapper.to_stored_event(event).state)


def test_history_verify_marks_a_deleted_last_event_missing(drill: Drill) -> None:
    rows = drill.app.history(cadre="HB-000123")
    drill.sql(f"DELETE FROM {drill.events} WHERE {drill.pos} = ?", (drill.position(rows[-1]["id"]),))

    marks = json.loads(drill.cli("history", "HB-000123", "--verify", "--json").output)

    assert [m["verified"] for m in marks] == ["verified"] * (len(rows) - 1) + ["MISSING"]


# --- reads never write ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("command", [["verify"], ["show", "HB-1"], ["list"], ["history", "HB-1"], ["export"],
                                     ["prove", "x"], ["projections"]])
def test_a_read_on_a_mistyped_path_creates_nothing(tmp_path: Path, command: list[str]) -> None:
    from click.testing import CliRunner

    from cli import cli

    path = tmp_path / "typo.db"
    result = CliRunner().invoke(cli, ["--db", str(path), *command])

    assert result.exit_code == 2
    assert result.output.startswith(f"error: no ledger at {path}")
    assert not path.exists() and list(tmp_path.iterdir()) == []


def test_reads_of_a_ledger_of_an_earlier_release_change_none_of_its_bytes(tmp_path: Path) -> None:
    import shutil

    from click.testing import CliRunner

    from cli import cli

    path = tmp_path / "old.db"
    shutil.copyfile(Path(__file__).resolve().parents[1] / "fixtures" / "ledger-2025.db", path)
    before = path.read_bytes()

    for command in (["verify"], ["show", "HB-000123", "--as-of", "2025-10-01"], ["list"], ["findings"],
                    ["history", "HB-000123", "--verify"], ["export"]):
        assert CliRunner().invoke(cli, ["--db", str(path), *command]).exit_code == 0, command

    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) in (["old.db"], ["old.db", "old.db-shm", "old.db-wal"])


@pytest.mark.postgres
def test_a_read_only_postgresql_role_answers_every_query_without_writing(pg_url: str, tmp_path: Path) -> None:
    from ledger.app import CadreLedger
    from ledger.examples import EXAMPLES

    app = CadreLedger(pg_url)
    assert not app.import_lines(list(enumerate(EXAMPLES, 1)), "clerk").errors
    schema = pg_url.split("schema=")[1]
    role = f"auditor_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
        conn.execute(f'GRANT USAGE ON SCHEMA "{schema}" TO {role}')
        conn.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO {role}')
    auditor = Drill(app, pg_url.replace("postgres@", f"{role}@", 1), tmp_path)
    try:
        listed = auditor.cli("list", "--json")
        shown = auditor.cli("show", "HB-000123", "--as-of", "2023-09-01", "--json")
        verified = auditor.verify()
        exported = auditor.cli("export")
    finally:
        app.close()
        with psycopg.connect(POSTGRES, autocommit=True) as conn:
            conn.execute(f"DROP OWNED BY {role}")
            conn.execute(f"DROP ROLE {role}")

    assert listed.exit_code == 0 and shown.exit_code == 0, listed.output + shown.output
    assert "may not write" in listed.stderr  # the note: the reporting tables were derived in memory
    assert json.loads(shown.stdout)["promotable"] is False
    assert verified.exit_code == 0, verified.output
    assert exported.exit_code == 0 and exported.stdout.count("\n") == len(EXAMPLES)


# --- rebuild is atomic ----------------------------------------------------------------------------------------
def test_a_rebuild_that_fails_half_way_leaves_the_reporting_tables_as_they_were(drill: Drill,
                                                                               monkeypatch: pytest.MonkeyPatch
                                                                               ) -> None:
    before = _rows(drill)
    real, calls = runner.rows_for, []

    def fail_half_way(app: Any, subject: Any, *rest: Any) -> Any:
        calls.append(subject)
        if len(calls) == 3:
            raise RuntimeError("killed")
        return real(app, subject, *rest)

    monkeypatch.setattr(runner, "rows_for", fail_half_way)
    with pytest.raises(RuntimeError):
        Reader(drill.app).rebuild()

    assert _rows(drill) == before
    assert drill.verify().exit_code == 0


def _rows(drill: Drill) -> dict[str, list[str]]:
    from projections.tables import TABLE_NAMES

    with drill.app.session.transaction(commit=False) as c:
        return {t: sorted(map(repr, c.execute(f"SELECT * FROM {t}").fetchall())) for t in TABLE_NAMES}
