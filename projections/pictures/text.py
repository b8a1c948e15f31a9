"""Text for the printed pages: untrusted strings made visible and safe, widths, dates and times."""
from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from markupsafe import Markup

# China keeps one offset all year: Beijing time is UTC+8 exactly.
BEIJING = timezone(timedelta(hours=8), "UTC+8")
# Bidirectional controls (SPEC "Writing") and the other invisible formatting marks that can reorder or
# hide text on a page.
_INVISIBLE = frozenset(
    {*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C, 0x200B, 0x2060, 0xFEFF}
)
# Controls, format characters, surrogates, private use, unassigned, line and paragraph separators.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def visible(text: str) -> str:
    """`text` with control, format and bidirectional characters shown escaped (`\\u202e`), never acting."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch in "\n\t":
            out.append(" ")
        elif ord(ch) in _INVISIBLE or unicodedata.category(ch) in _HIDDEN_CATEGORIES:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def css_string(value: Any) -> Markup:
    """A CSS string literal for `content:` in a <style> block: every ASCII mark escaped as hex."""
    text = visible(str(value))
    escaped = "".join(ch if ch.isalnum() or ch == " " or ord(ch) > 0x7F else f"\\{ord(ch):x} " for ch in text)
    return Markup('"{}"').format(Markup(escaped))


def text_width(text: str, size: float) -> float:
    """Estimated width of `text` at font size `size`: CJK characters one em, the rest about half."""
    width = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            width += 1.0
        elif ch == " " or ch in "il.,:;|!'()[]":
            width += 0.3
        else:
            width += 0.56
    return width * size


def fit(text: str, width: float, size: float) -> str:
    """`text` cut with an ellipsis so that it fits in `width` at font size `size` ('' if nothing fits)."""
    if text_width(text, size) <= width:
        return text
    for end in range(len(text) - 1, 0, -1):
        cut = text[:end].rstrip() + "…"
        if text_width(cut, size) <= width:
            return cut
    return ""


def day_text(value: date | str | None) -> str:
    """A date as YYYY-MM-DD ('' for none)."""
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def moment_text(value: datetime | str | None) -> str:
    """A timestamp in Beijing time, to the second, with its offset: `2026-11-26 11:00:00 UTC+8`."""
    if value is None:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S UTC+8")


def as_date(value: date | str | None) -> date | None:
    """A date from a status document value (a date or its ISO text)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
