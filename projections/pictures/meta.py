"""What every printed page says about itself: dates, the log it was read from, who made it and when."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any


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


def log_head(app: Any) -> tuple[int, str]:
    """The sealed log's size and Merkle root (hex), read in one transaction."""
    from ledger import sealing
    from ledger.audit import cursor

    with cursor(app) as (c, dialect, schema):
        head = sealing.current_head(c, "postgres" if dialect == "postgres" else "sqlite", schema)
    return head.size, head.root.hex()


def page_meta(app: Any, as_of: date, known_at: datetime | None, actor: str, title: str = "",
              now: datetime | None = None) -> PageMeta:
    """The PageMeta of a page generated now from `app`'s log."""
    size, root = log_head(app)
    return PageMeta(as_of=as_of, known_at=known_at, log_size=size, root_hash=root, actor=actor,
                    generated_at=now or datetime.now(timezone.utc), title=title)
