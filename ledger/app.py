"""CadreLedger: the application. Records decisions and answers questions, returning plain data."""
from __future__ import annotations

import base64
import binascii
import os
import sqlite3
import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timezone
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import (
    DataError, MapperDeserialisationError, OperationalError, PersistenceError, StoredEvent, Transcoder,
)

from ledger.aggregate import Subject
from ledger.cadre import Cadre
from ledger.errors import NotFound, StorageError
from ledger.events import decision_of
from ledger.facts import Fact, known_at, named_posts
from ledger.importer import Importer, ImportReport, Line
from ledger.loader import SubjectLoader
from ledger.post import LeadershipPost
from ledger.store import Database, parse_url, storage_failure
from ledger.transcoder import MsgpackTranscoder
from ledger.unit import Unit
from ledger.workspace import PendingEvent

SNAPSHOT_INTERVAL = 100
CIPHER_KEY_ENV = "CADRE_LEDGER_CIPHER_KEY"
HANDOVER_SUMMARY = ("post", "announced_on", "due_on", "status", "outgoing", "incoming", "completed_on")


class CadreLedger(Application):
    """The cadre ledger over one database (SQLite file or PostgreSQL)."""

    name = "ledger"
    snapshot_interval = SNAPSHOT_INTERVAL

    def __init__(self, db: Database | str | None = None, *, env: dict[str, str] | None = None,
                 snapshot_interval: int | None = None) -> None:
        self.database = db if isinstance(db, Database) else parse_url(db)
        if snapshot_interval is not None:
            self.snapshot_interval = snapshot_interval
        settings = {**self.database.env(), "IS_SNAPSHOTTING_ENABLED": "y", **cipher_settings(), **(env or {})}
        self.loader = SubjectLoader(self, self.snapshot_interval)
        try:
            with self.database.opening():
                super().__init__(env=settings)
        except (PersistenceError, OSError, sqlite3.Error, *driver_errors()) as e:
            raise storage_failure(self.database, e, "open") from None

    def construct_transcoder(self) -> Transcoder:
        return MsgpackTranscoder()

    # --- writing -----------------------------------------------------------------------------
    def import_lines(self, lines: Iterable[Line], actor: str | None, **options: Any) -> ImportReport:
        """Validate and record decisions (see `Importer.run`)."""
        return Importer(self, actor).run(lines, **options)

    def decision_hashes(self, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        """Recorded decision ids among `ids`, with their content hash and stream."""
        return self.recorder.decision_hashes(ids)  # type: ignore[attr-defined]

    def load_subject(self, agg_id: UUID) -> Subject | None:
        """The aggregate with this id, or None. It is shared with a cache: never mutate what it returns."""
        try:
            return self.loader.load(agg_id)
        except MapperDeserialisationError as e:
            hint = (f"check {CIPHER_KEY_ENV}: the ledger is encrypted with another key, or not at all"
                    if "MAC" in str(e) or "ecrypt" in str(e) or self.mapper.cipher else "run `cadre-ledger verify`")
            raise StorageError(f"cannot read the stored events of {agg_id}: {_reason(e)}; {hint}") from None
        except (OperationalError, DataError) as e:
            if "decode" not in str(e).lower():
                raise
            reason = _reason(e).split(" with text")[0]
            raise StorageError(f"cannot read the stored events of {agg_id}: {reason}; a stored row was changed "
                               "outside the ledger: run `cadre-ledger verify` to find it") from None

    def write_events(self, pending: Sequence[PendingEvent]) -> None:
        """Encode and store events built by a `Workspace`, with their decision-index rows, in ONE transaction."""
        mapper = self.mapper
        stored = []
        for p in pending:
            state = mapper.transcoder.encode(p.state)
            if mapper.compressor:
                state = mapper.compressor.compress(state)
            if mapper.cipher:
                state = mapper.cipher.encrypt(state)
            stored.append(StoredEvent(originator_id=p.originator_id, originator_version=p.version, topic=p.topic,
                                      state=state))
        self.recorder.insert_events(stored, decisions=[p.index for p in pending])

    # --- reading -----------------------------------------------------------------------------
    def facts(self, cls: type[Subject], key: str, at: datetime | None = None) -> list[Fact]:
        """The facts of a subject known at `at` (all when None); NotFound when it is not registered."""
        subject = self.load_subject(cls.id_for(key))
        if subject is None:
            raise NotFound(f"{cls.subject_key} {key} is not in the ledger; check the number, or register it first")
        facts = known_at(subject.facts, at)
        if not facts:
            raise NotFound(f"{cls.subject_key} {key} was not yet in the ledger at {at.isoformat() if at else 'now'}")
        return facts

    def history(self, cadre: str | None = None, post: str | None = None, unit: str | None = None,
                at: datetime | None = None, verify: bool = False) -> list[dict[str, Any]]:
        """Every event of one stream in recorded order, as plain rows (with `verified` when asked)."""
        cls, key = (Cadre, cadre) if cadre else (LeadershipPost, post) if post else (Unit, unit)
        assert key is not None
        rows = [history_row(f, cls.subject_key) for f in self.facts(cls, key, at)]
        if verify:
            from ledger.audit import verify_stream

            marks = verify_stream(self, cls.id_for(key))
            for row in rows:
                row["verified"] = marks.get(row["seq"], "missing seal")
        return rows

    def status(self, cadre: str, as_of: date, at: datetime | None = None) -> dict[str, Any]:
        """The status document of SPEC "Status" for one cadre."""
        from ledger.status import compose_status

        moment = at or datetime.now(timezone.utc)
        facts = self.facts(Cadre, cadre, at)
        posts = named_posts(facts, lambda post: self.post_info(post, at))
        handovers = [{k: h.get(k) for k in HANDOVER_SUMMARY} for h in self.cadre_handovers(cadre, as_of, at)]
        return compose_status(facts, as_of, moment, posts=posts, handovers=handovers)

    def post_info(self, post: str, at: datetime | None = None) -> dict[str, Any] | None:
        """A registered post's register fields, or None."""
        subject = self.load_subject(LeadershipPost.id_for(post))
        facts = known_at(subject.facts, at) if subject is not None else []
        if not facts:
            return None
        return {k: facts[0].get(k) for k in ("role", "post_level", "title", "unit", "principal")}

    def handovers(self, as_of: date, at: datetime | None = None) -> list[dict[str, Any]]:
        """Every handover announced on or before `as_of`, across all posts."""
        from ledger.rules.handover import compute_handovers

        rows: list[dict[str, Any]] = []
        for stream in self.recorder.streams_with("leadership-change"):  # type: ignore[attr-defined]
            subject = self.load_subject(LeadershipPost.id_for(stream.split("/", 1)[1]))
            if subject is not None:
                rows += compute_handovers(known_at(subject.facts, at), as_of)
        return rows

    def cadre_handovers(self, cadre: str, as_of: date, at: datetime | None = None) -> list[dict[str, Any]]:
        """The handovers a cadre is party to, as outgoing or incoming leader (posts found via the read models)."""
        from ledger.rules.handover import compute_handovers

        if at is not None:
            return [h for h in self.handovers(as_of, at) if cadre in (h.get("outgoing"), h.get("incoming"))]
        rows: list[dict[str, Any]] = []
        for post in self.read_models.posts_of(cadre):
            subject = self.load_subject(LeadershipPost.id_for(post))
            if subject is not None:
                rows += [h for h in compute_handovers(subject.facts, as_of)
                         if cadre in (h.get("outgoing"), h.get("incoming"))]
        return rows

    # --- cross-cadre reads (through the read models) -------------------------------------------------------
    @property
    def read_models(self) -> Any:
        """The tracked reporting tables in this database."""
        if getattr(self, "_read_models", None) is None:
            from projections.service import ReadModels

            self._read_models = ReadModels(self)
        return self._read_models

    def reports(self, as_of: date, at: datetime | None = None, which: str | None = None) -> list[dict[str, Any]]:
        """Reports about cadres as of `as_of`: all, or those `open`, `overdue` or `clarified` (R-REPORT)."""
        from ledger.rules.reports import compute_reports

        rows: list[dict[str, Any]] = []
        for cadre in self.read_models.report_cadres(as_of, at):
            found = compute_reports(self.facts(Cadre, cadre, at), as_of)
            groups = [which] if which else ["open", "overdue", "deferred", "closed", "clarified"]
            seen: set[str] = set()
            for group in groups:
                for row in found.get(f"{group}_reports", []):
                    if which or row["report"] not in seen:
                        seen.add(row["report"])
                        rows.append({"cadre": cadre, "standing": group, **row})
        return rows

    def case(self, case: str, at: datetime | None = None) -> list[dict[str, Any]]:
        """Every decision recorded under one case number (一案双查), the organisation's and its leaders'."""
        from ledger.workspace import SUBJECTS

        rows = []
        for ref in self.read_models.case_rows(case, at):
            kind, key = ref["stream"].split("/", 1)
            facts = {f["id"]: f for f in self.facts(SUBJECTS[kind], key, at)}
            fact = facts.get(ref["decision_id"])
            if fact is not None:
                rows.append({"stream": ref["stream"], **history_row(fact, kind)})
        return rows

    def handover_record(self, post: str, announced: date, as_of: date, at: datetime | None = None) -> dict[str, Any]:
        """The full handover record a supervisor signs: items by category, the outgoing leader's 实绩清单, signoffs."""
        from ledger.rules.handover import compute_handovers

        facts = self.facts(LeadershipPost, post, at)
        found = [h for h in compute_handovers(facts, as_of) if h["announced_on"] == announced]
        if not found:
            dates = ", ".join(str(h["announced_on"]) for h in compute_handovers(facts, as_of)) or "none"
            raise NotFound(f"no handover of {post} was announced on {announced}; its handovers: {dates}")
        record = dict(found[-1])
        by_category: dict[str, list[dict[str, Any]]] = {}
        for item in record.get("items", []):
            by_category.setdefault(item["category"], []).append(item)
        record["items_by_category"] = by_category
        outgoing = record.get("outgoing")
        record["outgoing_performance"] = [
            {k: f.get(k) for k in ("id", "on", "title", "category", "year", "detail", "verified_by")}
            for f in (self.facts(Cadre, outgoing, at) if outgoing else [])
            if f["type"] == "performance-entry" and f["on"] <= as_of
        ]
        return record


def history_row(fact: Fact, subject_key: str) -> dict[str, Any]:
    """One history row: decision id, type, effective date, recorded time, actor and the decision."""
    return {
        "seq": fact["seq"], "id": fact["id"], "type": fact["type"], "effective_on": fact["on"],
        "recorded_at": fact["recorded_at"], "actor": fact["actor"],
        "decision": decision_of(fact, subject_key),
    }


def driver_errors() -> tuple[type[BaseException], ...]:
    """The PostgreSQL driver's base error, when the driver is loaded (it is only for PostgreSQL ledgers)."""
    psycopg = sys.modules.get("psycopg")
    return (psycopg.Error,) if psycopg is not None else ()


def cipher_settings() -> dict[str, str]:
    """AES-GCM encryption of stored state when CADRE_LEDGER_CIPHER_KEY is set (base64 of 16, 24 or 32 bytes)."""
    key = os.environ.get(CIPHER_KEY_ENV, "").strip()
    if not key:
        return {}
    try:
        if len(base64.b64decode(key, validate=True)) not in (16, 24, 32):
            raise ValueError
    except (ValueError, binascii.Error):
        raise StorageError(f"{CIPHER_KEY_ENV} must be base64 of 16, 24 or 32 random bytes, e.g. the output of "
                           "python -c \"import os,base64;print(base64.b64encode(os.urandom(32)).decode())\"") from None
    return {"CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher", "CIPHER_KEY": key}


def _reason(e: BaseException) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return text
