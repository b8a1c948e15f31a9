"""A cadre's status answered straight from the stored states (`ledger.storage.direct`): no application, no
event classes, one query per stream. It answers only where it gives exactly what `Reader.status` gives —
the same facts, composed by the same `cadre_status`, the handovers found through the same reporting table,
which must be current — and otherwise says nothing (None), so that the caller asks the application, which
also gives every error, note and side effect a read has today.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ledger.facts import Fact, known_at, post_register
from ledger.storage.direct import DirectLedger, Unserved
from ledger.storage.index import streams
from ledger.storage.url import parse_url
from projections.status import cadre_status, current_posts, party_to


def quick_status(db: str | None, cadre: str, as_of: date, at: datetime | None = None) -> dict[str, Any] | None:
    """The status document of cadre number `cadre` as `Reader.status` gives it, or None when this read cannot
    give it exactly (a name rather than a number, reporting tables that lag, anything unusual in the rows)."""
    try:
        ledger = DirectLedger(parse_url(db))
    except Exception:  # noqa: BLE001 - the application opens it again and says what is wrong
        return None
    try:
        return _status(ledger, cadre, as_of, at)
    except Exception:  # noqa: BLE001 - Unserved, or anything else: the application answers, or explains
        return None
    finally:
        ledger.close()


def _status(ledger: DirectLedger, cadre: str, as_of: date, at: datetime | None) -> dict[str, Any]:
    facts = known_at(_facts(ledger, "cadre", cadre), at)
    if not facts:
        raise Unserved("not yet in the ledger at that moment")

    def post_info(post: str) -> dict[str, Any] | None:
        return post_register(known_at(ledger.facts("post", post) or [], at))

    return cadre_status(facts, as_of, at, post_info, lambda: _handovers(ledger, cadre, as_of, at))


def _facts(ledger: DirectLedger, kind: str, key: str) -> list[Fact]:
    found = ledger.facts(kind, key)
    if found is None:
        raise Unserved(f"no {kind} stream {key}")
    return found


def _handovers(ledger: DirectLedger, cadre: str, as_of: date, at: datetime | None) -> list[dict[str, Any]]:
    """As `Reader.cadre_handovers`: the posts from the reporting table when it is current (else Unserved), or,
    for an earlier moment, every post with a leadership change."""
    if at is not None:
        posts = sorted(s.split("/", 1)[1] for s in streams(ledger.session, "leadership-change"))
    else:
        found = current_posts(ledger.session, cadre)
        if found is None:
            raise Unserved("the reporting tables lag, or were never built")
        posts = found
    rows: list[dict[str, Any]] = []
    for post in posts:
        facts = ledger.facts("post", post)
        if facts is not None:
            rows += party_to(cadre, known_at(facts, at), as_of)
    return rows
