"""A tiny builder of cadre facts for the rules tests: one `Dossier` per cadre, facts in recording order."""
from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ledger.facts import Fact
from ledger.vocab import sanction_track

EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def day(text: str | date) -> date:
    """`date.fromisoformat`, passing dates through."""
    return text if isinstance(text, date) else date.fromisoformat(text)


class Dossier:
    """A cadre's facts as the rules receive them: recorded one after another, `seq` from 1."""

    def __init__(self, cadre: str = "HB-12", on: str = "2020-01-01", **register: Any) -> None:
        self.cadre = cadre
        self.facts: list[Fact] = []
        fields = {"name": "Li Wei", "unit": "Yichang", "post": "deputy head", "post_level": "county-deputy",
                  "rank": "researcher-4", "rank_since": day("2019-01-01"), "party_member": True}
        fields.update({k: day(v) if k.endswith("_since") and isinstance(v, str) else v for k,
                       v in register.items()})
        self.record("register", on, id=f"reg-{cadre}", **fields)

    def draft(self, type_: str, on: str | date, id: str | None = None, **fields: Any) -> Fact:
        """The next fact, not yet recorded (what `check_decision` receives as `new`)."""
        seq = len(self.facts) + 1
        fact: Fact = {"id": id or f"{type_}-{seq}", "type": type_, "on": day(on),
                      "recorded_at": EPOCH + timedelta(hours=seq), "seq": seq, "actor": "tester", "doc": None,
                      "authority": None, "note": None, "case": None, "override_reason": None,
                      "cadre": self.cadre}
        fact.update(fields)
        return fact

    def record(self, type_: str, on: str | date, id: str | None = None, **fields: Any) -> Fact:
        """Record a fact and return it."""
        fact = self.draft(type_, on, id=id, **fields)
        self.facts.append(fact)
        return fact

    def sanction(self, kind: str, on: str, id: str | None = None, **fields: Any) -> Fact:
        """A sanction with the matching `authority_kind`."""
        authority = "party" if sanction_track(kind) == "party" else "supervisory"
        authority = fields.pop("authority_kind", authority)
        return self.record("sanction", on, id=id, kind=kind, authority_kind=authority,
                           **fields)

    def org(self, kind: str, on: str, id: str | None = None, **fields: Any) -> Fact:
        """An org-handling measure."""
        return self.record("org-handling", on, id=id, kind=kind, **fields)

    def assess(self, year: int, grade: str, on: str | None = None, id: str | None = None) -> Fact:
        """An annual assessment (by default effective on 15 January of the next year)."""
        return self.record("assessment", on or f"{year + 1}-01-15", id=id, year=year, grade=grade)

    def appoint(self, level: str, on: str, path: str = "regular", id: str | None = None,
                **fields: Any) -> Fact:
        """An appointment to a post of `level`."""
        return self.record("appointment", on, id=id, post=f"{level} post", post_level=level, path=path,
                           **fields)


def status_on(dossier: Dossier, on: str | date, posts: dict | None = None) -> dict:
    """`compute_status` of the dossier's facts as of `on`."""
    from ledger.rules.status import compute_status

    return compute_status(dossier.facts, day(on), posts=posts)


def rows_of(rows: list[dict], source: str) -> list[dict]:
    """The restriction rows of one source decision."""
    return [row for row in rows if row["source"] == source]


def fact_builder(subject_key: str, key: str, actor: str) -> Callable[..., Fact]:
    """`fact(type_, on, **fields)`: loose facts of one subject, each recorded a minute after the last."""
    counter = itertools.count(1)

    def fact(type_: str, on: date, **fields: Any) -> Fact:
        n = next(counter)
        base: Fact = {
            "id": f"{type_}-{n}", "type": type_, "on": on, "seq": n, subject_key: key,
            "recorded_at": datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=n), "actor": actor,
            "doc": None, "authority": None, "note": None, "case": None, "override_reason": None,
        }
        return {**base, **fields}
    return fact
