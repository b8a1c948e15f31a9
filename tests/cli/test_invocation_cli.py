"""Exit codes, one-line errors, record help in words, overrides that say so, progress bars and colour."""
from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from cli import cli
from ledger.examples import EXAMPLES


@pytest.fixture
def run(tmp_path):
    path = tmp_path / "examples.jsonl"
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in EXAMPLES), encoding="utf-8")
    db = str(tmp_path / "cli.db")
    assert CliRunner().invoke(cli, ["--db", db, "--actor", "组织部-王", "import", str(path)]).exit_code == 0

    def invoke(*args):
        return CliRunner().invoke(cli, ["--db", db, "--actor", "组织部-王", *args])
    return invoke


@pytest.mark.parametrize(("args", "code", "names"), [
    (("show", "HB-000123", "--as-of", "yesterday"), 2, "--as-of"),
    (("history", "HB-000123", "--since", "2025-13-01"), 2, "--since"),
    (("list", "--known-at", "noon"), 2, "--known-at"),
    (("show", "HB-000123", "--lang", "fr"), 2, "--lang"),
    (("record", "commendation", "HB-000123", "--on", "2021-02-30", "--kind", "citation"), 1, "on"),
    (("demo", "--jsonl", "no/such/dir/x.jsonl"), 2, "no/such/dir/x.jsonl"),
    (("import", "no-such-file.jsonl"), 2, "FILE"),
    (("findings", "--out", "no/such/dir/f.txt"), 2, "--out"),
    (("case", "NO-SUCH-CASE"), 1, "NO-SUCH-CASE"),
])
def test_each_error_is_one_line_naming_the_field_with_its_exit_code(run, args, code, names):
    result = run(*args)

    assert result.exit_code == code, result.output
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("error: ")
    assert names in result.stderr


def test_a_recorded_override_says_which_rule_it_overrode_and_that_it_raised_a_finding(run):
    result = run("record", "rank-promotion", "HB-000123", "--on", "2023-09-01", "--rank", "researcher-1",
                 "--override", "省委组织部批复同意", "--id", "rank-override")
    findings = json.loads(run("findings", "--kind", "override", "--json", "--as-of", "2030-01-01").stdout)

    assert result.exit_code == 0, result.output
    rule = next(f["rule"] for f in findings if f["source"] == "rank-override")
    assert result.stdout.strip() == f"recorded rank-override; {rule} overridden; finding raised"


def test_record_help_explains_each_option_in_words_with_its_chinese_name_and_an_example(run):
    sanction = run("record", "sanction", "--help").stdout
    assessment = run("record", "assessment", "--help").stdout

    flat = " ".join(sanction.split())
    wanted = ("新职务. The post held after the dismissal (title). Required when --kind is post-dismissal; "
              "refused otherwise.")
    assert wanted in flat
    assert "excellent 优秀" in " ".join(assessment.split()) and "Example: --grade" in assessment
    assert "optional." not in flat and "ident," not in flat


def test_help_documents_exit_code_3_as_a_bug(run):
    top = run("--help").stdout

    assert "3 internal error" in " ".join(top.split())


def _in_a_terminal(*args, env=None):
    """Run the command line in a pseudo-terminal; everything it wrote to the terminal."""
    main, child = pty.openpty()
    process = subprocess.Popen([sys.executable, "-c", "from cli import main; main()", *args], stdin=child,
                               stdout=child, stderr=child, env={**os.environ, "COLUMNS": "100", **(env or {})},
                               cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    os.close(child)
    chunks = []
    while True:
        try:
            data = os.read(main, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout=120)
    os.close(main)
    return process.returncode, b"".join(chunks).decode("utf-8", "replace")


def test_long_tasks_show_a_progress_bar_that_reaches_100_percent_on_a_terminal(tmp_path):
    db = str(tmp_path / "bar.db")

    code, demo = _in_a_terminal("--db", db, "demo", "--cadres", "30", "--years", "2")
    rebuilt_code, rebuilt = _in_a_terminal("--db", db, "rebuild")

    assert code == 0 and rebuilt_code == 0
    for stage in ("generating", "checking", "recording", "projecting"):
        assert re.search(stage + r"\s.*100%", demo), stage
    assert re.search(r"rebuilding\s.*100%", rebuilt)


def test_colour_on_a_terminal_and_none_with_no_color(tmp_path):
    db = str(tmp_path / "colour.db")
    _in_a_terminal("--db", db, "demo", "--cadres", "20", "--years", "2")

    _, coloured = _in_a_terminal("--db", db, "verify")
    _, plain = _in_a_terminal("--db", db, "verify", env={"NO_COLOR": "1"})
    _, flagged = _in_a_terminal("--db", db, "verify", "--no-color")

    colour = re.compile(r"\x1b\[[0-9;]*m")  # SGR: colour and weight (a progress bar may still hide the cursor)
    assert "\x1b[32m" in coloured
    assert not colour.search(plain) and not colour.search(flagged)
