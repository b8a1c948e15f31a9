"""The msgpack transcoder: exact round trips and deterministic bytes."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from uuid import UUID

import pytest
from eventsourcing.persistence import TranscodingNotRegisteredError
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.storage.transcoder import MsgpackTranscoder

T = MsgpackTranscoder()


def test_dates_datetimes_decimals_uuids_tuples_and_nested_dicts_come_back_with_their_exact_types():
    value = {
        "on": date(2024, 2, 29),
        "at": datetime(2025, 3, 10, 8, 30, tzinfo=timezone(timedelta(hours=8))),
        "utc": datetime(2025, 3, 10, 0, 30, tzinfo=UTC),
        "amount": Decimal("-1234.5600"),
        "id": UUID("12345678-1234-5678-1234-567812345678"),
        "pair": ("audit", ("nested", 1)),
        "nested": {"b": [1, {"c": Decimal("1.10")}], 7: "int key"},
        "none": None, "flag": True, "text": "张明",
    }

    back = T.decode(T.encode(value))

    assert back == value
    assert type(back["on"]) is date and type(back["at"]) is datetime
    assert back["at"].utcoffset() == timedelta(hours=8)
    assert type(back["pair"]) is tuple and type(back["pair"][1]) is tuple
    assert str(back["nested"]["b"][1]["c"]) == "1.10"
    assert 7 in back["nested"]


def test_the_same_value_encodes_to_the_same_bytes_whatever_the_key_order():
    one = {"b": 1, "a": {"y": date(2025, 1, 1), "x": [1, 2]}}
    other = {"a": {"x": [1, 2], "y": date(2025, 1, 1)}, "b": 1}

    assert T.encode(one) == T.encode(other)


def test_an_unknown_type_is_refused_rather_than_stored_lossily():
    with pytest.raises(TranscodingNotRegisteredError, match="complex"):
        T.encode({"x": complex(1, 2)})


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-2**63, 2**63 - 1), st.text(max_size=20), st.dates(),
    st.decimals(allow_nan=False, allow_infinity=False, places=4),
    st.datetimes(timezones=st.just(UTC)),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.tuples(inner, inner), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)


@settings(deadline=None)  # a loaded CI machine must not turn a slow example into a failure
@given(values)
def test_any_nesting_of_supported_values_round_trips_and_re_encodes_identically(value):
    data = T.encode(value)

    back = T.decode(data)

    assert back == value
    assert T.encode(back) == data
