"""The dashboard: the first report (`projections.report.first_report`) as a printable page with charts."""
from __future__ import annotations

from datetime import date
from typing import Any

from markupsafe import Markup

from projections.pictures.charts import Bar, Column, bars, month_columns
from projections.pictures.labels import Labels
from projections.pictures.meta import PageMeta
from projections.pictures.pages import Cell, Table, cell, render
from projections.pictures.palette import ACCENT
from projections.pictures.text import as_date

TOP_UNITS = 15
LISTED = 25
OVERDUE_COLUMNS = ("title", "unit", "announced_on", "due_on", "days_overdue", "outgoing", "incoming")
ENDING_COLUMNS = ("cadre", "name", "unit", "track", "kind", "ends_on", "source")


def _columns(report: dict[str, Any], labels: Labels) -> list[Column]:
    columns = []
    for index, row in enumerate(report.get("ending_by_month", [])):
        year, month = (int(part) for part in row["month"].split("-"))
        columns.append(Column(row["month"], labels.fmt("month_label", month=month),
                              str(year) if index == 0 or month == 1 else "", row["blocking_promotion"],
                              row["ending"] - row["blocking_promotion"]))
    return columns


def _units(report: dict[str, Any], labels: Labels) -> tuple[list[Bar], int]:
    """The units with the most cadres not promotable (those with none are left out), and how many more."""
    rows = [r for r in report.get("not_promotable_by_unit", []) if r["not_promotable"]]
    shown = [Bar(r["unit"], r["unit"], r["not_promotable"], r["cadres"],
                 labels.fmt("of_total", count=r["not_promotable"], total=r["cadres"]))
             for r in rows[:TOP_UNITS]]
    return shown, max(len(rows) - TOP_UNITS, 0)


def _findings(report: dict[str, Any], labels: Labels) -> list[Bar]:
    counts = sorted(report.get("findings_by_kind", {}).items(), key=lambda kv: (-kv[1], kv[0]))
    return [Bar(kind, labels.term(kind, "finding_kinds"), n,
                hint=labels.term(kind, "finding_kinds", long=True)) for kind, n in counts]


def _kpis(report: dict[str, Any], labels: Labels) -> list[tuple[str, str, str]]:
    def kpi(key: str, value: int, warn: bool = False) -> tuple[str, str, str]:
        return labels[key], f"{value:,}", "warn" if warn and value else ""

    return [kpi("kpi_cadres", report["cadres"]), kpi("kpi_not_promotable", report["not_promotable"], True),
            kpi("kpi_expiring", len(report["expiring"])),
            kpi("kpi_flags", len(report["flags_awaiting_determination"])),
            kpi("kpi_overdue", len(report["overdue_handovers"]), True),
            kpi("kpi_findings", len(report["findings"]))]


def _tables(report: dict[str, Any], labels: Labels, as_of: date) -> list[Table]:
    handovers = []
    for h in report["overdue_handovers"]:
        due = as_date(h["due_on"])
        late = f"{(as_of - due).days:,}" if due is not None else ""
        handovers.append([cell(h.get("title") or h["post"]), cell(h.get("unit")), cell(h["announced_on"]),
                          cell(h["due_on"]), Cell(late, "num warn"), cell(h.get("outgoing")),
                          cell(h.get("incoming"))])
    ending = report.get("expiring_restrictions", [])
    expiring = [[cell(r["cadre"], "id"), cell(r["name"]), cell(r["unit"]),
                 cell(labels.term(r["track"], "tracks")),
                 cell(labels.kind(r), "warn" if r["blocks_promotion"] else ""), cell(r["ends_on"]),
                 cell(r["source"], "id")] for r in ending[:LISTED]]
    more = len(ending) - LISTED
    return [
        Table(labels["overdue_handovers"], [labels[c] for c in OVERDUE_COLUMNS], handovers, css="t-overdue"),
        Table(labels["expiring"], [labels[c] for c in ENDING_COLUMNS], expiring, css="t-expiring",
              note=labels.fmt("more_rows", count=more) if more > 0 else ""),
    ]


def _integrity(report: dict[str, Any], labels: Labels) -> Cell:
    found = report.get("integrity") or {}
    if not found:
        return Cell("")
    if labels.lang == "zh" and found.get("ok"):
        return Cell(f"完整：{found.get('events', 0):,} 条事件，根哈希 {found.get('root', '')}", "ok")
    return Cell(str(found.get("message", "")), "" if found.get("ok") else "warn")


def render_dashboard(report: dict[str, Any], meta: PageMeta, lang: str = "zh",
                     unit: str | None = None) -> str:
    """The dashboard as one self-contained HTML page: figures, charts, overdue handovers, ends soon.

    `report` is `first_report(app, as_of, integrity, unit=unit)`; `unit` names the scope printed on the
    page and must be the report's own.
    """
    labels = Labels(lang)
    if unit is not None and report.get("unit") not in (None, unit):
        raise ValueError(f"the report is for unit {report.get('unit')}, not {unit}")
    scope = (unit if unit is not None else report.get("unit")) or labels["all_units"]
    title = meta.title or labels["dashboard_title"]
    subtitle = f"{labels['unit_scope']}{'：' if lang == 'zh' else ': '}{scope}"
    units, hidden = _units(report, labels)
    findings = _findings(report, labels)
    months = month_columns(_columns(report, labels), labels, labels["none_ending"])
    charts: list[tuple[str, Markup, str]] = [
        (labels["chart_months"], months, ""),
        (labels["chart_units"], bars(units, labels["chart_units"]) if units else Markup(),
         labels.fmt("more_units", count=hidden) if hidden else ("" if units else labels["no_data"])),
        (labels["chart_findings"],
         bars(findings, labels["chart_findings"], colour=ACCENT) if findings else Markup(),
         "" if findings else labels["no_data"]),
    ]
    as_of = as_date(report["as_of"]) or meta.as_of
    tables = [t for t in _tables(report, labels, as_of) if t.rows]
    return render("dashboard.html.j2", meta, labels, title, subtitle, header=f"{title} · {scope}",
                  page_class="dashboard", kpis=_kpis(report, labels), charts=charts,
                  integrity=_integrity(report, labels), tables=tables)
