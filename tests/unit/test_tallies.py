"""Dashboard counts from the read-model rows: restrictions ending by month, cadres not promotable by unit."""
from __future__ import annotations

from datetime import date
from typing import Any

from projections.tallies import ending_by_month, ending_within, not_promotable_by_unit

AS_OF = date(2026, 11, 20)


def tables(*restrictions: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Read-model rows of three cadres in two units, with the given restriction rows."""
    cadres = [{"cadre": c, "name": c, "unit": u, "registered_on": "2016-01-01"}
              for c, u in (("HB-1", "夷陵区"), ("HB-2", "夷陵区"), ("HB-3", "西陵区"))]
    return {"proj_cadres": cadres, "proj_restrictions": list(restrictions), "proj_flags": [], "proj_pool": []}


def restriction(cadre: str, effective_on: str, ends_on: str | None, blocks: bool = True) -> dict[str, Any]:
    return {"cadre": cadre, "source": f"s-{cadre}-{ends_on}", "kind": "demerit", "effective_on": effective_on,
            "ends_on": ends_on, "blocks_promotion": int(blocks)}


def test_twelve_calendar_months_from_the_query_month_with_zeros() -> None:
    months = ending_by_month(tables(), AS_OF)

    assert [m["month"] for m in months] == ["2026-11", "2026-12"] + [f"2027-{n:02}" for n in range(1, 11)]
    assert {m["ending"] for m in months} == {0}


def test_a_restriction_counts_in_the_month_of_its_first_clear_day() -> None:
    rows = tables(restriction("HB-1", "2026-01-01", "2026-12-01"),
                  restriction("HB-2", "2026-01-01", "2026-11-30", blocks=False),
                  restriction("HB-3", "2026-01-01", "2027-10-31"))

    counts = {m["month"]: (m["ending"], m["blocking_promotion"]) for m in ending_by_month(rows, AS_OF)}

    assert (counts["2026-11"], counts["2026-12"], counts["2027-10"]) == ((1, 0), (1, 1), (1, 1))


def test_ended_not_yet_started_later_and_open_ended_restrictions_are_not_counted() -> None:
    rows = tables(restriction("HB-1", "2025-01-01", "2026-11-20"),   # ends on the query date: already clear
                  restriction("HB-1", "2026-11-21", "2027-01-15"),   # starts after the query date
                  restriction("HB-2", "2026-01-01", "2027-11-01"),   # ends in the thirteenth month
                  restriction("HB-3", "2026-01-01", None))           # permanent or pending

    assert sum(m["ending"] for m in ending_by_month(rows, AS_OF)) == 0


def test_a_cadre_with_two_restrictions_ending_in_one_month_is_one_cadre() -> None:
    rows = tables(restriction("HB-1", "2026-01-01", "2027-02-01"),
                  restriction("HB-1", "2026-03-01", "2027-02-20"))

    february = next(m for m in ending_by_month(rows, AS_OF) if m["month"] == "2027-02")

    assert (february["ending"], february["cadres"]) == (2, 1)


def test_the_unit_filter_counts_only_that_units_cadres() -> None:
    rows = tables(restriction("HB-1", "2026-01-01", "2027-02-01"),
                  restriction("HB-3", "2026-01-01", "2027-02-01"))

    assert sum(m["ending"] for m in ending_by_month(rows, AS_OF, unit="西陵区")) == 1


def test_not_promotable_by_unit_counts_the_cadres_that_list_calls_not_promotable() -> None:
    rows = tables(restriction("HB-1", "2026-01-01", "2027-02-01"),
                  restriction("HB-2", "2026-01-01", "2027-02-01", blocks=False),
                  restriction("HB-3", "2026-01-01", "2026-05-01"))

    assert not_promotable_by_unit(rows, AS_OF) == [
        {"unit": "夷陵区", "cadres": 2, "not_promotable": 1}, {"unit": "西陵区", "cadres": 1, "not_promotable": 0}]
    assert not_promotable_by_unit(rows, AS_OF, unit="西陵区") == [
        {"unit": "西陵区", "cadres": 1, "not_promotable": 0}]


def test_ending_within_lists_each_running_restriction_ending_by_the_horizon_in_date_order() -> None:
    rows = tables(restriction("HB-2", "2026-01-01", "2027-02-18"),   # the 90th day after the query date
                  restriction("HB-1", "2026-01-01", "2026-12-01"),
                  restriction("HB-3", "2026-01-01", "2027-02-19"),   # the 91st day
                  restriction("HB-3", "2026-01-01", None))
    for row in rows["proj_restrictions"]:
        row["track"] = "state"

    found = ending_within(rows, AS_OF, 90)

    assert [(r["cadre"], r["ends_on"], r["unit"]) for r in found] == [
        ("HB-1", "2026-12-01", "夷陵区"), ("HB-2", "2027-02-18", "夷陵区")]
    assert ending_within(rows, AS_OF, 90, unit="西陵区") == []
