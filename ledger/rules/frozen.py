"""Copies of the rules' frozen records (profiles, restrictions) with some fields changed."""
from __future__ import annotations

from typing import Any, TypeVar

T = TypeVar("T")


def evolve(record: T, **changes: Any) -> T:
    """`dataclasses.replace` for a frozen dataclass with neither `__post_init__` nor init-only fields,
    without replace's field-by-field introspection: the rules copy profiles and restrictions often."""
    copy = object.__new__(type(record))
    copy.__dict__.update(record.__dict__, **changes)
    return copy
