"""Assertions shared by the picture tests: a status document's restrictions, each drawn as its bar."""
from __future__ import annotations

from typing import Any

from ledger.vocab import display
from projections.pictures.labels import KIND_GROUPS
from tests.pictures.dom import Element, elements


def day(value: Any) -> str:
    """A status date as YYYY-MM-DD ('' for none)."""
    return "" if value is None else str(value)[:10]


def restriction_bars(html: str, status: dict[str, Any]) -> list[tuple[dict[str, Any], Element]]:
    """Each restriction of the status (running and expired) with the one bar drawn for it."""
    drawn = elements(html, "tl-restriction")
    found = []
    for state, key in (("running", "restrictions"), ("expired", "expired_restrictions")):
        for row in status[key]:
            matches = [g for g in drawn if g.attrs.get("data-source") == row["source"]
                       and g.attrs.get("data-effective-on") == day(row["effective_on"])
                       and g.attrs.get("data-ends-on") == day(row["ends_on"])
                       and g.attrs.get("data-state") == state
                       and sorted(g.attrs.get("data-bars", "").split()) == sorted(row["bars"])]
            assert len(matches) == 1, f"{row['source']} {row['effective_on']}: {len(matches)} bars drawn"
            found.append((row, matches[0]))
    assert len(found) == len(drawn), "a bar was drawn for no restriction of the status"
    return found


def assert_bars_have_dates_and_chinese_terms(html: str, status: dict[str, Any]) -> None:
    """Every restriction has its bar, which shows its dates, its track and kind (or case) in Chinese."""
    cases = {i["source"]: i["case"] for i in status["timeline"]["investigations"]}
    for row, bar in restriction_bars(html, status):
        assert day(row["effective_on"]) in bar.text
        assert display(row["track"], group="tracks") in bar.text
        assert (cases.get(row["source"]) or display(row["kind"], group=KIND_GROUPS[row["track"]])) in bar.text
        if row["ends_on"] is not None:
            assert day(row["ends_on"]) in bar.text and "解除" in bar.text
        else:
            assert display(row["end_kind"], group="end_kinds") in bar.text
        assert "rect" in bar.children
