"""Plain data → text for people and machines: JSON, CSV and aligned tables. No domain logic here."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ledger.characters import escaped, json_escaped
from ledger.storage.transcoder import to_jsonable

# Labels for `show --lang zh` and table headers.
ZH: dict[str, str] = {
    "cadre": "干部编号", "name": "姓名", "as_of": "查询日期", "known_at": "截至记录时间", "unit": "单位",
    "post": "职务", "post_level": "职务层次", "rank": "职级", "staff_category": "人员类别",
    "party_member": "党员", "employment": "在职状态", "promotable": "可否提拔",
    "salary_step_allowed": "可否晋升薪级", "party_rights_suspended": "党员权利是否中止",
    "restrictions": "影响期（进行中）", "expired_restrictions": "影响期（已届满）", "grade_effects": "考核等次影响",
    "flags": "调整触发情形", "rank_promotion_eligible_on": "职级晋升最低年限届满日", "open_investigations": "在审案件",
    "pool": "敢做善成优秀干部库", "open_reports": "未了结问题线索", "clarified_reports": "已澄清问题",
    "commendations": "奖励", "handovers": "交接", "findings": "审计发现", "source": "依据决定", "track": "类别",
    "kind": "种类", "effective_on": "生效日期", "end_kind": "终止方式", "ends_on": "届满日", "bars": "限制",
    "rule": "规则", "year": "年度", "effect": "影响", "trigger": "情形", "raised_on": "触发日期",
    "basis": "依据", "determination": "认定", "true": "是", "false": "否", "none": "无",
}


def dumps(value: Any, indent: int | None = 2) -> str:
    """JSON text (UTF-8, Chinese unescaped; control and bidirectional characters as \\u escapes); dates,
    datetimes and Decimals as strings."""
    return json_escaped(json.dumps(value, ensure_ascii=False, indent=indent, default=_json_default))


def printable(text: str, multiline: bool = False) -> str:
    """`text` with control (C0, DEL, C1) and bidirectional characters escaped as `\\x1b`, `\\u202e`, `\\n`:
    what older data holds never reaches a terminal raw. With `multiline`, newlines and tabs are kept."""
    return escaped(text, multiline)


def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def cell(value: Any, multiline: bool = False) -> str:
    """One table or CSV cell, printable (a CSV cell keeps its newlines and tabs: `multiline`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(cell(v, multiline) for v in value)
    if isinstance(value, Mapping):
        return printable(json.dumps(to_jsonable(value), ensure_ascii=False, separators=(",", ":")), multiline)
    return printable(str(to_jsonable(value)), multiline)


def to_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str:
    """CSV text with a header row."""
    columns = list(columns or _columns(rows))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(c), multiline=True) for c in columns])
    return out.getvalue()


def to_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None, limit: int = 60) -> str:
    """An aligned text table; long cells are cut with an ellipsis."""
    columns = list(columns or _columns(rows))
    if not rows:
        return "(none)"
    cells = [[_clip(cell(row.get(c)), limit) for c in columns] for row in rows]
    widths = [max(_width(h), *(_width(r[i]) for r in cells)) for i, h in enumerate(columns)]
    lines = ["  ".join(_pad(h, w) for h, w in zip(columns, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_pad(v, w) for v, w in zip(r, widths)).rstrip() for r in cells]
    return "\n".join(lines)


def to_sections(status: Mapping[str, Any], lang: str = "en") -> str:
    """A status document as a readable block: scalars first, then one table per list."""
    def label(key: str) -> str:
        return ZH.get(key, key) if lang == "zh" else key.replace("_", " ")

    scalars = [(k, v) for k, v in status.items() if not isinstance(v, (list, tuple))]
    width = max((_width(label(k)) for k, _ in scalars), default=0)
    out = [f"{_pad(label(k), width)}  {_scalar(v, lang)}" for k, v in scalars]
    for key, value in status.items():
        if isinstance(value, (list, tuple)):
            out.append("")
            out.append(f"{label(key)}:")
            if value and isinstance(value[0], Mapping):
                cols = _columns(value)
                table = to_table(value, cols)
                if lang == "zh":
                    header, rest = table.split("\n", 1)
                    header = "  ".join(label(c) for c in cols)
                    table = header + "\n" + rest
                out.append("  " + table.replace("\n", "\n  "))
            else:
                out.append("  " + (", ".join(cell(v) for v in value) if value else "(none)"))
    return "\n".join(out)


def _scalar(value: Any, lang: str) -> str:
    if lang == "zh" and (value is None or isinstance(value, bool)):
        return ZH["none"] if value is None else ZH[str(value).lower()]
    return cell(value) if value is not None else "-"


def _columns(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    return columns


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fields_line(decision: Mapping[str, Any]) -> str:
    """A decision's own fields as `key=value` pairs, for one table cell."""
    skip = {"id", "type", "on", "cadre", "post", "unit"}
    return " ".join(f"{k}={dumps(v, None).strip(chr(34))}" for k, v in decision.items() if k not in skip)


def format_first_report(r: Mapping[str, Any], limit: int = 15) -> str:
    """The first report (projections/report.py) as text: sections of short tables."""
    out: list[str] = []

    def section(title: str, rows: list[dict[str, Any]], columns: list[str]) -> None:
        out.append(f"\n== {title}: {len(rows):,}")
        if rows:
            out.append(to_table(rows[:limit], columns))
            if len(rows) > limit:
                out.append(f"… and {len(rows) - limit:,} more")

    out.append(f"\nCadre ledger — report as of {r['as_of']}: {r['cadres']:,} cadres, "
               f"{r['not_promotable']:,} not promotable")
    section("Restrictions ending in the next 90 days (re-use review, R-REUSE)", r["expiring"],
            ["cadre", "name", "unit", "expiring"])
    section("Triggers awaiting determination (R-TRIGGER)", r["flags_awaiting_determination"],
            ["cadre", "name", "trigger", "raised_on", "basis"])
    section("Overdue handovers (R-HANDOVER)", r["overdue_handovers"],
            ["post", "unit", "announced_on", "due_on", "outgoing", "incoming"])
    section("Overdue inquiry replies (R-REPORT-DUE)", r["overdue_inquiries"],
            ["cadre", "report", "letter_received_on", "reply_due_on"])
    kinds = ", ".join(f"{k} {n:,}" for k, n in sorted(r["findings_by_kind"].items())) or "none"
    section(f"Audit findings ({kinds})", r["findings"], ["kind", "source", "cadre", "post", "raised_on", "rule"])
    out.append(f"\n== Integrity: {r['integrity']['message']}")
    return "\n".join(out)


def format_handover_record(record: Mapping[str, Any]) -> str:
    """One handover's full record (`handover show`): its fields, then items by category, extensions,
    signoffs and the outgoing leader's 实绩清单, each as a short indented table."""
    head = {k: v for k, v in record.items() if not isinstance(v, (list, dict))}
    out = [to_sections(head)]
    for category, items in record["items_by_category"].items():
        out.append(f"\nitems — {category}:")
        out.append(_indented(to_table(items, ["on", "description", "amount", "source"])))
    for key in ("extensions", "signoffs", "outgoing_performance"):
        out.append(f"\n{key.replace('_', ' ')}:")
        out.append(_indented(to_table(record.get(key) or [])))
    return "\n".join(out)


def _indented(text: str) -> str:
    return "  " + text.replace("\n", "\n  ")
