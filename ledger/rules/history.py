"""A cadre's facts after corrections, in valid time (R-EXEMPT, Precise readings 2, 11, 12).

Retractions and revocations void their target from the start, whatever their own date; a voided
correction restores its target. Variations recompute their target's kind from the start, the latest in
valid-time order winning. Exemptions apply from their own date, the latest effective one winning.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from ledger.facts import Fact
from ledger.rules import policy
from ledger.rules.sanctions import PROBATION

CORRECTIONS = frozenset({"retraction", "revocation"})
MEASURE_TYPES = frozenset({"sanction", "org-handling"})
TARGETING_TYPES = frozenset(
    {"variation", "exemption", "probation-extension", "party-rights-restored", "suspension-end"}
)

OrderKey = tuple[date, int]


def order_key(fact: Fact) -> OrderKey:
    """Precise reading 2: valid-time order is (`on`, recording order)."""
    return (fact["on"], fact["seq"])


def _void_ids(facts: Sequence[Fact]) -> frozenset[str]:
    """Precise reading 12: ids voided by a retraction or revocation that is not itself void."""
    correctors: dict[str, list[str]] = defaultdict(list)
    for fact in facts:
        if fact["type"] in CORRECTIONS and fact.get("target"):
            correctors[fact["target"]].append(fact["id"])
    memo: dict[str, bool] = {}

    def is_void(fact_id: str, visiting: frozenset[str]) -> bool:
        if fact_id in memo:
            return memo[fact_id]
        if fact_id in visiting:
            return False
        result = any(not is_void(c, visiting | {fact_id}) for c in correctors.get(fact_id, ()))
        memo[fact_id] = result
        return result

    return frozenset(f["id"] for f in facts if f["type"] != "register" and is_void(f["id"], frozenset()))


class History:
    """The facts of one cadre as they stand after corrections, with look-ups by type and target."""

    def __init__(self, facts: Sequence[Fact]) -> None:
        self.facts: list[Fact] = list(facts)
        self.register: Fact | None = next((f for f in self.facts if f["type"] == "register"), None)
        self.cadre: str | None = self.register.get("cadre") if self.register else None
        self.void: frozenset[str] = _void_ids(self.facts)
        self.valid: list[Fact] = sorted(
            (f for f in self.facts if f["id"] not in self.void and f["type"] not in CORRECTIONS),
            key=order_key,
        )
        self.by_id: dict[str, Fact] = {f["id"]: f for f in self.valid}
        self._by_type: dict[str, list[Fact]] = defaultdict(list)
        self._targeting: dict[tuple[str, str], list[Fact]] = defaultdict(list)
        for fact in self.valid:
            self._by_type[fact["type"]].append(fact)
            if fact["type"] in TARGETING_TYPES and fact.get("target"):
                self._targeting[(fact["type"], fact["target"])].append(fact)

    def of_type(self, *types: str) -> list[Fact]:
        """The valid facts of these types, in valid-time order."""
        if len(types) == 1:
            return list(self._by_type.get(types[0], ()))
        return sorted((f for t in types for f in self._by_type.get(t, ())), key=order_key)

    def targeting(self, fact_type: str, target: str) -> list[Fact]:
        """The valid facts of `fact_type` whose `target` is `target`, in valid-time order."""
        return list(self._targeting.get((fact_type, target), ()))

    def is_void(self, fact_id: str) -> bool:
        """Precise reading 12: whether a retraction or revocation voids this decision."""
        return fact_id in self.void

    def kind_of(self, fact: Fact) -> str:
        """Art. 60: the kind after variations, the latest in valid-time order winning (Precise reading 11)."""
        variations = self.targeting("variation", fact["id"])
        return variations[-1]["kind"] if variations else fact["kind"]

    def exemption_at(self, fact_id: str, day: date) -> Fact | None:
        """R-EXEMPT: the latest non-rejected exemption of `fact_id` effective on or before `day`."""
        applying = [e for e in self.targeting("exemption", fact_id)
                    if e["outcome"] != "rejected" and e["on"] <= day]
        return applying[-1] if applying else None

    def measure_kind(self, fact: Fact, day: date) -> str:
        """R-EXEMPT: the kind shown as of `day`: a `reduced` exemption's replacement, else `kind_of`."""
        exemption = self.exemption_at(fact["id"], day)
        if exemption is not None and exemption["outcome"] == "reduced" and exemption.get("replacement"):
            return exemption["replacement"]
        return self.kind_of(fact)

    def period_of(self, fact: Fact, kind: str) -> int | None:
        """The decided `period_months` when it applies to `kind`; a probation's months (policy default)."""
        decided = fact.get("period_months")
        if kind == fact.get("kind") and decided is not None:
            return decided
        if kind == PROBATION:
            return decided if fact.get("kind") == PROBATION and decided else policy.DEFAULT_PROBATION_MONTHS
        return None

    def year_grades(self, as_of: date | None = None) -> dict[int, Fact]:
        """R-ASSESS: the assessment that gives each year its grade (latest `on`, then latest recorded).

        With `as_of`, only assessments effective on or before it count.
        """
        grades: dict[int, Fact] = {}
        for fact in self.of_type("assessment"):
            if as_of is None or fact["on"] <= as_of:
                grades[fact["year"]] = fact
        return grades
