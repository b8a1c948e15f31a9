"""Write-time checks of a sanction: R-PARTY-MEMBER, R-PARTY-COMBINED, R-PARTY-PROB-NEW, R-STATE-COMBINED,
and no state sanction on or after retirement (R-STATE, Art. 27)."""
from __future__ import annotations

from ledger.errors import RuleViolation
from ledger.facts import Fact
from ledger.rules import policy
from ledger.rules.probation import running_probation
from ledger.rules.sanctions import (
    EXPULSION,
    PARTY_LADDER,
    POST_DISMISSAL,
    PROBATION,
    STATE_LADDER,
    fixed_period,
)
from ledger.rules.view import CadreView
from ledger.vocab import sanction_track

PARTY_KINDS = frozenset(kind for kind, _ in PARTY_LADDER)


def compute_party_combination(violations: list[str]) -> tuple[str, int | None]:
    """R-PARTY-COMBINED: the heaviest violation raised one level (kind, probation months or None)."""
    steps = []
    for kind in violations:
        if kind == PROBATION:
            steps.append(PARTY_LADDER.index((PROBATION, policy.VIOLATION_PROBATION_MONTHS)))
        else:
            steps.append(PARTY_LADDER.index((kind, None)))
    if len(violations) < policy.MIN_VIOLATIONS_TO_COMBINE:
        return PARTY_LADDER[steps[0]]
    return PARTY_LADDER[min(max(steps) + 1, len(PARTY_LADDER) - 1)]


def check_party_combined(view: CadreView, new: Fact) -> None:
    """R-PARTY-COMBINED: a combined decision's `kind` (and probation months) must equal the combination."""
    violations = new.get("violations") or []
    if not violations:
        return
    if not PARTY_KINDS.issuperset(violations):
        raise RuleViolation("R-PARTY-COMBINED", f"{view.cadre}: violations of a Party sanction must be Party "
                            f"kinds, not {', '.join(v for v in violations if v not in PARTY_KINDS)}")
    kind, months = compute_party_combination(violations)
    combined = len(violations) >= policy.MIN_VIOLATIONS_TO_COMBINE
    if new["kind"] != kind or (kind == PROBATION and combined and new.get("period_months") != months):
        wanted = f"{kind} ({months} months)" if kind == PROBATION and combined else kind
        raise RuleViolation("R-PARTY-COMBINED", f"{view.cadre}: violations {', '.join(violations)} "
                            f"combine to {wanted} (the heaviest raised one level), not {new['kind']}")


def check_state_combined(view: CadreView, new: Fact) -> None:
    """R-STATE-COMBINED: only the heaviest kind is executed; a combined period only for one repeated kind."""
    kind, violations, period = new["kind"], new.get("violations") or [], new.get("period_months")
    unknown = [v for v in violations if v not in STATE_LADDER]
    if unknown:
        raise RuleViolation("R-STATE-COMBINED", f"{view.cadre}: violations of a state sanction must be state "
                            f"kinds, not {', '.join(unknown)}")
    if violations:
        heaviest = max(violations, key=STATE_LADDER.index)
        if kind != heaviest:
            raise RuleViolation("R-STATE-COMBINED", f"{view.cadre}: of violations {', '.join(violations)} "
                                f"only the heaviest, {heaviest}, is executed, not {kind}")
    if period is None:
        return
    if len(violations) < 2 or len(set(violations)) > 1:
        raise RuleViolation("R-STATE-COMBINED", f"{view.cadre}: period_months is set only for several "
                            "violations of one kind")
    base = fixed_period(kind)
    if base is None or STATE_LADDER.index(kind) > STATE_LADDER.index(POST_DISMISSAL):
        raise RuleViolation("R-STATE-COMBINED", f"{view.cadre}: {kind} has no period to combine")
    high = min(base * len(violations), policy.STATE_COMBINED_MAX_MONTHS)
    if not base <= period <= high:
        raise RuleViolation("R-STATE-COMBINED", f"{view.cadre}: period_months {period} is outside "
                            f"{base}–{high} for {len(violations)} violations of {kind}")


def _check_not_retired(view: CadreView, new: Fact) -> None:
    """R-STATE (政务处分法 Art. 27): no state sanction effective on or after retirement."""
    for ended in view.history.of_type("employment-end"):
        if ended.get("reason") == "retirement" and ended["on"] <= new["on"]:
            raise RuleViolation("R-STATE", f"{view.cadre} may not receive a state sanction effective on or "
                                f"after retirement on {ended['on'].isoformat()} ({ended['id']})",
                                blocking=ended["id"])


def _check_member(view: CadreView, new: Fact) -> None:
    """R-PARTY-MEMBER: Party sanctions only for a Party member (never one, or expelled)."""
    if view.profile(new["on"]).party_member:
        return
    expulsions = [f for f in view.history.of_type("sanction")
                  if f["on"] <= new["on"] and view.history.kind_of(f) == EXPULSION]
    blocking = expulsions[-1]["id"] if expulsions else (view.history.register or {}).get("id")
    why = f"expelled by {blocking}" if expulsions else "not a Party member"
    raise RuleViolation("R-PARTY-MEMBER", f"{view.cadre} may not receive a Party sanction: {why}",
                        blocking=blocking)


def check_sanction(view: CadreView, new: Fact) -> None:
    """R-PARTY-MEMBER, R-PARTY-COMBINED, R-PARTY-PROB-NEW, R-STATE-COMBINED, R-STATE: a sanction's checks."""
    if sanction_track(new["kind"]) == "state":
        _check_not_retired(view, new)
        check_state_combined(view, new)
        return
    _check_member(view, new)
    check_party_combined(view, new)
    if new["kind"] != EXPULSION:
        probation = running_probation(view, new["on"])
        if probation is not None:
            raise RuleViolation("R-PARTY-PROB-NEW", f"{view.cadre} may not receive a Party sanction other "
                                f"than expulsion during probation {probation}", blocking=probation)
