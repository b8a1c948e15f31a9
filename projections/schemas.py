"""JSON Schemas of the feed: the envelope and each decision type, generated from the decision table.

Regenerate the checked-in files with `python -m projections.schemas`; a test fails when they are stale.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ledger.schema import COMMON, TYPES, DecisionType, Field

DIRECTORY = Path(__file__).with_name("schemas")
BASE = "https://cadre-ledger.invalid/schemas/"
DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


def field_schema(spec: Field) -> dict[str, Any]:
    """The JSON Schema of one field."""
    kind = spec.kind
    if kind in ("text", "longtext", "ident"):
        out: dict[str, Any] = {"type": "string", "minLength": 1}
    elif kind == "date":
        out = dict(DATE)
    elif kind == "bool":
        out = {"type": "boolean"}
    elif kind in ("count", "year", "months"):
        out = {"type": "integer", "minimum": {"count": 0, "year": 1949, "months": 1}[kind]}
    elif kind == "amount":
        out = {"type": "string", "pattern": r"^\d+(\.\d+)?$", "description": "a decimal amount, as a string"}
    elif kind == "enum":
        out = {"type": "string", "enum": list(spec.table or {})}
    elif kind == "enums":
        out = {"type": "array", "items": {"type": "string", "enum": list(spec.table or {})}}
    elif kind in ("texts", "idents"):
        out = {"type": "array", "items": {"type": "string", "minLength": 1}}
    elif kind == "basis":
        out = {"oneOf": [{"type": "integer"}, {"type": "string", "minLength": 1}]}
    else:
        raise AssertionError(kind)
    if spec.nullable:
        out = {"oneOf": [out, {"type": "null"}]}
    if spec.when:
        out["description"] = f"only when {spec.when[0]} is one of {', '.join(sorted(spec.when[1]))}"
    return out


def decision_schema(dtype: DecisionType) -> dict[str, Any]:
    """The schema of `data` for one decision type, as the feed carries it (canonical tokens)."""
    fields = {**COMMON, **dtype.fields}
    properties: dict[str, Any] = {"id": {"type": "string", "minLength": 1}, "type": {"const": dtype.name},
                                  "on": dict(DATE), dtype.subject: {"type": "string", "minLength": 1}}
    properties.update({name: field_schema(spec) for name, spec in fields.items() if name != "id"})
    if dtype.name in ("sanction", "rank-promotion", "appointment", "assessment", "probation-extension",
                      "party-rights-restored", "handover-extension", "handover-complete"):
        properties["overridden_rule"] = {"type": "string", "description": "the rule overridden, when recorded anyway"}
    required = ["id", "type", "on", dtype.subject] + [n for n, s in fields.items() if s.required and not s.when]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"{BASE}decisions/{dtype.name}.json",
            "title": f"{dtype.name}: {dtype.meaning}", "type": "object", "properties": properties,
            "required": sorted(set(required), key=required.index), "additionalProperties": False}


def envelope_schema() -> dict[str, Any]:
    """The schema of one feed envelope."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"{BASE}envelope.json",
        "title": "cadre-ledger feed envelope", "type": "object",
        "properties": {
            "position": {"type": "integer", "minimum": 1, "description": "log position; resume with --after"},
            "id": {"type": "string", "description": "decision id"},
            "stream": {"type": "string", "pattern": "^(cadre|post|unit)/.+$"},
            "version": {"type": "integer", "minimum": 1, "description": "version within the stream"},
            "type": {"enum": list(TYPES)},
            "effective_on": dict(DATE),
            "recorded_at": {"type": "string", "format": "date-time"},
            "actor": {"type": "string"},
            "data": {"oneOf": [{"$ref": f"decisions/{name}.json"} for name in TYPES]},
            "hash": {"type": ["string", "null"], "pattern": "^[0-9a-f]{64}$",
                     "description": "SHA-256 seal of the event"},
        },
        "required": ["position", "id", "stream", "version", "type", "effective_on", "recorded_at", "actor", "data",
                     "hash"],
        "additionalProperties": False,
    }


def generate() -> dict[str, str]:
    """Relative path → JSON text of every schema file."""
    files = {"envelope.json": envelope_schema()}
    files.update({f"decisions/{name}.json": decision_schema(dtype) for name, dtype in TYPES.items()})
    return {path: json.dumps(doc, ensure_ascii=False, indent=2) + "\n" for path, doc in files.items()}


def write(directory: Path = DIRECTORY) -> list[Path]:
    """Write the schema files; returns their paths."""
    written = []
    for relative, text in generate().items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for p in write():
        print(p)
