"""The rules answer the same whether a fact list is read afresh or reused while it grows (rules/reuse.py),
and retroactive breaches are exactly the decisions refused against Precise reading 14's context."""
from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.errors import RuleViolation
from ledger.facts import Fact
from ledger.rules.checks import CHECKED_TYPES, check_decision
from ledger.rules.history import History
from ledger.rules.status import compute_status
from tests.unit.factories import Dossier
from tests.unit.test_rules_properties import _dossier, days, step

LATER = date(2100, 1, 1)


def _refusal(facts: list[Fact], new: Fact) -> tuple | None:
    try:
        check_decision(facts, new)
    except RuleViolation as refused:
        return (refused.rule, refused.detail, refused.blocking, refused.ends_on)
    return None


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(step, max_size=16))
def test_checks_against_a_list_that_grows_agree_with_checks_against_a_fresh_copy(steps: list) -> None:
    facts = _dossier(steps).facts
    grown: list[Fact] = []
    reused, fresh = [], []

    for fact in facts:
        reused.append(_refusal(grown, fact))
        fresh.append(_refusal(list(grown), fact))
        grown.append(fact)

    assert reused == fresh


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(step, max_size=16), days)
def test_the_status_of_a_list_that_grew_agrees_with_the_status_of_a_fresh_copy(steps: list,
                                                                               as_of: date) -> None:
    facts = _dossier(steps).facts
    grown: list[Fact] = []
    for fact in facts:
        compute_status(grown, as_of)
        grown.append(fact)

    reused = compute_status(grown, as_of)

    assert reused == compute_status(list(grown), as_of)


def test_a_list_changed_other_than_by_appending_is_read_afresh() -> None:
    cadre = Dossier()
    cadre.sanction("demerit", "2025-03-10", id="s-1")
    facts = list(cadre.facts)
    assert compute_status(facts, date(2025, 6, 1))["promotable"] is False

    facts.pop()
    facts.append(cadre.draft("training", "2025-03-10", id="t-1"))

    assert compute_status(facts, date(2025, 6, 1))["promotable"] is True


def _naive_breaches(facts: list[Fact]) -> set[tuple]:
    """Precise reading 14 read literally: each recorded, non-overridden, checked decision re-checked
    against the facts recorded before it plus later-recorded ones effective strictly earlier
    (corrections and variations whatever their date)."""
    void = History(facts).void
    found = set()
    for position, fact in enumerate(facts):
        if fact["type"] not in CHECKED_TYPES or fact.get("override_reason") or fact["id"] in void:
            continue
        later = [f for f in facts[position + 1:]
                 if f["on"] < fact["on"] or f["type"] in ("retraction", "revocation", "variation")]
        refused = _refusal(facts[:position] + later, fact) if later else None
        if refused is not None:
            found.add((fact["id"], refused[0], refused[1]))
    return found


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(step, max_size=14))
def test_retroactive_breaches_are_the_decisions_refused_against_their_context(steps: list) -> None:
    facts = _dossier(steps).facts

    findings = compute_status(facts, LATER)["findings"]

    breaches = {(f["source"], f["rule"], f["detail"]) for f in findings if f["kind"] == "retroactive-breach"}
    assert breaches == _naive_breaches(facts)
