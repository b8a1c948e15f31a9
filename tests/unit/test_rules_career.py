"""The career timeline of the dossier: posts, ranks, grades and investigations by date, after corrections."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from ledger.rules.career import compute_timeline
from ledger.status import CONTRACT_ORDER, compose_status
from tests.unit.factories import Dossier, day, status_on


def timeline_on(dossier: Dossier, on: str) -> dict:
    """`compute_timeline` of the dossier's facts as of `on`."""
    return compute_timeline(dossier.facts, day(on))


def appoint(cadre: Dossier, level: str, on: str, title: str, id: str | None = None, path: str = "regular"
            ) -> None:
    """An appointment to the post `title` of `level`."""
    cadre.record("appointment", on, id=id, post=title, post_level=level, path=path)


def posts(rows: list[dict]) -> list[tuple]:
    return [(r["from"].isoformat(), r["to"] and r["to"].isoformat(), r["post"], r["post_level"])
            for r in rows]


def test_an_appointment_ends_the_old_post_on_its_own_day_and_not_the_day_before() -> None:
    cadre = Dossier(on="2020-01-01", post="副区长", post_level="county-deputy", post_level_since="2018-06-01")
    appoint(cadre, "county-chief", "2025-05-01", "区长", id="app-1")

    day_before, day_of = timeline_on(cadre, "2025-04-30"), timeline_on(cadre, "2025-05-01")

    assert posts(day_before["posts"]) == [("2018-06-01", None, "副区长", "county-deputy")]
    assert posts(day_of["posts"]) == [("2018-06-01", "2025-05-01", "副区长", "county-deputy"),
                                      ("2025-05-01", None, "区长", "county-chief")]
    assert [r["source"] for r in day_of["posts"]] == ["reg-HB-12", "app-1"]


def test_a_retracted_appointment_is_not_in_the_timeline_and_a_retracted_retraction_restores_it() -> None:
    cadre = Dossier(post="副区长", post_level="county-deputy")
    appoint(cadre, "county-chief", "2024-03-01", "区长", id="app-wrong")
    cadre.record("retraction", "2024-06-01", id="ret-1", target="app-wrong", reason="recorded in error")

    retracted = timeline_on(cadre, "2025-01-01")
    cadre.record("retraction", "2024-07-01", id="ret-2", target="ret-1", reason="the retraction was wrong")
    restored = timeline_on(cadre, "2025-01-01")

    assert [r["post"] for r in retracted["posts"]] == ["副区长"]
    assert retracted["posts"][0]["to"] is None
    assert [(r["post"], r["from"], r["source"]) for r in restored["posts"]][1:] == [
        ("区长", date(2024, 3, 1), "app-wrong")]


def test_a_removal_closes_the_post_and_leaves_no_row_for_the_time_without_one() -> None:
    cadre = Dossier(post="副区长", post_level="county-deputy", on="2020-01-01")
    cadre.record("removal", "2023-09-01", reason="reassignment")
    appoint(cadre, "county-deputy", "2024-02-01", "副书记", path="lateral")

    rows = timeline_on(cadre, "2025-01-01")["posts"]

    assert posts(rows) == [("2020-01-01", "2023-09-01", "副区长", "county-deputy"),
                           ("2024-02-01", None, "副书记", "county-deputy")]


def test_ranks_run_from_the_registered_rank_date_through_each_change() -> None:
    cadre = Dossier(rank="researcher-4", rank_since="2019-01-01")
    cadre.record("rank-promotion", "2023-03-01", id="up", rank="researcher-3")
    cadre.record("rank-demotion", "2025-10-01", id="down", rank="researcher-4")

    rows = timeline_on(cadre, "2025-10-01")["ranks"]

    assert [(r["from"], r["to"], r["rank"], r["source"]) for r in rows] == [
        (date(2019, 1, 1), date(2023, 3, 1), "researcher-4", "reg-HB-12"),
        (date(2023, 3, 1), date(2025, 10, 1), "researcher-3", "up"),
        (date(2025, 10, 1), None, "researcher-4", "down")]


def test_a_decision_after_the_query_date_is_not_yet_in_the_timeline() -> None:
    cadre = Dossier(rank="researcher-4")
    cadre.record("rank-promotion", "2023-03-01", rank="researcher-3")

    assert [r["rank"] for r in timeline_on(cadre, "2023-02-28")["ranks"]] == ["researcher-4"]


def test_grades_give_each_year_its_latest_assessment_effective_by_the_query_date() -> None:
    cadre = Dossier()
    cadre.assess(2022, "competent", id="a-2022")
    cadre.assess(2023, "basically-competent", id="a-2023")
    cadre.assess(2023, "competent", on="2024-06-01", id="a-2023-review")

    before_review, after_review = timeline_on(cadre, "2024-05-31"), timeline_on(cadre, "2024-06-01")

    assert [(g["year"], g["grade"], g["source"]) for g in before_review["grades"]] == [
        (2022, "competent", "a-2022"), (2023, "basically-competent", "a-2023")]
    assert [(g["year"], g["grade"], g["source"]) for g in after_review["grades"]] == [
        (2022, "competent", "a-2022"), (2023, "competent", "a-2023-review")]


def test_an_investigation_is_open_until_the_day_its_case_is_closed() -> None:
    cadre = Dossier()
    cadre.record("investigation-open", "2024-04-01", id="inv", case="YL-2024-3")
    cadre.record("investigation-close", "2024-09-01", case="YL-2024-3", outcome="no-sanction")

    open_on, closed_on = timeline_on(cadre, "2024-08-31"), timeline_on(cadre, "2024-09-01")

    assert open_on["investigations"] == [{"case": "YL-2024-3", "opened_on": date(2024, 4, 1),
                                          "closed_on": None, "outcome": None, "source": "inv"}]
    assert closed_on["investigations"][0]["closed_on"] == date(2024, 9, 1)
    assert closed_on["investigations"][0]["outcome"] == "no-sanction"


def test_the_timeline_agrees_with_the_status_on_every_day() -> None:
    cadre = Dossier(on="2020-01-01", post="副区长", post_level="county-deputy", rank="researcher-3",
                    rank_since="2019-01-01")
    appoint(cadre, "county-chief", "2022-05-01", "区长", id="app")
    cadre.sanction("post-dismissal", "2023-02-01", id="dismissal", new_post="科员",
                   new_post_level="township-deputy", new_rank="principal-staff-1")
    cadre.record("variation", "2023-08-01", target="dismissal", kind="demerit", reason="复审改为记过")
    cadre.org("demotion", "2024-01-10", new_post_level="county-deputy")
    appoint(cadre, "county-chief", "2024-06-01", "书记", id="wrong")
    cadre.record("revocation", "2024-07-01", target="wrong", reason="overturned")
    cadre.org("accountability-removal", "2025-03-01")
    end = day("2025-06-01")

    timeline = compute_timeline(cadre.facts, end)

    weekly = {day("2020-01-01") + timedelta(days=n) for n in range(0, (end - day("2020-01-01")).days, 7)}
    edges = {f["on"] + timedelta(days=d) for f in cadre.facts for d in (-1, 0) if f["on"] > day("2020-01-01")}
    for on in sorted(weekly | edges):
        status = status_on(cadre, on)
        held = [r for r in timeline["posts"] if r["from"] <= on and (r["to"] is None or on < r["to"])]
        ranked = [r for r in timeline["ranks"] if r["from"] <= on and (r["to"] is None or on < r["to"])]
        assert [(r["post"], r["post_level"], r["unit"]) for r in held] == (
            [(status["post"], status["post_level"], status["unit"])] if status["post"] else []), on
        assert [r["rank"] for r in ranked] == [status["rank"]], on


def test_the_status_document_carries_the_timeline_after_the_contract_keys() -> None:
    cadre = Dossier()
    cadre.appoint("county-chief", "2025-05-01")
    known = datetime(2026, 1, 1, tzinfo=UTC)

    document = compose_status(cadre.facts, day("2025-06-01"), known, posts={}, handovers=[])

    keys = list(document)
    assert keys[:len(CONTRACT_ORDER)] == list(CONTRACT_ORDER)
    assert "timeline" in keys[len(CONTRACT_ORDER):]
    assert document["timeline"] == compute_timeline(cadre.facts, day("2025-06-01"))
    assert [r["post_level"] for r in document["timeline"]["posts"]] == ["county-deputy", "county-chief"]
