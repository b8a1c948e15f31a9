"""`show --html` and `dashboard --html`: the pages the command line writes, read back by a real browser."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cli import cli
from projections.pictures.browser import dump_dom
from tests.pictures.checks import assert_bars_have_dates_and_chinese_terms
from tests.pictures.dom import elements

AS_OF = "2026-11-20"


@pytest.fixture(scope="module")
def ledger_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("pages") / "demo.db")
    built = CliRunner().invoke(cli, ["--db", db, "demo", "--cadres", "40", "--years", "6"])
    assert built.exit_code == 0, built.output
    return db


def run(db: str, *args: str, env: dict[str, str] | None = None) -> Result:
    """The command line on `db`, as 纪委-李, with no language set unless `env` sets one."""
    return CliRunner().invoke(cli, ["--db", db, "--actor", "纪委-李", *args],
                              env={"CADRE_LEDGER_LANG": "", **(env or {})})


def barred(db: str) -> str:
    rows = json.loads(run(db, "list", "--not-promotable", "--json", "--as-of", AS_OF).stdout)
    return max(rows, key=lambda r: (r["running"], r["cadre"]))["cadre"]


def test_show_html_writes_the_dossier_of_the_status_show_prints(ledger_file: str, tmp_path: Path,
                                                                chromium: str) -> None:
    cadre = barred(ledger_file)
    status = json.loads(run(ledger_file, "show", cadre, "--json", "--as-of", AS_OF).stdout)
    integrity = json.loads(run(ledger_file, "verify", "--log-only", "--json").stdout)
    page = tmp_path / "dossier.html"

    done = run(ledger_file, "show", cadre, "--as-of", AS_OF, "--html", str(page))
    dom = dump_dom(page, chromium)

    assert done.exit_code == 0 and str(page) in done.stdout
    assert '<html lang="zh-CN"' in page.read_text(encoding="utf-8")
    assert status["restrictions"], "the chosen cadre has running restrictions"
    assert_bars_have_dates_and_chinese_terms(dom, status)
    assert elements(dom, "root")[0].text.strip() == integrity["root"]
    assert "纪委-李" in dom and "内部资料" in dom and AS_OF in dom


def test_the_page_is_in_chinese_unless_a_language_is_asked_for(ledger_file: str, tmp_path: Path) -> None:
    cadre = barred(ledger_file)
    pages = {how: tmp_path / f"{how}.html" for how in ("default", "flag", "env")}

    run(ledger_file, "show", cadre, "--html", str(pages["default"]))
    run(ledger_file, "show", cadre, "--html", str(pages["flag"]), "--lang", "en")
    run(ledger_file, "show", cadre, "--html", str(pages["env"]), env={"CADRE_LEDGER_LANG": "en"})

    assert '<html lang="zh-CN"' in pages["default"].read_text(encoding="utf-8")
    assert '<html lang="en"' in pages["flag"].read_text(encoding="utf-8")
    assert '<html lang="en"' in pages["env"].read_text(encoding="utf-8")


def test_dashboard_html_for_one_unit_names_it(ledger_file: str, tmp_path: Path, chromium: str) -> None:
    units = sorted({row["unit"] for row in json.loads(run(ledger_file, "list", "--json", "--as-of", AS_OF).stdout)})
    page = tmp_path / "dashboard.html"

    done = run(ledger_file, "dashboard", "--as-of", AS_OF, "--unit", units[0], "--html", str(page))
    dom = dump_dom(page, chromium)

    assert done.exit_code == 0, done.output
    assert units[0] in dom and "干部监督工作看板" in dom and "内部资料" in dom


@pytest.mark.parametrize("args, code, says", [
    (["--json"], 2, "--html writes its own file"),
    (["--out", "x.txt"], 2, "--html writes its own file"),
])
def test_html_with_another_output_is_refused(ledger_file: str, tmp_path: Path, args: list[str], code: int,
                                             says: str) -> None:
    page = tmp_path / "p.html"

    done = run(ledger_file, "dashboard", "--html", str(page), *args)

    assert done.exit_code == code and says in done.output.lower() and not page.exists()


def test_a_page_nowhere_or_of_nobody_writes_nothing(ledger_file: str, tmp_path: Path) -> None:
    nowhere = run(ledger_file, "show", barred(ledger_file), "--html", str(tmp_path / "missing" / "p.html"))
    nobody = run(ledger_file, "show", "HB-999999", "--html", str(tmp_path / "nobody.html"))
    no_ledger = run(str(tmp_path / "none.db"), "dashboard", "--html", str(tmp_path / "none.html"))

    assert nowhere.exit_code == 2 and "--html" in nowhere.output and "does not exist" in nowhere.output
    assert nobody.exit_code == 1 and not (tmp_path / "nobody.html").exists()
    assert no_ledger.exit_code == 2 and not (tmp_path / "none.db").exists() and not (tmp_path / "none.html").exists()
