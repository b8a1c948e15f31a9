"""Cross-cadre commands from the CLI, on SQLite and PostgreSQL."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli import cli
from ledger.examples import EXAMPLES

SECOND_LEADER = {"id": "s-2023-18", "type": "sanction", "on": "2023-09-01", "cadre": "HB-000124",
                 "kind": "party-warning", "authority_kind": "party", "case": "YL-2023-07"}


@pytest.fixture
def run(db_url, tmp_path):
    runner = CliRunner()
    path = tmp_path / "in.jsonl"
    decisions = [*EXAMPLES[:32], SECOND_LEADER, *EXAMPLES[32:]]
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in decisions), encoding="utf-8")
    result = runner.invoke(cli, ["--db", db_url, "--actor", "clerk", "import", str(path)])
    assert result.exit_code == 0, result.output

    def invoke(*args):
        return runner.invoke(cli, ["--db", db_url, *args], catch_exceptions=False)
    return invoke


def test_a_case_lists_the_unit_and_both_leaders_decisions(run):
    rows = json.loads(run("case", "YL-2023-07", "--json").stdout)

    assert {r["stream"] for r in rows} == {"unit/夷陵区发展改革局", "cadre/HB-000123", "cadre/HB-000124"}


def test_handovers_by_status_on_the_day_before_and_the_day_of_completion(run):
    def statuses(day):
        return [h["status"] for h in json.loads(run("handovers", "--as-of", day, "--json").stdout)]

    assert statuses("2025-09-18") == ["open"]
    assert statuses("2025-09-19") == ["completed"]
    assert json.loads(run("handovers", "--status", "overdue", "--as-of", "2025-09-19", "--json").stdout) == []


def test_handover_show_gives_items_by_category_and_the_outgoing_leaders_performance_list(run):
    record = json.loads(run("handover", "show", "YC-YL-PARTY-SECRETARY", "--announced", "2025-09-01",
                            "--as-of", "2025-12-31", "--json").stdout)

    assert record["items_by_category"]["debts"][0]["amount"] == "1250000.00"
    assert {s["party"] for s in record["signoffs"]} == {"outgoing", "incoming", "supervisor"}
    assert record["outgoing"] == "HB-000124" and record["outgoing_performance"] == []


def test_reports_clarified_and_list_filters(run):
    clarified = json.loads(run("reports", "--clarified", "--json").stdout)
    barred = run("list", "--not-promotable", "--as-of", "2023-09-01", "--csv").stdout.splitlines()

    assert [r["report"] for r in clarified] == ["XF-2023-001"]
    assert barred[0].startswith("cadre,name,unit,promotable")
    assert {line.split(",")[0] for line in barred[1:]} == {"HB-000123", "HB-000124"}


def test_projections_lag_until_a_query_brings_them_up_and_rebuild_keeps_them_equal(run):
    before = json.loads(run("projections", "--json").stdout)
    run("findings")
    after = json.loads(run("projections", "--json").stdout)
    rebuilt = run("rebuild")

    assert {p["lag"] for p in before} == {len(EXAMPLES) + 1}
    assert {p["lag"] for p in after} == {0}
    assert rebuilt.stdout.strip() == f"rebuilt the read models from {len(EXAMPLES) + 1} events"
    assert json.loads(run("projections", "--json").stdout) == after
