"""Encryption at rest: no plaintext name in the file; seals cover the ciphertext, so verify needs no key."""
from __future__ import annotations

import base64
import copy
import os
from datetime import date

import pytest

from ledger.app import CadreLedger
from ledger.errors import StorageError
from ledger.examples import EXAMPLES
from ledger.integrity.front import verify_ledger
from projections.reader import Reader

KEY = base64.b64encode(os.urandom(32)).decode()


def lines(decisions):
    return list(enumerate(copy.deepcopy(decisions), start=1))


def test_an_encrypted_ledger_holds_no_plaintext_name_and_verifies_without_the_key(tmp_path, monkeypatch):
    path = tmp_path / "secret.db"
    monkeypatch.setenv("CADRE_LEDGER_CIPHER_KEY", KEY)
    app = CadreLedger(str(path))
    app.import_lines(lines(EXAMPLES), "clerk")
    Reader(app).catch_up()
    caught_up = Reader(app).list_cadres(date(2023, 9, 1))
    Reader(app).rebuild()  # decodes the stored states itself: it must decrypt them too
    assert Reader(app).list_cadres(date(2023, 9, 1)) == caught_up
    assert app.history(cadre="HB-000123")[0]["decision"]["name"] == "张明"
    app.close()

    for leftover in tmp_path.iterdir():
        assert "张明".encode() not in leftover.read_bytes(), leftover.name
    monkeypatch.delenv("CADRE_LEDGER_CIPHER_KEY")
    keyless = CadreLedger(str(path))
    assert verify_ledger(keyless.session).ok


def test_the_wrong_key_cannot_read_the_events(tmp_path, monkeypatch):
    monkeypatch.setenv("CADRE_LEDGER_CIPHER_KEY", KEY)
    CadreLedger(str(tmp_path / "s.db")).import_lines(lines(EXAMPLES[:1]), "clerk")
    monkeypatch.setenv("CADRE_LEDGER_CIPHER_KEY", base64.b64encode(os.urandom(32)).decode())

    with pytest.raises(StorageError, match="CADRE_LEDGER_CIPHER_KEY"):
        CadreLedger(str(tmp_path / "s.db")).history(cadre="HB-000123")


def test_a_malformed_key_is_refused_with_how_to_make_one(tmp_path, monkeypatch):
    monkeypatch.setenv("CADRE_LEDGER_CIPHER_KEY", "not-base64!")

    with pytest.raises(StorageError, match="base64 of 16, 24 or 32 random bytes"):
        CadreLedger(str(tmp_path / "s.db"))
