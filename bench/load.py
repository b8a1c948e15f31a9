"""A working day of a provincial organisation department, compressed: clerks record single decisions while
other staff query, all against one ledger, for a fixed time.

Used by `bench/run.py --load` (the one place figures are measured). Each clerk and each reader is its own
process with its own connection, as separate people at separate terminals would be. A clerk records one
commendation at a time (each its own transaction, through the same path as `cadre-ledger record`) on a cadre
picked at random; a reader alternates `show` of a random cadre and `list --not-promotable`. Afterwards the
run checks that every decision a clerk was told is recorded is in the decision index exactly once, that no
other `load-` decision is, and that `cadre-ledger verify` passes.
"""
from __future__ import annotations

import multiprocessing
import os
import queue
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DAY = date(2026, 11, 20)


def _percentile(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def _counting_sleeps() -> list[int]:
    """Count the sleeps of this process: the ledger sleeps only to back off before retrying a write."""
    count = [0]
    real = time.sleep

    def sleep(seconds: float) -> None:
        count[0] += 1
        real(seconds)

    time.sleep = sleep  # type: ignore[assignment]
    return count


def worker(role: str, url: str, cadres: list[str], number: int, seconds: float, out: Any) -> None:
    """Run a clerk or a reader; a crash is reported as a result, so that the run never waits forever."""
    try:
        sys.path.insert(0, str(ROOT))
        retries = _counting_sleeps()
        began = time.time()
        result = (clerk if role == "clerk" else reader)(url, cadres, number, seconds)
        out.put({**result, "retries": retries[0], "began": began, "ended": time.time()})
    except BaseException as e:  # noqa: BLE001 - reported, not raised: the run counts it
        out.put({"role": "crashed", "latencies": [], "failures": [f"{type(e).__name__}: {e}"], "retries": 0})


def _rounds(seconds: float) -> Iterator[int]:
    """1, 2, 3, … until `seconds` have passed."""
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        n += 1
        yield n


def clerk(url: str, cadres: list[str], number: int, seconds: float) -> dict[str, Any]:
    """Record commendations one at a time until the time is up; report ids recorded, latencies, failures."""
    from ledger.app import CadreLedger
    from ledger.errors import LedgerError

    app = CadreLedger(url)
    rng = random.Random(number)
    recorded: list[str] = []
    latencies: list[float] = []
    failures: list[str] = []
    for n in _rounds(seconds):
        decision = {"type": "commendation", "on": "2026-11-02", "cadre": rng.choice(cadres), "kind": "citation",
                    "id": f"load-{number}-{n}"}
        start = time.perf_counter()
        try:
            report = app.import_lines([(1, decision)], f"clerk-{number}")
        except LedgerError as e:
            failures.append(f"{type(e).__name__}: {e}")
            continue
        latencies.append(time.perf_counter() - start)
        if report.errors:
            failures.append(report.errors[0])
        elif report.recorded:
            recorded.append(decision["id"])
    app.close()
    return {"role": "clerk", "recorded": recorded, "latencies": latencies, "failures": failures}


def reader(url: str, cadres: list[str], number: int, seconds: float) -> dict[str, Any]:
    """Alternate `show` of a random cadre and `list --not-promotable` until the time is up."""
    from ledger.app import CadreLedger
    from ledger.errors import LedgerError
    from projections.reader import Reader

    rng = random.Random(1000 + number)
    latencies: list[float] = []
    failures: list[str] = []
    for n in _rounds(seconds):
        start = time.perf_counter()
        try:
            app = CadreLedger(url, mode="read")  # a query is a command: it opens the ledger, as the CLI does
            try:
                query = Reader(app)
                if n % 2:
                    query.status(rng.choice(cadres), DAY)
                else:
                    query.list_cadres(DAY, not_promotable=True)
            finally:
                app.close()
        except LedgerError as e:
            failures.append(f"{type(e).__name__}: {e}")
            continue
        latencies.append(time.perf_counter() - start)
    return {"role": "reader", "latencies": latencies, "failures": failures}



def eligible_cadres(url: str, limit: int = 400) -> list[str]:
    """Cadres a commendation can be recorded for (checked by a dry run), up to `limit`."""
    from ledger.app import CadreLedger
    from ledger.storage import index

    app = CadreLedger(url)
    streams = [s.split("/", 1)[1] for s in index.streams(app.session, None) if s.startswith("cadre/")]
    found = []
    for cadre in streams:
        decision = {"type": "commendation", "on": "2026-11-02", "cadre": cadre, "kind": "citation",
                    "id": f"probe-{cadre}"}
        if not app.import_lines([(1, decision)], "bench", dry_run=True).errors:
            found.append(cadre)
        if len(found) >= limit:
            break
    app.close()
    return found


def load_run(url: str, *, writers: int = 16, readers: int = 4, seconds: float = 60.0) -> dict[str, Any]:
    """Run the clerks and readers against the ledger at `url` (already holding a province); the figures."""
    from ledger.app import CadreLedger
    from projections.reader import Reader

    cadres = eligible_cadres(url)
    app = CadreLedger(url)
    Reader(app).catch_up()  # the reporting tables built, as after any `import`
    app.close()
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=worker, args=("clerk", url, cadres, i, seconds, out)) for i in range(writers)]
    procs += [ctx.Process(target=worker, args=("reader", url, cadres, i, seconds, out)) for i in range(readers)]
    for p in procs:
        p.start()
    results = []
    for _ in procs:
        try:
            results.append(out.get(timeout=seconds + 300))
        except queue.Empty:
            results.append({"role": "lost", "latencies": [], "failures": ["a process never reported"], "retries": 0})
    for p in procs:
        p.join()
    clerks = [r for r in results if r["role"] == "clerk"]
    # the clerks' working time: from the first to begin to the last to end (process start-up left out)
    elapsed = max(r["ended"] for r in clerks) - min(r["began"] for r in clerks) if clerks else float("nan")
    queries = [r for r in results if r["role"] == "reader"]
    recorded = [d for r in clerks for d in r["recorded"]]
    writes = [t for r in clerks for t in r["latencies"]]
    reads = [t for r in queries for t in r["latencies"]]
    in_index = _recorded_load_ids(url)
    verify = subprocess.run([sys.executable, str(ROOT / "cli.py"), "--db", url, "verify"], cwd=ROOT,
                            capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    return {
        "crashed": sum(r["role"] in ("crashed", "lost") for r in results),
        "writers": writers, "readers": readers, "seconds": round(elapsed, 1),
        "decisions": len(recorded), "decisions_per_s": round(len(recorded) / elapsed, 1),
        "write_p50_ms": _ms(statistics.median(writes) if writes else None),
        "write_p99_ms": _ms(_percentile(writes, 0.99)),
        "queries": len(reads), "query_p50_ms": _ms(statistics.median(reads) if reads else None),
        "query_p99_ms": _ms(_percentile(reads, 0.99)),
        "write_retries": sum(r["retries"] for r in clerks), "read_retries": sum(r["retries"] for r in queries),
        "failures": sum(len(r["failures"]) for r in results),
        "failure_sample": next((f for r in results for f in r["failures"]), None),
        "exactly_once": sorted(recorded) == sorted(in_index) and len(set(in_index)) == len(in_index),
        "verify_exit": verify.returncode, "verify": (verify.stdout or verify.stderr).strip().splitlines()[-1:],
    }


def _ms(seconds: float | None) -> float | None:
    return round(seconds * 1000, 1) if seconds is not None else None


def _recorded_load_ids(url: str) -> list[str]:
    """The `load-` decision ids the ledger's decision index holds (the load run writes to a plaintext ledger)."""
    from ledger.app import CadreLedger

    app = CadreLedger(url, mode="read")
    with app.session.transaction(commit=False) as c:
        rows = c.execute(f"SELECT decision_id FROM {app.session.tables.decisions} WHERE decision_id LIKE ?",
                         ("load-%",)).fetchall()
    app.close()
    return [r[0] for r in rows]
