"""The dossier page: every restriction drawn with its dates, the page self-contained and escaped."""
from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from ledger.demo import DEFAULT_END
from ledger.rules.bars import is_promotion_barred
from ledger.status import compose_status
from projections.pictures import PageMeta, render_dossier
from projections.pictures.palette import ACCENT, RED
from projections.reader import Reader
from projections.render import dumps
from tests.pictures.checks import assert_bars_have_dates_and_chinese_terms, restriction_bars
from tests.pictures.dom import elements, tags
from tests.unit.factories import Dossier

AS_OF = date(2026, 6, 1)
META = PageMeta(as_of=AS_OF, known_at=datetime(2026, 6, 2, 8, 30, tzinfo=UTC), log_size=1234,
                root_hash="ab" * 32, actor="纪委-李",
                generated_at=datetime(2026, 6, 3, 1, 0, tzinfo=UTC))


@pytest.fixture(scope="module")
def troubled() -> dict[str, Any]:
    """A status with an expired, a running, a pending and a permanent restriction, grades and a case."""
    cadre = Dossier(cadre="HB-000777", name="王芳", unit="夷陵区", post="副区长", on="2017-01-01")
    cadre.assess(2019, "basically-competent", id="a-2019")
    cadre.assess(2020, "competent", id="a-2020")
    cadre.sanction("demerit", "2021-03-10", id="s-2021")
    cadre.record("investigation-open", "2024-04-01", id="inv-1", case="YL-2024-3")
    cadre.sanction("party-probation", "2025-02-01", id="p-2025", period_months=12)
    cadre.record("employment-end", "2026-03-01", id="end-1", reason="retirement")
    return compose_status(cadre.facts, AS_OF, META.generated_at, posts={}, handovers=[
        {"post": "YL-DEPUTY", "announced_on": date(2025, 9, 1), "due_on": date(2025, 9, 15),
         "status": "overdue", "outgoing": "HB-000777", "incoming": "HB-000778", "completed_on": None}])


def test_every_restriction_has_its_bar_with_dates_and_chinese_terms(troubled: dict[str, Any]) -> None:
    kinds = {r["end_kind"] for r in troubled["restrictions"] + troubled["expired_restrictions"]}

    html = render_dossier(troubled, META)

    assert kinds == {"date", "pending", "permanent"}
    assert_bars_have_dates_and_chinese_terms(html, troubled)


def test_open_ended_restrictions_fade_out_and_dated_ones_do_not(troubled: dict[str, Any]) -> None:
    html = render_dossier(troubled, META)

    for row, bar in restriction_bars(html, troubled):
        rect = elements(bar_markup(html, row["source"], bar.attrs["data-effective-on"]), "bar")[0]
        assert rect.attrs["fill"].startswith("url(#tl-fade-") == (row["ends_on"] is None), row["source"]


def bar_markup(html: str, source: str, effective_on: str) -> str:
    """The markup of one restriction's group."""
    start = html.index(f'data-source="{source}" data-effective-on="{effective_on}"')
    start = html.rindex("<g", 0, start)
    return html[start:html.index("</g>", start) + 4]


def test_bars_that_block_promotion_are_red_and_the_others_in_the_accent(troubled: dict[str, Any]) -> None:
    salary_only = {"source": "s-salary", "track": "state", "kind": "demerit",
                   "effective_on": date(2022, 5, 1), "end_kind": "date", "ends_on": date(2023, 5, 1),
                   "bars": ["salary-step"], "rule": "R-STATE"}
    status = {**troubled, "expired_restrictions": [*troubled["expired_restrictions"], salary_only]}

    html = render_dossier(status, META)

    for row, bar in restriction_bars(html, status):
        markup = bar_markup(html, row["source"], bar.attrs["data-effective-on"])
        fill = elements(markup, "bar")[0].attrs["fill"]
        expected = RED if is_promotion_barred(row["bars"]) else ACCENT
        assert fill in (expected, f"url(#tl-fade-{'red' if expected == RED else 'accent'})"), row["source"]
    assert bar_markup(html, "s-salary", "2022-05-01").count(ACCENT) >= 1


def test_the_query_date_and_today_are_marked(troubled: dict[str, Any]) -> None:
    markers = elements(render_dossier(troubled, META), "tl-marker")

    assert {m.attrs["data-day"] for m in markers} == {"2026-06-01", "2026-06-03"}
    assert any("查询日 2026-06-01" in m.text for m in markers)
    assert any("今日 2026-06-03" in m.text for m in markers)


def test_grades_posts_ranks_and_handovers_are_on_the_timeline(troubled: dict[str, Any]) -> None:
    html = render_dossier(troubled, META)

    assert [g.attrs["data-year"] for g in elements(html, "tl-grade")] == ["2019", "2020"]
    assert "基本称职" in elements(html, "tl-grade")[0].text
    assert [p.attrs["data-from"] for p in elements(html, "tl-post")] == ["2017-01-01"]
    assert len(elements(html, "tl-rank")) == 1
    [handover] = elements(html, "tl-handover")
    assert (handover.attrs["data-status"], "已逾期" in handover.text) == ("overdue", True)


def test_every_page_carries_marking_provenance_signature_and_page_numbers(troubled: dict[str, Any]) -> None:
    html = render_dossier(troubled, META)
    style = html[html.index("<style>"):html.index("</style>")]

    for text in ("内部资料", "2026-06-01", "2026-06-02 16:30:00 UTC+8", "1,234", "ab" * 32, "纪委-李",
                 "2026-06-03 09:00:00 UTC+8", "审核人", "签字", "日期"):
        assert text in html
    assert "counter(page)" in style and "counter(pages)" in style and "size: A4" in style
    assert "@top-left" in style and "@bottom-right" in style


def test_the_page_is_self_contained_with_no_script_and_nothing_fetched(troubled: dict[str, Any]) -> None:
    html = render_dossier(troubled, META)

    assert not {"script", "link", "img", "iframe", "object"} & set(tags(html))
    assert "@import" not in html and " src=" not in html and "href=" not in html
    assert html.replace("http://www.w3.org/2000/svg", "").count("http") == 0


def test_english_labels_with_lang_en(troubled: dict[str, Any]) -> None:
    html = render_dossier(troubled, META, lang="en")

    assert '<html lang="en">' in html
    assert "Restrictions running" in html and "Cadre supervision dossier" in html
    assert "影响期（进行中）" not in html and "内部资料" in html


def test_an_unknown_language_is_refused(troubled: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="zh, en"):
        render_dossier(troubled, META, lang="fr")


def test_the_status_document_read_back_from_json_draws_the_same_page(troubled: dict[str, Any]) -> None:
    from_json = json.loads(dumps(troubled))

    assert render_dossier(from_json, META) == render_dossier(troubled, META)


def test_hostile_names_units_posts_and_ids_are_escaped(province: Reader, meta: PageMeta) -> None:
    status = province.status("HB-XSS", DEFAULT_END)

    html = render_dossier(status, meta)

    assert not {"script", "b", "img", "i"} & set(tags(html))
    assert html.count("</style>") == 1
    assert "&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;" in html
    assert "&#34;onload=alert(1) x=&#34;" in html and 'onload="' not in html
    assert "xss-&lt;b&gt;1" in html
    assert_bars_have_dates_and_chinese_terms(html, status)
