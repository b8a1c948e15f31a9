"""The integrity room's front, what the command line calls: verify the whole log, sign a checkpoint, prove one
decision, and mark each event of one stream against its seal."""
from __future__ import annotations

import struct
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from ledger.errors import NotFound, UnusableInput
from ledger.integrity.checkpoints import load_checkpoint, make_checkpoint, verify_checkpoint
from ledger.integrity.hashes import event_hash
from ledger.integrity.keys import load_public_key, signing_key
from ledger.integrity.proofs import make_inclusion_proof_doc
from ledger.integrity.stored_tree import current_head, prove_inclusion
from ledger.integrity.verify import VerifyReport, verify
from ledger.storage.index import position_of
from ledger.storage.session import Session


def verify_ledger(
    session: Session, checkpoint_paths: Sequence[str] = (), public_key_path: str | None = None
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
    return verify(session, checkpoints)


def checkpoint(session: Session, key_path: str | None, now: datetime | None = None) -> dict[str, Any]:
    """A signed checkpoint of the sealed tree as it stands."""
    key = signing_key(key_path)
    with session.snapshot() as c:
        head = current_head(c.raw, session.tables)
    return make_checkpoint(head.size, head.root, key, now or datetime.now(UTC))


def prove(session: Session, decision_id: str, checkpoint_path: str | None = None) -> dict[str, Any]:
    """An inclusion proof for one decision, tied to a saved checkpoint when given (consistency proof too)."""
    position = position_of(session, decision_id)
    if position is None:
        raise NotFound(f"decision {decision_id} is not in the ledger")
    cp = load_checkpoint(checkpoint_path) if checkpoint_path else None
    size = int(cp["tree_size"]) if cp else None
    with session.snapshot() as c:
        if size is not None and current_head(c.raw, session.tables).size < size:
            raise UnusableInput(f"the checkpoint covers {size} events but this ledger has fewer; wrong ledger?")
        seal, tree_size, path, root = prove_inclusion(c.raw, session.tables, position, size)
    if seal.leaf_index >= tree_size:
        raise UnusableInput(f"decision {decision_id} was recorded after the checkpoint; make a newer checkpoint")
    return make_inclusion_proof_doc(decision_id, position, seal.event_hash, seal.leaf_index, tree_size,
                                    path, root, checkpoint=cp, consistency_path=[] if cp else None)


def verify_stream(session: Session, aggregate_id: UUID) -> dict[int, str]:
    """For each event of one stream (by version): `verified` when its stored bytes match its seal.

    `NO SEAL` when it has none, `MISMATCH` when they differ, or when a stored value is NULL or (on SQLite)
    was stored with another type: a damaged row is marked, never a crash.
    """
    t = session.tables
    joined = f"FROM {t.events} e LEFT JOIN {t.seals} s ON s.position = e.{t.position}"
    with session.snapshot() as c:
        if session.dialect == "postgresql":
            c.raw.execute(f"SELECT e.originator_version, e.topic, e.state, s.event_hash, true {joined} "
                          f"WHERE e.originator_id = %s ORDER BY e.{t.position}", (aggregate_id,))
        else:
            c.raw.execute("SELECT e.originator_version, CAST(e.topic AS BLOB), CAST(e.state AS BLOB), "
                          "CAST(s.event_hash AS BLOB), typeof(e.originator_version) = 'integer' AND "
                          "typeof(e.topic) = 'text' AND typeof(e.state) = 'blob' AND typeof(s.event_hash) IN "
                          f"('blob', 'null') {joined} WHERE e.originator_id = ? ORDER BY e.rowid",
                          (aggregate_id.hex,))
        rows = c.raw.fetchall()
    return {version: "NO SEAL" if sealed is None else "verified" if typed and _matches(
        aggregate_id, version, topic, state, sealed) else "MISMATCH"
            for version, topic, state, sealed, typed in rows}


def _matches(aggregate_id: UUID, version: Any, topic: Any, state: Any, sealed: Any) -> bool:
    """Whether the stored values hash to the sealed event hash (False when they cannot be hashed at all)."""
    try:
        top = topic.decode() if isinstance(topic, bytes) else topic
        return bytes(sealed) == event_hash(aggregate_id.hex, version, top, bytes(state))
    except (AttributeError, TypeError, ValueError, OverflowError, struct.error):
        return False


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
