"""Fixtures shared by the suite: a ledger on SQLite or PostgreSQL, and a clock-free actor."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest

POSTGRES = os.environ.get("CADRE_LEDGER_TEST_POSTGRES")
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL with a fresh schema of its own, dropped afterwards."""
    if not POSTGRES:
        pytest.skip("CADRE_LEDGER_TEST_POSTGRES is not set")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    yield f"{POSTGRES}?schema={schema}"
    with psycopg.connect(POSTGRES, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """The same test on a SQLite file and on PostgreSQL."""
    if request.param == "sqlite":
        return str(tmp_path / "ledger.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def ledger(db_url: str):  # type: ignore[no-untyped-def]
    """An empty CadreLedger on the backend under test."""
    from ledger.app import CadreLedger

    app = CadreLedger(db_url)
    yield app
    app.close()
