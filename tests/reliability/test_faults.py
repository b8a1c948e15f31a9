"""Storage faults: each gives one line naming the database and the fix, leaves whole transactions, verifies.

Real faults where this machine allows them (a closed port, a PostgreSQL session terminated mid-import, a
read-only PostgreSQL session, an immutable SQLite file, a full or read-only tmpfs — mounting needs root),
and the same errors injected inside the write transaction of a second batch, where they are hard to
provoke on demand (a full disk on PostgreSQL, a disk I/O error).
"""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
import time

import psycopg
import pytest
from click.testing import CliRunner

from cli import cli
from ledger import importer
from ledger.app import CadreLedger
from ledger.integrity import sealing
from ledger.integrity.front import verify_ledger
from ledger.storage.url import parse_url
from tests.reliability import synth
from tests.reliability.support import (
    assert_whole,
    cadre_ledger,
    cli_env,
    command,
    one_line_errors,
    raw_cursor,
    start,
    tmpfs,
)

FAULTS = {
    "sqlite": [
        ("a read-only file", sqlite3.OperationalError("attempt to write a readonly database"),
         "make the database file and its directory writable"),
        ("a full disk", sqlite3.OperationalError("database or disk is full"), "free some disk space"),
        ("a disk I/O error", sqlite3.OperationalError("disk I/O error"),
         "check that the file and its directory"),
    ],
    "postgres": [
        ("a full disk",
         psycopg.errors.DiskFull('could not extend file "base/16384/16385": No space left on device'),
         "free some disk space"),
        ("a read-only server",
         psycopg.errors.ReadOnlySqlTransaction("cannot execute INSERT in a read-only transaction"),
         "connect to the primary server"),
        ("a lost connection",
         psycopg.OperationalError("consuming input failed: server closed the connection unexpectedly"),
         "check that the PostgreSQL server is running"),
    ],
}
CASES = [pytest.param(backend, fault, fix, id=f"{backend}: {name}",
                      marks=[pytest.mark.postgres] if backend == "postgres" else [])
         for backend, faults in FAULTS.items() for name, fault, fix in faults]


def import_file(tmp_path, copies=1, first=0):
    """A file of one copy of every example per `copies` (47 decisions each)."""
    return synth.write_jsonl(tmp_path / f"decisions-{first}.jsonl", synth.decisions(copies, first=first))


def run_import(url, path):
    return CliRunner().invoke(cli, ["--db", url, "--actor", "clerk", "import", str(path)])


@pytest.mark.parametrize("backend, fault, fix", CASES)
def test_a_storage_fault_in_the_second_batch_is_one_line_keeps_the_first_and_the_import_completes_later(
        backend, fault, fix, tmp_path, request, monkeypatch):
    url = str(tmp_path / "ledger.db") if backend == "sqlite" else request.getfixturevalue("pg_url")
    path = import_file(tmp_path)
    monkeypatch.setattr(importer, "BATCH", 20)
    real_seal, calls = sealing.seal, []

    def seal_then_fail(*args, **kwargs):
        calls.append(1)
        if len(calls) > 1:
            raise fault
        return real_seal(*args, **kwargs)

    monkeypatch.setattr(sealing, "seal", seal_then_fail)

    result = run_import(url, path)

    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    [message] = one_line_errors(result.stderr)
    where = parse_url(url).redacted()
    assert message.startswith(f"error: cannot write to the ledger at {where}: {fault!s}; {fix}")
    assert message.endswith("20 decisions were recorded before it, none of the failed batch; "
                            "run the import again once fixed (recorded decisions are skipped)")
    assert assert_whole(url) == 20
    monkeypatch.setattr(sealing, "seal", real_seal)
    assert run_import(url, path).stdout == "recorded 27, already recorded 20, refused 0\n"
    assert assert_whole(url) == 47
    app = CadreLedger(url)
    assert verify_ledger(app.session).ok
    app.close()


def test_an_unreachable_postgresql_server_is_one_line_with_exit_2_and_no_password(tmp_path):
    path = import_file(tmp_path)
    url = "postgresql://clerk:s3cret@127.0.0.1:1/cadres"

    for args in (["show", "HB-000123-00000"], ["import", str(path)]):
        began = time.monotonic()
        done = cadre_ledger(url, *args)

        assert done.returncode == 2 and done.stdout == ""
        [message] = one_line_errors(done.stderr)
        assert message.startswith("error: cannot open the ledger at postgresql://clerk@127.0.0.1:1/cadres")
        assert message.endswith("check that the PostgreSQL server is running and reachable, "
                                "and the URL's host, port and database")
        assert "s3cret" not in message
        assert time.monotonic() - began < 8  # refused at once, not after the connection pool's timeout


@pytest.mark.postgres
def test_a_read_only_postgresql_session_is_refused_at_open_with_the_fix(pg_url, tmp_path):
    assert cadre_ledger(pg_url, "import", str(import_file(tmp_path))).returncode == 0
    env = cli_env(pg_url, PGOPTIONS="-c default_transaction_read_only=on")

    done = subprocess.run([*command(), "import", str(import_file(tmp_path, first=1))], env=env,
                          capture_output=True, text=True, timeout=120)

    assert done.returncode == 2
    [message] = one_line_errors(done.stderr)
    assert "read-only transaction; connect to the primary server, with a role allowed to write" in message
    assert assert_whole(pg_url) == 47


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.parametrize("persistent", [False, True], ids=["terminated once", "terminated until it gives up"])
def test_a_postgresql_session_terminated_mid_import_leaves_whole_transactions(pg_url, tmp_path, persistent):
    path = import_file(tmp_path, copies=90)  # 4,230 decisions: three transactions
    name = f"terminated-{persistent}"
    importing = start(pg_url, "import", str(path), PGAPPNAME=name)
    terminated = _terminate_sessions_while_writing(pg_url, name, importing, persistent)

    out, err = importing.communicate(timeout=300)

    assert terminated >= 1
    if persistent:
        assert importing.returncode == 2, err
        [message] = one_line_errors(err)
        assert message.startswith(f"error: cannot write to the ledger at {parse_url(pg_url).redacted()}: ")
        assert "check that the PostgreSQL server is running" in message and "run the import again" in message
        assert assert_whole(pg_url) in (0, 2000, 4000)
    else:  # the library reconnects and writes the batch again, whole
        assert importing.returncode == 0, err
        assert out == "recorded 4,230, already recorded 0, refused 0\n"
    assert cadre_ledger(pg_url, "verify").returncode == 0
    again = cadre_ledger(pg_url, "import", str(path))
    assert again.returncode == 0 and assert_whole(pg_url) == 4230


def _terminate_sessions_while_writing(url, name, process, persistent):
    """Once `name` holds the events table's write lock, terminate its sessions (once, or until it exits)."""
    terminated = 0
    deadline = time.monotonic() + 120
    with raw_cursor(url) as (c, _):
        while process.poll() is None and time.monotonic() < deadline:
            c.execute("SELECT DISTINCT a.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                      "WHERE a.application_name = %s AND l.mode = 'ExclusiveLock' "
                      "AND l.locktype = 'relation'",
                      (name,))
            writing = [r[0] for r in c.fetchall()]
            if terminated and persistent:
                c.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s", (name,))
                writing = [r[0] for r in c.fetchall()]
            for pid in writing:
                c.execute("SELECT pg_terminate_backend(%s)", (pid,))
                terminated += 1
            if terminated and not persistent:
                break
            time.sleep(0.005)
    return terminated


def test_an_immutable_sqlite_file_is_refused_at_open_and_verifies_once_writable(tmp_path):
    url = str(tmp_path / "ledger.db")
    assert cadre_ledger(url, "import", str(import_file(tmp_path))).returncode == 0
    if not shutil.which("chattr") or subprocess.run(["chattr", "+i", url], capture_output=True).returncode:
        pytest.skip("chattr +i is not available on this file system")
    try:
        done = cadre_ledger(url, "import", str(import_file(tmp_path, first=1)))
    finally:
        subprocess.run(["chattr", "-i", url], check=True)

    assert done.returncode == 2
    [message] = one_line_errors(done.stderr)
    assert message == (f"error: cannot open the ledger at sqlite:///{url}: attempt to write a readonly "
                       "database; make the database file and its directory writable")
    assert assert_whole(url) == 47
    assert cadre_ledger(url, "verify").returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB tmpfs mounted at tmp_path/disk (root only; skipped where mounting is not allowed)."""
    with tmpfs(tmp_path / "disk", "2m") as disk:
        yield disk


@pytest.mark.slow
def test_a_full_disk_stops_the_import_at_a_whole_transaction_and_the_import_completes_once_there_is_room(
        small_disk, tmp_path):
    url = str(small_disk / "ledger.db")
    path = import_file(tmp_path, copies=200)  # 9,400 decisions, about 4 MB of log

    done = cadre_ledger(url, "import", str(path))

    assert done.returncode == 2
    [message] = one_line_errors(done.stderr)
    assert message.startswith(f"error: cannot write to the ledger at sqlite:///{url}: database or disk is "
                              "full; free some disk space, or move the ledger to a larger disk; ")
    kept = assert_whole(url)
    assert kept % importer.BATCH == 0 and kept < 9400
    assert cadre_ledger(url, "verify").returncode == 0
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    again = cadre_ledger(url, "import", str(path))
    assert again.stdout == f"recorded {9400 - kept:,}, already recorded {kept:,}, refused 0\n"
    assert assert_whole(url) == 9400


def test_a_read_only_file_system_is_refused_with_one_line_and_the_ledger_verifies_once_writable(
        small_disk, tmp_path):
    url = str(small_disk / "ledger.db")
    assert cadre_ledger(url, "import", str(import_file(tmp_path))).returncode == 0
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    try:
        done = cadre_ledger(url, "import", str(import_file(tmp_path, first=1)))
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)

    assert done.returncode == 2
    [message] = one_line_errors(done.stderr)
    assert message == (f"error: cannot open the ledger at sqlite:///{url}: unable to open database file; "
                       "check that the file and its directory exist and are writable, "
                       "then run `cadre-ledger verify`")
    assert assert_whole(url) == 47
    assert cadre_ledger(url, "verify").returncode == 0
