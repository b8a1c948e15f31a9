"""cadre-ledger: the command line. Each command parses, makes one call into ledger/ or projections/, renders."""
from __future__ import annotations

import functools
import io
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import click

from ledger.errors import LedgerError, UnusableInput
from projections.render import (
    dumps,
    fields_line,
    format_first_report,
    format_handover_record,
    to_csv,
    to_sections,
    to_table,
)

if TYPE_CHECKING:
    from ledger.app import CadreLedger
    from projections.reader import Reader

try:
    from zoneinfo import ZoneInfo

    CHINA: Any = ZoneInfo("Asia/Shanghai")
except (ImportError, KeyError):  # pragma: no cover - no tz database on the machine
    CHINA = timezone(timedelta(hours=8))

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 110}
READ_MODELS = ("all", "cadres", "restrictions", "flags", "pool", "findings", "reports", "handovers", "cases")


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
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def time_axes(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--as-of (valid time) and --known-at (transaction time)."""
    fn = click.option("--known-at", callback=parse_known_at, metavar="TIMESTAMP",
                      help="What the ledger said at this moment (ISO 8601; naive = UTC). Default: now.")(fn)
    return click.option("--as-of", callback=parse_as_of, metavar="DATE",
                        help="The date the status is for (YYYY-MM-DD). Default: today in Asia/Shanghai.")(fn)


# --- output: every table, --json, --csv and --out the same way --------------------------------------
@dataclass
class Output:
    """Where and how a command prints: a table (default), JSON or CSV, to stdout or to a file."""

    fmt: str = "table"
    path: str | None = None

    def rows(self, rows: list[dict[str, Any]], columns: list[str] | None = None) -> None:
        """Print rows: JSON (every key), CSV with a header, or an aligned table of `columns`."""
        if self.fmt == "json":
            self.text(dumps(rows))
        elif self.fmt == "csv":
            self.text(to_csv(rows, columns), nl=False)
        else:
            self.text(to_table(rows, columns))

    def document(self, doc: Any, human: Callable[[], str]) -> None:
        """Print one document: as JSON, or as the text `human` renders."""
        self.text(dumps(doc) if self.fmt == "json" else human())

    def text(self, text: str, nl: bool = True) -> None:
        """Print text, or write it to the --out file."""
        if self.path is None:
            click.echo(text, nl=nl)
            return
        write_file(self.path, text + ("\n" if nl else ""))


def write_file(path: str, text: str) -> None:
    """Write UTF-8 text to `path`; a path that cannot be written is unusable input (exit 2)."""
    try:
        with open(path, "w", encoding="utf-8") as out:
            out.write(text)
    except OSError as error:
        raise UnusableInput(f"cannot write {path}: {error.strerror or error}") from None


def output_options(*formats: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--json (and --csv when listed) and --out FILE, handed to the command as one `output: Output`."""
    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def run(*args: Any, as_json: bool = False, as_csv: bool = False, out: str | None = None, **kwargs: Any) -> Any:
            if as_json and as_csv:
                raise click.UsageError("choose one of --json and --csv")
            fmt = "json" if as_json else "csv" if as_csv else "table"
            return fn(*args, output=Output(fmt, out), **kwargs)

        run = click.option("--out", metavar="FILE", help="Write to FILE instead of printing.")(run)
        if "csv" in formats:
            run = click.option("--csv", "as_csv", is_flag=True, help="Print CSV with a header row.")(run)
        return click.option("--json", "as_json", is_flag=True, help="Print JSON.")(run)
    return decorate


# --- the ledger a command works on -----------------------------------------------------------------
class Env:
    """What every command shares: the database URL and the actor; the ledger opens on first use, to read
    (it must exist; nothing is created or changed) or to write."""

    def __init__(self, db: str | None, actor: str | None) -> None:
        self.db, self.actor = db, actor
        self._ledger: CadreLedger | None = None
        self._writer: CadreLedger | None = None
        self._reader: Reader | None = None

    @property
    def ledger(self) -> CadreLedger:
        """The ledger at --db, opened to read (or the one opened to write, when a command writes)."""
        if self._writer is not None:
            return self._writer
        if self._ledger is None:
            from ledger.app import CadreLedger

            self._ledger = CadreLedger(self.db, mode="read")
        return self._ledger

    @property
    def writer(self) -> CadreLedger:
        """The ledger at --db, opened to write: created when there is none, with its reporting tables (and any
        table or column an earlier release lacks)."""
        if self._writer is None:
            from ledger.app import CadreLedger
            from projections.tables import create_tables

            self._writer = CadreLedger(self.db, mode="write")
            create_tables(self._writer.session)
        return self._writer

    @property
    def reader(self) -> Reader:
        """The read side of the ledger at --db."""
        if self._reader is None:
            from projections.reader import Reader

            self._reader = Reader(self.ledger)
        return self._reader

    def close(self) -> None:
        """Say how answers were found when it matters (stderr), and close the ledger."""
        for note in self._reader.notes if self._reader is not None else ():
            click.echo(f"note: {note}", err=True)
        for app in (self._ledger, self._writer):
            if app is not None:
                app.close()


pass_env = click.make_pass_decorator(Env)


class LedgerGroup(click.Group):
    """A group that turns the ledger's own errors into one-line messages with their exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LedgerError as e:
            raise (Unusable if e.exit_code == 2 else Refused)(e.message) from None


class Refused(click.ClickException):
    """A refusal (exit 1), shown as `error: …`."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.message}", err=True)


class Unusable(Refused):
    """Unusable input (exit 2), shown as `error: …`."""

    exit_code = 2


def progress_bar(length: int, label: str) -> Any:
    """A progress bar on a terminal (when the length is known) whose `update` steps it; nothing when piped."""
    if sys.stderr.isatty() and length > 0:
        return _bar_updates(click.progressbar(length=length, label=label, file=sys.stderr))
    return nullcontext()


@contextmanager
def _bar_updates(bar: Any) -> Iterator[Callable[[int], None]]:
    with bar:
        yield bar.update


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
    ctx.call_on_close(ctx.obj.close)


# --- writing -------------------------------------------------------------------------------------
@cli.command("import", context_settings=CONTEXT)
@click.argument("file", type=click.File("rb"))
@click.option("--dry-run", is_flag=True, help="Validate only; write nothing.")
@click.option("--skip-invalid", is_flag=True, help="Write the valid lines and report the invalid ones.")
@click.option("--encoding", metavar="NAME", help="The file's encoding, e.g. gb18030 for files saved by Chinese "
              "Windows software. Default: UTF-8 (a byte-order mark is accepted).")
@pass_env
def import_cmd(env: Env, file: Any, dry_run: bool, skip_invalid: bool, encoding: str | None) -> None:
    """Record decisions from a JSON Lines file (or - for stdin).

    Every line is validated first; a file with any invalid line writes nothing unless --skip-invalid.
    Re-importing a file is a no-op (decisions are idempotent by id).

    \b
    Example:
      cadre-ledger --actor 组织部-王 import decisions.jsonl
      cadre-ledger --actor 组织部-王 import 导出.jsonl --encoding gb18030
      cat decisions.jsonl | cadre-ledger --actor 组织部-王 import - --dry-run
    """
    from ledger.jsonlines import read_jsonl

    lines = read_jsonl(file, encoding)  # streamed, one line at a time: the file is never held in memory
    total = _count_lines(file) if not dry_run else 0
    with progress_bar(total, "recording") as bar:
        report = env.writer.import_lines(lines, env.actor, dry_run=dry_run, skip_invalid=skip_invalid,
                                         progress=bar)
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


# --- record TYPE: one command per decision type, generated from the decision table on first use ----
class RecordGroup(click.Group):
    """`record`: its subcommands (one per decision type) are built only when asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        from ledger.schema import TYPES

        return list(TYPES)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        from ledger.schema import TYPES

        return record_command(name) if name in TYPES else None


def record_command(type_name: str) -> click.Command:
    """The `record TYPE` command of one decision type: options from its fields, help with an example."""
    from ledger.examples import example_for
    from ledger.schema import COMMON, TYPES

    dtype = TYPES[type_name]
    fields = {**COMMON, **dtype.fields}

    def run(env: Env, **options: Any) -> None:
        _record_one(env, decision_from_options(type_name, dtype.subject, fields, options))

    params: list[click.Parameter] = [click.Argument([dtype.subject.upper()], required=True)]
    params.append(click.Option(["--on"], required=True, metavar="DATE", help="Effective date, YYYY-MM-DD."))
    for name, spec in fields.items():
        if name == "override_reason":
            params.append(click.Option(["--override", "override_reason"], metavar="REASON",
                                       help="Record it even though a rule refuses it (becomes an audit finding)."))
            continue
        flag = "--" + name.replace("_", "-")
        when = f" (only for {spec.when[0]} {'/'.join(sorted(spec.when[1]))})" if spec.when else ""
        need = "required" if spec.required and not spec.when else "optional"
        choices = f" One of: {', '.join(spec.table)}." if spec.table else ""
        helptext = f"{spec.kind}, {need}{when}.{choices}"
        if spec.kind == "bool":
            params.append(click.Option([f"{flag}/--no-{name.replace('_', '-')}", name], default=None, help=helptext))
        elif spec.kind in ("enums", "texts", "idents"):
            params.append(click.Option([flag, name], multiple=True, help=helptext + " Repeat for several."))
        elif spec.kind in ("count", "year", "months"):
            params.append(click.Option([flag, name], type=int, help=helptext))
        else:
            nullable = " Use 'none' for null." if spec.nullable else ""
            params.append(click.Option([flag, name], help=helptext + nullable))
    help_text = (f"Record a {type_name} decision: {dtype.meaning}.\n\n\b\nExample:\n  "
                 f"cadre-ledger --actor 组织部-王 record {type_name} "
                 f"{_example_line(example_for(type_name), dtype.subject, fields)}")
    return click.Command(type_name, params=params, callback=click.pass_obj(run), help=help_text,
                         context_settings=CONTEXT, short_help=dtype.meaning)


def decision_from_options(type_name: str, subject: str, fields: dict[str, Any],
                          options: dict[str, Any]) -> dict[str, Any]:
    """The decision (as JSON would give it) that a `record` command's options describe."""
    raw: dict[str, Any] = {"type": type_name, subject: options.pop(subject), "on": options.pop("on")}
    for name, value in options.items():
        if value is None or value == ():
            continue
        spec = fields.get(name)
        if spec is not None and spec.nullable and value in ("none", "null"):
            value = None
        elif spec is not None and spec.kind in ("enums", "texts", "idents"):
            value = list(value)
        elif spec is not None and spec.kind == "basis" and str(value).isascii() and str(value).isdigit() \
                and len(str(value)) <= 9:
            value = int(value)
        raw[name] = value
    return raw


def _example_line(example: dict[str, Any], subject: str, fields: dict[str, Any]) -> str:
    parts = [str(example[subject]), "--on", example["on"]]
    for name, value in example.items():
        if name in ("type", "on", subject) or name not in fields:
            continue
        flag = "--" + name.replace("_", "-")
        if isinstance(value, bool):
            parts.append(flag if value else f"--no-{name.replace('_', '-')}")
        elif isinstance(value, list):
            for v in value:
                parts += [flag, _quote(str(v))]
        else:
            parts += [flag, _quote(str(value))]
    return " ".join(parts)


def _quote(text: str) -> str:
    return f'"{text}"' if any(c in text for c in " 〔〕") else text


def _record_one(env: Env, raw: dict[str, Any]) -> None:
    report = env.writer.import_lines([(1, raw)], env.actor)
    if report.errors:
        raise Refused(report.errors[0].removeprefix("line 1: "))
    if report.recorded:
        click.echo(f"recorded {report.ids[0]}")
    else:
        click.echo(f"already recorded {raw.get('id') or '(same content)'}")


@cli.group(cls=RecordGroup, context_settings=CONTEXT)
def record() -> None:
    """Record one decision, with options named after its fields (the same checks as import).

    \b
    Example:
      cadre-ledger --actor 组织部-王 record sanction HB-1 --kind demerit --authority-kind supervisory \\
          --on 2025-03-10 --doc "鄂纪〔2025〕12号"
      cadre-ledger record assessment --help
    """


# --- reading -------------------------------------------------------------------------------------
def _with_fields(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """History-like rows for a table: the decision's own fields in one `fields` cell."""
    return [{k: v for k, v in r.items() if k != "decision"} | {"fields": fields_line(r["decision"])} for r in rows]


@cli.command(context_settings=CONTEXT)
@click.argument("cadre", required=False)
@click.option("--post", help="The history of a leading post instead of a cadre.")
@click.option("--unit", help="The history of a unit (一案双查) instead of a cadre.")
@click.option("--known-at", callback=parse_known_at, metavar="TIMESTAMP", help="Only events recorded by then.")
@click.option("--verify", "verify_seals", is_flag=True, help="Check each event against its seal.")
@output_options("json", "csv")
@pass_env
def history(env: Env, cadre: str | None, post: str | None, unit: str | None, known_at: datetime | None,
            verify_seals: bool, output: Output) -> None:
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
    output.rows(rows if output.fmt == "json" else _with_fields(rows))


@cli.command(context_settings=CONTEXT)
@click.argument("cadre")
@time_axes
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", help="Labels in English or Chinese.")
@output_options("json")
@pass_env
def show(env: Env, cadre: str, as_of: date, known_at: datetime | None, lang: str, output: Output) -> None:
    """A cadre's status: impact periods, promotability, triggers, rank eligibility.

    \b
    Example:
      cadre-ledger show HB-000123
      cadre-ledger show HB-000123 --as-of 2025-07-01 --known-at 2025-08-01T00:00:00Z --json
      cadre-ledger show HB-000123 --lang zh
    """
    status = env.reader.status(cadre, as_of, known_at)
    output.document(status, lambda: to_sections(status, lang))


@cli.command("list", context_settings=CONTEXT)
@click.option("--expiring-within", type=click.IntRange(min=0), metavar="DAYS",
              help="Only cadres with a running period that ends within DAYS after --as-of.")
@click.option("--flagged", is_flag=True, help="Only cadres with a raised trigger awaiting determination.")
@click.option("--not-promotable", is_flag=True, help="Only cadres who may not be promoted (R-BLOCK).")
@click.option("--pool", is_flag=True, help="Only cadres in the 敢做善成 pool.")
@click.option("--unit", help="Only cadres of this unit.")
@time_axes
@output_options("json", "csv")
@pass_env
def list_cmd(env: Env, expiring_within: int | None, flagged: bool, not_promotable: bool, pool: bool,
             unit: str | None, as_of: date, known_at: datetime | None, output: Output) -> None:
    """Cadres filtered by status, from the reporting tables (brought up to date first).

    \b
    Example:
      cadre-ledger list --expiring-within 90
      cadre-ledger list --not-promotable --unit 宜昌市夷陵区 --csv
      cadre-ledger list --flagged --as-of 2025-12-31 --json
    """
    output.rows(env.reader.list_cadres(as_of, known_at, expiring_within=expiring_within, flagged=flagged,
                                       not_promotable=not_promotable, pool=pool, unit=unit))


@cli.command(context_settings=CONTEXT)
@click.option("--kind", type=click.Choice(["override", "restoration-missing", "demotion-missing", "inquiry-overdue",
                                           "handover-late", "retroactive-breach"]), help="Only findings of this kind.")
@time_axes
@output_options("json", "csv")
@pass_env
def findings(env: Env, kind: str | None, as_of: date, known_at: datetime | None, output: Output) -> None:
    """Audit findings: overrides, missing restorations and demotions, late replies and handovers, retroactive breaches.

    \b
    Example:
      cadre-ledger findings
      cadre-ledger findings --kind override --json
    """
    output.rows(env.reader.findings(as_of, known_at, kind),
                ["kind", "source", "cadre", "post", "raised_on", "rule", "detail"])


@cli.command(context_settings=CONTEXT)
@click.option("--status", type=click.Choice(["open", "overdue", "completed", "completed-late"]),
              help="Only handovers with this status as of --as-of.")
@click.option("--post", help="Only this leading post.")
@click.option("--unit", help="Only posts of this unit.")
@time_axes
@output_options("json", "csv")
@pass_env
def handovers(env: Env, status: str | None, post: str | None, unit: str | None, as_of: date,
              known_at: datetime | None, output: Output) -> None:
    """Principal-leader handovers announced on or before --as-of, with their status on that date (R-HANDOVER).

    \b
    Example:
      cadre-ledger handovers --status overdue
      cadre-ledger handovers --post YC-YL-PARTY-SECRETARY --json
    """
    output.rows(env.reader.handovers(as_of, known_at, status=status, post=post, unit=unit))


@cli.group(context_settings=CONTEXT)
def handover() -> None:
    """One handover's full record."""


@handover.command("show", context_settings=CONTEXT)
@click.argument("post")
@click.option("--announced", required=True, callback=parse_as_of, metavar="DATE",
              help="The date the leadership change was announced.")
@time_axes
@output_options("json")
@pass_env
def handover_show(env: Env, post: str, announced: date, as_of: date, known_at: datetime | None,
                  output: Output) -> None:
    """The record a supervisor signs: items by category with amounts, the outgoing leader's 实绩清单, signoffs.

    \b
    Example:
      cadre-ledger handover show YC-YL-PARTY-SECRETARY --announced 2025-09-01
    """
    record = env.ledger.handover_record(post, announced, as_of, known_at)
    output.document(record, lambda: format_handover_record(record))


@cli.command(context_settings=CONTEXT)
@click.option("--open", "which", flag_value="open", help="Only reports still open.")
@click.option("--overdue", "which", flag_value="overdue", help="Only letter inquiries whose reply is overdue.")
@click.option("--clarified", "which", flag_value="clarified", help="Only reports closed with a clarification.")
@time_axes
@output_options("json", "csv")
@pass_env
def reports(env: Env, which: str | None, as_of: date, known_at: datetime | None, output: Output) -> None:
    """Reports about cadres (一网监督, 函询, 了结, 澄清) and where each stands (R-REPORT).

    \b
    Example:
      cadre-ledger reports --overdue
      cadre-ledger reports --clarified --json
    """
    output.rows(env.reader.reports(as_of, known_at, which), None if output.fmt == "json" else
                ["cadre", "report", "standing", "received_on", "disposition", "reply_due_on", "replied_on", "status"])


@cli.command(context_settings=CONTEXT)
@click.argument("case_no", metavar="CASE")
@click.option("--known-at", callback=parse_known_at, metavar="TIMESTAMP", help="Only decisions recorded by then.")
@output_options("json", "csv")
@pass_env
def case(env: Env, case_no: str, known_at: datetime | None, output: Output) -> None:
    """Every decision of one case (一案双查): the organisation's and its leaders', in one view.

    \b
    Example:
      cadre-ledger case YL-2023-07
    """
    rows = env.reader.case(case_no, known_at)
    if not rows:
        raise Refused(f"no decision is recorded under case {case_no}")
    output.rows(rows if output.fmt == "json" else _with_fields(rows))


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
    from projections.render import to_jsonable

    for t in types:
        if t not in TYPES:
            raise click.BadParameter(f"{t!r} is not a decision type; use one of {', '.join(TYPES)}",
                                     param_hint="--type")
    stream = (follow_feed(env.ledger, after, types, cadre) if follow
              else envelopes(env.ledger, after, types, cadre))
    out = sys.stdout
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
    from ledger.storage.migration import migrate as copy_ledger
    from projections.reader import Reader

    target = CadreLedger(target_url)
    try:
        with progress_bar(env.ledger.recorder.max_notification_id() or 0, "copying") as bar:
            copied = copy_ledger(env.ledger.session, target.session, progress=bar)
        Reader(target).rebuild()
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
    if jsonl is not None:
        from ledger import demo as province

        count = province.write_jsonl(jsonl, province.generate(cadres=cadres, years=years, seed=seed))
        click.echo(f"wrote {count:,} decisions", err=True)
        return
    from projections.demo import run_demo

    click.echo(f"generating and recording {cadres:,} cadres over {years} years (seed {seed})", err=True)
    done = run_demo(env.writer, cadres=cadres, years=years, seed=seed, actor=env.actor or "demo",
                    progress=progress_bar)
    for message in done.imported.errors[:20]:
        click.echo(message, err=True)
    click.echo(done.imported.summary(), err=True)
    if done.report is None:
        raise Refused(f"the demo province did not record cleanly ({done.imported.refused:,} refused)")
    click.echo(format_first_report(done.report))
    if not done.report["integrity"]["ok"]:
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
    from ledger.integrity.keys import generate_keypair

    fingerprint = generate_keypair(private_path, public_path)
    click.echo(f"wrote {private_path} (keep it secret) and {public_path}; fingerprint {fingerprint}")


@cli.command("checkpoint", context_settings=CONTEXT)
@click.option("--key", "key_path", metavar="FILE", help="The private key (else CADRE_LEDGER_SIGNING_KEY).")
@click.option("--out", metavar="FILE", help="Also save the checkpoint to FILE.")
@pass_env
def checkpoint_cmd(env: Env, key_path: str | None, out: str | None) -> None:
    """Print (and save) a signed checkpoint: tree size, root hash, time, signature. Auditors keep these.

    \b
    Example:
      cadre-ledger checkpoint --key ledger.key --out checkpoints/2026-11-26.json
    """
    from ledger.integrity.front import checkpoint

    text = dumps(checkpoint(env.ledger.session, key_path))
    if out:
        write_file(out, text + "\n")
    click.echo(text)


@cli.command(context_settings=CONTEXT)
@click.option("--checkpoint", "checkpoints", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="A saved checkpoint the log must still extend (repeatable).")
@click.option("--public-key", type=click.Path(exists=True, dir_okay=False), help="The signer's public key.")
@click.option("--log-only", is_flag=True,
              help="Check the sealed log alone (faster): not the snapshots, the decision index or the reporting "
                   "tables.")
@output_options("json")
@pass_env
def verify(env: Env, checkpoints: tuple[str, ...], public_key: str | None, log_only: bool, output: Output) -> None:
    """Recompute every seal from the stored bytes, and check everything a query reads beside the log.

    First the sealed log (every event hash, the hash chain, the Merkle tree, recording times, each
    checkpoint); then, unless --log-only, the snapshots, the decision index and the reporting tables against
    the events. The first difference is reported. Exit 0 when intact, 1 when tampered, 2 for unusable input
    (a bad checkpoint or key file; an encrypted ledger without its key, unless --log-only).

    \b
    Example:
      cadre-ledger verify
      cadre-ledger verify --log-only
      cadre-ledger verify --checkpoint checkpoints/2026-11-26.json --public-key ledger.pub
    """
    from ledger.integrity.front import summarize, verify_ledger

    summary = summarize(verify_ledger(env.ledger.session, checkpoints, public_key))
    if summary["ok"] and not log_only:
        from projections.audit import verify_derived, with_derived

        with progress_bar(env.ledger.recorder.max_notification_id() or 0, "checking") as bar:
            summary = with_derived(summary, verify_derived(env.ledger, progress=bar))
    output.document(summary, lambda: str(summary["message"]))
    if not summary["ok"]:
        sys.exit(1)


@cli.command(context_settings=CONTEXT)
@click.argument("decision_id")
@click.option("--checkpoint", type=click.Path(exists=True, dir_okay=False),
              help="Prove inclusion in the tree this saved checkpoint signed.")
@click.option("--out", metavar="FILE", help="Also save the proof to FILE.")
@pass_env
def prove(env: Env, decision_id: str, checkpoint: str | None, out: str | None) -> None:
    """Print an inclusion proof for one decision, checkable offline with verify-proof.

    \b
    Example:
      cadre-ledger prove s-2023-17 --checkpoint checkpoints/2026-11-26.json --out s-2023-17.proof.json
    """
    from ledger.integrity.front import prove as make_proof

    text = dumps(make_proof(env.ledger.session, decision_id, checkpoint))
    if out:
        write_file(out, text + "\n")
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
    from ledger.integrity.checkpoints import load_checkpoint
    from ledger.integrity.keys import load_public_key
    from ledger.integrity.proofs import load_proof_doc, verify_proof_doc

    key = load_public_key(public_key) if public_key else None
    result = verify_proof_doc(load_proof_doc(proof_file), key, load_checkpoint(checkpoint) if checkpoint else None)
    click.echo(proof_line(result))


def proof_line(result: dict[str, Any]) -> str:
    """What `verify-proof` proved, in one line: the decision, its place in the tree, what binds it."""
    if result.get("signature_checked"):
        signed = " (checkpoint signature checked)"
    elif result.get("checkpoint_size"):
        signed = " (checkpoint signature NOT checked: pass --public-key)"
    else:
        signed = " (tied to no checkpoint: its tree size and root are not authenticated)"
    against = f", consistent with the checkpoint of {result['checkpoint_size']} events" if result.get(
        "checkpoint_size") else ""
    binds = result.get("binds", [])
    if "decision id" in binds:
        what = (f"decision {result['decision_id']} ({result['stream']} v{result['version']}, position "
                f"{result['position']}, recorded {result['recorded_at']})")
        bound = f" (the proof binds its {', '.join(binds[:-1])} and {binds[-1]})"
    else:
        what = f"{result['decision_id']}"
        bound = " (the proof binds only the event hash, not the decision: an earlier release's proof)"
    return (f"proved: {what} is event {result['leaf_index'] + 1} of a tree of {result['tree_size']} events with "
            f"root {result['root_hash']}{bound}{against}{signed}")


@cli.command(context_settings=CONTEXT)
@output_options("json", "csv")
@pass_env
def projections(env: Env, output: Output) -> None:
    """Each read model's position in the log and its lag.

    \b
    Example:
      cadre-ledger projections
    """
    output.rows(env.reader.positions())


@cli.command(context_settings=CONTEXT)
@click.argument("name", required=False, default="all", type=click.Choice(READ_MODELS))
@pass_env
def rebuild(env: Env, name: str) -> None:
    """Rebuild the read models (or the one named) from zero, from every stored event.

    \b
    Example:
      cadre-ledger rebuild
      cadre-ledger rebuild restrictions
    """
    from projections.reader import Reader

    tables = None if name == "all" else [f"proj_{name}"]
    with progress_bar(env.writer.recorder.max_notification_id() or 0, "rebuilding") as bar:
        count = Reader(env.writer).rebuild(progress=bar, tables=tables)
    what = "the read models" if tables is None else f"the {name} read model"
    click.echo(f"rebuilt {what} from {count:,} events")


def main() -> None:
    """Console entry point: one-line errors, exit 1 for refusals, 2 for usage and unusable input."""
    for stream in (sys.stdout, sys.stderr):  # a character the terminal cannot show is escaped, never a crash
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
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
        if isinstance(e, UnicodeEncodeError) and (argument := _not_utf8_argument()):
            click.echo(f"error: {argument} is not UTF-8 text; type it again in a UTF-8 terminal", err=True)
            sys.exit(2)
        if os.environ.get("CADRE_LEDGER_DEBUG"):
            raise
        click.echo(f"internal error: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''} "
                   "(set CADRE_LEDGER_DEBUG=1 for the traceback)", err=True)
        sys.exit(3)


def _not_utf8_argument() -> str | None:
    """The first argument or CADRE_LEDGER_* variable whose bytes were not UTF-8 (Python holds them as surrogates)."""
    named = [(f"the argument '{a}'", a) for a in sys.argv[1:]]
    named += [(name, value) for name, value in os.environ.items() if name.startswith("CADRE_LEDGER_")]
    for label, value in named:
        if any("\udc80" <= ch <= "\udcff" for ch in value):
            return label.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return None


if __name__ == "__main__":
    main()
