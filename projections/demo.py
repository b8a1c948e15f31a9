"""The demo's run: a synthetic province recorded through the normal import path, its read models brought
up, its integrity verified, and the report an organisation department reads first, as of the generator's
last day."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from ledger import demo as province
from ledger.app import CadreLedger
from ledger.importer import ImportReport
from ledger.integrity.front import summarize, verify_ledger
from projections.audit import verify_derived, with_derived
from projections.reader import Progress, Reader
from projections.report import first_report

# Decisions the generator makes per cadre and year (measured: 6.29 for the default province); only the
# first stage's bar uses it, the later ones count exactly.
DECISIONS_PER_CADRE_YEAR = 6.3
T = TypeVar("T")


@dataclass
class DemoRun:
    """What the demo did: the import's report and, when it recorded cleanly, the first report."""

    imported: ImportReport
    report: dict[str, Any] | None


def run_demo(app: CadreLedger, *, cadres: int, years: int, seed: int, actor: str, progress: Progress) -> DemoRun:
    """Generate and record the province, bring the read models up, verify, and compose the first report."""
    decisions = province.generate(cadres=cadres, years=years, seed=seed)  # streamed
    with progress(round(cadres * years * DECISIONS_PER_CADRE_YEAR), "generating") as bar:
        lines = enumerate(counted(decisions, bar), start=1)
        imported = app.import_lines(lines, actor, progress=bar)
    if imported.errors:
        return DemoRun(imported, None)
    reader = Reader(app, progress)
    with progress(app.recorder.max_notification_id() or 0, "projecting") as bar:
        reader.catch_up(progress=bar)
    integrity = summarize(verify_ledger(app.session))
    if integrity["ok"]:
        integrity = with_derived(integrity, verify_derived(app))
    return DemoRun(imported, first_report(reader, province.DEFAULT_END, integrity))


def counted(items: Iterable[T], bar: Callable[[int], Any] | None) -> Iterator[T]:
    """`items`, stepping `bar` by one for each."""
    for item in items:
        if bar:
            bar(1)
        yield item
