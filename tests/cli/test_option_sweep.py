"""Every option of every command, given the extreme values a person can type: never an internal error.

The command tree is walked from click itself, so a new command or option is swept without being listed here.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from cli import cli
from ledger.demo import generate
from ledger.examples import example_for
from ledger.schema import TYPES

EXTREMES = ["99999999999999999999", "-99999999999999999999", "-1", "0", "0001-01-01", "9999-12-31",
            "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2026-02-30", "", " ", "\x1b[2J",
            "张" * 300, "NaN"]
SUBJECT = {"cadre": "HB-000001", "post": None, "unit": None}
# Options whose value names a file to read or write, and commands that run long or wait: swept elsewhere.
SKIPPED_OPTIONS = {"--out", "--html", "--private", "--public", "--key", "--checkpoint", "--public-key", "--jsonl",
                   "--help", "--version", "--db", "--actor", "--encoding"}
SKIPPED_COMMANDS = {"demo", "migrate", "keygen", "import", "verify-proof", "rebuild"}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small ledger (ten cadres, three years), recorded once and copied for each command."""
    from ledger.app import CadreLedger
    from projections.reader import Reader

    path = tmp_path_factory.mktemp("sweep") / "seed.db"
    app = CadreLedger(str(path))
    decisions = list(generate(cadres=10, years=3, seed=5))
    assert app.import_lines(enumerate(decisions, 1), "demo").errors == []
    Reader(app).catch_up()
    app.close()
    for kind in ("post", "unit"):
        SUBJECT[kind] = next(d[kind] for d in decisions if TYPES[d["type"]].subject == kind)
    return path


def commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    """Every leaf command under `group`, with the words that invoke it."""
    found = []
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if command is None or name in SKIPPED_COMMANDS:
            continue
        if isinstance(command, click.Group):
            found += commands(command, (*prefix, name))
        else:
            found.append(((*prefix, name), command))
    return found


def arguments_of(command: click.Command) -> list[str]:
    """Values for the command's required arguments that name things the seeded ledger has."""
    values = []
    for param in command.params:
        if isinstance(param, click.Argument) and param.required:
            values.append(SUBJECT.get(param.name or "") or SUBJECT["cadre"] or "")
    return values


def filled(words: tuple[str, ...], command: click.Command, swept: click.Option) -> list[str]:
    """Valid values for every other option a command needs: a `record` command gets its type's example decision
    (so that the swept value reaches the checks of its field); `handover show` gets --announced."""
    if words[0] != "record":
        return ["--announced", "2025-06-01"] if swept.name != "announced" and words == ("handover", "show") else []
    example = example_for(words[1])
    given = []
    for param in command.params:
        if not isinstance(param, click.Option) or param is swept or param.name not in example:
            continue
        value = example[param.name]
        if isinstance(value, bool):
            given.append(param.opts[0] if value else param.secondary_opts[0])
            continue
        for one in value if isinstance(value, list) else [value]:
            given += [param.opts[0], str(one)]
    return given


def options_of(command: click.Command) -> list[click.Option]:
    return [p for p in command.params if isinstance(p, click.Option) and not p.is_flag
            and not set(p.opts) & SKIPPED_OPTIONS]


def test_the_sweep_reaches_every_kind_of_command() -> None:
    names = {" ".join(words) for words, _ in commands(cli)}

    assert {"show", "list", "export", "changes", "history", "record sanction", "handover show"} <= names


@pytest.mark.parametrize("words", [" ".join(w) for w, _ in commands(cli)])
def test_no_value_of_any_option_is_an_internal_error(seeded: Path, tmp_path: Path, words: str) -> None:
    command = {" ".join(w): c for w, c in commands(cli)}[words]
    db = tmp_path / "ledger.db"
    shutil.copy(seeded, db)
    base = ["--db", str(db), "--actor", "sweep", *words.split(), *arguments_of(command)]
    crashes = []

    for option in options_of(command):
        others = filled(tuple(words.split()), command, option)
        for value in EXTREMES:
            done = CliRunner().invoke(cli, [*base, *others, option.opts[0], value], env={"CADRE_LEDGER_LANG": ""})
            if done.exit_code not in (0, 1, 2) or "internal error" in done.output or (
                    done.exception is not None and not isinstance(done.exception, SystemExit)):
                crashes.append(f"{words} {option.opts[0]} {value[:20]!r}: exit {done.exit_code} "
                               f"{done.output.strip()[-200:]} {done.exception!r}")

    assert crashes == []
