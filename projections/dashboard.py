"""The dashboard as text (what `demo` and `dashboard` print): a summary line, then one short table per concern."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ledger import vocab
from projections.details import with_details
from projections.render import View, number, to_table

ROWS_SHOWN = 15
# key -> (English title, Chinese title, columns)
SECTIONS: dict[str, tuple[str, str, list[str]]] = {
    "expiring": ("Restrictions ending in the next 90 days (re-use review, R-REUSE)",
                 "90日内解除的影响期（期满使用审查，R-REUSE）", ["cadre", "name", "unit", "expiring"]),
    "flags_awaiting_determination": ("Triggers awaiting determination (R-TRIGGER)",
                                     "待认定的调整触发情形（R-TRIGGER）",
                                     ["cadre", "name", "trigger", "raised_on", "basis"]),
    "overdue_handovers": ("Overdue handovers (R-HANDOVER)", "逾期未办结的工作交接（R-HANDOVER）",
                          ["post", "unit", "announced_on", "due_on", "outgoing", "incoming"]),
    "overdue_inquiries": ("Overdue inquiry replies (R-REPORT-DUE)", "逾期未回复的函询（R-REPORT-DUE）",
                          ["cadre", "report", "letter_received_on", "reply_due_on"]),
    "findings": ("Audit findings, the latest first", "审计发现（按触发日期由近及远）",
                 ["raised_on", "kind", "source", "cadre", "post", "rule", "detail"]),
}


def dashboard_text(r: Mapping[str, Any], view: View | None = None) -> str:
    """The dashboard of `projections.report.first_report` as text in the view's language."""
    view = view or View()
    zh = view.lang == "zh"
    out = [view.paint(_headline(r, zh), "title")]
    for key, (en_title, zh_title, columns) in SECTIONS.items():
        rows = list(r[key])
        if not rows and not view.all:
            continue
        title = f"{zh_title}：{number(len(rows))}" if zh else f"{en_title}: {number(len(rows))}"
        if key == "findings" and r["findings_by_kind"]:
            title += _kinds(r["findings_by_kind"], zh)
        shown = rows if view.wide else rows[:ROWS_SHOWN]
        if key == "findings":
            shown = with_details(shown, view.lang)
        out += ["", view.paint(f"== {title}", "title"), to_table(shown, columns, view, section=key)]
        if len(shown) < len(rows):
            more = len(rows) - len(shown)
            out.append(f"… 另有 {number(more)} 条（--wide 显示全部）" if zh else
                       f"… and {number(more)} more (--wide shows all)")
    integrity = r["integrity"]
    verdict = ("完整性校验：未发现篡改" if integrity["ok"] else "完整性校验：发现篡改") if zh else "Integrity"
    joined = " — " if zh else ": "
    out += ["", view.paint(f"== {verdict}{joined}{integrity['message']}", "good" if integrity["ok"] else "bad")]
    return "\n".join(out)


def _headline(r: Mapping[str, Any], zh: bool) -> str:
    counts = {key: number(len(r[key])) for key in SECTIONS}
    where = f"{r['unit']} " if r.get("unit") else ""
    if zh:
        return (f"干部监督台账 — {where}截至 {r['as_of']}：干部 {number(r['cadres'])} 人，不可提拔 "
                f"{number(r['not_promotable'])} 人；90日内解除影响期 {counts['expiring']} 人，待认定情形 "
                f"{counts['flags_awaiting_determination']} 项，逾期交接 {counts['overdue_handovers']} 项，"
                f"逾期函询 {counts['overdue_inquiries']} 件，审计发现 {counts['findings']} 项")
    return (f"Cadre ledger — {where}report as of {r['as_of']}: {number(r['cadres'])} cadres, "
            f"{number(r['not_promotable'])} not promotable; {counts['expiring']} with restrictions ending within "
            f"90 days, {counts['flags_awaiting_determination']} triggers awaiting determination, "
            f"{counts['overdue_handovers']} overdue handovers, {counts['overdue_inquiries']} overdue inquiry "
            f"replies, {counts['findings']} audit findings")


def _kinds(by_kind: Mapping[str, int], zh: bool) -> str:
    if zh:
        return "（" + "，".join(f"{vocab.display(k, group='finding_kinds')} {number(n)}"
                               for k, n in sorted(by_kind.items())) + "）"
    return " (" + ", ".join(f"{k} {number(n)}" for k, n in sorted(by_kind.items())) + ")"
