"""The feed: envelopes in log order, resumable, filtered, valid against the checked-in schemas."""
from __future__ import annotations

import copy
import json
import threading

import jsonschema
from referencing import Registry, Resource

from ledger.examples import EXAMPLES
from projections import schemas
from projections.feed import envelopes, follow
from projections.render import to_jsonable


def lines(decisions):
    return list(enumerate(copy.deepcopy(decisions), start=1))


def test_the_checked_in_schemas_are_what_the_code_generates():
    for relative, text in schemas.generate().items():
        path = schemas.DIRECTORY / relative
        assert path.read_text(encoding="utf-8") == text, f"{relative} is stale: run python -m projections.schemas"


def test_every_envelope_is_valid_against_the_envelope_schema(ledger):
    ledger.import_lines(lines(EXAMPLES), "clerk")
    registry = Registry().with_resources(
        (f"{schemas.BASE}{rel}", Resource.from_contents(json.loads(text))) for rel, text in schemas.generate().items())
    validator = jsonschema.Draft202012Validator(json.loads(schemas.generate()["envelope.json"]), registry=registry)

    feed = [to_jsonable(e) for e in envelopes(ledger)]

    assert len(feed) == len(EXAMPLES)
    for item in feed:
        validator.validate(item)
    assert [e["position"] for e in feed] == sorted(e["position"] for e in feed)


def test_the_data_of_an_envelope_is_the_decision_as_recorded(ledger):
    ledger.import_lines(lines(EXAMPLES), "clerk")

    sanction = next(e for e in envelopes(ledger, types=["sanction"]) if e["id"] == "s-2023-17")

    assert to_jsonable(sanction["data"]) == next(e for e in EXAMPLES if e["id"] == "s-2023-17")
    assert sanction["stream"] == "cadre/HB-000123" and len(sanction["hash"]) == 64


def test_a_consumer_resuming_after_its_last_position_sees_every_event_once(ledger):
    ledger.import_lines(lines(EXAMPLES), "clerk")
    first = list(envelopes(ledger))[:10]

    rest = list(envelopes(ledger, after=first[-1]["position"]))

    assert [e["id"] for e in first + rest] == [e["id"] for e in envelopes(ledger)]


def test_filters_by_type_and_cadre(ledger):
    ledger.import_lines(lines(EXAMPLES), "clerk")

    assert {e["type"] for e in envelopes(ledger, types=["sanction", "assessment"])} == {"sanction", "assessment"}
    assert {e["stream"] for e in envelopes(ledger, cadre="HB-000124")} == {"cadre/HB-000124"}


def test_a_follower_with_a_concurrent_writer_misses_and_duplicates_nothing(ledger):
    from ledger.app import CadreLedger

    writer = CadreLedger(ledger.database)
    batches = [EXAMPLES[i:i + 5] for i in range(0, len(EXAMPLES), 5)]
    seen: list[str] = []
    done = threading.Event()

    def write() -> None:
        for batch in batches:
            writer.import_lines(lines(batch), "clerk")
        done.set()

    thread = threading.Thread(target=write)
    thread.start()
    stop_at = len(EXAMPLES)
    for item in follow(ledger, 0, interval=0.05, should_stop=lambda: len(seen) >= stop_at):
        seen.append(item["id"])
        if len(seen) == 17:  # the consumer stops and resumes from its last position
            break
    last = next(e for e in envelopes(ledger) if e["id"] == seen[-1])["position"]
    for item in follow(ledger, last, interval=0.05, should_stop=lambda: len(seen) >= stop_at):
        seen.append(item["id"])
    thread.join()
    writer.close()

    assert done.is_set()
    assert sorted(seen) == sorted(e["id"] for e in EXAMPLES)
    assert len(seen) == len(set(seen))
