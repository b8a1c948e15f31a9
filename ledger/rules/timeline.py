"""Restrictions over valid time: measures, pending ends, stacking, exemptions, investigations, employment.

`Timeline.restrictions(day)` gives every restriction as it stands with what is effective on `day`
(exemptions and pending-ending events from their own `on`, Precise reading 1; corrections whatever their
date). Stacking (R-PARTY-STACK, R-STATE-STACK) looks at the track's date-ended restrictions running on
the new decision's `on`, with exemptions effective on or before it ("Stacking (both tracks)").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from ledger.facts import Fact
from ledger.rules import policy
from ledger.rules.bars import EMPLOYMENT, PROMOTION
from ledger.rules.frozen import evolve
from ledger.rules.history import MEASURE_TYPES, History, OrderKey, order_key
from ledger.rules.periods import add_months, new_year
from ledger.rules.profile import Profiles
from ledger.rules.sanctions import (
    AFTER_RESTORATION,
    DATE,
    ENDING_EXEMPTIONS,
    EXPULSION,
    PENDING,
    PERMANENT,
    PROBATION,
    STACK_RULES,
    STATE,
    Measure,
    Span,
    fixed_period,
    measure_of,
)


@dataclass(frozen=True)
class Restriction:
    """One source decision, one set of bars, one end (RULES.md "Vocabulary")."""

    source: str
    track: str
    kind: str
    effective_on: date
    end_kind: str
    ends_on: date | None
    bars: frozenset[str]
    rule: str
    reference_level: str | None = None
    order: OrderKey = field(default=(date.min, 0), compare=False)

    def is_running(self, day: date) -> bool:
        """R-BLOCK: in force on `day` (`ends_on` is the first clear day)."""
        return self.effective_on <= day and (self.ends_on is None or day < self.ends_on)

    def has_expired(self, day: date) -> bool:
        """R-REUSE: started and ended on or before `day`."""
        return self.effective_on <= day and self.ends_on is not None and self.ends_on <= day

    def as_dict(self) -> dict:
        """The status row of SPEC "Status"."""
        return {
            "source": self.source, "track": self.track, "kind": self.kind, "effective_on": self.effective_on,
            "end_kind": self.end_kind, "ends_on": self.ends_on, "bars": sorted(self.bars), "rule": self.rule,
        }


def _cut(restrictions: list[Restriction], day: date) -> list[Restriction]:
    """R-EXEMPT / Precise reading 11: running restrictions stop on `day` (one taking effect that very day
    shows as expired on it); none starts later."""
    kept = []
    for item in restrictions:
        if item.effective_on > day:
            continue
        if item.ends_on is not None and item.ends_on <= day:
            kept.append(item)
        else:
            kept.append(evolve(item, end_kind=DATE, ends_on=day, rule="R-EXEMPT"))
    return kept


# The decision types `_of_fact` makes restrictions of (R-ASSESS-NEXT comes from the grades).
RESTRICTING_TYPES = MEASURE_TYPES | {"investigation-open", "employment-end"}


class Timeline:
    """Every restriction of one cadre, computed from its corrected history and profile."""

    def __init__(self, history: History, profiles: Profiles) -> None:
        self.history = history
        self.profiles = profiles
        self._memo: dict[tuple[date, str | None], list[Restriction]] = {}
        self._stacked: dict[tuple[str, str], tuple[date, str]] = {}

    def restrictions(self, day: date, before: Fact | None = None) -> list[Restriction]:
        """All restrictions as they stand with what is effective on `day`, in valid-time order of source.

        With `before`, only those of decisions before it in valid-time order (for stacking).
        Restrictions that start after `day` (R-ASSESS-NEXT of a later year) are included; the caller
        filters with `is_running` / `has_expired`.
        """
        memo_key = (day, before["id"] if before is not None else None)
        if memo_key not in self._memo:
            limit = order_key(before) if before is not None else None
            found: list[Restriction] = []
            for fact in self.history.among(RESTRICTING_TYPES):
                if limit is not None and order_key(fact) >= limit:
                    break
                if fact["on"] <= day:
                    found.extend(self._of_fact(fact, day))
            if before is None:
                found.extend(self._next_year)
            self._memo[memo_key] = found
        return self._memo[memo_key]

    def _of_fact(self, fact: Fact, day: date) -> list[Restriction]:
        if fact["type"] in MEASURE_TYPES:
            return self._of_measure(fact, day)
        if fact["type"] == "investigation-open":
            return [self._investigation(fact, day)]
        if fact["type"] == "employment-end":
            return [Restriction(fact["id"], "employment", fact.get("reason", "employment-end"), fact["on"],
                                PERMANENT, None, frozenset({EMPLOYMENT}), "R-BLOCK", order=order_key(fact))]
        return []

    def _of_measure(self, fact: Fact, day: date) -> list[Restriction]:
        """R-PARTY / R-STATE / R-ORG, with R-EXEMPT applied as of `day`."""
        kind = self.history.measure_kind(fact, day)
        measure = measure_of(kind)
        if measure is None:
            return []
        reference = self.profiles.before(fact).level_held
        if kind == PROBATION:
            found = self._probation(fact, day, measure, reference)
        else:
            found = [self._span(fact, day, kind, measure, span, reference) for span in measure.spans]
        exemption = self.history.exemption_at(fact["id"], day)
        if exemption is not None and exemption["outcome"] in ENDING_EXEMPTIONS:
            found = _cut(found, exemption["on"])
        return found

    def _span(self, fact: Fact, day: date, kind: str, measure: Measure, span: Span, reference: str | None
              ) -> Restriction:
        base = Restriction(fact["id"], measure.track, kind, fact["on"], span.end, None, span.bars,
                           measure.rule, reference, order_key(fact))
        if span.end == DATE:
            if measure.stacks:
                ends_on, rule = self.stacked_end(fact, kind)
            else:
                ends_on, rule = add_months(fact["on"], span.months or 0), measure.rule
            return evolve(base, ends_on=ends_on, rule=rule)
        if span.end == PENDING:
            ending = [e for e in self.history.targeting("suspension-end", fact["id"])
                      if fact["on"] <= e["on"] <= day]
            if ending:
                return evolve(base, end_kind=DATE, ends_on=ending[0]["on"])
        return base

    def probation_end(self, fact: Fact, day: date) -> tuple[Fact, str] | None:
        """Precise reading 4: what ended a probation as of `day`: its restoration or an expulsion."""
        ends: list[tuple[OrderKey, Fact, str]] = []
        for restored in self.history.targeting("party-rights-restored", fact["id"]):
            if fact["on"] <= restored["on"] <= day:
                ends.append((order_key(restored), restored, "restoration"))
                break
        for other in self.history.of_type("sanction"):
            if (order_key(other) > order_key(fact) and other["on"] <= day
                    and self.history.measure_kind(other, day) == EXPULSION):
                ends.append((order_key(other), other, "expulsion"))
                break
        if not ends:
            return None
        _, ender, how = min(ends, key=lambda item: item[0])
        return ender, how

    def _probation(self, fact: Fact, day: date, measure: Measure, reference: str | None) -> list[Restriction]:
        """R-PARTY: rights and promotion pending until restoration; then the post bar for 24 months."""
        span = measure.spans[0]
        during = Restriction(fact["id"], measure.track, PROBATION, fact["on"], PENDING, None, span.bars,
                             measure.rule, reference, order_key(fact))
        ended = self.probation_end(fact, day)
        if ended is None:
            return [during]
        ender, how = ended
        found = [evolve(during, end_kind=DATE, ends_on=ender["on"])]
        if how == "restoration":
            found.append(Restriction(
                fact["id"], measure.track, PROBATION, ender["on"], DATE,
                add_months(ender["on"], AFTER_RESTORATION.months or 0), AFTER_RESTORATION.bars, measure.rule,
                reference, order_key(fact)))
        return found

    def stacked_end(self, fact: Fact, kind: str) -> tuple[date, str]:
        """R-PARTY-STACK / R-STATE-STACK: the end of `fact` shown as `kind`, and the rule that set it.

        old_end = the latest end among the track's date-ended restrictions running on `fact`'s `on`,
        of decisions before it, with exemptions effective on or before that day; the new period runs
        from old_end (state: capped at 48 months from the new `on`).
        """
        memo_key = (fact["id"], kind)
        if memo_key in self._stacked:
            return self._stacked[memo_key]
        measure = measure_of(kind)
        if measure is None:
            raise ValueError(f"{kind} is not a measure kind")
        months = self.history.period_of(fact, kind) or fixed_period(kind) or 0
        result = (add_months(fact["on"], months), measure.rule)
        old_ends = [
            item.ends_on for item in self.restrictions(fact["on"], before=fact)
            if item.track == measure.track and item.end_kind == DATE and item.ends_on is not None
            and item.is_running(fact["on"]) and self._may_stack_on(fact, item)
        ]
        if old_ends:
            ends_on = add_months(max(old_ends), months)
            if measure.track == STATE:
                ends_on = min(ends_on, add_months(fact["on"], policy.STATE_STACK_CAP_MONTHS))
            result = (ends_on, STACK_RULES[measure.track])
        self._stacked[memo_key] = result
        return result

    def _may_stack_on(self, fact: Fact, item: Restriction) -> bool:
        """R-STATE-STACK policy: across authorities unless `STATE_STACK_ACROSS_AUTHORITIES` is off."""
        if policy.STATE_STACK_ACROSS_AUTHORITIES or item.track != STATE:
            return True
        source = self.history.by_id.get(item.source, {})
        return source.get("authority_kind") == fact.get("authority_kind")

    def _investigation(self, fact: Fact, day: date) -> Restriction:
        """R-BLOCK / R-INVESTIGATION: bars promotion until the `investigation-close` of its case."""
        base = Restriction(fact["id"], "investigation", "investigation", fact["on"], PENDING, None,
                           frozenset({PROMOTION}), "R-INVESTIGATION", order=order_key(fact))
        close = self.history.investigation_close(fact, day)
        return evolve(base, end_kind=DATE, ends_on=close["on"]) if close is not None else base

    @cached_property
    def _next_year(self) -> list[Restriction]:
        """R-ASSESS-NEXT: the grade of year Y bars promotion from 1 January Y+1 to 1 January Y+2,
        whatever the assessment's `on` (Precise reading 1)."""
        found = []
        for year, assessment in sorted(self.history.year_grades().items()):
            if assessment["grade"] in policy.NEXT_YEAR_RESTRICTING_GRADES:
                found.append(Restriction(
                    assessment["id"], "assessment", assessment["grade"], new_year(year + 1), DATE,
                    new_year(year + 2), frozenset({PROMOTION}), "R-ASSESS-NEXT", order=order_key(assessment)))
        return found
