"""What people at the terminal read, in Chinese and English, on a small demo province."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest
from click.testing import CliRunner
from wcwidth import wcswidth

from cli import cli
from ledger import vocab

AS_OF = "2026-11-20"
# Every token a vocabulary holds: none may reach a Chinese page.
TOKENS = sorted({token for table in [*vocab.DISPLAY_TERMS.values(), *vocab.OWN_TERMS.values(),
                                     *vocab.VOCABULARIES.values()] for token in table}, key=len, reverse=True)
TOKEN = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, TOKENS)) + r")(?![\w-])")


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("people") / "demo.db")
    built = CliRunner().invoke(cli, ["--db", db, "demo", "--cadres", "60", "--years", "3"])
    assert built.exit_code == 0, built.output
    return db


@pytest.fixture
def run(province, monkeypatch):
    monkeypatch.delenv("CADRE_LEDGER_LANG", raising=False)

    def invoke(*args, env=None):
        return CliRunner().invoke(cli, ["--db", province, *args], env=env, catch_exceptions=False)
    return invoke


def status(run, cadre):
    return json.loads(run("show", cadre, "--json", "--as-of", AS_OF).stdout)


def richest_cadre(run):
    rows = json.loads(run("list", "--not-promotable", "--json", "--as-of", AS_OF).stdout)
    return max(rows, key=lambda r: (r["running"], r["cadre"]))["cadre"]


def people_pages(run):
    cadre = richest_cadre(run)
    return {
        "show": run("show", cadre, "--as-of", AS_OF, "--lang", "zh", "--all").stdout,
        "list": run("list", "--as-of", AS_OF, "--lang", "zh").stdout,
        "expiring": run("list", "--expiring-within", "90", "--as-of", AS_OF, "--lang", "zh").stdout,
        "findings": run("findings", "--as-of", AS_OF, "--lang", "zh", "--wide").stdout,
        "handovers": run("handovers", "--as-of", AS_OF, "--lang", "zh").stdout,
        "reports": run("reports", "--as-of", AS_OF, "--lang", "zh").stdout,
        "history": run("history", cadre, "--lang", "zh", "--wide").stdout,
        "changes": run("changes", "--from", "2025-01-01", "--to", "2027-01-01", "--lang", "zh").stdout,
        "dashboard": run("dashboard", "--as-of", AS_OF, "--lang", "zh", "--all").stdout,
    }


def tables(page):
    """Each table of a page: (header, dashes, rows), found by its line of dashes."""
    lines = page.splitlines()
    found = []
    for i, line in enumerate(lines):
        if i and re.fullmatch(r"\s*-+(  -+)*", line):
            body = []
            for row in lines[i + 1:]:
                if not row.strip() or row.lstrip().startswith(("==", "…")):
                    break
                body.append(row)
            found.append((lines[i - 1], line, body))
    return found


def starts(dashes):
    return [m.start() for m in re.finditer(r"-+", dashes)]


def column_at(line, column):
    """The text of `line` from display column `column` on."""
    used = 0
    for i, ch in enumerate(line):
        if used >= column:
            return line[i:]
        used += max(wcswidth(ch), 0)
    return ""


def test_no_english_vocabulary_token_reaches_a_chinese_page(run):
    pages = people_pages(run)

    leaks = {name: sorted(set(TOKEN.findall(page))) for name, page in pages.items()}

    assert all(page.strip() for page in pages.values())
    assert {name: found for name, found in leaks.items() if found} == {}


def test_every_table_lines_up_by_display_width(run):
    pages = people_pages(run)

    checked = 0
    for name, page in pages.items():
        for header, dashes, rows in tables(page):
            for line in [header, *rows]:
                for column in starts(dashes)[1:]:
                    before = wcswidth(line) if wcswidth(line) < column else column
                    if before == column:
                        assert column_at(line, column - 2)[:2] == "  ", (name, line)
                        checked += 1

    assert checked > 100


def test_show_in_chinese_gives_every_label_and_value_its_official_term(run):
    cadre = richest_cadre(run)
    doc = status(run, cadre)

    page = run("show", cadre, "--as-of", AS_OF, "--lang", "zh").stdout

    assert f"职级                {vocab.display(doc['rank'], group='ranks')}"[:4] in page
    assert vocab.display(doc["rank"], group="ranks") in page
    assert vocab.display(doc["employment"], group="employment") in page
    for restriction in doc["restrictions"]:
        assert vocab.display(restriction["track"], group="tracks") in page
    assert "影响期（进行中）" in page and "(none)" not in page and "（无）" not in page


def test_language_comes_from_the_option_then_the_environment_then_english(run):
    cadre = richest_cadre(run)

    moment = ("--as-of", AS_OF, "--known-at", "2030-01-01T00:00:00Z")
    by_env = run("show", cadre, *moment, env={"CADRE_LEDGER_LANG": "zh"}).stdout
    option_wins = run("show", cadre, *moment, "--lang", "en", env={"CADRE_LEDGER_LANG": "zh"}).stdout
    default = run("show", cadre, *moment).stdout

    assert "干部编号" in by_env
    assert "干部编号" not in option_wins and option_wins.startswith("cadre")
    assert default == option_wins


def test_json_keys_and_tokens_do_not_change_with_the_language(run):
    cadre = richest_cadre(run)

    english = run("show", cadre, "--json", "--as-of", AS_OF, "--known-at", "2030-01-01T00:00:00Z").stdout
    chinese = run("show", cadre, "--json", "--as-of", AS_OF, "--known-at", "2030-01-01T00:00:00Z",
                  "--lang", "zh").stdout

    assert english == chinese


def test_empty_sections_are_left_out_unless_all_is_asked(run):
    cadre = richest_cadre(run)
    empty = [k for k, v in status(run, cadre).items() if v == [] and k != "reuse_candidates"]

    short = run("show", cadre, "--as-of", AS_OF).stdout
    full = run("show", cadre, "--as-of", AS_OF, "--all").stdout

    assert empty
    assert all(f"\n{k}:" not in short for k in empty)
    assert all(f"\n{k}:" in full for k in empty)


def test_a_cadre_is_found_by_name_and_a_shared_name_lists_numbers_and_units(run, province):
    rows = json.loads(run("list", "--json", "--as-of", AS_OF).stdout)
    unique = next(r for r in rows if sum(o["name"] == r["name"] for o in rows) == 1)
    runner = CliRunner()
    twin = ["--db", province, "--actor", "组织部-王", "record", "register", "HB-900001", "--on", "2025-01-02",
            "--name", unique["name"], "--unit", "掇刀区测试局", "--post", "科员", "--post-level", "none",
            "--rank", "一级科员", "--rank-since", "2025-01-02", "--party-member"]

    found = run("show", unique["name"], "--json", "--as-of", AS_OF)
    assert runner.invoke(cli, twin).exit_code == 0
    shared = run("show", unique["name"], "--as-of", AS_OF)

    assert json.loads(found.stdout)["cadre"] == unique["cadre"]
    assert shared.exit_code == 1
    assert unique["cadre"] in shared.stderr and "HB-900001" in shared.stderr and "掇刀区测试局" in shared.stderr


def test_list_by_part_of_a_name(run):
    rows = json.loads(run("list", "--json", "--as-of", AS_OF).stdout)
    part = rows[0]["name"][0]

    found = json.loads(run("list", "--name", part, "--json", "--as-of", AS_OF).stdout)

    assert found == [r for r in rows if part in r["name"]]


@pytest.mark.parametrize("args", [
    ("list", "--unit", "没有这个单位"),
    ("handovers", "--post", "NO-SUCH-POST"),
    ("handovers", "--unit", "没有这个单位"),
    ("export", "--cadre", "HB-999999"),
    ("history", "--post", "NO-SUCH-POST"),
    ("history", "--unit", "没有这个单位"),
    ("changes", "--from", "2025-01-01", "--to", "2026-01-01", "--cadre", "HB-999999"),
    ("dashboard", "--unit", "没有这个单位"),
    ("show", "没有这个人"),
])
def test_a_filter_naming_what_is_not_in_the_ledger_is_refused(run, args):
    result = run(*args)

    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


def test_csv_without_rows_still_has_its_header_and_bom_is_for_excel(run):
    empty = run("list", "--flagged", "--as-of", "2000-01-01", "--csv")
    with_bom = run("findings", "--csv", "--bom", "--as-of", AS_OF)

    assert empty.stdout.splitlines() == ["cadre,name,unit,promotable,running,next_end,expiring,open_flags,pool"]
    assert with_bom.stdout.startswith("\ufeffkind,source,cadre")


def test_history_of_a_unit_holds_its_posts_and_cadres_within_the_dates(run):
    handovers = json.loads(run("handovers", "--json", "--as-of", AS_OF).stdout)
    unit = handovers[0]["unit"]

    rows = json.loads(run("history", "--unit", unit, "--since", "2024-01-01", "--until", "2024-12-31",
                          "--json").stdout)

    assert {r["stream"].split("/")[0] for r in rows} >= {"post", "cadre"}
    assert all("2024-01-01" <= r["effective_on"] <= "2024-12-31" for r in rows)


def test_changes_agree_with_the_status_on_the_day_before_and_the_day_of(run):
    rows = json.loads(run("changes", "--from", "2025-01-01", "--to", "2026-01-01", "--json").stdout)
    flips = [r for r in rows if r["change"] == "promotable"]

    assert flips
    for row in flips[:5]:
        day = row["on"]
        before = json.loads(run("show", row["cadre"], "--json", "--as-of", _day_before(day)).stdout)
        after = json.loads(run("show", row["cadre"], "--json", "--as-of", day).stdout)
        assert (before["promotable"], after["promotable"]) == (row["before"], row["after"])


def _day_before(day):
    from datetime import date, timedelta

    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()


def test_dashboard_prints_what_demo_prints_for_its_last_day(run, province, tmp_path):
    again = CliRunner().invoke(cli, ["--db", province, "demo", "--cadres", "60", "--years", "3"])

    page = run("dashboard", "--as-of", AS_OF)

    assert again.stdout.split("== Integrity")[0] == page.stdout.split("== Integrity")[0]


def test_dashboard_lists_the_latest_findings_first(run):
    rows = json.loads(run("dashboard", "--as-of", AS_OF, "--json").stdout)["findings"]

    assert [r["raised_on"] for r in rows] == sorted((r["raised_on"] for r in rows), reverse=True)


def test_out_into_a_missing_directory_is_one_line_exit_2(run, tmp_path):
    result = run("findings", "--csv", "--out", str(tmp_path / "no" / "such" / "f.csv"))

    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "does not exist" in result.stderr


def test_reports_clarified_rows_fill_their_own_columns(run):
    out = run("reports", "--clarified", "--as-of", AS_OF, "--csv").stdout

    rows = list(csv.DictReader(io.StringIO(out)))

    assert rows and all(r["clarified_on"] and r["source"] for r in rows)
