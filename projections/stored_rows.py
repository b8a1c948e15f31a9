"""How the reporting tables hold their rows: as derived, or — on an encrypted ledger — sealed.

A sealed row keeps in the clear only what SPEC lists as visible without the key: dates, cadre numbers, post
ids and event types (and a cadre's event count, which its stream's versions show anyway). Every other value
(names, units, titles, kinds, tracks, rules, decision ids, case and report numbers, details) goes into the
row's `sealed` column, AES-GCM under the ledger's reporting-rows key, bound to its table and subject so that
it cannot be moved to another row. In its own column such a value is then:

- a keyed blind index where a query looks it up by equality (a cadre's name, a unit, a case number): HMAC of
  the NFKC-normalised, trimmed text, so equal texts give equal values and nothing else can be read;
- a unit's stream blinded as the decision index holds it (`unit/#…`), where the column names a subject;
- otherwise empty (NULL, or "" and 0 where the column may not be NULL).

Rows of a ledger that is not encrypted have `sealed` NULL and every value in the clear.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgpack

from ledger.storage.keyring import Keyring
from ledger.vocab import term_key
from projections.tables import SUBJECT_TABLES, columns

StoredRow = tuple[Any, ...]

VISIBLE: dict[str, frozenset[str]] = {
    "proj_cadres": frozenset({"cadre", "registered_on", "events"}),
    "proj_restrictions": frozenset({"cadre", "asof_from", "asof_to", "effective_on", "ends_on"}),
    "proj_flags": frozenset({"cadre", "asof_from", "asof_to", "raised_on"}),
    "proj_pool": frozenset({"cadre", "entered_on", "left_on"}),
    "proj_findings": frozenset({"asof_from", "asof_to", "cadre", "post", "raised_on"}),
    "proj_reports": frozenset({"cadre", "received_on"}),
    "proj_handovers": frozenset({"post", "asof_from", "asof_to", "announced_on", "outgoing", "incoming", "due_on",
                                 "completed_on"}),
    "proj_cases": frozenset({"type", "on_date"}),
}
# Columns looked up by equality: their blind index, by the kind of text they hold.
BLIND: dict[tuple[str, str], str] = {
    ("proj_cadres", "name"): "name", ("proj_cadres", "unit"): "unit", ("proj_handovers", "unit"): "unit",
    ("proj_cases", "case_no"): "case",
}
STREAMS = frozenset({("proj_findings", "subject"), ("proj_cases", "stream")})
NOT_NULL: dict[tuple[str, str], Any] = {
    ("proj_restrictions", "source"): "", ("proj_restrictions", "blocks_promotion"): 0,
    ("proj_reports", "report"): "", ("proj_cases", "decision_id"): "",
}


class RowsUnsealable(ValueError):
    """A sealed reporting row that does not open: changed or moved outside the ledger, or another key's."""


class StoredRows:
    """Turns derived rows into stored ones and back, for one ledger (`keys`: None when not encrypted)."""

    def __init__(self, keys: Keyring | None) -> None:
        self.keys = keys
        self._layout = {table: _Layout(table) for table in VISIBLE}

    @property
    def sealing(self) -> bool:
        return self.keys is not None

    def encode(self, table: str, row: Sequence[Any]) -> StoredRow:
        """A derived row as stored (its values, then `sealed`)."""
        keys = self.keys
        if keys is None:
            return (*row, None)
        layout = self._layout[table]
        stored = [self._stored_value(keys, table, name, value) if name not in layout.visible else value
                  for name, value in zip(layout.names, row)]
        hidden = [row[i] for i in layout.hidden]
        bound = layout.bound_to(stored)
        return (*stored, keys.seal(msgpack.packb(hidden, use_bin_type=True), bound))

    def decode(self, table: str, stored: Sequence[Any]) -> StoredRow:
        """A stored row as derived; RowsUnsealable when its sealed values do not open."""
        sealed = stored[-1]
        values = tuple(stored[:-1])
        if sealed is None:
            return values
        if self.keys is None:
            raise RowsUnsealable(f"a row of {table} is sealed, but this ledger has no key")
        layout = self._layout[table]
        try:
            hidden = msgpack.unpackb(self.keys.unseal(sealed, layout.bound_to(values)), raw=False)
        except ValueError as e:  # Unsealable, or bytes that are not what `encode` sealed
            raise RowsUnsealable(f"a sealed row of {table} does not open ({e}): it was changed or moved") from None
        if not isinstance(hidden, list) or len(hidden) != len(layout.hidden):
            raise RowsUnsealable(f"a sealed row of {table} holds other values than its columns")
        out = list(values)
        for i, value in zip(layout.hidden, hidden):
            out[i] = value
        return tuple(out)

    def key(self, table: str, column: str, value: str) -> str:
        """The value a subject column holds for `value` (what a DELETE or a lookup by subject names)."""
        if self.keys is not None and (table, column) in STREAMS:
            return self.keys.stored_stream(value)
        return value

    def lookup(self, table: str, column: str, value: str) -> str:
        """The value to look up in a column queried by equality: its blind index when sealed."""
        kind = BLIND.get((table, column))
        if self.keys is None or kind is None:
            return value
        return self.keys.blind(kind, term_key(value))

    def _stored_value(self, keys: Keyring, table: str, name: str, value: Any) -> Any:
        if value is None:
            return None
        kind = BLIND.get((table, name))
        if kind is not None:
            return keys.blind(kind, term_key(str(value)))
        if (table, name) in STREAMS:
            return keys.stored_stream(str(value))
        return NOT_NULL.get((table, name))


class _Layout:
    """Which columns of a table stay visible, which are sealed, and what binds a sealed row to its place."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.names = columns(table)
        self.visible = VISIBLE[table]
        self.hidden = [i for i, name in enumerate(self.names) if name not in self.visible]
        self.subject = self.names.index(SUBJECT_TABLES[table])

    def bound_to(self, stored: Sequence[Any]) -> bytes:
        """The associated data of a row's seal: its table and its subject as stored."""
        return f"{self.table}\0{stored[self.subject]}".encode()
