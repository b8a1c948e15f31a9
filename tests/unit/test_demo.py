"""The synthetic province generator: deterministic, valid, complete, and recording cleanly in order."""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from ledger.decisions import parse, with_id
from ledger.demo import DEFAULT_END, generate, write_jsonl
from ledger.facts import Fact
from ledger.references import check_references
from ledger.schema import TYPES

SUBJECTS = ("cadre", "post", "unit")


@cache
def province(cadres: int, years: int, seed: int = 1) -> tuple[dict[str, Any], ...]:
    """A generated province, shared by the tests (each test copies what it changes)."""
    return tuple(generate(cadres=cadres, years=years, seed=seed))


class MemoryLookup:
    """The references lookup over the decisions seen so far (what an import's earlier lines give)."""

    def __init__(self) -> None:
        self.cadres: dict[str, list[Fact]] = {}
        self.posts: dict[str, list[Fact]] = {}

    def cadre_facts(self, cadre: str) -> Sequence[Fact] | None:
        return self.cadres.get(cadre)

    def post_facts(self, post: str) -> Sequence[Fact] | None:
        return self.posts.get(post)

    def add(self, decision: dict[str, Any]) -> None:
        table = self.cadres if "cadre" in decision else self.posts if "post" in decision else None
        if table is not None:
            facts = table.setdefault(decision.get("cadre") or decision["post"], [])
            facts.append({**decision, "seq": len(facts) + 1, "recorded_at": datetime.now(UTC)})


def test_same_seed_same_province_and_other_seed_another() -> None:
    first = list(generate(cadres=30, years=3, seed=5))
    assert first == list(generate(cadres=30, years=3, seed=5))
    assert first != list(generate(cadres=30, years=3, seed=6))
    assert json.dumps(first, ensure_ascii=False)  # plain JSON-ready values only


def test_output_does_not_depend_on_today() -> None:
    decisions = province(30, 3)
    assert max(d["on"] for d in decisions) <= DEFAULT_END.isoformat()
    assert min(d["on"] for d in decisions) >= f"{DEFAULT_END.year - 2}-01-01"
    end = date(2024, 6, 30)
    moved = list(generate(cadres=30, years=3, seed=1, end=end))
    assert max(d["on"] for d in moved) <= end.isoformat()
    assert min(d["on"] for d in moved) >= "2022-01-01"


def test_every_decision_is_valid_with_a_unique_explicit_id() -> None:
    decisions = province(120, 6)
    ids = [d["id"] for d in decisions]
    assert all(isinstance(i, str) and i for i in ids)
    assert len(ids) == len(set(ids))
    for raw in decisions:
        assert with_id(parse(raw))["id"] == raw["id"]


def test_every_decision_type_appears() -> None:
    counts = Counter(d["type"] for d in province(120, 6))
    assert sorted(set(TYPES) - set(counts)) == []


def test_references_resolve_in_file_order() -> None:
    lookup = MemoryLookup()
    for raw in province(120, 6):
        decision = check_references(with_id(parse(raw)), lookup)
        lookup.add(decision)


def test_each_subject_in_effective_date_order() -> None:
    last: dict[tuple[str, str], str] = {}
    for d in province(120, 6):
        key = next((s, d[s]) for s in SUBJECTS if s in d)
        assert last.get(key, "") <= d["on"], d["id"]
        last[key] = d["on"]


def test_registers_come_first_and_nothing_follows_an_employment_end() -> None:
    registered: set[str] = set()
    ended: set[str] = set()
    for d in province(120, 6):
        if d["type"] == "register":
            registered.add(d["cadre"])
        elif "cadre" in d:
            assert d["cadre"] in registered and d["cadre"] not in ended, d["id"]
            if d["type"] == "employment-end" or (d["type"] == "sanction" and d["kind"] == "discharge"):
                ended.add(d["cadre"])
        for field in ("outgoing", "incoming"):
            if d.get(field):
                assert d[field] in registered


def test_province_looks_like_a_province() -> None:
    decisions = province(400, 5)
    registers = [d for d in decisions if d["type"] == "register"]
    leaders = [r for r in registers if r["post_level"]]
    assert 0.2 < len(leaders) / len(registers) < 0.5
    assert Counter(r["staff_category"] for r in registers).most_common(1)[0][0] == "civil-servant"
    grades = Counter(d["grade"] for d in decisions if d["type"] == "assessment")
    total = sum(grades.values())
    assert 0.12 < grades["excellent"] / total < 0.22
    assert 0.68 < grades["competent"] / total < 0.85
    assert 0.01 < grades["basically-competent"] / total < 0.05
    assert grades["incompetent"] / total < 0.01
    sanctioned = {d["cadre"] for d in decisions if d["type"] == "sanction"}
    assert 0.01 < len(sanctioned) / len(registers) < 0.1
    assert 4 < len(decisions) / len(registers) / 5 < 12  # decisions per cadre-year


def test_a_handful_of_deliberate_overrides() -> None:
    overrides = [d for d in province(400, 5) if "override_reason" in d]
    assert 1 <= len(overrides) <= 5


def test_write_jsonl_to_a_stream_and_a_path(tmp_path: Path) -> None:
    decisions = province(30, 3)
    stream = io.StringIO()
    assert write_jsonl(stream, decisions) == len(decisions)
    lines = stream.getvalue().splitlines()
    assert [json.loads(line) for line in lines] == list(decisions)
    path = tmp_path / "province.jsonl"
    assert write_jsonl(path, iter(decisions)) == len(decisions)
    assert path.read_text(encoding="utf-8") == stream.getvalue()


def test_refuses_an_empty_province() -> None:
    with pytest.raises(ValueError):
        list(generate(cadres=0))


def test_records_into_an_empty_ledger_without_refusals(tmp_path: Path) -> None:
    pytest.importorskip("ledger.rules.checks")
    from ledger.app import CadreLedger

    decisions = province(120, 6)
    app = CadreLedger(str(tmp_path / "demo.db"))
    try:
        report = app.import_lines(list(enumerate(decisions, 1)), "demo")
        assert report.errors == []
        assert report.refused == 0
        assert report.recorded == len(decisions)
        again = app.import_lines(list(enumerate(decisions, 1)), "demo")
        assert (again.recorded, again.already, again.refused) == (0, len(decisions), 0)
    finally:
        app.close()
