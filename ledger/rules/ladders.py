"""The post-level and rank ladders of vocab.py (highest first) as comparisons."""
from __future__ import annotations

from ledger.vocab import POST_LEVEL_ORDER, RANK_ORDER


def level_index(level: str) -> int:
    """Position of a post level on the ladder; 0 is the highest (R-POST)."""
    return POST_LEVEL_ORDER.index(level)


def is_level_above(level: str, other: str | None) -> bool:
    """True when `level` is strictly above `other`; every level is above no level at all (R-POST)."""
    return other is None or level_index(level) < level_index(other)


def is_level_at_or_above(level: str, other: str | None) -> bool:
    """True when `level` is at or above `other`, or `other` is unknown (R-BLOCK reference level)."""
    return other is None or level_index(level) <= level_index(other)


def steps_up(current: str, target: str) -> int:
    """How many places `target` is above `current` on the post-level ladder (negative: below)."""
    return level_index(current) - level_index(target)


def is_deputy_level(level: str) -> bool:
    """R-POST-MIN / R-POST-SKIP: true for a deputy level (`county-deputy`), false for a chief level."""
    return level.endswith("-deputy")


def rank_index(rank: str) -> int:
    """Position of a rank on the ladder; 0 is the highest (R-RANK)."""
    return RANK_ORDER.index(rank)


def next_rank_up(rank: str | None) -> str | None:
    """The rank directly above `rank`, or None at the top or for an unknown rank (R-RANK)."""
    if rank not in RANK_ORDER:
        return None
    position = rank_index(rank)
    return RANK_ORDER[position - 1] if position > 0 else None
