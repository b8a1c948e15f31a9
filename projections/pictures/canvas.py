"""The timeline's drawing surface: its measures in millimetres and the text placed on it."""
from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from projections.pictures import svg
from projections.pictures.axis import TimeAxis
from projections.pictures.labels import Labels
from projections.pictures.palette import ACCENT, GREY, INK, RULE
from projections.pictures.text import fit, text_width

WIDTH = 180.0
LABEL_RIGHT, PLOT_LEFT, PLOT_RIGHT = 35.0, 37.0, 178.0
FONT, SMALL = 2.6, 2.25
LANES_TOP = 13.5


@dataclass
class Canvas:
    """The elements drawn so far and the next free height."""

    axis: TimeAxis
    labels: Labels
    y: float = LANES_TOP
    parts: list[Markup] = field(default_factory=list)

    def add(self, *elements: Markup) -> None:
        """Draw these elements (in order, the later on top)."""
        self.parts.extend(elements)

    def lane_label(self, height: float, label: str, strong: bool = True) -> None:
        """A lane's name in the label column, level with the lane starting at the current height."""
        self.add(svg.text(LABEL_RIGHT, self.y + height / 2 + FONT * 0.35, fit(label, LABEL_RIGHT - 1, FONT),
                          font_size=FONT, text_anchor="end", fill=INK if strong else GREY,
                          font_weight=600 if strong else None))

    def caption(self, label: str) -> None:
        """A group's title across the chart, under a thin rule."""
        self.add(svg.line(0, self.y + 0.6, PLOT_RIGHT, self.y + 0.6, stroke=RULE, stroke_width=0.2),
                 svg.text(0, self.y + 3.4, label, font_size=SMALL, fill=ACCENT, font_weight=600))
        self.y += 4.4


def is_cjk(label: str) -> bool:
    """Whether every character of `label` is a wide (CJK) one."""
    return all(text_width(ch, 1.0) == 1.0 for ch in label)


def inside(x0: float, x1: float, y: float, height: float, label: str, fill: str) -> Markup:
    """`label` at the start of a box, cut to fit (nothing when nothing fits)."""
    shown = fit(label, x1 - x0 - 1.2, SMALL)
    if not shown:
        return Markup()
    return svg.text(x0 + 0.6, y + height / 2 + SMALL * 0.35, shown, font_size=SMALL, fill=fill)


def centred(x0: float, x1: float, y: float, height: float, label: str, ink: str) -> list[Markup]:
    """`label` centred in a box: Chinese on two lines when one is too narrow (不确定 / 等次), other text
    in smaller type."""
    room, mid = x1 - x0 - 0.8, (x0 + x1) / 2
    size = SMALL
    if text_width(label, size) > room and not is_cjk(label):
        size = max(room / max(text_width(label, 1.0), 0.1), SMALL * 0.6)
    if text_width(label, size) <= room or len(label) < 4 or not is_cjk(label):
        return [svg.text(mid, y + height / 2 + size * 0.35, fit(label, room, size), font_size=size,
                         text_anchor="middle", fill=ink)]
    half = (len(label) + 1) // 2
    size = min(SMALL, height / 2.4)
    return [svg.text(mid, y + height / 2 - size * 0.2, fit(label[:half], room, size), font_size=size,
                     text_anchor="middle", fill=ink),
            svg.text(mid, y + height / 2 + size * 0.95, fit(label[half:], room, size), font_size=size,
                     text_anchor="middle", fill=ink)]


def beside(x0: float, x1: float, y: float, height: float, label: str, on_bar: str, size: float = SMALL
           ) -> Markup:
    """The text of a bar: after it, else before it, else on it (cut to fit)."""
    width = text_width(label, size)
    base = y + height / 2 + size * 0.35
    if x1 + 1 + width <= PLOT_RIGHT:
        return svg.text(x1 + 0.8, base, label, font_size=size, fill=INK)
    if x0 - 1 - width >= PLOT_LEFT:
        return svg.text(x0 - 0.8, base, label, font_size=size, fill=INK, text_anchor="end")
    return svg.text(x0 + 0.8, base, fit(label, x1 - x0 - 1.6, size), font_size=size, fill=on_bar)
