"""Hypothesis strategies for malformed and hostile decision lines, each with the field its error must name.

Every line is built to be invalid for exactly one reason: a valid example decision (`ledger.examples`)
with one thing broken — a field missing, unknown, of the wrong type or out of range, an impossible date,
a huge or control-character string, a deeply nested value, an unknown enumeration, a reference to a
cadre, post or decision the ledger does not hold — or a line that is not a JSON object at all.
"""
from __future__ import annotations

import copy
import json
import re
from datetime import date
from typing import Any

from hypothesis import strategies as st

from ledger.decisions import MAX_IDENT, MAX_LIST, MAX_LONGTEXT, MAX_TEXT
from ledger.examples import EXAMPLES
from ledger.schema import COMMON, TYPES, Field

LINE = "(line)"
UNKNOWN = "nope-does-not-exist"
IMPOSSIBLE_DATES = ["2025-02-30", "2023-02-29", "2025-13-01", "2025-00-10", "2025-04-31", "2025-01-32",
                    "0000-01-01", "1899-12-31", "2101-01-01", "2025-1-1", "2025/01/01", "20250101",
                    " 2025-01-01", "2025-01-01T00:00",
                    "2025-01-01\n", "２０２５-01-01", "", "yesterday"]
CONTROL = [chr(c) for c in [*range(9), *range(11, 32), 127]]
REFERENCES: dict[str, list[str]] = {
    "target": ["retraction", "revocation", "probation-extension", "party-rights-restored", "suspension-end",
               "exemption", "variation"],
    "report": ["report-disposition", "inquiry-reply", "clarification"],
    "case": ["investigation-close"], "post_id": ["appointment"], "basis": ["determination"],
    "outgoing": ["leadership-change"], "incoming": ["leadership-change"],
}

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)


def fields_of(decision: dict[str, Any]) -> dict[str, Field]:
    """The fields a decision of this type may carry (the common ones, then the type's own)."""
    return {**COMMON, **TYPES[decision["type"]].fields}


def is_real_date(text: str) -> bool:
    """Whether the product would accept `text` as a date."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        return 1900 <= date.fromisoformat(text).year <= 2100
    except ValueError:
        return False


def _bad_strategies() -> dict[str, st.SearchStrategy[Any]]:
    """For each field kind, values it refuses (built once: building strategies per draw is slow)."""
    not_string = st.one_of(st.integers(), st.floats(allow_nan=False), st.booleans(),
                           st.lists(json_scalars, max_size=3),
                           st.dictionaries(st.text(max_size=5), json_scalars, max_size=3))

    def text(limit: int, controls: list[str]) -> st.SearchStrategy[Any]:
        return st.one_of(
            not_string, st.sampled_from(["", " ", "\u3000 \t"]),
            st.integers(limit + 1, 1_000_000).map(lambda n: "长" * n),
            st.tuples(st.text(min_size=1, max_size=10).filter(str.strip), st.sampled_from(controls))
              .map(lambda t: t[0] + t[1] + "尾"),
        )

    bad: dict[str, st.SearchStrategy[Any]] = {
        "text": text(MAX_TEXT, [*CONTROL, "\n", "\t"]),
        "longtext": text(MAX_LONGTEXT, CONTROL),
        "ident": st.one_of(not_string, st.just(""), st.integers(MAX_IDENT + 1, 5000).map(lambda n: "X" * n),
                           st.sampled_from([" ", "/", "\u3000", "\t", "\n", *CONTROL])
                             .map(lambda c: f"HB{c}1")),
        "date": not_string | st.sampled_from(IMPOSSIBLE_DATES)
        | st.text(max_size=12).filter(lambda s: not is_real_date(s)),
        "enum": not_string | st.text(max_size=30).map(lambda s: "unknown-" + s),
        "bool": st.integers() | st.text(max_size=5) | st.sampled_from(["true", "false", 0, 1, [], {}]),
        "amount": st.sampled_from([True, False, [], {}, "abc", "1,000", "NaN", "-Infinity", "-5", "1e16",
                                   -0.5, float("nan"), float("inf"), 10**17]),
        "basis": st.sampled_from([1800, 2200, -1, "", " ", "a/b", [], {}, 1.5, True]),
    }
    for kind, (low, high) in {"count": (0, 10**9), "year": (1949, 2100), "months": (1, 600)}.items():
        bad[kind] = st.one_of(st.integers(max_value=low - 1), st.integers(min_value=high + 1),
                              st.floats(allow_nan=False), st.booleans(), st.text(max_size=5),
                              st.lists(st.integers(), max_size=2))
    for kind, element in {"enums": "enum", "texts": "text", "idents": "ident"}.items():
        bad[kind] = st.one_of(not_string.filter(lambda v: not isinstance(v, list)), st.text(max_size=5),
                              bad[element].map(lambda v: [v]), st.just(["x"] * (MAX_LIST + 1)))
    return bad


BAD = _bad_strategies()
BAD_OR_NULL = {kind: st.none() | strategy for kind, strategy in BAD.items()}


def bad_value(spec: Field) -> st.SearchStrategy[Any]:
    """Values that a field of this kind refuses (null too, where the field is required and not nullable)."""
    return BAD_OR_NULL[spec.kind] if spec.required and not spec.nullable else BAD[spec.kind]


def expected_field(name: str, spec: Field, value: Any) -> set[str]:
    """The field a refusal of `value` names: the field, or an element of a list field."""
    if spec.kind in ("enums", "texts", "idents") and isinstance(value, list) and len(value) <= MAX_LIST:
        return {f"{name}[0]"}
    return {name}


Mutated = tuple[dict[str, Any], set[str]]


def pick(draw: st.DrawFn, items: list[Any]) -> Any:
    """One of `items`, drawn by index (`st.integers` is cached; a new `sampled_from` is validated anew)."""
    return items[draw(st.integers(0, len(items) - 1))]


def broken_field(draw: st.DrawFn, base: dict[str, Any]) -> Mutated:
    """The base decision with one present field given a value it refuses."""
    specs = {**fields_of(base), "on": Field("date", True), TYPES[base["type"]].subject: Field("ident", True)}
    name = pick(draw, sorted(k for k in base if k in specs))
    value = draw(bad_value(specs[name]))
    base[name] = value
    return base, ({name} if value is None else expected_field(name, specs[name], value))


def missing_field(draw: st.DrawFn, base: dict[str, Any]) -> Mutated:
    """The base decision without one of its required fields."""
    dtype = TYPES[base["type"]]
    name = pick(draw, ["type", "on", dtype.subject,
                       *(n for n, f in dtype.fields.items() if f.required and f.when is None)])
    del base[name]
    return base, {name}


ALLOWED = {t: {"type", "on", d.subject, *COMMON, *d.fields} for t, d in TYPES.items()}
ODD_NAMES = st.text(min_size=1, max_size=70) | st.integers(71, 3000).map(lambda n: "k" * n)


def extra_field(draw: st.DrawFn, base: dict[str, Any]) -> Mutated:
    """The base decision with a field its type does not have."""
    key = draw(ODD_NAMES)
    if key in ALLOWED[base["type"]]:
        key += "_extra"
    base[key] = draw(json_values)
    shown = key if re.fullmatch(r"[\w.-]+", key) else repr(key)  # an unusual name is shown quoted and escaped
    return base, {shown if len(shown) <= 60 else shown[:59] + "…"}  # a long one clipped


def dangling_reference(draw: st.DrawFn, base: dict[str, Any]) -> Mutated:
    """A reference to a cadre, post or decision the ledger does not hold (or a second register)."""
    t = base["type"]
    choices = [("id", next(e["id"] for e in EXAMPLES if e["type"] != t))]  # recorded, with other content
    subject = TYPES[t].subject
    if subject in ("cadre", "post"):
        registering = t in ("register", "post-register")
        existing = {"cadre": "HB-000124", "post": "YC-YL-PARTY-SECRETARY"}[subject]
        choices.append((subject, existing if registering else UNKNOWN))
    choices += [(f, UNKNOWN) for f, types in REFERENCES.items() if t in types]
    lists = (("basis", "appointment"), ("targets", "reuse-review"))
    choices += [(f, [UNKNOWN]) for f, of in lists if t == of]
    if t == "org-handling":
        choices.append(("determination", UNKNOWN))
    if "announced_on" in base:
        choices.append(("announced_on", "2024-02-29"))
    name, value = pick(draw, choices)
    base[name] = value
    return base, {f"{name}[0]" if isinstance(value, list) else name}


EXAMPLE_TEXTS = [json.dumps(e, ensure_ascii=False) for e in EXAMPLES]
GARBAGE = st.one_of(
    st.text(min_size=1, max_size=40).filter(lambda s: s.strip() and "\n" not in s and "\r" not in s
                                            and not _is_object(s)),
    json_values.filter(lambda v: not isinstance(v, dict)).map(json.dumps),
    st.integers(1, 200_000).map(lambda n: "[" * n + "]" * n),
)


def not_an_object(draw: st.DrawFn) -> tuple[str, set[str]]:
    """A line that is not one JSON object: truncated, garbage, another JSON value, or nested too deep."""
    if draw(st.booleans()):
        good = pick(draw, EXAMPLE_TEXTS)
        return good[:draw(st.integers(1, len(good) - 1))], {LINE}
    return draw(GARBAGE), {LINE}


MUTATIONS = [broken_field, missing_field, extra_field, dangling_reference]


@st.composite
def hostile_line(draw: st.DrawFn) -> tuple[str, set[str]]:
    """One JSON Lines line that must be refused, and the fields its error may name."""
    how = draw(st.integers(0, len(MUTATIONS) + 1))
    if how == len(MUTATIONS) + 1:
        return not_an_object(draw)
    base = copy.deepcopy(pick(draw, EXAMPLES))
    base["id"] = f"fz-{draw(st.integers(0, 10**12))}"
    if how == len(MUTATIONS):  # a text field holding a nested value: not a string, or too deep to read at all
        depth, (opening, closing) = draw(st.integers(2, 100_000)), pick(draw, [("[", "]"), ('{"a":', "}")])
        base["note"] = "NESTED"
        return json.dumps(base).replace('"NESTED"', opening * depth + "1" + closing * depth), {"note", LINE}
    decision, fields = MUTATIONS[how](draw, base)
    return json.dumps(decision, ensure_ascii=draw(st.booleans())), fields


def _is_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except (ValueError, RecursionError):
        return False
