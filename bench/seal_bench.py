#!/usr/bin/env python
"""What sealing costs: the same decisions imported with the sealing recorder and with one that does not seal.

    python bench/seal_bench.py [--cadres 800] [--rounds 5] [--backend sqlite|postgresql]

Both runs go through `CadreLedger.import_lines` into a fresh database, in the same process, alternating,
so that the only difference is `sealing.seal` (the unsealed recorder keeps the decision index). Printed:
each run's wall and CPU time; the overhead (sealed time / unsealed time - 1) from the best round of each and
as the median over the pairs, by the wall clock and by this process's CPU clock (less disturbed by other
work on a busy machine; on PostgreSQL it leaves out the server's share, so read the wall figure there); and
the time inside `sealing.seal` itself as a share of the unsealed time, the steadiest figure on a shared
machine, though a lower bound: sealing also makes each transaction write more pages. Target: overhead
≤ 15%. Nothing here asserts. PostgreSQL uses CADRE_LEDGER_BENCH_POSTGRES or
postgresql://postgres@127.0.0.1:5432/test, in a fresh schema per run.
"""
from __future__ import annotations

import argparse
import copy
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from ledger.app import CadreLedger
from ledger.demo import generate
from ledger.integrity import sealing

PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"


class SealClock:
    """Accumulates the time spent inside `sealing.seal` while installed."""

    def __init__(self) -> None:
        self.seconds, self.original = 0.0, sealing.seal

    def __enter__(self) -> SealClock:
        def timed(*args: Any, **kwargs: Any) -> None:
            start = time.perf_counter()
            try:
                self.original(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start
        sealing.seal = timed
        return self

    def __exit__(self, *_: Any) -> None:
        sealing.seal = self.original


class Backend:
    """A fresh database per run: a SQLite file, or a PostgreSQL schema."""

    def __init__(self, kind: str) -> None:
        self.kind, self.folder, self.schemas = kind, Path(tempfile.mkdtemp(prefix="seal-bench-")), []
        self.base = os.environ.get("CADRE_LEDGER_BENCH_POSTGRES", PG_DEFAULT)

    def url(self) -> str:
        if self.kind == "sqlite":
            return str(self.folder / f"{uuid.uuid4().hex[:8]}.db")
        import psycopg

        schema = f"seal_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(self.base, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        self.schemas.append(schema)
        return f"{self.base}?schema={schema}"

    def unsealed_env(self) -> dict[str, str]:
        # the storage recorders alone: events and the decision index, without the seals
        recorder = ("ledger.storage.sqlite:LedgerSQLiteRecorder" if self.kind == "sqlite"
                    else "ledger.storage.postgres:LedgerPostgresRecorder")
        return {"APPLICATION_RECORDER_TOPIC": recorder}

    def cleanup(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.schemas:
            import psycopg

            with psycopg.connect(self.base, autocommit=True) as conn:
                for schema in self.schemas:
                    conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def import_once(backend: Backend, decisions: list[dict[str, Any]], sealed: bool) -> Run:
    """One import_lines into a fresh database, timed by the wall clock and by this process's CPU clock."""
    app = CadreLedger(backend.url(), env=None if sealed else backend.unsealed_env())
    lines = list(enumerate(copy.deepcopy(decisions), start=1))
    with SealClock() as clock:
        wall, cpu = time.perf_counter(), time.process_time()
        report = app.import_lines(lines, "bench")
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert not report.errors, report.errors[:3]
    events = app.recorder.max_notification_id() or 0
    app.close()
    return Run(wall, cpu, clock.seconds, events)


class Run(NamedTuple):
    """One import: wall seconds, CPU seconds of this process, seconds inside sealing.seal, events stored."""

    wall: float
    cpu: float
    in_seal: float
    events: int


def measure(backend: Backend, decisions: list[dict[str, Any]], rounds: int,
            say: Callable[[str], None]) -> dict[str, Any]:
    """Alternate sealed and unsealed imports, `rounds` pairs; rates from the best of each, ratios per pair."""
    pairs: list[dict[bool, Run]] = []
    for n in range(rounds):
        pair: dict[bool, Run] = {}
        for sealed in ((True, False) if n % 2 == 0 else (False, True)):
            run = pair[sealed] = import_once(backend, decisions, sealed)
            say(f"  round {n + 1} {'sealed  ' if sealed else 'unsealed'} {run.wall:6.2f} s wall "
                f"{run.events / run.wall:8,.0f} events/s, {run.cpu:6.2f} s CPU"
                + (f", {run.in_seal:.2f} s in seal" if sealed else ""))
        pairs.append(pair)

    def best(sealed: bool, clock: str) -> float:
        return min(getattr(pair[sealed], clock) for pair in pairs)

    def median(clock: str) -> float:
        return statistics.median(getattr(p[True], clock) / getattr(p[False], clock) - 1 for p in pairs)

    events = pairs[0][True].events
    return {
        "events": events,
        "sealed_rate": events / best(True, "wall"), "unsealed_rate": events / best(False, "wall"),
        "overhead_wall_best": best(True, "wall") / best(False, "wall") - 1,
        "overhead_wall_median": median("wall"),
        "overhead_cpu_best": best(True, "cpu") / best(False, "cpu") - 1, "overhead_cpu_median": median("cpu"),
        "seal_share": statistics.median(p[True].in_seal / p[False].wall for p in pairs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cadres", type=int, default=800,
                        help="cadres in the province (800: about 50k events)")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5, help="sealed/unsealed pairs, alternating")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()

    decisions = list(generate(cadres=args.cadres, years=args.years, seed=args.seed))
    backend = Backend(args.backend)
    impl = ""
    if args.backend == "postgresql":
        import psycopg

        impl = f", psycopg {psycopg.__version__} ({psycopg.pq.__impl__})"
    print(f"seal bench — {args.backend}{impl}, {len(decisions):,} decisions, "
          f"python {platform.python_version()}, {os.cpu_count()} cores")
    try:
        r = measure(backend, decisions, args.rounds, print)
    finally:
        backend.cleanup()
    print(f"sealed   {r['sealed_rate']:10,.0f} events/s (best round, wall clock)")
    print(f"unsealed {r['unsealed_rate']:10,.0f} events/s (best round, wall clock)")
    print(f"overhead {r['overhead_wall_best']:10.1%} wall, best sealed / best unsealed - 1 (target ≤ 15%); "
          f"median of pairs {r['overhead_wall_median']:.1%}")
    print(f"overhead {r['overhead_cpu_best']:10.1%} CPU of this process, best / best - 1; "
          f"median of pairs {r['overhead_cpu_median']:.1%}")
    print(f"in seal  {r['seal_share']:10.1%} median time inside sealing.seal / the pair's unsealed wall time")


if __name__ == "__main__":
    main()
