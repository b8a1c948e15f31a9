"""The command line: parse → one call → render; one-line errors with the right exit code."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli import cli
from ledger.examples import EXAMPLES
from ledger.schema import TYPES

CONTRACT_KEYS = {
    "cadre", "name", "as_of", "known_at", "unit", "post", "post_level", "rank", "staff_category", "party_member",
    "employment", "promotable", "salary_step_allowed", "party_rights_suspended", "restrictions",
    "expired_restrictions", "grade_effects", "flags", "rank_promotion_eligible_on", "open_investigations", "pool",
    "open_reports", "clarified_reports", "commendations", "handovers", "findings",
}


@pytest.fixture
def run(tmp_path):
    runner = CliRunner()
    db = str(tmp_path / "cli.db")

    def invoke(*args, stdin=None, actor="组织部-王"):
        head = ["--db", db] + (["--actor", actor] if actor else [])
        return runner.invoke(cli, [*head, *args], input=stdin, catch_exceptions=False)
    return invoke


@pytest.fixture
def examples_file(tmp_path):
    path = tmp_path / "examples.jsonl"
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in EXAMPLES), encoding="utf-8")
    return str(path)


def test_import_prints_a_summary_and_reimport_is_a_no_op(run, examples_file):
    first = run("import", examples_file)
    again = run("import", examples_file)

    assert first.exit_code == 0, first.output
    assert first.stdout.strip() == f"recorded {len(EXAMPLES)}, already recorded 0, refused 0"
    assert again.stdout.strip() == f"recorded 0, already recorded {len(EXAMPLES)}, refused 0"


def test_import_of_a_file_with_a_bad_line_writes_nothing_and_exits_1(run, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(EXAMPLES[0]) + "\n{not json\n", encoding="utf-8")

    result = run("import", str(path))

    assert result.exit_code == 1
    assert "line 2: (line): not valid JSON" in result.stderr
    assert "nothing was written" in result.stderr
    assert run("history", "HB-000123").exit_code == 1


def test_import_reads_standard_input(run):
    result = run("import", "-", stdin=json.dumps(EXAMPLES[0], ensure_ascii=False) + "\n")

    assert result.stdout.strip() == "recorded 1, already recorded 0, refused 0"


def test_a_write_without_an_actor_is_an_unusable_invocation_with_the_fix(run, examples_file):
    result = run("import", examples_file, actor=None)

    assert result.exit_code == 2
    assert result.stderr.strip() == ("error: no actor: every write names who records it; pass --actor NAME or "
                                     "set CADRE_LEDGER_ACTOR")


def test_record_commands_exist_for_every_decision_type_with_an_example_in_their_help(run):
    for type_name in TYPES:
        result = run("record", type_name, "--help")

        assert result.exit_code == 0, type_name
        assert f"record {type_name}" in result.stdout and "Example:" in result.stdout


def test_record_writes_one_decision_and_refuses_bad_input_in_one_line(run):
    registered = run("record", "register", "HB-1", "--on", "2020-01-01", "--name", "张明", "--unit", "夷陵区",
                     "--post", "科员", "--post-level", "none", "--rank", "一级科员", "--rank-since", "2020-01-01",
                     "--party-member", "--id", "reg-1")
    bad_date = run("record", "commendation", "HB-1", "--on", "2021-02-30", "--kind", "citation")

    assert registered.exit_code == 0 and registered.stdout.strip() == "recorded reg-1"
    assert bad_date.exit_code == 1
    assert bad_date.stderr.strip() == "error: on: 2021-02-30 is not a real calendar date"


def test_show_json_has_every_key_of_the_status_contract(run, examples_file):
    run("import", examples_file)

    result = run("show", "HB-000123", "--json", "--as-of", "2025-10-01")

    status = json.loads(result.stdout)
    assert set(status) >= CONTRACT_KEYS
    assert status["as_of"] == "2025-10-01" and status["cadre"] == "HB-000123"


def test_show_in_chinese_labels_the_fields_in_chinese(run, examples_file):
    run("import", examples_file)

    result = run("show", "HB-000123", "--lang", "zh")

    assert "干部编号" in result.stdout and "可否提拔" in result.stdout


def test_an_unknown_cadre_is_a_one_line_refusal(run, examples_file):
    run("import", examples_file)

    result = run("show", "HB-999")

    assert result.exit_code == 1
    assert result.stderr.strip() == "error: cadre HB-999 is not in the ledger; check the number, or register it first"


def test_a_bad_date_option_is_a_usage_error_with_the_fix(run):
    result = run("show", "HB-1", "--as-of", "yesterday")

    assert result.exit_code == 2
    assert "write YYYY-MM-DD" in result.stderr


def test_an_unknown_database_url_exits_2_and_lists_the_accepted_forms(run):
    result = CliRunner().invoke(cli, ["--db", "mysql://root@h/db", "show", "HB-1"])

    assert result.exit_code == 2
    assert "unknown database URL scheme 'mysql'" in result.stderr


def test_history_lists_events_in_recorded_order_with_actor(run, examples_file):
    run("import", examples_file)

    rows = json.loads(run("history", "HB-000124", "--json").stdout)

    assert [r["id"] for r in rows][:3] == ["reg-HB-000124", "s-2024-3", "ext-2024"]
    assert rows[0]["actor"] == "组织部-王" and rows[0]["decision"]["name"] == "李华"


def test_history_of_a_cadre_whose_stored_row_was_retyped_is_a_one_line_error_pointing_to_verify(run, examples_file,
                                                                                               tmp_path):
    import sqlite3

    run("import", examples_file)
    with sqlite3.connect(tmp_path / "cli.db") as conn:
        conn.execute("UPDATE stored_events SET state = CAST(x'ff41ff' AS TEXT) WHERE rowid = 20")

    result = run("history", "HB-000123", "--verify")

    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "changed outside the ledger: run `cadre-ledger verify`" in result.stderr
