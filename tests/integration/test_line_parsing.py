"""A large file is parsed by worker processes, with the same decisions, refusals and order as in one process."""
from __future__ import annotations

import copy
import json

import ledger.line_parsing
from ledger.app import CadreLedger
from ledger.demo import generate
from ledger.examples import EXAMPLES
from ledger.jsonlines import read_jsonl


def province_bytes() -> list[bytes]:
    """A province as JSON Lines with a few lines refused by the reader and by the parser."""
    decisions = [*copy.deepcopy(EXAMPLES), *generate(cadres=20, years=4, seed=5)]
    decisions[30]["on"] = "2024-02-30"
    del decisions[90]["type"]
    rows = [json.dumps(d, ensure_ascii=False).encode() + b"\n" for d in decisions]
    rows[60] = b'{"type": "register", "cadre": \n'
    rows[120] = "{\"note\": \"\u4e2d\"}\n".encode("gb18030")
    return rows


def without_times(facts: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{k: v for k, v in f.items() if k != "recorded_at"} for f in facts]


def test_worker_processes_parse_a_file_as_one_process_does(tmp_path, monkeypatch):
    rows = province_bytes()
    alone = CadreLedger(str(tmp_path / "alone.db"))
    expected = alone.import_lines(read_jsonl(rows), "clerk", skip_invalid=True)
    monkeypatch.setattr(ledger.line_parsing, "CHUNK", 16)
    monkeypatch.setattr(ledger.line_parsing, "WORKERS", 2)
    workers = CadreLedger(str(tmp_path / "workers.db"))

    report = workers.import_lines(read_jsonl(rows), "clerk", skip_invalid=True)

    assert len(expected.errors) >= 4 and any("line 61:" in e for e in expected.errors)
    assert (report.recorded, report.already, report.errors) == (expected.recorded, expected.already,
                                                                expected.errors)
    assert workers.streams() == alone.streams()
    for stream in alone.streams():
        assert without_times(workers.stream_facts(stream)) == without_times(alone.stream_facts(stream))
    alone.close()
    workers.close()


def test_a_small_file_is_parsed_in_the_process_itself(monkeypatch):
    def no_pool(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a worker process was started")

    import concurrent.futures

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)

    parsed = list(ledger.line_parsing.parsed_lines(enumerate(copy.deepcopy(EXAMPLES), start=1), lambda b: "h"))

    assert [p.number for p in parsed] == list(range(1, len(EXAMPLES) + 1))
