"""Properties of `compute_status` and `check_decision` over generated histories (hypothesis)."""
from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.errors import RuleViolation
from ledger.rules.bars import PROMOTION_BARS
from ledger.rules.checks import check_decision
from ledger.rules.periods import add_months
from ledger.rules.status import compute_status
from tests.unit.factories import Dossier

START = date(2024, 1, 1)
SANCTIONS = ["party-warning", "party-serious-warning", "party-post-removal", "party-probation",
             "party-expulsion", "warning", "demerit", "major-demerit", "grade-demotion", "discharge"]
ORG = ["circular", "admonition", "suspension", "post-adjustment", "accountability-removal", "demotion"]

days = st.integers(min_value=0, max_value=1500).map(lambda n: START + timedelta(days=n))
step = st.one_of(
    st.tuples(st.just("sanction"), st.sampled_from(SANCTIONS), days),
    st.tuples(st.just("org-handling"), st.sampled_from(ORG), days),
    st.tuples(st.just("assessment"), st.sampled_from(["excellent", "competent", "basically-competent",
                                                      "incompetent", "not-graded"]), days),
    st.tuples(st.just("exemption"), st.sampled_from(["exempt", "no-liability", "reduced", "rejected"]), days),
    st.tuples(st.sampled_from(["retraction", "revocation"]), st.just(""), days),
    st.tuples(st.just("variation"), st.sampled_from(SANCTIONS), days),
    st.tuples(st.sampled_from(["party-rights-restored", "probation-extension", "suspension-end"]),
              st.just(""), days),
    st.tuples(st.sampled_from(["investigation-open", "investigation-close"]), st.sampled_from(["C-1", "C-2"]),
              days),
    st.tuples(st.just("rank-promotion"), st.just("researcher-3"), days),
    st.tuples(st.just("appointment"), st.sampled_from(["county-chief", "county-deputy", "bureau-deputy"]),
              days),
)


def _dossier(steps: list[tuple[str, str, date]]) -> Dossier:
    cadre = Dossier()
    measures: list[str] = []
    for type_, value, on in steps:
        if type_ == "sanction":
            extra = {"period_months": 12} if value == "party-probation" else {}
            if value == "post-dismissal":
                extra = {"new_post": "clerk", "new_post_level": None, "new_rank": "staff-1"}
            measures.append(cadre.sanction(value, on.isoformat(), **extra)["id"])
        elif type_ == "org-handling":
            extra = {"new_post_level": "township-chief"} if value == "demotion" else {}
            measures.append(cadre.org(value, on.isoformat(), **extra)["id"])
        elif type_ == "assessment":
            cadre.record("assessment", on, year=on.year - 1, grade=value)
        elif type_ in ("investigation-open", "investigation-close"):
            cadre.record(type_, on, case=value)
        elif type_ == "rank-promotion":
            cadre.record(type_, on, rank=value)
        elif type_ == "appointment":
            cadre.appoint(value, on.isoformat())
        elif measures:
            target = measures[len(cadre.facts) % len(measures)]
            if type_ == "exemption":
                cadre.record(type_, on, target=target, outcome=value, replacement="warning", ground="other")
            elif type_ == "variation":
                cadre.record(type_, on, target=target, kind=value, reason="review")
            else:
                cadre.record(type_, on, target=target, reason="x")
    return cadre


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(step, max_size=14), days)
def test_status_is_consistent_with_its_own_restrictions(steps: list, as_of: date) -> None:
    cadre = _dossier(steps)

    status = compute_status(cadre.facts, as_of)

    running, expired = status["restrictions"], status["expired_restrictions"]
    def identity(row: dict) -> tuple:
        return (row["source"], row["kind"], tuple(row["bars"]), row["effective_on"])

    assert not {identity(r) for r in running} & {identity(r) for r in expired}
    assert all(r["effective_on"] <= as_of and (r["ends_on"] is None or r["ends_on"] > as_of) for r in running)
    assert all(r["effective_on"] <= as_of and r["ends_on"] is not None and r["ends_on"] <= as_of
               for r in expired)
    assert all((r["ends_on"] is None) == (r["end_kind"] != "date") for r in running + expired)
    assert all(r["ends_on"] is None or r["ends_on"] >= r["effective_on"] for r in running + expired)
    assert status["promotable"] == (not any(PROMOTION_BARS & set(r["bars"]) for r in running))
    assert status["party_rights_suspended"] == any("party-rights" in r["bars"] for r in running)
    assert all(f["raised_on"] <= as_of for f in status["findings"])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(step, max_size=14), days)
def test_a_state_restriction_never_runs_past_48_months(steps: list, as_of: date) -> None:
    cadre = _dossier(steps)

    status = compute_status(cadre.facts, as_of)

    for row in status["restrictions"] + status["expired_restrictions"]:
        if row["track"] == "state" and row["end_kind"] == "date":
            assert row["ends_on"] <= add_months(row["effective_on"], 48)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(step, max_size=12), step)
def test_checks_either_pass_or_refuse_with_a_rule_id(steps: list, new: tuple) -> None:
    cadre = _dossier(steps + [new])
    if len(cadre.facts) < 2:
        return
    *facts, last = cadre.facts

    try:
        check_decision(facts, last)
    except RuleViolation as refused:
        assert refused.rule.startswith("R-") and refused.rule in str(refused)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(step, max_size=12), days)
def test_a_cadre_refused_promotion_is_not_promotable(steps: list, on: date) -> None:
    cadre = _dossier(steps)
    promotion = cadre.draft("rank-promotion", on, rank="researcher-3")

    status = compute_status(cadre.facts, on)
    try:
        check_decision(cadre.facts, promotion)
        barred = False
    except RuleViolation as refused:
        barred = refused.rule == "R-RANK-BAR"

    assert barred == (not status["promotable"])
