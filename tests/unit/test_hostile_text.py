"""Control and bidirectional characters: refused in every string field and in the actor, escaped on output."""
from __future__ import annotations

import json

import pytest

from ledger.characters import escaped
from ledger.decisions import parse
from ledger.errors import InvalidDecision, LedgerError
from ledger.importer import checked_actor
from projections.render import cell, dumps, printable, to_csv, to_table

TRAINING = {"type": "training", "cadre": "HB-1", "on": "2025-03-01", "programme": "党校春季班"}
SANCTION = {"type": "sanction", "cadre": "HB-1", "on": "2025-03-10", "kind": "demerit",
            "authority_kind": "supervisory"}
ESC, BEL, DEL, CSI, RLO, PDI, SURROGATE = "\x1b", "\x07", "\x7f", "\x9b", "\u202e", "\u2069", "\udcff"


def refused(decision: dict) -> str:
    with pytest.raises(InvalidDecision) as error:
        parse(decision)
    return error.value.message


@pytest.mark.parametrize(("char", "problem"), [
    (ESC, "control character '\\x1b' at 2; remove it"),
    (BEL, "control character '\\x07' at 2; remove it"),
    ("\x00", "control character '\\x00' at 2; remove it"),
    ("\r", "control character '\\r' at 2; remove it"),
    (DEL, "control character '\\x7f' at 2; remove it"),
    (CSI, "control character '\\x9b' at 2; remove it"),
    (RLO, "bidirectional control '\\u202e' at 2 (it reorders the text on screen); remove it"),
    (PDI, "bidirectional control '\\u2069' at 2 (it reorders the text on screen); remove it"),
    (SURROGATE, "'\\udcff' at 2 is not a character (bytes that were not UTF-8); remove it"),
    ("\n", ("line break '\\n' at 2; line breaks and tabs are allowed only in long-text fields (note, reason, "
            "detail, …); remove it")),
])
def test_a_text_field_refuses_control_bidirectional_and_surrogate_characters(char, problem):
    assert refused({**TRAINING, "programme": "党校" + char + "班"}) == f"programme: {problem}"


@pytest.mark.parametrize("char", ["\n", "\t"])
def test_a_long_text_field_keeps_line_breaks_and_tabs(char):
    decision = parse({**TRAINING, "note": f"第一段{char}第二段"})

    assert decision["note"] == f"第一段{char}第二段"


@pytest.mark.parametrize("char", [ESC, "\r", CSI, RLO, SURROGATE])
def test_a_long_text_field_refuses_every_other_control_character(char):
    assert refused({**TRAINING, "note": f"第一段{char}第二段"}).startswith("note: ")


@pytest.mark.parametrize(("field", "value", "named"), [
    ("cadre", f"HB{RLO}1", "cadre"),
    ("id", f"t-{ESC}1", "id"),
    ("kind", f"{RLO}demerit", "kind"),
    ("kind", f"demerit{CSI}", "kind"),
    ("doc", f"鄂纪〔2025〕{BEL}12号", "doc"),
    ("violations", ["warning", f"de{DEL}merit"], "violations[1]"),
])
def test_every_string_field_refuses_them_naming_the_field(field, value, named):
    assert refused({**SANCTION, field: value}).startswith(f"{named}: ")


def test_an_enumeration_does_not_trim_a_control_character_away():
    assert refused({**SANCTION, "kind": "\x1cdemerit"}) == "kind: control character '\\x1c' at 0; remove it"


def test_a_number_given_as_text_refuses_them_too():
    assert refused({**TRAINING, "hours": f"1{ESC}2"}) == "hours: control character '\\x1b' at 1; remove it"


@pytest.mark.parametrize(("actor", "problem"), [
    (f"组织部{ESC}[2J王", "control character '\\x1b' at 3; remove it"),
    (f"组织部{BEL}王", "control character '\\x07' at 3; remove it"),
    ("组织部\n2025-01-01 verified", "line break '\\n' at 3;"),
    (f"组织部{RLO}王", "bidirectional control '\\u202e' at 3"),
    (f"组织部{SURROGATE}", "'\\udcff' at 3 is not a character"),
])
def test_an_actor_with_a_control_or_bidirectional_character_is_refused_in_one_line(actor, problem):
    with pytest.raises(LedgerError) as error:
        checked_actor(actor)

    assert error.value.message.startswith(f"actor: {problem}")
    assert error.value.message.endswith("from --actor or CADRE_LEDGER_ACTOR")
    assert error.value.exit_code == 1


def test_an_actor_is_trimmed_and_kept_as_typed():
    assert checked_actor("  组织部-王\n") == "组织部-王"


def test_an_actor_longer_than_a_text_field_is_refused():
    with pytest.raises(LedgerError, match=r"^actor: too long \(501 characters; at most 500\)"):
        checked_actor("王" * 501)


def test_an_error_message_quoting_hostile_text_stays_one_printable_line():
    message = LedgerError(f"HB-1 is not registered\n{ESC}[2J{RLO}verified").message

    assert message == "HB-1 is not registered\\n\\x1b[2J\\u202everified"


def test_escaping_writes_each_character_as_its_escape():
    assert escaped(f"a{ESC}b{CSI}c{RLO}d\n{SURROGATE}") == "a\\x1bb\\x9bc\\u202ed\\n\\udcff"
    assert escaped("张明 HB-1") == "张明 HB-1"


def test_printable_keeps_line_breaks_and_tabs_only_when_asked():
    assert printable("a\nb\tc") == "a\\nb\\tc"
    assert printable(f"a\nb\tc{ESC}", multiline=True) == "a\nb\tc\\x1b"


def test_a_table_cell_from_older_data_is_printed_escaped():
    rows = [{"actor": f"组织部{ESC}]0;pwned{BEL}", "note": "第一段\n2025-01-01  verified"}]

    table = to_table(rows)

    assert ESC not in table and BEL not in table and table.count("\n") == 2
    assert "组织部\\x1b]0;pwned\\x07" in table and "第一段\\n2025-01-01  verified" in table


def test_a_csv_cell_keeps_its_line_breaks_but_not_control_characters():
    csv_text = to_csv([{"note": f"第一段\n第二段{RLO}"}])

    assert csv_text == 'note\n"第一段\n第二段\\u202e"\n'


def test_list_and_object_cells_are_escaped_too():
    assert cell([f"a{ESC}", {"k": f"v{CSI}"}]) == '["a\\u001b",{"k":"v\\x9b"}]'


def test_json_output_escapes_del_c1_and_bidirectional_controls_and_keeps_the_same_value():
    value = {"actor": f"组织部{ESC}{DEL}{CSI}{RLO}{PDI}王"}

    text = dumps(value)

    assert all(c not in text for c in (ESC, DEL, CSI, RLO, PDI))
    assert json.loads(text) == value and "组织部" in text
