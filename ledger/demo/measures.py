"""Sanctions, organisational measures, investigations and corrections, as one cadre's decisions."""

from __future__ import annotations

from datetime import date

from ledger import vocab
from ledger.demo.cadre import Sim, level_down, rank_down
from ledger.demo.titles import generic_title
from ledger.demo.world import DAY

LEAVING = vocab.LEAVES_POST_ORG_KINDS


def doc(sim: Sim, day: date, prefix: str) -> str:
    """A document number 文号 like 夷陵纪发〔2023〕12号."""
    return f"{sim.area.name}{prefix}〔{day.year}〕{sim.world.next(f'doc:{prefix}:{day.year}')}号"


def authority(sim: Sim, authority_kind: str) -> str:
    """The deciding body's name for an authority kind."""
    a = sim.area.name
    return {
        "party": f"{a}纪委",
        "supervisory": f"{a}监委",
        "appointing-body": f"{a}人民政府",
        "org": f"{a}委组织部",
    }[authority_kind]


def new_case(sim: Sim, day: date) -> str:
    """A fresh case number."""
    return f"{sim.area.code}-{day.year}-{sim.world.next(f'case:{sim.area.code}:{day.year}'):03d}"


def sanction(
    sim: Sim, day: date, kind: str, authority_kind: str, case: str | None = None, **extra: object
) -> str | None:
    """Record a sanction when the rules allow it (Party membership, probation, a post to dismiss from)."""
    if not sim.active:
        return None
    if kind in vocab.PARTY_SANCTIONS and (
        not sim.party or (sim.probation is not None and kind != "party-expulsion")
    ):
        return None
    fields: dict[str, object] = {
        "kind": kind,
        "authority_kind": authority_kind,
        "doc": doc(sim, day, "纪发" if authority_kind != "appointing-body" else "政发"),
        "authority": authority(sim, authority_kind),
    }
    if case:
        fields["case"] = case
    lower = level_down(sim.level) if sim.level else None
    if kind == "post-dismissal":
        if lower is None:
            return None
        title, _ = generic_title(sim.world, sim.area, lower)
        fields.update(new_post=title, new_post_level=lower, new_rank=rank_down(sim.rank) or sim.rank)
    fields.update(extra)
    decision_id = sim.emit("sanction", day, **fields)
    months = extra.get("period_months") if kind != "party-probation" else None
    sim.add_measure(decision_id, kind, day, months if isinstance(months, int) else None)
    if kind == "party-probation":
        sim.measures[decision_id].period = int(extra["period_months"])  # type: ignore[call-overload]
        sim.probation = {"id": decision_id, "on": day, "months": extra["period_months"], "extended": False}
        sim.pending.add(decision_id)
    elif kind == "party-expulsion":
        sim.party = False
        if sim.probation is not None:
            sim.pending.discard(sim.probation["id"])
            sim.probation = None
    elif kind == "discharge":
        sim.end_employment(day)
    elif kind == "post-dismissal":
        sim.set_level(lower, day, str(fields["new_post"]))
        sim.set_rank(str(fields["new_rank"]), day)
    return decision_id


def org(sim: Sim, day: date, kind: str, case: str | None = None, **extra: object) -> str | None:
    """Record an organisational measure (组织处理/问责); measures on a post need one."""
    if not sim.active:
        return None
    lower = level_down(sim.level) if sim.level else None
    if (kind in LEAVING and sim.level is None) or (kind == "demotion" and lower is None):
        kind = "admonition"
    fields: dict[str, object] = {
        "kind": kind,
        "doc": doc(sim, day, "组通"),
        "authority": authority(sim, "org"),
    }
    if case:
        fields["case"] = case
    if kind == "demotion":
        fields["new_post_level"] = lower
    fields.update(extra)
    decision_id = sim.emit("org-handling", day, **fields)
    sim.add_measure(decision_id, kind, day)
    if kind == "suspension":
        sim.pending.add(decision_id)
    elif kind in LEAVING:
        sim.set_level(None, day)
    elif kind == "demotion" and lower is not None:
        sim.set_level(lower, day, generic_title(sim.world, sim.area, lower)[0])
    return decision_id


def end_suspension(sim: Sim, day: date, target: str) -> None:
    """停职检查 ends."""
    if target in sim.pending:
        sim.emit("suspension-end", day, target=target)
        sim.pending.discard(target)


def open_investigation(sim: Sim, day: date, case: str) -> None:
    """立案审查."""
    sim.emit("investigation-open", day, case=case, authority=authority(sim, "supervisory"))
    sim.investigations[case] = day
    sim.pending.add(case)


def close_investigation(sim: Sim, day: date, case: str, outcome: str) -> None:
    """结案; after `no-sanction` the years left not-graded by the investigation are graded (补定等次)."""
    if case not in sim.investigations:
        return
    sim.emit("investigation-close", day, case=case, outcome=outcome)
    del sim.investigations[case]
    sim.pending.discard(case)
    if outcome == "no-sanction" and not sim.investigations:
        for year in sorted(sim.regrade):
            sim.at(sim.after(day, 10, 40), regrade, year)
        sim.regrade.clear()


def regrade(sim: Sim, day: date, year: int) -> None:
    """补定等次: replace a not-graded year once the investigation is closed."""
    if sim.grade_of(year, day) != "not-graded" or sim.grading_barred(year) or sim.effect(year, day) >= 2:
        return
    grade = "excellent" if sim.effect(year, day) == 0 and sim.world.chance(0.2) else "competent"
    decision_id = sim.emit("assessment", day, year=year, grade=grade, note="结案后补定等次")
    sim.grades.setdefault(year, []).append((day, grade, decision_id))


def exempt(
    sim: Sim, day: date, target: str, outcome: str, ground: str, replacement: str | None = None
) -> None:
    """容错免责 decision on a measure."""
    if target not in sim.measures or target in sim.void:
        return
    fields: dict[str, object] = {
        "target": target,
        "outcome": outcome,
        "ground": ground,
        "applicant": sim.name,
        "verified_by": f"{sim.area.name}纪委监委",
    }
    if replacement:
        fields["replacement"] = replacement
    if outcome != "rejected":
        fields["list_item"] = sim.world.pick(
            (
                "先行先试中出现的失误",
                "推动改革中因缺乏经验出现的偏差",
                "重大项目推进中的程序瑕疵",
                "应急处置中的临机决断",
            )
        )
    sim.emit("exemption", day, **fields)
    sim.measures[target].exemptions.append((day, outcome, replacement))


def vary(sim: Sim, day: date, target: str, kind: str) -> None:
    """复审复核 changes a measure's kind (always to a lighter one here)."""
    if target in sim.measures and target not in sim.void:
        sim.emit("variation", day, target=target, kind=kind, reason="复审复核认为原处理偏重，予以变更")
        sim.measures[target].variation = kind


def void(sim: Sim, day: date, target: str, correction: str, reason: str) -> None:
    """Retraction (recorded in error) or revocation (overturned on appeal) of a decision."""
    if target not in sim.void:
        sim.emit(correction, day, target=target, reason=reason)
        sim.void.add(target)


def reuse_review(sim: Sim, day: date, targets: list[str]) -> None:
    """影响期满后使用 review of expired measures."""
    outcome = sim.world.rng.choices(("cleared", "reuse", "defer"), (0.7, 0.2, 0.1))[0]
    sim.emit("reuse-review", day, targets=targets, outcome=outcome)


def review_later(sim: Sim, targets: list[str]) -> None:
    """Schedule the re-use review once every restriction has surely run out."""
    sim.at(sim.barred_until + DAY * sim.world.rng.randint(10, 90), reuse_review, targets)
