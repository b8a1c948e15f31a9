"""SPEC "Status": `compute_status`, the read side's entry point for one cadre."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from ledger.facts import Fact
from ledger.rules.assessment import compute_grade_effects
from ledger.rules.bars import PARTY_RIGHTS, is_promotion_barred, is_salary_step_barred
from ledger.rules.findings import compute_findings
from ledger.rules.rank import compute_rank_promotion_eligible_on
from ledger.rules.reuse import view_of
from ledger.rules.timeline import Restriction
from ledger.rules.triggers import compute_flags
from ledger.rules.view import CadreView


def _rows(restrictions: list[Restriction]) -> list[dict]:
    ordered = sorted(restrictions, key=lambda r: (r.effective_on, r.order, r.kind, sorted(r.bars)))
    return [r.as_dict() for r in ordered]


def compute_open_investigations(view: CadreView, as_of: date) -> list[dict]:
    """R-INVESTIGATION: investigations opened on or before `as_of` and not closed by then."""
    return [
        {"case": opened.get("case"), "source": opened["id"], "opened_on": opened["on"]}
        for opened in view.history.of_type("investigation-open")
        if opened["on"] <= as_of and view.history.investigation_close(opened, as_of) is None
    ]


def compute_status(facts: Sequence[Fact], as_of: date, *, posts: Mapping[str, dict] | None = None) -> dict:
    """Status of one cadre as of `as_of`, from its facts (already limited to those known at the query).

    R-BLOCK (`promotable`, `salary_step_allowed`, `party_rights_suspended`), restrictions running and
    expired (R-REUSE), grade effects, R-TRIGGER flags, R-RANK eligibility, open investigations and the
    cadre's findings, with the record fields as of `as_of` (Precise reading 6).
    """
    view = view_of(facts, posts)
    profile = view.profile(as_of)
    running = view.running(as_of)
    return {
        "cadre": view.cadre,
        "name": profile.name,
        "unit": profile.unit,
        "post": profile.post,
        "post_level": profile.post_level,
        "rank": profile.rank,
        "staff_category": profile.staff_category,
        "party_member": profile.party_member,
        "employment": profile.employment,
        "promotable": not any(is_promotion_barred(r.bars) for r in running),
        "salary_step_allowed": not any(is_salary_step_barred(r.bars) for r in running),
        "party_rights_suspended": any(PARTY_RIGHTS in r.bars for r in running),
        "restrictions": _rows(running),
        "expired_restrictions": _rows(view.expired(as_of)),
        "grade_effects": [e.as_dict() for e in compute_grade_effects(view.history, as_of)],
        "flags": compute_flags(view.history, as_of),
        "rank_promotion_eligible_on": compute_rank_promotion_eligible_on(profile, view.grades(as_of)),
        "open_investigations": compute_open_investigations(view, as_of),
        "findings": compute_findings(view, as_of),
    }
