"""A writer killed with SIGKILL anywhere in a large import leaves a whole ledger; the import can be re-run.

Each round runs `cadre-ledger import` of a file of a few thousand decisions (`synth.decisions`) and kills
it: at a random moment, or while it holds the database's write lock (inside a write transaction), or just
after its first transaction committed. The next round re-runs the same file, as a clerk would, until it is
wholly recorded, then moves to a new one. After each kill the ledger must hold whole transactions only,
verify, and its read models must catch up to exactly the stored events. At the end one import of every
file used completes with no decision twice, and the read models caught up equal a rebuild.
CADRE_LEDGER_SOAK=1: 20 kills of 9,400-decision imports; otherwise 5 kills of 2,115-decision imports.
"""
from __future__ import annotations

import json
import random
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from ledger import importer
from ledger.app import CadreLedger
from ledger.integrity.front import verify_ledger
from ledger.storage.url import parse_url
from projections.reader import Reader
from tests.reliability import synth
from tests.reliability.support import (
    assert_whole,
    cadre_ledger,
    events_table,
    raw_cursor,
    read_model_rows,
    recorded_ids,
    soak,
    start,
)

KILLS = soak(5, 20)
COPIES = soak(45, 200)  # 47 decisions per copy
SEED = 20250801

pytestmark = pytest.mark.slow


def test_an_import_killed_at_random_points_leaves_whole_transactions_and_resumes_without_duplicates(
        db_url, tmp_path):
    rng = random.Random(SEED)
    files = [synth.write_jsonl(tmp_path / f"file-{n}.jsonl", synth.decisions(COPIES, first=n * COPIES))
             for n in range(KILLS)]
    size = COPIES * len(synth.EXAMPLE_IDS)
    began = time.monotonic()
    dry = cadre_ledger(db_url, "import", str(files[0]), "--dry-run")
    validating = time.monotonic() - began  # start-up and validation: the time before the first write
    assert dry.returncode == 0, dry.stderr
    landed = dict.fromkeys(("before any commit", "between commits", "after the last commit", "in a write"), 0)
    used = 0

    for n in range(KILLS):
        before = assert_whole(db_url)
        ledger_had = _recorded_of(db_url, files[used])
        if ledger_had == size:  # this file is fully recorded: the next round re-runs a new one
            used, ledger_had = used + 1, 0
        mode = ("anywhere", "in a write", "after a commit")[n % 3]
        in_write = _kill_one(db_url, files[used], rng, validating, mode, app_name=f"crash-{n}")

        written = assert_whole(db_url) - before
        assert ledger_had + written in _whole_batches(size, ledger_had), f"kill {n}: {written} is not whole"
        after = "after the last commit" if ledger_had + written == size else "between commits"
        landed["before any commit" if written == 0 else after] += 1
        landed["in a write"] += in_write
        _assert_verifies_and_catches_up(db_url)

    everything = tmp_path / "all.jsonl"
    everything.write_text("".join(p.read_text(encoding="utf-8") for p in files[:used + 1]), encoding="utf-8")
    total = size * (used + 1)
    rerun = cadre_ledger(db_url, "import", str(everything))
    recorded, already = _counts_of(rerun.stdout)

    assert rerun.returncode == 0, rerun.stderr
    assert recorded + already == total
    ids = recorded_ids(db_url)
    assert len(ids) == len(set(ids)) == total == assert_whole(db_url)
    lines = everything.read_text(encoding="utf-8").splitlines()
    assert set(ids) == {json.loads(line)["id"] for line in lines}
    assert cadre_ledger(db_url, "verify").returncode == 0
    _assert_cli_read_models_equal_a_rebuild(db_url)
    print(f"\n{parse_url(db_url).kind}: {KILLS} kills during imports of {size:,} decisions survived: "
          f"{landed}; "
          f"then one import of {total:,}: recorded {recorded:,} + already {already:,}; "
          f"{time.monotonic() - began:.1f} s")


def _kill_one(url: str, path: Path, rng: random.Random, validating: float, mode: str, app_name: str) -> bool:
    """Start an import of `path` and SIGKILL it; True when it was killed inside a write transaction.

    `anywhere`: at a random moment up to 1.5 times the validation time; `in a write`: while it holds the
    write lock; `after a commit`: a random moment after its first transaction committed.
    """
    events = _events(url)
    process = start(url, "import", str(path), PGAPPNAME=app_name)
    deadline = time.monotonic() + 10 * validating + 30
    in_write = False
    if mode == "anywhere":
        time.sleep(rng.uniform(0, 1.5 * validating))
    else:
        while process.poll() is None and time.monotonic() < deadline:
            if mode == "in a write" and _write_lock_held(url, app_name):
                in_write = True
                break
            if mode == "after a commit" and _events(url) > events:
                break
            time.sleep(0.002)
        time.sleep(rng.uniform(0, 0.03))
    finished = process.poll() is not None
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    _wait_until_gone(url, app_name)
    return in_write and not finished


def _last_position(url: str) -> int:
    column = "rowid" if parse_url(url).kind == "sqlite" else "notification_id"
    with raw_cursor(url) as (c, prefix):
        c.execute(f"SELECT MAX({column}) FROM {prefix}{events_table(url)}")
        return int(c.fetchone()[0])


def _events(url: str) -> int:
    with raw_cursor(url) as (c, prefix):
        c.execute(f"SELECT COUNT(*) FROM {prefix}{events_table(url)}")
        return int(c.fetchone()[0])


def _write_lock_held(url: str, app_name: str) -> bool:
    """Whether the importer is inside a write transaction now."""
    db = parse_url(url)
    if db.kind == "sqlite":
        conn = sqlite3.connect(db.path, timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            conn.close()
    with raw_cursor(url) as (c, _):
        c.execute("SELECT COUNT(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                  "WHERE a.application_name = %s AND l.mode = 'ExclusiveLock' AND l.locktype = 'relation'",
                  (app_name,))
        return bool(c.fetchone()[0])


def _wait_until_gone(url: str, app_name: str) -> None:
    """On PostgreSQL, wait until the server has ended the killed client's sessions (and rolled them back)."""
    if parse_url(url).kind == "sqlite":
        return
    for _ in range(600):
        with raw_cursor(url) as (c, _):
            c.execute("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = %s", (app_name,))
            if not c.fetchone()[0]:
                return
        time.sleep(0.05)
    raise AssertionError(f"the server kept the sessions of {app_name} for 30 s")


def _whole_batches(size: int, had: int) -> set[int]:
    """What a file of `size` decisions, `had` of them recorded, may leave: whole batches of the rest."""
    return {*range(had, size, importer.BATCH), size}


def _recorded_of(url: str, path: Path) -> int:
    ids = {json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()}
    return len(ids & set(recorded_ids(url)))


def _assert_verifies_and_catches_up(url: str) -> None:
    app = CadreLedger(url)
    try:
        assert verify_ledger(app.session).ok
        Reader(app).catch_up()
        positions = Reader(app).positions()
        assert {p["lag"] for p in positions} == {0}
        assert positions[0]["position"] == (app.recorder.max_notification_id() or 0)
    finally:
        app.close()


def _assert_cli_read_models_equal_a_rebuild(url: str) -> None:
    assert cadre_ledger(url, "list", "--json").returncode == 0  # a query brings the read models up to date
    shown = json.loads(cadre_ledger(url, "projections", "--json").stdout)
    last = _last_position(url)
    assert {(p["lag"], p["position"], p["log_head"]) for p in shown} == {(0, last, last)}
    app = CadreLedger(url)
    try:
        caught_up = read_model_rows(app)
        rebuilt = cadre_ledger(url, "rebuild")
        assert rebuilt.returncode == 0, rebuilt.stderr
        assert read_model_rows(app) == caught_up
    finally:
        app.close()


def _counts_of(summary: str) -> tuple[int, int]:
    """(recorded, already recorded) from `recorded 9,812, already recorded 188, refused 0`."""
    words = summary.replace(",", "").split()
    return int(words[words.index("recorded") + 1]), int(words[words.index("already") + 2])
