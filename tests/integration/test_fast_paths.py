"""The fast paths around the eventsourcing library (ledger/fastpaths.py) are pinned to the library's own
behaviour: the same bytes written, the same aggregate loaded, the same upcasting of old events."""
from __future__ import annotations

import base64
import copy
import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from ledger.app import CadreLedger
from ledger.cadre import Cadre
from ledger.decisions import parse, with_id
from ledger.examples import EXAMPLES
from ledger.fastpaths import PendingEvent, decode_state, encode, event_class, fact_of, untimed_state
from ledger.replay import replay_streams
from ledger.spill import SpillDir
from ledger.storage.transcoder import to_jsonable
from ledger.workspace import Workspace, pending_events
from projections.feed import envelopes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
KEY = base64.b64encode(bytes(range(32))).decode()


def lines(decisions: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    return list(enumerate(copy.deepcopy(decisions), start=1))


def stored_events(app: CadreLedger) -> list[Any]:
    return app.recorder.select_notifications(start=1, limit=1000)


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_the_import_path_writes_the_bytes_the_library_would_write(tmp_path, monkeypatch, encrypted):
    if encrypted:
        monkeypatch.setenv("CADRE_LEDGER_CIPHER_KEY", KEY)
    app = CadreLedger(str(tmp_path / "ledger.db"))
    decisions = [with_id(parse(copy.deepcopy(e))) for e in EXAMPLES if e.get("cadre") == "HB-000124"]
    spills = SpillDir()
    # keyed ids on the encrypted ledger; states encoded without their timestamp, completed at writing
    work = Workspace(lambda _id: None, app.id_of, spills.spill("events"), app.mapper.transcoder)
    for d in decisions:
        work.add(d, "hash", "clerk", None)
    cadre = Cadre.open(decisions[0], "clerk", agg_id=app.id_of(Cadre, "HB-000124"))
    assert (cadre.id == Cadre.id_for("HB-000124")) is not encrypted
    for d in decisions[1:]:
        cadre.record(d, "clerk")

    ours = encode(app.mapper, [event for _, event in pending_events(work.spill)])
    spills.close()

    for stored, event in zip(ours, cadre.pending_events, strict=True):
        object.__setattr__(event, "timestamp", app.mapper.to_domain_event(stored).timestamp)
        theirs = app.mapper.to_stored_event(event)
        assert (stored.originator_id, stored.originator_version, stored.topic) == (
            theirs.originator_id, theirs.originator_version, theirs.topic)
        assert app.mapper.to_domain_event(stored).__dict__ == app.mapper.to_domain_event(theirs).__dict__
        if not encrypted:  # AES-GCM takes a fresh nonce each time: equal plaintext, different bytes
            assert stored.state == theirs.state
    app.close()


def test_the_loader_gives_the_aggregate_the_repository_gives_with_snapshots_and_a_cache(tmp_path):
    path = str(tmp_path / "ledger.db")
    app = CadreLedger(path, snapshot_interval=4)
    other = CadreLedger(path, snapshot_interval=4)  # another process, as far as the cache can tell
    assert not app.import_lines(lines(EXAMPLES[:20]), "clerk").errors
    cadre = Cadre.id_for("HB-000123")

    first = app.load_subject(cadre)  # replayed from the latest snapshot, then cached
    assert not other.import_lines(lines(EXAMPLES[20:]), "clerk").errors
    advanced = app.load_subject(cadre)  # the cached subject brought forward by one query

    for loaded in (first, advanced):
        assert loaded is not None
        expected = app.repository.get(cadre, version=loaded.version)
        assert (loaded.version, loaded.facts, loaded.key) == (expected.version, expected.facts, expected.key)
    assert advanced is not None and advanced.version == app.repository.get(cadre).version > first.version
    assert app.snapshots is not None and list(app.snapshots.get(cadre))  # snapshots were taken and used
    app.close()
    other.close()


def test_stored_states_decode_to_what_the_mapper_gives_the_event_class(tmp_path):
    app = CadreLedger(str(tmp_path / "ledger.db"))
    assert not app.import_lines(lines(EXAMPLES), "clerk").errors

    for note in stored_events(app):
        event = app.mapper.to_domain_event(note)
        expected = {k: v for k, v in vars(event).items() if k not in ("originator_id", "originator_version")}
        state = decode_state(app.mapper, note.topic, note.state, note.originator_id, note.originator_version)
        subject = app.repository.get(note.originator_id, version=note.originator_version)

        assert state == expected
        assert fact_of(state, event_class(note.topic).decision_type, note.originator_version,
                       subject.subject_key, subject.key) == subject.facts[-1]
    app.close()


@pytest.fixture
def commendations_gain_a_field(monkeypatch):
    """`Cadre.Commended` bumped to class version 2: old states get `citation_text` from an upcaster."""
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["details"]["citation_text"] = "（旧记录，无嘉奖词）"

    monkeypatch.setattr(Cadre.Commended, "class_version", 2, raising=False)
    monkeypatch.setattr(Cadre.Commended, "upcast_v1_v2", staticmethod(upcast_v1_v2), raising=False)


def test_events_written_before_their_class_gained_a_field_read_alike_by_a_load_a_rebuild_and_the_feed(
        tmp_path, commendations_gain_a_field):
    path = tmp_path / "ledger-2025.db"
    shutil.copyfile(FIXTURES / "ledger-2025.db", path)  # written before the bump
    app = CadreLedger(str(path))
    new = {"id": "commend-2026", "type": "commendation", "on": "2026-02-01", "cadre": "HB-000123", "kind": "merit-2"}
    assert app.import_lines(lines([new]), "clerk").recorded == 1  # written at version 2

    loaded = {f["id"]: f for f in app.facts(Cadre, "HB-000123")}
    rebuilt = next(s for s in replay_streams(app.session, app.mapper) if s.key == "HB-000123")
    fed = {e["id"]: e for e in envelopes(app, cadre="HB-000123")}

    assert loaded["commend-2021"]["citation_text"] == "（旧记录，无嘉奖词）"
    assert "citation_text" not in loaded["commend-2026"]  # written at version 2: nothing to upcast
    assert {f["id"]: f for f in rebuilt.facts} == loaded
    assert fed["commend-2021"]["data"]["citation_text"] == "（旧记录，无嘉奖词）"
    assert "citation_text" not in fed["commend-2026"]["data"]
    assert to_jsonable(fed["commend-2021"]["data"]) == fed["commend-2021"]["data"]
    app.close()


def test_a_state_written_at_the_current_version_is_not_upcast_again(tmp_path, commendations_gain_a_field):
    app = CadreLedger(str(tmp_path / "ledger.db"))
    assert not app.import_lines(lines([e for e in EXAMPLES if e.get("cadre") == "HB-000123"][:1]), "clerk").errors
    commend = {"id": "c-1", "type": "commendation", "on": "2021-01-01", "cadre": "HB-000123", "kind": "citation"}
    assert app.import_lines(lines([commend]), "clerk").recorded == 1
    [note] = [n for n in stored_events(app) if n.topic.endswith("Cadre.Commended")]

    state = decode_state(app.mapper, note.topic, note.state, note.originator_id, note.originator_version)

    assert app.mapper.transcoder.decode(note.state)["class_version"] == 2
    assert "class_version" not in state and "citation_text" not in state["details"]
    app.close()


@pytest.mark.parametrize("keys", [3, 15, 16, 40], ids=["small", "fixmap-full", "map16", "larger"])
def test_a_state_encoded_without_its_timestamp_is_completed_to_the_bytes_of_the_whole_state(tmp_path, keys):
    app = CadreLedger(str(tmp_path / "ledger.db"))
    moment = datetime(2026, 3, 1, 9, 30, 0, 250, tzinfo=UTC)
    state = {f"field_{n:02d}": n for n in range(keys - 1)} | {"on": date(2026, 3, 1), "timestamp": moment}
    untimed = untimed_state(app.mapper.transcoder, state)
    pending = PendingEvent(uuid4(), 1, "ledger.cadre:Cadre.Commended", {"timestamp": moment}, (), untimed)

    (stored,) = encode(app.mapper, [pending])

    assert untimed is not None and stored.state == app.mapper.transcoder.encode(state)
    assert untimed_state(app.mapper.transcoder, {"zone": 1, "timestamp": moment}) is None
    app.close()
