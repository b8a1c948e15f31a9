"""Checking what a decision refers to: its cadre or post, its target decision, report, case.

A reference that does not resolve is malformed input (`InvalidDecision`), never overridable.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ledger import vocab
from ledger.decisions import Decision
from ledger.errors import InvalidDecision
from ledger.facts import Fact

REFERRING = frozenset({
    "appointment", "retraction", "revocation", "probation-extension", "party-rights-restored", "suspension-end",
    "exemption", "variation", "org-handling", "determination", "report-disposition", "inquiry-reply",
    "clarification", "investigation-close", "reuse-review",
})
FAMILY_KINDS = {"party": vocab.PARTY_SANCTIONS, "state": vocab.STATE_SANCTIONS, "org": vocab.ORG_KINDS}


class Lookup(Protocol):
    """What the ledger (plus the earlier lines of an import) holds, as the checks need it."""

    def cadre_facts(self, cadre: str) -> Sequence[Fact] | None:
        """The cadre's facts in recording order, or None when it is not registered."""

    def post_facts(self, post: str) -> Sequence[Fact] | None:
        """The post's facts in recording order, or None when it is not registered."""


def check_references(d: Decision, lookup: Lookup) -> Decision:
    """The decision with references checked (and 警告 resolved by its target's family)."""
    for subject, registering, find, check in (
        ("cadre", "register", lookup.cadre_facts, _check_cadre_refs),
        ("post", "post-register", lookup.post_facts, _check_post_refs),
    ):
        if subject not in d:
            continue
        key = d[subject]
        facts = find(key)
        if d["type"] == registering:
            if facts is not None:
                raise InvalidDecision(subject, f"{key} is already registered by decision {facts[0]['id']}")
            return d
        if facts is None:
            raise InvalidDecision(subject, f"{key} is not registered; record its {registering} decision first")
        return check(d, facts, lookup)
    return d


def _check_cadre_refs(d: Decision, facts: Sequence[Fact], lookup: Lookup) -> Decision:
    t = d["type"]
    if t not in REFERRING:
        return d
    by_id = {f["id"]: f for f in facts}
    if t == "appointment":
        if "post_id" in d and lookup.post_facts(d["post_id"]) is None:
            raise InvalidDecision("post_id", f"{d['post_id']} is not a registered leading post")
        for i, ref in enumerate(d.get("basis", ())):
            _target(f"basis[{i}]", ref, by_id, d["cadre"], ("performance-entry",))
    elif t in ("retraction", "revocation"):
        target = _target("target", d["target"], by_id, d["cadre"])
        if target["type"] == "register":
            raise InvalidDecision("target", f"{d['target']} is the cadre's register decision; it cannot be {t}ed")
    elif t in ("probation-extension", "party-rights-restored"):
        target = _target("target", d["target"], by_id, d["cadre"], ("sanction",))
        if target.get("kind") != "party-probation":
            raise InvalidDecision("target", f"{d['target']} is a {target.get('kind')}, not a party-probation")
    elif t == "suspension-end":
        target = _target("target", d["target"], by_id, d["cadre"], ("org-handling",))
        if target.get("kind") != "suspension":
            raise InvalidDecision("target", f"{d['target']} is a {target.get('kind')}, not a suspension")
    elif t in ("exemption", "variation"):
        target = _target("target", d["target"], by_id, d["cadre"], ("sanction", "org-handling"))
        family = "org" if target["type"] == "org-handling" else vocab.sanction_track(target["kind"])
        field = "kind" if t == "variation" else "replacement"
        if field in d:
            d = {**d, field: _in_family(field, d[field], family)}
    elif t == "org-handling" and "determination" in d:
        _target("determination", d["determination"], by_id, d["cadre"], ("determination",))
    elif t == "determination" and isinstance(d["basis"], str):
        _target("basis", d["basis"], by_id, d["cadre"], ("democratic-evaluation",))
    elif t in ("report-disposition", "inquiry-reply", "clarification"):
        if not any(f["type"] == "report" and f["report"] == d["report"] for f in facts):
            raise InvalidDecision("report", f"no report {d['report']} is recorded for {d['cadre']}")
    elif t == "investigation-close":
        if not any(f["type"] == "investigation-open" and f["case"] == d["case"] for f in facts):
            raise InvalidDecision("case", f"no investigation {d['case']} was opened for {d['cadre']}")
    elif t == "reuse-review":
        for i, ref in enumerate(d["targets"]):
            _target(f"targets[{i}]", ref, by_id, d["cadre"])
    return d


def _check_post_refs(d: Decision, facts: Sequence[Fact], lookup: Lookup) -> Decision:
    t = d["type"]
    if t == "leadership-change":
        for field in ("outgoing", "incoming"):
            if d.get(field) is not None and lookup.cadre_facts(d[field]) is None:
                raise InvalidDecision(field, f"{d[field]} is not a registered cadre")
    elif "announced_on" in d:
        announced = [f["on"] for f in facts if f["type"] == "leadership-change"]
        if d["announced_on"] not in announced:
            known = ", ".join(str(a) for a in announced) or "none"
            raise InvalidDecision("announced_on", f"no handover of {d['post']} was announced on "
                                  f"{d['announced_on']}; its handovers: {known}")
    return d


def _target(field: str, ref: str, by_id: dict[str, Fact], cadre: str, types: tuple[str, ...] = ()) -> Fact:
    target = by_id.get(ref)
    if target is None:
        raise InvalidDecision(field, f"{ref} is not a decision recorded for {cadre}")
    if types and target["type"] not in types:
        raise InvalidDecision(field, f"{ref} is a {target['type']}, not a {' or '.join(types)}")
    return target


def _in_family(field: str, kind: str, family: str) -> str:
    kinds = FAMILY_KINDS[family]
    if kind in vocab.AMBIGUOUS:
        resolved = vocab.resolve(kind, kinds)
        if resolved is not None:
            return resolved
    if kind not in kinds:
        raise InvalidDecision(field, f"{kind} is not a {family} kind like its target; use one of {', '.join(kinds)}")
    return kind
