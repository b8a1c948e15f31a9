"""Shared by the reliability tests: the console command, raw counts of a ledger's tables, its read models."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ledger.storage.url import parse_url

SOAK = os.environ.get("CADRE_LEDGER_SOAK") == "1"
ACTOR = "组织部-可靠性"


def soak(short: int, full: int) -> int:
    """`full` when CADRE_LEDGER_SOAK=1 (the long form), else `short` (the CI form)."""
    return full if SOAK else short


def command() -> list[str]:
    """The installed `cadre-ledger` console command."""
    beside = Path(sys.executable).with_name("cadre-ledger")
    found = str(beside) if beside.exists() else shutil.which("cadre-ledger")
    assert found, "the cadre-ledger console command is not installed (pip install -e .)"
    return [found]


def cli_env(url: str, **extra: str) -> dict[str, str]:
    """The environment of a `cadre-ledger` child process: this ledger, this actor, no debug tracebacks."""
    env = {k: v for k, v in os.environ.items() if k not in ("CADRE_LEDGER_DEBUG", "CADRE_LEDGER_CIPHER_KEY")}
    return {**env, "CADRE_LEDGER_DB": url, "CADRE_LEDGER_ACTOR": ACTOR, **extra}


def cadre_ledger(url: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run `cadre-ledger ARGS` on the ledger at `url` and wait for it."""
    return subprocess.run([*command(), *args], env=cli_env(url), capture_output=True, text=True,
                          timeout=timeout)


def start(url: str, *args: str, **extra_env: str) -> subprocess.Popen[str]:
    """Start `cadre-ledger ARGS` on the ledger at `url` without waiting."""
    return subprocess.Popen([*command(), *args], env=cli_env(url, **extra_env), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


@contextmanager
def raw_cursor(url: str) -> Iterator[tuple[Any, str]]:
    """A plain DB-API cursor on the ledger's database, and the prefix of its table names."""
    db = parse_url(url)
    if db.kind == "sqlite":
        conn = sqlite3.connect(db.path, timeout=30)
        try:
            yield conn.cursor(), ""
        finally:
            conn.close()
    else:
        with db.connect() as conn:
            conn.autocommit = True
            yield conn.cursor(), f'"{db.schema}".'


def events_table(url: str) -> str:
    """The library's events table: stored_events on SQLite, ledger_events on PostgreSQL."""
    return "stored_events" if parse_url(url).kind == "sqlite" else "ledger_events"


def counts(url: str) -> dict[str, int]:
    """Rows of the events, decision index and seal tables; distinct ids; index rows without their event."""
    events = events_table(url)
    position = "rowid" if parse_url(url).kind == "sqlite" else "notification_id"
    with raw_cursor(url) as (c, p):
        def one(sql: str) -> int:
            c.execute(sql)
            return int(c.fetchone()[0])

        return {
            "events": one(f"SELECT COUNT(*) FROM {p}{events}"),
            "decisions": one(f"SELECT COUNT(*) FROM {p}ledger_decisions"),
            "seals": one(f"SELECT COUNT(*) FROM {p}ledger_seals"),
            "distinct_ids": one(f"SELECT COUNT(DISTINCT decision_id) FROM {p}ledger_decisions"),
            "sealed_size": one(f"SELECT COALESCE(MAX(size), 0) FROM {p}ledger_seal_head"),
            "orphans": one(f"SELECT COUNT(*) FROM {p}ledger_decisions d LEFT JOIN {p}{events} e "
                           f"ON e.{position} = d.position WHERE e.{position} IS NULL"),
        }


def assert_whole(url: str) -> int:
    """Assert that every stored event has its index row and seal, and no id is twice; the number of events."""
    found = counts(url)
    n = found["events"]
    whole = {"events": n, "decisions": n, "seals": n, "distinct_ids": n, "sealed_size": n, "orphans": 0}
    assert found == whole, found
    return n


def recorded_ids(url: str) -> list[str]:
    """Every decision id in the index (duplicates would show twice)."""
    with raw_cursor(url) as (c, p):
        c.execute(f"SELECT decision_id FROM {p}ledger_decisions")
        return [r[0] for r in c.fetchall()]


def read_model_rows(app: Any) -> dict[str, list[str]]:
    """Every row of every read-model table, order-free."""
    from projections.tables import TABLE_NAMES

    with app.session.transaction(commit=False) as c:
        return {t: sorted(map(repr, c.execute(f"SELECT * FROM {t}").fetchall())) for t in TABLE_NAMES}


def one_line_errors(stderr: str) -> list[str]:
    """The lines of stderr, asserting that none belongs to a traceback."""
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    return [line for line in stderr.splitlines() if line.strip()]


@contextmanager
def tmpfs(disk: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` (`2m`) mounted at `disk` for the block, unmounted after (root only; the test is
    skipped where mounting is not allowed)."""
    import pytest

    disk.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(disk)],
                                           capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN)")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=True)
