"""Two time axes: valid time (--as-of) and transaction time (--known-at), with snapshots on."""
from __future__ import annotations

import copy
from datetime import UTC, date, datetime

import pytest

from ledger.app import CadreLedger
from projections.reader import Reader

REGISTER = {"id": "reg-1", "type": "register", "on": "2020-01-01", "cadre": "HB-1", "name": "张明", "unit": "夷陵区",
            "post": "科员", "post_level": None, "rank": "staff-1", "rank_since": "2020-01-01", "party_member": True}
DEMERIT = {"id": "s-1", "type": "sanction", "on": "2025-03-10", "cadre": "HB-1", "kind": "demerit",
           "authority_kind": "supervisory"}
EXEMPT = {"id": "x-1", "type": "exemption", "on": "2025-09-01", "cadre": "HB-1", "target": "s-1",
          "outcome": "exempt", "ground": "pilot-inexperience"}
REVOKE = {"id": "r-1", "type": "revocation", "on": "2025-12-01", "cadre": "HB-1", "target": "s-1", "reason": "申诉成立"}


def commendations(n):
    return [{"id": f"c-{i}", "type": "commendation", "on": "2021-01-01", "cadre": "HB-1", "kind": "citation"}
            for i in range(n)]


@pytest.fixture
def small_snapshots(db_url):
    app = CadreLedger(db_url, snapshot_interval=3)
    yield app
    app.close()


def record(app, *decisions):
    report = app.import_lines(list(enumerate(copy.deepcopy(decisions), 1)), "clerk")
    assert report.errors == []
    return datetime.now(UTC)


def promotable(app, as_of, known_at=None):
    return Reader(app).status("HB-1", date.fromisoformat(as_of), known_at)["promotable"]


def test_a_late_recorded_sanction_shows_only_to_queries_known_after_it_was_recorded(small_snapshots):
    app = small_snapshots
    before = record(app, REGISTER, *commendations(7))  # snapshots at versions 3 and 6
    record(app, DEMERIT)

    assert promotable(app, "2025-06-01") is False
    assert promotable(app, "2025-06-01", known_at=before) is True
    assert promotable(app, "2026-03-09") is False and promotable(app, "2026-03-10") is True


@pytest.mark.parametrize("as_of, known, expected", [
    # as of the day before the exemption, and the day of it, as known before and after it was recorded
    ("2025-08-31", "before_exemption", False), ("2025-09-01", "before_exemption", False),
    ("2025-08-31", "after_exemption", False), ("2025-09-01", "after_exemption", True),
    # a revocation voids the demerit from the start, but only as known after it was recorded
    ("2025-06-01", "after_exemption", False), ("2025-06-01", "after_revocation", True),
])
def test_as_of_by_known_at_matrix_around_an_exemption_and_a_revocation(small_snapshots, as_of, known, expected):
    app = small_snapshots
    moments = {}
    record(app, REGISTER, *commendations(4), DEMERIT)
    moments["before_exemption"] = datetime.now(UTC)
    moments["after_exemption"] = record(app, EXEMPT)
    moments["after_revocation"] = record(app, REVOKE)

    assert promotable(app, as_of, moments[known]) is expected
    listed = Reader(app).list_cadres(date.fromisoformat(as_of), moments[known], not_promotable=True)
    assert ("HB-1" not in [r["cadre"] for r in listed]) is expected


def test_a_snapshot_newer_than_the_query_time_does_not_leak_later_facts(small_snapshots):
    app = small_snapshots
    early = record(app, REGISTER)
    record(app, *commendations(9))
    Reader(app).status("HB-1", date(2026, 1, 1))  # reading takes a snapshot at the latest version

    history = app.history(cadre="HB-1", at=early)

    assert [r["id"] for r in history] == ["reg-1"]
    assert Reader(app).status("HB-1", date(2026, 1, 1), early)["commendations"] == []


def test_a_decision_effective_in_the_future_is_recorded_now_and_applies_from_its_date(small_snapshots):
    app = small_snapshots
    record(app, REGISTER, {**DEMERIT, "on": "2030-01-15"})

    assert promotable(app, "2030-01-14") is True
    assert promotable(app, "2030-01-15") is False
