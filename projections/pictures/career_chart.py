"""The dossier's timeline: posts, ranks, grades, restrictions, investigations and handovers on one axis."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from markupsafe import Markup

from projections.pictures import career_lanes as lanes
from projections.pictures import svg
from projections.pictures.axis import TimeAxis
from projections.pictures.canvas import LANES_TOP, PLOT_LEFT, PLOT_RIGHT, SMALL, WIDTH, Canvas
from projections.pictures.labels import Labels
from projections.pictures.palette import ACCENT, GREY, INK, PALE_ACCENT, RED, RULE
from projections.pictures.text import as_date, day_text, text_width

MAX_HEIGHT = 172.0  # what is left of page 1 under the heading and the identity table
ROW_MAX, ROW_MIN = 5.4, 2.9
# The height of everything but the restriction and handover rows: lanes, captions, legend.
FIXED = LANES_TOP + 7 + 6 + 7 + 7 + 4.4 * 3 + 6


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
    labels = canvas.labels
    marks = [(as_of, labels["as_of_mark"], INK, None, 2.6), (today, labels["today"], ACCENT, "1 0.7", 5.6)]
    if today == as_of:
        marks = [(as_of, labels["same_day"], INK, None, 5.6)]
    for day, label, colour, dash, base in marks:
        x, text = canvas.axis.x(day), f"{label} {day.isoformat()}"
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
    def fade(name: str, colour: str) -> Markup:
        return svg.tag("linearGradient", [
            svg.tag("stop", offset=0, stop_color=colour, stop_opacity=1),
            svg.tag("stop", offset=1, stop_color=colour, stop_opacity=0.03)],
            id=f"tl-fade-{name}", x1=0, x2=1)
    return svg.tag("defs", [fade("red", RED), fade("accent", ACCENT), fade("pale", PALE_ACCENT)])


def draw_career(status: dict[str, Any], today: date, labels: Labels) -> Markup:
    """The timeline of one status document as inline SVG, 180 mm wide and at most a page high."""
    as_of = as_date(status["as_of"]) or today
    timeline = status.get("timeline") or {}
    restrictions = _restrictions(status)
    groups = [(labels["lane_restrictions"], [i for i in restrictions if i[0]["track"] != "investigation"]),
              (labels["lane_investigations"], [i for i in restrictions if i[0]["track"] == "investigation"])]
    cases = {i["source"]: i.get("case") for i in timeline.get("investigations", [])}
    handovers = list(status.get("handovers", []))
    height = min(ROW_MAX, max(ROW_MIN, (MAX_HEIGHT - FIXED) / max(len(restrictions) + len(handovers), 1)))
    canvas = Canvas(_axis(status, today), labels)
    lanes.held(canvas, timeline.get("posts", []), labels["lane_posts"], 7,
               lambda r: r.get("post") or labels.term(r.get("post_level"), "post_levels"), as_of, "tl-post")
    lanes.held(canvas, timeline.get("ranks", []), labels["lane_ranks"], 6,
               lambda r: labels.term(r.get("rank"), "ranks"), as_of, "tl-rank")
    lanes.grades(canvas, timeline.get("grades", []), 7)
    if status.get("grade_effects"):
        lanes.effects(canvas, status["grade_effects"], 7)
    for title, items in groups:
        if items:
            canvas.caption(title)
        for row, running in items:
            lanes.restriction(canvas, row, running, height, cases.get(row["source"]))
    if handovers:
        canvas.caption(labels["lane_handovers"])
        for row in handovers:
            lanes.handover(canvas, row, status["cadre"], height)
    bottom, drawn = canvas.y + 0.5, canvas.parts
    canvas.parts = []
    overlay = [*_grid(canvas.axis, bottom), *drawn, *_markers(canvas, today, as_of, bottom)]
    legend = list(_legend(canvas))
    return svg.document(WIDTH, canvas.y, [_defs(), *overlay, *legend], labels["figure"], class_="timeline",
                        data_start=canvas.axis.start.isoformat(), data_end=canvas.axis.end.isoformat())
