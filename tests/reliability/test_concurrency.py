"""Four clerks' processes recording into one ledger at once: nothing lost, nothing twice, the ledger whole.

The writers share six cadres, so each import races the others for the same streams (version conflicts,
retried by the importer after reloading), and every writer also records the same 40 shared decisions
(each must be recorded exactly once). On SQLite the test also holds the write lock in bursts longer than
the writers' lock timeout, so that "database is locked" is met and retried with backoff.
CADRE_LEDGER_SOAK=1: 1,000 decisions per writer instead of 150.
"""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from ledger.app import CadreLedger
from ledger.integrity.front import verify_ledger
from ledger.storage.url import parse_url
from projections.reader import Reader
from tests.reliability.support import assert_whole, read_model_rows, recorded_ids, soak

WRITERS = 4
OWN = soak(150, 1000)
SHARED = 40
CADRES = [f"HB-C{n:02d}" for n in range(6)]
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def register(cadre):
    return {"id": f"reg-{cadre}", "type": "register", "on": "2015-01-05", "cadre": cadre, "name": "王芳",
            "unit": "武汉市江岸区", "post": "科员", "post_level": None, "rank": "staff-1", "rank_since": "2015-01-05",
            "party_member": True}


def decision(key, n):
    cadre, day = CADRES[n % len(CADRES)], f"20{16 + n % 9}-0{1 + n % 9}-1{n % 10}"
    kind = n % 4
    if kind == 0:
        return {"id": key, "type": "commendation", "on": day, "cadre": cadre, "kind": "citation"}
    if kind == 1:
        return {"id": key, "type": "training", "on": day, "cadre": cadre, "programme": f"专题培训班{n}",
                "hours": 40}
    if kind == 2:
        return {"id": key, "type": "performance-entry", "on": day, "cadre": cadre, "title": f"完成重点项目{n}"}
    return {"id": key, "type": "health-check", "on": day, "cadre": cadre}


def test_four_writers_on_shared_cadres_lose_nothing_duplicate_nothing_and_leave_a_whole_ledger(
        db_url, tmp_path):
    app = CadreLedger(db_url)
    assert app.import_lines(list(enumerate(map(register, CADRES), start=1)), "clerk").errors == []
    shared = [decision(f"shared-{n}", n) for n in range(SHARED)]
    files = []
    for w in range(WRITERS):
        own = [decision(f"w{w}-{n}", n * WRITERS + w) for n in range(OWN)]
        mixed = own[:]
        for n, d in enumerate(shared):
            mixed.insert((n * 7 + w * 13) % (len(mixed) + 1), d)
        files.append(tmp_path / f"writer-{w}.json")
        files[-1].write_text(json.dumps(mixed, ensure_ascii=False), encoding="utf-8")
    expected = len(CADRES) + WRITERS * OWN + SHARED
    stop = threading.Event()
    ready = [tmp_path / f"ready-{w}" for w in range(WRITERS)]
    bursts = threading.Thread(target=_hold_the_write_lock_in_bursts, args=(db_url, stop, ready))

    began = time.monotonic()
    writers = [subprocess.Popen([sys.executable, "-m", "tests.reliability.writer", db_url, str(f), str(w),
                                 str(w), str(ready[w])], cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
               for w, f in enumerate(files)]
    bursts.start()
    outputs = [w.communicate(timeout=600) for w in writers]
    stop.set()
    bursts.join()

    assert [w.returncode for w in writers] == [0] * WRITERS, "\n".join(err for _, err in outputs)
    results = [json.loads(out) for out, _ in outputs]
    assert sum(r["recorded"] for r in results) == WRITERS * OWN + SHARED
    assert sum(r["already"] for r in results) == (WRITERS - 1) * SHARED
    ids = recorded_ids(db_url)
    assert len(ids) == len(set(ids)) == expected == assert_whole(db_url)
    per_cadre = Counter(d["cadre"] for f in files for d in json.loads(f.read_text(encoding="utf-8"))
                        if not d["id"].startswith("shared-") or f == files[0])
    assert {c: len(app.history(cadre=c)) for c in CADRES} == {c: per_cadre[c] + 1 for c in CADRES}
    assert verify_ledger(app.session).ok
    Reader(app).catch_up()
    caught_up = read_model_rows(app)
    Reader(app).rebuild()
    assert read_model_rows(app) == caught_up
    app.close()
    retried = sum((Counter(r["retried"]) for r in results), Counter())
    print(f"\n{parse_url(db_url).kind}: {WRITERS} writers recorded {expected - len(CADRES):,} decisions "
          f"({SHARED} attempted by all) in {sum(r['imports'] for r in results):,} imports, "
          f"{time.monotonic() - began:.1f} s; retried: {dict(retried)}; imports run again after the retries "
          f"ran out: {sum(r['gave_up_and_ran_again'] for r in results)}")


def _hold_the_write_lock_in_bursts(url, stop, ready):
    """On SQLite, once every writer has opened the ledger, hold the write lock for 1.5 s, three times.

    The writers wait 1 s for the lock (SQLITE_LOCK_TIMEOUT=1), so they meet "database is locked".
    """
    db = parse_url(url)
    if db.kind != "sqlite":
        return
    while not all(r.exists() for r in ready):
        if stop.wait(0.01):
            return
    for _ in range(3):
        conn = sqlite3.connect(db.path, timeout=30, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        time.sleep(1.5)
        conn.execute("ROLLBACK")
        conn.close()
        if stop.wait(0.3):
            return


@pytest.mark.parametrize("ledger_state", ["new", "existing"])
def test_processes_opening_one_ledger_and_its_read_models_at_the_same_moment_all_open_them(
        db_url, ledger_state):
    opening = (f"from ledger.app import CadreLedger; from projections.reader import Reader; "
               f"Reader(CadreLedger({db_url!r})).positions()")
    if ledger_state == "existing":
        subprocess.run([sys.executable, "-c", opening], cwd=ROOT, check=True)

    openers = [subprocess.Popen([sys.executable, "-c", opening], cwd=ROOT, stderr=subprocess.PIPE, text=True)
               for _ in range(6)]
    errors = [p.communicate(timeout=120)[1] for p in openers]

    assert [p.returncode for p in openers] == [0] * 6, "\n".join(errors)


def test_read_models_created_by_six_connections_at_the_same_moment_are_created_once(db_url):
    from projections.tables import create_tables

    apps = [CadreLedger(db_url) for _ in range(6)]
    together, failures = threading.Barrier(len(apps)), []

    def create(app):
        together.wait()
        try:
            create_tables(app.session)
        except Exception as e:  # noqa: BLE001 - any failure is the finding
            failures.append(e)

    threads = [threading.Thread(target=create, args=(app,)) for app in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert failures == []
    assert Reader(apps[0]).positions()[0]["position"] == 0
    for app in apps:
        app.close()
