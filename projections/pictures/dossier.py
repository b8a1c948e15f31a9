"""One cadre's dossier: the status document (`show --json`, with its timeline) as a printable page."""
from __future__ import annotations

from typing import Any

from ledger.rules.bars import is_promotion_barred
from projections.pictures.career_chart import draw_career
from projections.pictures.labels import Labels
from projections.pictures.meta import PageMeta
from projections.pictures.pages import Cell, Table, cell, render, today_of

RESTRICTION_COLUMNS = ("track", "kind", "effective_on", "ends_on", "end_kind", "bars", "rule", "source")
HANDOVER_COLUMNS = ("title", "announced_on", "due_on", "status", "outgoing", "incoming", "completed_on")


def _identity(status: dict[str, Any], labels: Labels) -> list[tuple[str, Cell]]:
    return [
        (labels["name"], cell(status.get("name"))), (labels["cadre"], cell(status["cadre"])),
        (labels["unit"], cell(status.get("unit"))),
        (labels["post"], cell(status.get("post") or labels.value(None))),
        (labels["post_level"],
         cell(labels.term(status.get("post_level"), "post_levels") or labels.value(None))),
        (labels["rank"], cell(labels.term(status.get("rank"), "ranks"))),
        (labels["staff_category"], cell(labels.term(status.get("staff_category"), "staff_categories"))),
        (labels["party_member"], cell(labels.value(status.get("party_member")))),
        (labels["employment"], cell(labels.term(status.get("employment"), "employment"),
                                    "" if status.get("employment") == "active" else "warn")),
    ]


def _conclusions(status: dict[str, Any], labels: Labels) -> list[tuple[str, Cell]]:
    def flag(key: str, bad: bool) -> tuple[str, Cell]:
        return labels[key], Cell(labels.value(status.get(key)), "warn" if bad else "ok")

    eligible = status.get("rank_promotion_eligible_on")
    return [
        flag("promotable", not status.get("promotable")),
        flag("salary_step_allowed", not status.get("salary_step_allowed")),
        flag("party_rights_suspended", bool(status.get("party_rights_suspended"))),
        (labels["rank_promotion_eligible_on"],
         cell(eligible if eligible is not None else labels.value(None))),
        (labels["pool"], cell(labels.value(status.get("pool")))),
    ]


def _restriction_rows(rows: list[dict[str, Any]], labels: Labels) -> list[list[Cell]]:
    out = []
    for r in rows:
        blocking = "warn" if is_promotion_barred(r["bars"]) else ""
        bars = tuple(labels.term(b, "bars", long=True) for b in r["bars"])
        ends = r["ends_on"] if r["ends_on"] is not None else labels.term(r["end_kind"], "end_kinds")
        out.append([cell(labels.term(r["track"], "tracks")), cell(labels.kind(r), f"{blocking} kind"),
                    cell(r["effective_on"]), cell(ends), cell(labels.term(r["end_kind"], "end_kinds")),
                    Cell("；".join(bars), "bars", bars), cell(r["rule"], "rule"), cell(r["source"], "id")])
    return out


def _tables(status: dict[str, Any], labels: Labels) -> list[Table]:
    timeline = status.get("timeline") or {}
    t = labels.term

    def table(key: str, columns: tuple[str, ...], rows: list[list[Cell]]) -> Table:
        return Table(labels[key], [labels[c] for c in columns], rows, css=f"t-{key}")

    return [
        table("restrictions", RESTRICTION_COLUMNS, _restriction_rows(status.get("restrictions", []), labels)),
        table("expired_restrictions", RESTRICTION_COLUMNS,
              _restriction_rows(status.get("expired_restrictions", []), labels)),
        table("grade_effects", ("year", "effect", "rule", "source"), [
            [cell(e["year"]), cell(t(e["effect"], "grade_effects", long=True), "warn"), cell(e["rule"]),
             cell(e["source"], "id")] for e in status.get("grade_effects", [])]),
        table("flags", ("trigger", "raised_on", "basis", "determination"), [
            [cell(t(f["trigger"], "triggers")), cell(f["raised_on"]),
             cell("、".join(str(b) for b in f["basis"]) if isinstance(f["basis"], list) else f["basis"]),
             cell(f.get("determination") or labels.value(None))] for f in status.get("flags", [])]),
        table("grades", ("year", "grade", "on", "source"), [
            [cell(g["year"]), cell(t(g["grade"], "grades"),
                                   "warn" if g["grade"] in ("basically-competent", "incompetent") else ""),
             cell(g["on"]), cell(g["source"], "id")] for g in timeline.get("grades", [])]),
        table("posts", ("from", "to", "post_title", "post_level", "unit", "source"), [
            [cell(p["from"]), cell(p["to"]), cell(p.get("post")), cell(t(p.get("post_level"), "post_levels")),
             cell(p.get("unit")), cell(p["source"], "id")] for p in timeline.get("posts", [])]),
        table("ranks", ("from", "to", "rank", "source"), [
            [cell(r["from"]), cell(r["to"]), cell(t(r.get("rank"), "ranks")), cell(r["source"], "id")]
            for r in timeline.get("ranks", [])]),
        table("investigations", ("case", "opened_on", "closed_on", "outcome", "source"), [
            [cell(i.get("case")), cell(i["opened_on"]), cell(i.get("closed_on")),
             cell(t(i.get("outcome"), "investigation_outcomes")), cell(i["source"], "id")]
            for i in timeline.get("investigations", [])]),
        table("handovers", HANDOVER_COLUMNS, [
            [cell(h["post"]), cell(h["announced_on"]), cell(h["due_on"]),
             cell(t(h["status"], "handover_statuses"),
                  "warn" if h["status"] in ("overdue", "completed-late") else ""),
             cell(h.get("outgoing")), cell(h.get("incoming")), cell(h.get("completed_on"))]
            for h in status.get("handovers", [])]),
        table("findings", ("kind", "rule", "raised_on", "detail", "source"), [
            [cell(t(f["kind"], "finding_kinds"), "warn"), cell(f.get("rule")), cell(f.get("raised_on")),
             cell(f.get("detail")), cell(f.get("source"), "id")] for f in status.get("findings", [])]),
        table("commendations", ("on", "kind", "doc"), [
            [cell(c["on"]), cell(t(c["kind"], "commendation_kinds")), cell(c.get("doc"))]
            for c in status.get("commendations", [])]),
    ]


def render_dossier(status: dict[str, Any], meta: PageMeta, lang: str = "zh") -> str:
    """A cadre's dossier as one self-contained HTML page: identity, conclusions, timeline and tables."""
    labels = Labels(lang)
    title = meta.title or labels["dossier_title"]
    name = status.get("name") or ""
    opening, closing = ("（", "）") if lang == "zh" else (" (", ")")
    unit = f" · {status['unit']}" if status.get("unit") else ""
    subtitle = f"{name}{opening}{status['cadre']}{closing}{unit}"
    chart = draw_career(status, today_of(meta), labels)
    return render("dossier.html.j2", meta, labels, title, subtitle,
                  header=f"{title} · {name} {status['cadre']}",
                  page_class="dossier",
                  identity=_identity(status, labels), conclusions=_conclusions(status, labels), chart=chart,
                  tables=[t for t in _tables(status, labels) if t.rows])
