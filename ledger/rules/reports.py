"""R-REPORT: reports about a cadre, their dispositions, letter inquiries (函询) and clarifications.

Input is the fact list of ONE cadre; only `report`, `report-disposition`, `inquiry-reply` and
`clarification` are read (voided ones left out). Nothing here ever creates a restriction.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from ledger.facts import Fact
from ledger.rules.calendar import working_days_after
from ledger.rules.record import without_voided

REPORT_TYPES = frozenset({"report", "report-disposition", "inquiry-reply", "clarification"})
# Policy (R-REPORT-DUE): the reply is due on the 15th working day after the letter was received.
REPLY_WORKING_DAYS = 15
# Policy (R-REPORT): where a report stands under its latest disposition (as of the query).
#   open      — being handled: no disposition yet, 谈话, 函询, 初步核实;
#   on-file   — 暂存待查: kept on file, not open; a later disposition reopens or closes it;
#   closed    — 予以了结 / 了结: nothing to answer.
# A clarification (查诬澄清) closes a report whatever its disposition. None of these is a restriction.
DISPOSITION_STANDING: dict[str, str] = {
    "talk": "open",
    "letter-inquiry": "open",
    "preliminary-verification": "open",
    "deferred": "on-file",
    "no-inquiry": "closed",
    "closed": "closed",
}


def _order(fact: Fact) -> tuple[date, int]:
    return fact["on"], fact["seq"]


def _inquiry(letter: Fact, replies: Sequence[Fact], cadre: str | None) -> dict[str, Any]:
    """R-REPORT-DUE for one `letter-inquiry`: its due date, the reply to it, and its finding if late."""
    received_on = letter.get("received_on") or letter["on"]
    due = working_days_after(received_on, REPLY_WORKING_DAYS)
    since = min(received_on, letter["on"])
    reply = next((r for r in replies if r["on"] >= since), None)
    replied_on = reply["on"] if reply else None
    finding = None
    if replied_on is None or replied_on > due.on:
        done = f"replied on {replied_on}" if replied_on else "no reply"
        finding = {
            "kind": "inquiry-overdue", "source": letter["id"], "cadre": cadre,
            "raised_on": due.on + timedelta(days=1), "rule": "R-REPORT-DUE",
            "detail": f"reply to the letter inquiry on report {letter['report']} received on {received_on} "
                      f"was due on {due.on}; {done}",
        }
    return {"received_on": received_on, "due_on": due.on, "replied_on": replied_on, "finding": finding,
            "calendar_note": due.calendar_note}


def _status(disposition: str | None, inquiry: dict[str, Any] | None, as_of: date) -> str:
    if disposition is None:
        return "received"
    if disposition != "letter-inquiry" or inquiry is None:
        return disposition
    if inquiry["replied_on"] is not None:
        return "replied" if inquiry["replied_on"] <= inquiry["due_on"] else "replied-late"
    return "overdue" if as_of > inquiry["due_on"] else "awaiting-reply"


def compute_reports(facts: Sequence[Fact], as_of: date) -> dict[str, Any]:
    """R-REPORT / R-REPORT-DUE: open, on-file, closed, clarified and overdue reports and inquiry findings."""
    known = sorted(
        (f for f in without_voided(facts) if f["type"] in REPORT_TYPES and f["on"] <= as_of), key=_order
    )
    result: dict[str, Any] = {"open_reports": [], "overdue_reports": [], "deferred_reports": [],
                              "closed_reports": [], "clarified_reports": [], "findings": []}
    received: dict[str, Fact] = {}
    for fact in known:
        if fact["type"] == "report":
            received.setdefault(fact["report"], fact)
    for number, report in received.items():
        about = [f for f in known if f["type"] != "report" and f["report"] == number]
        dispositions = [f for f in about if f["type"] == "report-disposition"]
        replies = [f for f in about if f["type"] == "inquiry-reply"]
        clarifications = [f for f in about if f["type"] == "clarification"]
        inquiries = [_inquiry(d, replies, report.get("cadre")) for d in dispositions
                     if d["disposition"] == "letter-inquiry"]
        result["findings"] += [
            i["finding"] for i in inquiries if i["finding"] and i["finding"]["raised_on"] <= as_of
        ]
        if clarifications:
            last = clarifications[-1]
            result["clarified_reports"].append(
                {"report": number, "clarified_on": last["on"], "scope": last.get("scope"),
                 "source": last["id"]}
            )
            continue
        latest = dispositions[-1] if dispositions else None
        disposition = latest["disposition"] if latest else None
        inquiry = inquiries[-1] if inquiries else None
        row = {
            "report": number, "source": report["id"], "received_on": report["on"],
            "channel": report.get("channel"), "summary": report.get("summary"),
            "disposition": disposition, "disposition_on": latest["on"] if latest else None,
            "letter_received_on": inquiry["received_on"] if inquiry else None,
            "reply_due_on": inquiry["due_on"] if inquiry else None,
            "replied_on": inquiry["replied_on"] if inquiry else None,
            "status": _status(disposition, inquiry, as_of),
            "calendar_note": inquiry["calendar_note"] if inquiry else None,
        }
        standing = DISPOSITION_STANDING.get(disposition, "open") if disposition else "open"
        key = {"open": "open_reports", "on-file": "deferred_reports", "closed": "closed_reports"}[standing]
        result[key].append(row)
        if standing == "open" and row["status"] == "overdue":
            result["overdue_reports"].append(row)
    return result
