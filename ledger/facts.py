"""Facts: the plain form in which recorded decisions reach the rules.

A *fact* is one recorded decision as a plain ``dict``. The aggregates keep their facts in recording
order; the rules (``ledger/rules/``) are pure functions over a sequence of facts and a date.

Keys every fact has:

- ``id`` (str): the decision id, unique across the ledger.
- ``type`` (str): the decision type token of SPEC.md (``"sanction"``, ``"assessment"``, …).
- ``on`` (datetime.date): the effective date (valid time).
- ``recorded_at`` (datetime.datetime, tz-aware UTC): when the ledger stored it (transaction time).
- ``seq`` (int): recording order within its stream (the event's version; 1 = the register).
- ``actor``, ``doc``, ``authority``, ``note``, ``case``, ``override_reason`` (str or None).
- ``cadre`` (str) on cadre facts, ``post`` (str) on post facts, ``unit`` (str) on unit facts.

Plus the type's own fields of SPEC.md's decision table, named as there, normalised:
enumerations are canonical English tokens (``vocab.py``), dates are ``datetime.date``, counts and
years are ``int``, booleans are ``bool``, lists are ``list``; absent optional fields are absent (not
None), except where the table allows null (``register.post_level``, ``leadership-change.incoming``).

A fact list given to a rule is already limited to what was *known* at the query's transaction
time (``recorded_at <= known_at``); the rules then work in valid time only (``as_of``).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

Fact = dict[str, Any]
POST_FIELDS = ("role", "post_level", "title", "unit", "principal")


def known_at(facts: Iterable[Fact], moment: datetime | None) -> list[Fact]:
    """The facts recorded at or before `moment` (all of them when `moment` is None)."""
    if moment is None:
        return list(facts)
    return [f for f in facts if f["recorded_at"] <= moment]


def named_posts(facts: Iterable[Fact], info: Callable[[str], dict[str, Any] | None]) -> dict[str, dict[str, Any]]:
    """The registered posts that appointments among `facts` name (`post_id`): post id → register fields."""
    ids = {f["post_id"] for f in facts if f.get("post_id")}
    return {post: found for post in sorted(ids) if (found := info(post)) is not None}


def fact_of(state: dict[str, Any], decision_type: str, version: int, subject_key: str, key: str) -> Fact:
    """The fact a decoded event state stands for (the same as `Decided.fact`)."""
    return {
        "id": state["decision_id"], "type": decision_type, "on": state["on"], "recorded_at": state["timestamp"],
        "seq": version, subject_key: key, "actor": state["actor"], "doc": state["doc"],
        "authority": state["authority"], "note": state["note"], "case": state["case"],
        "override_reason": state["override_reason"], **state["details"],
    }


def post_register(facts: list[Fact]) -> dict[str, Any] | None:
    """A post's register fields from its facts (known at the moment asked), or None when there are none."""
    if not facts:
        return None
    return {k: facts[0].get(k) for k in POST_FIELDS}
