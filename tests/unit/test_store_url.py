"""Database URLs: the accepted forms, the default, and the refusals."""
from __future__ import annotations

import pytest

from ledger.errors import StorageError
from ledger.storage.url import parse_url


def test_no_url_and_no_environment_means_the_sqlite_file_in_the_current_directory(monkeypatch):
    monkeypatch.delenv("CADRE_LEDGER_DB", raising=False)

    db = parse_url(None)

    assert (db.kind, db.path) == ("sqlite", "cadre-ledger.db")


def test_the_environment_names_the_database_when_no_option_does(monkeypatch):
    monkeypatch.setenv("CADRE_LEDGER_DB", "sqlite:///var/lib/ledger.db")

    assert parse_url(None).path == "var/lib/ledger.db"


def test_four_slashes_give_an_absolute_sqlite_path_and_a_bare_path_is_a_file():
    assert parse_url("sqlite:////srv/ledger.db").path == "/srv/ledger.db"
    assert parse_url("data/ledger.db").path == "data/ledger.db"


def test_a_postgresql_url_keeps_its_parts_and_never_shows_the_password():
    db = parse_url("postgresql://clerk:s3cret@db.example:5433/ledger?schema=hubei")

    assert (db.host, db.port, db.user, db.password, db.dbname, db.schema) == (
        "db.example", 5433, "clerk", "s3cret", "ledger", "hubei")
    assert "s3cret" not in db.redacted()


@pytest.mark.parametrize("url", [":memory:", "sqlite:///:memory:", "file:x?mode=memory"])
def test_the_in_memory_store_is_never_chosen(url):
    with pytest.raises(StorageError, match="never kept in memory"):
        parse_url(url)


def test_an_unknown_scheme_lists_the_accepted_forms():
    with pytest.raises(StorageError, match=r"unknown database URL scheme 'mysql'.*postgresql://"):
        parse_url("mysql://root@localhost/db")


def test_an_error_about_a_postgresql_url_does_not_repeat_its_password():
    with pytest.raises(StorageError) as caught:
        parse_url("postgresql://clerk:s3cret@host:notaport/db")

    assert "s3cret" not in str(caught.value)
