"""The pages as a real browser shows and prints them: headless Chromium, its DOM, screenshots and PDF."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from ledger.demo import DEFAULT_END
from ledger.status import compose_status
from projections.pictures import PageMeta, render_dashboard, render_dossier
from projections.pictures.browser import dump_dom, print_to_pdf, screenshot
from projections.reader import Reader
from projections.report import first_report
from tests.pictures.checks import assert_bars_have_dates_and_chinese_terms
from tests.pictures.dom import elements, tags
from tests.unit.factories import Dossier

pytestmark = pytest.mark.browser
RED_INK = (179, 38, 30)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, province: Reader, meta: PageMeta,
          veteran: dict[str, Any]) -> dict[str, Path]:
    """The ten-year veteran's dossier, the hostile cadre's dossier and the dashboard, written to files."""
    folder = tmp_path_factory.mktemp("pages")
    report = first_report(province, DEFAULT_END, {"ok": True, "events": meta.log_size, "root": meta.root_hash,
                                                  "message": "intact"})
    written = {"dossier": render_dossier(veteran, meta), "dashboard": render_dashboard(report, meta),
               "hostile": render_dossier(province.status("HB-XSS", DEFAULT_END), meta)}
    for name, html in written.items():
        (folder / f"{name}.html").write_text(html, encoding="utf-8")
    return {name: folder / f"{name}.html" for name in written}


def pdf_pages(pdftotext: str, pdf: Path) -> list[str]:
    """The text of each printed page, spaces removed (pdftotext spaces CJK text unevenly)."""
    done = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    text = done.stdout
    return [re.sub(r"\s+", "", page) for page in text.split("\f") if page.strip()]


def inked(png: Path) -> tuple[int, int]:
    """How many pixels are dark ink, and how many are the red of bars that block promotion."""
    data = Image.open(png).convert("RGB").tobytes()
    dark = red = 0
    for r, g, b in zip(data[0::3], data[1::3], data[2::3]):
        if r + g + b < 240:
            dark += 1
        if abs(r - RED_INK[0]) < 40 and g < 90 and b < 90:
            red += 1
    return dark, red


def test_every_restriction_has_its_bar_in_the_browsers_dom(chromium: str, pages: dict[str, Path],
                                                           veteran: dict[str, Any]) -> None:
    dom = dump_dom(pages["dossier"], chromium)

    assert len(veteran["restrictions"]) + len(veteran["expired_restrictions"]) >= 3
    assert_bars_have_dates_and_chinese_terms(dom, veteran)
    assert elements(dom, "tl-marker") and elements(dom, "tl-grade") and elements(dom, "tl-post")


def test_the_browser_builds_no_element_from_hostile_text(chromium: str, pages: dict[str, Path]) -> None:
    dom = dump_dom(pages["hostile"], chromium)

    assert not {"script", "b", "img", "i"} & set(tags(dom))
    assert "&lt;script&gt;alert('name')&lt;/script&gt;" in dom
    assert 'onload="' not in dom and "onerror=" not in dom.replace("onerror=alert(1)&gt;", "")


def test_the_dossier_screenshot_is_drawn_in_ink_and_red(chromium: str, pages: dict[str, Path],
                                                        tmp_path: Path) -> None:
    dark, red = inked(screenshot(pages["dossier"], tmp_path / "dossier.png", browser=chromium))

    assert dark > 5_000 and red > 300


def test_the_dashboard_screenshot_is_drawn_in_ink_and_red(chromium: str, pages: dict[str, Path],
                                                          tmp_path: Path) -> None:
    shot = screenshot(pages["dashboard"], tmp_path / "dashboard.png", height=1600, browser=chromium)

    dark, red = inked(shot)

    assert dark > 5_000 and red > 300


def test_a_ten_year_dossier_prints_its_timeline_on_one_a4_page(chromium: str, pdftotext: str,
                                                               pages: dict[str, Path], tmp_path: Path,
                                                               veteran: dict[str, Any]) -> None:
    pdf = print_to_pdf(pages["dossier"], tmp_path / "dossier.pdf", browser=chromium)

    printed = pdf_pages(pdftotext, pdf)
    first = printed[0]
    assert min(g["year"] for g in veteran["timeline"]["grades"]) <= DEFAULT_END.year - 9  # ten years
    for top_to_bottom in ("查询日2026-11-20", "职务", "年度考核", "影响期", "影响提拔", "永久/待后续决定", "图1"):
        assert top_to_bottom in first, top_to_bottom
    assert [number for number, page in enumerate(printed) if "其他限制" in page] == [0]  # the legend, once


def test_a_crowded_timeline_still_prints_whole_on_one_page(chromium: str, pdftotext: str, tmp_path: Path,
                                                           meta: PageMeta) -> None:
    cadre = Dossier(cadre="HB-000999", name="李伟", unit="夷陵区", on="2015-01-01")
    for year in range(2015, 2026):
        cadre.org("admonition", f"{year}-03-01")
        cadre.sanction("warning", f"{year}-07-01")
        cadre.record("investigation-open", f"{year}-09-01", case=f"YL-{year}")
        cadre.record("investigation-close", f"{year}-11-01", case=f"YL-{year}")
    status = compose_status(cadre.facts, DEFAULT_END, meta.generated_at, posts={}, handovers=[])
    page = tmp_path / "crowded.html"
    page.write_text(render_dossier(status, meta), encoding="utf-8")

    printed = pdf_pages(pdftotext, print_to_pdf(page, tmp_path / "crowded.pdf", browser=chromium))

    assert len(status["expired_restrictions"]) == 33
    top = [number for number, text in enumerate(printed) if "查询日2026-11-20" in text]
    bottom = [number for number, text in enumerate(printed) if "其他限制" in text]
    assert len(top) == 1 and top == bottom


def test_every_printed_page_shows_page_x_of_y_marking_provenance_and_signature(
        chromium: str, pdftotext: str, pages: dict[str, Path], tmp_path: Path, meta: PageMeta) -> None:
    for name in ("dossier", "dashboard"):
        printed = pdf_pages(pdftotext, print_to_pdf(pages[name], tmp_path / f"{name}.pdf", browser=chromium))

        assert len(printed) >= 2, name
        for number, page in enumerate(printed, 1):
            for text in (f"第{number}页共{len(printed)}页", "内部资料", meta.root_hash, "查询日期2026-11-20",
                         "生成人组织部-王", "审核人", "签字", "日期"):
                assert text in page, (name, number, text)
