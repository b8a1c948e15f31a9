"""Micro-benchmark of the rules engine: `compute_status` and `check_decision` on realistic cadres.

Run:  /work/venv/bin/python bench/rules_bench.py [--quick] [--sizes 50,200,500] [--seed 7]

Builds synthetic cadres of about 50, 200 and 500 facts (annual assessments, trainings, performance
entries, commendations, evaluations, rank promotions, appointments, a few sanctions, measures,
exemptions, corrections, an investigation and a report lifecycle, in the shapes of `ledger/examples.py`)
and prints, per size:

- `compute_status` as of the day after the last fact: median and p99 of many calls on a fresh copy of
  the fact list (nothing reused between calls), and on the same list (what a caller that keeps its list
  gets);
- the read-model pattern: `compute_status` once per as-of stretch (`projections.derive.stretches`),
  as events per second;
- an import of the whole cadre: `check_decision` before each checked decision on the growing list,
  amortised per call (all checked types, and assessments alone);
- one check of the next assessment, sanction and rank promotion on the full list (fresh copy each call).

Ratios are against a raw baseline measured in the same run: sorting the cadre's facts by (on, seq).
If `ledger.demo` offers `generate(cadres, years, seed)`, its cadres are measured too. Never asserts.
"""
from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from random import Random
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable (PYTHONPATH still wins)
    sys.path.append(str(Path(__file__).resolve().parent.parent))

from ledger.errors import RuleViolation  # noqa: E402
from ledger.facts import Fact  # noqa: E402
from ledger.rules.checks import CHECKED_TYPES, check_decision  # noqa: E402
from ledger.rules.ladders import next_rank_up  # noqa: E402
from ledger.rules.status import compute_status  # noqa: E402

EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)
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
        self.items.append((recorded_on or on, len(self.items), {"id": ident, "type": type_, "on": on, **fields}))
        return ident

    def facts(self, limit: int) -> list[Fact]:
        """The first `limit` decisions in recording order, as the rules receive them (ledger/facts.py)."""
        ordered = sorted(self.items, key=lambda item: (item[0], item[1]))[:limit]
        out = []
        for seq, (_, _, decision) in enumerate(ordered, start=1):
            out.append({"recorded_at": EPOCH + timedelta(hours=seq), "seq": seq, "actor": "bench", "doc": None,
                        "authority": None, "note": None, "case": None, "override_reason": None,
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
            b.add("exemption", date(year, 9, 1), target=demerit, outcome="reduced", ground="pilot-inexperience",
                  replacement="warning")
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
            b.add("appointment", date(year, 9, 1), post=f"{LEVELS_UP[level]} post", post_level=LEVELS_UP[level],
                  path="regular")
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


def timed(call: Callable[[], Any], runs: int, budget: float) -> list[float]:
    """Seconds per call for up to `runs` calls (at least 5) within about `budget` seconds."""
    out: list[float] = []
    stop = time.perf_counter() + budget
    while len(out) < runs and (len(out) < 5 or time.perf_counter() < stop):
        start = time.perf_counter()
        call()
        out.append(time.perf_counter() - start)
    return out


def p99(samples: Sequence[float]) -> float:
    """The 99th percentile (the largest sample when there are fewer than 100)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def quietly(facts: Sequence[Fact], new: Fact) -> bool:
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
            start = time.perf_counter()
            quietly(grown, fact)
            spent.setdefault(fact["type"], []).append(time.perf_counter() - start)
        grown.append(fact)
    return spent


def next_decisions(facts: Sequence[Fact]) -> dict[str, Fact]:
    """The next assessment, sanction and rank promotion after the last fact (unrecorded drafts)."""
    last = max(f["on"] for f in facts)
    ranks = [f["rank"] for f in facts if f["type"] in ("register", "rank-promotion") and f.get("rank")]
    target = next_rank_up(ranks[-1]) if ranks else None
    base = {"recorded_at": facts[-1]["recorded_at"] + timedelta(hours=1), "seq": len(facts) + 1, "actor": "bench",
            "doc": None, "authority": None, "note": None, "case": None, "override_reason": None,
            "cadre": facts[0]["cadre"], "on": last + timedelta(days=30)}
    return {
        "assessment": {**base, "id": "next-assessment", "type": "assessment", "year": last.year, "grade": "competent"},
        "sanction": {**base, "id": "next-sanction", "type": "sanction", "kind": "warning",
                     "authority_kind": "supervisory"},
        "rank-promotion": {**base, "id": "next-rank", "type": "rank-promotion",
                           "rank": target or "inspector-1"},
    }


def ms(seconds: float) -> str:
    return f"{seconds * 1000:9.3f}"


def measure(label: str, facts: list[Fact], quick: bool) -> None:
    """Print one block of timings for one cadre."""
    runs, budget = (60, 1.5) if quick else (400, 6.0)
    as_of = max(f["on"] for f in facts) + timedelta(days=1)
    raw = statistics.median(timed(lambda: sorted(facts, key=lambda f: (f["on"], f["seq"])), 2000, 0.5))
    fresh = timed(lambda: compute_status(list(facts), as_of), runs, budget)
    same = timed(lambda: compute_status(facts, as_of), runs, budget)
    print(f"\n{label}: {len(facts)} facts; raw baseline (sort by on, seq) {raw * 1e6:.1f} µs")
    print(f"  {'what':<44}{'median ms':>10}{'p99 ms':>10}{'× raw':>10}")
    for name, samples in (("compute_status, fresh list each call", fresh), ("compute_status, same list", same)):
        med = statistics.median(samples)
        print(f"  {name:<44}{ms(med)} {ms(p99(samples))}{med / raw:10.0f}")
    stretch_count = 0
    try:
        from projections.derive import stretches
        ats = [at for _, _, at in stretches(facts)]
        stretch_count = len(ats)
        def rebuild_cadre() -> None:
            loaded = list(facts)  # a rebuild reads each cadre's facts afresh, then asks once per stretch
            for at in ats:
                compute_status(loaded, at)
        rebuild = timed(rebuild_cadre, max(5, runs // 10), budget / 2)
        per_cadre = statistics.median(rebuild)
        print(f"  {'read models: status per stretch (' + str(stretch_count) + ')':<44}{ms(per_cadre)}"
              f" {ms(p99(rebuild))}{per_cadre / raw:10.0f}   {len(facts) / per_cadre:,.0f} events/s")
    except ImportError:
        pass
    imports = [import_cadre(facts) for _ in range(3 if quick else 5)]
    per_type: dict[str, list[float]] = {}
    for spent in imports:
        for kind, samples in spent.items():
            per_type.setdefault(kind, []).append(sum(samples) / len(samples))
    total_calls = sum(len(samples) for samples in imports[0].values())
    totals = sorted(sum(sum(s) for s in spent.values()) for spent in imports)
    amortised = statistics.median(totals) / max(1, total_calls)
    print(f"  {'import: check_decision per call (' + str(total_calls) + ' calls)':<44}{ms(amortised)}"
          f" {'':>9}{amortised / raw:10.1f}   {total_calls / statistics.median(totals):,.0f} checks/s")
    for kind in sorted(per_type):
        value = statistics.median(per_type[kind])
        print(f"  {'  of which ' + kind + ' (' + str(len(imports[0][kind])) + ')':<44}{ms(value)}"
              f" {'':>9}{value / raw:10.1f}")
    for kind, new in next_decisions(facts).items():
        samples = timed(lambda: quietly(list(facts), new), runs, budget / 3)
        med = statistics.median(samples)
        refused = " (refused)" if quietly(facts, new) else ""
        print(f"  {'next ' + kind + ' on the full list' + refused:<44}{ms(med)} {ms(p99(samples))}{med / raw:10.1f}")


def demo_cadres(seed: int) -> list[tuple[str, list[Fact]]]:
    """The cadres of `ledger.demo.generate(cadres, years, seed)`, when a colleague's generator exists."""
    try:
        demo = importlib.import_module("ledger.demo")
    except ImportError:
        return []
    generate = getattr(demo, "generate", None)
    if generate is None:
        return []
    from ledger.decisions import parse
    by_cadre: dict[str, list[Fact]] = {}
    for raw in generate(cadres=40, years=20, seed=seed):
        decision = dict(parse(raw))
        cadre = decision.get("cadre")
        if cadre is None:
            continue
        facts = by_cadre.setdefault(cadre, [])
        facts.append({"recorded_at": EPOCH + timedelta(seconds=len(facts) + 1), "seq": len(facts) + 1,
                      "actor": "bench", "doc": None, "authority": None, "note": None, "case": None,
                      "override_reason": None, **decision})
    ranked = sorted(by_cadre.items(), key=lambda item: len(item[1]))
    if not ranked:
        return []
    picks = {ranked[len(ranked) // 2][0], ranked[-1][0]}
    return [(f"demo cadre {cadre}", facts) for cadre, facts in ranked if cadre in picks]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    parser.add_argument("--sizes", default="50,200,500", help="cadre sizes in facts")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    import ledger.rules
    print(f"rules from {Path(ledger.rules.__file__).parent}; Python {sys.version.split()[0]}")
    for size in (int(s) for s in args.sizes.split(",")):
        measure(f"synthetic cadre of {size}", build_cadre(size, args.seed), args.quick)
    for label, facts in demo_cadres(args.seed):
        measure(label, facts, args.quick)


if __name__ == "__main__":
    main()
