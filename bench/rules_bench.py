"""Micro-benchmark of the rules engine: `compute_status` and `check_decision` on realistic cadres.

Run:  /work/venv/bin/python bench/rules_bench.py [--quick] [--sizes 50,200,500] [--seed 7] [--clock cpu]

Builds synthetic cadres of 50, 200 and 500 facts (annual assessments, trainings, performance entries,
commendations, evaluations, rank promotions, appointments, a few sanctions, measures, an exemption, a
variation, a retraction, an investigation and a report lifecycle, in the shapes of `ledger/examples.py`;
about 3% of the routine facts are recorded two months late) and prints, per cadre:

- `compute_status` as of the day after the last fact, on a fresh copy of the fact list each call
  (what `show` does) and on the same list again (the view of the list is reused);
- the read models' pattern: a fresh list, then `compute_status` once per as-of stretch
  (`projections.derive.stretches`), as events per second;
- an import of the whole cadre: `check_decision` before each checked decision against the growing list
  of the facts before it, amortised per call (all checked types, then per type);
- one check of the next assessment, sanction and rank promotion against a fresh copy of the full list.

Ratios are against a raw baseline measured in the same run: sorting the cadre's facts by (on, seq).
If `ledger.demo` offers `generate(cadres, years, seed)`, two of its cadres (the median and the largest)
are measured too, and its whole province is imported and read once. Never asserts.
"""
from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable (PYTHONPATH still wins)
    sys.path.append(str(Path(__file__).resolve().parent.parent))

from ledger.errors import RuleViolation
from ledger.facts import Fact
from ledger.rules.checks import CHECKED_TYPES, check_decision
from ledger.rules.ladders import next_rank_up
from ledger.rules.status import compute_status
from projections.derive import stretches

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
RANKS_UP = ["staff-2", "staff-1", "principal-staff-4", "principal-staff-3", "principal-staff-2",
            "principal-staff-1", "researcher-4", "researcher-3", "researcher-2", "researcher-1"]
LEVELS_UP = ["township-deputy", "township-chief", "county-deputy", "county-chief", "bureau-deputy"]


class CadreBuilder:
    """Decisions of one synthetic cadre, dated; `facts()` numbers them in recording order."""

    def __init__(self, cadre: str, rng: Random) -> None:
        self.cadre, self.rng = cadre, rng
        self.items: list[tuple[date, int, dict[str, Any]]] = []  # (recorded on, tie, decision)

    def add(self, type_: str, on: date, recorded_on: date | None = None, **fields: Any) -> str:
        """Add a decision effective `on`, recorded on `recorded_on` (default: `on`); return its id."""
        ident = f"{self.cadre}-{type_}-{len(self.items) + 1}"
        decision = {"id": ident, "type": type_, "on": on, **fields}
        self.items.append((recorded_on or on, len(self.items), decision))
        return ident

    def facts(self, limit: int) -> list[Fact]:
        """The first `limit` decisions in recording order, as the rules receive them (ledger/facts.py)."""
        ordered = sorted(self.items, key=lambda item: (item[0], item[1]))[:limit]
        out = []
        for seq, (_, _, decision) in enumerate(ordered, start=1):
            out.append({"recorded_at": EPOCH + timedelta(hours=seq), "seq": seq, "actor": "bench",
                        "doc": None, "authority": None, "note": None, "case": None, "override_reason": None,
                        "cadre": self.cadre, **decision})
        return out


def build_cadre(size: int, seed: int) -> list[Fact]:
    """A career of about `size` facts: routine yearly records plus a few measures and corrections."""
    rng = Random(seed * 1000 + size)
    years = max(4, min(35, size // 12))
    first = 2025 - years
    b = CadreBuilder(f"HB-{size:06d}", rng)
    b.add("register", date(first, 3, 1), name="张明", unit="宜昌市夷陵区", post="副镇长", post_level=LEVELS_UP[0],
          post_level_since=date(first, 3, 1), rank=RANKS_UP[2], rank_since=date(first - 1, 7, 1),
          party_member=True, staff_category="civil-servant", service_start=date(first - 3, 7, 1))
    rank, level, trainings, measured_years = 2, 0, [], set()
    per_year = max(6, round(size / years))  # a little more than needed; the tail is cut at `size`
    for offset in range(years):
        year = first + offset
        # one year with an investigation, a demerit reduced to a warning, and an admonition later varied
        if offset == years // 3:
            measured_years.add(year)
            b.add("investigation-open", date(year, 4, 2), case=f"C-{year}")
            b.add("investigation-close", date(year, 6, 30), case=f"C-{year}", outcome="sanctioned")
            demerit = b.add("sanction", date(year, 6, 30), kind="demerit", authority_kind="supervisory",
                            case=f"C-{year}")
            b.add("exemption", date(year, 9, 1), target=demerit, outcome="reduced",
                  ground="pilot-inexperience", replacement="warning")
        if offset == years // 2:
            measured_years.add(year)
            admonition = b.add("org-handling", date(year, 3, 10), kind="admonition")
            b.add("variation", date(year, 5, 10), target=admonition, kind="circular", reason="复核改为通报")
            b.add("sanction", date(year, 8, 12), kind="party-warning", authority_kind="party")
            b.add("report", date(year, 2, 1), report=f"XF-{year}", channel="一网监督", summary="反映违规审批")
            b.add("report-disposition", date(year, 2, 10), report=f"XF-{year}", disposition="letter-inquiry",
                  received_on=date(year, 2, 13))
            b.add("inquiry-reply", date(year, 2, 24), report=f"XF-{year}")
            b.add("report-disposition", date(year, 3, 10), report=f"XF-{year}", disposition="closed",
                  reason="untrue")
            b.add("clarification", date(year, 3, 20), report=f"XF-{year}", scope="区委常委会")
        if offset == (2 * years) // 3 and trainings:
            b.add("retraction", date(year, 5, 1), target=trainings[len(trainings) // 2], reason="重复录入")
        if offset > 0:
            grade = "competent" if year - 1 in measured_years else rng.choice(
                ["excellent", "competent", "competent", "competent", "excellent", "basically-competent"])
            b.add("assessment", date(year, 1, 15 + rng.randrange(10)), year=year - 1, grade=grade)
        if offset % 3 == 2 and rank + 1 < len(RANKS_UP):
            rank += 1
            b.add("rank-promotion", date(year, 3, 1), rank=RANKS_UP[rank])
        if offset % 6 == 5 and level + 1 < len(LEVELS_UP):
            level += 1
            b.add("appointment", date(year, 9, 1), post=f"{LEVELS_UP[level]} post",
                  post_level=LEVELS_UP[level], path="regular")
        if offset % 2 == 1:
            below = offset == 5
            b.add("democratic-evaluation", date(year, 6, 30), valid=60, excellent=20 if not below else 10,
                  competent=25, basically_competent=10, incompetent=5 if not below else 15)
        if offset % 4 == 0:
            b.add("pool-entry", date(year, 1, 20), reason="敢做善成")
            b.add("pool-exit", date(year, 11, 15))
        for n in range(per_year):
            on = date(year, 1 + (n * 11) // per_year, 5 + rng.randrange(20))
            late = on + timedelta(days=60) if rng.random() < 0.03 else None  # recorded after later decisions
            kind = n % 5
            if kind == 0:
                trainings.append(b.add("training", on, late, programme="党校中青班", hours=40 + rng.randrange(80)))
            elif kind in (1, 2):
                b.add("performance-entry", on, late, title="完成招商引资任务", category="economy", year=year,
                      verified_by="区考核办")
            elif kind == 3:
                b.add("health-check" if n % 2 else "leave", on, late, start=on, end=on + timedelta(days=5),
                      leave_type="annual")
            else:
                b.add("commendation", on, late, kind="merit-3")
    return b.facts(size)


CLOCKS: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.process_time}
clock = time.perf_counter


def timed(call: Callable[[], Any], runs: int, budget: float) -> list[float]:
    """Seconds per call for up to `runs` calls (at least 5) within about `budget` seconds."""
    out: list[float] = []
    stop = time.perf_counter() + budget
    while len(out) < runs and (len(out) < 5 or time.perf_counter() < stop):
        start = clock()
        call()
        out.append(clock() - start)
    return out


def p99(samples: Sequence[float]) -> float:
    """The 99th percentile (the largest sample when there are fewer than 100)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def refused(facts: Sequence[Fact], new: Fact) -> bool:
    """Run one check; True when it refused."""
    try:
        check_decision(facts, new)
    except RuleViolation:
        return True
    return False


def import_cadre(facts: Sequence[Fact]) -> dict[str, list[float]]:
    """Check every checked decision against the growing list of the facts before it; seconds per type."""
    grown: list[Fact] = []
    spent: dict[str, list[float]] = {}
    for fact in facts:
        if fact["type"] in CHECKED_TYPES:
            start = clock()
            refused(grown, fact)
            spent.setdefault(fact["type"], []).append(clock() - start)
        grown.append(fact)
    return spent


def next_decisions(facts: Sequence[Fact]) -> dict[str, Fact]:
    """The next assessment, sanction and rank promotion after the last fact (unrecorded drafts)."""
    last = max(f["on"] for f in facts)
    ranks = [f["rank"] for f in facts if f["type"] in ("register", "rank-promotion") and f.get("rank")]
    base = {"recorded_at": facts[-1]["recorded_at"] + timedelta(hours=1), "seq": len(facts) + 1,
            "actor": "bench", "doc": None, "authority": None, "note": None, "case": None,
            "override_reason": None, "cadre": facts[0]["cadre"], "on": last + timedelta(days=30)}
    return {
        "assessment": {**base, "id": "next-assessment", "type": "assessment", "year": last.year,
                       "grade": "competent"},
        "sanction": {**base, "id": "next-sanction", "type": "sanction", "kind": "warning",
                     "authority_kind": "supervisory"},
        "rank-promotion": {**base, "id": "next-rank", "type": "rank-promotion",
                           "rank": (next_rank_up(ranks[-1]) if ranks else None) or "inspector-1"},
    }


def row(what: str, samples: Sequence[float] | float, raw: float, extra: str = "") -> None:
    """One line of the table: median and p99 in ms, the median as a multiple of the raw baseline."""
    if isinstance(samples, float):
        med, high = samples, ""
    else:
        med, high = statistics.median(samples), f"{p99(samples) * 1000:9.3f}"
    print(f"  {what:<46}{med * 1000:9.3f} {high:>9}{med / raw:9.1f}  {extra}".rstrip())


def measure(label: str, facts: list[Fact], quick: bool) -> None:
    """Print one block of timings for one cadre."""
    runs, budget = (60, 1.5) if quick else (400, 6.0)
    as_of = max(f["on"] for f in facts) + timedelta(days=1)
    raw = statistics.median(timed(lambda: sorted(facts, key=lambda f: (f["on"], f["seq"])), 2000, 0.5))
    print(f"\n{label}: {len(facts)} facts; raw baseline (sort by on, seq) {raw * 1e6:.1f} µs")
    print(f"  {'what':<46}{'med ms':>9} {'p99 ms':>9}{'× raw':>9}")
    fresh = timed(lambda: compute_status(list(facts), as_of), runs, budget)
    row("compute_status, fresh list each call", fresh, raw)
    again = timed(lambda: compute_status(facts, as_of), runs, budget)
    row("compute_status, same list again", again, raw)
    ats = [at for _, _, at in stretches(facts)]

    def rebuild() -> None:
        loaded = list(facts)  # a rebuild reads each cadre's facts afresh, then asks once per stretch
        for at in ats:
            compute_status(loaded, at)

    rebuilt = timed(rebuild, max(5, runs // 4), budget / 2)
    row(f"read models: fresh list, stretches ({len(ats)})", rebuilt, raw,
        f"{len(facts) / statistics.median(rebuilt):,.0f} events/s")
    imports = [import_cadre(facts) for _ in range(3 if quick else 7)]
    calls = sum(len(samples) for samples in imports[0].values())
    total = statistics.median(sum(map(sum, spent.values())) for spent in imports)
    row(f"import: check_decision per call ({calls} calls)", total / max(1, calls), raw,
        f"{calls / total:,.0f} checks/s")
    for kind in sorted(imports[0]):
        per_call = statistics.median(sum(spent[kind]) / len(spent[kind]) for spent in imports)
        row(f"  of which {kind} ({len(imports[0][kind])})", per_call, raw)
    for kind, new in next_decisions(facts).items():
        outcome = " (refused)" if refused(facts, new) else ""
        samples = timed(lambda new=new: refused(list(facts), new), runs, budget / 3)
        row(f"next {kind}, fresh list{outcome}", samples, raw)


def demo_province(seed: int) -> dict[str, list[Fact]]:
    """Each cadre's facts from `ledger.demo.generate(cadres, years, seed)`, if that generator exists."""
    try:
        generate = importlib.import_module("ledger.demo").generate
    except (ImportError, AttributeError):
        return {}
    from ledger.decisions import parse
    by_cadre: dict[str, list[Fact]] = {}
    for raw in generate(cadres=60, years=20, seed=seed):
        decision = dict(parse(raw))
        if decision.get("cadre") is None:
            continue
        facts = by_cadre.setdefault(decision["cadre"], [])
        facts.append({"recorded_at": EPOCH + timedelta(seconds=len(facts) + 1), "seq": len(facts) + 1,
                      "actor": "bench", "doc": None, "authority": None, "note": None, "case": None,
                      "override_reason": None, **decision})
    return by_cadre


def measure_province(by_cadre: dict[str, list[Fact]], quick: bool) -> None:
    """Import every cadre of the province once and rebuild its read models once, in total."""
    facts = sum(len(f) for f in by_cadre.values())
    checks, spent = 0, 0.0
    for cadre_facts in by_cadre.values():
        for samples in import_cadre(cadre_facts).values():
            checks, spent = checks + len(samples), spent + sum(samples)
    start = clock()
    for cadre_facts in by_cadre.values():
        loaded = list(cadre_facts)
        for _, _, at in stretches(loaded):
            compute_status(loaded, at)
    rebuilt = clock() - start
    print(f"\ndemo province: {len(by_cadre)} cadres, {facts} facts")
    print(f"  import: {checks} checks in {spent * 1000:.1f} ms, {checks / spent:,.0f} checks/s, "
          f"{facts / spent:,.0f} decisions/s counting the unchecked ones as free")
    print(f"  read models: status per stretch of every cadre in {rebuilt * 1000:.1f} ms, "
          f"{facts / rebuilt:,.0f} events/s")


def main() -> None:
    global clock  # noqa: PLW0603 - the timing clock is chosen once, from the command line
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    parser.add_argument("--sizes", default="50,200,500", help="cadre sizes in facts")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="wall",
                        help="wall time, or this process's CPU time (steadier on a busy machine)")
    args = parser.parse_args()
    clock = CLOCKS[args.clock]
    import ledger.rules
    print(f"rules from {Path(ledger.rules.__file__).parent}; Python {sys.version.split()[0]}; "
          f"{args.clock} clock")
    for size in (int(s) for s in args.sizes.split(",")):
        measure(f"synthetic cadre of {size}", build_cadre(size, args.seed), args.quick)
    province = demo_province(args.seed)
    ranked = sorted(province.items(), key=lambda item: len(item[1]))
    for cadre, facts in [ranked[len(ranked) // 2], ranked[-1]] if ranked else []:
        measure(f"demo cadre {cadre}", facts, args.quick)
    if province:
        measure_province(province, args.quick)


if __name__ == "__main__":
    main()
