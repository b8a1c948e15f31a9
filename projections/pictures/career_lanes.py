"""The timeline's lanes: posts and ranks held, grades, grade effects, restrictions and handovers."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from ledger.rules.bars import is_promotion_barred
from projections.pictures import svg
from projections.pictures.canvas import FONT, LABEL_RIGHT, SMALL, Canvas, beside, centred, inside
from projections.pictures.palette import ACCENT, GREY, INK, PALE, PALE_ACCENT, RED, RULE, WHITE, grade_style
from projections.pictures.text import as_date, day_text, fit

TAIL = 5.0  # the fade drawn after the query date on what is still held then
Row = dict[str, Any]


def held(canvas: Canvas, rows: Sequence[Row], label: str, height: float, caption: Callable[[Row], str],
         as_of: date, css: str) -> None:
    """A lane of stretches held one after another (posts, ranks), the last fading after the query date."""
    axis, y = canvas.axis, canvas.y
    canvas.lane_label(height, label)
    for index, row in enumerate(rows):
        start, end = as_date(row["from"]), as_date(row["to"])
        x0, x1 = axis.x(start) if start else axis.left, axis.x(end or as_of)
        text = ("‹ " if start is not None and start < axis.start else "") + caption(row)
        elements = [svg.title(f"{day_text(start)} – {day_text(end) or '…'} {text}"),
                    svg.rect(x0, y + 0.4, x1 - x0, height - 0.8, fill=PALE if index % 2 else PALE_ACCENT,
                             stroke=ACCENT, stroke_width=0.15)]
        if end is None:
            elements.append(svg.rect(x1, y + 0.4, min(TAIL, axis.right - x1), height - 0.8,
                                     fill="url(#tl-fade-pale)"))
        elements.append(inside(x0, x1, y, height, text, INK))
        canvas.add(svg.group(elements, class_=css, data_from=day_text(start), data_to=day_text(end)))
    canvas.y += height


def grades(canvas: Canvas, rows: Sequence[Row], height: float) -> None:
    """Each year's assessment grade as a cell of that year."""
    axis, labels, y = canvas.axis, canvas.labels, canvas.y
    canvas.lane_label(height, labels["lane_grades"])
    for grade in rows:
        if not axis.start.year <= grade["year"] < axis.end.year:
            continue
        x0, x1 = axis.year_span(grade["year"])
        fill, ink = grade_style(grade["grade"])
        term = labels.term(grade["grade"], "grades")
        canvas.add(svg.group([
            svg.title(f"{grade['year']} {term} ({grade['source']})"),
            svg.rect(x0 + 0.3, y + 0.4, x1 - x0 - 0.6, height - 0.8, fill=fill, stroke=RULE,
                     stroke_width=0.15),
            *centred(x0, x1, y, height, term, ink)], class_="tl-grade", data_year=grade["year"]))
    canvas.y += height


def effects(canvas: Canvas, rows: Sequence[Row], height: float) -> None:
    """The most severe grade effect of each year (the status lists it first), dashed in red."""
    axis, labels, y = canvas.axis, canvas.labels, canvas.y
    canvas.lane_label(height, labels["lane_effects"], strong=False)
    seen: set[int] = set()
    for effect in rows:
        if effect["year"] in seen or not axis.start.year <= effect["year"] < axis.end.year:
            continue
        seen.add(effect["year"])
        x0, x1 = axis.year_span(effect["year"])
        term = labels.term(effect["effect"], "grade_effects")
        canvas.add(svg.group([
            svg.title(f"{effect['year']} {labels.term(effect['effect'], 'grade_effects', long=True)}"),
            svg.rect(x0 + 0.3, y + 0.5, x1 - x0 - 0.6, height - 1.0, fill=WHITE, stroke=RED, stroke_width=0.2,
                     stroke_dasharray="0.8 0.5"),
            *centred(x0, x1, y, height, term, RED)], class_="tl-effect", data_year=effect["year"]))
    canvas.y += height


def restriction(canvas: Canvas, row: Row, running: bool, height: float, case: str | None = None) -> None:
    """One restriction's bar from its effective date to its first clear day (open ends fade out)."""
    axis, labels, y = canvas.axis, canvas.labels, canvas.y
    start, end = as_date(row["effective_on"]), as_date(row["ends_on"])
    blocking = is_promotion_barred(row["bars"])
    colour = RED if blocking else ACCENT
    x0 = axis.x(start) if start else axis.left
    x1 = axis.right if end is None else axis.x(end)
    kind, track = case or labels.kind(row), labels.term(row["track"], "tracks")
    if end is None:
        dates = labels.fmt("open_end", day=day_text(start), end=labels.term(row["end_kind"], "end_kinds"))
        fill = f"url(#tl-fade-{'red' if blocking else 'accent'})"
    else:
        dates, fill = labels.fmt("span", start=day_text(start), end=day_text(end)), colour
    bars = labels.joined(labels.term(b, "bars") for b in row["bars"])
    bar_h = height * 0.62
    top = y + (height - bar_h) / 2
    small, font = min(SMALL, height * 0.72), min(FONT, height * 0.8)  # crowded rows take smaller type
    elements = [
        svg.title(f"{kind} · {track} · {dates} · {bars} · {row['rule']} · {row['source']}"),
        svg.text(0.6, y + height / 2 + small * 0.35, fit(track, 11, small), font_size=small, fill=GREY),
        svg.text(LABEL_RIGHT, y + height / 2 + font * 0.35, fit(kind, LABEL_RIGHT - 12, font),
                 font_size=font, text_anchor="end", fill=INK),
        svg.rect(x0, top, max(x1 - x0, 0.6), bar_h, fill=fill, fill_opacity=1 if running else 0.35,
                 stroke=colour if not running and end is not None else None, stroke_width=0.15, class_="bar"),
        beside(x0, x1, top, bar_h, dates, WHITE, small),
    ]
    canvas.add(svg.group(elements, class_="tl-restriction", data_source=row["source"],
                         data_effective_on=day_text(start), data_ends_on=day_text(end),
                         data_end_kind=row["end_kind"], data_track=row["track"], data_kind=row["kind"],
                         data_bars=" ".join(row["bars"]), data_state="running" if running else "expired",
                         data_blocks_promotion=blocking))
    canvas.y += height


def handover(canvas: Canvas, row: Row, cadre: str, height: float) -> None:
    """A handover from its announcement to its completion (or due date), red when late."""
    axis, labels, y = canvas.axis, canvas.labels, canvas.y
    announced, due = as_date(row["announced_on"]), as_date(row["due_on"])
    done = as_date(row.get("completed_on"))
    colour = RED if row["status"] in ("overdue", "completed-late") else ACCENT
    x0 = axis.x(announced) if announced else axis.left
    x1 = max(axis.x(done or due or announced or axis.start), x0 + 0.8)
    role = labels["role_outgoing"] if row.get("outgoing") == cadre else labels["role_incoming"]
    status = labels.term(row["status"], "handover_statuses")
    mid = y + height / 2
    diamond = f"M{svg.number(x0)} {svg.number(mid - 1.1)} l1.1 1.1 l-1.1 1.1 l-1.1 -1.1 z"
    canvas.add(svg.group([
        svg.title(f"{row['post']} {role} {day_text(announced)} → {day_text(due)} {status}"),
        svg.text(LABEL_RIGHT, mid + SMALL * 0.35, fit(row["post"], LABEL_RIGHT - 12, SMALL), font_size=SMALL,
                 text_anchor="end", fill=INK),
        svg.line(x0, mid, x1, mid, stroke=colour, stroke_width=0.6),
        svg.tag("path", d=diamond, fill=colour),
        beside(x0, x1, y, height, f"{day_text(announced)} {role} · {status}", WHITE),
    ], class_="tl-handover", data_post=row["post"], data_announced_on=day_text(announced),
        data_status=row["status"]))
    canvas.y += height
