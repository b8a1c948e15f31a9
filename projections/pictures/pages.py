"""The Jinja2 environment of the pages: package templates, autoescape on, untrusted text made visible."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from projections.pictures.labels import Labels
from projections.pictures.meta import PageMeta
from projections.pictures.text import BEIJING, css_string, day_text, moment_text, visible

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Cell:
    """One table cell: its text and an optional CSS class (`warn` prints it in red)."""

    text: str
    css: str = ""
    lines: tuple[str, ...] = ()


@dataclass
class Table:
    """A titled table of the page; tables without rows are not printed."""

    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    css: str = ""
    note: str = ""


def _finalize(value: Any) -> Any:
    """Every {{ value }}: markup kept, None empty, text with control characters shown escaped."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    if isinstance(value, str):
        return visible(value)
    return value


def _number(value: int) -> str:
    return f"{value:,}"


ENV = Environment(loader=PackageLoader("projections.pictures", "templates"), autoescape=True,
                  undefined=StrictUndefined, finalize=_finalize, trim_blocks=True, lstrip_blocks=True)
ENV.filters.update(css=css_string, day=day_text, moment=moment_text, number=_number)


def today_of(meta: PageMeta) -> date:
    """The day the page was generated, in Beijing."""
    moment = meta.generated_at
    return moment.astimezone(BEIJING).date() if moment.tzinfo else moment.date()


def counter_content(pattern: str) -> Markup:
    """CSS `content` for a "page {page} of {pages}" pattern, with the page counters in place."""
    parts: list[Markup] = []
    for index, piece in enumerate(pattern.split("{pages}")):
        if index:
            parts.append(Markup("counter(pages)"))
        for inner, text in enumerate(piece.split("{page}")):
            if inner:
                parts.append(Markup("counter(page)"))
            if text:
                parts.append(css_string(text))
    return Markup(" ").join(parts)


def render(template: str, meta: PageMeta, labels: Labels, title: str, subtitle: str, header: str,
           **context: Any) -> str:
    """One page from its template, with the provenance every page prints (in the page margins too)."""
    known_at = moment_text(meta.known_at) if meta.known_at is not None else labels["known_now"]
    generated_at, as_of = moment_text(meta.generated_at), day_text(meta.as_of)
    log = labels.fmt("log_size", size=f"{meta.log_size:,}")
    footer = (f"{labels['as_of']} {as_of}  |  {labels['known_at']} {known_at}",
              f"{labels['actor']} {meta.actor}  |  {labels['generated']} {generated_at}",
              f"{labels['log']} {log}  |  {labels['root']} {meta.root_hash}")
    colon, blank = ("：" if labels.lang == "zh" else ": "), "＿" * 6
    signature = "  ".join(f"{labels[k]}{colon}{blank}" for k in ("reviewer", "signature", "date"))
    return ENV.get_template(template).render(
        meta=meta, labels=labels, title=title, subtitle=subtitle, header=header, known_at=known_at,
        generated_at=generated_at, as_of=as_of, footer_left=footer, signature_line=signature,
        page_counter=counter_content(labels["page_of"]), lang="zh-CN" if labels.lang == "zh" else "en",
        **context)


def cell(value: Any, css: str = "") -> Cell:
    """A cell of a date, a datetime, a number or text; dates never wrap."""
    if isinstance(value, datetime):
        return Cell(moment_text(value), f"{css} date".strip())
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DAY.fullmatch(value)):
        return Cell(day_text(value), f"{css} date".strip())
    return Cell("" if value is None else str(value), css)
