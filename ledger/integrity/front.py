"""The integrity room's front, what the command line calls: verify the whole log, sign a checkpoint, prove one
decision, and mark each event of one stream against its seal."""
from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from ledger.commitments import decision_ref
from ledger.errors import IntegrityFailure, NotFound, UnusableInput
from ledger.integrity.checkpoints import load_checkpoint, make_checkpoint, verify_checkpoint
from ledger.integrity.hashes import event_hash_2_of_digest, sealed_hash
from ledger.integrity.keys import load_public_key, signing_key
from ledger.integrity.proofs import make_inclusion_proof_doc
from ledger.integrity.stored_tree import Seal, current_head, prove_inclusion
from ledger.integrity.verify import VerifyReport, verify, verify_through
from ledger.storage.index import position_of
from ledger.storage.keyring import Keyring
from ledger.storage.session import Session
from ledger.storage.tables import LATER_SEAL_COLUMNS


def verify_ledger(
    session: Session, checkpoint_paths: Sequence[str] = (), public_key_path: str | None = None,
    progress: Callable[[int], object] | None = None,
) -> VerifyReport:
    """Recompute every seal from the stored bytes; check each checkpoint's signature and that the log
    extends it. `progress` is told how many more events were checked as the pass goes (for a progress bar
    over `max_notification_id` events)."""
    checkpoints = [load_checkpoint(p) for p in checkpoint_paths]
    if checkpoints:
        if public_key_path is None:
            raise UnusableInput("checking checkpoints needs the signer's public key: pass --public-key FILE")
        key = load_public_key(public_key_path)
        for cp in checkpoints:
            verify_checkpoint(cp, key)
    return verify(session, checkpoints, progress)


def checkpoint(session: Session, key_path: str | None, now: datetime | None = None) -> dict[str, Any]:
    """A signed checkpoint of the sealed tree as it stands, once the log is verified; refused (IntegrityFailure)
    on a tampered log. Taken while writers wait (where the database lets it), so that every event recorded
    after it is stamped later than its time."""
    key = signing_key(key_path)
    with session.quiet() as cursor:
        report = verify_through(cursor.connection, session.tables, (), session.seal_columns, session)
        if not report.ok:
            raise IntegrityFailure(f"the log is tampered, so it is not signed: {summarize(report)['message']}")
        signed = now or datetime.now(UTC)
    return make_checkpoint(report.events, report.root, key, signed)


def prove(session: Session, decision_id: str, checkpoint_path: str | None = None, keys: Keyring | None = None,
          name_of: Callable[[str], str] = str) -> dict[str, Any]:
    """An inclusion proof for one decision, tied to a saved checkpoint when given (consistency proof too).

    On an encrypted ledger (`keys`) the proof reveals the salts of its own decision reference and stream, so
    that it shows which decision and stream it binds without the key; `name_of` names a stream the index
    holds blinded."""
    position = position_of(session, keys.decision_ref(decision_id) if keys else decision_id)
    if position is None:
        raise NotFound(f"decision {decision_id} is not in the ledger; check the id (`cadre-ledger history` "
                       "lists a cadre's decisions)")
    cp = load_checkpoint(checkpoint_path) if checkpoint_path else None
    size = int(cp["tree_size"]) if cp else None
    sql = session.seal_sql
    with session.snapshot() as c:
        if size is not None and current_head(c.raw, sql).size < size:
            raise UnusableInput(f"the checkpoint covers {size} events but this ledger has fewer; wrong ledger?")
        seal, tree_size, path, root = prove_inclusion(c.raw, sql, position, size)
        leaf = _leaf(c, session, decision_id, position, seal)
    if keys is not None and leaf["format"] == 2:
        leaf["stream"] = name_of(leaf["stream"])
        for name, salt in (("decision_salt", keys.decision_salt(decision_id)),
                           ("stream_salt", keys.stream_salt(leaf["stream"]))):
            if salt is not None:
                leaf[name] = salt.hex()
    if seal.leaf_index >= tree_size:
        raise UnusableInput(f"decision {decision_id} was recorded after the checkpoint; make a newer checkpoint")
    if leaf["format"] == 2 and _leaf_hash(leaf) != seal.event_hash:
        raise IntegrityFailure(f"the decision index puts decision {decision_id} at position {position}, but the "
                               "event sealed there is another: the index was changed; run `cadre-ledger verify`")
    return make_inclusion_proof_doc(leaf, seal.event_hash, seal.leaf_index, tree_size, path, root, checkpoint=cp,
                                    consistency_path=[] if cp else None)


def _leaf(c: Any, session: Session, decision_id: str, position: int, seal: Seal) -> dict[str, Any]:
    """What the leaf of the event at `position` is made of, as a proof carries it."""
    t = session.tables
    if seal.format == 1:
        return {"decision_id": decision_id, "format": 1, "position": position}
    c.raw.execute(t.sql(f"SELECT e.topic, e.state, d.content_hash, d.stream FROM {t.events} e JOIN {t.decisions} d "
                        f"ON d.position = e.{t.position} WHERE e.{t.position} = ?"), (position,))
    topic, state, content_hash, stream = c.raw.fetchone()
    return {"decision_id": decision_id, "format": 2, "position": position, "stream": stream,
            "originator_id": seal.originator_id, "version": seal.originator_version, "topic": topic,
            "recorded_at": seal.recorded_at, "content_hash": content_hash,
            "state_sha256": hashlib.sha256(bytes(state)).hexdigest()}


def _leaf_hash(leaf: dict[str, Any]) -> bytes:
    """The event hash a format-2 leaf is made of."""
    salt = leaf.get("decision_salt")
    ref = decision_ref(leaf["decision_id"], bytes.fromhex(salt) if salt else None)
    return event_hash_2_of_digest(leaf["position"], leaf["originator_id"], leaf["version"], leaf["topic"],
                                  bytes.fromhex(leaf["state_sha256"]), ref, leaf["content_hash"],
                                  leaf["recorded_at"])


def verify_stream(session: Session, aggregate_id: UUID) -> dict[int, str]:
    """For each version of one stream: `verified` when its stored bytes match its seal.

    `NO SEAL` when it has none, `MISMATCH` when they differ, or when a stored value is NULL or (on SQLite)
    was stored with another type: a damaged row is marked, never a crash. A version missing between the
    first and the last (a deleted event) is `MISSING`, and so are versions the seals name that are gone.
    """
    t = session.tables
    later = ", ".join(f"s.{c}" if c in session.seal_columns else d for c, d in LATER_SEAL_COLUMNS)
    joined = (f"FROM {t.events} e LEFT JOIN {t.seals} s ON s.position = e.{t.position} "
              f"LEFT JOIN {t.decisions} d ON d.position = e.{t.position}")
    select = ("SELECT e.{pos}, e.originator_version, {topic}, {state}, {hash}, " + later
              + ", d.decision_id, d.content_hash, {typed} " + joined)
    with session.snapshot() as c:
        if session.dialect == "postgresql":
            c.raw.execute(select.format(pos=t.position, topic="e.topic", state="e.state", hash="s.event_hash",
                                        typed="true") + f" WHERE e.originator_id = %s ORDER BY e.{t.position}",
                          (aggregate_id,))
        else:
            typed = ("typeof(e.originator_version) = 'integer' AND typeof(e.topic) = 'text' AND "
                     "typeof(e.state) = 'blob' AND typeof(s.event_hash) IN ('blob', 'null')")
            c.raw.execute(select.format(pos="rowid", topic="CAST(e.topic AS BLOB)", state="CAST(e.state AS BLOB)",
                                        hash="CAST(s.event_hash AS BLOB)", typed=typed)
                          + " WHERE e.originator_id = ? ORDER BY e.rowid", (aggregate_id.hex,))
        rows = c.raw.fetchall()
        c.raw.execute(t.sql(f"SELECT originator_version FROM {t.seals} WHERE originator_id = ?"), (aggregate_id.hex,))
        sealed_versions = {int(r[0]) for r in c.raw.fetchall()}
    marks: dict[int, str] = {row[1]: _mark(aggregate_id, row) for row in rows}
    last = max([v for v in marks if isinstance(v, int)] + list(sealed_versions), default=0)
    marks.update({v: "MISSING" for v in range(1, last + 1) if v not in marks})
    return dict(sorted(marks.items()))


def _mark(aggregate_id: UUID, row: Sequence[Any]) -> str:
    """One event's mark (see `verify_stream`)."""
    position, version, topic, state, sealed, fmt, recorded_at, ref, content_hash, typed = row
    if sealed is None:
        return "NO SEAL"
    if not typed:
        return "MISMATCH"
    try:
        top = topic.decode() if isinstance(topic, bytes) else topic
        digest = sealed_hash((fmt, position, aggregate_id.hex, version, top, bytes(state), ref or "",
                              content_hash or "", recorded_at))
    except (AttributeError, TypeError, ValueError, OverflowError, struct.error):
        return "MISMATCH"
    return "verified" if bytes(sealed) == digest else "MISMATCH"


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
