"""Which rule checks a decision runs at write time, with what it needs from the ledger."""
from __future__ import annotations

from ledger.decisions import Decision
from ledger.facts import named_posts
from ledger.workspace import Workspace

CADRE_CHECKED = frozenset({
    "rank-promotion", "appointment", "assessment", "sanction", "probation-extension", "party-rights-restored",
})
POST_CHECKED = frozenset({"handover-extension", "handover-complete"})


def check(decision: Decision, work: Workspace, actor: str) -> None:
    """Raise RuleViolation when `decision` breaks a rule as of its own date (RULES.md "Write-time checks")."""
    kind = decision["type"]
    if kind in CADRE_CHECKED:
        from ledger.rules.checks import check_decision

        facts = work.cadre_facts(decision["cadre"]) or []
        check_decision(facts, work.next_fact(decision, actor), posts=named_posts([*facts, decision], work.post_info))
    elif kind in POST_CHECKED:
        from ledger.rules.handover import check_handover_decision

        check_handover_decision(work.post_facts(decision["post"]) or [], work.next_fact(decision, actor))
