"""A cadre's facts after corrections, in valid time (R-EXEMPT, Precise readings 2, 11, 12).

Retractions and revocations void their target from the start, whatever their own date; a voided
correction restores its target. Variations recompute their target's kind from the start, the latest in
valid-time order winning. Exemptions apply from their own date, the latest effective one winning.
"""
from __future__ import annotations

from bisect import insort
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from itertools import compress
from operator import itemgetter
from typing import cast

from ledger.facts import Fact
from ledger.rules import policy
from ledger.rules.sanctions import PROBATION

CORRECTIONS = frozenset({"retraction", "revocation"})
MEASURE_TYPES = frozenset({"sanction", "org-handling"})
TARGETING_TYPES = frozenset(
    {"variation", "exemption", "probation-extension", "party-rights-restored", "suspension-end"}
)

OrderKey = tuple[date, int]
# Precise reading 2: valid-time order is (`on`, recording order).
order_key = itemgetter("on", "seq")
_ID = itemgetter("id")


def _correctors(corrections: Sequence[Fact]) -> dict[str, list[str]]:
    """target id → ids of the retractions and revocations (given in recording order) that name it."""
    correctors: dict[str, list[str]] = defaultdict(list)
    for fact in corrections:
        if fact.get("target"):
            correctors[fact["target"]].append(fact["id"])
    return correctors


def _void_ids(facts: Sequence[Fact], correctors: dict[str, list[str]]) -> frozenset[str]:
    """Precise reading 12: ids voided by a retraction or revocation that is not itself void."""
    if not correctors:
        return frozenset()
    memo: dict[str, bool] = {}

    def is_void(fact_id: str, visiting: frozenset[str]) -> bool:
        if fact_id in memo:
            return memo[fact_id]
        if fact_id in visiting:
            return False
        result = any(not is_void(c, visiting | {fact_id}) for c in correctors.get(fact_id, ()))
        memo[fact_id] = result
        return result

    # A fact nothing corrects is never void, so only the corrected ones are asked, in recording order.
    corrected = compress(facts, map(correctors.__contains__, map(_ID, facts)))
    return frozenset(f["id"] for f in corrected if f["type"] != "register" and is_void(f["id"], frozenset()))


class History:
    """The facts of one cadre as they stand after corrections, with look-ups by type and target.

    Built with one pass over the facts (grouped by type); each look-up sorts or indexes what it needs
    the first time it is asked, so a check pays only for the types it reads.
    """

    _correctors: dict[str, list[str]]
    void: frozenset[str]

    def __init__(self, facts: Sequence[Fact] = ()) -> None:
        self.facts: list[Fact] = list(facts)
        groups: dict[str, list[Fact]] = defaultdict(list)
        for fact in self.facts:
            groups[fact["type"]].append(fact)
        self._start(groups)

    def _start(self, groups: dict[str, list[Fact]], before: History | None = None,
               more: Sequence[Fact] = ()) -> None:
        """Set what every look-up needs from the facts grouped by type, in recording order; the
        corrections and void ids of `before` when `self` is `before` plus `more`, and `more` has no
        correction and no fact that one names."""
        self._groups = groups
        registers = groups.get("register")
        self.register: Fact | None = registers[0] if registers else None
        self.cadre: str | None = self.register.get("cadre") if self.register else None
        self._sorted: dict[str, list[Fact]] = {}
        self._memo: dict[object, object] = {}
        if before is not None and not any(f["type"] in CORRECTIONS or f["id"] in before._correctors
                                          for f in more):
            self._correctors, self.void = before._correctors, before.void
            return
        retractions, revocations = groups.get("retraction"), groups.get("revocation")
        if retractions and revocations:
            corrections: Sequence[Fact] = [f for f in self.facts if f["type"] in CORRECTIONS]
        else:
            corrections = retractions or revocations or ()
        self._correctors = _correctors(corrections)
        self.void = _void_ids(self.facts, self._correctors)

    def extended(self, more: Sequence[Fact]) -> History:
        """This history with `more` facts recorded after the others: what History(facts + more) gives,
        reusing the groups and, while no fact becomes void or valid, the sorted types of this one."""
        more = list(more)
        grown = object.__new__(History)
        grown.facts = self.facts + more
        touched = {f["type"] for f in more}
        groups = defaultdict(list, self._groups)  # the lists of untouched types are shared, never changed
        for fact_type in touched:
            groups[fact_type] = list(groups[fact_type])
        for fact in more:
            groups[fact["type"]].append(fact)
        grown._start(groups, self, more)
        if grown.void == self.void:
            grown._sorted = dict(self._sorted)
            for fact_type in (touched - CORRECTIONS) & self._sorted.keys():
                found = grown._sorted[fact_type] = list(self._sorted[fact_type])
                for fact in more:
                    if fact["type"] == fact_type and fact["id"] not in grown.void:
                        insort(found, fact, key=order_key)  # after equal keys, as recorded later
        return grown

    @property
    def valid(self) -> list[Fact]:
        """Every fact that is neither void nor a correction, in valid-time order (do not modify)."""
        if "valid" not in self._memo:
            void = self.void
            kept = (f for f in self.facts if f["type"] not in CORRECTIONS and f["id"] not in void)
            self._memo["valid"] = sorted(kept, key=order_key)
        return self._memo["valid"]  # type: ignore[return-value]

    @property
    def by_id(self) -> dict[str, Fact]:
        """The valid facts by id (do not modify)."""
        if "by_id" not in self._memo:
            self._memo["by_id"] = {f["id"]: f for f in self.valid}
        return self._memo["by_id"]  # type: ignore[return-value]

    def _of(self, fact_type: str) -> list[Fact]:
        """The valid facts of one type in valid-time order, sorted once (do not modify)."""
        found = self._sorted.get(fact_type)
        if found is None:
            group = () if fact_type in CORRECTIONS else self._groups.get(fact_type, ())
            void = self.void
            found = sorted((f for f in group if f["id"] not in void) if void else group, key=order_key)
            self._sorted[fact_type] = found
        return found

    def _aimed(self, fact_type: str, target: str) -> list[Fact]:
        """The valid facts of `fact_type` whose `target` is `target`, in valid-time order (do not modify)."""
        key = ("targeting", fact_type)
        found = self._memo.get(key)
        if found is None:
            by_target: defaultdict[str, list[Fact]] = defaultdict(list)
            if fact_type in TARGETING_TYPES:
                for fact in self._of(fact_type):
                    if fact.get("target"):
                        by_target[fact["target"]].append(fact)
            self._memo[key] = found = by_target
        return cast("dict[str, list[Fact]]", found).get(target, [])

    def of_type(self, *types: str) -> list[Fact]:
        """The valid facts of these types, in valid-time order."""
        if len(types) == 1:
            return list(self._of(types[0]))
        key = ("of_type", types)
        if key not in self._memo:
            self._memo[key] = sorted((f for t in types for f in self._of(t)), key=order_key)
        return list(self._memo[key])  # type: ignore[call-overload]

    def among(self, types: frozenset[str]) -> list[Fact]:
        """The valid facts whose type is in `types`, in valid-time order (computed once; do not modify)."""
        key = ("among", types)
        if key not in self._memo:
            found = sorted((f for t in types for f in self._of(t)), key=order_key)
            if len(set(map(order_key, found))) < len(found):  # equal keys: keep recording order
                found = [f for f in self.valid if f["type"] in types]
            self._memo[key] = found
        return self._memo[key]  # type: ignore[return-value]

    def targeting(self, fact_type: str, target: str) -> list[Fact]:
        """The valid facts of `fact_type` whose `target` is `target`, in valid-time order."""
        return list(self._aimed(fact_type, target))

    def is_void(self, fact_id: str) -> bool:
        """Precise reading 12: whether a retraction or revocation voids this decision."""
        return fact_id in self.void

    def kind_of(self, fact: Fact) -> str:
        """Art. 60: the kind after variations, the latest in valid-time order winning (Precise reading 11)."""
        variations = self._aimed("variation", fact["id"])
        return variations[-1]["kind"] if variations else fact["kind"]

    def exemption_at(self, fact_id: str, day: date) -> Fact | None:
        """R-EXEMPT: the latest non-rejected exemption of `fact_id` effective on or before `day`."""
        applying = [e for e in self._aimed("exemption", fact_id)
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

        With `as_of`, only assessments effective on or before it count. Computed once per `as_of`: the
        dict is shared, do not modify it.
        """
        key = ("grades", as_of)
        if key not in self._memo:
            grades: dict[int, Fact] = {}
            for fact in self._of("assessment"):
                if as_of is None or fact["on"] <= as_of:
                    grades[fact["year"]] = fact
            self._memo[key] = grades
        return self._memo[key]  # type: ignore[return-value]

    def investigation_close(self, opened: Fact, day: date) -> Fact | None:
        """The first `investigation-close` of the same case effective between the opening and `day`."""
        for close in self._of("investigation-close"):
            if close.get("case") == opened.get("case") and opened["on"] <= close["on"] <= day:
                return close
        return None
