"""Hostile files, byte by byte: every hostile line refused alone with its number and field; nothing written; no crash.

Hypothesis builds whole files (`hostile_bytes.py`): bytes that are not UTF-8, GBK, NULs, byte-order marks,
huge and special numbers, duplicate keys, control and bidirectional characters in each string field,
deep nesting, random bytes; sometimes under an actor carrying such a character. The bulk runs through the
import in-process (reading the bytes as `import FILE` does); a sample runs through the `cadre-ledger`
command, which must exit 1, never 3. A few hundred files by default; CADRE_LEDGER_SOAK=1: 10,000.
"""
from __future__ import annotations

import copy
import io
import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.app import CadreLedger
from ledger.characters import escaped
from ledger.errors import LedgerError
from ledger.examples import EXAMPLES
from ledger.integrity.front import verify_ledger
from ledger.jsonlines import read_jsonl
from tests.reliability.hostile_bytes import HostileFile, hostile_actor, hostile_file
from tests.reliability.support import ACTOR, cadre_ledger, soak

FILES = soak(300, 10_000)
CLI_FILES = soak(4, 40)
ERROR = re.compile(r"line (\d+): (.+?): (.+)")
BIG_INPUTS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example,
              HealthCheck.function_scoped_fixture]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """A SQLite ledger holding every example decision."""
    url = str(tmp_path_factory.mktemp("hostile-bytes") / "ledger.db")
    app = CadreLedger(url)
    assert app.import_lines(list(enumerate(copy.deepcopy(EXAMPLES), start=1)), "clerk").errors == []
    yield app
    app.close()


def assert_refused_line_by_line(report, hostile: HostileFile) -> None:
    """One printable one-line error per hostile line, naming its number and (where known) its field."""
    found = {}
    for message in report.errors:
        assert escaped(message) == message, message  # one line, nothing raw for a terminal
        match = ERROR.fullmatch(message)
        assert match, message
        number = int(match[1])
        assert number not in found, f"two errors for line {number}: {message}"
        found[number] = match[2]
    assert sorted(found) == sorted(hostile.expected), (report.errors, hostile.data[:300])
    for number, fields in hostile.expected.items():
        assert not fields or found[number] in fields, (number, found[number], fields, report.errors)


@pytest.mark.slow
def test_no_hostile_file_crashes_the_import_or_writes_anything(recorded):
    before = recorded.recorder.max_notification_id()
    seen = {"files": 0, "lines": 0, "actors": 0}
    started = time.perf_counter()

    @settings(max_examples=FILES, deadline=None, database=None, suppress_health_check=BIG_INPUTS)
    @given(hostile=hostile_file(), actor=st.integers(0, 9).flatmap(
        lambda n: hostile_actor() if n == 5 else st.just(ACTOR)))
    def check(hostile: HostileFile, actor: str) -> None:
        lines = list(read_jsonl(io.BytesIO(hostile.data)))

        if actor != ACTOR:
            with pytest.raises(LedgerError, match=r"^actor: .+ from --actor or CADRE_LEDGER_ACTOR$"):
                recorded.import_lines(lines, actor, skip_invalid=True)
            seen["actors"] += 1
            return
        report = recorded.import_lines(lines, actor, skip_invalid=True)

        assert (report.recorded, report.already) == (0, hostile.recorded)
        assert_refused_line_by_line(report, hostile)
        assert recorded.recorder.max_notification_id() == before
        seen["files"] += 1
        seen["lines"] += len(hostile.expected)

    check()

    assert seen["files"] + seen["actors"] >= FILES
    assert verify_ledger(recorded.session).events == before
    print(f"\n{seen['files'] + seen['actors']:,} hostile files ({seen['lines']:,} hostile lines, "
          f"{seen['actors']:,} under a hostile actor) in {time.perf_counter() - started:.1f} s: "
          "each line refused alone, nothing written")


@settings(max_examples=CLI_FILES, deadline=None, database=None, suppress_health_check=BIG_INPUTS)
@given(hostile=hostile_file())
def test_the_command_refuses_a_hostile_file_with_exit_1_never_an_internal_error(recorded, tmp_path_factory, hostile):
    path = tmp_path_factory.mktemp("file") / "hostile.jsonl"
    path.write_bytes(hostile.data)
    before = recorded.recorder.max_notification_id()

    result = cadre_ledger(recorded.database.path, "import", str(path))

    assert result.returncode == 1, result.stderr
    *errors, last = result.stderr.splitlines()
    assert last.startswith("nothing was written")
    assert sorted(int(ERROR.fullmatch(line)[1]) for line in errors) == sorted(hostile.expected)
    assert result.stdout == f"recorded 0, already recorded {hostile.recorded}, refused {len(hostile.expected)}\n"
    assert recorded.recorder.max_notification_id() == before
