"""SVG elements as escaped markup: every attribute value and every text is escaped here, once."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from markupsafe import Markup, escape

from projections.pictures.text import visible


def number(value: float) -> str:
    """A coordinate with at most two decimals."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number(value)
    return visible(str(value))


def attrs(**values: Any) -> Markup:
    """` name="value"` pairs; `class_` is `class`, other underscores are hyphens; None is left out."""
    parts = []
    for key, value in values.items():
        if value is None:
            continue
        name = "class" if key == "class_" else key.rstrip("_").replace("_", "-")
        parts.append(Markup(' {}="{}"').format(Markup(name), _value(value)))
    return Markup("").join(parts)


def tag(name: str, children: Iterable[Markup] | Markup | str | None = None, **values: Any) -> Markup:
    """One element; string children are escaped, markup children kept."""
    if children is None:
        return Markup("<{}{}/>").format(Markup(name), attrs(**values))
    if isinstance(children, str):
        inner = escape(visible(children)) if not isinstance(children, Markup) else children
    else:
        inner = Markup("").join(children)
    return Markup("<{0}{1}>{2}</{0}>").format(Markup(name), attrs(**values), inner)


def rect(x: float, y: float, width: float, height: float, **values: Any) -> Markup:
    """A rectangle (a zero or negative width draws nothing)."""
    return tag("rect", x=x, y=y, width=max(width, 0), height=max(height, 0), **values)


def line(x1: float, y1: float, x2: float, y2: float, **values: Any) -> Markup:
    """A line."""
    return tag("line", x1=x1, y1=y1, x2=x2, y2=y2, **values)


def text(x: float, y: float, label: str, **values: Any) -> Markup:
    """A text run at (x, y), escaped."""
    return tag("text", str(label), x=x, y=y, **values)


def title(label: str) -> Markup:
    """A tooltip for the enclosing element (shown on screen, not printed)."""
    return tag("title", str(label))


def group(children: Iterable[Markup], **values: Any) -> Markup:
    """A <g> of elements."""
    return tag("g", list(children), **values)


def document(width: float, height: float, children: Iterable[Markup], label: str, **values: Any) -> Markup:
    """An inline <svg> in millimetres: `width` × `height` mm, user units of one millimetre."""
    return tag("svg", list(children), xmlns="http://www.w3.org/2000/svg", width=f"{number(width)}mm",
               height=f"{number(height)}mm", viewBox=f"0 0 {number(width)} {number(height)}", role="img",
               aria_label=label, **values)
