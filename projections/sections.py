"""A document for people: its single values as labelled lines, then one short table per list (show, handover show)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from projections.details import with_details
from projections.labels import label, scalar, value
from projections.render import View, indented, pad, to_table, width

# Shown only when they hold something, also with --all: they mean nothing when empty.
QUIET_SCALARS = frozenset({"pool_since"})
# Lists a person does not read as tables: the pictures' timeline; reuse candidates are marked in the
# expired restrictions instead of repeating them.
HIDDEN_LISTS = frozenset({"timeline", "reuse_candidates"})
# Columns left out of a section of a cadre's own document (they repeat the cadre).
REPEATED = frozenset({"cadre"})


def to_sections(doc: Mapping[str, Any], view: View | None = None, section: str | None = None,
                quiet: bool = False) -> str:
    """A document as a readable block: labelled single values, then one titled table per non-empty list.

    `section` names what the document is (for its value terms); `quiet` leaves out empty single values too."""
    view = view or View()
    doc = _marked(doc)
    scalars = [(k, v) for k, v in doc.items() if not isinstance(v, (list, tuple, Mapping))
               and not ((k in QUIET_SCALARS or (quiet and not view.all)) and v is None)]
    labels = {k: label(k, view.lang) for k, _ in scalars}
    span = max((width(t) for t in labels.values()), default=0)
    out = [f"{pad(labels[k], span)}  {_single(k, v, view.lang, section)}" for k, v in scalars]
    for key, rows in doc.items():
        if not isinstance(rows, (list, tuple)) or key in HIDDEN_LISTS or (not rows and not view.all):
            continue
        out.append("")
        out.append(view.paint(f"{label(key, view.lang)}{'：' if view.lang == 'zh' else ':'}", "title"))
        out.append(indented(section_table(key, list(rows), view)))
    return "\n".join(out)


def _single(key: str, raw: Any, lang: str, section: str | None) -> str:
    return scalar(key, raw, lang) if raw is None or section is None else value(key, raw, lang, section)


def section_table(key: str, rows: Sequence[Any], view: View) -> str:
    """One list of a document as a table (or a line of values when its items are not rows)."""
    if rows and not isinstance(rows[0], Mapping):
        return "、".join(scalar(key, r, view.lang) for r in rows) if view.lang == "zh" else \
            ", ".join(scalar(key, r, view.lang) for r in rows)
    dict_rows = with_details([dict(r) for r in rows], view.lang) if key == "findings" else [dict(r) for r in rows]
    columns = [c for c in _columns(dict_rows) if c not in REPEATED
               and (view.all or any(r.get(c) not in (None, "", [], ()) for r in dict_rows))]
    return to_table(dict_rows, columns, view, section=key)


def _marked(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The status with each expired restriction marked when it awaits a re-use review (R-REUSE)."""
    out = dict(doc)
    if "expired_restrictions" in doc and "reuse_candidates" in doc:
        waiting = {r["source"] for r in doc["reuse_candidates"]}
        out["expired_restrictions"] = [{**r, "awaiting_review": r["source"] in waiting}
                                       for r in doc["expired_restrictions"]]
    return out


def _columns(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    columns: list[str] = []
    for row in rows:
        columns += [k for k in row if k not in columns]
    return columns


def handover_text(record: Mapping[str, Any], view: View | None = None) -> str:
    """One handover's full record (`handover show`): its fields, then items by category, extensions,
    signoffs and the outgoing leader's 实绩清单, each as a short indented table."""
    view = view or View()
    head = {k: v for k, v in record.items() if not isinstance(v, (list, dict))}
    head["supervisors"] = record.get("supervisors") or None
    out = [to_sections(head, view, section="handovers", quiet=True)]
    for category, items in record["items_by_category"].items():
        title = f"{label('items_by_category', view.lang)}: {value('category', category, view.lang, 'items')}"
        out += ["", view.paint(title, "title"),
                indented(to_table(items, ["on", "description", "amount", "source"], view, section="items"))]
    for key in ("extensions", "signoffs", "outgoing_performance"):
        rows = record.get(key) or []
        if rows or view.all:
            out += ["", view.paint(f"{label(key, view.lang)}{'：' if view.lang == 'zh' else ':'}", "title"),
                    indented(to_table(rows, None, view, section=key))]
    return "\n".join(out)
