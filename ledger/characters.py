"""Characters that must never reach a terminal or a spreadsheet raw: refused on input, escaped on output.

Control characters (C0, DEL, C1) can clear a screen, retitle a window or forge a line; bidirectional
controls (U+202A–202E, U+2066–2069) reorder what a reader sees; a lone surrogate is no character at all
(it comes from bytes that were not UTF-8). Newline and tab are allowed only in long-text fields.
"""
from __future__ import annotations

import re

_OTHER = "\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"  # DEL, C1, bidirectional controls, surrogates
_ANY = re.compile(f"[\x00-\x1f{_OTHER}]")
_MULTILINE = re.compile(f"[\x00-\x08\x0b-\x1f{_OTHER}]")  # newline (0x0a) and tab (0x09) allowed
_JSON = re.compile(f"[{_OTHER}]")  # json.dumps escapes C0 itself
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def find_unsafe(text: str, multiline: bool = False) -> re.Match[str] | None:
    """The first character of `text` that may not be stored (newline and tab pass when `multiline`)."""
    return (_MULTILINE if multiline else _ANY).search(text)


def describe(found: re.Match[str]) -> str:
    """What is wrong with an unsafe character, and the fix: `control character '\\x1b' at 3; remove it`."""
    char, at = found.group(), found.start()
    shown = escaped(char)
    if char in "\n\t":
        return (f"{'line break' if char == chr(10) else 'tab'} '{shown}' at {at}; line breaks and tabs are "
                "allowed only in long-text fields (note, reason, detail, …); remove it")
    if "\ud800" <= char <= "\udfff":
        return f"'{shown}' at {at} is not a character (bytes that were not UTF-8); remove it"
    if "\u202a" <= char <= "\u2069":
        return f"bidirectional control '{shown}' at {at} (it reorders the text on screen); remove it"
    return f"control character '{shown}' at {at}; remove it"


def escaped(text: str, multiline: bool = False) -> str:
    """`text` with every unsafe character written as an escape (`\\x1b`, `\\u202e`, `\\n`); newline and tab
    kept when `multiline`."""
    pattern = _MULTILINE if multiline else _ANY
    if pattern.search(text) is None:  # the common case, without building a new string
        return text
    return pattern.sub(_escape, text)


def _escape(found: re.Match[str]) -> str:
    char = found.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def json_escaped(text: str) -> str:
    """JSON text with DEL, C1, bidirectional controls and surrogates written as `\\u` escapes: the same JSON value,
    safe on a terminal (json.dumps escapes the C0 controls itself)."""
    if _JSON.search(text) is None:
        return text
    return _JSON.sub(lambda found: f"\\u{ord(found.group()):04x}", text)
