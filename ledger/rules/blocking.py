"""R-BLOCK refusals: which running restriction governs, and the message that names it and its end."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ledger.errors import RuleViolation
from ledger.rules.sanctions import PENDING, PERMANENT
from ledger.rules.timeline import Restriction


def governing(blockers: Iterable[Restriction]) -> Restriction | None:
    """R-CROSS: the blocker that ends last (permanent, then pending, then the latest `ends_on`)."""
    def lateness(item: Restriction) -> tuple[int, date]:
        if item.end_kind == PERMANENT:
            return (2, date.max)
        if item.end_kind == PENDING:
            return (1, date.max)
        return (0, item.ends_on or date.max)

    blockers = list(blockers)
    return max(blockers, key=lateness) if blockers else None


def describe_blocker(cadre: str, action: str, blocker: Restriction) -> str:
    """`HB-12 may not be promoted until 2026-03-10: demerit s-2025-17 is running`."""
    if blocker.end_kind == PERMANENT:
        return f"{cadre} may not {action}: {blocker.kind} {blocker.source} is permanent"
    if blocker.end_kind == PENDING:
        return (f"{cadre} may not {action} while {blocker.kind} {blocker.source} is running "
                "(it has no end date yet)")
    until = blocker.ends_on.isoformat() if blocker.ends_on else "its end"
    return f"{cadre} may not {action} until {until}: {blocker.kind} {blocker.source} is running"


def check_not_blocked(rule: str, cadre: str, action: str, blockers: Iterable[Restriction]) -> None:
    """R-BLOCK: raise `RuleViolation(rule)` naming the governing blocker, if any restriction blocks."""
    blocker = governing(blockers)
    if blocker is not None:
        raise RuleViolation(rule, describe_blocker(cadre, action, blocker), blocking=blocker.source,
                            ends_on=blocker.ends_on)
