#!/usr/bin/env python
"""cadre-ledger benchmarks: each figure as a rate and as a ratio to a raw baseline measured in the same run.

    python bench/run.py [--events N] [--backend sqlite|postgresql] [--json] [--scaling]

Data comes from the demo generator (the same decisions `cadre-ledger demo --jsonl` writes). Nothing here
asserts: machines are noisy; the figures are for reading, and the README's "Performance" table is copied
from a run. PostgreSQL: --backend postgresql uses CADRE_LEDGER_BENCH_POSTGRES or
postgresql://postgres@127.0.0.1:5432/test, each run in a fresh schema.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ledger.app import CadreLedger
from ledger.integrity.front import verify_ledger
from projections.reader import Reader

PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"
Result = dict[str, Any]


def province(events: int, seed: int = 1) -> list[dict[str, Any]]:
    """About `events` decisions from the demo generator (cadres scaled to reach the count)."""
    from ledger.demo import generate

    probe = list(generate(cadres=50, years=10, seed=seed))
    per_cadre = max(1.0, len(probe) / 50)
    cadres = max(10, round(events / per_cadre))
    decisions = list(generate(cadres=cadres, years=10, seed=seed))
    return decisions[:events] if len(decisions) > events else decisions


class Backend:
    """A fresh database per measurement: a SQLite file, or a PostgreSQL schema."""

    def __init__(self, kind: str, workdir: Path) -> None:
        self.kind, self.workdir, self.made = kind, workdir, []

    def url(self, name: str) -> str:
        if self.kind == "sqlite":
            return str(self.workdir / f"{name}-{uuid.uuid4().hex[:6]}.db")
        import psycopg

        base = os.environ.get("CADRE_LEDGER_BENCH_POSTGRES", PG_DEFAULT)
        schema = f"bench_{name}_{uuid.uuid4().hex[:6]}"
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        self.made.append((base, schema))
        return f"{base}?schema={schema}"

    def cleanup(self) -> None:
        import psycopg

        for base, schema in self.made:
            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


# --- raw baselines -----------------------------------------------------------------------------------
def raw_rows(n: int, state_size: int) -> list[tuple[str, int, str, bytes]]:
    payload = os.urandom(state_size)
    return [(uuid.uuid4().hex, 1, "ledger.cadre:Cadre.Assessed", payload) for _ in range(n)]


RAW_TABLE = ("CREATE TABLE {name} (originator_id TEXT, originator_version INTEGER, topic TEXT, state {blob}, "
             "PRIMARY KEY (originator_id, originator_version))")


def raw_sqlite(backend: Backend) -> sqlite3.Connection:
    """A fresh SQLite file in WAL mode (as the ledger uses) with a table shaped like the events table."""
    conn = sqlite3.connect(backend.url("raw"), isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(RAW_TABLE.format(name="t", blob="BLOB"))
    return conn


def raw_postgres(backend: Backend, autocommit: bool) -> tuple[Any, str]:
    """A connection and a fresh schema with a table shaped like the events table."""
    import psycopg

    base, schema = backend.url("raw").split("?schema=")
    conn = psycopg.connect(base, autocommit=autocommit)
    conn.execute(RAW_TABLE.format(name=f"{schema}.t", blob="BYTEA"))
    if not autocommit:
        conn.commit()
    return conn, schema


def raw_bulk_insert(backend: Backend, rows: list[tuple[str, int, str, bytes]]) -> float:
    """Seconds to insert `rows` in one transaction with executemany (SQLite) or COPY (PostgreSQL)."""
    if backend.kind == "sqlite":
        conn = raw_sqlite(backend)
        start = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO t VALUES (?,?,?,?)", rows)
        conn.execute("COMMIT")
        elapsed = time.perf_counter() - start
        conn.close()
        return elapsed
    conn, schema = raw_postgres(backend, autocommit=False)
    with conn:
        start = time.perf_counter()
        with conn.cursor() as cur, cur.copy(f"COPY {schema}.t FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        conn.commit()
        return time.perf_counter() - start


def raw_single_inserts(backend: Backend, rows: list[tuple[str, int, str, bytes]]) -> float:
    """Seconds to insert `rows` with one INSERT + COMMIT each."""
    if backend.kind == "sqlite":
        conn = raw_sqlite(backend)
        start = time.perf_counter()
        for row in rows:
            conn.execute("BEGIN")
            conn.execute("INSERT INTO t VALUES (?,?,?,?)", row)
            conn.execute("COMMIT")
        elapsed = time.perf_counter() - start
        conn.close()
        return elapsed
    conn, schema = raw_postgres(backend, autocommit=True)
    with conn:
        start = time.perf_counter()
        for row in rows:
            conn.execute(f"INSERT INTO {schema}.t VALUES (%s,%s,%s,%s)", row)
        return time.perf_counter() - start


def raw_read_all(app: CadreLedger) -> tuple[float, int, list[bytes]]:
    """Seconds to read every stored event without decoding (pages of 5,000), with the states read."""
    start, after, states = time.perf_counter(), 0, []
    while True:
        notes = app.recorder.select_notifications(start=after, limit=5000, inclusive_of_start=False)
        if not notes:
            break
        states.extend(n.state for n in notes)
        after = notes[-1].id
    return time.perf_counter() - start, len(states), states


# --- measurements ------------------------------------------------------------------------------------
def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def figure(name: str, rate: float | None, unit: str, baseline: float | None = None, target: str = "",
           **extra: Any) -> Result:
    ratio = rate / baseline if rate and baseline else None
    return {"figure": name, "rate": rate, "unit": unit, "baseline": baseline, "ratio": ratio, "target": target, **extra}


def bench_import(backend: Backend, decisions: list[dict[str, Any]]) -> tuple[Result, str]:
    url = backend.url("import")
    app = CadreLedger(url)
    lines = list(enumerate(decisions, start=1))
    seconds, report = timed(lambda: app.import_lines(lines, "bench"))
    assert not report.errors, report.errors[:3]
    _, count, states = raw_read_all(app)
    size = round(statistics.mean(len(s) for s in states))
    raw = raw_bulk_insert(backend, raw_rows(count, size))
    app.close()
    return figure("bulk import", count / seconds, "decisions/s", count / raw, "≥ 50,000/s and ratio ≥ 0.15",
                  state_bytes=size), url


def bench_single(backend: Backend, url: str, n: int = 300) -> Result:
    app = CadreLedger(url)
    cadre = _busiest_cadre(app)
    one = [{"type": "commendation", "on": "2026-11-01", "cadre": cadre, "kind": "citation", "id": f"bench-{i}"}
           for i in range(n)]
    seconds, _ = timed(lambda: [app.import_lines([(1, d)], "bench") for d in one])
    raw = raw_single_inserts(backend, raw_rows(n, 300))
    app.close()
    return figure("single decision, one transaction each", n / seconds, "decisions/s", n / raw, "ratio ≥ 0.4")


def bench_cli(url: str, cadre: str, runs: int = 20) -> list[Result]:
    """Whole-process `show` and `record`, with byte code cached (as an installed command runs)."""
    exe = shutil.which("cadre-ledger") or str(Path(sys.executable).with_name("cadre-ledger"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(CADRE_LEDGER_DB=url, CADRE_LEDGER_ACTOR="bench")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "ledger"), str(ROOT / "projections"),
                    str(ROOT / "cli.py")], check=False, stdout=subprocess.DEVNULL)

    def median_of(cmd: list[str]) -> float:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    base = median_of([sys.executable, "-c", "pass"])
    show = median_of([exe, "show", cadre])
    record = median_of([exe, "record", "commendation", cadre, "--on", "2026-11-02", "--kind", "citation"])
    return [
        figure("cadre-ledger show (whole process, median of 20)", None, "ms", None, "≤ 150 ms",
               ms=round(show * 1000, 1), python_startup_ms=round(base * 1000, 1)),
        figure("cadre-ledger record (whole process, median of 20)", None, "ms", None, "≤ 250 ms",
               ms=round(record * 1000, 1), python_startup_ms=round(base * 1000, 1)),
    ]


def bench_show_in_process(url: str, cadre: str, runs: int = 300) -> Result:
    app = CadreLedger(url)
    events = len(app.history(cadre=cadre))
    day = date(2026, 11, 20)
    reader = Reader(app)
    reader.status(cadre, day)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        reader.status(cadre, day)
        times.append(time.perf_counter() - start)
    times.sort()
    app.close()
    return figure(f"show in-process, cadre with {events} events", None, "ms", None, "p50 ≤ 2 ms, p99 ≤ 10 ms",
                  p50_ms=round(times[len(times) // 2] * 1000, 2), p99_ms=round(times[int(len(times) * 0.99)] * 1000, 2))


def bench_rebuild(url: str) -> Result:
    app = CadreLedger(url)
    raw, count, _ = raw_read_all(app)
    seconds, _ = timed(Reader(app).rebuild)
    app.close()
    return figure("rebuild of all read models", count / seconds, "events/s", count / raw, "≥ 50,000/s")


def bench_verify(url: str, rebuild_rate: float | None = None) -> list[Result]:
    """`verify --log-only` (the sealed log alone, against SHA-256 of the same bytes) and the whole `verify`
    (the log, then snapshots, index and reporting tables, against the same run's rebuild rate)."""
    from projections.audit import verify_derived

    app = CadreLedger(url)
    _, count, states = raw_read_all(app)
    start = time.perf_counter()
    for s in states:
        hashlib.sha256(s).digest()
    raw = time.perf_counter() - start
    seconds, report = timed(lambda: verify_ledger(app.session))
    assert report.ok, report.reason
    derived, checked = timed(lambda: verify_derived(app))
    assert checked.ok
    app.close()
    return [figure("verify --log-only (the sealed log)", count / seconds, "events/s", count / raw, "≥ 300,000/s"),
            figure("verify, whole (sealed log, then derived)", count / (seconds + derived), "events/s", rebuild_rate,
                   "≥ 0.8 of rebuild")]


def raw_select_paged(url: str, page: int = 5000) -> tuple[float, int]:
    """Seconds to read every row of the events table with a plain paged SELECT in SQL (sqlite3 or psycopg)."""
    from ledger.storage.tables import Tables

    if "://" not in url:
        conn: Any = sqlite3.connect(url)
        statement = Tables("sqlite").events_page()
    else:
        import psycopg

        base, schema = url.split("?schema=")
        conn = psycopg.connect(base)
        statement = Tables("postgresql", schema).events_page()
    start, after, count = time.perf_counter(), 0, 0
    while rows := conn.execute(statement, (after, page)).fetchall():
        count += len(rows)
        after = rows[-1][0]
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed, count


def bench_export(url: str) -> Result:
    from projections.feed import envelopes
    from projections.render import dumps

    app = CadreLedger(url)
    raw, count = raw_select_paged(url)
    with open(os.devnull, "w") as sink:
        seconds, _ = timed(lambda: [sink.write(dumps(e, None) + "\n") for e in envelopes(app)])
    app.close()
    return figure("export to JSONL", count / seconds, "events/s", count / raw,
                  "≥ 100,000/s, ratio ≥ 0.8 (baseline: paged SELECT of the events table in SQL)")


def bench_encryption(backend: Backend, decisions: list[dict[str, Any]], plain: dict[str, Result]) -> list[Result]:
    """The same import, in-process `show` and verify on an encrypted ledger; ratios to the plain figures of
    this run (1.0 = encryption costs nothing)."""
    import base64

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    os.environ["CADRE_LEDGER_CIPHER_KEY"] = base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()
    try:
        imported, url = bench_import(backend, decisions)
        app = CadreLedger(url)
        cadre = _busiest_cadre(app)  # cadre numbers stay visible in the index
        app.close()
        show = bench_show_in_process(url, cadre)
        verified = bench_verify(url)[0]  # the sealed log: the derived checks cost what rebuild costs
    finally:
        del os.environ["CADRE_LEDGER_CIPHER_KEY"]
    return [
        figure("encrypted: bulk import", imported["rate"], "decisions/s", plain["import"]["rate"],
               "ratio to plain import"),
        figure("encrypted: show in-process p50", None, "ms", None, "ratio to plain show",
               p50_ms=show["p50_ms"], plain_p50_ms=plain["show"]["p50_ms"],
               slowdown=round(show["p50_ms"] / plain["show"]["p50_ms"], 2) if plain["show"]["p50_ms"] else None),
        figure("encrypted: verify", verified["rate"], "events/s", plain["verify"]["rate"], "ratio to plain verify"),
    ]


def bench_rss(url_for: Callable[[str], str], decisions: list[dict[str, Any]], workdir: Path) -> list[Result]:
    """Peak RSS of import (of the whole file and of its first tenth: memory should not grow with the file),
    rebuild and verify, each in its own process."""
    out = []
    tenth = max(1, len(decisions) // 10)
    for count in (tenth, len(decisions)):
        jsonl = workdir / f"province-{count}.jsonl"
        with open(jsonl, "w", encoding="utf-8") as f:
            for d in decisions[:count]:
                f.write(json.dumps(d, ensure_ascii=False) + "\n")
        url = url_for("rss")
        out.append(_peak(f"import of {count:,} decisions",
                         f"from ledger.app import CadreLedger; from ledger.jsonlines import read_jsonl; "
                         f"a=CadreLedger({url!r}); r=a.import_lines(read_jsonl(open({str(jsonl)!r}, 'rb')), 'bench'); "
                         f"assert not r.errors"))
        jsonl.unlink()
    out.append(_peak("rebuild", f"from ledger.app import CadreLedger; from projections.reader import Reader; "
                                f"Reader(CadreLedger({url!r})).rebuild()"))
    out.append(_peak("verify", f"from ledger.app import CadreLedger; from ledger.integrity.front import verify_ledger; "
                               f"a=CadreLedger({url!r}); assert verify_ledger(a.session).ok"))
    return out


def _peak(step: str, code: str) -> Result:
    """Peak RSS of `code` run in a child process: VmHWM of its own address space (ru_maxrss would count the
    parent's memory at fork)."""
    code += "; print([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0])"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    peak = int(done.stdout.split()[-1]) if done.returncode == 0 and done.stdout.split() else None
    return figure(f"peak RSS of {step}", None, "MB", None, "≤ 300 MB", mb=round(peak / 1024) if peak else None,
                  exit=done.returncode, error=done.stderr.strip().splitlines()[-1:] if done.returncode else None)


def _busiest_cadre(app: CadreLedger) -> str:
    with app.session.transaction(commit=False) as c:
        row = c.execute("SELECT stream, COUNT(*) FROM ledger_decisions WHERE stream LIKE ? "
                        "GROUP BY stream ORDER BY COUNT(*) DESC LIMIT 1", ("cadre/%",)).fetchone()
    return row[0].split("/", 1)[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=50_000, help="decisions in the generated province")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--scaling", action="store_true",
                        help="also import 10k/100k/(--events) to check per-event cost")
    parser.add_argument("--quick", action="store_true", help="skip the whole-process and RSS figures")
    parser.add_argument("--encrypted", action="store_true",
                        help="also import, show and verify with CADRE_LEDGER_CIPHER_KEY set (ratios to plain)")
    parser.add_argument("--load", type=float, metavar="SECONDS", default=0,
                        help="also run 16 clerks recording single decisions and 4 readers for SECONDS "
                             "against the imported ledger (bench/load.py)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="cadre-bench-"))
    backend = Backend(args.backend, workdir)
    results: list[Result] = []
    try:
        decisions = province(args.events)
        imported, url = bench_import(backend, decisions)
        results.append(imported)
        app = CadreLedger(url)
        cadre = _busiest_cadre(app)
        app.close()
        results.append(bench_show_in_process(url, cadre))
        rebuilt = bench_rebuild(url)
        results.append(rebuilt)
        verified = bench_verify(url, rebuilt["rate"])
        results += verified
        results.append(bench_export(url))
        results.append(bench_single(backend, url))
        if args.encrypted:
            plain = {"import": imported, "show": results[1], "verify": verified[0]}
            results += bench_encryption(backend, decisions, plain)
        if not args.quick:
            results += bench_cli(url, cadre)
            results += bench_rss(backend.url, decisions, workdir)
        if args.load:
            from load import load_run  # bench/load.py, beside this file

            loaded = load_run(url, seconds=args.load)
            results.append(figure(f"load: {loaded['writers']} clerks + {loaded['readers']} readers, "
                                  f"{loaded['seconds']} s", loaded["decisions_per_s"], "decisions/s", None,
                                  "every decision once, verify passes",
                                  **{k: v for k, v in loaded.items() if k not in ("decisions_per_s",)}))
        if args.scaling:
            for n in sorted({10_000, 100_000, args.events}):
                part = province(n)
                r, _ = bench_import(backend, part)
                results.append(figure(f"import per-event cost at {len(part):,}", 1e6 / r["rate"], "µs/decision"))
    finally:
        if args.backend == "postgresql":
            backend.cleanup()
        shutil.rmtree(workdir, ignore_errors=True)
    meta = {"backend": args.backend, "events": args.events, "python": platform.python_version(),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores", "sqlite": sqlite3.sqlite_version}
    if args.json:
        print(json.dumps({"meta": meta, "results": results}, ensure_ascii=False, indent=2))
        return
    print(f"cadre-ledger benchmarks — {meta}")
    print(f"{'figure':58} {'rate':>14} {'baseline':>14} {'ratio':>7}  target / detail")
    for r in results:
        rate = f"{r['rate']:,.0f} {r['unit']}" if r["rate"] else ""
        base = f"{r['baseline']:,.0f}" if r["baseline"] else ""
        ratio = f"{r['ratio']:.3f}" if r["ratio"] else ""
        detail = {k: v for k, v in r.items() if k not in ("figure", "rate", "unit", "baseline", "ratio", "target")}
        print(f"{r['figure']:58} {rate:>14} {base:>14} {ratio:>7}  {r['target']} {detail or ''}")


if __name__ == "__main__":
    main()
