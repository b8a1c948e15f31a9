"""Hostile input through the real `cadre-ledger` command: each error path is one line on stderr, exit 1 or 2, never 3.

Refused content (a line, the actor) exits 1; an unusable invocation (an encoding, a URL, a key path, a
damaged database, an argument that is not UTF-8) exits 2. Older data holding control characters is printed
escaped.
"""
from __future__ import annotations

import copy
import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from ledger.app import CadreLedger
from ledger.examples import EXAMPLES
from tests.reliability.support import ACTOR, cli_env, command, one_line_errors

TRAINING = {"type": "training", "cadre": "HB-000123", "on": "2025-03-01", "programme": "党校春季班"}
NOTHING_WRITTEN = "nothing was written: fix the lines above, or use --skip-invalid to write the valid ones"


def run(url: str, *args: str | bytes, **env: str) -> subprocess.CompletedProcess[str]:
    """`cadre-ledger ARGS` on the ledger at `url` (arguments may be raw bytes, as a shell passes them)."""
    return subprocess.run([*command(), *args], env={**cli_env(url), **env}, capture_output=True, text=True,
                          errors="backslashreplace", timeout=120)


@pytest.fixture(scope="module")
def ledger_url(tmp_path_factory) -> str:
    """A SQLite ledger holding the example decisions."""
    url = str(tmp_path_factory.mktemp("hostile-cli") / "ledger.db")
    app = CadreLedger(url)
    assert not app.import_lines(list(enumerate(copy.deepcopy(EXAMPLES), 1)), ACTOR).errors
    app.close()
    return url


def one_error(result: subprocess.CompletedProcess[str], exit_code: int) -> str:
    """The single `error: …` line of a refused or unusable invocation."""
    assert result.returncode == exit_code, (result.returncode, result.stderr)
    [line] = one_line_errors(result.stderr)
    assert line.startswith("error: "), line
    return line


def refused_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The `line N: field: problem` lines of an import refused with exit 1 (then the note that nothing was written)."""
    assert result.returncode == 1, result.stderr
    *errors, last = one_line_errors(result.stderr)
    assert last == NOTHING_WRITTEN
    return errors


def write(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "decisions.jsonl"
    path.write_bytes(data)
    return str(path)


def line_of(decision: dict, encoding: str = "utf-8") -> bytes:
    return json.dumps(decision, ensure_ascii=False).encode(encoding) + b"\n"


# --- the actor ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("actor", ["组织部\x1b[2J王", "组织部\x07王", "组织部\n2026-01-01  verified", "组织部\u202e王",
                                   "组织部\x9b王"])
@pytest.mark.parametrize("given", ["--actor", "CADRE_LEDGER_ACTOR"])
def test_an_actor_with_control_or_bidirectional_characters_is_refused_in_one_line(ledger_url, tmp_path, actor,
                                                                                 given):
    args = ["--actor", actor] if given == "--actor" else []

    result = run(ledger_url, *args, "import", write(tmp_path, line_of(TRAINING)), CADRE_LEDGER_ACTOR=actor)

    line = one_error(result, 1)
    assert line.startswith("error: actor: ") and line.endswith("from --actor or CADRE_LEDGER_ACTOR")
    assert not any(c in line for c in "\x1b\x07\u202e\x9b")


# --- import ------------------------------------------------------------------------------------------------
def with_raw(field: str, literal: str) -> bytes:
    """The training line with `field` holding the raw JSON `literal`."""
    return json.dumps({**TRAINING, field: "@@"}).replace('"@@"', literal).encode()


RECORDED = line_of(EXAMPLES[0])


@pytest.mark.parametrize(("data", "expected"), [
    (b'{"type": "training", "programme": "\xff\xfe"}', "line 2: (line): not valid UTF-8 at byte 36 (0xff); "),
    (line_of(TRAINING, "gbk"), "line 2: (line): not valid UTF-8 at byte "),
    (with_raw("hours", "9" * 5001), "line 2: hours: the integer 999999999999…(5,001 digits) is beyond 64 bits"),
    (with_raw("hours", "NaN"), "line 2: hours: NaN is not a number JSON allows"),
    (with_raw("hours", "1e400"), "line 2: hours: the number 1e400 is too large"),
    (json.dumps(TRAINING).replace("{", '{"on": "2025-03-02", ', 1).encode(), "line 2: on: given twice"),
    (with_raw("note", "[" * 50 + "]" * 50), "line 2: note: nested more than"),
    (line_of({**TRAINING, "programme": "党校\u202e班"}), "line 2: programme: bidirectional control '\\u202e' at 2"),
    (line_of({**TRAINING, "programme": "党校\x1b[2J班"}), "line 2: programme: control character '\\x1b' at 2"),
    (line_of({**TRAINING, "note": "注\x85释"}), "line 2: note: control character '\\x85' at 1"),
    (b"\x00\x00\x00", "line 2: (line): not valid JSON"),
])
def test_a_hostile_line_is_refused_in_one_line_and_nothing_is_written(ledger_url, tmp_path, data, expected):
    result = run(ledger_url, "import", write(tmp_path, RECORDED + data))

    [error] = refused_lines(result)
    assert error.startswith(expected), error
    assert result.stdout == "recorded 0, already recorded 1, refused 1\n"


def test_a_gbk_file_is_imported_with_encoding_gb18030(ledger_url, tmp_path):
    path = write(tmp_path, line_of({**TRAINING, "id": "gbk-1", "programme": "党校秋季班"}, "gbk"))

    result = run(ledger_url, "import", path, "--encoding", "gb18030", "--dry-run")

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "would record 1, already recorded 0, refused 0\n"


def test_a_file_saved_as_csv_utf8_by_excel_with_a_bom_is_imported(ledger_url, tmp_path):
    path = write(tmp_path, b"\xef\xbb\xbf" + line_of({**TRAINING, "id": "bom-1"}).replace(b"\n", b"\r\n"))

    result = run(ledger_url, "import", path, "--dry-run")

    assert (result.returncode, result.stdout) == (0, "would record 1, already recorded 0, refused 0\n")


@pytest.mark.parametrize(("name", "problem"), [("klingon", "'klingon' is not a text encoding"),
                                               ("utf-16", "utf-16 does not write a line break as the byte 0x0A")])
def test_an_encoding_that_cannot_be_read_is_unusable_input(ledger_url, tmp_path, name, problem):
    result = run(ledger_url, "import", write(tmp_path, line_of(TRAINING)), "--encoding", name)

    assert one_error(result, 2).startswith(f"error: --encoding: {problem}")


def test_skip_invalid_skips_the_hostile_lines_only(tmp_path):
    url = str(tmp_path / "fresh.db")
    register = next(e for e in EXAMPLES if e["type"] == "register")
    data = line_of(register) + b'{"type": "\xff"}\n' + b'{"a": 1, "a": 2}\n' + line_of(TRAINING)

    result = run(url, "import", write(tmp_path, data), "--skip-invalid")

    assert result.returncode == 0
    assert [line.split(":")[0] for line in one_line_errors(result.stderr)] == ["line 2", "line 3"]
    assert result.stdout == "recorded 2, already recorded 0, refused 2\n"


# --- keygen ------------------------------------------------------------------------------------------------
def test_keygen_creates_missing_directories(ledger_url, tmp_path):
    result = run(ledger_url, "keygen", "--private", str(tmp_path / "new" / "x.key"),
                 "--public", str(tmp_path / "pub" / "x.pub"))

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "new" / "x.key").exists() and (tmp_path / "pub" / "x.pub").exists()


def test_keygen_with_a_file_in_the_way_is_refused_in_one_line_and_writes_neither_key(ledger_url, tmp_path):
    (tmp_path / "blocked").write_text("")

    result = run(ledger_url, "keygen", "--private", str(tmp_path / "x.key"),
                 "--public", str(tmp_path / "blocked" / "x.pub"))

    assert "a file is in the way" in one_error(result, 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocked"]


# --- databases ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("query", ["schema=%20hubei", "schema=", "schema=a%22b", "schema=" + "s" * 64])
def test_a_postgresql_schema_that_is_not_an_identifier_is_refused_in_one_line(query):
    result = run(f"postgresql://ledger:secret@127.0.0.1:1/cadres?{query}", "verify")

    line = one_error(result, 2)
    assert "is not a valid PostgreSQL schema name" in line and "secret" not in line


@pytest.mark.parametrize(("change", "reason"), [
    ("UPDATE stored_events SET state = x'c1c1c1' WHERE rowid = 5", "FormatError"),
    ("UPDATE stored_events SET state = x'80' WHERE rowid = 5", "KeyError: 'decision_id'"),
    ("UPDATE stored_events SET topic = 'ledger.cadre:Cadre.Vanished' WHERE rowid = 5", "TopicError"),
    ("UPDATE stored_events SET topic = 'nowhere.module:Event' WHERE rowid = 5", "TopicError"),
])
@pytest.mark.parametrize("query", ["rebuild", "export"])
def test_a_damaged_database_is_one_line_naming_the_position_and_verify(tmp_path, change, reason, query):
    url = str(tmp_path / "damaged.db")
    CadreLedger(url).import_lines(list(enumerate(copy.deepcopy(EXAMPLES), 1)), ACTOR)
    with sqlite3.connect(url) as conn:
        conn.execute(change)

    line = one_error(run(url, query), 2)

    assert line.startswith("error: cannot read the stored event at position 5 (v3 of ")
    assert reason in line and line.endswith("run `cadre-ledger verify` to find every damaged position")


@pytest.mark.parametrize("query", [("show", "HB-000123"), ("history", "HB-000123"), ("list",)])
def test_a_query_on_a_damaged_stream_is_one_line_pointing_to_verify(tmp_path, query):
    url = str(tmp_path / "damaged.db")
    CadreLedger(url).import_lines(list(enumerate(copy.deepcopy(EXAMPLES), 1)), ACTOR)
    with sqlite3.connect(url) as conn:
        conn.execute("UPDATE stored_events SET topic = 'ledger.cadre:Cadre.Vanished' WHERE rowid = 5")

    line = one_error(run(url, *query), 2)

    assert "(v3: does not match its seal)" in line and "run `cadre-ledger verify`" in line


def test_an_argument_that_is_not_utf8_is_named_in_one_line(ledger_url):
    result = run(ledger_url, "show", os.fsdecode(b"HB-\xff"))

    assert one_error(result, 2) == "error: the argument 'HB-\\xff' is not UTF-8 text; type it again in a UTF-8 terminal"


# --- older data --------------------------------------------------------------------------------------------
def test_older_data_holding_control_characters_is_printed_escaped(tmp_path, monkeypatch):
    import ledger.decisions
    import ledger.importer

    url = str(tmp_path / "older.db")
    monkeypatch.setattr(ledger.importer, "checked_actor", lambda actor: actor)  # as before these checks existed
    monkeypatch.setattr(ledger.decisions, "_refuse_unsafe", lambda *args: None)
    register = next(e for e in EXAMPLES if e["type"] == "register")
    app = CadreLedger(url)
    forged = {**TRAINING, "programme": "党校\x1b]0;pwned\x07班\u202e", "note": "x\n2026-01-01  verified"}
    assert not app.import_lines([(1, register), (2, forged)], "王\x1b[2J").errors
    app.close()

    for args in (["history", "HB-000123"], ["history", "HB-000123", "--csv"], ["history", "HB-000123", "--json"],
                 ["export"]):
        result = run(url, *args)

        assert result.returncode == 0, result.stderr
        assert not any(c in result.stdout for c in "\x1b\x07\u202e"), args
    table = run(url, "history", "HB-000123").stdout
    assert "王\\x1b[2J" in table and "note=x\\n2026-01-01  verified" in table and len(table.splitlines()) == 4
