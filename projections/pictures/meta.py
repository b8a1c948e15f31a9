"""What every printed page says about itself: dates, the log it was read from, who made it and when."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from ledger.app import CadreLedger
from ledger.integrity.stored_tree import current_head
from ledger.storage.session import Session


@dataclass(frozen=True)
class PageMeta:
    """The provenance printed on every page (SPEC "Pictures").

    `known_at` None means "as known when generated"; `log_size` and `root_hash` are the sealed log's
    tree size and Merkle root (hex) when the page was made, so that `verify` can be checked against them.
    """

    as_of: date
    known_at: datetime | None
    log_size: int
    root_hash: str
    actor: str
    generated_at: datetime
    title: str = ""


def log_head(session: Session) -> tuple[int, str]:
    """The sealed log's size and Merkle root (hex), read in one snapshot."""
    with session.snapshot() as c:
        head = current_head(c.raw, session.seal_sql)
    return head.size, head.root.hex()


def page_meta(app: CadreLedger, as_of: date, known_at: datetime | None, actor: str, title: str = "",
              now: datetime | None = None) -> PageMeta:
    """The PageMeta of a page generated now from the log of `app`."""
    size, root = log_head(app.session)
    return PageMeta(as_of=as_of, known_at=known_at, log_size=size, root_hash=root, actor=actor,
                    generated_at=now or datetime.now(UTC), title=title)
