#!/usr/bin/env python
"""Province-scale check of the feed and migration (too long for the test suite):

    python bench/demo_migration.py [--cadres 2000] [--years 10] [--postgres URL]

Records the demo province into a fresh SQLite file, brings its read models up, migrates it to a fresh
PostgreSQL schema, rebuilds the read models there, and prints: the timings, whether the target verifies,
how many statuses differ between the two (every cadre on three dates), whether the caught-up and the
rebuilt read models are equal, and whether the two feeds carry the same event hashes.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ledger import demo
from ledger.app import CadreLedger
from ledger.errors import LedgerError
from ledger.integrity.front import verify_ledger
from ledger.storage.migration import migrate
from projections.feed import envelopes
from projections.reader import Reader
from projections.tables import TABLE_NAMES

DAYS = (date(2019, 6, 30), date(2023, 1, 1), demo.DEFAULT_END)


def read_models(app: CadreLedger) -> dict[str, list[str]]:
    with app.session.transaction(commit=False) as c:
        return {t: sorted(map(repr, c.execute(f"SELECT * FROM {t}").fetchall())) for t in TABLE_NAMES}


def status_or_error(app: CadreLedger, cadre: str, day: date) -> object:
    try:
        status = Reader(app).status(cadre, day)
    except LedgerError as e:  # a cadre not yet registered on that day, on both sides alike
        return str(e)
    status.pop("known_at")
    return status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cadres", type=int, default=2000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    schema = f"migration_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(args.postgres, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        source = CadreLedger(str(Path(tempfile.mkdtemp()) / "province.db"))
        started = time.perf_counter()
        report = source.import_lines(enumerate(demo.generate(args.cadres, args.years), 1), "demo")
        Reader(source).catch_up()
        print(f"source: {report.summary()} and read models caught up in {time.perf_counter() - started:.1f} s")
        target = CadreLedger(f"{args.postgres}?schema={schema}")
        started = time.perf_counter()
        copied = migrate(source.session, target.session)
        print(f"migrated {copied:,} events in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        Reader(target).rebuild()
        print(f"rebuilt the target's read models in {time.perf_counter() - started:.1f} s")
        print(f"target verifies: {verify_ledger(target.session).ok}")
        cadres = [r["cadre"] for r in Reader(source).list_cadres(demo.DEFAULT_END)]
        differences = sum(status_or_error(source, c, d) != status_or_error(target, c, d) for c in cadres for d in DAYS)
        print(f"statuses compared: {len(cadres):,} cadres × {len(DAYS)} dates, differences: {differences}")
        equal = read_models(source) == read_models(target)
        print(f"read models equal (source caught up, target rebuilt): {equal}")
        same = [e["hash"] for e in envelopes(source)] == [e["hash"] for e in envelopes(target)]
        print(f"feeds carry the same event hashes: {same}")
    finally:
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


if __name__ == "__main__":
    main()
