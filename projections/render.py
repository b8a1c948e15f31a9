"""Plain data → text for people and machines: JSON, CSV and tables aligned by display width. No domain logic here."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ledger.characters import escaped, json_escaped
from ledger.storage.codec import to_jsonable
from projections.labels import label, text, value

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def plain(text: str, _role: str) -> str:
    """No colour: the text as it is."""
    return text


@dataclass(frozen=True)
class View:
    """How output for people looks: language, cut or whole cells, empty sections, colour.

    `paint(text, role)` colours a piece of text; roles: `title`, `bad`, `warn`, `good`, `dim`.
    """

    lang: str = "en"
    wide: bool = False
    all: bool = False
    limit: int = 60
    paint: Callable[[str, str], str] = field(default=plain, compare=False)

    def none(self) -> str:
        """What an empty listing says."""
        return "（无）" if self.lang == "zh" else "(none)"


def dumps(value: Any, indent: int | None = 2) -> str:
    """JSON text (UTF-8, Chinese unescaped; control and bidirectional characters as \\u escapes); dates,
    datetimes and Decimals as strings."""
    return json_escaped(json.dumps(value, ensure_ascii=False, indent=indent, default=_json_default))


def printable(text: str, multiline: bool = False) -> str:
    """`text` with control (C0, DEL, C1) and bidirectional characters escaped as `\\x1b`, `\\u202e`, `\\n`:
    what older data holds never reaches a terminal raw. With `multiline`, newlines and tabs are kept."""
    return escaped(text, multiline)


def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def cell(value: Any) -> str:
    """One CSV cell: tokens as they are, nested data as compact JSON; printable (newlines and tabs kept)."""
    if isinstance(value, Mapping) or (isinstance(value, (list, tuple)) and any(isinstance(v, Mapping) for v in value)):
        return printable(json.dumps(to_jsonable(value), ensure_ascii=False, separators=(",", ":")), multiline=True)
    return text(to_jsonable(value) if not isinstance(value, (list, tuple, bool)) else value, multiline=True)


def safe_cell(text: str) -> str:
    """A CSV cell that no spreadsheet runs as a formula: one that starts with = + - @ tab or CR gets a `'`."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None, bom: bool = False) -> str:
    """CSV text with a header row (also when there are no rows), formula-like cells neutralised."""
    columns = list(columns or _columns(rows))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([safe_cell(c) for c in columns])
    for row in rows:
        writer.writerow([safe_cell(cell(row.get(c))) for c in columns])
    return (BOM if bom else "") + out.getvalue()


# Characters whose terminal width is known without wcwidth (a test holds each range to it): printable ASCII
# takes one column; CJK ideographs, CJK punctuation and fullwidth forms take two.
WIDE = ((0x3000, 0x3029), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xFF01, 0xFF60))


def width(text: str) -> int:
    """Columns `text` takes on a terminal (a CJK character takes two)."""
    columns = 0
    for ch in text:
        code = ord(ch)
        if 0x20 <= code < 0x7F:
            columns += 1
        elif any(low <= code <= high for low, high in WIDE):
            columns += 2
        else:
            return _wcswidth(text)
    return columns


def _wcswidth(text: str) -> int:
    from wcwidth import wcswidth  # imported only for text beyond WIDE (importing it costs a few tables)

    found = wcswidth(text)
    return found if found >= 0 else len(text)


def pad(text: str, columns: int) -> str:
    """`text` followed by spaces up to `columns` display columns."""
    return text + " " * max(0, columns - width(text))


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` display columns, with an ellipsis when cut."""
    text = text.replace("\n", " ")
    if width(text) <= limit:
        return text
    out, used = [], 0
    for ch in text:
        w = max(width(ch), 0)
        if used + w > limit - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def to_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None, view: View | None = None,
             section: str | None = None) -> str:
    """An aligned text table with labelled headers and values in the view's language; long cells are cut
    unless the view is wide."""
    view = view or View()
    columns = list(columns or _columns(rows))
    heads = [label(c, view.lang, section) for c in columns]
    cells = [[_fit(value(c, row.get(c), view.lang, section), view) for c in columns] for row in rows]
    widths = [max([width(h), *(width(r[i]) for r in cells)]) for i, h in enumerate(heads)]
    lines = [view.paint("  ".join(pad(h, w) for h, w in zip(heads, widths)).rstrip(), "title")]
    lines.append("  ".join("-" * w for w in widths))
    for raw, shown in zip(rows, cells):
        line = "  ".join(pad(v, w) for v, w in zip(shown, widths)).rstrip()
        role = row_role(raw)
        lines.append(view.paint(line, role) if role else line)
    if not rows:
        lines.append(view.none())
    return "\n".join(lines)


def row_role(row: Mapping[str, Any]) -> str | None:
    """The colour of a row that needs attention: overdue, tampered or not promotable."""
    if row.get("status") in ("overdue", "completed-late", "replied-late") or row.get("verified") == "MISMATCH":
        return "bad"
    if row.get("promotable") is False:
        return "warn"
    return None


def _fit(text: str, view: View) -> str:
    return text.replace("\n", " ") if view.wide else clip(text, view.limit)


def _columns(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    return columns


def indented(text: str, by: str = "  ") -> str:
    """Every line of `text` indented."""
    return by + text.replace("\n", "\n" + by)


def number(count: int) -> str:
    """A count as people read it: with thousands separators, the same in every message."""
    return f"{count:,}"
