"""cadre-ledger: the command line. Each command parses, makes one call into ledger/ or projections/, renders."""
from __future__ import annotations

import functools
import io
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import click

from ledger.errors import LedgerError, NotFound, UnusableInput
from projections import messages
from projections.render import View, dumps, plain, to_csv, to_table

if TYPE_CHECKING:
    from ledger.app import CadreLedger
    from projections.reader import Reader

# Asia/Shanghai has kept UTC+8 since 1991, and today is all it is used for (loading the tz database costs a
# read of the interpreter's configuration on every start)
CHINA = timezone(timedelta(hours=8))

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 110}
READ_MODELS = ("all", "cadres", "restrictions", "flags", "pool", "findings", "reports", "handovers", "cases")
EXIT_CODES = ("Exit codes: 0 done; 1 refused (a rule, a decision's content including its --on, a cadre, post, "
              "unit or case not in the ledger); 2 unusable invocation (a bad option value such as --as-of, a bad "
              "database URL, an unreadable file, a missing key or actor); 3 internal error (a bug: nothing you "
              "type should cause it; set CADRE_LEDGER_DEBUG=1 and report the traceback).")
STYLES: dict[str, dict[str, Any]] = {"title": {"bold": True}, "bad": {"fg": "red", "bold": True},
                                     "warn": {"fg": "yellow"}, "good": {"fg": "green"}, "dim": {"dim": True}}
COLOUR = {"off": False}  # set by --no-color, read when an error is shown


# --- shared option parsing -----------------------------------------------------------------------
def today_in_china() -> date:
    """Today's date in Asia/Shanghai: the default --as-of."""
    return datetime.now(CHINA).date()


# Decisions are dated 1900-2100 (ledger/decisions.py); a query may look a century past the last of them.
QUERY_DATES = (date(1900, 1, 1), date(2200, 12, 31))


def parse_date(value: str) -> date:
    """A YYYY-MM-DD option value within QUERY_DATES, or a one-line usage error with the fix."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; write YYYY-MM-DD, e.g. 2026-03-09") from None
    if not QUERY_DATES[0] <= day <= QUERY_DATES[1]:
        raise click.BadParameter(f"{value} is outside the dates a query answers for ({QUERY_DATES[0]} to "
                                 f"{QUERY_DATES[1]}); check the year")
    return day


def parse_as_of(_ctx: Any, _param: Any, value: str | None) -> date:
    return today_in_china() if value is None else parse_date(value)


def parse_day(_ctx: Any, _param: Any, value: str | None) -> date | None:
    return None if value is None else parse_date(value)


def parse_known_at(_ctx: Any, _param: Any, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not an ISO 8601 timestamp; write e.g. 2025-08-01T00:00:00Z or 2025-08-01T08:00+08:00"
        ) from None
    try:
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except OverflowError:
        raise click.BadParameter(f"{value!r} falls outside the years 0001-9999 in UTC; write a later or earlier "
                                 "moment, e.g. 2025-08-01T00:00:00Z") from None


def parse_lang(_ctx: Any, _param: Any, value: str | None) -> str:
    if value is None or not value.strip():
        return "en"
    lang = value.strip().lower().replace("_", "-")
    if lang.startswith("zh"):
        return "zh"
    if lang.startswith("en"):
        return "en"
    raise click.BadParameter(f"{value!r} is not a language; use zh (中文) or en")


def known_at_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--known-at (transaction time)."""
    return click.option("--known-at", callback=parse_known_at, metavar="TIMESTAMP",
                        help="What the ledger said at this moment (ISO 8601; naive = UTC), e.g. "
                             "2025-08-01T00:00:00Z. Default: now.")(fn)


def time_axes(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--as-of (valid time) and --known-at (transaction time)."""
    fn = known_at_option(fn)
    return click.option("--as-of", callback=parse_as_of, metavar="DATE",
                        help="The date the answer is for (YYYY-MM-DD), e.g. 2025-12-31. Default: today in "
                             "Asia/Shanghai.")(fn)


# --- output for people: language, width, empty sections, colour -------------------------------------
def colour_on(stream: Any) -> bool:
    """Colour only on a terminal, unless NO_COLOR is set or --no-color was given."""
    return not COLOUR["off"] and not os.environ.get("NO_COLOR") and bool(getattr(stream, "isatty", lambda: False)())


def paint(text: str, role: str) -> str:
    """`text` in the colour of its role (title, bad, warn, good, dim)."""
    return click.style(text, **STYLES.get(role, {}))


def people_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--lang, --wide, --all and --no-color, handed to the command as one `view: View`."""
    @functools.wraps(fn)
    def run(*args: Any, lang: str = "en", wide: bool = False, show_all: bool = False, no_color: bool = False,
            **kwargs: Any) -> Any:
        COLOUR["off"] = COLOUR["off"] or no_color
        view = View(lang=lang, wide=wide, all=show_all, paint=paint if colour_on(sys.stdout) else plain)
        return fn(*args, view=view, **kwargs)

    run = click.option("--no-color", "--no-colour", "no_color", is_flag=True,
                       help="No colour (also when NO_COLOR is set). Colour is used only on a terminal.")(run)
    run = click.option("--all", "show_all", is_flag=True, help="Also show empty sections.")(run)
    run = click.option("--wide", is_flag=True, help="Cut nothing: whole cells and every row.")(run)
    return click.option("--lang", envvar="CADRE_LEDGER_LANG", callback=parse_lang, metavar="zh|en",
                        help="Language of labels and values: zh (中文, official terms) or en. Env CADRE_LEDGER_LANG; "
                             "default en. JSON and CSV never change with it. Example: --lang zh")(run)


@dataclass
class Output:
    """Where and how a command prints: a table (default), JSON or CSV, to stdout or to a file."""

    fmt: str = "table"
    path: str | None = None
    bom: bool = False
    view: View = field(default_factory=View)

    def rows(self, rows: list[dict[str, Any]], columns: list[str], section: str | None = None,
             human: list[dict[str, Any]] | None = None) -> None:
        """Print rows: JSON (every key), CSV of `columns` (a header even with no rows), or an aligned table of
        `columns`, from `human` rows when the table needs other cells than CSV."""
        if self.fmt == "json":
            self.text(dumps(rows))
        elif self.fmt == "csv":
            self.text(to_csv(rows, columns, self.bom), nl=False)
        else:
            self.text(to_table(human if human is not None else rows, columns, self.view, section))

    def document(self, doc: Any, human: Callable[[View], str]) -> None:
        """Print one document: as JSON, or as the text `human` renders in the view."""
        self.text(dumps(doc) if self.fmt == "json" else human(self.view))

    def text(self, text: str, nl: bool = True) -> None:
        """Print text, or write it to the --out file."""
        if self.path is None:
            click.echo(text, nl=nl)
            return
        write_file(self.path, text + ("\n" if nl else ""))


def write_file(path: str, text: str, option: str = "--out") -> None:
    """Write UTF-8 text to `path` (given by `option`); a path that cannot be written is unusable input (exit 2)."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise UnusableInput(f"{option} {path}: the directory {os.path.dirname(path) or '.'} does not exist; "
                            "create it first (mkdir -p) or choose another path")
    try:
        with open(path, "w", encoding="utf-8") as out:
            out.write(text)
    except OSError as error:
        raise UnusableInput(f"{option} {path}: cannot write it: {error.strerror or error}") from None


def output_options(*formats: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--json (and --csv, --bom when listed), --out FILE and the people options, handed to the command as one
    `output: Output`."""
    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def run(*args: Any, as_json: bool = False, as_csv: bool = False, bom: bool = False, out: str | None = None,
                view: View, **kwargs: Any) -> Any:
            if as_json and as_csv:
                raise click.UsageError("choose one of --json and --csv")
            if bom and not as_csv:
                raise click.UsageError("--bom goes with --csv")
            fmt = "json" if as_json else "csv" if as_csv else "table"
            if out is not None:
                view = View(view.lang, view.wide, view.all, view.limit)  # no colour in files
            return fn(*args, output=Output(fmt, out, bom, view), **kwargs)

        run = click.option("--out", metavar="FILE", help="Write to FILE instead of printing; its directory must "
                                                         "exist. Example: --out reports/findings.csv")(run)
        if "csv" in formats:
            run = click.option("--bom", is_flag=True, help="Start the CSV with the UTF-8 byte-order mark that Excel "
                                                           "on Chinese Windows needs to read it.")(run)
            run = click.option("--csv", "as_csv", is_flag=True,
                               help="Print CSV with a header row (English keys and tokens); cells a spreadsheet "
                                    "would run as formulas start with '.")(run)
        run = click.option("--json", "as_json", is_flag=True,
                           help="Print JSON (English keys and tokens, whatever --lang says).")(run)
        return people_options(run)
    return decorate


def html_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--html FILE: write the answer as one printable page (projections/pictures/) instead of printing it."""
    return click.option("--html", "html_path", metavar="FILE",
                        help="Write a self-contained, printable HTML page to FILE instead of printing (Chinese "
                             "unless --lang en); its directory must exist. Example: --html dossier.html")(fn)


def write_page(env: Env, output: Output, path: str, what: str, as_of: date, known_at: datetime | None,
               render: Callable[[Any, str], str]) -> None:
    """Render a page (in Chinese unless a language was asked for) with the provenance every page carries, write
    it to `path`, and say so."""
    from projections.pictures import page_meta

    if output.fmt != "table" or output.path is not None:
        raise click.UsageError("--html writes its own file; leave out --json and --out")
    source = click.get_current_context().get_parameter_source("lang")
    lang = output.view.lang if source not in (None, click.core.ParameterSource.DEFAULT) else "zh"
    meta = page_meta(env.ledger, as_of, known_at, actor=env.actor or _login_name())
    write_file(path, render(meta, lang), "--html")
    click.echo(messages.wrote_page(path, what, output.view.lang))


def _login_name() -> str:
    """Who generated a page when no --actor was given: the login name of the process."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        return f"uid {os.getuid()}"


# --- progress: one bar per stage, with a true ETA, finished at 100% ---------------------------------------
class StagedBar:
    """A progress bar on stderr, one per stage of a task, each with its own count and ETA; updates are drawn at
    most ten times a second, and a stage that ends is drawn at 100%."""

    def __init__(self, total: int, label: str) -> None:
        self.bar: Any = None
        self.pending, self.drawn = 0, 0.0
        self.stage(label, total)

    def stage(self, label: str, total: int) -> None:
        """End the current stage (at 100%) and begin the next one."""
        self.finish()
        if total > 0:
            self.bar = click.progressbar(length=total, label=f"{label:<10}", file=sys.stderr, show_pos=True,
                                         show_percent=True, show_eta=True)
            self.bar.__enter__()

    def __call__(self, steps: int) -> None:
        self.pending += steps
        now = time.monotonic()
        if self.bar is not None and now - self.drawn >= 0.1:
            self.bar.update(self.pending)
            self.pending, self.drawn = 0, now

    def finish(self, done: bool = True) -> None:
        """Draw the current stage complete (when it completed) and close it."""
        if self.bar is not None:
            if done:
                self.bar.update(max(0, self.bar.length - self.bar.pos))
            self.bar.__exit__(None, None, None)
        self.bar, self.pending = None, 0


@contextmanager
def progress_bar(length: int, label: str) -> Iterator[StagedBar | None]:
    """A staged progress bar on a terminal, or None when stderr is not one (piped, a file, a test)."""
    if not sys.stderr.isatty():
        yield None
        return
    bar = StagedBar(length, label)
    try:
        yield bar
    except BaseException:
        bar.finish(done=False)
        raise
    bar.finish()


# --- the ledger a command works on -----------------------------------------------------------------
class Env:
    """What every command shares: the database URL and the actor; the ledger opens on first use, to read
    (it must exist; nothing is created or changed) or to write."""

    def __init__(self, db: str | None, actor: str | None) -> None:
        self.db, self.actor = db, actor
        self._ledger: CadreLedger | None = None
        self._writer: CadreLedger | None = None
        self._log: CadreLedger | None = None
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
    def log_ledger(self) -> CadreLedger:
        """The ledger at --db, opened to read its sealed log, which needs no key: with a missing or wrong key
        (`key_problem`), what needs the key is refused where it is asked for."""
        if self._log is None:
            from ledger.app import CadreLedger

            self._log = CadreLedger(self.db, mode="read", keyless=True)
        return self._log

    @property
    def write_ledger(self) -> CadreLedger:
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
        """The read side of the ledger at --db (with a progress bar for long derivations)."""
        if self._reader is None:
            from projections.reader import Reader

            self._reader = Reader(self.ledger, progress_bar)
        return self._reader

    def quick_status(self, cadre: str, as_of: date, at: datetime | None) -> dict[str, Any] | None:
        """A cadre's status read straight from the stored states, when that gives exactly what the reader
        gives (else None: ask the reader)."""
        if self._ledger is not None or self._writer is not None:
            return None
        from projections.quick import quick_status

        return quick_status(self.db, cadre, as_of, at)

    def writer(self) -> str:
        """The actor of a write, or a one-line error (exit 2) saying how to give one."""
        if not self.actor or not self.actor.strip():
            raise Unusable("no actor: every write names who records it; pass --actor NAME or set CADRE_LEDGER_ACTOR")
        return self.actor

    def cadre(self, named: str, lang: str = "en") -> str:
        """The cadre number that `named` (a number, or exactly one cadre's name) means; else refused."""
        from ledger.cadre import Cadre

        if self.ledger.load_subject(self.ledger.id_of(Cadre, named)) is not None:
            return named
        found = self.reader.cadres_named(named)
        if len(found) == 1:
            return str(found[0]["cadre"])
        if found:
            raise Refused(messages.several_named(named, found, lang))
        if any(ch.isdigit() for ch in named):
            raise NotFound(f"cadre {named} is not in the ledger; check the number, or register it first")
        raise NotFound(f"no cadre is named {named}; `cadre-ledger list --name {named[:1]}` lists the names that "
                       "contain a part of it")

    def post(self, post: str) -> str:
        """A registered post id, or refused."""
        if self.ledger.post_info(post) is None:
            raise NotFound(f"post {post} is not in the ledger; check the post id, e.g. in `cadre-ledger handovers`")
        return post

    def unit(self, unit: str) -> str:
        """A unit the ledger names, or refused."""
        if unit not in self.reader.units():
            raise NotFound(f"unit {unit} is not in the ledger; write its full name as `cadre-ledger list` shows it")
        return unit

    def close(self) -> None:
        """Say how answers were found when it matters (stderr), and close the ledger."""
        for note in self._reader.notes if self._reader is not None else ():
            click.echo(f"note: {note}", err=True)
        for app in (self._ledger, self._writer, self._log):
            if app is not None:
                app.close()


pass_env = click.make_pass_decorator(Env)


class Refused(click.ClickException):
    """A refusal (exit 1), shown as one line `error: …` (red on a terminal)."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        line = f"error: {self.message}"
        click.echo(paint(line, "bad") if colour_on(sys.stderr) else line, err=True)


class Unusable(Refused):
    """Unusable input (exit 2), shown as `error: …`."""

    exit_code = 2


class LedgerGroup(click.Group):
    """A group that turns the ledger's own errors and bad options into one-line messages with their exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LedgerError as e:
            raise (Unusable if e.exit_code == 2 else Refused)(e.message) from None
        except click.FileError as e:
            raise Unusable(f"{e.ui_filename}: {e.message}") from None
        except click.BadParameter as e:
            where = e.param.opts[0] if e.param is not None and e.param.opts else (e.param_hint or "value")
            if e.param is not None and e.param.param_type_name == "argument":
                where = e.param.human_readable_name
            raise Unusable(f"{where}: {e.message}") from None
        except click.UsageError as e:
            command = ctx.invoked_subcommand or ""
            raise Unusable(f"{e.message}; see `cadre-ledger {command} --help`".replace("  ", " ")) from None


@click.group(cls=LedgerGroup, context_settings=CONTEXT, epilog=EXIT_CODES)
@click.option("--db", envvar="CADRE_LEDGER_DB", metavar="URL",
              help="Database: a file path, sqlite:///path, or postgresql://user:pw@host:port/db. "
                   "Env CADRE_LEDGER_DB. Default: ./cadre-ledger.db")
@click.option("--actor", envvar="CADRE_LEDGER_ACTOR", metavar="NAME",
              help="Who records the decisions (required for writes), e.g. 组织部-王. Env CADRE_LEDGER_ACTOR.")
@click.version_option(package_name="cadre-ledger")
@click.pass_context
def cli(ctx: click.Context, db: str | None, actor: str | None) -> None:
    """An event-sourced, tamper-evident audit ledger of cadre (干部) records.

    Every command that prints for people takes --lang zh (中文) or reads CADRE_LEDGER_LANG.

    \b
    Example:
      cadre-ledger demo
      cadre-ledger --actor 组织部-王 import decisions.jsonl
      cadre-ledger show HB-000123 --as-of 2026-03-09 --lang zh
    """
    ctx.obj = Env(db, actor)
    ctx.call_on_close(ctx.obj.close)


# --- writing -------------------------------------------------------------------------------------
@cli.command("import", context_settings=CONTEXT, epilog=EXIT_CODES)
@click.argument("file", type=click.File("rb"))
@click.option("--dry-run", is_flag=True, help="Validate only; write nothing.")
@click.option("--skip-invalid", is_flag=True, help="Write the valid lines and report the invalid ones.")
@click.option("--encoding", metavar="NAME", help="The file's encoding, e.g. gb18030 for files saved by Chinese "
              "Windows software. Default: UTF-8 (a byte-order mark is accepted).")
@people_options
@pass_env
def import_cmd(env: Env, file: Any, dry_run: bool, skip_invalid: bool, encoding: str | None, view: View) -> None:
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
    from projections.demo import counted

    actor = env.writer()
    lines = read_jsonl(file, encoding)  # checks --encoding before anything is opened
    with progress_bar(_count_lines(file), "reading") as bar:
        lines = counted(lines, bar)  # streamed: the file is never held in memory as text or raw JSON
        report = env.write_ledger.import_lines(lines, actor, dry_run=dry_run, skip_invalid=skip_invalid,
                                               progress=bar)
    red = colour_on(sys.stderr)
    for message in report.errors:
        click.echo(paint(message, "bad") if red else message, err=True)
    click.echo(messages.import_summary(report.recorded, report.already, report.refused, dry_run, view.lang))
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
    """The `record TYPE` command of one decision type: an option per field, explained in words with its Chinese
    name, when it is needed and an example (from ledger/schema.py and ledger/examples.py)."""
    from ledger.examples import example_for
    from ledger.schema import TYPES
    from projections.fields import fields_of, option_help

    dtype = TYPES[type_name]
    fields = fields_of(type_name)
    example = example_for(type_name)

    def run(env: Env, lang: str = "en", no_color: bool = False, **options: Any) -> None:
        COLOUR["off"] = COLOUR["off"] or no_color
        _record_one(env, decision_from_options(type_name, dtype.subject, fields, options), lang)

    params: list[click.Parameter] = [click.Argument([dtype.subject.upper()], required=True)]
    params.append(click.Option(["--on"], required=True, metavar="DATE",
                               help=f"生效日期. The date the decision takes effect, YYYY-MM-DD; a date that is not "
                                    f"real is refused (exit 1). Required. Example: --on {example['on']}."))
    for name, spec in fields.items():
        helptext = option_help(type_name, name, spec, example.get(name))
        if name == "override_reason":
            params.append(click.Option(["--override", "override_reason"], metavar="REASON", help=helptext))
            continue
        flag = "--" + name.replace("_", "-")
        if spec.kind == "bool":
            params.append(click.Option([f"{flag}/--no-{name.replace('_', '-')}", name], default=None, help=helptext))
        elif spec.kind in ("enums", "texts", "idents"):
            params.append(click.Option([flag, name], multiple=True, help=helptext, metavar="VALUE"))
        elif spec.kind in ("count", "year", "months"):
            params.append(click.Option([flag, name], type=int, help=helptext, metavar="NUMBER"))
        else:
            params.append(click.Option([flag, name], help=helptext, metavar=_metavar(spec.kind)))
    params.append(click.Option(["--lang"], envvar="CADRE_LEDGER_LANG", callback=parse_lang, metavar="zh|en",
                               help="Language of the message printed: zh (中文) or en."))
    params.append(click.Option(["--no-color", "no_color"], is_flag=True, help="No colour."))
    help_text = (f"Record a {type_name} decision ({_zh_type(type_name)}): {dtype.meaning}.\n\n"
                 f"Subject: the {dtype.subject} ({'cadre number' if dtype.subject == 'cadre' else dtype.subject}). "
                 f"Enumerated values take the English token or its Chinese term.\n\n\b\nExample:\n  "
                 f"cadre-ledger --actor 组织部-王 record {type_name} {_example_line(example, dtype.subject, fields)}")
    return click.Command(type_name, params=params, callback=click.pass_obj(run), help=help_text,
                         context_settings=CONTEXT, short_help=f"{_zh_type(type_name)} — {dtype.meaning}",
                         epilog=EXIT_CODES)


def _zh_type(type_name: str) -> str:
    from ledger.vocab import display

    return display(type_name, group="decision_types")


def _metavar(kind: str) -> str:
    return {"date": "DATE", "ident": "ID", "amount": "AMOUNT", "enum": "TERM", "basis": "YEAR|ID"}.get(kind, "TEXT")


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


def _record_one(env: Env, raw: dict[str, Any], lang: str) -> None:
    report = env.write_ledger.import_lines([(1, raw)], env.writer())
    if report.errors:
        raise Refused(report.errors[0].removeprefix("line 1: "))
    if not report.recorded:
        click.echo(messages.already_recorded(raw.get("id"), lang))
        return
    decision_id = report.ids[0]
    rule = None
    if raw.get("override_reason"):
        rule = next((f.get("overridden_rule") for f in env.ledger.stream_facts(_stream_of(raw))
                     if f["id"] == decision_id), None)
    line = messages.recorded(decision_id, rule, bool(raw.get("override_reason")), lang)
    click.echo(paint(line, "warn") if raw.get("override_reason") and colour_on(sys.stdout) else line)


def _stream_of(raw: dict[str, Any]) -> str:
    key = next(k for k in ("cadre", "post", "unit") if k in raw)
    return f"{key}/{raw[key]}"


@cli.group(cls=RecordGroup, context_settings=CONTEXT, epilog=EXIT_CODES)
def record() -> None:
    """Record one decision, with options named after its fields (the same checks as import).

    `cadre-ledger record TYPE --help` explains each field of a type in words, with its Chinese name and an
    example.

    \b
    Example:
      cadre-ledger --actor 纪委-李 record sanction HB-000123 --on 2025-03-10 --kind 记过 \\
          --authority-kind supervisory --doc "鄂纪〔2025〕12号"
      cadre-ledger record assessment --help
    """


# --- reading: one cadre, post or unit --------------------------------------------------------------
HISTORY_COLUMNS = ["seq", "id", "type", "effective_on", "recorded_at", "actor", "fields"]


def history_rows(rows: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """History-like rows for a table or CSV: the decision's own fields in one `fields` cell."""
    from projections.fields import fields_cell

    return [{k: v for k, v in r.items() if k != "decision"} | {"fields": fields_cell(r["decision"], lang)}
            for r in rows]


def in_dates(rows: list[dict[str, Any]], since: date | None, until: date | None,
             as_of: date | None) -> list[dict[str, Any]]:
    """The rows whose effective date lies in [since, until] and on or before as_of (each when given)."""
    return [r for r in rows if (since is None or r["effective_on"] >= since)
            and (until is None or r["effective_on"] <= until) and (as_of is None or r["effective_on"] <= as_of)]


@cli.command(context_settings=CONTEXT, epilog=EXIT_CODES)
@click.argument("cadre", required=False)
@click.option("--post", help="The history of a leading post instead, e.g. --post JM02-HEAD.")
@click.option("--unit", help="The history of a unit instead: its own decisions (一案双查), its leading posts' and its "
                             "cadres', e.g. --unit 掇刀区财政局.")
@click.option("--as-of", callback=parse_day, metavar="DATE",
              help="Only decisions in effect by this date (YYYY-MM-DD). Default: all.")
@known_at_option
@click.option("--since", callback=parse_day, metavar="DATE", help="Only decisions effective on or after DATE.")
@click.option("--until", callback=parse_day, metavar="DATE", help="Only decisions effective on or before DATE.")
@click.option("--verify", "verify_seals", is_flag=True, help="Check each event against its seal.")
@output_options("json", "csv")
@pass_env
def history(env: Env, cadre: str | None, post: str | None, unit: str | None, as_of: date | None,
            known_at: datetime | None, since: date | None, until: date | None, verify_seals: bool,
            output: Output) -> None:
    """Every event of a cadre (by number or name), a post or a unit, in recorded order.

    \b
    Example:
      cadre-ledger history HB-000123 --since 2024-01-01 --lang zh
      cadre-ledger history --post JM02-HEAD --json
      cadre-ledger history HB-000123 --verify
    """
    if sum(x is not None for x in (cadre, post, unit)) != 1:
        raise click.UsageError("name one cadre, or --post POST, or --unit UNIT")
    if unit is not None:
        rows = env.reader.unit_history(env.unit(unit), known_at)
        columns = ["stream", *HISTORY_COLUMNS]
    else:
        number = env.cadre(cadre, output.view.lang) if cadre is not None else None
        rows = env.ledger.history(cadre=number, post=post, at=known_at, verify=verify_seals)
        columns = HISTORY_COLUMNS + (["verified"] if verify_seals else [])
    rows = in_dates(rows, since, until, as_of)
    if output.fmt == "json":
        output.rows(rows, columns)
        return
    output.rows(history_rows(rows, "en"), columns, human=history_rows(rows, output.view.lang))


@cli.command(context_settings=CONTEXT, epilog=EXIT_CODES)
@click.argument("cadre")
@time_axes
@html_option
@output_options("json")
@pass_env
def show(env: Env, cadre: str, as_of: date, known_at: datetime | None, html_path: str | None,
         output: Output) -> None:
    """A cadre's status, by number or by name: impact periods, promotability, triggers, rank eligibility.

    A name that several cadres share lists them with their numbers and units (exit 1).

    \b
    Example:
      cadre-ledger show HB-000123
      cadre-ledger show 张明 --lang zh
      cadre-ledger show HB-000123 --as-of 2025-07-01 --known-at 2025-08-01T00:00:00Z --json
      cadre-ledger show HB-000123 --html dossier.html
    """
    from projections.sections import to_sections

    status = env.quick_status(cadre, as_of, known_at) or env.reader.status(env.cadre(cadre, output.view.lang),
                                                                           as_of, known_at)
    if html_path is not None:
        from projections.pictures import render_dossier

        write_page(env, output, html_path, "dossier", as_of, known_at,
                   lambda meta, lang: render_dossier(status, meta, lang))
        return
    output.document(status, lambda view: to_sections(status, view))


# --- reading: across cadres -------------------------------------------------------------------------
LIST_COLUMNS = ["cadre", "name", "unit", "promotable", "running", "next_end", "expiring", "open_flags", "pool"]


@cli.command("list", context_settings=CONTEXT, epilog=EXIT_CODES)
@click.option("--expiring-within", type=click.IntRange(min=0), metavar="DAYS",
              help="Only cadres with a running period that ends within DAYS after --as-of, e.g. 90.")
@click.option("--flagged", is_flag=True, help="Only cadres with a raised trigger awaiting determination.")
@click.option("--not-promotable", is_flag=True, help="Only cadres who may not be promoted (R-BLOCK).")
@click.option("--pool", is_flag=True, help="Only cadres in the 敢做善成 pool.")
@click.option("--unit", help="Only cadres of this unit (its full name), e.g. --unit 掇刀区财政局.")
@click.option("--name", metavar="TEXT", help="Only cadres whose name contains TEXT, e.g. --name 张.")
@time_axes
@output_options("json", "csv")
@pass_env
def list_cmd(env: Env, expiring_within: int | None, flagged: bool, not_promotable: bool, pool: bool,
             unit: str | None, name: str | None, as_of: date, known_at: datetime | None, output: Output) -> None:
    """Cadres filtered by status, from the reporting tables (brought up to date first).

    \b
    Example:
      cadre-ledger list --expiring-within 90
      cadre-ledger list --not-promotable --unit 掇刀区财政局 --csv --bom --out barred.csv
      cadre-ledger list --name 张 --lang zh
    """
    if expiring_within is not None and date.max - as_of < timedelta(days=min(expiring_within, 10**7)):
        raise click.BadParameter(f"{expiring_within:,} days after {as_of} is past 9999-12-31; give fewer days",
                                 param_hint="--expiring-within")
    rows = env.reader.list_cadres(as_of, known_at, expiring_within=expiring_within, flagged=flagged,
                                  not_promotable=not_promotable, pool=pool,
                                  unit=env.unit(unit) if unit is not None else None, name=name)
    output.rows(rows, LIST_COLUMNS)


FINDING_KINDS = ["override", "restoration-missing", "demotion-missing", "inquiry-overdue", "handover-late",
                 "retroactive-breach"]
FINDING_COLUMNS = ["kind", "source", "cadre", "post", "raised_on", "rule", "detail"]


@cli.command(context_settings=CONTEXT, epilog=EXIT_CODES)
@click.option("--kind", type=click.Choice(FINDING_KINDS), help="Only findings of this kind, e.g. --kind override.")
@time_axes
@output_options("json", "csv")
@pass_env
def findings(env: Env, kind: str | None, as_of: date, known_at: datetime | None, output: Output) -> None:
    """Audit findings: overrides, missing restorations and demotions, late replies and handovers, retroactive
    breaches.

    \b
    Example:
      cadre-ledger findings --lang zh
      cadre-ledger findings --kind override --json
    """
    from projections.details import with_details

    rows = env.reader.findings(as_of, known_at, kind)
    output.rows(rows, FINDING_COLUMNS, section="findings", human=with_details(rows, output.view.lang))


HANDOVER_COLUMNS = ["post", "unit", "title", "announced_on", "due_on", "status", "outgoing", "incoming",
                    "completed_on", "source"]


@cli.command(context_settings=CONTEXT, epilog=EXIT_CODES)
@click.option("--status", type=click.Choice(["open", "overdue", "completed", "completed-late"]),
              help="Only handovers with this status as of --as-of, e.g. --status overdue.")
@click.option("--post", help="Only this leading post, e.g. --post JM02-HEAD.")
@click.option("--unit", help="Only posts of this unit, e.g. --unit 掇刀区.")
@time_axes
@output_options("json", "csv")
@pass_env
def handovers(env: Env, status: str | None, post: str | None, unit: str | None, as_of: date,
              known_at: datetime | None, output: Output) -> None:
    """Principal-leader handovers announced on or before --as-of, with their status on that date (R-HANDOVER).

    \b
    Example:
      cadre-ledger handovers --status overdue
      cadre-ledger handovers --post JM02-HEAD --json
    """
    rows = env.reader.handovers(as_of, known_at, status=status, post=env.post(post) if post else None,
                                unit=env.unit(unit) if unit else None)
    output.rows(rows, HANDOVER_COLUMNS, section="handovers")


@cli.group(context_settings=CONTEXT)
def handover() -> None:
    """One handover's full record."""


@handover.command("show", context_settings=CONTEXT, epilog=EXIT_CODES)
@click.argument("post")
@click.option("--announced", required=True, callback=parse_as_of, metavar="DATE",
              help="The date the leadership change was announced (YYYY-MM-DD), as `handovers` lists it.")
@time_axes
@output_options("json")
@pass_env
def handover_show(env: Env, post: str, announced: date, as_of: date, known_at: datetime | None,
                  output: Output) -> None:
    """The record a supervisor signs: items by category with amounts, the outgoing leader's 实绩清单, signoffs.

    \b
    Example:
      cadre-ledger handover show JM02-HEAD --announced 2024-11-04 --lang zh
    """
    from projections.sections import handover_text

    record = env.ledger.handover_record(env.post(post), announced, as_of, known_at)
    output.document(record, lambda view: handover_text(record, view))


REPORT_COLUMNS = {
    None: ["cadre", "report", "standing", "received_on", "channel", "disposition", "reply_due_on", "replied_on",
           "status"],
    "open": ["cadre", "report", "received_on", "channel", "disposition", "disposition_on", "reply_due_on",
             "replied_on", "status"],
    "overdue": ["cadre", "report", "received_on", "letter_received_on", "reply_due_on", "status"],
    "clarified": ["cadre", "report", "clarified_on", "scope", "source"],
}


@cli.command(context_settings=CONTEXT, epilog=EXIT_CODES)
@click.option("--open", "which", flag_value="open",
              help="Only reports still open: not yet closed, deferred or clarified (a replied inquiry stays open "
                   "until its report is closed).")
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
    rows = env.reader.reports(as_of, known_at, which)
    output.rows(rows, REPORT_COLUMNS[which], section="reports")


@cli.command(context_settings=CONTEXT, epilog=EXIT_CODES)
@click.argument("case_no", metavar="CASE")
@click.option("--as-of", callback=parse_day, metavar="DATE",
              help="Only decisions in effect by this date (YYYY-MM-DD). Default: all.")
@known_at_option
@output_options("json", "csv")
@pass_env
def case(env: Env, case_no: str, as_of: date | None, known_at: datetime | None, output: Output) -> None:
    """Every decision of one case (一案双查): the organisation's and its leaders', in one view.

    \b
    Example:
      cadre-ledger case JM02-2024-001
    """
    rows = env.reader.case(case_no, known_at)
    if not rows:
        raise Refused(f"no decision is recorded under case {case_no}; check the case number, e.g. in "
                      "`cadre-ledger history CADRE`")
    rows = in_dates(rows, None, None, as_of)
    columns = ["stream", *HISTORY_COLUMNS]
    if output.fmt == "json":
        output.rows(rows, columns)
        return
    output.rows(history_rows(rows, "en"), columns, human=history_rows(rows, output.view.lang))


@cli.command(context_settings=CONTEXT, epilog=EXIT_CODES)
@click.option("--from", "start", callback=parse_day, metavar="DATE", help="First day of the window (inclusive).")
@click.option("--to", "end", callback=parse_day, metavar="DATE", help="Day after the window (exclusive).")
@click.option("--recorded-since", callback=parse_known_at, metavar="TIMESTAMP",
              help="Instead: what was recorded at or after this moment, late decisions first, the latest first.")
@click.option("--cadre", help="Only this cadre (number or name).")
@click.option("--unit", help="Only cadres of this unit (with --recorded-since: also its posts and itself).")
@known_at_option
@output_options("json", "csv")
@pass_env
def changes(env: Env, start: date | None, end: date | None, recorded_since: datetime | None, cadre: str | None,
            unit: str | None, known_at: datetime | None, output: Output) -> None:
    """Status changes dated in [--from, --to): restrictions started or ended, promotability, triggers raised or
    determined, posts, post levels, ranks and employment — or, with --recorded-since, what was recorded since.

    A decision recorded after its effective date (by the Asia/Shanghai date) is `late`.

    \b
    Example:
      cadre-ledger changes --from 2026-01-01 --to 2026-04-01 --unit 掇刀区财政局 --lang zh
      cadre-ledger changes --from 2025-01-01 --to 2026-01-01 --cadre HB-000123
      cadre-ledger changes --recorded-since 2026-11-01T00:00:00+08:00
    """
    from projections.changes import CHANGE_COLUMNS, RECORDED_COLUMNS

    if cadre is not None and unit is not None:
        raise click.UsageError("give --cadre or --unit, not both")
    number = env.cadre(cadre, output.view.lang) if cadre is not None else None
    if unit is not None:
        env.unit(unit)
    if recorded_since is not None:
        if start is not None or end is not None:
            raise click.UsageError("give --from/--to or --recorded-since, not both")
        streams = [f"cadre/{number}"] if number else env.reader.unit_streams(unit, known_at) if unit else None
        output.rows(env.reader.recorded_since(recorded_since, streams), list(RECORDED_COLUMNS), section="changes")
        return
    if start is None or end is None:
        raise click.UsageError("give --from DATE and --to DATE (or --recorded-since TIMESTAMP)")
    if end <= start:
        raise click.BadParameter(f"{end} is not after --from {start}; the window is [--from, --to)",
                                 param_hint="--to")
    cadres = [number] if number else env.reader.cadre_numbers(unit) if unit else None
    output.rows(env.reader.changes(start, end, known_at, cadres), list(CHANGE_COLUMNS), section="changes")


@cli.command(context_settings=CONTEXT, epilog=EXIT_CODES)
@click.option("--unit", help="Only this unit's cadres, posts and findings, e.g. --unit 掇刀区.")
@time_axes
@html_option
@output_options("json")
@pass_env
def dashboard(env: Env, unit: str | None, as_of: date, known_at: datetime | None, html_path: str | None,
              output: Output) -> None:
    """The dashboard `demo` prints, for this ledger on any date: restrictions ending within 90 days, triggers
    awaiting determination, overdue handovers and inquiry replies, audit findings (the latest first), integrity.

    \b
    Example:
      cadre-ledger dashboard --as-of 2026-11-20 --lang zh
      cadre-ledger dashboard --as-of 2026-06-30 --unit 掇刀区
      cadre-ledger dashboard --html dashboard.html --unit 掇刀区
    """
    from ledger.integrity.front import summarize, verify_ledger
    from projections.dashboard import dashboard_text
    from projections.report import first_report

    chosen = env.unit(unit) if unit is not None else None
    integrity = summarize(verify_ledger(env.ledger.session))
    report = first_report(env.reader, as_of, integrity, chosen, known_at)
    if html_path is not None:
        from projections.pictures import render_dashboard

        write_page(env, output, html_path, "dashboard", as_of, known_at,
                   lambda meta, lang: render_dashboard(report, meta, lang, unit=chosen))
        return
    output.document(report, lambda view: dashboard_text(report, view))


@cli.command(context_settings=CONTEXT, epilog=EXIT_CODES)
@click.option("--after", type=click.IntRange(min=0, max=2**63 - 1), default=0, metavar="POSITION",
              help="Start after this log position (exclusive): the last position a consumer saw.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", help="Output format.")
@click.option("--follow", is_flag=True, help="Keep streaming new events as they are recorded (Ctrl-C to stop).")
@click.option("--type", "types", multiple=True, metavar="TYPE", help="Only this decision type (repeatable).")
@click.option("--cadre", help="Only this cadre's events (number or name).")
@pass_env
def export(env: Env, after: int, fmt: str, follow: bool, types: tuple[str, ...], cadre: str | None) -> None:
    """Stream events in log order as envelopes, for downstream systems.

    Each line: position, id, stream, version, type, effective_on, recorded_at, actor, data, hash.
    A consumer resumes with --after the last position it saw. CSV cells a spreadsheet would run as formulas
    start with '.

    \b
    Example:
      cadre-ledger export > feed.jsonl
      cadre-ledger export --after 9812 --type sanction --format csv
      cadre-ledger export --after 9812 --follow | my-consumer
    """
    from ledger.schema import TYPES
    from projections.feed import ENVELOPE_FIELDS, envelopes
    from projections.feed import follow as follow_feed
    from projections.render import cell, safe_cell

    for t in types:
        if t not in TYPES:
            raise click.BadParameter(f"{t!r} is not a decision type; use one of {', '.join(TYPES)}",
                                     param_hint="--type")
    number = env.cadre(cadre) if cadre is not None else None
    stream = (follow_feed(env.ledger, after, types, number) if follow
              else envelopes(env.ledger, after, types, number))
    out = sys.stdout
    if fmt == "csv":
        import csv

        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(ENVELOPE_FIELDS)
        for item in stream:
            writer.writerow([safe_cell(dumps(v, None) if k == "data" else cell(v)) for k, v in item.items()])
            if follow:
                out.flush()
        return
    for item in stream:
        out.write(dumps(item, None) + "\n")
        if follow:
            out.flush()


@cli.command(context_settings=CONTEXT, epilog=EXIT_CODES)
@click.option("--to", "target_url", required=True, metavar="URL",
              help="The empty database to copy the ledger into, e.g. postgresql://user:pw@host:5432/db.")
@people_options
@pass_env
def migrate(env: Env, target_url: str, view: View) -> None:
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
        head = env.ledger.recorder.max_notification_id() or 0
        with progress_bar(head, "copying") as bar:
            copied = copy_ledger(env.ledger.session, target.session, progress=bar)
            target.close()
            target = CadreLedger(target_url)  # opened again as what it now is: the source's copy, keyed alike
            if bar:
                bar.stage("rebuilding", head)
            Reader(target).rebuild(progress=bar)
        click.echo(messages.migrated(copied, target.database.redacted(), view.lang))
    finally:
        target.close()


# --- the main job --------------------------------------------------------------------------------
@cli.command(context_settings=CONTEXT, epilog=EXIT_CODES)
@click.option("--cadres", type=click.IntRange(min=1), default=2000, show_default=True, help="How many cadres.")
@click.option("--years", type=click.IntRange(min=1, max=30), default=10, show_default=True, help="Years of history.")
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed: the same seed, the same province.")
@click.option("--jsonl", type=click.File("w", encoding="utf-8"), metavar="FILE",
              help="Write the decisions as JSON Lines to FILE (- for stdout) instead of recording them.")
@people_options
@pass_env
def demo(env: Env, cadres: int, years: int, seed: int, jsonl: Any, view: View) -> None:
    """Build a synthetic province ledger and print the dashboard an organisation department reads first.

    Generates units, leading posts, cadres and ten years of decisions of every type, records them through
    the normal import path (into ./cadre-ledger.db unless --db says otherwise), brings the read models up,
    verifies integrity, and prints the dashboard as of the generator's last day (2026-11-20); `dashboard`
    prints it again for any date.

    \b
    Example:
      cadre-ledger demo
      cadre-ledger --db /tmp/small.db demo --cadres 200 --years 5 --seed 7 --lang zh
      cadre-ledger demo --jsonl province.jsonl
    """
    if jsonl is not None:
        from ledger import demo as province

        count = province.write_jsonl(jsonl, province.generate(cadres=cadres, years=years, seed=seed))
        click.echo(f"已写出 {count:,} 条决定" if view.lang == "zh" else f"wrote {count:,} decisions", err=True)
        return
    from projections.dashboard import dashboard_text
    from projections.demo import run_demo

    click.echo(messages.demo_start(cadres, years, seed, view.lang), err=True)
    done = run_demo(env.write_ledger, cadres=cadres, years=years, seed=seed, actor=env.actor or "demo",
                    progress=progress_bar)
    for message in done.imported.errors[:20]:
        click.echo(message, err=True)
    imported = done.imported
    click.echo(messages.import_summary(imported.recorded, imported.already, imported.refused, False, view.lang),
               err=True)
    if done.report is None:
        raise Refused(f"the demo province did not record cleanly ({imported.refused:,} refused)")
    click.echo(dashboard_text(done.report, view))
    if not done.report["integrity"]["ok"]:
        sys.exit(1)


# --- integrity -----------------------------------------------------------------------------------
@cli.command(context_settings=CONTEXT, epilog=EXIT_CODES)
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


@cli.command("checkpoint", context_settings=CONTEXT, epilog=EXIT_CODES)
@click.option("--key", "key_path", metavar="FILE", help="The private key (else CADRE_LEDGER_SIGNING_KEY).")
@click.option("--out", metavar="FILE", help="Also save the checkpoint to FILE (its directory must exist).")
@pass_env
def checkpoint_cmd(env: Env, key_path: str | None, out: str | None) -> None:
    """Print (and save) a signed checkpoint: tree size, root hash, time, signature. Auditors keep these.

    \b
    Example:
      cadre-ledger checkpoint --key ledger.key --out checkpoints/2026-11-26.json
    """
    from ledger.integrity.front import checkpoint

    text = dumps(checkpoint(env.log_ledger.session, key_path))
    if out:
        write_file(out, text + "\n")
    click.echo(text)


@cli.command(context_settings=CONTEXT, epilog=EXIT_CODES)
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

    app = env.log_ledger
    if app.key_problem is not None and not log_only:  # the derived checks open what is encrypted
        raise Unusable(f"{app.key_problem}; checking the snapshots, the decision index and the reporting tables "
                       "needs the key")
    events = app.recorder.max_notification_id() or 0
    with progress_bar(events, "checking the sealed log") as bar:
        summary = summarize(verify_ledger(app.session, checkpoints, public_key, progress=bar))
    if summary["ok"] and not log_only:
        from projections.audit import verify_derived, with_derived

        with progress_bar(events, "checking what queries read") as bar:
            summary = with_derived(summary, verify_derived(app, progress=bar))
    output.document(summary, lambda view: view.paint(str(summary["message"]), "good" if summary["ok"] else "bad"))
    if not summary["ok"]:
        sys.exit(1)


@cli.command(context_settings=CONTEXT, epilog=EXIT_CODES)
@click.argument("decision_id")
@click.option("--checkpoint", type=click.Path(exists=True, dir_okay=False),
              help="Prove inclusion in the tree this saved checkpoint signed.")
@click.option("--out", metavar="FILE", help="Also save the proof to FILE (its directory must exist).")
@pass_env
def prove(env: Env, decision_id: str, checkpoint: str | None, out: str | None) -> None:
    """Print an inclusion proof for one decision, checkable offline with verify-proof.

    \b
    Example:
      cadre-ledger prove s-2023-17 --checkpoint checkpoints/2026-11-26.json --out s-2023-17.proof.json
    """
    from ledger.integrity.front import prove as make_proof

    app = env.ledger
    text = dumps(make_proof(app.session, decision_id, checkpoint, app.keys, app.stream_name))
    if out:
        write_file(out, text + "\n")
    click.echo(text)


@cli.command("verify-proof", context_settings=CONTEXT, epilog=EXIT_CODES)
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


@cli.command(context_settings=CONTEXT, epilog=EXIT_CODES)
@output_options("json", "csv")
@pass_env
def projections(env: Env, output: Output) -> None:
    """Each read model's position in the log and its lag.

    \b
    Example:
      cadre-ledger projections
    """
    output.rows(env.reader.positions(), ["name", "table", "rows", "position", "log_head", "lag"],
                section="projections")


@cli.command(context_settings=CONTEXT, epilog=EXIT_CODES)
@click.argument("name", required=False, default="all", type=click.Choice(READ_MODELS))
@people_options
@pass_env
def rebuild(env: Env, name: str, view: View) -> None:
    """Rebuild the read models (or the one named) from zero, from every stored event.

    \b
    Example:
      cadre-ledger rebuild
      cadre-ledger rebuild restrictions
    """
    from projections.reader import Reader

    tables = None if name == "all" else [f"proj_{name}"]
    writer = env.write_ledger
    with progress_bar(writer.recorder.max_notification_id() or 0, "rebuilding") as bar:
        count = Reader(writer).rebuild(progress=bar, tables=tables)
    click.echo(messages.rebuilt(None if tables is None else name, count, view.lang))


def main() -> None:
    """Console entry point: one-line errors, exit 1 for refusals, 2 for usage and unusable input, 3 for bugs."""
    for stream in (sys.stdout, sys.stderr):  # a character the terminal cannot show is escaped, never a crash
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.FileError as e:
        Unusable(f"{e.ui_filename}: {e.message}").show()
        sys.exit(2)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except LedgerError as e:
        (Unusable if e.exit_code == 2 else Refused)(e.message).show()
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
                   "(a bug, exit 3; set CADRE_LEDGER_DEBUG=1 for the traceback and report it)", err=True)
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
