"""Reading a ledger whose stored rows were changed outside it: one StorageError naming the event and verify.

Rows are changed with raw SQL, as an intruder with database access would: state bytes that are not msgpack,
a state of valid msgpack without the event's fields or with a field of another type, a topic naming no class.
Rebuild and the feed name the position; queries name the stream and the version whose seal no longer
matches. An error on a stream whose rows all match their seals is a bug, and is not disguised as damage.
"""
from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from ledger.errors import StorageError
from ledger.examples import EXAMPLES
from ledger.storage.transcoder import MsgpackTranscoder
from projections.feed import envelopes
from projections.reader import Reader

ASSESSMENT = "assess-2019"  # the third event of cadre/HB-000123


@pytest.fixture
def recorded(ledger: Any) -> Any:
    assert not ledger.import_lines(list(enumerate(copy.deepcopy(EXAMPLES), 1)), "clerk").errors
    return ledger


def change(app: Any, column: str, value: Any) -> int:
    """Set one column of the assessment's stored event with plain SQL; returns its position."""
    t = app.session.tables
    with app.session.transaction() as c:
        c.execute(f"SELECT position FROM {t.decisions} WHERE decision_id = ?", (ASSESSMENT,))
        at = int(c.fetchone()[0])
        c.execute(f"UPDATE {t.events} SET {column} = ? WHERE {t.position} = ?", (value, at))
    app.loader.cache.clear()
    return at


def restated(app: Any, **fields: Any) -> bytes:
    """The assessment's stored state with some fields replaced (or removed, when None), as valid msgpack."""
    transcoder = MsgpackTranscoder()
    with app.session.transaction(commit=False) as c:
        c.execute(f"SELECT state FROM {app.session.tables.events} e JOIN {app.session.tables.decisions} d "
                  f"ON d.position = e.{app.session.tables.position} WHERE d.decision_id = ?", (ASSESSMENT,))
        state = transcoder.decode(bytes(c.fetchone()[0]))
    for name, value in fields.items():
        if value is None:
            del state[name]
        else:
            state[name] = value
    return transcoder.encode(state)


DAMAGE: dict[str, Callable[[Any], tuple[str, Any]]] = {
    "state that is not msgpack": lambda app: ("state", b"\xc1\xc1\xc1"),
    "state without the event's fields": lambda app: ("state", b"\x80"),
    "state without its decision id": lambda app: ("state", restated(app, decision_id=None)),
    "topic naming no class": lambda app: ("topic", "ledger.cadre:Cadre.Vanished"),
    "topic naming no module": lambda app: ("topic", "nowhere.at_all:Event"),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_rebuild_names_the_position_of_an_unreadable_event_and_verify(recorded, damage):
    position = change(recorded, *DAMAGE[damage](recorded))

    with pytest.raises(StorageError, match=rf"^cannot read the stored event at position {position} \(v3 of .*\): "
                                           r".*; it was changed outside the ledger: run `cadre-ledger verify`") as e:
        Reader(recorded).rebuild()

    assert e.value.exit_code == 2 and "\n" not in e.value.message


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_the_feed_names_the_position_of_an_unreadable_event(recorded, damage):
    position = change(recorded, *DAMAGE[damage](recorded))

    with pytest.raises(StorageError, match=rf"^cannot read the stored event at position {position} "
                                           r"\(v3 of cadre/HB-000123\): "):
        list(envelopes(recorded))


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_status_query_names_the_damaged_version_and_verify(recorded, damage):
    change(recorded, *DAMAGE[damage](recorded))

    with pytest.raises(StorageError, match=r"\(v3: does not match its seal\): .*run `cadre-ledger verify`"):
        Reader(recorded).status("HB-000123", EXAMPLES[-1]["on"])


def test_a_field_of_another_type_in_valid_msgpack_is_damage_not_an_internal_error(recorded):
    change(recorded, "state", restated(recorded, on="2020-01-20"))  # the date became text

    with pytest.raises(StorageError, match=r"^cannot read the stored events of cadre/HB-000123 \(v3: does not match "
                                           r"its seal\): TypeError: "):
        Reader(recorded).rebuild()


def test_an_error_on_a_stream_that_matches_its_seals_is_a_bug_and_passes_through(recorded, monkeypatch):
    import projections.runner

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise TypeError("a bug in the derivation")

    monkeypatch.setattr(projections.runner, "cadre_rows", broken)

    with pytest.raises(TypeError, match="a bug in the derivation"):
        Reader(recorded).rebuild()


@pytest.fixture
def snapshotted(db_url: str) -> Any:
    """The examples in a ledger that snapshots every 5 events, HB-000123 loaded once (so snapshotted)."""
    from ledger.app import CadreLedger
    from ledger.cadre import Cadre

    app = CadreLedger(db_url, snapshot_interval=5)
    assert not app.import_lines(list(enumerate(copy.deepcopy(EXAMPLES), 1)), "clerk").errors
    app.load_subject(Cadre.id_for("HB-000123"))
    yield app
    app.close()


@pytest.mark.parametrize(("column", "value"), [("state", b"\xc1"), ("state", b"\x80"), ("topic", "nowhere:Snapshot")])
def test_a_snapshot_changed_outside_the_ledger_is_one_line_pointing_to_verify(snapshotted, column, value):
    with snapshotted.session.transaction() as c:
        c.execute(f"UPDATE {snapshotted.session.tables.snapshots} SET {column} = ?", (value,))
    snapshotted.loader.cache.clear()

    with pytest.raises(StorageError, match=r"\(its latest snapshot cannot be read\): .*run `cadre-ledger verify`"):
        Reader(snapshotted).status("HB-000123", EXAMPLES[-1]["on"])
