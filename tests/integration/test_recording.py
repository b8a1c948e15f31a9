"""Recording decisions into a real database: the same tests on SQLite and on PostgreSQL."""
from __future__ import annotations

import copy

import pytest
from eventsourcing.persistence import IntegrityError

from ledger.app import CadreLedger
from ledger.cadre import Cadre
from ledger.errors import ConcurrencyError
from ledger.examples import EXAMPLES

REGISTER = {"id": "reg-1", "type": "register", "on": "2020-01-01", "cadre": "HB-1", "name": "张明", "unit": "夷陵区",
            "post": "科员", "post_level": None, "rank": "staff-1", "rank_since": "2020-01-01", "party_member": True}


def lines(*decisions):
    return list(enumerate(copy.deepcopy(decisions), start=1))


def commendation(n, on="2021-01-01"):
    return {"id": f"c-{n}", "type": "commendation", "on": on, "cadre": "HB-1", "kind": "citation"}


def test_one_decision_of_every_type_is_recorded_and_appears_in_history(ledger):
    report = ledger.import_lines(lines(*EXAMPLES), "clerk")

    assert report.errors == []
    assert report.recorded == len(EXAMPLES)
    recorded = [r for key in ("HB-000123", "HB-000124") for r in ledger.history(cadre=key)]
    recorded += ledger.history(post="YC-YL-PARTY-SECRETARY") + ledger.history(unit="夷陵区发展改革局")
    assert sorted(r["id"] for r in recorded) == sorted(e["id"] for e in EXAMPLES)
    assert {r["type"] for r in recorded} == {e["type"] for e in EXAMPLES}
    assert all(r["actor"] == "clerk" for r in recorded)


def test_reimporting_a_file_is_a_no_op_reported_as_already_recorded(ledger):
    ledger.import_lines(lines(REGISTER, commendation(1)), "clerk")

    again = ledger.import_lines(lines(REGISTER, commendation(1)), "clerk")

    assert (again.recorded, again.already, again.refused) == (0, 2, 0)
    assert len(ledger.history(cadre="HB-1")) == 2


def test_the_same_id_with_different_content_is_refused(ledger):
    ledger.import_lines(lines(REGISTER, commendation(1)), "clerk")

    report = ledger.import_lines(lines(commendation(1, on="2021-02-02")), "clerk")

    assert report.recorded == 0
    assert report.errors == [("line 1: id: c-1 is already recorded with different content; give the new decision "
                             "its own id, or record a correction (variation, retraction)")]


def test_a_file_with_one_bad_line_writes_nothing_and_names_the_line_and_field(ledger):
    bad = {**commendation(2), "kind": "medal"}

    report = ledger.import_lines(lines(REGISTER, commendation(1), bad), "clerk")

    assert report.recorded == 0
    assert len(report.errors) == 1 and report.errors[0].startswith("line 3: kind: 'medal' is not one of")
    assert ledger.decision_hashes(["reg-1", "c-1"]) == {}


def test_skip_invalid_writes_the_good_lines_and_reports_the_rest(ledger):
    orphan = {**commendation(3), "cadre": "HB-404"}

    report = ledger.import_lines(lines(REGISTER, orphan, commendation(1)), "clerk", skip_invalid=True)

    assert report.recorded == 2
    assert report.errors == ["line 2: cadre: HB-404 is not registered; record its register decision first"]


def test_a_dry_run_validates_but_writes_nothing(ledger):
    report = ledger.import_lines(lines(REGISTER, commendation(1)), "clerk", dry_run=True)

    assert report.summary() == "would record 2, already recorded 0, refused 0"
    assert ledger.decision_hashes(["reg-1"]) == {}


def test_a_write_without_an_actor_is_refused(ledger):
    with pytest.raises(Exception, match="no actor"):
        ledger.import_lines(lines(REGISTER), "  ")


def test_a_concurrent_write_to_the_same_cadre_is_retried_after_reloading(ledger):
    ledger.import_lines(lines(REGISTER), "clerk")
    other = CadreLedger(ledger.database)
    load = ledger.load_subject
    interfered = []

    def load_then_interfere(agg_id):
        subject = load(agg_id)
        if not interfered:
            interfered.append(other.import_lines(lines(commendation(9)), "second clerk"))
        return subject

    ledger.load_subject = load_then_interfere

    report = ledger.import_lines(lines(commendation(1)), "clerk")

    assert report.recorded == 1 and report.errors == []
    assert [r["id"] for r in ledger.history(cadre="HB-1")] == ["reg-1", "c-9", "c-1"]
    other.close()


def test_a_write_that_keeps_conflicting_gives_up_with_a_clear_error(ledger, monkeypatch):
    ledger.import_lines(lines(REGISTER), "clerk")

    def always_conflicts(*_events, **_kwargs):
        raise IntegrityError("UNIQUE constraint failed: stored_events.originator_id, stored_events.originator_version")

    monkeypatch.setattr(ledger, "write_events", always_conflicts)

    with pytest.raises(ConcurrencyError, match="other writers kept changing the same records"):
        ledger.import_lines(lines(commendation(1)), "clerk")


def test_aggregate_ids_are_uuid5_of_the_stream_name():
    assert Cadre.id_for("HB-1") == Cadre.id_for("HB-1")
    assert Cadre.stream("HB-1") == "cadre/HB-1"
    assert Cadre.id_for("HB-1").version == 5


def test_facts_known_at_an_earlier_time_leave_out_later_recordings(ledger):
    ledger.import_lines(lines(REGISTER), "clerk")
    first = ledger.history(cadre="HB-1")[0]["recorded_at"]
    ledger.import_lines(lines(commendation(1)), "clerk")

    assert [r["id"] for r in ledger.history(cadre="HB-1", at=first)] == ["reg-1"]
