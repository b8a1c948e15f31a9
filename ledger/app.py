"""CadreLedger: the application. Records decisions and loads subjects, returning plain data."""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import DataError, MapperDeserialisationError, OperationalError, Transcoder
from eventsourcing.utils import TopicError

from ledger.aggregate import Subject
from ledger.cadre import Cadre
from ledger.decisions import sha256_hex
from ledger.errors import NotFound, StorageError
from ledger.events import decision_of
from ledger.facts import Fact, known_at, post_register
from ledger.fastpaths import UNREADABLE, PendingEvent, SubjectLoader, decode_state, encode, event_class, fact_of
from ledger.importer import Importer, ImportReport, Line
from ledger.integrity.sealing import RECORDER_TOPICS
from ledger.post import LeadershipPost
from ledger.storage import index
from ledger.storage.failures import driver_errors, first_line, storage_failure
from ledger.storage.keyring import Keyring
from ledger.storage.meta import KEY_ENV, checked_key, settle
from ledger.storage.probe import Access, probe
from ledger.storage.session import Session
from ledger.storage.transcoder import MsgpackTranscoder
from ledger.storage.url import Database, parse_url
from ledger.subjects import SUBJECTS
from ledger.topics import SNAPSHOT_INTERVAL

# what replaying a stored state that was changed into other valid bytes can raise (missing or mistyped fields)
REPLAY_ERRORS = (AttributeError, KeyError, TypeError, ValueError, IndexError, ArithmeticError)


class CadreLedger(Application):
    """The cadre ledger over one database (SQLite file or PostgreSQL)."""

    name = "ledger"
    snapshot_interval = SNAPSHOT_INTERVAL

    def __init__(self, db: Database | str | None = None, *, env: dict[str, str] | None = None,
                 snapshot_interval: int | None = None, mode: Literal["write", "read"] = "write",
                 keyless: bool = False) -> None:
        """Open the ledger at `db` to write (creating it, or the tables an earlier release lacks) or to read
        (it must exist; nothing is created or changed, and a read-only file or session is opened as such).

        The key is CADRE_LEDGER_CIPHER_KEY; a key the ledger does not know (or none, for an encrypted ledger)
        is refused in one line, unless `keyless` asks to read what needs no key (the sealed log alone)."""
        self.database = db if isinstance(db, Database) else parse_url(db)
        if snapshot_interval is not None:
            self.snapshot_interval = snapshot_interval
        key = checked_key(os.environ.get(KEY_ENV))
        cipher = {"CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher", "CIPHER_KEY": key} if key else {}
        settings = {**self.database.env(), "APPLICATION_RECORDER_TOPIC": RECORDER_TOPICS[self.database.kind],
                    "IS_SNAPSHOTTING_ENABLED": "y", **cipher}
        self.access = Access(True) if mode == "write" else probe(self.database)
        if mode == "read":
            settings["CREATE_TABLE"] = "n"
            if self.access.sqlite_uri:
                settings["SQLITE_DBNAME"] = self.access.sqlite_uri
        settings.update(env or {})
        self.mode = mode
        self.loader = SubjectLoader(self, self.snapshot_interval, keep_snapshots=self.access.writable)
        try:
            with self.database.opening(lock=mode == "write"):
                super().__init__(env=settings)
        except driver_errors() as e:
            raise storage_failure(self.database, e, "open") from None
        self.session = Session(self.database, self.recorder.datastore)  # type: ignore[attr-defined]
        keying = settle(self.session, key, self.writable and mode == "write", self._decodes)
        self.key_problem = keying.problem  # what is wrong with the key given, when `keyless` let it pass
        self.keys: Keyring | None = keying.keyring if keyless and mode == "read" else keying.required()

    def _decodes(self, state: bytes, keyed: bool) -> bool:
        """Whether a stored state reads as an event's state: with the ledger's key (`keyed`), or as it is."""
        try:
            data = self.mapper.cipher.decrypt(state) if keyed and self.mapper.cipher else state
            decoded = self.mapper.transcoder.decode(data)
        except Exception:  # noqa: BLE001 - anything that does not decode does not read as a state
            return False
        return isinstance(decoded, dict) and "timestamp" in decoded

    @property
    def writable(self) -> bool:
        """Whether this process may write to the ledger (reads on a read-only copy or session may not)."""
        return self.access.writable

    def construct_transcoder(self) -> Transcoder:
        return MsgpackTranscoder()

    @property
    def encrypted(self) -> bool:
        """Whether stored states are encrypted at rest."""
        return self.mapper.cipher is not None

    def id_of(self, cls: type[Subject], key: str) -> UUID:
        """The aggregate id of a subject: keyed on an encrypted ledger, uuid5 of its stream name otherwise."""
        return self.keys.stream_id(cls.stream(key)) if self.keys is not None else cls.id_for(key)

    def stream_id(self, stream: str) -> UUID:
        """The aggregate id of a stream as the decision index names it (`cadre/HB-1`, or `unit/#…` blinded)."""
        kind, key = stream.split("/", 1)
        blinded = self.keys.blinded_id(key) if self.keys is not None and kind == "unit" else None
        return blinded or self.id_of(SUBJECTS[kind], key)

    def content_hasher(self, data: bytes) -> str:
        """The content hash of a decision's canonical bytes: HMAC under the key on an encrypted ledger."""
        return self.keys.content_hash(data) if self.keys is not None else sha256_hex(data)

    # --- writing -----------------------------------------------------------------------------
    def import_lines(self, lines: Iterable[Line], actor: str | None, **options: Any) -> ImportReport:
        """Validate and record decisions (see `Importer.run`)."""
        return Importer(self, actor).run(lines, **options)

    def decision_hashes(self, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        """Recorded decision ids among `ids`, with their content hash and stream (as the index holds them)."""
        if self.keys is None:
            return index.recorded(self.session, ids)
        refs = {self.keys.decision_ref(d_id): d_id for d_id in ids}
        return {refs[ref]: found for ref, found in index.recorded(self.session, list(refs)).items()}

    def write_events(self, pending: Sequence[PendingEvent]) -> None:
        """Store events built by a `Workspace` with their decision-index rows and seals, in ONE transaction,
        stamped with their recording time inside it (once the write lock is held). On an encrypted ledger the
        index names each decision by its keyed reference, and a unit's stream blinded."""
        recorder: Any = self.recorder
        keys = self.keys
        entries = [p.index for p in pending] if keys is None else [
            (keys.decision_ref(d_id), chash, keys.stored_stream(stream), dtype, oid, version)
            for d_id, chash, stream, dtype, oid, version in (p.index for p in pending)]
        recorder.insert_stamped(lambda now: encode(self.mapper, pending, now), entries, len(pending))

    # --- reading -----------------------------------------------------------------------------
    def load_subject(self, agg_id: UUID) -> Subject | None:
        """The aggregate with this id, or None. It is shared with a cache: never mutate what it returns."""
        try:
            return self.loader.load(agg_id)
        except (MapperDeserialisationError, TopicError) as e:
            raise self.unreadable(f"the stored events of {agg_id}", e, self.damage(agg_id)) from None
        except (OperationalError, DataError) as e:
            if "decode" not in str(e).lower():
                raise
            reason = first_line(e).split(" with text")[0]
            raise StorageError(f"cannot read the stored events of {agg_id}: {reason}; a stored row was changed "
                               "outside the ledger: run `cadre-ledger verify` to find it") from None
        except REPLAY_ERRORS as e:  # a stored state that decodes, but not to the event it was
            raise self.damaged(agg_id, str(agg_id), e) from None

    @contextmanager
    def reading(self, agg_id: UUID, stream: str) -> Iterator[None]:
        """Around work on one subject's facts: an error explained by its stored rows no longer matching their
        seals (or its snapshot, its events) becomes that one-line error; any other error is a bug and passes."""
        try:
            yield
        except REPLAY_ERRORS as e:
            raise self.damaged(agg_id, stream, e) from None

    def damaged(self, agg_id: UUID, stream: str, error: Exception) -> StorageError:
        """The one-line error for `error` met while reading a damaged stream; `error` itself, raised again, when
        the stream is as sealed and its snapshot as its events (then it is a bug, not damage)."""
        damage = self.damage(agg_id)
        if damage is None:
            raise error
        return self.unreadable(f"the stored events of {stream}", error, damage)

    def unreadable(self, what: str, error: BaseException, damage: str | None = None) -> StorageError:
        """The one-line error for stored rows that cannot be read: another key, or a row changed outside the ledger."""
        cause = error.__cause__ if isinstance(error, MapperDeserialisationError) and error.__cause__ else error
        where = f"{what} ({damage})" if damage else what
        text = str(cause)
        if self.encrypted or "MAC" in text or "ecrypt" in text or "cipher" in text:
            hint = (f"check {KEY_ENV}: the ledger is encrypted with another key, or not at all; "
                    "else run `cadre-ledger verify`")
        else:
            hint = "it was changed outside the ledger: run `cadre-ledger verify` to find every damaged position"
        reason = f"{type(cause).__name__}: {first_line(cause)}" if text.strip() else type(cause).__name__
        return StorageError(f"cannot read {where}: {reason}; {hint}")

    def damage(self, agg_id: UUID) -> str | None:
        """What was changed in a stream outside the ledger: its first event that no longer matches its seal
        (`v3: does not match its seal`), else a snapshot that is not the replay of its events, else None."""
        from ledger.integrity.front import verify_stream

        for version, mark in sorted(verify_stream(self.session, agg_id).items()):
            if mark != "verified":
                return f"v{version}: {'no seal' if mark == 'NO SEAL' else 'does not match its seal'}"
        return self.loader.snapshot_damage(agg_id)

    def facts(self, cls: type[Subject], key: str, at: datetime | None = None) -> list[Fact]:
        """The facts of a subject known at `at` (all when None); NotFound when it is not registered."""
        subject = self.load_subject(self.id_of(cls, key))
        if subject is None:
            raise NotFound(f"{cls.subject_key} {key} is not in the ledger; check the number, or register it first")
        facts = known_at(subject.facts, at)
        if not facts:
            raise NotFound(f"{cls.subject_key} {key} was not yet in the ledger at {at.isoformat() if at else 'now'}")
        return facts

    def stream_facts(self, stream: str, at: datetime | None = None) -> list[Fact]:
        """The facts of a stream (`cadre/HB-1`, `post/…`, `unit/…`) known at `at`."""
        kind, key = stream.split("/", 1)
        return self.facts(SUBJECTS[kind], key, at)

    def history(self, cadre: str | None = None, post: str | None = None, unit: str | None = None,
                at: datetime | None = None, verify: bool = False) -> list[dict[str, Any]]:
        """Every event of one stream in recorded order, as plain rows (with `verified` when asked)."""
        kind, key = next((k, v) for k, v in (("cadre", cadre), ("post", post), ("unit", unit)) if v is not None)
        cls = SUBJECTS[kind]
        if not verify:
            return [history_row(f, kind) for f in self.facts(cls, key, at)]
        from ledger.integrity.front import verify_stream

        self.facts(cls, key, at)  # the same NotFound as without --verify
        agg_id = self.id_of(cls, key)
        marks = verify_stream(self.session, agg_id)
        rows = []
        for stored in self.recorder.select_events(agg_id):  # the events alone: no snapshot, no gap check
            try:
                state = decode_state(self.mapper, stored.topic, stored.state, agg_id, stored.originator_version)
                fact = fact_of(state, event_class(stored.topic).decision_type, stored.originator_version, kind, key)
            except UNREADABLE:
                fact = None
            if fact is None or at is None or fact["recorded_at"] <= at:
                row = history_row(fact, kind) if fact else _blank_row(stored.originator_version)
                rows.append({**row, "verified": marks.get(stored.originator_version, "missing seal")})
        shown = {row["seq"] for row in rows}
        rows += [{**_blank_row(version), "verified": mark} for version, mark in marks.items()
                 if version not in shown and mark == "MISSING"]
        return sorted(rows, key=lambda row: row["seq"])

    def post_info(self, post: str, at: datetime | None = None) -> dict[str, Any] | None:
        """A registered post's register fields, or None."""
        subject = self.load_subject(self.id_of(LeadershipPost, post))
        return post_register(known_at(subject.facts, at) if subject is not None else [])

    def streams(self, decision_type: str | None = None) -> list[str]:
        """Every stream in the ledger, or those with a decision of `decision_type` (a unit's by its name, also
        where the index holds it blinded)."""
        return sorted(self.stream_name(s) for s in index.streams(self.session, decision_type))

    def stream_name(self, stored: str) -> str:
        """A stream's name from the name the decision index holds (a blinded unit's, from its first event)."""
        blinded = self.keys.blinded_id(stored.split("/", 1)[1]) if self.keys is not None else None
        if blinded is None:
            return stored
        subject = self.load_subject(blinded)
        return f"unit/{subject.key}" if subject is not None else stored

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


def _blank_row(version: int) -> dict[str, Any]:
    """A history row for a version whose event is gone or cannot be read."""
    return {"seq": version, "id": None, "type": None, "effective_on": None, "recorded_at": None, "actor": None,
            "decision": {}}
