"""Encryption at rest: an encrypted ledger knows its key, refuses every other, and holds nothing readable
beyond what SPEC lists as visible; seals cover the ciphertext, so `verify --log-only` needs no key."""
from __future__ import annotations

import base64
import copy
import os
import sqlite3
from datetime import UTC, date, datetime

import pytest

from ledger.app import CadreLedger
from ledger.decisions import content_hash, parse, sha256_hex, with_id
from ledger.demo import generate
from ledger.errors import IntegrityFailure, StorageError
from ledger.events import stream_id
from ledger.examples import EXAMPLES
from ledger.integrity.front import prove, verify_ledger
from ledger.integrity.proofs import verify_proof_doc
from ledger.storage.keyring import Keyring
from projections.audit import verify_derived
from projections.feed import envelopes
from projections.reader import Reader

KEY = base64.b64encode(os.urandom(32)).decode()
OTHER = base64.b64encode(os.urandom(32)).decode()
AS_OF = date(2026, 6, 30)
PROVINCE = [*EXAMPLES, *generate(cadres=30, years=4, seed=11)]  # with findings, handovers, cases and units


def lines(decisions):
    return list(enumerate(copy.deepcopy(decisions), start=1))


def recorded(url: str, monkeypatch, key: str | None = KEY, decisions=EXAMPLES) -> None:
    """`decisions` recorded into the ledger at `url` with `key` (none: not encrypted), read models built."""
    if key:
        monkeypatch.setenv("CADRE_LEDGER_CIPHER_KEY", key)
    else:
        monkeypatch.delenv("CADRE_LEDGER_CIPHER_KEY", raising=False)
    app = CadreLedger(url)
    assert app.import_lines(lines(decisions), "clerk").errors == []
    Reader(app).catch_up()
    app.close()


def events_in(path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM stored_events").fetchone()[0]


def test_the_log_verifies_without_the_key_and_nothing_else_opens_without_it(tmp_path, monkeypatch):
    path = str(tmp_path / "secret.db")
    recorded(path, monkeypatch)
    monkeypatch.delenv("CADRE_LEDGER_CIPHER_KEY")

    keyless = CadreLedger(path, mode="read", keyless=True)
    assert verify_ledger(keyless.session).ok
    assert "is encrypted: set CADRE_LEDGER_CIPHER_KEY" in (keyless.key_problem or "")
    keyless.close()
    for mode in ("read", "write"):
        with pytest.raises(StorageError, match="this ledger is encrypted: set CADRE_LEDGER_CIPHER_KEY"):
            CadreLedger(path, mode=mode)


@pytest.mark.parametrize("mode", ["read", "write"])
def test_another_key_is_refused_in_one_line_before_anything_is_read_or_written(tmp_path, monkeypatch, mode):
    path = str(tmp_path / "secret.db")
    recorded(path, monkeypatch)
    before = events_in(path)
    monkeypatch.setenv("CADRE_LEDGER_CIPHER_KEY", OTHER)

    with pytest.raises(StorageError, match="not this ledger's key"):
        CadreLedger(path, mode=mode)
    assert events_in(path) == before


def test_a_key_given_to_a_ledger_that_is_not_encrypted_is_refused(tmp_path, monkeypatch):
    path = str(tmp_path / "plain.db")
    recorded(path, monkeypatch, key=None)
    before = events_in(path)
    monkeypatch.setenv("CADRE_LEDGER_CIPHER_KEY", KEY)

    with pytest.raises(StorageError, match="this ledger is not encrypted"):
        CadreLedger(path)
    assert events_in(path) == before


def test_the_ledger_records_the_fingerprint_of_its_key_never_the_key(tmp_path, monkeypatch):
    path = tmp_path / "secret.db"
    recorded(str(path), monkeypatch)

    with sqlite3.connect(path) as conn:
        meta = dict(conn.execute("SELECT name, value FROM ledger_meta").fetchall())
    raw = base64.b64decode(KEY)
    assert meta["cipher"] == "aes-gcm" and meta["keyed_ids"] == "yes"
    assert meta["key_fingerprint"] == Keyring(raw).fingerprint
    for leftover in tmp_path.iterdir():
        data = leftover.read_bytes()
        assert raw not in data and KEY.encode() not in data and raw.hex().encode() not in data, leftover.name


def test_a_malformed_key_is_refused_with_how_to_make_one(tmp_path, monkeypatch):
    monkeypatch.setenv("CADRE_LEDGER_CIPHER_KEY", "not-base64!")

    with pytest.raises(StorageError, match="base64 of 16, 24 or 32 random bytes"):
        CadreLedger(str(tmp_path / "s.db"))


def test_an_encrypted_ledger_answers_every_query_as_a_plain_one_does(tmp_path, monkeypatch):
    recorded(str(tmp_path / "plain.db"), monkeypatch, key=None, decisions=PROVINCE)
    recorded(str(tmp_path / "secret.db"), monkeypatch, decisions=PROVINCE)
    answers = {}
    for name, key in (("plain", None), ("secret", KEY)):
        if key:
            monkeypatch.setenv("CADRE_LEDGER_CIPHER_KEY", key)
        else:
            monkeypatch.delenv("CADRE_LEDGER_CIPHER_KEY", raising=False)
        app = CadreLedger(str(tmp_path / f"{name}.db"), mode="read")
        reader = Reader(app)
        answers[name] = {
            "list": reader.list_cadres(AS_OF), "unit": reader.list_cadres(AS_OF, unit="宜昌市夷陵区"),
            "partial name": reader.list_cadres(AS_OF, name="张"), "named": reader.cadres_named("张明"),
            "findings": reader.findings(AS_OF), "handovers": reader.handovers(AS_OF, unit="宜昌市夷陵区"),
            "units": reader.units(), "streams": app.streams(), "status": reader.status("HB-000123", AS_OF, None),
            "case": [{k: r[k] for k in ("stream", "id", "type")} for r in reader.case("YL-2023-07")],
            "known at": reader.list_cadres(AS_OF, datetime.now(UTC)),
            "feed": [{k: e[k] for k in ("position", "id", "stream", "type", "data")} for e in envelopes(app)],
        }
        answers[name]["status"].pop("known_at")
        app.close()

    assert answers["secret"] == answers["plain"]
    assert all(answers["plain"][what] for what in ("named", "case", "unit", "findings", "handovers", "units"))


def test_full_verify_opens_every_sealed_row_and_catches_one_moved(tmp_path, monkeypatch):
    path = str(tmp_path / "secret.db")
    recorded(path, monkeypatch)
    app = CadreLedger(path, mode="read")
    assert verify_derived(app).ok
    app.close()

    with sqlite3.connect(path) as conn:  # two restriction rows swap their sealed values
        rows = conn.execute("SELECT rowid, sealed FROM proj_restrictions ORDER BY rowid LIMIT 2").fetchall()
        conn.execute("UPDATE proj_restrictions SET sealed = ? WHERE rowid = ?", (rows[1][1], rows[0][0]))
    app = CadreLedger(path, mode="read")
    report = verify_derived(app)
    app.close()

    assert not report.ok and "proj_restrictions" in report.line()


def test_a_proof_from_an_encrypted_ledger_names_its_decision_and_stream_and_binds_them(tmp_path, monkeypatch):
    path = str(tmp_path / "secret.db")
    recorded(path, monkeypatch)
    app = CadreLedger(path, mode="read")
    unit_decision = next(d for d in EXAMPLES if "unit" in d and d["type"] == "unit-accountability")

    doc = prove(app.session, unit_decision["id"], None, app.keys, app.stream_name)
    app.close()
    proved = verify_proof_doc(doc)

    assert proved["decision_id"] == unit_decision["id"] and proved["stream"] == f"unit/{unit_decision['unit']}"
    assert "decision id" in proved["binds"] and "stream" in proved["binds"]
    for field, value in (("stream", "unit/另一个单位"), ("decision_salt", "00" * 16), ("stream_salt", "00" * 16)):
        edited = copy.deepcopy(doc)
        edited["leaf"][field] = value
        with pytest.raises(IntegrityFailure, match=r"edited|does not hash"):
            verify_proof_doc(edited)


def test_a_ledger_encrypted_by_the_first_release_is_adopted_with_its_unkeyed_ids(tmp_path, monkeypatch):
    path = str(tmp_path / "first.db")
    monkeypatch.setenv("CADRE_LEDGER_CIPHER_KEY", KEY)
    app = CadreLedger(path)
    with app.session.transaction() as c:  # the first release wrote unkeyed ids and recorded nothing
        c.execute("UPDATE ledger_meta SET value = 'no' WHERE name = 'keyed_ids'")
    app.close()
    recorded(path, monkeypatch)
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM ledger_meta")
    plain_id = stream_id("cadre/HB-000123").hex

    for key, refused in ((None, "is encrypted"), (OTHER, "not this ledger's key")):
        monkeypatch.setenv("CADRE_LEDGER_CIPHER_KEY", key) if key else monkeypatch.delenv("CADRE_LEDGER_CIPHER_KEY")
        with pytest.raises(StorageError, match=refused):
            CadreLedger(path)
    monkeypatch.setenv("CADRE_LEDGER_CIPHER_KEY", KEY)
    app = CadreLedger(path)
    assert app.keys is not None and not app.keys.keyed
    assert app.load_subject(app.id_of(__import__("ledger.cadre").cadre.Cadre, "HB-000123")).id.hex == plain_id
    assert verify_derived(app).ok and verify_ledger(app.session).ok
    app.close()
    with sqlite3.connect(path) as conn:
        assert dict(conn.execute("SELECT name, value FROM ledger_meta").fetchall())["keyed_ids"] == "no"


def test_content_hashes_and_derived_ids_are_keyed(tmp_path, monkeypatch):
    decision = parse({"type": "health-check", "on": "2024-01-02", "cadre": "HB-000123"})
    path = str(tmp_path / "secret.db")
    recorded(path, monkeypatch, decisions=[*EXAMPLES[:1], decision])
    keys = Keyring.from_text(KEY)

    derived_plain = with_id(decision)["id"]
    derived_keyed = with_id(decision, keys.content_hash)["id"]
    with sqlite3.connect(path) as conn:
        index = conn.execute("SELECT decision_id, content_hash FROM ledger_decisions").fetchall()

    assert derived_keyed != derived_plain
    assert (keys.decision_ref(derived_keyed), content_hash(with_id(decision, keys.content_hash),
                                                           keys.content_hash)) in index
    assert all(chash != content_hash(decision, sha256_hex) for _, chash in index)
    assert all(ref not in (derived_plain, derived_keyed) for ref, _ in index)
