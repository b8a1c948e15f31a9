"""One cadre's status document from its facts, the posts it names and the handovers it is party to: composed
the same way whether the facts come through the application (`Reader.status`) or straight from the stored
states (`projections.quick`)."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import Any

from ledger.facts import Fact, named_posts
from ledger.status import compose_status
from ledger.storage.session import Cursor, Session
from projections.tables import PROJECTION, SEALED

HANDOVER_SUMMARY = ("post", "announced_on", "due_on", "status", "outgoing", "incoming", "completed_on")
PostInfo = Callable[[str], dict[str, Any] | None]


def cadre_status(facts: list[Fact], as_of: date, at: datetime | None, post_info: PostInfo,
                 handovers: Callable[[], Iterable[dict[str, Any]]]) -> dict[str, Any]:
    """The status document of SPEC "Status" for one cadre whose facts known at `at` are `facts` (the posts it
    names read first, then the handovers it is party to)."""
    moment = at or datetime.now(UTC)
    posts = named_posts(facts, post_info)
    summary = [{k: h.get(k) for k in HANDOVER_SUMMARY} for h in handovers()]
    return compose_status(facts, as_of, moment, posts=posts, handovers=summary)


def party_to(cadre: str, post_facts: list[Fact], as_of: date) -> list[dict[str, Any]]:
    """The handovers of one post (from its facts) that name `cadre` as outgoing or incoming leader."""
    from ledger.rules.handover import compute_handovers

    return [h for h in compute_handovers(post_facts, as_of) if cadre in (h.get("outgoing"), h.get("incoming"))]


def current_posts(session: Session, cadre: str) -> list[str] | None:
    """`posts_of` when the reporting tables hold what the log says now, asked in ONE statement with the check
    (their tracked position against the log's head); None when they lag, were never built by this release
    (no `sealed` column), or cannot be read — the caller then asks as before."""
    t = session.tables
    statement = t.sql(
        f"SELECT tr.position, (SELECT MAX({t.position}) FROM {t.events}), (SELECT COUNT(*) FROM (SELECT {SEALED} "
        f"FROM {t.name('proj_cadres')} LIMIT 0) x), h.post FROM {t.name('proj_tracking')} tr LEFT JOIN (SELECT "
        f"DISTINCT post FROM {t.name('proj_handovers')} WHERE outgoing = ? OR incoming = ?) h ON 1 = 1 "
        "WHERE tr.projection = ? ORDER BY h.post")
    try:
        rows = session.rows(statement, (cadre, cadre, PROJECTION))
    except Exception:  # noqa: BLE001 - tables missing or older: the caller's way finds out and says so
        return None
    if not rows or rows[0][0] < (rows[0][1] or 0):
        return None
    return [r[3] for r in rows if r[3] is not None]


def posts_of(c: Cursor, cadre: str) -> list[str]:
    """The leading posts whose handovers name `cadre`, from the reporting table (when it is current)."""
    return [r[0] for r in c.execute("SELECT DISTINCT post FROM proj_handovers WHERE outgoing = ? OR "
                                    "incoming = ? ORDER BY post", (cadre, cadre)).fetchall()]
