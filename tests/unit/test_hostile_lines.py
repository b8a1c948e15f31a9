"""Each hostile line refused with its own message: encodings, byte-order marks, duplicate keys, numbers, nesting."""
from __future__ import annotations

import io
import json
from typing import Any

import pytest

from ledger.errors import InvalidDecision, UnusableInput
from ledger.jsonlines import MAX_DEPTH, line_encoding, read_jsonl

TRAINING = {"type": "training", "cadre": "HB-1", "on": "2025-03-01", "programme": "党校春季班"}


def read(data: bytes, encoding: str | None = None) -> list[tuple[int, Any]]:
    return list(read_jsonl(io.BytesIO(data), encoding))


def refusal(data: bytes, encoding: str | None = None) -> str:
    """The message of the one line in `data`, which must be refused."""
    [(number, value)] = read(data, encoding)
    assert isinstance(value, InvalidDecision), value
    return value.at_line(number).message


def with_value(field: str, literal: str) -> bytes:
    """The training line with `field` holding the raw JSON `literal`."""
    return json.dumps({**TRAINING, field: "@@"}).replace('"@@"', literal).encode()


def test_a_line_that_is_not_utf8_is_refused_alone_with_its_number_and_the_byte():
    data = json.dumps(TRAINING).encode() + b"\n" + b'{"type": "\xff"}\n' + json.dumps(TRAINING).encode()

    lines = read(data)

    assert [n for n, _ in lines] == [1, 2, 3]
    assert isinstance(lines[0][1], dict) and isinstance(lines[2][1], dict)
    assert lines[1][1].at_line(2).message == (
        "line 2: (line): not valid UTF-8 at byte 11 (0xff); save the file as UTF-8, or name its encoding with "
        "--encoding (gb18030 for Chinese Windows software)")


def test_a_gbk_line_read_as_utf8_is_refused_with_a_hint_to_pass_encoding_gb18030():
    data = json.dumps(TRAINING, ensure_ascii=False).encode("gbk")

    assert refusal(data).endswith("it reads as GB18030 (saved by Chinese Windows software): pass --encoding gb18030")


def test_a_gbk_file_is_read_with_encoding_gb18030():
    data = (json.dumps(TRAINING, ensure_ascii=False) + "\r\n").encode("gbk") * 2

    lines = read(data, "gb18030")

    assert lines == [(1, TRAINING), (2, TRAINING)]


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_byte_order_mark_at_the_start_of_the_file_is_accepted(encoding):
    data = "\ufeff".encode(encoding) + json.dumps(TRAINING, ensure_ascii=False).encode(encoding) + b"\r\n"

    assert read(data, encoding) == [(1, TRAINING)]


def test_a_byte_order_mark_on_a_later_line_is_refused():
    line = json.dumps(TRAINING).encode()

    lines = read(line + b"\n\xef\xbb\xbf" + line)

    assert "not valid JSON" in lines[1][1].message


def test_blank_lines_are_skipped_but_a_line_of_control_characters_is_refused():
    lines = read(b"\n  \r\n\t\n\x1c\x1d\n")

    assert [n for n, _ in lines] == [4]
    assert "not valid JSON" in lines[0][1].message


@pytest.mark.parametrize(("text", "field"), [
    ('{"type": "training", "type": "health-check"}', "type"),
    ('{"on": "2025-03-01", "cadre": "HB-1", "on": "2025-03-01"}', "on"),
    ('{"type": "training", "note": {"名称": 1, "名称": 2}}', "名称"),
    ('{"type": "training", "\\u001b[2J": 1, "\\u001b[2J": 2}', "'\\x1b[2J'"),
])
def test_a_key_given_twice_in_one_object_is_refused_naming_the_key(text, field):
    assert refusal(text.encode()) == f"line 1: {field}: given twice in one JSON object; keep one of them"


@pytest.mark.parametrize("literal", [str(2**63), str(-(2**63) - 1), "9" * 20, "1" + "0" * 5000])
def test_an_integer_beyond_64_bits_is_refused_naming_its_field(literal):
    message = refusal(with_value("hours", literal))

    assert message.startswith("line 1: hours: the integer ")
    assert message.endswith("is beyond 64 bits (at most 9,223,372,036,854,775,807); write a smaller number")
    assert len(message) < 200


@pytest.mark.parametrize("literal", [str(2**63 - 1), str(-(2**63))])
def test_the_largest_64_bit_integers_are_read(literal):
    [(_, value)] = read(with_value("hours", literal))

    assert value["hours"] == int(literal)


@pytest.mark.parametrize(("literal", "problem"), [
    ("NaN", "NaN is not a number JSON allows; write a finite number, or leave the field out"),
    ("Infinity", "Infinity is not a number JSON allows; write a finite number, or leave the field out"),
    ("-Infinity", "-Infinity is not a number JSON allows; write a finite number, or leave the field out"),
    ("1e400", "the number 1e400 is too large to be represented; write a smaller number"),
])
def test_nan_infinity_and_overflowing_numbers_are_refused_naming_their_field(literal, problem):
    assert refusal(with_value("hours", literal)) == f"line 1: hours: {problem}"


def test_a_special_number_inside_a_list_names_the_list_field():
    assert refusal(with_value("targets", "[1, [NaN]]")).startswith("line 1: targets: NaN is not a number")


def test_nesting_deeper_than_a_decision_ever_is_refused_naming_its_field():
    nested = "[" * MAX_DEPTH + "1" + "]" * MAX_DEPTH

    assert refusal(with_value("note", nested)) == (
        f"line 1: note: nested more than {MAX_DEPTH} levels deep; a decision's fields hold text, numbers, "
        "true/false or lists of them")


def test_nesting_one_level_less_is_left_to_the_field_checks():
    nested = "[" * (MAX_DEPTH - 1) + "1" + "]" * (MAX_DEPTH - 1)

    [(_, value)] = read(with_value("note", nested))

    assert isinstance(value, dict)


def test_nesting_too_deep_to_parse_is_refused_as_a_line():
    assert refusal(with_value("note", "[" * 200_000 + "]" * 200_000)) == (
        f"line 1: (line): nested too deeply to read (at most {MAX_DEPTH} levels); "
        "each line must be one flat JSON object")


def test_a_line_that_is_not_json_names_the_column():
    assert refusal(b'{"type": training}') == (
        "line 1: (line): not valid JSON (Expecting value at column 10); each line must be one JSON object")


@pytest.mark.parametrize("name", ["gb18030", "GBK", "big5", "utf-8", "UTF8", "utf-8-sig", "latin-1"])
def test_encodings_with_a_one_byte_line_break_are_accepted(name):
    assert line_encoding(name)


@pytest.mark.parametrize(("name", "problem"), [
    ("klingon", "'klingon' is not a text encoding"),
    ("base64", "'base64' is not a text encoding"),
    ("utf-16", "utf-16 does not write a line break as the byte 0x0A"),
    ("utf-32-le", "utf-32-le does not write a line break as the byte 0x0A"),
    ("cp037", "cp037 does not write a line break as the byte 0x0A"),
])
def test_an_encoding_that_cannot_be_read_line_by_line_is_unusable_input(name, problem):
    with pytest.raises(UnusableInput, match=f"^--encoding: {problem}") as refused:
        read_jsonl(io.BytesIO(b""), name)

    assert refused.value.exit_code == 2


@pytest.mark.parametrize("name", [" ", "\x00", "utf_8\udcff", "x" * 5000])
def test_an_encoding_name_no_codec_could_have_is_unusable_input_in_one_short_line(name):
    with pytest.raises(UnusableInput, match="is not a text encoding") as refused:
        read_jsonl(io.BytesIO(b""), name)

    assert len(refused.value.message) < 200 and "\n" not in refused.value.message
