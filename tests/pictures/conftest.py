"""A small real province ledger shared by the picture tests, and the browser they print with."""
from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from ledger.app import CadreLedger
from ledger.demo import DEFAULT_END, generate
from projections.pictures import PageMeta, page_meta
from projections.pictures.browser import find_browser
from projections.reader import Reader

REQUIRE_BROWSER = os.environ.get("CADRE_LEDGER_REQUIRE_BROWSER") == "1"
GENERATED = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
# A cadre whose every text field tries to break out of the page.
HOSTILE = [
    {"id": "xss-reg", "type": "register", "on": "2020-01-02", "cadre": "HB-XSS",
     "name": "<script>alert('name')</script>", "unit": '"onload=alert(1) x="', "post": "</style><b>副局长</b>",
     "post_level": "county-deputy", "rank": "researcher-3", "rank_since": "2019-01-01", "party_member": True},
    {"id": "xss-<b>1", "type": "sanction", "on": "2024-03-10", "cadre": "HB-XSS", "kind": "demerit",
     "authority_kind": "supervisory", "note": "<img src=x onerror=alert(1)>"},
]


def _need(what: str) -> None:
    if REQUIRE_BROWSER:
        pytest.fail(f"{what} is required (CADRE_LEDGER_REQUIRE_BROWSER=1) but was not found")
    pytest.skip(f"{what} not found")


@pytest.fixture(scope="session")
def province(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reader]:
    """Forty demo cadres over ten years and one hostile cadre, recorded and projected; read through a Reader."""
    app = CadreLedger(str(tmp_path_factory.mktemp("pictures") / "province.db"))
    decisions = [*generate(cadres=40, years=10, seed=3), *HOSTILE]
    assert app.import_lines(enumerate(decisions, 1), "demo").errors == []
    reader = Reader(app)
    reader.catch_up()
    yield reader
    app.close()


@pytest.fixture(scope="session")
def meta(province: Reader) -> PageMeta:
    """The provenance of every page in these tests: as of the demo's last day, generated at a fixed time."""
    return page_meta(province.app, DEFAULT_END, None, "组织部-王", now=GENERATED)


@pytest.fixture(scope="session")
def veteran(province: Reader) -> dict[str, Any]:
    """The status of the demo cadre with the most restrictions over the ten years (ties: the most posts)."""
    def weight(status: dict[str, Any]) -> tuple[int, int, str]:
        rows = len(status["restrictions"]) + len(status["expired_restrictions"])
        return rows, len(status["timeline"]["posts"]), status["cadre"]

    cadres = [row["cadre"] for row in province.list_cadres(DEFAULT_END)]
    statuses = [province.status(cadre, DEFAULT_END) for cadre in cadres]
    return max((s for s in statuses if s["cadre"] != "HB-XSS"), key=weight)


@pytest.fixture(scope="session")
def chromium() -> str:
    """The headless browser: skips without one, fails instead when CADRE_LEDGER_REQUIRE_BROWSER=1."""
    found = find_browser()
    if found is None:
        _need("Chromium")
    assert found is not None
    return found


@pytest.fixture(scope="session")
def pdftotext() -> str:
    """poppler's pdftotext, for reading printed pages back (same skip rule as the browser)."""
    found = shutil.which("pdftotext")
    if found is None:
        _need("pdftotext (poppler-utils)")
    assert found is not None
    return found
