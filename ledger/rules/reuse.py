"""The views of the fact lists seen last, reused while a list only grows by appending.

An import checks each decision against its cadre's fact list and then appends the decision to that
same list; the read models compute a cadre's status once per as-of stretch from one list. Keeping the
last few views, keyed by the list object, turns both into work on what was appended. A list is reused
only while what the view read is still its prefix, element for element; facts are never changed in
place (ledger/facts.py), and any other change to a list gives a fresh view.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from threading import Lock

from ledger.facts import Fact
from ledger.rules.profile import PROFILE_TYPES
from ledger.rules.view import CadreView

KEPT = 16
# Facts after which the profiles are computed again: those that change a profile, a variation (it
# changes its target's kind) and a register.
RESHAPING_TYPES = PROFILE_TYPES | {"variation", "register"}


@dataclass(frozen=True)
class _Seen:
    facts: list[Fact]  # the caller's list, held so that its id is not reused while it is kept
    posts: dict[str, dict]
    view: CadreView


_recent: OrderedDict[int, _Seen] = OrderedDict()
_lock = Lock()


def view_of(facts: Sequence[Fact], posts: Mapping[str, dict] | None = None) -> CadreView:
    """A view of `facts` with `posts`: the one kept for this list, grown by what was appended since."""
    if type(facts) is not list:
        return CadreView(facts, posts)
    key, wanted = id(facts), {post: dict(fields) for post, fields in (posts or {}).items()}
    with _lock:
        seen = _recent.get(key)
    view = _reused(seen, facts, posts, wanted) if seen is not None and seen.facts is facts else None
    if view is None:
        view = CadreView(facts, posts)
    with _lock:
        _recent[key] = _Seen(facts, wanted, view)
        _recent.move_to_end(key)
        while len(_recent) > KEPT:
            _recent.popitem(last=False)
    return view


def _reused(seen: _Seen, facts: list[Fact], posts: Mapping[str, dict] | None, wanted: dict[str, dict]
            ) -> CadreView | None:
    """The kept view, or one grown from it by the facts appended since; None if the list changed."""
    history = seen.view.history
    count = len(history.facts)
    if len(facts) < count or facts[:count] != history.facts:
        return None
    same_posts = seen.posts == wanted
    if len(facts) == count:
        return seen.view if same_posts else CadreView.of(history, posts)
    more = facts[count:]
    grown = CadreView.of(history.extended(more), posts)
    reshaped = any(f["type"] in RESHAPING_TYPES for f in more)
    if same_posts and not reshaped and grown.history.void == history.void:
        grown.reuse_profiles(seen.view)
    return grown
