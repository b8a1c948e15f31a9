"""R-HANDOVER: principal-leader handovers of one leading post — due dates, signoffs, status, findings.

Input is the fact list of ONE leading post (`post-register`, `leadership-change`, `handover-*`).
A handover is named by its post and the `on` of the `leadership-change` that opened it
(`announced_on`); the other handover facts carry that date in `announced_on`.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from ledger.errors import InvalidDecision, RuleViolation
from ledger.facts import Fact
from ledger.rules.calendar import working_days_after

# Policy (R-HANDOVER-DUE, local rules): 10 working days, extendable to at most 20 in total.
BASE_WORKING_DAYS = 10
MAX_WORKING_DAYS = 20
# Policy (R-HANDOVER-SIGN): supervisors needed when there is a successor / when there is none.
SUPERVISORS_WITH_SUCCESSOR = 1
SUPERVISORS_WITHOUT_SUCCESSOR = 2

HANDOVER_FACT_TYPES = frozenset(
    {"handover-item", "handover-extension", "handover-signoff", "handover-complete"}
)


def _order(fact: Fact) -> tuple[date, int]:
    return fact["on"], fact["seq"]


def _changes(facts: Iterable[Fact]) -> dict[date, Fact]:
    """The leadership changes by announcement date; a second change on the same date replaces the first."""
    changes: dict[date, Fact] = {}
    for fact in sorted((f for f in facts if f["type"] == "leadership-change"), key=_order):
        changes[fact["on"]] = fact
    return changes


def _register(facts: Iterable[Fact]) -> Fact | None:
    registers = sorted((f for f in facts if f["type"] == "post-register"), key=_order)
    return registers[-1] if registers else None


def _attached(facts: Iterable[Fact], announced_on: date, until: date) -> list[Fact]:
    """The handover facts naming `announced_on`, effective on or before `until`, in valid-time order."""
    return sorted(
        (f for f in facts
         if f["type"] in HANDOVER_FACT_TYPES and f.get("announced_on") == announced_on and f["on"] <= until),
        key=_order,
    )


def _status(completed_on: date | None, due_on: date, as_of: date) -> str:
    if completed_on is not None:
        return "completed" if completed_on <= due_on else "completed-late"
    return "overdue" if as_of > due_on else "open"


def _row(
    post: str, register: Fact | None, change: Fact, attached: Sequence[Fact], as_of: date
) -> dict[str, Any]:
    """One handover as of `as_of` (R-HANDOVER-DUE status); `attached` is already limited to `as_of`."""
    extensions = [
        {"working_days": f["working_days"], "approved_by": f.get("approved_by"), "on": f["on"],
         "source": f["id"]}
        for f in attached if f["type"] == "handover-extension"
    ]
    working_days = BASE_WORKING_DAYS + sum(e["working_days"] for e in extensions)
    due = working_days_after(change["on"], working_days)
    completion = next((f for f in attached if f["type"] == "handover-complete"), None)
    completed_on = completion["on"] if completion else None
    return {
        "post": post,
        "source": change["id"],
        "announced_on": change["on"],
        "due_on": due.on,
        "working_days": working_days,
        "status": _status(completed_on, due.on, as_of),
        "outgoing": change["outgoing"],
        "incoming": change.get("incoming"),
        "supervisors": list(change.get("supervisors") or []),
        "completed_on": completed_on,
        "completion": completion["id"] if completion else None,
        "extensions": extensions,
        "items": [
            {"category": f["category"], "description": f["description"], "amount": f.get("amount"),
             "source": f["id"], "on": f["on"]}
            for f in attached if f["type"] == "handover-item"
        ],
        "signoffs": [
            {"party": f["party"], "signer": f["signer"], "on": f["on"], "source": f["id"]}
            for f in attached if f["type"] == "handover-signoff"
        ],
        "unit": register.get("unit") if register else None,
        "title": register.get("title") if register else None,
        "calendar_note": due.calendar_note,
    }


def _post_of(facts: Sequence[Fact], fallback: Fact | None = None) -> str:
    for fact in [*facts, *([fallback] if fallback else [])]:
        if fact.get("post"):
            return str(fact["post"])
    return "?"


def compute_handovers(facts: Sequence[Fact], as_of: date) -> list[dict[str, Any]]:
    """R-HANDOVER-DUE: every handover of the post announced on or before `as_of`, with its status then."""
    post, register = _post_of(facts), _register(facts)
    return [
        _row(post, register, change, _attached(facts, announced_on, as_of), as_of)
        for announced_on, change in sorted(_changes(facts).items())
        if announced_on <= as_of
    ]


def compute_handover_findings(facts: Sequence[Fact], as_of: date) -> list[dict[str, Any]]:
    """R-HANDOVER-DUE: `handover-late` findings from due_on + 1 day; they stay after a late completion."""
    findings = []
    for row in compute_handovers(facts, as_of):
        raised_on = row["due_on"] + timedelta(days=1)
        if row["status"] not in ("overdue", "completed-late") or raised_on > as_of:
            continue
        done = f"completed on {row['completed_on']}" if row["completed_on"] else "not completed"
        findings.append({
            "kind": "handover-late",
            "source": row["source"],
            "post": row["post"],
            "raised_on": raised_on,
            "rule": "R-HANDOVER-DUE",
            "detail": f"handover of {row['post']} announced on {row['announced_on']} was due on "
                      f"{row['due_on']}; {done}",
        })
    return findings


def _find_handover(facts: Sequence[Fact], new: Fact) -> Fact:
    """The leadership change that `new` names by `announced_on`, else InvalidDecision."""
    post, announced_on = _post_of(facts, new), new.get("announced_on")
    changes = _changes(facts)
    if announced_on not in changes:
        known = ", ".join(str(d) for d in sorted(changes)) or "none"
        raise InvalidDecision(
            "announced_on",
            f"no handover of {post} was announced on {announced_on}; the post's handovers: {known}",
        )
    if new["on"] < announced_on:
        raise InvalidDecision(
            "on", f"{new['on']} is before the handover of {post} was announced on {announced_on}"
        )
    return changes[announced_on]


def _missing_signoffs(change: Fact, signoffs: Sequence[Fact]) -> list[str]:
    """R-HANDOVER-SIGN: what is still missing before the handover may be completed."""
    parties = {f["party"] for f in signoffs}
    supervisors = sorted({" ".join(str(f["signer"]).split()) for f in signoffs if f["party"] == "supervisor"})
    missing = []
    if "outgoing" not in parties:
        missing.append(f"the outgoing leader's signoff ({change['outgoing']})")
    incoming = change.get("incoming")
    if incoming is not None and "incoming" not in parties:
        missing.append(f"the incoming leader's signoff ({incoming})")
    needed = SUPERVISORS_WITH_SUCCESSOR if incoming is not None else SUPERVISORS_WITHOUT_SUCCESSOR
    if len(supervisors) < needed:
        have = f"; signed so far: {', '.join(supervisors)}" if supervisors else ""
        why = "" if incoming is not None else " (no successor is named)"
        noun = "a supervisor's signoff" if needed == 1 else f"signoffs of {needed} distinct supervisors"
        missing.append(f"{noun}{why}{have}")
    return missing


def check_handover_decision(facts: Sequence[Fact], new: Fact) -> None:
    """R-HANDOVER-DUE / R-HANDOVER-SIGN: refuse a handover fact that breaks them, as of its own `on`."""
    if new["type"] not in HANDOVER_FACT_TYPES:
        return
    change = _find_handover(facts, new)
    post, announced_on = _post_of(facts, new), change["on"]
    attached = _attached(facts, announced_on, new["on"])
    row = _row(post, _register(facts), change, attached, new["on"])
    name = f"the handover of {post} announced on {announced_on}"
    if row["completed_on"] is not None:
        raise InvalidDecision(
            "announced_on", f"{name} was already completed on {row['completed_on']} ({row['completion']})"
        )
    signs_as_incoming = new["type"] == "handover-signoff" and new.get("party") == "incoming"
    if signs_as_incoming and change.get("incoming") is None:
        raise InvalidDecision(
            "party", f"{name} has no incoming leader; a successor comes by a new leadership-change"
        )
    if new["type"] == "handover-extension":
        _check_extension(row, new, name)
    elif new["type"] == "handover-complete":
        missing = _missing_signoffs(change, [f for f in attached if f["type"] == "handover-signoff"])
        if missing:
            raise RuleViolation(
                "R-HANDOVER-SIGN", f"{name} cannot be completed: missing {'; '.join(missing)}",
                blocking=change["id"],
            )


def _check_extension(row: dict[str, Any], new: Fact, name: str) -> None:
    """R-HANDOVER-DUE: an extension is effective by the current due date and keeps the total ≤ 20 days."""
    days = new.get("working_days")
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        raise InvalidDecision(
            "working_days", f"must be a whole number of working days, at least 1, not {days!r}"
        )
    if new["on"] > row["due_on"]:
        raise RuleViolation(
            "R-HANDOVER-DUE",
            f"{name} was due on {row['due_on']}; an extension must take effect on or before that day, "
            f"not on {new['on']}",
            blocking=row["source"],
        )
    total = row["working_days"] + days
    if total > MAX_WORKING_DAYS:
        granted = row["working_days"] - BASE_WORKING_DAYS
        raise RuleViolation(
            "R-HANDOVER-DUE",
            f"{name} may take at most {MAX_WORKING_DAYS} working days; "
            f"{BASE_WORKING_DAYS} + {granted} already granted + {days} asked = {total}",
            blocking=row["source"],
        )
