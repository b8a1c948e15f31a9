"""The routine of a cadre's year: assessment, evaluation, training, health checks, leave, performance."""

from __future__ import annotations

from datetime import date

from ledger.demo import names
from ledger.demo.cadre import BAD_GRADES, MARGIN, Sim, rank_down
from ledger.demo.measures import doc, org
from ledger.demo.world import DAY

OVERRIDE_EXCELLENT = "考核委员会集体研究认为该同志年度表现特别突出，报同级党委批准确定为优秀"


def assess(sim: Sim, day: date, year: int) -> None:
    """年度考核 for `year`, within the grade effects and R-INVESTIGATION."""
    world = sim.world
    severity = sim.effect(year, day)
    override = None
    if sim.grading_barred(year):
        grade = "not-graded"
        sim.regrade.add(year)
    elif severity == 3:
        grade = "incompetent"
    elif severity == 2 or year < sim.first_graded:
        grade = "not-graded"
    else:
        grade = sim.forced.pop(year, "") or _sample(sim)
        if severity == 1 and grade == "excellent":
            if world.chance(0.5) and world.may_override():
                override = OVERRIDE_EXCELLENT
            else:
                grade = "competent"
    fields: dict[str, object] = {"year": year, "grade": grade}
    if override:
        fields["override_reason"] = override
    decision_id = sim.emit("assessment", day, **fields)
    previous = sim.grade_of(year - 1, day)
    sim.grades.setdefault(year, []).append((day, grade, decision_id))
    if grade in BAD_GRADES:
        sim.barred_until = max(sim.barred_until, date(year + 2, 1, 1) + MARGIN)
    if grade == "excellent":
        if world.chance(0.8):
            sim.at(sim.after(day, 10, 40), commend, "citation")
        if previous == "excellent" and sim.grade_of(year - 2, day) == "excellent":
            sim.at(sim.after(day, 15, 50), commend, "merit-3")
    elif grade == "incompetent":
        sim.at(sim.after(day, 15, 60), determine, "incompetent-year", year, "confirmed")
        if previous == "incompetent":
            sim.at(sim.after(day, 20, 70), determine, "two-incompetent-consecutive", year, "confirmed")
            sim.at(sim.after(day, 80, 120), dismiss)
        elif world.chance(0.9):
            sim.at(sim.after(day, 30, 120), demote_rank)
    elif grade == "basically-competent":
        if previous == "basically-competent":
            outcome = world.variant("two-basic", ("confirmed", "dismissed"), (0.6, 0.4))
            sim.at(sim.after(day, 20, 80), determine, "two-basic-consecutive", year, outcome)
        elif world.chance(0.35):
            sim.at(sim.after(day, 20, 60), _admonish)


def _sample(sim: Sim) -> str:
    r = sim.world.rng.random()
    excellent = 0.2 if sim.level else 0.15
    if r < excellent:
        return "excellent"
    if r < excellent + 0.025:
        return "basically-competent"
    if r < excellent + 0.027:
        return "incompetent"
    if r < excellent + 0.035:
        return "not-graded"
    return "competent"


def _admonish(sim: Sim, day: date) -> None:
    org(sim, day, "admonition", note="年度考核基本称职，予以诫勉")


def determine(sim: Sim, day: date, trigger: str, basis: int | str, outcome: str) -> None:
    """认定 on a raised trigger; a confirmed one is carried out by an org measure."""
    decision_id = sim.emit("determination", day, trigger=trigger, basis=basis, outcome=outcome)
    if outcome == "confirmed" and trigger in ("two-basic-consecutive", "vote-below-two-thirds"):
        kind = sim.world.pick(("post-adjustment", "admonition")) if sim.level else "admonition"
        sim.at(sim.after(day, 5, 30), _carry_out, kind, decision_id)


def _carry_out(sim: Sim, day: date, kind: str, determination: str) -> None:
    org(sim, day, kind, determination=determination, note="经认定确属不担当不作为，予以调整")


def demote_rank(sim: Sim, day: date) -> None:
    """不称职: one rank lower (R-ASSESS-DEMOTE)."""
    lower = rank_down(sim.rank)
    if lower is not None:
        sim.emit("rank-demotion", day, rank=lower, doc=doc(sim, day, "组干"))
        sim.set_rank(lower, day)


def dismiss(sim: Sim, day: date) -> None:
    """辞退 after two consecutive incompetent years."""
    sim.emit("employment-end", day, reason="dismissal", note="连续两年年度考核不称职，予以辞退")
    sim.end_employment(day)


def commend(sim: Sim, day: date, kind: str) -> None:
    """嘉奖 / 记功 / 称号."""
    sim.emit("commendation", day, kind=kind, doc=doc(sim, day, "人社奖"))


def health_check(sim: Sim, day: date) -> None:
    """体检."""
    sim.emit("health-check", day)


def train(sim: Sim, day: date, programme: tuple[str, int, int]) -> None:
    """Training completed."""
    title, low, high = programme
    sim.emit("training", day, programme=title, hours=sim.world.rng.randint(low, high))


def leave(sim: Sim, day: date) -> None:
    """休假."""
    rng = sim.world.rng
    kind, low, high, _ = rng.choices(names.LEAVE_TYPES, [t[3] for t in names.LEAVE_TYPES])[0]
    end = day + DAY * (rng.randint(low, high) - 1)
    sim.emit("leave", day, start=day.isoformat(), end=end.isoformat(), leave_type=kind)


def performance(sim: Sim, day: date) -> None:
    """实绩清单 entry."""
    rng = sim.world.rng
    category, title = names.PERFORMANCE[rng.randrange(len(names.PERFORMANCE))]
    decision_id = sim.emit(
        "performance-entry",
        day,
        title=title.format(n=rng.randint(2, 30)),
        category=category,
        year=day.year,
        verified_by=f"{sim.area.name}委考核办",
    )
    sim.perf_ids = sim.perf_ids[-3:] + [decision_id]


def evaluate(sim: Sim, day: date) -> None:
    """民主测评; a few fall below two thirds (R-TRIGGER) and are determined later, or not."""
    world, rng = sim.world, sim.world.rng
    valid = rng.randint(25, 80)
    low = sim.low_vote is not None or world.chance(0.006)
    if low:
        good = rng.randint(valid * 45 // 100, (2 * valid - 1) // 3)
    else:
        good = rng.randint(-(-valid * 85 // 100), valid)
    excellent = round(good * rng.uniform(0.4, 0.8))
    rest = valid - good
    abstain = rng.randint(0, min(2, rest))
    incompetent = rng.randint(0, (rest - abstain) // 3)
    decision_id = sim.emit(
        "democratic-evaluation",
        day,
        valid=valid,
        excellent=excellent,
        competent=good - excellent,
        basically_competent=rest - abstain - incompetent,
        incompetent=incompetent,
    )
    if low:
        outcome = sim.low_vote or world.rng.choice(("dismissed", "dismissed", "none"))
        sim.low_vote = None
        if outcome != "none":
            sim.at(sim.after(day, 20, 60), determine, "vote-below-two-thirds", decision_id, outcome)
