"""cadre-ledger: the command line. Each command parses, makes one call into ledger/ or projections/, renders."""
from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from datetime import date, datetime, timezone
from typing import Any

import click

from ledger.errors import LedgerError
from ledger.record_commands import RecordGroup
from ledger.render import dumps, fields_line, format_first_report, to_csv, to_jsonable, to_sections, to_table

try:
    from zoneinfo import ZoneInfo

    CHINA = ZoneInfo("Asia/Shanghai")
except Exception:  # pragma: no cover - no tz database on the machine
    from datetime import timedelta

    CHINA = timezone(timedelta(hours=8))  # type: ignore[assignment]

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 110}


# --- shared option parsing -----------------------------------------------------------------------
def today_in_china() -> date:
    """Today's date in Asia/Shanghai: the default --as-of."""
    return datetime.now(CHINA).date()


def parse_as_of(_ctx: Any, _param: Any, value: str | None) -> date:
    if value is None:
        return today_in_china()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; write YYYY-MM-DD, e.g. 2026-03-09") from None


def parse_known_at(_ctx: Any, _param: Any, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not an ISO 8601 timestamp; write e.g. 2025-08-01T00:00:00Z or 2025-08-01T08:00+08:00"
        ) from None
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def time_axes(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--as-of (valid time) and --known-at (transaction time)."""
    fn = click.option("--known-at", callback=parse_known_at, metavar="TIMESTAMP",
                      help="What the ledger said at this moment (ISO 8601; naive = UTC). Default: now.")(fn)
    return click.option("--as-of", callback=parse_as_of, metavar="DATE",
                        help="The date the status is for (YYYY-MM-DD). Default: today in Asia/Shanghai.")(fn)


def output_format(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--json / --csv / table (default) for listing commands."""
    fn = click.option("--csv", "as_csv", is_flag=True, help="Print CSV with a header row.")(fn)
    return click.option("--json", "as_json", is_flag=True, help="Print JSON.")(fn)


def emit(rows: list[dict[str, Any]], as_json: bool, as_csv: bool, columns: list[str] | None = None) -> None:
    """Print rows in the chosen format."""
    if as_json:
        click.echo(dumps(rows))
    elif as_csv:
        click.echo(to_csv(rows, columns), nl=False)
    else:
        click.echo(to_table(rows, columns))


class Env:
    """What every command shares: the database URL and the actor; the ledger opens on first use."""

    def __init__(self, db: str | None, actor: str | None) -> None:
        self.db, self.actor = db, actor
        self._ledger: Any = None

    @property
    def ledger(self) -> Any:
        if self._ledger is None:
            from ledger.app import CadreLedger

            self._ledger = CadreLedger(self.db)
        return self._ledger


pass_env = click.make_pass_decorator(Env)


class LedgerGroup(click.Group):
    """A group that turns the ledger's own errors into one-line messages with their exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LedgerError as e:
            raise Refused(e.message, e.exit_code) from None


class Refused(click.ClickException):
    """A refusal or unusable input, shown as `error: …`."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.message}", err=True)


@click.group(cls=LedgerGroup, context_settings=CONTEXT)
@click.option("--db", envvar="CADRE_LEDGER_DB", metavar="URL",
              help="Database: a file path, sqlite:///path, or postgresql://user:pw@host:port/db. "
                   "Env CADRE_LEDGER_DB. Default: ./cadre-ledger.db")
@click.option("--actor", envvar="CADRE_LEDGER_ACTOR", metavar="NAME",
              help="Who records the decisions (required for writes). Env CADRE_LEDGER_ACTOR.")
@click.version_option(package_name="cadre-ledger")
@click.pass_context
def cli(ctx: click.Context, db: str | None, actor: str | None) -> None:
    """An event-sourced, tamper-evident audit ledger of cadre (干部) records.

    \b
    Example:
      cadre-ledger demo
      cadre-ledger --actor 组织部-王 import decisions.jsonl
      cadre-ledger show HB-000123 --as-of 2026-03-09
    """
    ctx.obj = Env(db, actor)
    ctx.call_on_close(lambda: ctx.obj._ledger and ctx.obj._ledger.close())


# --- writing -------------------------------------------------------------------------------------
@cli.command("import", context_settings=CONTEXT)
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--dry-run", is_flag=True, help="Validate only; write nothing.")
@click.option("--skip-invalid", is_flag=True, help="Write the valid lines and report the invalid ones.")
@pass_env
def import_cmd(env: Env, file: Any, dry_run: bool, skip_invalid: bool) -> None:
    """Record decisions from a JSON Lines file (or - for stdin).

    Every line is validated first; a file with any invalid line writes nothing unless --skip-invalid.
    Re-importing a file is a no-op (decisions are idempotent by id).

    \b
    Example:
      cadre-ledger --actor 组织部-王 import decisions.jsonl
      cat decisions.jsonl | cadre-ledger --actor 组织部-王 import - --dry-run
    """
    from ledger.importer import read_jsonl

    total = _count_lines(file) if not dry_run else 0
    lines = read_jsonl(file)  # streamed: the file is never held in memory as text or raw JSON
    with _bar(total, "recording") as bar:
        report = env.ledger.import_lines(lines, env.actor, dry_run=dry_run, skip_invalid=skip_invalid,
                                         progress=bar.update if bar else None)
    for message in report.errors:
        click.echo(message, err=True)
    click.echo(report.summary())
    if report.errors and not skip_invalid:
        click.echo("nothing was written: fix the lines above, or use --skip-invalid to write the valid ones",
                   err=True)
        sys.exit(1)


def _count_lines(file: Any) -> int:
    """Lines in a regular file (for the progress bar), 0 for a pipe or when nobody watches."""
    name = getattr(file, "name", "")
    if not sys.stderr.isatty() or not name or name == "<stdin>" or not os.path.isfile(name):
        return 0
    with open(name, "rb") as raw:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: raw.read(1 << 20), b""))


class _null:
    def __enter__(self) -> Any:
        return None

    def __exit__(self, *_: Any) -> None:
        return None


# --- record TYPE: one command per decision type, generated from the decision table ----------------
def _record_one(env: Env, raw: dict[str, Any]) -> None:
    report = env.ledger.import_lines([(1, raw)], env.actor)
    if report.errors:
        raise Refused(report.errors[0].removeprefix("line 1: "))
    if report.recorded:
        click.echo(f"recorded {report.ids[0]}")
    else:
        click.echo(f"already recorded {raw.get('id') or '(same content)'}")


@cli.group(cls=RecordGroup, run_decision=_record_one, context_settings=CONTEXT)
def record() -> None:
    """Record one decision, with options named after its fields (the same checks as import).

    \b
    Example:
      cadre-ledger --actor 组织部-王 record sanction HB-1 --kind demerit --authority-kind supervisory \\
          --on 2025-03-10 --doc "鄂纪〔2025〕12号"
      cadre-ledger record assessment --help
    """


# --- reading -------------------------------------------------------------------------------------
@cli.command(context_settings=CONTEXT)
@click.argument("cadre", required=False)
@click.option("--post", help="The history of a leading post instead of a cadre.")
@click.option("--unit", help="The history of a unit (一案双查) instead of a cadre.")
@click.option("--known-at", callback=parse_known_at, metavar="TIMESTAMP", help="Only events recorded by then.")
@click.option("--verify", "verify_seals", is_flag=True, help="Check each event against its seal.")
@output_format
@pass_env
def history(env: Env, cadre: str | None, post: str | None, unit: str | None, known_at: datetime | None,
            verify_seals: bool, as_json: bool, as_csv: bool) -> None:
    """Every event of a cadre (or post, or unit) in recorded order.

    \b
    Example:
      cadre-ledger history HB-000123
      cadre-ledger history --post YC-YL-PARTY-SECRETARY --json
      cadre-ledger history HB-000123 --verify
    """
    if sum(x is not None for x in (cadre, post, unit)) != 1:
        raise click.UsageError("name one cadre, or --post POST, or --unit UNIT")
    rows = env.ledger.history(cadre=cadre, post=post, unit=unit, at=known_at, verify=verify_seals)
    if as_json:
        click.echo(dumps(rows))
        return
    flat = [{k: v for k, v in r.items() if k != "decision"} | {"fields": fields_line(r["decision"])} for r in rows]
    emit(flat, False, as_csv)


@cli.command(context_settings=CONTEXT)
@click.argument("cadre")
@time_axes
@click.option("--json", "as_json", is_flag=True, help="Print the status document as JSON.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", help="Labels in English or Chinese.")
@pass_env
def show(env: Env, cadre: str, as_of: date, known_at: datetime | None, as_json: bool, lang: str) -> None:
    """A cadre's status: impact periods, promotability, triggers, rank eligibility.

    \b
    Example:
      cadre-ledger show HB-000123
      cadre-ledger show HB-000123 --as-of 2025-07-01 --known-at 2025-08-01T00:00:00Z --json
      cadre-ledger show HB-000123 --lang zh
    """
    status = env.ledger.status(cadre, as_of, known_at)
    click.echo(dumps(status) if as_json else to_sections(status, lang))


@cli.command("list", context_settings=CONTEXT)
@click.option("--expiring-within", type=click.IntRange(min=0), metavar="DAYS",
              help="Only cadres with a running period that ends within DAYS after --as-of.")
@click.option("--flagged", is_flag=True, help="Only cadres with a raised trigger awaiting determination.")
@click.option("--not-promotable", is_flag=True, help="Only cadres who may not be promoted (R-BLOCK).")
@click.option("--pool", is_flag=True, help="Only cadres in the 敢做善成 pool.")
@click.option("--unit", help="Only cadres of this unit.")
@time_axes
@output_format
@pass_env
def list_cmd(env: Env, expiring_within: int | None, flagged: bool, not_promotable: bool, pool: bool,
             unit: str | None, as_of: date, known_at: datetime | None, as_json: bool, as_csv: bool) -> None:
    """Cadres filtered by status, from the reporting tables (brought up to date first).

    \b
    Example:
      cadre-ledger list --expiring-within 90
      cadre-ledger list --not-promotable --unit 宜昌市夷陵区 --csv
      cadre-ledger list --flagged --as-of 2025-12-31 --json
    """
    rows = env.ledger.read_models.list_cadres(as_of, known_at, expiring_within=expiring_within, flagged=flagged,
                                              not_promotable=not_promotable, pool=pool, unit=unit)
    emit(rows, as_json, as_csv)


@cli.command(context_settings=CONTEXT)
@click.option("--kind", type=click.Choice(["override", "restoration-missing", "demotion-missing", "inquiry-overdue",
                                           "handover-late", "retroactive-breach"]), help="Only findings of this kind.")
@time_axes
@output_format
@pass_env
def findings(env: Env, kind: str | None, as_of: date, known_at: datetime | None, as_json: bool, as_csv: bool) -> None:
    """Audit findings: overrides, missing restorations and demotions, late replies and handovers, retroactive breaches.

    \b
    Example:
      cadre-ledger findings
      cadre-ledger findings --kind override --json
    """
    emit(env.ledger.read_models.findings(as_of, known_at, kind), as_json, as_csv,
         ["kind", "source", "cadre", "post", "raised_on", "rule", "detail"])


@cli.command(context_settings=CONTEXT)
@click.option("--status", type=click.Choice(["open", "overdue", "completed", "completed-late"]),
              help="Only handovers with this status as of --as-of.")
@click.option("--post", help="Only this leading post.")
@click.option("--unit", help="Only posts of this unit.")
@time_axes
@output_format
@pass_env
def handovers(env: Env, status: str | None, post: str | None, unit: str | None, as_of: date,
              known_at: datetime | None, as_json: bool, as_csv: bool) -> None:
    """Principal-leader handovers announced on or before --as-of, with their status on that date (R-HANDOVER).

    \b
    Example:
      cadre-ledger handovers --status overdue
      cadre-ledger handovers --post YC-YL-PARTY-SECRETARY --json
    """
    emit(env.ledger.read_models.handovers(as_of, known_at, status=status, post=post, unit=unit), as_json, as_csv)


@cli.group(context_settings=CONTEXT)
def handover() -> None:
    """One handover's full record."""


@handover.command("show", context_settings=CONTEXT)
@click.argument("post")
@click.option("--announced", required=True, callback=lambda c, p, v: parse_as_of(c, p, v), metavar="DATE",
              help="The date the leadership change was announced.")
@time_axes
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_env
def handover_show(env: Env, post: str, announced: date, as_of: date, known_at: datetime | None, as_json: bool) -> None:
    """The record a supervisor signs: items by category with amounts, the outgoing leader's 实绩清单, signoffs.

    \b
    Example:
      cadre-ledger handover show YC-YL-PARTY-SECRETARY --announced 2025-09-01
    """
    record = env.ledger.handover_record(post, announced, as_of, known_at)
    if as_json:
        click.echo(dumps(record))
        return
    head = {k: v for k, v in record.items() if not isinstance(v, (list, dict))}
    click.echo(to_sections(head))
    for category, items in record["items_by_category"].items():
        click.echo(f"\nitems — {category}:")
        click.echo("  " + to_table(items, ["on", "description", "amount", "source"]).replace("\n", "\n  "))
    for key in ("extensions", "signoffs", "outgoing_performance"):
        click.echo(f"\n{key.replace('_', ' ')}:")
        click.echo("  " + to_table(record.get(key) or []).replace("\n", "\n  "))


@cli.command(context_settings=CONTEXT)
@click.option("--open", "which", flag_value="open", help="Only reports still open.")
@click.option("--overdue", "which", flag_value="overdue", help="Only letter inquiries whose reply is overdue.")
@click.option("--clarified", "which", flag_value="clarified", help="Only reports closed with a clarification.")
@time_axes
@output_format
@pass_env
def reports(env: Env, which: str | None, as_of: date, known_at: datetime | None, as_json: bool, as_csv: bool) -> None:
    """Reports about cadres (一网监督, 函询, 了结, 澄清) and where each stands (R-REPORT).

    \b
    Example:
      cadre-ledger reports --overdue
      cadre-ledger reports --clarified --json
    """
    rows = env.ledger.reports(as_of, known_at, which)
    emit(rows, as_json, as_csv, None if as_json else
         ["cadre", "report", "standing", "received_on", "disposition", "reply_due_on", "replied_on", "status"])


@cli.command(context_settings=CONTEXT)
@click.argument("case_no", metavar="CASE")
@click.option("--known-at", callback=parse_known_at, metavar="TIMESTAMP", help="Only decisions recorded by then.")
@output_format
@pass_env
def case(env: Env, case_no: str, known_at: datetime | None, as_json: bool, as_csv: bool) -> None:
    """Every decision of one case (一案双查): the organisation's and its leaders', in one view.

    \b
    Example:
      cadre-ledger case YL-2023-07
    """
    rows = env.ledger.case(case_no, known_at)
    if not rows:
        raise Refused(f"no decision is recorded under case {case_no}")
    if as_json:
        click.echo(dumps(rows))
        return
    emit([{k: v for k, v in r.items() if k != "decision"} | {"fields": fields_line(r["decision"])} for r in rows],
         False, as_csv)


@cli.command(context_settings=CONTEXT)
@click.option("--after", type=click.IntRange(min=0), default=0, metavar="POSITION",
              help="Start after this log position (exclusive): the last position a consumer saw.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", help="Output format.")
@click.option("--follow", is_flag=True, help="Keep streaming new events as they are recorded (Ctrl-C to stop).")
@click.option("--type", "types", multiple=True, metavar="TYPE", help="Only this decision type (repeatable).")
@click.option("--cadre", help="Only this cadre's events.")
@pass_env
def export(env: Env, after: int, fmt: str, follow: bool, types: tuple[str, ...], cadre: str | None) -> None:
    """Stream events in log order as envelopes, for downstream systems.

    Each line: position, id, stream, version, type, effective_on, recorded_at, actor, data, hash.
    A consumer resumes with --after the last position it saw.

    \b
    Example:
      cadre-ledger export > feed.jsonl
      cadre-ledger export --after 9812 --type sanction --format csv
      cadre-ledger export --after 9812 --follow | my-consumer
    """
    from ledger.schema import TYPES
    from projections.feed import ENVELOPE_FIELDS, envelopes
    from projections.feed import follow as follow_feed

    for t in types:
        if t not in TYPES:
            raise click.BadParameter(f"{t!r} is not a decision type; use one of {', '.join(TYPES)}",
                                     param_hint="--type")
    stream = (follow_feed(env.ledger, after, types, cadre) if follow
              else envelopes(env.ledger, after, types, cadre))
    out = click.get_text_stream("stdout")
    if fmt == "csv":
        import csv

        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(ENVELOPE_FIELDS)
        for item in stream:
            writer.writerow([dumps(v, None) if k == "data" else to_jsonable(v) for k, v in item.items()])
            if follow:
                out.flush()
        return
    for item in stream:
        out.write(dumps(item, None) + "\n")
        if follow:
            out.flush()


@cli.command(context_settings=CONTEXT)
@click.option("--to", "target_url", required=True, metavar="URL",
              help="The empty database to copy the ledger into, e.g. postgresql://user:pw@host:5432/db.")
@pass_env
def migrate(env: Env, target_url: str) -> None:
    """Copy this ledger to another database byte for byte (events, recorded times, seals), then rebuild its
    read models there. `verify` passes there against the same checkpoints.

    \b
    Example:
      cadre-ledger --db cadre-ledger.db migrate --to postgresql://ledger:secret@db.internal:5432/cadres
    """
    from ledger.app import CadreLedger
    from ledger.migration import migrate as copy_ledger

    target = CadreLedger(target_url)
    try:
        with _bar(env.ledger.recorder.max_notification_id() or 0, "copying") as bar:
            copied = copy_ledger(env.ledger, target, progress=bar.update if bar else None)
        target.read_models.rebuild()
        click.echo(f"copied {copied:,} events to {target.database.redacted()} and rebuilt its read models")
    finally:
        target.close()


# --- the main job --------------------------------------------------------------------------------
@cli.command(context_settings=CONTEXT)
@click.option("--cadres", type=click.IntRange(min=1), default=2000, show_default=True, help="How many cadres.")
@click.option("--years", type=click.IntRange(min=1, max=30), default=10, show_default=True, help="Years of history.")
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed: the same seed, the same province.")
@click.option("--jsonl", type=click.File("w", encoding="utf-8"), metavar="FILE",
              help="Write the decisions as JSON Lines to FILE (- for stdout) instead of recording them.")
@pass_env
def demo(env: Env, cadres: int, years: int, seed: int, jsonl: Any) -> None:
    """Build a synthetic province ledger and print the report an organisation department reads first.

    Generates units, leading posts, cadres and ten years of decisions of every type, records them through
    the normal import path (into ./cadre-ledger.db unless --db says otherwise), brings the read models up,
    verifies integrity, and reports: periods ending in the next 90 days, triggers awaiting determination,
    overdue handovers and inquiry replies, audit findings, and the integrity result.

    \b
    Example:
      cadre-ledger demo
      cadre-ledger --db /tmp/small.db demo --cadres 200 --years 5 --seed 7
      cadre-ledger demo --jsonl province.jsonl
    """
    from ledger import demo as province
    from ledger.audit import summarize, verify_ledger
    from projections.report import first_report

    decisions = province.generate(cadres=cadres, years=years, seed=seed)
    if jsonl is not None:
        count = province.write_jsonl(jsonl, decisions)
        click.echo(f"wrote {count:,} decisions", err=True)
        return
    lines = enumerate(decisions, start=1)  # streamed from the generator
    click.echo(f"generating and recording {cadres:,} cadres over {years} years (seed {seed})", err=True)
    with _bar(cadres * years * 7, "recording") as bar:
        report = env.ledger.import_lines(lines, env.actor or "demo", progress=bar.update if bar else None)
    for message in report.errors[:20]:
        click.echo(message, err=True)
    click.echo(report.summary(), err=True)
    if report.errors:
        raise Refused(f"the demo province did not record cleanly ({report.refused:,} refused)")
    total = env.ledger.recorder.max_notification_id() or 0
    with _bar(total, "projecting") as bar:
        env.ledger.read_models.catch_up(progress=bar.update if bar else None)
    integrity = summarize(verify_ledger(env.ledger))
    as_of = getattr(province, "DEFAULT_END", None) or today_in_china()
    click.echo(format_first_report(first_report(env.ledger, as_of, integrity)))
    if not integrity["ok"]:
        sys.exit(1)


# --- integrity -----------------------------------------------------------------------------------
@cli.command(context_settings=CONTEXT)
@click.option("--private", "private_path", default="cadre-ledger.key", show_default=True, metavar="FILE",
              help="Where to write the private key (mode 0600).")
@click.option("--public", "public_path", default="cadre-ledger.pub", show_default=True, metavar="FILE",
              help="Where to write the public key (give it to auditors).")
def keygen(private_path: str, public_path: str) -> None:
    """Create an Ed25519 key pair for signing checkpoints.

    \b
    Example:
      cadre-ledger keygen --private /secure/ledger.key --public ledger.pub
    """
    from ledger.checkpoint import generate_keypair

    try:
        fingerprint = generate_keypair(private_path, public_path)
    except LedgerError as e:
        raise Refused(e.message, e.exit_code) from None
    click.echo(f"wrote {private_path} (keep it secret) and {public_path}; fingerprint {fingerprint}")


@cli.command("checkpoint", context_settings=CONTEXT)
@click.option("--key", "key_path", metavar="FILE", help="The private key (else CADRE_LEDGER_SIGNING_KEY).")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), help="Also save the checkpoint to FILE.")
@pass_env
def checkpoint_cmd(env: Env, key_path: str | None, out: str | None) -> None:
    """Print (and save) a signed checkpoint: tree size, root hash, time, signature. Auditors keep these.

    \b
    Example:
      cadre-ledger checkpoint --key ledger.key --out checkpoints/2026-11-26.json
    """
    from ledger.audit import checkpoint

    text = dumps(checkpoint(env.ledger, key_path))
    if out:
        with open(out, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    click.echo(text)


@cli.command(context_settings=CONTEXT)
@click.option("--checkpoint", "checkpoints", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="A saved checkpoint the log must still extend (repeatable).")
@click.option("--public-key", type=click.Path(exists=True, dir_okay=False), help="The signer's public key.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_env
def verify(env: Env, checkpoints: tuple[str, ...], public_key: str | None, as_json: bool) -> None:
    """Recompute every seal from the stored bytes; report the first position that does not match.

    Exit 0 when intact, 1 when tampered, 2 for unusable input (a bad checkpoint or key file).

    \b
    Example:
      cadre-ledger verify
      cadre-ledger verify --checkpoint checkpoints/2026-11-26.json --public-key ledger.pub
    """
    from ledger.audit import summarize, verify_ledger

    report = verify_ledger(env.ledger, checkpoints, public_key)
    summary = summarize(report)
    click.echo(dumps(summary) if as_json else summary["message"])
    if not report.ok:
        sys.exit(1)


@cli.command(context_settings=CONTEXT)
@click.argument("decision_id")
@click.option("--checkpoint", type=click.Path(exists=True, dir_okay=False),
              help="Prove inclusion in the tree this saved checkpoint signed.")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), help="Also save the proof to FILE.")
@pass_env
def prove(env: Env, decision_id: str, checkpoint: str | None, out: str | None) -> None:
    """Print an inclusion proof for one decision, checkable offline with verify-proof.

    \b
    Example:
      cadre-ledger prove s-2023-17 --checkpoint checkpoints/2026-11-26.json --out s-2023-17.proof.json
    """
    from ledger.audit import prove as make_proof

    text = dumps(make_proof(env.ledger, decision_id, checkpoint))
    if out:
        with open(out, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    click.echo(text)


@cli.command("verify-proof", context_settings=CONTEXT)
@click.argument("proof_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--public-key", type=click.Path(exists=True, dir_okay=False),
              help="Check the signature of the checkpoint the proof carries.")
@click.option("--checkpoint", type=click.Path(exists=True, dir_okay=False),
              help="Check the proof against this saved checkpoint instead of the one it carries.")
def verify_proof(proof_file: str, public_key: str | None, checkpoint: str | None) -> None:
    """Check an inclusion proof offline, with no database.

    Exit 0 when it proves inclusion, 1 when it does not, 2 when the file is unusable.

    \b
    Example:
      cadre-ledger verify-proof s-2023-17.proof.json --public-key ledger.pub
    """
    from ledger.checkpoint import load_checkpoint, load_proof_doc, load_public_key, verify_proof_doc

    try:
        key = load_public_key(public_key) if public_key else None
        result = verify_proof_doc(load_proof_doc(proof_file), key, load_checkpoint(checkpoint) if checkpoint else None)
    except LedgerError as e:
        raise Refused(e.message, e.exit_code) from None
    if result.get("signature_checked"):
        signed = " (checkpoint signature checked)"
    elif result.get("checkpoint_size"):
        signed = " (checkpoint signature NOT checked: pass --public-key)"
    else:
        signed = " (tied to no checkpoint: its tree size and root are not authenticated)"
    against = f", consistent with the checkpoint of {result['checkpoint_size']} events" if result.get(
        "checkpoint_size") else ""
    click.echo(f"proved: {result['decision_id']} is event {result['leaf_index'] + 1} of a tree of "
               f"{result['tree_size']} events with root {result['root_hash']}{against}{signed}")


@cli.command(context_settings=CONTEXT)
@output_format
@pass_env
def projections(env: Env, as_json: bool, as_csv: bool) -> None:
    """Each read model's position in the log and its lag.

    \b
    Example:
      cadre-ledger projections
    """
    emit(env.ledger.read_models.positions(), as_json, as_csv)


@cli.command(context_settings=CONTEXT)
@click.argument("name", required=False, type=click.Choice(["all", "cadres", "restrictions", "flags", "pool",
                                                           "findings", "reports", "handovers", "cases"]))
@pass_env
def rebuild(env: Env, name: str | None) -> None:
    """Rebuild the read models from zero, from every stored event.

    The read models are derived together in one pass, so naming one rebuilds them all.

    \b
    Example:
      cadre-ledger rebuild
    """
    total = env.ledger.recorder.max_notification_id() or 0
    with _bar(total, "rebuilding") as bar:
        count = env.ledger.read_models.rebuild(progress=bar.update if bar else None)
    click.echo(f"rebuilt the read models from {count:,} events")


def _bar(length: int, label: str) -> Any:
    """A progress bar on a terminal (when the length is known); nothing when piped."""
    if sys.stderr.isatty() and length > 0:
        return click.progressbar(length=length, label=label, file=sys.stderr)
    return _null()


def main() -> None:
    """Console entry point: one-line errors, exit 1 for refusals, 2 for usage and unusable input."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except LedgerError as e:
        click.echo(f"error: {e.message}", err=True)
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
    except Exception as e:  # a bug, not bad input: one line, the traceback only on request
        if os.environ.get("CADRE_LEDGER_DEBUG"):
            raise
        click.echo(f"internal error: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''} "
                   "(set CADRE_LEDGER_DEBUG=1 for the traceback)", err=True)
        sys.exit(3)


if __name__ == "__main__":
    main()
