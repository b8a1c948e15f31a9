"""The dashboard page and the counts behind it, on a demo province."""
from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ledger.demo import DEFAULT_END
from ledger.integrity.front import summarize, verify_ledger
from ledger.rules.periods import add_months
from projections.pictures import PageMeta, render_dashboard
from projections.reader import Reader
from projections.report import first_report
from tests.pictures.dom import elements, tags

INTACT = {"ok": True, "events": 1, "root": "00", "message": "intact"}


@pytest.fixture(scope="module")
def report(province: Reader) -> dict[str, Any]:
    return first_report(province, DEFAULT_END, INTACT)


def test_restrictions_ending_per_month_agree_with_the_status_documents(province: Reader,
                                                                       report: dict[str, Any]) -> None:
    window_end = add_months(DEFAULT_END.replace(day=1), 12)
    by_month: dict[str, int] = {}
    for row in province.list_cadres(DEFAULT_END):
        for r in province.status(row["cadre"], DEFAULT_END)["restrictions"]:
            if r["ends_on"] is not None and r["ends_on"] < window_end:
                by_month[r["ends_on"].isoformat()[:7]] = by_month.get(r["ends_on"].isoformat()[:7], 0) + 1

    counted = {m["month"]: m["ending"] for m in report["ending_by_month"] if m["ending"]}

    assert counted == by_month and sum(by_month.values()) > 0


def test_not_promotable_by_unit_adds_up_to_the_report_total(report: dict[str, Any]) -> None:
    rows = report["not_promotable_by_unit"]

    assert sum(r["not_promotable"] for r in rows) == report["not_promotable"]
    assert sum(r["cadres"] for r in rows) == report["cadres"]


def test_the_first_report_keeps_its_keys_and_adds_the_dashboards(report: dict[str, Any]) -> None:
    kept = {"as_of", "cadres", "not_promotable", "expiring", "flags_awaiting_determination",
            "overdue_handovers", "overdue_inquiries", "findings_by_kind", "findings", "integrity"}
    assert kept < set(report)
    assert {"unit", "expiring_restrictions", "ending_by_month", "not_promotable_by_unit"} < set(report)
    assert {r["cadre"] for r in report["expiring_restrictions"]} == {r["cadre"] for r in report["expiring"]}


def test_a_unit_report_counts_only_that_units_cadres(province: Reader, report: dict[str, Any]) -> None:
    unit = max(report["not_promotable_by_unit"], key=lambda r: (r["not_promotable"], r["unit"]))["unit"]

    mine = first_report(province, DEFAULT_END, INTACT, unit=unit)

    assert mine["unit"] == unit and [r["unit"] for r in mine["not_promotable_by_unit"]] == [unit]
    assert {r["unit"] for r in mine["expiring"] + mine["overdue_handovers"]} <= {unit}
    cadres = {r["cadre"] for r in province.list_cadres(DEFAULT_END, unit=unit)}
    posts = {h["post"] for h in province.handovers(DEFAULT_END, unit=unit)}
    assert all(f["cadre"] in cadres or f["post"] in posts for f in mine["findings"])
    assert mine["cadres"] == len(cadres) < report["cadres"]


def test_the_page_draws_twelve_months_the_units_the_findings_and_lists_overdue_handovers(
        report: dict[str, Any], meta: PageMeta) -> None:
    html = render_dashboard(report, meta)

    months = elements(html, "month")
    assert [m.attrs["data-month"] for m in months] == [r["month"] for r in report["ending_by_month"]]
    assert [int(m.attrs["data-ending"]) for m in months] == [r["ending"] for r in report["ending_by_month"]]
    units = [r["unit"] for r in report["not_promotable_by_unit"] if r["not_promotable"]][:15]
    assert [b.attrs["data-key"] for b in elements(html, "bar-row")][:len(units)] == units
    assert {b.attrs["data-key"] for b in elements(html, "bar-row")} >= set(report["findings_by_kind"])
    overdue = elements(html, "t-overdue")
    assert len(overdue) == (1 if report["overdue_handovers"] else 0)
    for handover in report["overdue_handovers"]:
        assert handover["due_on"] in overdue[0].text and "逾期" in overdue[0].text


def test_the_page_shows_its_scope_marking_and_provenance(report: dict[str, Any], meta: PageMeta) -> None:
    html = render_dashboard(report, meta)

    for text in ("干部监督工作看板", "范围：全部单位", "内部资料", meta.root_hash, "2026-11-20", "组织部-王", "审核人"):
        assert text in html
    assert not {"script", "link", "img"} & set(tags(html))


def test_a_unit_page_names_its_unit_and_refuses_another_units_report(province: Reader,
                                                                     meta: PageMeta) -> None:
    unit = province.list_cadres(DEFAULT_END)[0]["unit"]
    mine = first_report(province, DEFAULT_END, INTACT, unit=unit)

    assert f"范围：{unit}" in render_dashboard(mine, meta, unit=unit)
    with pytest.raises(ValueError, match="report is for unit"):
        render_dashboard(mine, meta, unit="另一个单位")


def test_no_restriction_ending_says_so_instead_of_an_empty_chart(report: dict[str, Any],
                                                                 meta: PageMeta) -> None:
    quiet = {**report, "ending_by_month": [{**m, "ending": 0, "blocking_promotion": 0, "cadres": 0}
                                           for m in report["ending_by_month"]]}

    assert "未来十二个月无影响期届满" in render_dashboard(quiet, meta)


def test_english_dashboard(report: dict[str, Any], meta: PageMeta) -> None:
    html = render_dashboard(report, meta, lang="en")

    assert "Cadre supervision dashboard" in html and "Scope: all units" in html
    assert date(2026, 11, 20).isoformat() in html


def test_the_pages_log_size_and_root_are_what_verify_recomputes(province: Reader, meta: PageMeta) -> None:
    verified = summarize(verify_ledger(province.app.session))

    assert verified["ok"]
    assert (meta.log_size, meta.root_hash) == (verified["events"], verified["root"])
