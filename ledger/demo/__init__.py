"""Synthetic province generator: a realistic Hubei ledger of cadres, posts and ten years of decisions.

`generate` yields plain JSON-ready decisions (the input format of `import`), deterministic for a seed;
`write_jsonl` writes them as JSON Lines.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from os import PathLike
from typing import IO, Any

from ledger.demo.province import DEFAULT_END, generate

__all__ = ["DEFAULT_END", "generate", "write_jsonl"]


def write_jsonl(path_or_stream: str | PathLike[str] | IO[str], decisions: Iterable[dict[str, Any]]) -> int:
    """Write `decisions` as JSON Lines (UTF-8, one object a line) to a path or a text stream; the count."""
    if isinstance(path_or_stream, (str, PathLike)):
        with open(path_or_stream, "w", encoding="utf-8") as stream:
            return _write(stream, decisions)
    return _write(path_or_stream, decisions)


def _write(stream: IO[str], decisions: Iterable[dict[str, Any]]) -> int:
    count = 0
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for decision in decisions:
        stream.write(dumps(decision))
        stream.write("\n")
        count += 1
    return count
