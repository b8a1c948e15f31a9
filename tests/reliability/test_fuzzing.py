"""Malformed and hostile input: each bad line is refused in one line naming it and its field; nothing written.

Hypothesis builds lines from the valid examples with one thing broken (see `hostile.py`) and imports them
in batches into a ledger holding two cadres, a post and a unit with their history, with --skip-invalid
semantics so that each line stands or falls alone. 10,000 lines by default; CADRE_LEDGER_SOAK=1: 100,000.
A few batches also go through the command line, which must exit 1 with no traceback.
"""
from __future__ import annotations

import copy
import io
import re

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli import cli
from ledger.app import CadreLedger
from ledger.examples import EXAMPLES
from ledger.integrity.front import verify_ledger
from ledger.jsonlines import read_jsonl
from tests.reliability.hostile import hostile_line
from tests.reliability.support import soak

BATCH = 50
BATCHES = soak(200, 2000)
ERROR = re.compile(r"line (\d+): (.+?): (.+)")
BIG_INPUTS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]


@pytest.fixture(scope="module")
def populated(tmp_path_factory):
    """A SQLite ledger holding every example: two cadres, a post and a unit, with their decisions."""
    url = str(tmp_path_factory.mktemp("fuzz") / "ledger.db")
    app = CadreLedger(url)
    assert app.import_lines(list(enumerate(copy.deepcopy(EXAMPLES), start=1)), "clerk").errors == []
    yield app
    app.close()


def refusals(report, lines):
    """Each refused line's (field, problem), by line number, asserting one one-line error per line."""
    found = {}
    for message in report.errors:
        assert "\n" not in message and "\r" not in message, message
        match = ERROR.fullmatch(message)
        assert match, message
        number = int(match[1])
        assert number not in found, f"two errors for line {number}"
        found[number] = (match[2], match[3])
    assert sorted(found) == list(range(1, len(lines) + 1))
    return found


@pytest.mark.slow
def test_every_hostile_line_is_refused_alone_naming_its_line_and_field_and_nothing_is_written(populated):
    before = populated.recorder.max_notification_id()
    lines_seen = []

    @settings(max_examples=BATCHES, deadline=None, database=None, suppress_health_check=BIG_INPUTS)
    @given(st.lists(hostile_line(), min_size=BATCH, max_size=BATCH))
    def check(batch):
        text = "\n".join(line for line, _ in batch) + "\n"
        lines = list(read_jsonl(io.BytesIO(text.encode("utf-8"))))

        report = populated.import_lines(lines, "fuzzer", skip_invalid=True)

        assert (report.recorded, report.refused) == (0, len(batch))
        for number, (field, problem) in refusals(report, batch).items():
            assert field in batch[number - 1][1], (field, problem, batch[number - 1][0][:300])
        assert populated.recorder.max_notification_id() == before
        lines_seen.append(len(batch))

    check()

    assert sum(lines_seen) >= BATCH * BATCHES
    assert verify_ledger(populated.session).events == before
    print(f"\nfuzzed {sum(lines_seen):,} hostile lines in {len(lines_seen):,} imports: each refused alone")


@settings(max_examples=soak(3, 30), deadline=None, database=None, suppress_health_check=BIG_INPUTS)
@given(batch=st.lists(hostile_line(), min_size=20, max_size=20))
def test_the_command_line_refuses_a_hostile_file_with_exit_1_and_one_line_per_bad_line(populated, batch):
    before = populated.recorder.max_notification_id()
    stdin = "\n".join(line for line, _ in batch) + "\n"

    result = CliRunner().invoke(cli, ["--db", populated.database.path, "--actor", "clerk", "import", "-"],
                                input=stdin.encode("utf-8"))

    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    *errors, last = result.stderr.splitlines()
    assert last.startswith("nothing was written")
    assert sorted(int(ERROR.fullmatch(line)[1]) for line in errors) == list(range(1, len(batch) + 1))
    assert result.stdout == f"recorded 0, already recorded 0, refused {len(batch)}\n"
    assert populated.recorder.max_notification_id() == before
