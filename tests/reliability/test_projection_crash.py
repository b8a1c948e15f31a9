"""The read models' catch-up and rebuild killed with SIGKILL mid-way: a query afterwards brings them to
exactly the stored events, each page applied once.

A query (`cadre-ledger list`) catches the read models up page by page, each page in one transaction with
its tracked position; `cadre-ledger rebuild` empties them and derives them again. Both are killed while
they write, and then `cadre-ledger projections` must tell the truth about the lag, and the next query must
leave the tables equal to a complete rebuild. CADRE_LEDGER_SOAK=1: 10 kills of each over 9,400 events.
"""
from __future__ import annotations

import json
import random
import signal
import time

import pytest

from ledger.app import CadreLedger
from projections import runner
from projections.reader import Reader
from tests.reliability import synth
from tests.reliability.support import cadre_ledger, raw_cursor, read_model_rows, soak, start

KILLS = soak(2, 10)
COPIES = soak(60, 200)

pytestmark = pytest.mark.slow


def test_a_killed_catch_up_or_rebuild_is_finished_by_the_next_query_exactly_once(db_url):
    rng = random.Random(7)
    app = CadreLedger(db_url)
    decisions = synth.decisions(COPIES)
    assert app.import_lines(list(enumerate(decisions, start=1)), "clerk").errors == []
    head = app.recorder.max_notification_id()
    assert Reader(app).positions()[0]["lag"] == head  # the tables exist, empty
    killed = {"catch-up": [], "rebuild": []}

    for _ in range(KILLS):  # a catch-up from wherever the last one stopped
        before = _position(db_url) or 0
        if before == head:
            break
        _kill_when(db_url, start(db_url, "list", "--json"),
                   lambda before=before: (_position(db_url) or 0) > before, rng)
        position = _position(db_url) or 0
        killed["catch-up"].append(position)
        assert position in _page_ends(before, head), f"position {position}: not a page's end after {before}"
        _assert_lag_is_reported(db_url, head, position)

    assert cadre_ledger(db_url, "list", "--json").returncode == 0
    caught_up = read_model_rows(app)
    Reader(app).rebuild()
    rebuilt = read_model_rows(app)
    assert caught_up == rebuilt
    assert _events_counted(db_url) == sum(1 for d in decisions if "cadre" in d)

    for _ in range(KILLS):
        _kill_when(db_url, start(db_url, "rebuild"), lambda: _position(db_url) is None, rng)
        killed["rebuild"].append(_position(db_url))
        _assert_lag_is_reported(db_url, head, _position(db_url) or 0)
        assert cadre_ledger(db_url, "list", "--json").returncode == 0

        assert read_model_rows(app) == rebuilt
        assert _position(db_url) == head
    app.close()
    print(f"\n{head:,} events; catch-ups killed at positions {killed['catch-up']}, rebuilds killed "
          f"leaving positions {killed['rebuild']} (None: emptied); each finished by the next query, "
          "equal to a rebuild")


def _kill_when(url, process, condition, rng):
    """SIGKILL `process` a random moment (up to 0.15 s) after `condition` first holds, or once it exited."""
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline and not condition():
        time.sleep(0.005)
    time.sleep(rng.uniform(0, 0.15))
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)


def _position(url):
    """The read models' tracked position, or None when there is none (emptied by a rebuild)."""
    with raw_cursor(url) as (c, prefix):
        c.execute(f"SELECT position FROM {prefix}proj_tracking WHERE projection = 'read-models'")
        row = c.fetchone()
        return None if row is None else int(row[0])


def _page_ends(start, head):
    return {start, *range(start + runner.PAGE, head, runner.PAGE), head}


def _events_counted(url):
    with raw_cursor(url) as (c, prefix):
        c.execute(f"SELECT SUM(events) FROM {prefix}proj_cadres")
        return int(c.fetchone()[0])


def _assert_lag_is_reported(url, head, position):
    shown = json.loads(cadre_ledger(url, "projections", "--json").stdout)
    assert {(p["position"], p["lag"]) for p in shown} == {(position, head - position)}
