"""The key of an encrypted ledger at the command line: every missing, wrong or needless key is one line,
exit 2, and nothing is written."""
from __future__ import annotations

import base64
import json
import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cli import cli

KEY = base64.b64encode(os.urandom(32)).decode()
OTHER = base64.b64encode(os.urandom(32)).decode()
LINE = '{"type": "health-check", "on": "2025-01-02", "cadre": "HB-000001"}\n'


def run(db: Path, *args: str, key: str | None = None) -> Result:
    env = {"CADRE_LEDGER_CIPHER_KEY": key or "", "CADRE_LEDGER_LANG": ""}
    return CliRunner().invoke(cli, ["--db", str(db), "--actor", "组织部-王", *args], env=env)


def events(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM stored_events").fetchone()[0])


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("keys")
    made = {"secret": folder / "secret.db", "plain": folder / "plain.db"}
    assert run(made["secret"], "demo", "--cadres", "12", "--years", "2", key=KEY).exit_code == 0
    assert run(made["plain"], "demo", "--cadres", "12", "--years", "2").exit_code == 0
    (folder / "one.jsonl").write_text(LINE, encoding="utf-8")
    return made


@pytest.mark.parametrize("args", [("verify",), ("show", "HB-000001"), ("list",), ("export",), ("rebuild",),
                                  ("history", "HB-000001"), ("prove", "x"), ("import", "ONE"),
                                  ("record", "health-check", "HB-000001", "--on", "2025-01-02")])
@pytest.mark.parametrize("key, says", [(None, "this ledger is encrypted: set CADRE_LEDGER_CIPHER_KEY"),
                                       (OTHER, "is not this ledger's key")], ids=["no key", "another key"])
def test_without_the_right_key_every_command_is_one_line_exit_2_and_writes_nothing(ledgers, args, key, says):
    db = ledgers["secret"]
    args = tuple(str(db.parent / "one.jsonl") if a == "ONE" else a for a in args)
    before = events(db)

    done = run(db, *args, key=key)

    assert done.exit_code == 2, done.output
    assert done.output.startswith("error: ") and says in done.output and done.output.count("\n") == 1
    assert events(db) == before


def test_the_log_alone_verifies_without_the_key(ledgers):
    done = run(ledgers["secret"], "verify", "--log-only", "--json")

    assert done.exit_code == 0 and json.loads(done.output)["ok"]


@pytest.mark.parametrize("args", [("import", "ONE"), ("show", "HB-000001"), ("verify",)])
def test_a_key_given_to_a_ledger_that_is_not_encrypted_is_one_line_exit_2(ledgers, args):
    db = ledgers["plain"]
    args = tuple(str(db.parent / "one.jsonl") if a == "ONE" else a for a in args)
    before = events(db)

    done = run(db, *args, key=KEY)

    assert done.exit_code == 2 and "this ledger is not encrypted" in done.output and done.output.count("\n") == 1
    assert events(db) == before


def test_with_its_key_the_encrypted_ledger_records_verifies_and_proves(ledgers, tmp_path):
    db = ledgers["secret"]

    recorded = run(db, "import", str(db.parent / "one.jsonl"), key=KEY)
    verified = run(db, "verify", key=KEY)
    decision = json.loads(run(db, "history", "HB-000001", "--json", key=KEY).output)[-1]["id"]
    proof = tmp_path / "p.json"
    proved = run(db, "prove", decision, "--out", str(proof), key=KEY)
    checked = CliRunner().invoke(cli, ["verify-proof", str(proof)])

    assert recorded.exit_code == 0 and "recorded 1" in recorded.output
    assert verified.exit_code == 0 and verified.output.startswith("intact:")
    assert proved.exit_code == 0 and checked.exit_code == 0
    assert f"decision {decision} (cadre/HB-000001" in checked.output and "stream" in checked.output
