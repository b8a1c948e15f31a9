"""The dossier's timeline: posts, ranks, grades, restrictions, investigations and handovers on one axis."""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from markupsafe import Markup

from ledger.rules.bars import is_promotion_barred
from projections.pictures import svg
from projections.pictures.axis import TimeAxis
from projections.pictures.labels import Labels
from projections.pictures.palette import ACCENT, GREY, INK, PALE, RED, RULE, WHITE, grade_style
from projections.pictures.text import as_date, day_text, fit, text_width

WIDTH = 180.0
LABEL_RIGHT, PLOT_LEFT, PLOT_RIGHT = 35.0, 37.0, 178.0
FONT, SMALL = 2.6, 2.25
LANES_TOP = 13.5
MAX_HEIGHT = 172.0  # what is left of page 1 under the heading and the identity table
ROW_MAX, ROW_MIN = 5.4, 2.9
TAIL = 5.0  # the fade drawn after the query date on what is still held then


@dataclass
class Canvas:
    """The elements drawn so far and the next free height."""

    axis: TimeAxis
    labels: Labels
    y: float = LANES_TOP
    parts: list[Markup] = field(default_factory=list)

    def add(self, *elements: Markup) -> None:
        self.parts.extend(elements)


def _restrictions(status: dict[str, Any]) -> list[tuple[dict[str, Any], bool]]:
    """Every restriction of the status, running or expired, in order of its effective date."""
    rows = [(r, True) for r in status.get("restrictions", [])]
    rows += [(r, False) for r in status.get("expired_restrictions", [])]
    return sorted(rows, key=lambda item: (day_text(item[0]["effective_on"]), item[0]["source"]))


def _axis(status: dict[str, Any], today: date) -> TimeAxis:
    timeline = status.get("timeline") or {}
    days: list[date | None] = [as_date(status["as_of"]), today, as_date(timeline.get("registered_on"))]
    for row, _ in _restrictions(status):
        days += [as_date(row["effective_on"]), as_date(row["ends_on"])]
    days += [date(g["year"], 6, 30) for g in timeline.get("grades", [])]
    days += [as_date(h.get("announced_on")) for h in status.get("handovers", [])]
    return TimeAxis.around(days, PLOT_LEFT, PLOT_RIGHT)


def _lane_label(canvas: Canvas, y: float, height: float, label: str, strong: bool = True) -> None:
    canvas.add(svg.text(LABEL_RIGHT, y + height / 2 + FONT * 0.35, fit(label, LABEL_RIGHT - 1, FONT),
                        font_size=FONT, text_anchor="end", fill=INK if strong else GREY,
                        font_weight=600 if strong else None))


def _segment_text(x0: float, x1: float, y: float, height: float, label: str, fill: str) -> Markup:
    shown = fit(label, x1 - x0 - 1.2, SMALL)
    return svg.text(x0 + 0.6, y + height / 2 + SMALL * 0.35, shown, font_size=SMALL, fill=fill) if shown else Markup()


def _held(canvas: Canvas, rows: Sequence[dict[str, Any]], label: str, height: float, caption: Any,
          as_of: date, css: str) -> None:
    """A lane of stretches held one after another (posts, ranks), the last fading after the query date."""
    axis, y = canvas.axis, canvas.y
    _lane_label(canvas, y, height, label)
    for index, row in enumerate(rows):
        start, end = as_date(row["from"]), as_date(row["to"])
        x0, x1 = axis.x(start) if start else axis.left, axis.x(end or as_date(as_of) or axis.end)
        shade = PALE if index % 2 else "#e3e9ef"
        text = caption(row)
        if start is not None and start < axis.start:
            text = "‹ " + text
        elements = [svg.title(f"{day_text(start)} – {day_text(end) or '…'} {text}"),
                    svg.rect(x0, y + 0.4, x1 - x0, height - 0.8, fill=shade, stroke=ACCENT, stroke_width=0.15)]
        if end is None:
            elements.append(svg.rect(x1, y + 0.4, min(TAIL, axis.right - x1), height - 0.8, fill="url(#tl-fade-pale)"))
        elements.append(_segment_text(x0, x1, y, height, text, INK))
        canvas.add(svg.group(elements, class_=css, data_from=day_text(start), data_to=day_text(end)))
    canvas.y += height


def _grades(canvas: Canvas, status: dict[str, Any], height: float) -> None:
    axis, labels, y = canvas.axis, canvas.labels, canvas.y
    _lane_label(canvas, y, height, labels["lane_grades"])
    for grade in (status.get("timeline") or {}).get("grades", []):
        if not axis.start.year <= grade["year"] < axis.end.year:
            continue
        x0, x1 = axis.year_span(grade["year"])
        fill, ink = grade_style(grade["grade"])
        term = labels.term(grade["grade"], "grades")
        canvas.add(svg.group([
            svg.title(f"{grade['year']} {term} ({grade['source']})"),
            svg.rect(x0 + 0.3, y + 0.4, x1 - x0 - 0.6, height - 0.8, fill=fill, stroke=RULE, stroke_width=0.15),
            *_centred(x0, x1, y, height, term, ink)], class_="tl-grade", data_year=grade["year"]))
    canvas.y += height


def _centred(x0: float, x1: float, y: float, height: float, label: str, ink: str) -> list[Markup]:
    """`label` centred in a box: Chinese on two lines when one is too narrow (不确定 / 等次), other text
    in smaller type."""
    room, mid = x1 - x0 - 0.8, (x0 + x1) / 2
    size = SMALL
    if text_width(label, size) > room and not _is_cjk(label):
        size = max(room / max(text_width(label, 1.0), 0.1), SMALL * 0.6)
    if text_width(label, size) <= room or len(label) < 4 or not _is_cjk(label):
        return [svg.text(mid, y + height / 2 + size * 0.35, fit(label, room, size), font_size=size,
                         text_anchor="middle", fill=ink)]
    half = (len(label) + 1) // 2
    size = min(SMALL, height / 2.4)
    return [svg.text(mid, y + height / 2 - size * 0.2, fit(label[:half], room, size), font_size=size,
                     text_anchor="middle", fill=ink),
            svg.text(mid, y + height / 2 + size * 0.95, fit(label[half:], room, size), font_size=size,
                     text_anchor="middle", fill=ink)]


def _is_cjk(label: str) -> bool:
    return all(text_width(ch, 1.0) == 1.0 for ch in label)


def _effects(canvas: Canvas, status: dict[str, Any], height: float) -> None:
    axis, labels, y = canvas.axis, canvas.labels, canvas.y
    _lane_label(canvas, y, height, labels["lane_effects"], strong=False)
    seen: set[int] = set()
    for effect in status.get("grade_effects", []):  # the most severe of a year comes first
        if effect["year"] in seen or not axis.start.year <= effect["year"] < axis.end.year:
            continue
        seen.add(effect["year"])
        x0, x1 = axis.year_span(effect["year"])
        term = labels.term(effect["effect"], "grade_effects")
        canvas.add(svg.group([
            svg.title(f"{effect['year']} {labels.term(effect['effect'], 'grade_effects', long=True)}"),
            svg.rect(x0 + 0.3, y + 0.5, x1 - x0 - 0.6, height - 1.0, fill=WHITE, stroke=RED, stroke_width=0.2,
                     stroke_dasharray="0.8 0.5"),
            *_centred(x0, x1, y, height, term, RED)], class_="tl-effect", data_year=effect["year"]))
    canvas.y += height


def _caption(canvas: Canvas, label: str) -> None:
    canvas.add(svg.line(0, canvas.y + 0.6, PLOT_RIGHT, canvas.y + 0.6, stroke=RULE, stroke_width=0.2),
               svg.text(0, canvas.y + 3.4, label, font_size=SMALL, fill=ACCENT, font_weight=600))
    canvas.y += 4.4


def _bar_label(x0: float, x1: float, y: float, height: float, label: str, on_bar: str, size: float = SMALL
               ) -> Markup:
    """The dates beside a bar: after it, else before it, else on it."""
    width = text_width(label, size)
    base = y + height / 2 + size * 0.35
    if x1 + 1 + width <= PLOT_RIGHT:
        return svg.text(x1 + 0.8, base, label, font_size=size, fill=INK)
    if x0 - 1 - width >= PLOT_LEFT:
        return svg.text(x0 - 0.8, base, label, font_size=size, fill=INK, text_anchor="end")
    return svg.text(x0 + 0.8, base, fit(label, x1 - x0 - 1.6, size), font_size=size, fill=on_bar)


def _restriction(canvas: Canvas, row: dict[str, Any], running: bool, height: float, case: str | None = None
                 ) -> None:
    axis, labels, y = canvas.axis, canvas.labels, canvas.y
    start, end = as_date(row["effective_on"]), as_date(row["ends_on"])
    blocking = is_promotion_barred(row["bars"])
    colour = RED if blocking else ACCENT
    x0 = axis.x(start) if start else axis.left
    open_ended = end is None
    x1 = axis.right if end is None else axis.x(end)
    kind, track = case or labels.kind(row), labels.term(row["track"], "tracks")
    if open_ended:
        dates = labels.fmt("open_end", day=day_text(start), end=labels.term(row["end_kind"], "end_kinds"))
        fill: str = f"url(#tl-fade-{'red' if blocking else 'accent'})"
    else:
        dates = labels.fmt("span", start=day_text(start), end=day_text(end))
        fill = colour
    bars = "、".join(labels.term(b, "bars") for b in row["bars"]) if labels.lang == "zh" else ", ".join(row["bars"])
    bar_h = height * 0.62
    top = y + (height - bar_h) / 2
    small, font = min(SMALL, height * 0.72), min(FONT, height * 0.8)  # crowded rows take smaller type
    elements = [
        svg.title(f"{kind} · {track} · {dates} · {bars} · {row['rule']} · {row['source']}"),
        svg.text(0.6, y + height / 2 + small * 0.35, fit(track, 11, small), font_size=small, fill=GREY),
        svg.text(LABEL_RIGHT, y + height / 2 + font * 0.35, fit(kind, LABEL_RIGHT - 12, font),
                 font_size=font, text_anchor="end", fill=INK),
        svg.rect(x0, top, max(x1 - x0, 0.6), bar_h, fill=fill, fill_opacity=1 if running else 0.35,
                 stroke=colour if not running and not open_ended else None, stroke_width=0.15, class_="bar"),
        _bar_label(x0, x1, top, bar_h, dates, WHITE, small),
    ]
    canvas.add(svg.group(elements, class_="tl-restriction", data_source=row["source"],
                         data_effective_on=day_text(start), data_ends_on=day_text(end),
                         data_end_kind=row["end_kind"], data_track=row["track"], data_kind=row["kind"],
                         data_bars=" ".join(row["bars"]),
                         data_state="running" if running else "expired", data_blocks_promotion=blocking))
    canvas.y += height


def _handover(canvas: Canvas, row: dict[str, Any], cadre: str, height: float) -> None:
    axis, labels, y = canvas.axis, canvas.labels, canvas.y
    announced, due, done = as_date(row["announced_on"]), as_date(row["due_on"]), as_date(row.get("completed_on"))
    late = row["status"] in ("overdue", "completed-late")
    colour = RED if late else ACCENT
    x0 = axis.x(announced) if announced else axis.left
    x1 = axis.x(done or due or announced or axis.start)
    role = labels["role_outgoing"] if row.get("outgoing") == cadre else labels["role_incoming"]
    status = labels.term(row["status"], "handover_statuses")
    mid = y + height / 2
    canvas.add(svg.group([
        svg.title(f"{row['post']} {role} {day_text(announced)} → {day_text(due)} {status}"),
        svg.text(LABEL_RIGHT, mid + SMALL * 0.35, fit(f"{row['post']}", LABEL_RIGHT - 12, SMALL), font_size=SMALL,
                 text_anchor="end", fill=INK),
        svg.line(x0, mid, max(x1, x0 + 0.8), mid, stroke=colour, stroke_width=0.6),
        svg.tag("path", d=f"M{svg.number(x0)} {svg.number(mid - 1.1)} l1.1 1.1 l-1.1 1.1 l-1.1 -1.1 z", fill=colour),
        _bar_label(x0, max(x1, x0 + 0.8), y, height, f"{day_text(announced)} {role} · {status}", WHITE),
    ], class_="tl-handover", data_post=row["post"], data_announced_on=day_text(announced), data_status=row["status"]))
    canvas.y += height


def _grid(axis: TimeAxis, bottom: float) -> Iterator[Markup]:
    for year in axis.years():
        x0, x1 = axis.year_span(year)
        yield svg.line(x0, LANES_TOP - 3.2, x0, bottom, stroke=RULE, stroke_width=0.12)
        if x1 - x0 > 5.5 or year % 2 == 0:
            yield svg.text((x0 + x1) / 2, LANES_TOP - 1.1, str(year), font_size=SMALL, text_anchor="middle",
                           fill=GREY)
    yield svg.line(axis.right, LANES_TOP - 3.2, axis.right, bottom, stroke=RULE, stroke_width=0.12)


def _markers(canvas: Canvas, today: date, as_of: date, bottom: float) -> Iterator[Markup]:
    """The query date and today as vertical lines, their labels stacked above the years."""
    axis, labels = canvas.axis, canvas.labels
    marks = [(as_of, labels["as_of_mark"], INK, None, 2.6), (today, labels["today"], ACCENT, "1 0.7", 5.6)]
    if today == as_of:
        marks = [(as_of, labels["same_day"], INK, None, 5.6)]
    for day, label, colour, dash, base in marks:
        x, text = axis.x(day), f"{label} {day.isoformat()}"
        fits = x + 0.6 + text_width(text, SMALL) <= WIDTH
        yield svg.group([
            svg.line(x, base + 0.8, x, bottom, stroke=colour, stroke_width=0.3, stroke_dasharray=dash),
            svg.text(x + 0.6 if fits else x - 0.6, base, text, font_size=SMALL, fill=colour, font_weight=600,
                     text_anchor="start" if fits else "end")], class_="tl-marker", data_day=day.isoformat())


def _legend(canvas: Canvas) -> Iterator[Markup]:
    labels, y = canvas.labels, canvas.y + 2.2
    items = [(RED, 1.0, labels["legend_blocking"]), (ACCENT, 1.0, labels["legend_other"]),
             (RED, 0.35, labels["legend_expired"]), ("url(#tl-fade-red)", 1.0, labels["legend_open"])]
    x = PLOT_LEFT
    for fill, opacity, label in items:
        yield svg.rect(x, y, 5, 2.2, fill=fill, fill_opacity=opacity)
        yield svg.text(x + 6, y + 1.9, label, font_size=SMALL, fill=INK)
        x += 8 + text_width(label, SMALL) + 3
    canvas.y = y + 3.4


def _defs() -> Markup:
    def fade(name: str, colour: str, start: float) -> Markup:
        return svg.tag("linearGradient", [
            svg.tag("stop", offset=0, stop_color=colour, stop_opacity=start),
            svg.tag("stop", offset=1, stop_color=colour, stop_opacity=0.03)], id=f"tl-fade-{name}", x1=0, x2=1)
    return svg.tag("defs", [fade("red", RED, 1), fade("accent", ACCENT, 1), fade("pale", "#e3e9ef", 1)])


def draw_career(status: dict[str, Any], today: date, labels: Labels) -> Markup:
    """The timeline of one status document as inline SVG (millimetres, ~180 mm wide, at most one page)."""
    as_of = as_date(status["as_of"]) or today
    timeline = status.get("timeline") or {}
    restrictions = _restrictions(status)
    measures = [item for item in restrictions if item[0]["track"] != "investigation"]
    investigations = [item for item in restrictions if item[0]["track"] == "investigation"]
    cases = {i["source"]: i.get("case") for i in timeline.get("investigations", [])}
    handovers = list(status.get("handovers", []))
    rows = len(restrictions) + len(handovers)
    fixed = LANES_TOP + 7 + 6 + 7 + 6 + 4.4 * 3 + 6
    height = min(ROW_MAX, max(ROW_MIN, (MAX_HEIGHT - fixed) / max(rows, 1)))
    canvas = Canvas(_axis(status, today), labels)
    _held(canvas, timeline.get("posts", []), labels["lane_posts"], 7,
          lambda r: r.get("post") or labels.term(r.get("post_level"), "post_levels"), as_of, "tl-post")
    _held(canvas, timeline.get("ranks", []), labels["lane_ranks"], 6,
          lambda r: labels.term(r.get("rank"), "ranks"), as_of, "tl-rank")
    _grades(canvas, status, 7)
    if status.get("grade_effects"):
        _effects(canvas, status, 6)
    for title, items in ((labels["lane_restrictions"], measures), (labels["lane_investigations"], investigations)):
        if items:
            _caption(canvas, title)
        for row, running in items:
            _restriction(canvas, row, running, height, cases.get(row["source"]))
    if handovers:
        _caption(canvas, labels["lane_handovers"])
        for handover in handovers:
            _handover(canvas, handover, status["cadre"], height)
    bottom = canvas.y + 0.5
    body = canvas.parts
    canvas.parts = []
    overlay = [*_grid(canvas.axis, bottom), *body, *_markers(canvas, today, as_of, bottom)]
    legend = list(_legend(canvas))
    return svg.document(WIDTH, canvas.y, [_defs(), *overlay, *legend], labels["figure"], class_="timeline",
                        data_start=canvas.axis.start.isoformat(), data_end=canvas.axis.end.isoformat())

