"""Migration SQLite → PostgreSQL: the same bytes, seals and statuses on both."""
from __future__ import annotations

import copy
from datetime import date

import pytest

from ledger.app import CadreLedger
from ledger.errors import LedgerError
from ledger.examples import EXAMPLES
from ledger.storage.migration import migrate
from projections.reader import Reader


def lines(decisions):
    return list(enumerate(copy.deepcopy(decisions), start=1))


def raw_rows(app, sql):
    with app.session.transaction(commit=False) as c:
        return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in r) for r in c.execute(sql).fetchall()]


@pytest.mark.postgres
def test_a_sqlite_ledger_migrates_to_postgresql_with_identical_bytes_seals_and_statuses(tmp_path, pg_url):
    source = CadreLedger(str(tmp_path / "source.db"))
    source.import_lines(lines(EXAMPLES), "clerk")
    target = CadreLedger(pg_url)

    copied = migrate(source.session, target.session)
    Reader(target).rebuild()

    assert copied == len(EXAMPLES)
    assert raw_rows(source, "SELECT rowid, originator_version, topic, state FROM stored_events ORDER BY rowid") == \
        raw_rows(target, "SELECT notification_id, originator_version, topic, state FROM ledger_events ORDER BY 1")
    for table in ("ledger_seals", "ledger_merkle_nodes", "ledger_seal_head", "ledger_decisions"):
        everything = f"SELECT * FROM {table} ORDER BY 1"
        assert raw_rows(source, everything) == raw_rows(target, everything)
    for cadre in ("HB-000123", "HB-000124"):
        for day in (date(2023, 9, 1), date(2025, 10, 1), date(2027, 1, 1)):
            a, b = Reader(source).status(cadre, day), Reader(target).status(cadre, day)
            a.pop("known_at"), b.pop("known_at")
            assert a == b
    assert Reader(source).list_cadres(date(2023, 9, 1)) == Reader(target).list_cadres(date(2023, 9, 1))
    source.close(), target.close()


def test_migrating_into_a_ledger_that_is_not_empty_is_refused(tmp_path):
    source, target = CadreLedger(str(tmp_path / "a.db")), CadreLedger(str(tmp_path / "b.db"))
    source.import_lines(lines(EXAMPLES[:2]), "clerk")
    target.import_lines(lines(EXAMPLES[:1]), "clerk")

    with pytest.raises(LedgerError, match="is not empty"):
        migrate(source.session, target.session)


def test_a_migrated_ledger_accepts_new_decisions_after_the_copied_positions(tmp_path, db_url):
    source = CadreLedger(str(tmp_path / "source.db"))
    source.import_lines(lines(EXAMPLES[:-1]), "clerk")
    target = CadreLedger(db_url)
    migrate(source.session, target.session)

    report = target.import_lines(lines(EXAMPLES[-1:]), "clerk")

    assert report.recorded == 1
    assert target.recorder.max_notification_id() == len(EXAMPLES)


@pytest.mark.postgres
def test_an_encrypted_ledger_migrates_with_its_key_and_verifies_there(tmp_path, pg_url, monkeypatch):
    import base64
    import os

    from click.testing import CliRunner

    from cli import cli

    key = base64.b64encode(os.urandom(32)).decode()
    monkeypatch.setenv("CADRE_LEDGER_CIPHER_KEY", key)
    source = CadreLedger(str(tmp_path / "source.db"))
    source.import_lines(lines(EXAMPLES), "clerk")
    source.close()

    moved = CliRunner().invoke(cli, ["--db", str(tmp_path / "source.db"), "migrate", "--to", pg_url])
    verified = CliRunner().invoke(cli, ["--db", pg_url, "verify"])
    shown = CliRunner().invoke(cli, ["--db", pg_url, "show", "张明", "--as-of", "2023-09-01", "--json"])
    monkeypatch.setenv("CADRE_LEDGER_CIPHER_KEY", base64.b64encode(os.urandom(32)).decode())
    refused = CliRunner().invoke(cli, ["--db", pg_url, "show", "张明"])

    assert moved.exit_code == 0, moved.output
    assert verified.exit_code == 0 and "reporting tables equal the events" in verified.output
    assert shown.exit_code == 0 and '"cadre": "HB-000123"' in shown.output
    assert refused.exit_code == 2 and "not this ledger's key" in refused.output
