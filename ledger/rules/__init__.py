"""The rules of RULES.md as pure functions over a cadre's facts and a date: no I/O, no application.

Entry points: `compute_status` (read side) and `check_decision` (write-time checks). Every choice that
RULES.md marks **policy** lives in `policy.py`.
"""
from __future__ import annotations

from typing import Any

__all__ = ["check_decision", "compute_status"]


def __getattr__(name: str) -> Any:
    """The entry points, imported when first asked for (a read need not import every write-time check)."""
    if name == "check_decision":
        from ledger.rules.checks import check_decision

        return check_decision
    if name == "compute_status":
        from ledger.rules.status import compute_status

        return compute_status
    raise AttributeError(name)
