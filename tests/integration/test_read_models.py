"""The read models: caught up incrementally or rebuilt, they agree with each other and with a replay."""
from __future__ import annotations

import copy
from datetime import UTC, date, datetime

import pytest

from ledger.examples import EXAMPLES
from projections import runner
from projections.reader import Reader
from projections.tables import TABLE_NAMES


def lines(decisions):
    return list(enumerate(copy.deepcopy(decisions), start=1))


def snapshot(app):
    """Every row of every read-model table, order-free."""
    with app.session.transaction(commit=False) as c:
        return {t: sorted(map(repr, c.execute(f"SELECT * FROM {t}").fetchall())) for t in TABLE_NAMES}


def test_read_models_caught_up_page_by_page_equal_a_rebuild(ledger):
    Reader(ledger)  # creates the reporting tables
    for start in range(0, len(EXAMPLES), 9):  # several writes, several catch-ups
        ledger.import_lines(lines(EXAMPLES[start:start + 9]), "clerk")
        runner.catch_up(ledger, page=4)
    caught_up = snapshot(ledger)

    Reader(ledger).rebuild()

    assert snapshot(ledger) == caught_up
    assert Reader(ledger).positions()[0]["lag"] == 0


@pytest.mark.parametrize("as_of, promotable", [
    ("2023-04-30", True),    # before the investigation and the demerit
    ("2023-07-31", False),   # the investigation runs until its close
    ("2023-09-01", False),   # the demerit, as the ledger showed it before its reduction
    ("2024-01-31", False),   # the warning it was reduced to runs until 2024-02-01
    ("2024-02-01", True),    # the admonition was varied to a circular from the start, even as of before
    ("2024-03-15", True),    # the variation's own date
])
def test_not_promotable_list_follows_exemptions_from_their_own_date_and_variations_from_the_start(
        ledger, as_of, promotable):
    ledger.import_lines(lines(EXAMPLES), "clerk")

    rows = Reader(ledger).list_cadres(date.fromisoformat(as_of), not_promotable=True)

    assert ("HB-000123" not in [r["cadre"] for r in rows]) is promotable
    assert Reader(ledger).status("HB-000123", date.fromisoformat(as_of))["promotable"] is promotable


def test_the_list_agrees_with_a_replay_of_every_cadre_on_every_sampled_date(ledger):
    ledger.import_lines(lines(EXAMPLES), "clerk")
    days = [date(y, m, 1) for y in range(2018, 2028) for m in (1, 4, 7, 10)]

    for day in days:
        listed = {r["cadre"]: r["promotable"] for r in Reader(ledger).list_cadres(day)}
        for cadre, promotable in listed.items():
            assert Reader(ledger).status(cadre, day)["promotable"] is promotable, (cadre, day)


def test_a_query_known_at_an_earlier_time_ignores_what_was_recorded_later(ledger):
    before_sanction = [e for e in EXAMPLES if e["id"] not in ("s-2023-17", "exempt-2023", "reuse-2025")]
    ledger.import_lines(lines(before_sanction), "clerk")
    moment = datetime.now(UTC)
    ledger.import_lines(lines([e for e in EXAMPLES if e["id"] in ("s-2023-17", "exempt-2023")]), "clerk")
    day = date(2023, 9, 1)

    now = [r["cadre"] for r in Reader(ledger).list_cadres(day, not_promotable=True)]
    then = [r["cadre"] for r in Reader(ledger).list_cadres(day, moment, not_promotable=True)]

    assert "HB-000123" in now and "HB-000123" not in then


def test_a_page_whose_position_was_already_applied_is_rejected(ledger):
    ledger.import_lines(lines(EXAMPLES[:5]), "clerk")
    Reader(ledger).catch_up()

    with pytest.raises(runner.ProjectionConflict, match="moved past position 2"), ledger.session.transaction() as c:
        runner.advance(c, 2, 5)


def test_a_catch_up_that_crashes_mid_page_resumes_and_applies_every_event_once(ledger, monkeypatch):
    ledger.import_lines(lines(EXAMPLES), "clerk")
    Reader(ledger)  # creates the reporting tables
    real = runner.replace_subject
    calls = []

    def crash_on_the_third_page(c, subject, rows, stored):
        calls.append(subject.key)
        if len(calls) == 7:
            raise RuntimeError("killed")
        real(c, subject, rows, stored)

    monkeypatch.setattr(runner, "replace_subject", crash_on_the_third_page)
    with pytest.raises(RuntimeError):
        runner.catch_up(ledger, page=3)
    monkeypatch.setattr(runner, "replace_subject", real)
    runner.catch_up(ledger, page=3)
    resumed = snapshot(ledger)

    Reader(ledger).rebuild()

    assert snapshot(ledger) == resumed


def test_handovers_list_their_status_on_the_query_date(ledger):
    ledger.import_lines(lines(EXAMPLES), "clerk")

    def status_on(day):
        return [h["status"] for h in Reader(ledger).handovers(date.fromisoformat(day))]

    assert status_on("2025-08-31") == []
    assert status_on("2025-09-15") == ["open"]      # due 09-15 before the extension was approved? no: ext on 09-10
    assert status_on("2025-09-19") == ["completed"]


def test_a_case_gathers_the_units_and_the_leaders_decisions(ledger):
    ledger.import_lines(lines(EXAMPLES), "clerk")

    rows = Reader(ledger).case("YL-2023-07")

    assert {r["stream"] for r in rows} == {"cadre/HB-000123", "unit/夷陵区发展改革局"}
    assert "s-2023-17" in [r["id"] for r in rows]


def test_a_long_backlog_is_applied_subject_by_subject_and_equals_a_rebuild(ledger, monkeypatch):
    monkeypatch.setattr(runner, "BACKLOG", 5)
    monkeypatch.setattr(runner, "BATCH", 2)
    ledger.import_lines(lines(EXAMPLES[:10]), "clerk")
    Reader(ledger).catch_up()
    ledger.import_lines(lines(EXAMPLES[10:]), "clerk")

    applied = Reader(ledger).catch_up()
    caught_up = snapshot(ledger)
    Reader(ledger).rebuild()

    assert applied == len(EXAMPLES) - 10
    assert snapshot(ledger) == caught_up


def test_an_overridden_handover_completion_is_an_audit_finding(ledger):
    head = [e for e in EXAMPLES if e["id"] not in ("ho-sign-sup", "ho-done")]
    ledger.import_lines(lines(head), "clerk")
    done = {**next(e for e in EXAMPLES if e["id"] == "ho-done"), "override_reason": "监交人出差，事后补签"}

    report = ledger.import_lines(lines([done]), "clerk")

    assert report.recorded == 1
    found = Reader(ledger).findings(date(2025, 12, 31), kind="override")
    assert [(f["source"], f["post"], f["rule"]) for f in found] == [
        ("ho-done", "YC-YL-PARTY-SECRETARY", "R-HANDOVER-SIGN")]


def test_a_page_another_process_applied_meanwhile_is_skipped_not_an_error(ledger, db_url, monkeypatch):
    """Two queries catching up at once: the second one's page conflicts, rolls back, and it reads on."""
    from ledger.app import CadreLedger
    from projections.audit import verify_derived

    Reader(ledger)  # creates the reporting tables
    ledger.import_lines(lines(EXAMPLES[:12]), "clerk")
    other = CadreLedger(db_url)
    real = runner.rows_for
    raced = []

    def the_other_catches_up_first(app, subject, *args):
        if app is ledger and not raced:
            raced.append(runner.catch_up(other))  # another process applies the same page meanwhile
        return real(app, subject, *args)

    monkeypatch.setattr(runner, "rows_for", the_other_catches_up_first)
    runner.catch_up(ledger, page=50)
    other.close()

    assert raced and raced[0] > 0
    assert Reader(ledger).positions()[0]["lag"] == 0
    assert verify_derived(ledger).ok


def test_a_snapshot_another_process_took_meanwhile_does_not_fail_a_read(db_url, monkeypatch):
    from ledger.app import CadreLedger
    from ledger.cadre import Cadre

    writer = CadreLedger(db_url, snapshot_interval=3)
    writer.import_lines(lines(EXAMPLES), "clerk")
    writer.close()
    cadre = next(e["cadre"] for e in EXAMPLES if e.get("cadre"))
    first, second = (CadreLedger(db_url, mode="read", snapshot_interval=3) for _ in range(2))
    real_put = second.snapshots.put
    saved = []

    def the_first_saves_it_just_before(snapshots, **kwargs):
        expected = first.facts(Cadre, cadre)  # the other process reads the same cadre and saves its snapshot
        saved.append(expected)
        return real_put(snapshots, **kwargs)  # this one's save of the same version then conflicts

    monkeypatch.setattr(second.snapshots, "put", the_first_saves_it_just_before)
    assert second.facts(Cadre, cadre) == saved[0]
    first.close()
    second.close()


def test_a_query_while_writers_hold_the_lock_derives_the_lag_in_memory_instead_of_failing(ledger, monkeypatch):
    import sqlite3

    Reader(ledger).catch_up()
    ledger.import_lines(lines(EXAMPLES[:20]), "clerk")
    day = date(2023, 9, 1)
    expected = Reader(ledger).list_cadres(day)  # caught up first
    ledger.import_lines(lines(EXAMPLES[20:]), "clerk")

    def locked(*_args, **_kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(runner, "catch_up", locked)
    reader = Reader(ledger)
    got = reader.list_cadres(day)
    monkeypatch.undo()
    want = Reader(ledger).list_cadres(day)  # caught up

    assert got == want and expected != want
    assert any("another process held the lock" in note for note in reader.notes)


def lagging(url):
    """A ledger whose reporting tables were brought up to date half way through the examples."""
    from ledger.app import CadreLedger

    app = CadreLedger(url)
    Reader(app).catch_up()
    app.import_lines(lines(EXAMPLES[:20]), "clerk")
    Reader(app).catch_up()
    app.import_lines(lines(EXAMPLES[20:]), "clerk")
    return app


def test_a_query_does_not_queue_behind_another_process_catching_up_on_postgresql(pg_url):
    import psycopg

    from ledger.app import CadreLedger

    app = lagging(pg_url)
    day = date(2023, 9, 1)
    base, schema = pg_url.split("?schema=")
    with psycopg.connect(base) as other:  # another process in the middle of a catch-up: the position locked
        other.execute(f"SELECT position FROM {schema}.proj_tracking FOR UPDATE")
        reader = Reader(CadreLedger(pg_url, mode="read"))
        got = reader.list_cadres(day)  # would wait for `other` forever if it queued
        other.rollback()
    want = Reader(app).list_cadres(day)

    assert got == want
    assert any("another process held the lock" in note for note in reader.notes)
    reader.app.close()
    app.close()


def test_a_query_does_not_wait_for_a_writer_holding_the_sqlite_lock(tmp_path):
    import sqlite3
    import threading

    from ledger.app import CadreLedger

    path = str(tmp_path / "ledger.db")
    app = lagging(path)
    day = date(2023, 9, 1)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process in the middle of a write
    answered = []
    reader = Reader(CadreLedger(path, mode="read"))
    query = threading.Thread(target=lambda: answered.append(reader.list_cadres(day)), daemon=True)
    query.start()
    query.join(20)  # the ledger's lock timeout is 30 s: a query that waited for the lock would not be done
    # (its catch-up reads first, and SQLite refuses a reading transaction's write at once while another holds
    # the lock: nothing waits)
    writer.execute("ROLLBACK")
    writer.close()
    want = Reader(app).list_cadres(day)

    assert answered and answered[0] == want
    assert any("another process held the lock" in note for note in reader.notes)
    reader.app.close()
    app.close()
