"""Terminal widths: the characters render.py measures itself take exactly the columns wcwidth gives them."""
from __future__ import annotations

import random

from wcwidth import wcswidth, wcwidth

from projections.render import WIDE, width


def test_every_character_measured_without_wcwidth_has_the_width_wcwidth_gives():
    wide = [chr(code) for low, high in WIDE for code in range(low, high + 1)]

    assert all(wcwidth(ch) == 2 for ch in wide)
    assert all(wcwidth(chr(code)) == 1 for code in range(0x20, 0x7F))


def test_text_of_ascii_and_cjk_measures_as_wcwidth_measures_it():
    pool = [chr(c) for c in range(0x20, 0x7F)] + [chr(c) for low, high in WIDE for c in range(low, high + 1, 7)]
    rng = random.Random(5)
    texts = ["".join(rng.choices(pool, k=rng.randint(0, 30))) for _ in range(2000)]
    texts += ["卢长红", "掇刀区委常委、政法委书记", "鄂纪〔2025〕12号", "HB-000123", ""]

    assert [width(t) for t in texts] == [wcswidth(t) for t in texts]


def test_other_text_is_measured_by_wcwidth():
    for text in ("e\u0301", "👍🏽", "a\u200db", "tab\there", "\x1b[31m", "한국어", "ｶﾀｶﾅ"):
        found = wcswidth(text)
        assert width(text) == (found if found >= 0 else len(text))
