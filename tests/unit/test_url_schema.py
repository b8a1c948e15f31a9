"""A PostgreSQL ?schema= is one plain identifier, or the URL is refused in one line (exit 2)."""
from __future__ import annotations

import pytest

from ledger.errors import StorageError
from ledger.storage.url import parse_url

BASE = "postgresql://ledger:secret@db.internal:5432/cadres"


@pytest.mark.parametrize("schema", ["hubei", "Hubei_2025", "_ledger", "湖北", "a" * 63])
def test_a_plain_identifier_is_accepted_as_given(schema):
    assert parse_url(f"{BASE}?schema={schema}").schema == schema


def test_no_schema_means_public():
    assert parse_url(BASE).schema == "public"


@pytest.mark.parametrize("query", ["schema=%20hubei", "schema=hubei%20", "schema=", "schema", "schema=a%22b",
                                   "schema=a'b", "schema=1hubei", "schema=hu-bei", "schema=hu.bei",
                                   "schema=" + "a" * 64, "schema=" + "湖" * 22, "schema=x%1b%5b2J"])
def test_a_schema_that_is_not_a_plain_identifier_is_refused_in_one_line(query):
    with pytest.raises(StorageError, match=r"^the URL's schema .* is not a valid PostgreSQL schema name: use 1–63 "
                                           r"letters, digits or underscores") as refused:
        parse_url(f"{BASE}?{query}")

    assert refused.value.exit_code == 2
    assert "secret" not in refused.value.message and "\x1b" not in refused.value.message


def test_a_schema_given_twice_is_refused():
    with pytest.raises(StorageError, match="gives \\?schema= more than once"):
        parse_url(f"{BASE}?schema=a&schema=b")


def test_an_unclosed_ipv6_host_is_refused_in_one_line():
    with pytest.raises(StorageError, match=r"^the database URL cannot be read \(Invalid IPv6 URL\); accepted: "):
        parse_url("postgresql://ledger@[::1/cadres")
