"""The dashboard's charts as inline SVG: columns per month, horizontal bars per unit or kind."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from projections.pictures import svg
from projections.pictures.labels import Labels
from projections.pictures.palette import ACCENT, GREY, INK, PALE, RED, RULE
from projections.pictures.text import fit, text_width

WIDTH = 180.0
FONT, SMALL = 2.6, 2.3


def nice_step(top: int, ticks: int = 4) -> int:
    """A round step (1, 2, 5, 10, 20, …) that divides [0, top] into about `ticks` parts."""
    raw = max(top, 1) / ticks
    step = 1
    while step < raw:
        for factor in (2, 5, 10):
            if step * factor >= raw:
                return step * factor
        step *= 10
    return step


@dataclass(frozen=True)
class Column:
    """One month's column: the part that blocks promotion (red) and the rest (accent)."""

    key: str
    label: str
    sub: str
    blocking: int
    other: int


def month_columns(columns: Sequence[Column], labels: Labels, empty: str, height: float = 58.0) -> Markup:
    """Stacked columns, one per month, with each total above its column."""
    left, right, top, bottom = 9.0, WIDTH - 1, 6.0, height - 9.0
    most = max((c.blocking + c.other for c in columns), default=0)
    step = nice_step(most)
    ceiling = max(step * ((most + step - 1) // step), step)
    scale = (bottom - top) / ceiling
    parts: list[Markup] = []
    for tick in range(0, ceiling + 1, step):
        y = bottom - tick * scale
        parts.append(svg.line(left, y, right, y, stroke=RULE if tick else INK,
                              stroke_width=0.15 if tick else 0.3))
        parts.append(svg.text(left - 1, y + SMALL * 0.35, str(tick), font_size=SMALL, text_anchor="end",
                              fill=GREY))
    slot = (right - left) / max(len(columns), 1)
    for index, column in enumerate(columns):
        x = left + index * slot + slot * 0.18
        width = slot * 0.64
        total = column.blocking + column.other
        red_h, other_h = column.blocking * scale, column.other * scale
        parts.append(svg.group([
            svg.title(f"{column.key}: {total}"),
            svg.rect(x, bottom - red_h, width, red_h, fill=RED),
            svg.rect(x, bottom - red_h - other_h, width, other_h, fill=ACCENT),
            svg.text(x + width / 2, bottom - red_h - other_h - 1, str(total) if total else "",
                     font_size=SMALL, text_anchor="middle", fill=INK, font_weight=600),
            svg.text(x + width / 2, bottom + 3.6, column.label, font_size=SMALL, text_anchor="middle",
                     fill=INK),
            svg.text(x + width / 2, bottom + 6.8, column.sub, font_size=SMALL * 0.9, text_anchor="middle",
                     fill=GREY),
        ], class_="month", data_month=column.key, data_ending=total, data_blocking=column.blocking))
    if most == 0:
        parts.append(svg.text((left + right) / 2, (top + bottom) / 2, empty, font_size=FONT,
                              text_anchor="middle", fill=GREY))
    legend_x = right - text_width(labels["legend_blocking"] + labels["legend_other"], SMALL) - 16
    parts += [svg.rect(legend_x, 0.6, 3.2, 2.2, fill=RED),
              svg.text(legend_x + 4, 2.5, labels["legend_blocking"], font_size=SMALL, fill=INK)]
    legend_x += 6 + text_width(labels["legend_blocking"], SMALL)
    parts += [svg.rect(legend_x, 0.6, 3.2, 2.2, fill=ACCENT),
              svg.text(legend_x + 4, 2.5, labels["legend_other"], font_size=SMALL, fill=INK)]
    return svg.document(WIDTH, height, parts, labels["chart_months"], class_="chart-months")


@dataclass(frozen=True)
class Bar:
    """One horizontal bar: `value` of `total` (the total drawn pale behind it when given)."""

    key: str
    label: str
    value: int
    total: int | None = None
    caption: str = ""
    hint: str = ""


def bars(rows: Sequence[Bar], label: str, colour: str = RED, label_width: float = 46.0, row: float = 5.0
         ) -> Markup:
    """Horizontal bars, one per row, the label left and the figure right of each bar."""
    left, right = label_width + 1.5, WIDTH - 22.0
    most = max([r.total or r.value for r in rows] + [1])
    parts: list[Markup] = []
    for index, item in enumerate(rows):
        y = index * row
        mid = y + row / 2
        full = (right - left) * (item.total or 0) / most
        width = (right - left) * item.value / most
        parts.append(svg.group([
            svg.title(item.hint or f"{item.label}: {item.caption or item.value}"),
            svg.text(label_width, mid + FONT * 0.35, fit(item.label, label_width - 1, FONT), font_size=FONT,
                     text_anchor="end", fill=INK),
            svg.rect(left, y + row * 0.2, full, row * 0.6, fill=PALE, stroke=RULE, stroke_width=0.12)
            if item.total else Markup(),
            svg.rect(left, y + row * 0.2, max(width, 0.4 if item.value else 0), row * 0.6, fill=colour),
            svg.text(left + max(full, width) + 1.2, mid + SMALL * 0.35, item.caption or str(item.value),
                     font_size=SMALL, fill=INK),
        ], class_="bar-row", data_key=item.key, data_value=item.value, data_total=item.total))
    height = max(len(rows), 1) * row + 1
    parts.append(svg.line(left, 0, left, height - 1, stroke=INK, stroke_width=0.3))
    return svg.document(WIDTH, height, parts, label, class_="chart-bars")
