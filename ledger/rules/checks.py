"""Write-time checks (RULES.md "Write-time checks"): `check_decision`, the entry point of the write side."""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from ledger.facts import Fact
from ledger.rules.assessment import check_assessment
from ledger.rules.discipline import check_sanction
from ledger.rules.posts import check_appointment
from ledger.rules.probation import check_party_rights_restored, check_probation_extension
from ledger.rules.rank import check_rank_promotion
from ledger.rules.reuse import view_of
from ledger.rules.view import CadreView

Check = Callable[[CadreView, Fact], None]

CHECKS: dict[str, Check] = {
    "rank-promotion": check_rank_promotion,
    "appointment": check_appointment,
    "assessment": check_assessment,
    "sanction": check_sanction,
    "probation-extension": check_probation_extension,
    "party-rights-restored": check_party_rights_restored,
}
CHECKED_TYPES: frozenset[str] = frozenset(CHECKS)


def check_decision(facts: Sequence[Fact], new: Fact, *, posts: Mapping[str, dict] | None = None) -> None:
    """Raise RuleViolation when `new` breaks a write-time rule, checked as of new['on'] against `facts`.

    `facts` are in recording order. Rank promotions (R-RANK-BAR, R-RANK-MIN), appointments (R-BLOCK,
    R-POST-*), assessments (R-ASSESS, R-ASSESS-EFFECT, R-INVESTIGATION), sanctions (R-PARTY-*,
    R-STATE-*), probation extensions and restorations (R-PARTY-EXT, R-PARTY-RESTORE). Other types, and
    a cadre with no register, pass.
    """
    if new["type"] in CHECKS:
        check_view(view_of(facts, posts), new)


def check_view(view: CadreView, new: Fact) -> None:
    """`check_decision` against an already built view of the facts."""
    check = CHECKS.get(new["type"])
    if check is None or view.history.register is None:
        return
    check(view, new)
