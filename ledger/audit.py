"""Integrity of one ledger: verify the whole log, sign checkpoints, prove one decision, mark a stream.

Thin glue between the application's database and `sealing.py` / `verification.py` / `checkpoint.py`.
"""
from __future__ import annotations

import os
import struct
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from uuid import UUID

from ledger import sealing
from ledger.checkpoint import (
    load_checkpoint, load_private_key, load_public_key, make_checkpoint, make_inclusion_proof_doc,
    verify_checkpoint,
)
from ledger.errors import NotFound, UnusableInput
from ledger.integrity import event_hash
from ledger.verification import VerifyReport, verify

SIGNING_KEY_ENV = "CADRE_LEDGER_SIGNING_KEY"


@contextmanager
def connection(app: Any) -> Iterator[tuple[Any, str, str | None]]:
    """A raw DB-API connection to the ledger's database, its dialect and schema."""
    datastore = app.recorder.datastore
    if app.database.kind == "postgresql":
        with datastore.get_connection() as conn:
            yield conn, "postgres", app.database.schema
    else:
        with datastore.get_connection(commit=False) as conn:
            yield conn._sqlite_conn, "sqlite", None


@contextmanager
def cursor(app: Any) -> Iterator[tuple[Any, str, str | None]]:
    """A tuple-returning cursor inside one read transaction."""
    with connection(app) as (conn, dialect, schema):
        if dialect == "postgres":
            from psycopg.rows import tuple_row

            with conn.transaction(), conn.cursor(row_factory=tuple_row) as c:
                yield c, dialect, schema
        else:
            c = conn.cursor()
            c.execute("BEGIN")
            try:
                yield c, dialect, schema
            finally:
                conn.rollback()


def verify_ledger(
    app: Any, checkpoint_paths: Sequence[str] = (), public_key_path: str | None = None
) -> VerifyReport:
    """Recompute every seal from the stored bytes; check each checkpoint's signature and that the log
    extends it."""
    checkpoints = [load_checkpoint(p) for p in checkpoint_paths]
    if checkpoints:
        if public_key_path is None:
            raise UnusableInput("checking checkpoints needs the signer's public key: pass --public-key FILE")
        key = load_public_key(public_key_path)
        for cp in checkpoints:
            verify_checkpoint(cp, key)
    with connection(app) as (conn, dialect, schema):
        return verify(conn, dialect, app.recorder.events_table_name, checkpoints, schema)


def signing_key(path: str | None) -> Any:
    """The Ed25519 private key from --key, or from CADRE_LEDGER_SIGNING_KEY (a path or the PEM text)."""
    value = path or os.environ.get(SIGNING_KEY_ENV)
    if not value:
        raise UnusableInput(
            f"no signing key: pass --key FILE or set {SIGNING_KEY_ENV} (make one with keygen)")
    if value.lstrip().startswith("-----BEGIN"):
        tmp = Path(os.environ.get("TMPDIR", "/tmp")) / f".cadre-ledger-key-{os.getpid()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(value)
        try:
            return load_private_key(tmp)
        finally:
            tmp.unlink()
    return load_private_key(value)


def checkpoint(app: Any, key_path: str | None, now: datetime | None = None) -> dict[str, Any]:
    """A signed checkpoint of the sealed tree as it stands."""
    key = signing_key(key_path)
    with cursor(app) as (c, dialect, schema):
        head = sealing.current_head(c, dialect, schema)
    return make_checkpoint(head.size, head.root, key, now or datetime.now(timezone.utc))


def prove(app: Any, decision_id: str, checkpoint_path: str | None = None) -> dict[str, Any]:
    """An inclusion proof for one decision, tied to a saved checkpoint when given (consistency proof too)."""
    found = app.decision_hashes([decision_id])
    if decision_id not in found:
        raise NotFound(f"decision {decision_id} is not in the ledger")
    cp = load_checkpoint(checkpoint_path) if checkpoint_path else None
    with cursor(app) as (c, dialect, schema):
        position = _position_of(c, dialect, schema, decision_id)
        size = int(cp["tree_size"]) if cp else None
        if cp and sealing.current_head(c, dialect, schema).size < size:  # type: ignore[operator]
            raise UnusableInput(
                f"the checkpoint covers {size} events but this ledger has fewer; wrong ledger?")
        seal, tree_size, path, root = sealing.prove_inclusion(c, dialect, position, size, schema)
        if seal.leaf_index >= tree_size:
            raise UnusableInput(
                f"decision {decision_id} was recorded after the checkpoint; make a newer checkpoint")
        return make_inclusion_proof_doc(decision_id, position, seal.event_hash, seal.leaf_index, tree_size,
                                        path, root, checkpoint=cp, consistency_path=[] if cp else None)


def verify_stream(app: Any, aggregate_id: UUID) -> dict[int, str]:
    """For each event of one stream (by version): `verified` when its stored bytes match its seal.

    `NO SEAL` when it has none, `MISMATCH` when they differ, or when a stored value is NULL or (on SQLite)
    was stored with another type: a damaged row is marked, never a crash.
    """
    marks: dict[int, str] = {}
    table = app.recorder.events_table_name
    with cursor(app) as (c, dialect, schema):
        if dialect == "postgres":
            c.execute(f'SELECT e.originator_version, e.topic, e.state, s.event_hash, true '
                      f'FROM "{schema}"."{table}" e LEFT JOIN "{schema}".ledger_seals s '
                      "ON s.position = e.notification_id WHERE e.originator_id = %s "
                      "ORDER BY e.notification_id",
                      (aggregate_id,))
        else:
            c.execute("SELECT e.originator_version, CAST(e.topic AS BLOB), CAST(e.state AS BLOB), "
                      "CAST(s.event_hash AS BLOB), typeof(e.originator_version) = 'integer' AND "
                      "typeof(e.topic) = 'text' AND typeof(e.state) = 'blob' AND typeof(s.event_hash) IN "
                      f"('blob', 'null') FROM {table} e LEFT JOIN ledger_seals s ON s.position = e.rowid "
                      "WHERE e.originator_id = ? ORDER BY e.rowid", (aggregate_id.hex,))
        for version, topic, state, sealed, typed in c.fetchall():
            marks[version] = "NO SEAL" if sealed is None else "verified" if typed and _matches(
                aggregate_id, version, topic, state, sealed) else "MISMATCH"
    return marks


def _matches(aggregate_id: UUID, version: Any, topic: Any, state: Any, sealed: Any) -> bool:
    """Whether the stored values hash to the sealed event hash (False when they cannot be hashed at all)."""
    try:
        top = topic.decode() if isinstance(topic, bytes) else topic
        return bytes(sealed) == event_hash(aggregate_id.hex, version, top, bytes(state))
    except (AttributeError, TypeError, ValueError, OverflowError, struct.error):
        return False


def _position_of(c: Any, dialect: str, schema: str | None, decision_id: str) -> int:
    table = f'"{schema}".ledger_decisions' if dialect == "postgres" else "ledger_decisions"
    mark = "%s" if dialect == "postgres" else "?"
    c.execute(f"SELECT position FROM {table} WHERE decision_id = {mark}", (decision_id,))
    return int(c.fetchone()[0])


def summarize(report: VerifyReport) -> dict[str, Any]:
    """A verify report as plain data with a one-line message."""
    failed = [c for c in report.checkpoints if not c.ok]
    if report.reason:
        message = f"TAMPERED at position {report.first_bad_position}: {report.reason}"
    elif failed:
        message = f"TAMPERED: checkpoint of {failed[0].tree_size} events: {failed[0].reason}"
    else:
        held = f"; consistent with {len(report.checkpoints)} checkpoint(s)" if report.checkpoints else ""
        message = f"intact: {report.events:,} events, root {report.root.hex()}{held}"
    return {"ok": report.ok, "events": report.events, "root": report.root.hex(),
            "first_bad_position": report.first_bad_position, "reason": report.reason,
            "checkpoints": [{"tree_size": c.tree_size, "ok": c.ok, "reason": c.reason}
                            for c in report.checkpoints],
            "message": message}
