"""An import keeps the file on disk, not in memory: its spill files are encrypted, private and removed at the
end (also on error), and streams let go of in memory are read back as they were."""
from __future__ import annotations

import copy
import os
import random
import stat
from typing import Any

import pytest

import ledger.import_plan
import ledger.workspace
from ledger.app import CadreLedger
from ledger.demo import generate
from ledger.examples import EXAMPLES
from ledger.spill import SpillDir

PROVINCE = [*EXAMPLES, *generate(cadres=30, years=5, seed=3)]


def lines(decisions: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    return list(enumerate(copy.deepcopy(decisions), start=1))


def texts(decisions: list[dict[str, Any]]) -> set[str]:
    """The names, titles, units, notes and ids of the input, long enough not to occur by chance."""
    found = set()
    for d in decisions:
        for value in d.values():
            if isinstance(value, str) and len(value.encode()) >= 8 and not value[:4].isdigit():
                found.add(value)
    return found


@pytest.fixture
def spilled(monkeypatch) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The bytes of every spill file and the directory's mode, taken just before the directory is removed."""
    seen: dict[str, Any] = {"files": {}, "dirs": []}
    close = SpillDir.close

    def keep(self: SpillDir) -> None:
        if self._path is None:  # nothing was spilled to disk
            seen["dirs"].append(None)
            close(self)
            return
        assert not os.listdir(self.path)  # each file is unlinked once opened
        for spill in self._spills:
            if spill._file is not None:
                spill._file.flush()
                seen["files"][os.path.basename(spill.path)] = os.pread(spill._fd, spill._file_end, 0)
        seen["dirs"].append((self.path, stat.S_IMODE(os.stat(self.path).st_mode)))
        close(self)

    monkeypatch.setattr(SpillDir, "close", keep)
    return seen


def test_the_spill_files_hold_none_of_the_input_in_clear(tmp_path, spilled):
    app = CadreLedger(str(tmp_path / "ledger.db"))

    report = app.import_lines(lines(PROVINCE), "clerk")

    assert not report.errors and report.recorded == len(PROVINCE)
    assert {name.split("-")[0] for name in spilled["files"]} == {"parsed", "events"}
    assert all(len(data) > 1000 for data in spilled["files"].values())
    secrets = texts(PROVINCE)
    assert len(secrets) > 100 and any(not s.isascii() for s in secrets)
    for data in spilled["files"].values():
        for secret in secrets:
            assert secret.encode() not in data, secret
        assert b"clerk" not in data and "党委".encode() not in data
    app.close()


def test_the_spill_directory_is_private_and_removed_at_the_end(tmp_path, spilled):
    app = CadreLedger(str(tmp_path / "ledger.db"))

    app.import_lines(lines(PROVINCE), "clerk", dry_run=True)
    app.import_lines(lines(PROVINCE), "clerk")

    assert len(spilled["dirs"]) == 2
    for path, mode in spilled["dirs"]:
        assert mode == 0o700 and not os.path.exists(path)
    app.close()


def test_a_small_import_spills_nothing_to_disk(tmp_path, spilled):
    app = CadreLedger(str(tmp_path / "ledger.db"))

    report = app.import_lines(lines(EXAMPLES[:3]), "clerk")

    assert report.recorded == 3 and spilled["dirs"] == [None] and not spilled["files"]
    app.close()


def test_the_spill_directory_is_removed_when_the_write_fails(tmp_path, spilled, monkeypatch):
    app = CadreLedger(str(tmp_path / "ledger.db"))

    def broken(_pending: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(app, "write_events", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        app.import_lines(lines(PROVINCE), "clerk")

    (path, _), = spilled["dirs"]
    assert not os.path.exists(path)
    app.close()


def shuffled_province() -> list[dict[str, Any]]:
    """The province with a tenth of its lines moved elsewhere: registers after their subject's lines,
    appointments before their post, handovers before their cadres, and rules broken against earlier lines."""
    decisions = copy.deepcopy(PROVINCE)
    rng = random.Random(11)
    for _ in range(len(decisions) // 10):
        line = decisions.pop(rng.randrange(len(decisions)))
        decisions.insert(rng.randrange(len(decisions) + 1), line)
    return decisions


def outcome(app: CadreLedger, report: Any) -> tuple[Any, ...]:
    """What an import did: its counts and messages, and the decisions stored, in log order."""
    with app.session.transaction(commit=False) as c:
        stored = [row[0] for row in c.execute("SELECT decision_id FROM ledger_decisions ORDER BY position").fetchall()]
    return report.recorded, report.already, report.refused, report.errors, stored


@pytest.mark.parametrize("before", [0, 400], ids=["empty", "holding-some"])
@pytest.mark.parametrize("cached, group", [(1, None), (None, 40), (1, 40)], ids=["let-go", "groups", "both"])
def test_an_import_checked_in_groups_or_with_streams_let_go_records_what_a_line_by_line_check_would(
        tmp_path, monkeypatch, cached, group, before):
    decisions = shuffled_province()
    held = CadreLedger(str(tmp_path / "held.db"))
    tight = CadreLedger(str(tmp_path / "tight.db"))
    for app in (held, tight):
        app.import_lines(lines(PROVINCE[:before]), "clerk", skip_invalid=True)
    expected = outcome(held, held.import_lines(lines(decisions), "clerk", skip_invalid=True))
    if cached:
        monkeypatch.setattr(ledger.workspace, "CACHED_FACTS", cached)
    if group:
        monkeypatch.setattr(ledger.import_plan, "GROUP_LINES", group)

    found = outcome(tight, tight.import_lines(lines(decisions), "clerk", skip_invalid=True))

    assert len(expected[3]) > 5 and expected[0] > len(decisions) // 2 - before and expected[1] >= before // 2
    assert found == expected
    for stream in held.streams():
        assert [f["id"] for f in tight.stream_facts(stream)] == [f["id"] for f in held.stream_facts(stream)]
    held.close()
    tight.close()


def test_a_repeated_id_in_one_file_counts_as_already_recorded_or_is_refused(tmp_path):
    app = CadreLedger(str(tmp_path / "ledger.db"))
    changed = {**EXAMPLES[0], "note": "another note"}

    report = app.import_lines(lines([*EXAMPLES, EXAMPLES[0], changed]), "clerk", skip_invalid=True)

    assert (report.recorded, report.already) == (len(EXAMPLES), 1)
    assert report.errors == [(f"line {len(EXAMPLES) + 2}: id: {EXAMPLES[0]['id']} is already recorded with "
                             "different content; give the new decision its own id, or record a correction "
                             "(variation, retraction)")]
    app.close()


def test_a_file_repeating_an_id_across_subjects_is_checked_line_by_line(tmp_path, monkeypatch):
    decisions = copy.deepcopy(PROVINCE)
    later = next(d for d in decisions[400:] if d.get("cadre") and d["cadre"] != decisions[60].get("cadre"))
    decisions.insert(60, {**decisions[60], "id": later["id"]})  # the later line is refused, not this one
    alone = CadreLedger(str(tmp_path / "alone.db"))
    expected = outcome(alone, alone.import_lines(lines(decisions), "clerk", skip_invalid=True))
    monkeypatch.setattr(ledger.import_plan, "GROUP_LINES", 40)
    grouped = CadreLedger(str(tmp_path / "grouped.db"))

    found = outcome(grouped, grouped.import_lines(lines(decisions), "clerk", skip_invalid=True))

    assert any(f"id: {later['id']} is already recorded with different content" in e for e in expected[3])
    assert found == expected
    alone.close()
    grouped.close()
