"""keygen: both keys or neither, missing directories created, anything else refused in one line."""
from __future__ import annotations

import os
import stat

import pytest

from ledger.errors import UnusableInput
from ledger.integrity import keys
from ledger.integrity.keys import generate_keypair, load_private_key, load_public_key


def test_missing_directories_are_created_the_private_one_closed_to_others(tmp_path):
    private, public = tmp_path / "secure" / "keys" / "ledger.key", tmp_path / "shared" / "ledger.pub"

    fingerprint = generate_keypair(private, public)

    assert load_private_key(private).public_key().public_bytes_raw() == load_public_key(public).public_bytes_raw()
    assert len(fingerprint) == 64
    assert stat.S_IMODE(os.stat(private).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(private.parent).st_mode) == 0o700
    assert sorted(p.name for p in private.parent.iterdir()) == ["ledger.key"]  # no temporary file left


def test_a_public_key_that_cannot_be_placed_leaves_no_private_key_either(tmp_path, monkeypatch):
    private, public = tmp_path / "ledger.key", tmp_path / "ledger.pub"
    placed = keys._place

    def fail_on_the_public_key(temp, path):
        if path == public:
            raise OSError(28, "No space left on device", str(path))
        placed(temp, path)

    monkeypatch.setattr(keys, "_place", fail_on_the_public_key)

    with pytest.raises(UnusableInput, match=r"^cannot write .*ledger\.pub: No space left on device; no key was"):
        generate_keypair(private, public)

    assert list(tmp_path.iterdir()) == []


def test_a_rerun_after_a_failure_writes_the_pair(tmp_path, monkeypatch):
    private, public = tmp_path / "ledger.key", tmp_path / "ledger.pub"

    def failing_disk(path, data, mode):
        raise OSError(5, "Input/output error", str(path))

    monkeypatch.setattr(keys, "_temporary", failing_disk)
    with pytest.raises(UnusableInput):
        generate_keypair(private, public)
    monkeypatch.undo()

    generate_keypair(private, public)

    assert private.exists() and public.exists()


def test_a_file_in_the_way_of_a_directory_is_refused_in_one_line(tmp_path):
    (tmp_path / "keys").write_text("not a directory")

    with pytest.raises(UnusableInput, match=r"^cannot create the directory .*keys: a file is in the way"):
        generate_keypair(tmp_path / "keys" / "ledger.key", tmp_path / "ledger.pub")

    assert sorted(p.name for p in tmp_path.iterdir()) == ["keys"]


@pytest.mark.parametrize("existing", ["ledger.key", "ledger.pub"])
def test_an_existing_key_file_is_never_overwritten(tmp_path, existing):
    (tmp_path / existing).write_text("keep me")

    with pytest.raises(UnusableInput, match="already exists; choose another path or remove it first"):
        generate_keypair(tmp_path / "ledger.key", tmp_path / "ledger.pub")

    assert [p.name for p in tmp_path.iterdir()] == [existing]
    assert (tmp_path / existing).read_text() == "keep me"


def test_a_file_that_appears_before_the_key_is_placed_is_not_replaced(tmp_path, monkeypatch):
    private, public = tmp_path / "ledger.key", tmp_path / "ledger.pub"
    temporary = keys._temporary

    def someone_else_writes_the_public_key(path, data, mode):
        if path == public:
            public.write_text("someone else's")
        return temporary(path, data, mode)

    monkeypatch.setattr(keys, "_temporary", someone_else_writes_the_public_key)

    with pytest.raises(UnusableInput, match=r"ledger\.pub already exists"):
        generate_keypair(private, public)

    assert [p.name for p in tmp_path.iterdir()] == ["ledger.pub"] and public.read_text() == "someone else's"


def test_the_same_path_for_both_keys_is_refused(tmp_path):
    with pytest.raises(UnusableInput, match=r"both name .*ledger\.key; give each key its own file"):
        generate_keypair(tmp_path / "ledger.key", tmp_path / "." / "ledger.key")


def test_a_directory_as_the_key_path_is_refused(tmp_path):
    with pytest.raises(UnusableInput, match="is a directory; name a key file inside it"):
        generate_keypair(tmp_path, tmp_path / "ledger.pub")
