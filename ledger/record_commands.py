"""The `record TYPE` commands: one per decision type, generated from the decision table on first use.

Command-line glue only: each command turns its options into the same JSON object an import line would
be, and hands it to the caller's `run_decision` (which records it through the importer).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 110}


class RecordGroup(click.Group):
    """`record`: its subcommands (one per decision type) are built only when asked for."""

    def __init__(self, *args: Any, run_decision: Callable[..., None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.run_decision = run_decision

    def list_commands(self, ctx: click.Context) -> list[str]:
        from ledger.schema import TYPES

        return list(TYPES)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        from ledger.schema import TYPES

        return record_command(name, self.run_decision) if name in TYPES else None


def record_command(type_name: str, run_decision: Callable[..., None]) -> click.Command:
    """The `record TYPE` command of one decision type: options from its fields, help with an example."""
    from ledger.examples import example_for
    from ledger.schema import COMMON, TYPES

    dtype = TYPES[type_name]
    fields = {**COMMON, **dtype.fields}
    example = example_for(type_name)

    def run(env: Any, **options: Any) -> None:
        run_decision(env, decision_from_options(type_name, dtype.subject, fields, options))

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
            params.append(click.Option([flag, name], help=helptext + (" Use 'none' for null." if spec.nullable else "")))
    help_text = (f"Record a {type_name} decision: {dtype.meaning}.\n\n\b\nExample:\n  "
                 f"cadre-ledger --actor 组织部-王 record {type_name} {_example_line(example, dtype.subject, fields)}")
    return click.Command(type_name, params=params, callback=click.pass_obj(run), help=help_text,
                         context_settings=CONTEXT, short_help=dtype.meaning)


def decision_from_options(type_name: str, subject: str, fields: dict[str, Any], options: dict[str, Any]) -> dict:
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
        elif spec is not None and spec.kind == "basis" and str(value).isdigit():
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
