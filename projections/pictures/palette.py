"""The pages' colours: black ink, one accent, red for what blocks promotion."""
from __future__ import annotations

INK = "#1a1a1a"
GREY = "#666666"
RULE = "#c8c8c8"
PALE = "#eef1f4"
PALE_ACCENT = "#e3e9ef"
WHITE = "#ffffff"
ACCENT = "#23415e"  # a dark slate blue: headings, markers, bars that do not block promotion
RED = "#b3261e"  # bars that block promotion, overdue and late, the marking

# grade -> (fill, ink) of its cell on the timeline
GRADE_STYLES: dict[str, tuple[str, str]] = {
    "excellent": (ACCENT, WHITE),
    "competent": ("#dde4eb", INK),
    "basically-competent": ("#f4d9d6", RED),
    "incompetent": (RED, WHITE),
    "not-graded": ("#ececec", GREY),
}


def grade_style(grade: str) -> tuple[str, str]:
    """The fill and text colour of a grade's cell."""
    return GRADE_STYLES.get(grade, (WHITE, INK))
