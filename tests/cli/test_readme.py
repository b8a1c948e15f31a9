"""The README's examples run as written, in order, on the ledger `cadre-ledger demo` builds with its defaults."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
RUNS = re.compile(r"(^|[\s;&|(])cadre-ledger(\s|$|\))")
POSTGRES = os.environ.get("CADRE_LEDGER_TEST_POSTGRES")


def example_lines(text: str) -> list[str]:
    """Every command line of the README's sh blocks that runs cadre-ledger (or makes a directory for it)."""
    lines, block, pending = [], False, ""
    for raw in text.splitlines():
        if raw.startswith("```"):
            block = raw.strip() == "```sh"
            continue
        if not block:
            continue
        line = pending + raw.strip()
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        pending = ""
        preparing = line.startswith(("mkdir ", "iconv "))
        if preparing or (RUNS.search(line) and "pip install" not in line and "python" not in line):
            lines.append(line)
    return lines


def expected_exit(line: str) -> int:
    """1 for a line the README marks as refused, 2 for one it marks as unusable, else 0."""
    if re.search(r"#\s*unusable", line):
        return 2
    return 1 if re.search(r"#\s*refused", line) else 0


@pytest.fixture
def postgres_url():
    """A fresh PostgreSQL schema for the README's migration, or None when no server is named."""
    if not POSTGRES:
        yield None
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    yield f"{POSTGRES}?schema={schema}"
    with psycopg.connect(POSTGRES, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


def test_the_readme_names_its_examples_in_a_runnable_order():
    lines = example_lines(README.read_text(encoding="utf-8"))

    assert re.match(r"cadre-ledger demo\s+#", lines[0])
    assert len(lines) > 50
    assert any(expected_exit(line) == 1 for line in lines)


def test_every_readme_example_runs_as_written_on_the_default_demo(tmp_path, postgres_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CADRE_LEDGER_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    failures, ran = [], 0

    for line in example_lines(README.read_text(encoding="utf-8")):
        if "postgresql://" in line:
            if postgres_url is None:
                continue
            line = re.sub(r"postgresql://\S+", postgres_url, line)
        ran += 1
        if "until Ctrl-C" in line:
            failures += _runs_until_interrupted(line, tmp_path, env)
            continue
        done = subprocess.run(["bash", "-c", line], cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=600)
        if done.returncode != expected_exit(line):
            failures.append(f"{line}\n  exit {done.returncode}: {done.stderr.strip()[-300:]}")
        elif expected_exit(line) in (1, 2) and not done.stderr.startswith("error: "):
            failures.append(f"{line}\n  refused without a one-line error: {done.stderr!r}")

    assert failures == []
    assert ran > 50


def _runs_until_interrupted(line: str, where: Path, env: dict[str, str]) -> list[str]:
    """Run a line that streams until Ctrl-C for a few seconds, interrupt it, and check that it wrote something."""
    before = sum(f.stat().st_size for f in where.iterdir() if f.is_file())
    process = subprocess.Popen(["bash", "-c", line], cwd=where, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        process.wait(timeout=8)
        said = process.stderr.read() if process.stderr else ""
        return [f"{line}\n  stopped by itself (exit {process.returncode}): {said}"]
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=30)
    after = sum(f.stat().st_size for f in where.iterdir() if f.is_file())
    return [] if after > before else [f"{line}\n  wrote nothing in 8 seconds"]
