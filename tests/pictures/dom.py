"""Reading the pages back: the elements of a class with their attributes and text, from HTML or a DOM dump."""
from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                  "track", "wbr"})


@dataclass
class Element:
    """One element: its tag, attributes and all the text inside it."""

    tag: str
    attrs: dict[str, str]
    text: str = ""
    children: list[str] = field(default_factory=list)


class _Collector(HTMLParser):
    def __init__(self, css_class: str) -> None:
        super().__init__(convert_charrefs=True)
        self.css_class = css_class
        self.found: list[Element] = []
        self.open: list[tuple[str, Element | None]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = {k: v or "" for k, v in attrs}
        mine = Element(tag, values) if self.css_class in values.get("class", "").split() else None
        if mine is not None:
            self.found.append(mine)
        for _, outer in self.open:
            if outer is not None:
                outer.children.append(tag)
        if tag not in VOID:
            self.open.append((tag, mine))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                return

    def handle_data(self, data: str) -> None:
        for _, element in self.open:
            if element is not None:
                element.text += data


def elements(html: str, css_class: str) -> list[Element]:
    """Every element whose class list has `css_class`, in document order."""
    collector = _Collector(css_class)
    collector.feed(html)
    return collector.found


def tags(html: str) -> list[str]:
    """Every start tag of the document, in order."""
    collector = _Collector("\0")
    collector.feed(html)
    return collector.tags
