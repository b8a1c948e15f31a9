"""R-TRIGGER: flags from grades and democratic evaluations, and their determinations."""
from __future__ import annotations

from tests.unit.factories import Dossier, day, status_on


def _evaluation(cadre: Dossier, id: str, valid: int, excellent: int, competent: int) -> None:
    cadre.record("democratic-evaluation", "2025-06-01", id=id, valid=valid, excellent=excellent,
                 competent=competent, basically_competent=valid - excellent - competent, incompetent=0)


def test_exactly_two_thirds_does_not_trigger_and_one_vote_less_does() -> None:
    cadre = Dossier()
    _evaluation(cadre, "ev-even", 30, 10, 10)
    _evaluation(cadre, "ev-short", 30, 10, 9)

    flags = status_on(cadre, "2025-07-01")["flags"]

    assert [f["basis"] for f in flags] == [["ev-short"]]


def test_an_incompetent_year_raises_a_flag_on_the_assessments_date() -> None:
    cadre = Dossier()
    cadre.assess(2024, "incompetent", on="2025-01-20")

    assert status_on(cadre, "2025-02-01")["flags"] == [
        {"trigger": "incompetent-year", "raised_on": day("2025-01-20"), "basis": [2024],
         "determination": None}]


def test_two_consecutive_basically_competent_years_raise_a_flag_when_the_second_is_recorded() -> None:
    cadre = Dossier()
    cadre.assess(2023, "basically-competent", on="2024-01-20")
    cadre.assess(2024, "basically-competent", on="2025-01-20")

    before, after = status_on(cadre, "2025-01-19"), status_on(cadre, "2025-01-20")

    assert before["flags"] == []
    assert [(f["trigger"], f["basis"], f["raised_on"]) for f in after["flags"]] == [
        ("two-basic-consecutive", [2023, 2024], day("2025-01-20"))]


def test_each_consecutive_pair_raises_its_own_flag() -> None:
    cadre = Dossier()
    for year in (2022, 2023, 2024):
        cadre.assess(year, "basically-competent")

    flags = status_on(cadre, "2025-06-01")["flags"]

    assert [f["basis"] for f in flags] == [[2022, 2023], [2023, 2024]]


def test_non_consecutive_years_raise_nothing() -> None:
    cadre = Dossier()
    cadre.assess(2022, "basically-competent")
    cadre.assess(2023, "competent")
    cadre.assess(2024, "basically-competent")

    assert status_on(cadre, "2025-06-01")["flags"] == []


def test_two_consecutive_incompetent_years_raise_three_flags() -> None:
    cadre = Dossier()
    cadre.assess(2023, "incompetent")
    cadre.assess(2024, "incompetent")

    flags = status_on(cadre, "2025-06-01")["flags"]

    assert sorted((f["trigger"], tuple(f["basis"])) for f in flags) == [
        ("incompetent-year", (2023,)), ("incompetent-year", (2024,)),
        ("two-incompetent-consecutive", (2023, 2024))]


def test_a_determination_on_the_flags_last_basis_confirms_or_dismisses_it() -> None:
    cadre = Dossier()
    cadre.assess(2023, "basically-competent")
    cadre.assess(2024, "basically-competent")
    _evaluation(cadre, "ev-1", 30, 5, 5)
    cadre.record("determination", "2025-07-01", trigger="two-basic-consecutive", basis=2024,
                 outcome="confirmed")
    cadre.record("determination", "2025-07-01", trigger="vote-below-two-thirds", basis="ev-1",
                 outcome="dismissed")

    before, after = status_on(cadre, "2025-06-30"), status_on(cadre, "2025-07-01")

    assert [f["determination"] for f in before["flags"]] == [None, None]
    assert {f["trigger"]: f["determination"] for f in after["flags"]} == {
        "two-basic-consecutive": "confirmed", "vote-below-two-thirds": "dismissed"}
    assert after["promotable"] is False  # the 2024 grade, not the flag


def test_a_determination_on_another_basis_leaves_the_flag_open() -> None:
    cadre = Dossier()
    cadre.assess(2023, "basically-competent")
    cadre.assess(2024, "basically-competent")
    cadre.record("determination", "2025-07-01", trigger="two-basic-consecutive", basis=2023,
                 outcome="confirmed")

    assert [f["determination"] for f in status_on(cadre, "2025-08-01")["flags"]] == [None]


def test_a_flag_alone_never_makes_a_cadre_unpromotable() -> None:
    cadre = Dossier()
    _evaluation(cadre, "ev-1", 30, 0, 0)

    status = status_on(cadre, "2025-07-01")

    assert (len(status["flags"]), status["promotable"]) == (1, True)
