"""Parsing an import's lines into decisions with their ids and content hashes, in worker processes when asked.

Each line is parsed on its own (types, fields, the derived id, the content hash), so with WORKERS set a file of
more than one chunk is parsed by worker processes, a few chunks at a time, and the results come back in line
order. Each parsed line comes as its record (pickled, for the import's spill) with what planning needs of it; a
refused line, as its message.
"""
from __future__ import annotations

import os
import pickle
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any, NamedTuple

from ledger.decisions import content_hash, parse, with_id
from ledger.errors import InvalidDecision
from ledger.subjects import SUBJECTS

if TYPE_CHECKING:
    from concurrent.futures import Future

CHUNK = 2000
WORKERS = 0  # worker processes for a file of more than one chunk; 0: parse in the process itself (on 2 cores
# shared with other work, two workers measured slower than none: each line is pickled there and back)
IN_FLIGHT = 4  # chunks given to the workers ahead of the one being taken back
Hasher = Callable[[bytes], str]


class Parsed(NamedTuple):
    """One parsed line: its record (number, decision, content hash; pickled) and what planning needs of it."""

    number: int
    record: bytes
    decision_id: str
    kind: str
    key: str
    type: str


class Refused(NamedTuple):
    """One refused line, as its message (`line N: field: problem`)."""

    number: int
    message: str


def _start_methods() -> list[str]:
    import multiprocessing

    return multiprocessing.get_all_start_methods()


def parsed_lines(lines: Iterable[tuple[int, Any]], hasher: Hasher) -> Iterator[Parsed | Refused]:
    """Each line parsed or refused, in line order; in worker processes (WORKERS) when there is more than a chunk."""
    source = iter(lines)
    first = _plain(list(islice(source, CHUNK)))
    workers = min(WORKERS, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    if len(first) < CHUNK or workers < 1 or "fork" not in _start_methods():
        yield from parse_chunk(first, hasher)
        for chunk in _chunks(source):
            yield from parse_chunk(chunk, hasher)
        return
    import multiprocessing  # only for a file parsed in worker processes
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                             initializer=_set_hasher, initargs=(hasher,)) as pool:
        waiting: deque[Future[list[Parsed | Refused]]] = deque([pool.submit(_parse_in_worker, first)])
        for chunk in _chunks(source):
            waiting.append(pool.submit(_parse_in_worker, chunk))
            if len(waiting) > IN_FLIGHT:
                yield from waiting.popleft().result()
        while waiting:
            yield from waiting.popleft().result()


def parse_chunk(chunk: list[tuple[int, Any]], hasher: Hasher) -> list[Parsed | Refused]:
    """The lines of `chunk` parsed or refused."""
    out: list[Parsed | Refused] = []
    for number, raw in chunk:
        if isinstance(raw, Refused):
            out.append(raw)
            continue
        try:
            decision = with_id(parse(raw), hasher)
            chash = content_hash(decision, hasher)
        except InvalidDecision as e:
            out.append(Refused(number, e.at_line(number).message))
            continue
        kind = next(k for k in SUBJECTS if k in decision)
        record = pickle.dumps((number, decision, chash), pickle.HIGHEST_PROTOCOL)
        out.append(Parsed(number, record, decision["id"], kind, decision[kind], decision["type"]))
    return out


_hasher: Hasher | None = None


def _set_hasher(hasher: Hasher) -> None:
    global _hasher  # noqa: PLW0603 - a worker process's one setting, given when it starts
    _hasher = hasher


def _parse_in_worker(chunk: list[tuple[int, Any]]) -> list[Parsed | Refused]:
    assert _hasher is not None
    return parse_chunk(chunk, _hasher)


def _chunks(source: Iterator[tuple[int, Any]]) -> Iterator[list[tuple[int, Any]]]:
    while chunk := list(islice(source, CHUNK)):
        yield _plain(chunk)


def _plain(chunk: list[tuple[int, Any]]) -> list[tuple[int, Any]]:
    """The chunk with lines the reader refused as their messages (which a worker process can be sent)."""
    return [(number, Refused(number, raw.at_line(number).message) if isinstance(raw, InvalidDecision) else raw)
            for number, raw in chunk]
