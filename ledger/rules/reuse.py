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

from ledger.facts import Fact
from ledger.rules.history import History
from ledger.rules.profile import PROFILE_TYPES
from ledger.rules.view import CadreView

KEPT = 16
# Types that can change a profile besides PROFILE_TYPES: a variation changes its target's kind.
RESHAPING_TYPES = PROFILE_TYPES | {"variation", "register"}


@dataclass
class _Seen:
    facts: list[Fact]  # the caller's list, held so that its id is not reused while it is kept
    posts: dict[str, dict]
    view: CadreView


_recent: OrderedDict[int, _Seen] = OrderedDict()


def _posts(posts: Mapping[str, dict] | None) -> dict[str, dict]:
    return {key: dict(value) for key, value in (posts or {}).items()}


def view_of(facts: Sequence[Fact], posts: Mapping[str, dict] | None = None) -> CadreView:
    """A view of `facts` with `posts`: the one seen last for this list, grown by what was appended."""
    if type(facts) is not list:
        return CadreView(facts, posts)
    seen = _recent.get(id(facts))
    if seen is None or seen.facts is not facts:
        return _keep(facts, posts, CadreView(facts, posts))
    history = seen.view.history
    count = len(history.facts)
    if len(facts) < count or facts[:count] != history.facts:
        return _keep(facts, posts, CadreView(facts, posts))
    _recent.move_to_end(id(facts))
    same_posts = seen.posts == _posts(posts)
    if len(facts) == count:
        return seen.view if same_posts else _keep(facts, posts, CadreView.of(history, posts))
    more = facts[count:]
    grown = CadreView.of(history.extended(more), posts)
    reshaped = any(f["type"] in RESHAPING_TYPES for f in more)
    if same_posts and not reshaped and grown.history.void == history.void:
        grown.reuse_profiles(seen.view)
    return _keep(facts, posts, grown)


def _keep(facts: list[Fact], posts: Mapping[str, dict] | None, view: CadreView) -> CadreView:
    _recent[id(facts)] = _Seen(facts, _posts(posts), view)
    _recent.move_to_end(id(facts))
    while len(_recent) > KEPT:
        _recent.popitem(last=False)
    return view
