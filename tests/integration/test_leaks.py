"""An attacker with a copy of an encrypted ledger (every SQLite file, its WAL included, or a `pg_dump` of its
PostgreSQL schema) finds none of the names, units, titles, texts, kinds or decision ids it was given: only
what SPEC lists as visible (positions, versions, dates, cadre numbers, post ids and event types)."""
from __future__ import annotations

import base64
import copy
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from ledger.app import CadreLedger
from ledger.decisions import content_hash, parse, with_id
from ledger.demo import generate
from ledger.events import stream_id
from ledger.examples import EXAMPLES
from ledger.schema import TYPES
from projections.reader import Reader
from projections.tables import TABLES

KEY = base64.b64encode(os.urandom(32)).decode()
PROVINCE = [*EXAMPLES, *generate(cadres=40, years=5, seed=7)]
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
VISIBLE_FIELDS = ("type", "on", "cadre", "post")


def strings(value: Any) -> Iterator[str]:
    """Every string a decision's value holds."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)


def secrets(decisions: list[dict[str, Any]]) -> dict[str, str]:
    """Each text of the input that must not be readable, with the field it came from: every string of every
    field but the event type, the dates and the cadre numbers and post ids (which SPEC lets show), long enough
    that random ciphertext cannot contain it by chance; the plain content hashes and the unkeyed stream ids."""
    visible = {str(d[k]) for d in decisions for k in ("cadre", "post") if k in d}
    allowed = "\n".join([*TYPES, *visible, *TABLES, *(spec for spec in TABLES.values())])
    found: dict[str, str] = {}
    for d in decisions:
        for field, value in d.items():
            if field in VISIBLE_FIELDS:
                continue
            for text in strings(value):
                long_enough = len(text.encode()) >= 6 if not text.isascii() else len(text) >= 5
                if long_enough and not DAY.fullmatch(text) and text not in visible and text not in allowed:
                    found[text] = field
        plain = with_id(parse(copy.deepcopy(d)))
        found[content_hash(plain)] = "plain content hash"
        for kind in ("unit", "post", "cadre"):
            if kind in d:
                uuid = stream_id(f"{kind}/{d[kind]}")
                if kind == "unit":
                    found[uuid.hex] = found[str(uuid)] = "unkeyed stream id"
    return found


def readable(data: bytes, wanted: dict[str, str]) -> list[str]:
    return sorted(f"{field}: {text}" for text, field in wanted.items() if text.encode() in data)


@pytest.fixture
def keyed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CADRE_LEDGER_CIPHER_KEY", KEY)


def record(url: str) -> CadreLedger:
    app = CadreLedger(url)
    assert app.import_lines(enumerate(copy.deepcopy(PROVINCE), 1), "组织部-王").errors == []
    Reader(app).rebuild()
    return app


def test_no_file_of_an_encrypted_sqlite_ledger_holds_any_text_of_its_input(tmp_path, keyed) -> None:
    app = record(str(tmp_path / "secret.db"))  # left open: its write-ahead log still holds the last pages
    files = sorted(tmp_path.iterdir())
    data = {f.name: f.read_bytes() for f in files}
    app.close()
    wanted = secrets(PROVINCE)

    assert any(name.endswith("-wal") for name in data), "the write-ahead log was read too"
    assert "组织部-王".encode() not in b"".join(data.values())
    for name, content in data.items():
        assert readable(content, wanted) == [], name
    assert len(wanted) > 1000


def test_the_same_ledger_in_the_clear_shows_them(tmp_path, monkeypatch) -> None:
    """The check above can fail: without a key, the same files hold the same texts."""
    monkeypatch.delenv("CADRE_LEDGER_CIPHER_KEY", raising=False)
    record(str(tmp_path / "plain.db")).close()

    found = readable((tmp_path / "plain.db").read_bytes(), secrets(PROVINCE))

    assert len(found) > 500


@pytest.mark.postgres
def test_a_pg_dump_of_an_encrypted_ledger_holds_no_text_of_its_input(pg_url, keyed) -> None:
    pg_dump = shutil.which("pg_dump")
    assert pg_dump is not None, "pg_dump (postgresql-client) is needed to dump the schema"
    record(pg_url).close()
    parts = urlsplit(pg_url)
    schema = parse_qs(parts.query)["schema"][0]

    dump = subprocess.run([pg_dump, "--no-owner", "--schema", schema, parts._replace(query="").geturl()],
                          capture_output=True, check=True).stdout

    own = (b"SET ", b"SELECT pg_catalog.set_config", b"--")  # pg_dump's own settings and comments
    dump = b"\n".join(line for line in dump.splitlines() if not line.startswith(own))
    assert b"CREATE TABLE" in dump and b"COPY " in dump
    assert "组织部-王".encode() not in dump
    assert readable(dump, secrets(PROVINCE)) == []
