"""The rules of RULES.md as pure functions over a cadre's facts and a date: no I/O, no application.

Entry points: `compute_status` (read side) and `check_decision` (write-time checks). Every choice that
RULES.md marks **policy** lives in `policy.py`.
"""
from __future__ import annotations

from ledger.rules.checks import check_decision
from ledger.rules.status import compute_status

__all__ = ["check_decision", "compute_status"]
