"""Many valid decisions for the reliability tests: the examples' shapes, copied onto many cadres."""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from ledger.examples import EXAMPLES

EXAMPLE_IDS = frozenset(e["id"] for e in EXAMPLES)
RENAMED = ("HB-000123", "HB-000124", "YC-YL-PARTY-SECRETARY", "夷陵区发展改革局", "YL-2023-07", "XF-2023-001")


def copy_of_examples(n: int) -> list[dict[str, Any]]:
    """Copy `n` of the examples: two cadres, a post and a unit of its own, every id and reference renamed."""
    names = {old: f"{old}-{n:05d}" for old in RENAMED}
    names.update({i: f"{i}-{n:05d}" for i in EXAMPLE_IDS})
    return [_rename(e, names) for e in copy.deepcopy(EXAMPLES)]


def decisions(copies: int, first: int = 0) -> list[dict[str, Any]]:
    """`copies` copies of the examples: 47 decisions of every type per copy."""
    return [d for n in range(first, first + copies) for d in copy_of_examples(n)]


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    """Write decisions as JSON Lines."""
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _rename(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {k: _rename(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_rename(v, names) for v in value]
    if isinstance(value, str):
        return names.get(value, value)
    return value
