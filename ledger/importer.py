"""Recording decisions: validate every line first, then write in large transactions, idempotently.

Memory stays flat as the file grows: parsed lines and the events to write wait in encrypted spill files.

Shared by `import FILE` and the `record TYPE` commands.
"""
from __future__ import annotations

import heapq
import pickle
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol
from uuid import UUID

from eventsourcing.persistence import IntegrityError, InterfaceError, InternalError, Mapper, OperationalError

from ledger.aggregate import Subject
from ledger.characters import describe, find_unsafe
from ledger.decisions import MAX_TEXT, Decision
from ledger.errors import ConcurrencyError, InvalidDecision, LedgerError, RuleViolation, StorageError
from ledger.fastpaths import PendingEvent
from ledger.import_plan import ParsedLines, plan
from ledger.jsonlines import Line
from ledger.line_parsing import Refused, parsed_lines
from ledger.references import check_references
from ledger.seen_ids import IdTable, fingerprint
from ledger.spill import Spill, SpillDir
from ledger.storage.failures import is_contention, storage_failure
from ledger.storage.url import Database
from ledger.workspace import Workspace, pending_events

BATCH = 2000
ATTEMPTS = 6
KEPT_IDS = 1000  # the ids a report lists: the first decisions recorded


class Ledger(Protocol):
    """What an import needs of the ledger it records into."""

    database: Database
    mapper: Mapper[UUID]

    def decision_hashes(self, ids: Sequence[str]) -> dict[str, tuple[str, str]]: ...
    def content_hasher(self, data: bytes) -> str: ...
    def id_of(self, cls: type[Subject], key: str) -> UUID: ...
    def load_subject(self, agg_id: UUID) -> Subject | None: ...
    def write_events(self, pending: Sequence[PendingEvent]) -> None: ...


@dataclass
class ImportReport:
    """What an import did: counts, and one message per refused line."""

    recorded: int = 0
    already: int = 0
    refused: int = 0
    errors: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)  # of the first KEPT_IDS decisions recorded
    dry_run: bool = False

    def summary(self) -> str:
        """`recorded 9,812, already recorded 188, refused 0`."""
        verb = "would record" if self.dry_run else "recorded"
        return f"{verb} {self.recorded:,}, already recorded {self.already:,}, refused {self.refused:,}"


def checked_actor(actor: str | None) -> str:
    """The actor to store on every event, trimmed; refused when missing, too long or holding control characters."""
    where = "pass --actor NAME or set CADRE_LEDGER_ACTOR"
    if not actor or not actor.strip():
        raise LedgerError(f"no actor: every write names who records it; {where}")
    actor = actor.strip()
    if len(actor) > MAX_TEXT:
        raise LedgerError(f"actor: too long ({len(actor):,} characters; at most {MAX_TEXT}); {where}")
    found = find_unsafe(actor)
    if found:
        raise LedgerError(f"actor: {describe(found)} from --actor or CADRE_LEDGER_ACTOR")
    return actor


class Importer:
    """Records decisions into a `CadreLedger`: checks, then saves in batches, retrying on conflicts.

    Nothing of the file is held in memory beyond a batch: parsed lines and the events to write are spilled to
    encrypted files in a private temporary directory (removed at the end, also on error)."""

    def __init__(self, app: Ledger, actor: str | None) -> None:
        self.app, self.actor = app, checked_actor(actor)

    def run(self, lines: Iterable[Line], *, dry_run: bool = False, skip_invalid: bool = False,
            progress: Callable[[int], None] | None = None) -> ImportReport:
        """Validate every line, then (unless refused or dry) write the valid ones."""
        with SpillDir() as spills:
            return self._run(spills, lines, dry_run, skip_invalid, progress)

    def _run(self, spills: SpillDir, lines: Iterable[Line], dry_run: bool, skip_invalid: bool,
             progress: Callable[[int], None] | None) -> ImportReport:
        report = ImportReport(dry_run=dry_run)
        parsed = spills.spill("parsed")
        kept = ParsedLines()
        self._parse_errors: list[str] = []
        for line in parsed_lines(lines, self.app.content_hasher):
            if isinstance(line, Refused):
                self._parse_errors.append(line.message)
            else:
                kept.add(line.number, line.decision_id, line.kind, line.key, line.type, parsed.append(line.record))
        kept.done()
        ours = bytearray()  # by line number: written by an earlier attempt of this run
        for attempt in range(ATTEMPTS):
            try:
                return self._attempt(spills, parsed, kept, ours, report, dry_run, skip_invalid, progress)
            except (IntegrityError, OperationalError) as e:
                if isinstance(e, OperationalError) and not is_contention(e):
                    raise self._storage_failure(e, report) from None
                if attempt == ATTEMPTS - 1:
                    raise ConcurrencyError(
                        f"other writers kept changing the same records ({type(e).__name__}: {e}); "
                        f"nothing more was written after {report.recorded:,} decisions; run the import again"
                    ) from None
                time.sleep(0.05 * 2 ** attempt)
            except (InterfaceError, InternalError) as e:  # a closed connection, a read-only transaction
                raise self._storage_failure(e, report) from None
        raise AssertionError("unreachable")

    def _storage_failure(self, error: Exception, report: ImportReport) -> StorageError:
        """The database failed (full, read-only, gone): what was written, and that the failed batch was not."""
        failure = storage_failure(self.app.database, error, "write to")
        return StorageError(f"{failure.message}; {report.recorded:,} decisions were recorded before it, "
                            "none of the failed batch; run the import again once fixed "
                            "(recorded decisions are skipped)")

    def _attempt(self, spills: SpillDir, parsed: Spill, kept: ParsedLines, ours: bytearray, report: ImportReport,
                 dry_run: bool, skip_invalid: bool, progress: Callable[[int], None] | None) -> ImportReport:
        order = plan(kept, self.app.id_of, lambda agg_id: self.app.load_subject(agg_id) is not None,
                     self.app.decision_hashes)
        # ids accepted so far in this file → the offset of their record in the events spill (when ids repeat)
        seen = IdTable() if kept.repeated_id else None
        work = Workspace(self.app.load_subject, self.app.id_of, spills.spill("events"), self.app.mapper.transcoder)
        work.registered = order.registered
        errors: list[tuple[int, str]] = []
        starts: list[int] = []  # by group: where its events begin in the events spill (each group's follow on)
        already = 0
        _stage(progress, "checking", len(kept))
        for group in order.groups:
            starts.append(work.spill.end)
            for chunk in _chunks(parsed, kept.offsets, group, BATCH):
                known = self.app.decision_hashes([d["id"] for _, d, _ in chunk])
                for number, decision, chash in chunk:
                    if progress:
                        progress(1)
                    d_id = decision["id"]
                    print_ = fingerprint(d_id) if seen is not None else 0
                    previous = known.get(d_id, (None,))[0] or (_seen(work, seen, print_, d_id) if seen else None)
                    if previous is not None:
                        if previous != chash:
                            errors.append((number, _different_content(number, d_id)))
                        elif not (number < len(ours) and ours[number]):
                            already += 1
                        continue
                    work.line = number
                    try:
                        decision = check_references(decision, work)
                        override = self._check_rules(decision, work)
                    except (InvalidDecision, RuleViolation) as e:
                        errors.append((number, e.at_line(number).message if isinstance(e, InvalidDecision)
                                       else f"line {number}: {e}"))
                        continue
                    offset = work.add(decision, chash, self.actor, override, number)
                    if seen is not None:
                        seen.add(print_, offset)
        errors.sort(key=lambda error: error[0])
        report.errors = self._parse_errors + [message for _, message in errors]
        report.refused = len(report.errors)
        report.already = already
        if dry_run or (report.errors and not skip_invalid):
            report.recorded = len(work) if dry_run else 0
            return report
        ends = [*starts[1:], work.spill.end]
        in_line_order = heapq.merge(*(pending_events(work.spill, start, end) for start, end in zip(starts, ends)),
                                    key=lambda numbered: numbered[0])
        self._write(work, in_line_order, ours, report, progress)
        return report

    def _check_rules(self, decision: Decision, work: Workspace) -> str | None:
        """The override reason to store: the given one when a rule was overridden, else None."""
        from ledger.checks import check  # the rules are imported only when a write needs them

        try:
            check(decision, work, self.actor)
        except RuleViolation as violation:
            reason = decision.get("override_reason")
            if not reason:
                raise
            decision["overridden_rule"] = violation.rule
            return reason
        return None

    def _write(self, work: Workspace, events: Iterable[tuple[int, PendingEvent]], ours: bytearray,
               report: ImportReport, progress: Callable[[int], None] | None) -> None:
        _stage(progress, "recording", len(work))
        batch: list[PendingEvent] = []
        numbers: list[int] = []
        for number, event in events:
            batch.append(event)
            numbers.append(number)
            if len(batch) == BATCH:
                self._write_batch(batch, numbers, ours, report, progress)
                batch, numbers = [], []
        if batch:
            self._write_batch(batch, numbers, ours, report, progress)

    def _write_batch(self, batch: list[PendingEvent], numbers: list[int], ours: bytearray, report: ImportReport,
                     progress: Callable[[int], None] | None) -> None:
        self.app.write_events(batch)
        report.recorded += len(batch)
        if len(report.ids) < KEPT_IDS:
            report.ids.extend(p.index[0] for p in batch[:KEPT_IDS - len(report.ids)])
        if numbers[-1] >= len(ours):
            ours.extend(bytes(numbers[-1] + 1 - len(ours)))
        for number in numbers:
            ours[number] = 1
        if progress:
            progress(len(batch))


def _chunks(spill: Spill, offsets: Sequence[int], indexes: Iterable[int], size: int
            ) -> Iterator[list[tuple[int, Decision, str]]]:
    """The parsed lines at `indexes` (their records at `offsets`), `size` at a time."""
    chunk: list[tuple[int, Decision, str]] = []
    for index in indexes:
        chunk.append(pickle.loads(spill.read(offsets[index])))
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _different_content(number: int, d_id: str) -> str:
    return (f"line {number}: id: {d_id} is already recorded with different content; give the new decision its "
            "own id, or record a correction (variation, retraction)")


def _seen(work: Workspace, seen: IdTable, print_: int, d_id: str) -> str | None:
    """The content hash of the line with id `d_id` accepted earlier in this file, or None."""
    for offset in seen.candidates(print_):
        found, chash = work.recorded(offset)
        if found == d_id:
            return chash
    return None


def _stage(progress: Callable[[int], None] | None, label: str, total: int) -> None:
    """Tell a progress bar that can show stages (one with a `stage(label, total)` method) which one begins."""
    begin = getattr(progress, "stage", None)
    if begin is not None:
        begin(label, total)
