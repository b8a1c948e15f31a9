"""Reading old data: ledger files written by earlier code are read, verified and extended by the current code.

`tests/fixtures/ledger-2025.db` holds one event of every decision class as the code of its commit wrote
them (with the checkpoint it signed and the history it printed); `dossier-v1.db` holds events of the drill
aggregate (`tests/reliability/legacy.py`) written before its `Annotated` event gained `pages`
(class_version 2, `upcast_v1_v2`). Both are copied before use: opening a ledger writes to it.
"""
from __future__ import annotations

import copy
import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from ledger.app import CadreLedger
from ledger.examples import EXAMPLES
from ledger.integrity.front import verify_ledger
from projections.reader import Reader
from projections.render import to_jsonable
from tests.reliability.support import cadre_ledger, read_model_rows

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def old_ledger(tmp_path):
    """A copy of ledger-2025.db, opened by the current code."""
    path = tmp_path / "ledger-2025.db"
    shutil.copyfile(FIXTURES / "ledger-2025.db", path)
    app = CadreLedger(str(path))
    yield app
    app.close()


def test_an_old_ledger_reads_the_history_it_printed_when_it_was_written(old_ledger):
    printed = json.loads((FIXTURES / "ledger-2025.history.json").read_text(encoding="utf-8"))

    for stream, rows in printed.items():
        kind, key = stream.split("/", 1)

        assert to_jsonable(old_ledger.history(**{kind: key})) == rows


def test_an_old_ledger_verifies_against_the_checkpoint_signed_when_it_was_written(old_ledger):
    done = cadre_ledger(old_ledger.database.path, "verify",
                        "--checkpoint", str(FIXTURES / "ledger-2025.checkpoint.json"),
                        "--public-key", str(FIXTURES / "ledger-2025.pub"))

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("intact: 47 events")
    assert verify_ledger(old_ledger.session).ok


def test_an_old_ledger_answers_status_and_takes_its_decisions_again_as_already_recorded(old_ledger):
    promoted = Reader(old_ledger).status("HB-000123", date(2025, 10, 1))
    retired = Reader(old_ledger).status("HB-000124", date(2026, 7, 1))

    again = old_ledger.import_lines(list(enumerate(copy.deepcopy(EXAMPLES), start=1)), "组织部-王")

    assert (promoted["name"], promoted["post"], promoted["post_level"]) == ("张明", "区委书记", "county-chief")
    assert (retired["employment"], retired["rank"]) == ("retired", "researcher-2")
    assert (again.recorded, again.already, again.refused) == (0, 47, 0)


def test_an_old_ledger_projects_and_accepts_new_decisions(old_ledger):
    Reader(old_ledger).catch_up()
    caught_up = read_model_rows(old_ledger)
    Reader(old_ledger).rebuild()
    new = {"id": "commend-2026", "type": "commendation", "on": "2026-02-01", "cadre": "HB-000123",
           "kind": "merit-2"}

    report = old_ledger.import_lines([(1, new)], "组织部-王")

    assert read_model_rows(old_ledger) == caught_up
    assert report.recorded == 1 and verify_ledger(old_ledger.session).events == 48


def test_events_written_before_their_class_gained_a_field_are_upcast_on_read_and_their_seals_hold(tmp_path):
    path = tmp_path / "dossier-v1.db"
    shutil.copyfile(FIXTURES / "dossier-v1.db", path)
    app = CadreLedger(str(path))
    stored_before = _stored_states(path)

    dossier = app.repository.get(_dossier_id(app))
    dossier.annotate("2025年度考核登记表", pages=3)
    app.save(dossier)
    again = app.repository.get(dossier.id)

    assert (dossier.cadre, dossier.notes) == ("HB-000123", ["入党志愿书", "2019年度考核登记表", "2025年度考核登记表"])
    assert again.pages == 3 and again.version == 4  # the two old notes were read with pages 0
    assert _stored_states(path)[:3] == stored_before  # reading never rewrites history
    assert verify_ledger(app.session).ok and verify_ledger(app.session).events == 4
    app.close()


def _stored_states(path):
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT topic, state FROM stored_events ORDER BY rowid").fetchall()


def _dossier_id(app):
    """The one aggregate in the drill file."""
    [notification] = app.recorder.select_notifications(start=1, limit=1)
    return notification.originator_id
