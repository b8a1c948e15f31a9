"""The demo's run: a synthetic province recorded through the normal import path, its read models brought
up, its integrity verified, and the report an organisation department reads first, as of the generator's
last day."""
from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from ledger import demo as province
from ledger.app import CadreLedger
from ledger.importer import ImportReport
from ledger.integrity.front import summarize, verify_ledger
from projections.audit import verify_derived, with_derived
from projections.reader import Reader
from projections.report import first_report

# A progress bar for a task of so many steps, with a label: a context giving `update(n)`, or None.
Progress = Callable[[int, str], AbstractContextManager[Callable[[int], Any] | None]]


@dataclass
class DemoRun:
    """What the demo did: the import's report and, when it recorded cleanly, the first report."""

    imported: ImportReport
    report: dict[str, Any] | None


def run_demo(app: CadreLedger, *, cadres: int, years: int, seed: int, actor: str, progress: Progress) -> DemoRun:
    """Generate and record the province, bring the read models up, verify, and compose the first report."""
    lines = enumerate(province.generate(cadres=cadres, years=years, seed=seed), start=1)  # streamed
    with progress(cadres * years * 7, "recording") as bar:
        imported = app.import_lines(lines, actor, progress=bar)
    if imported.errors:
        return DemoRun(imported, None)
    reader = Reader(app)
    with progress(app.recorder.max_notification_id() or 0, "projecting") as bar:
        reader.catch_up(progress=bar)
    integrity = summarize(verify_ledger(app.session))
    if integrity["ok"]:
        integrity = with_derived(integrity, verify_derived(app))
    return DemoRun(imported, first_report(reader, province.DEFAULT_END, integrity))
