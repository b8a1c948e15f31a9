"""What changed in a cadre's status between two dates, and what was recorded since a moment.

Changes are read off the status documents the rules compose (`compute_status`) on each day that can
change them, compared with the day before: nothing here decides what a restriction or a flag is.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from ledger.facts import Fact
from ledger.rules.bars import is_promotion_barred
from ledger.rules.status import compute_status

CHANGE_COLUMNS = ("cadre", "on", "change", "source", "before", "after")
RECORDED_COLUMNS = ("recorded_at", "late", "stream", "source", "type", "on", "actor")
# status key -> (change token, decision types that make it change on their date)
PROFILE_CHANGES: dict[str, tuple[str, frozenset[str]]] = {
    "post": ("post", frozenset({"appointment", "removal", "sanction", "org-handling", "register"})),
    "post_level": ("post-level", frozenset({"appointment", "removal", "sanction", "org-handling", "register"})),
    "rank": ("rank", frozenset({"rank-promotion", "rank-demotion", "sanction", "register"})),
    "employment": ("employment", frozenset({"employment-end", "sanction"})),
}
Row = dict[str, Any]


def cadre_changes(cadre: str, facts: Sequence[Fact], start: date, end: date,
                  posts: Mapping[str, dict[str, Any]] | None = None) -> list[Row]:
    """Every change of one cadre's status dated in [start, end): restrictions started or ended,
    promotability, triggers raised or determined, post, post level, rank and employment."""
    if not facts or start >= end:
        return []
    registered = min(f["on"] for f in facts if f["type"] == "register") if any(
        f["type"] == "register" for f in facts) else min(f["on"] for f in facts)
    first = max(start, registered)
    if first >= end:
        return []
    before = compute_status(facts, first - timedelta(days=1), posts=posts) if first > registered else None
    last = compute_status(facts, end - timedelta(days=1), posts=posts)
    rows: list[Row] = []
    for day in _days(facts, [s for s in (before, last) if s is not None], first, end):
        now = compute_status(facts, day, posts=posts)
        if before is not None:
            rows += _diff(cadre, day, before, now, [f for f in facts if f["on"] == day])
        before = now
    return rows


def _days(facts: Iterable[Fact], statuses: Iterable[Mapping[str, Any]], start: date, end: date) -> list[date]:
    """The days in [start, end) on which the status can change: decisions' dates, restrictions' starts and
    ends, flags raised."""
    days = {f["on"] for f in facts}
    for status in statuses:
        for r in [*status["restrictions"], *status["expired_restrictions"]]:
            days |= {r["effective_on"], r["ends_on"]}
        days |= {f["raised_on"] for f in status["flags"]}
    return sorted(d for d in days if isinstance(d, date) and start <= d < end)


def _key(r: Mapping[str, Any]) -> tuple[Any, ...]:
    return r["source"], r["track"], r["kind"], r["end_kind"], r["ends_on"]


def _diff(cadre: str, day: date, old: Mapping[str, Any], new: Mapping[str, Any], today: list[Fact]) -> list[Row]:
    def row(change: str, source: Any, before: Any, after: Any) -> Row:
        return {"cadre": cadre, "on": day, "change": change, "source": source, "before": before, "after": after}

    was = {_key(r): r for r in old["restrictions"]}
    now = {_key(r): r for r in new["restrictions"]}
    ended = [r for k, r in was.items() if k not in now]
    started = [r for k, r in now.items() if k not in was]
    rows = [row("restriction-ended", r["source"], r["kind"], None) for r in ended]
    rows += [row("restriction-started", r["source"], None, r["kind"]) for r in started]
    if old["promotable"] != new["promotable"]:
        cause = [r for r in (ended if new["promotable"] else started) if is_promotion_barred(r["bars"])]
        rows.append(row("promotable", cause[0]["source"] if cause else None, old["promotable"], new["promotable"]))
    flags = {(f["trigger"], str(f["basis"])): f for f in old["flags"]}
    for flag in new["flags"]:
        earlier = flags.get((flag["trigger"], str(flag["basis"])))
        if earlier is None:
            rows.append(row("flag-raised", _basis(flag["basis"]), None, flag["trigger"]))
        elif earlier["determination"] is None and flag["determination"] is not None:
            decided = [f["id"] for f in today if f["type"] == "determination" and f.get("trigger") == flag["trigger"]]
            rows.append(row("flag-determined", decided[0] if decided else None, flag["trigger"],
                            flag["determination"]))
    for key, (change, types) in PROFILE_CHANGES.items():
        if old[key] != new[key]:
            cause = [f["id"] for f in today if f["type"] in types]
            rows.append(row(change, cause[-1] if cause else None, old[key], new[key]))
    return rows


def _basis(basis: Any) -> str:
    return ", ".join(str(b) for b in basis) if isinstance(basis, (list, tuple)) else str(basis)


def recorded_since(envelopes: Iterable[Mapping[str, Any]], since: datetime, local_date: Any) -> list[Row]:
    """Decisions recorded at or after `since`: late ones first (recorded after their effective date, by
    `local_date` of the recorded time), the latest first."""
    rows = []
    for e in envelopes:
        recorded = e["recorded_at"] if isinstance(e["recorded_at"], datetime) else \
            datetime.fromisoformat(str(e["recorded_at"]))
        if recorded < since:
            continue
        on = e["effective_on"] if isinstance(e["effective_on"], date) else date.fromisoformat(str(e["effective_on"]))
        rows.append({"recorded_at": recorded, "late": local_date(recorded) > on, "stream": e["stream"],
                     "source": e["id"], "type": e["type"], "on": on, "actor": e["actor"]})
    rows.sort(key=lambda r: (r["late"], r["recorded_at"]), reverse=True)
    return rows


def window_changes(subjects: Iterator[tuple[str, Sequence[Fact], Mapping[str, dict[str, Any]]]], start: date,
                   end: date) -> list[Row]:
    """The changes of many cadres in [start, end), in date order."""
    rows: list[Row] = []
    for cadre, facts, posts in subjects:
        rows += cadre_changes(cadre, facts, start, end, posts)
    return sorted(rows, key=lambda r: (r["on"], r["cadre"]))
