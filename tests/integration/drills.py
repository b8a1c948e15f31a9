"""Tamper drills' support: a recorded ledger with a saved checkpoint, and raw SQL on its own tables, as an
intruder with a database client would use it."""
from __future__ import annotations

import copy
import json
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
from click.testing import CliRunner, Result

from cli import cli
from ledger.examples import EXAMPLES
from ledger.integrity.front import checkpoint
from ledger.integrity.hashes import moment_of
from ledger.integrity.keys import generate_keypair
from ledger.integrity.sealing import Stamp, seal, stored_head
from ledger.storage.tables import Tables


class Drill:
    """A recorded ledger with a saved checkpoint, and raw SQL on its own tables."""

    def __init__(self, app: Any, url: str, folder: Path) -> None:
        self.app, self.url, self.folder = app, url, folder
        self.sqlite = app.database.kind == "sqlite"
        self.tables: Tables = app.session.tables
        self.events, self.seals, self.nodes, self.head = (
            self.tables.events, self.tables.seals, self.tables.nodes, self.tables.head)
        self.pos = "rowid" if self.sqlite else "notification_id"

    def sql(self, statement: str, params: tuple[Any, ...] = ()) -> list[Any]:
        """Run one statement and commit, as an intruder with a database client would."""
        if self.sqlite:
            with sqlite3.connect(self.app.database.path) as conn:
                return conn.execute(statement, params).fetchall()
        statement = statement.replace("?", "%s")
        with psycopg.connect(urlsplit(self.url)._replace(query="").geturl()) as conn:
            cursor = conn.execute(statement, params)
            return cursor.fetchall() if cursor.description else []

    def position(self, decision_id: str) -> int:
        return int(self.sql(f"SELECT position FROM {self.tables.decisions} WHERE decision_id = ?",
                            (decision_id,))[0][0])

    def state(self, position: int) -> bytes:
        return bytes(self.sql(f"SELECT state FROM {self.events} WHERE {self.pos} = ?", (position,))[0][0])

    def set_state(self, position: int, state: bytes) -> None:
        self.sql(f"UPDATE {self.events} SET state = ? WHERE {self.pos} = ?", (state, position))

    def reseal(self) -> None:
        """What a thorough forger does after changing rows: drop every seal and seal the rows afresh, each with
        its decision-index row and the recording time its seal had."""
        self.reseal_with({})

    def reseal_with(self, recorded_at: dict[int, int]) -> None:
        """`reseal`, giving the events at some positions another recording time (µs)."""
        recorded = {**dict(self.sql(f"SELECT position, recorded_at FROM {self.seals}")), **recorded_at}
        for table in (self.seals, self.nodes, self.head):
            self.sql(f"DELETE FROM {table}")
        oid = "e.originator_id" if self.sqlite else "replace(e.originator_id::text, '-', '')"
        rows = self.sql(f"SELECT e.{self.pos}, {oid}, e.originator_version, e.topic, e.state, d.decision_id, "
                        f"d.content_hash FROM {self.events} e LEFT JOIN {self.tables.decisions} d "
                        f"ON d.position = e.{self.pos} ORDER BY e.{self.pos}")
        with self.connect() as conn:
            cursor = conn.cursor()
            for p, o, v, t, s, ref, chash in rows:
                now = moment_of(recorded.get(p) or max(recorded.values()))
                seal(cursor, self.tables, [(p, o, v, t, bytes(s), ref or "", chash or "")],
                     Stamp(now, stored_head(cursor, self.tables.seal_sql)))

    def connect(self) -> Any:
        """A plain connection to the ledger's database, as an intruder's client would open."""
        if self.sqlite:
            return sqlite3.connect(self.app.database.path)
        return psycopg.connect(urlsplit(self.url)._replace(query="").geturl())

    def cli(self, *args: str) -> Result:
        return CliRunner().invoke(cli, ["--db", self.url, *args], catch_exceptions=False)

    def verify(self, *args: str) -> Result:
        return self.cli("verify", *args)

    @property
    def public_key(self) -> str:
        return str(self.folder / "ledger.pub")

    def verify_against(self, checkpoint_file: str) -> Result:
        return self.verify("--checkpoint", checkpoint_file, "--public-key", self.public_key)

    def verify_with_checkpoint(self) -> Result:
        return self.verify_against(str(self.folder / "cp.json"))

    def saved_checkpoint(self) -> dict[str, Any]:
        return dict(json.loads((self.folder / "cp.json").read_text()))

    def write(self, name: str, doc: Any) -> str:
        path = self.folder / name
        path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
        return str(path)


def recorded_drill(ledger: Any, db_url: str, folder: Path) -> Drill:
    """The example decisions recorded, a key pair made and a checkpoint of the log saved as cp.json."""
    assert not ledger.import_lines(list(enumerate(copy.deepcopy(EXAMPLES), 1)), "clerk").errors
    generate_keypair(folder / "ledger.key", folder / "ledger.pub")
    (folder / "cp.json").write_text(json.dumps(checkpoint(ledger.session, str(folder / "ledger.key"))))
    return Drill(ledger, db_url, folder)


def tampered_at(result: Result, position: int) -> str:
    """The one-line reason, after checking exit 1 and the position."""
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"TAMPERED at position {position}: "), result.output
    assert result.output.count("\n") == 1
    return result.output
