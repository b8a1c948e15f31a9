"""`show` read straight from the stored states (projections/quick.py, ledger/storage/direct.py) gives the status
document the reader gives through the application — plain and encrypted, with snapshots, on SQLite and
PostgreSQL — and stays silent (None: the application answers) wherever it could not give exactly that."""
from __future__ import annotations

import base64
import copy
import subprocess
from datetime import UTC, date, datetime
from typing import Any

import pytest
from eventsourcing.cryptography import AESCipher
from eventsourcing.domain import Snapshot
from eventsourcing.utils import Environment, get_topic

from ledger.app import CadreLedger
from ledger.demo import generate
from ledger.events import Decided
from ledger.examples import EXAMPLES
from ledger.storage.direct import DirectLedger
from ledger.storage.url import parse_url
from ledger.subjects import SUBJECTS
from ledger.topics import DECISION_TYPES, SNAPSHOT_INTERVAL, SNAPSHOT_TOPIC, SUBJECT_TOPICS
from projections.quick import quick_status
from projections.reader import Reader
from tests.conftest import BACKENDS
from tests.reliability.support import tmpfs

KEY = base64.b64encode(bytes(range(32))).decode()
PROVINCE = [*EXAMPLES, *generate(cadres=12, years=4, seed=11)]  # with handovers, sanctions, reports
MOMENTS = [(date(2026, 6, 30), None), (date(2024, 1, 1), None), (date(2026, 6, 30), "half")]


def lines(decisions: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    return list(enumerate(copy.deepcopy(decisions), start=1))


def build(url: str, decisions: list[dict[str, Any]], snapshot_interval: int | None = None) -> datetime:
    """Record the first half, read every stream (taking snapshots when the interval is small), record the rest,
    bring the read models up to date; the moment between the halves."""
    app = CadreLedger(url, snapshot_interval=snapshot_interval)
    half = len(decisions) // 2
    assert app.import_lines(lines(decisions[:half]), "clerk").errors == []
    for stream in app.streams():
        app.load_subject(app.stream_id(stream))
    between = datetime.now(UTC)
    assert app.import_lines(lines(decisions[half:]), "clerk").errors == []
    Reader(app).catch_up()
    app.close()
    return between


def cadres(url: str) -> list[str]:
    app = CadreLedger(url, mode="read")
    found = [s.split("/", 1)[1] for s in app.streams() if s.startswith("cadre/")]
    app.close()
    return found


def the_readers_status(url: str, cadre: str, as_of: date, at: datetime | None) -> dict[str, Any]:
    app = CadreLedger(url, mode="read")
    status = Reader(app).status(cadre, as_of, at)
    app.close()
    return status


def same_status(url: str, cadre: str, as_of: date, at: datetime | None) -> None:
    quick = quick_status(url, cadre, as_of, at)
    assert quick is not None, f"the quick read did not serve {cadre}"
    theirs = the_readers_status(url, cadre, as_of, at)
    if at is None:  # the moment of asking, a little later for the reader
        assert quick.pop("known_at") <= theirs.pop("known_at")
    assert quick == theirs


@pytest.mark.parametrize("db", BACKENDS)
@pytest.mark.parametrize("keyed", [False, True], ids=["plain", "encrypted"])
@pytest.mark.parametrize("interval", [None, 3], ids=["no-snapshots", "snapshots"])
def test_the_quick_read_gives_the_readers_status_document(request, tmp_path, monkeypatch, db, keyed, interval):
    url = str(tmp_path / "ledger.db") if db == "sqlite" else request.getfixturevalue("pg_url")
    if keyed:
        monkeypatch.setenv("CADRE_LEDGER_CIPHER_KEY", KEY)
    between = build(url, PROVINCE, interval)

    for cadre in cadres(url):
        for as_of, at in MOMENTS:
            same_status(url, cadre, as_of, between if at else None)


@pytest.mark.parametrize("db", BACKENDS)
def test_a_snapshot_is_read_with_the_events_after_it_in_one_query(request, tmp_path, db):
    url = str(tmp_path / "ledger.db") if db == "sqlite" else request.getfixturevalue("pg_url")
    build(url, EXAMPLES, snapshot_interval=3)
    direct = DirectLedger(parse_url(url))
    agg_id = direct.id_of("cadre", "HB-000123")
    param: Any = agg_id if direct.session.dialect == "postgresql" else agg_id.hex

    rows = direct.session.rows(direct.session.tables.stream_with_snapshot, (param,) * 3)
    facts = direct.facts("cadre", "HB-000123")
    direct.close()

    assert rows[0][0] == 1 and rows[0][1] > 1  # the snapshot first, then only the events after it
    assert [r[1] for r in rows[1:]] == list(range(rows[0][1] + 1, rows[0][1] + len(rows)))
    assert facts is not None and [f["seq"] for f in facts] == list(range(1, len(facts) + 1))


def test_every_event_class_is_in_the_topic_table_with_its_decision_type():
    classes = [e for cls in SUBJECTS.values() for e in vars(cls).values()
               if isinstance(e, type) and issubclass(e, Decided)]

    assert {get_topic(e): e.decision_type for e in classes} == DECISION_TYPES
    assert {kind: get_topic(cls) for kind, cls in SUBJECTS.items()} == SUBJECT_TOPICS
    assert CadreLedger.snapshot_interval == SNAPSHOT_INTERVAL
    assert get_topic(Snapshot) == SNAPSHOT_TOPIC
    # a class_version would need its upcasters: such states are read through the application
    assert all(getattr(c, "class_version", 1) == 1 for c in [*classes, *SUBJECTS.values()])


def test_the_quick_read_opens_states_the_librarys_cipher_sealed(tmp_path, monkeypatch):
    monkeypatch.setenv("CADRE_LEDGER_CIPHER_KEY", KEY)
    build(str(tmp_path / "ledger.db"), EXAMPLES[:5])
    direct = DirectLedger(parse_url(str(tmp_path / "ledger.db")))
    sealed = AESCipher(Environment(env={"CIPHER_KEY": KEY})).encrypt(b"\x81\xa1a\x01")

    assert direct.plain(sealed) == b"\x81\xa1a\x01"
    direct.close()


def test_a_name_lagging_read_models_and_a_damaged_row_are_left_to_the_application(tmp_path):
    url = str(tmp_path / "ledger.db")
    build(url, EXAMPLES)
    assert quick_status(url, "张明", date(2026, 6, 30)) is None  # a name: the reader looks it up
    assert quick_status(url, "HB-999999", date(2026, 6, 30)) is None  # not in the ledger: the reader says so
    assert quick_status(url, "HB-000123", date(2026, 6, 30), datetime(2000, 1, 1, tzinfo=UTC)) is None

    app = CadreLedger(url)
    assert app.import_lines(lines([{**EXAMPLES[-1], "id": "late-1", "on": "2026-07-01"}]), "clerk").errors == []
    app.close()
    assert quick_status(url, "HB-000124", date(2026, 6, 30)) is None  # the read models lag one event

    app = CadreLedger(url)
    Reader(app).catch_up()
    with app.session.transaction() as c:
        c.execute(f"UPDATE {app.session.tables.events} SET state = ? WHERE originator_version = 2",
                  (b"\x93\x01\x02\x03",))
    app.close()
    assert quick_status(url, "HB-000123", date(2026, 6, 30)) is None  # the application explains the damage


def test_the_quick_read_writes_nothing(tmp_path):
    url = str(tmp_path / "ledger.db")
    build(url, EXAMPLES)
    before = (tmp_path / "ledger.db").read_bytes()

    status = quick_status(url, "HB-000123", date(2026, 6, 30))

    assert status is not None and status["cadre"] == "HB-000123"
    assert (tmp_path / "ledger.db").read_bytes() == before
    assert not (tmp_path / "ledger.db-wal").exists() or not (tmp_path / "ledger.db-wal").stat().st_size


def test_the_quick_read_answers_from_a_read_only_file_system(tmp_path):
    with tmpfs(tmp_path / "disk", "8m") as disk:
        url = str(disk / "ledger.db")
        build(url, EXAMPLES)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)

        status = quick_status(url, "HB-000123", date(2026, 6, 30), datetime.now(UTC))

        assert status is not None and status == the_readers_status(url, "HB-000123", date(2026, 6, 30),
                                                                   status["known_at"])
