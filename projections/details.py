"""A finding's `detail` in the reader's language.

The rules write each finding's detail as one English sentence of a fixed wording; in Chinese the same
facts are put back into a Chinese sentence. A detail of a wording not known here reads as the finding
kind's long term with its rule, so no English reaches a Chinese page.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from ledger import vocab

_ID = r"[^\s;:]+"
_DATE = r"\d{4}-\d{2}-\d{2}"

Wording = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]


def _done_inquiry(m: re.Match[str]) -> str:
    done = f"{m['replied']}回复" if m["replied"] else "未回复"
    return f"问题线索 {m['report']} 的函询于 {m['received']} 收到，应于 {m['due']} 前回复；{done}"


def _done_handover(m: re.Match[str]) -> str:
    done = f"{m['completed']}办结" if m["completed"] else "尚未办结"
    return f"{m['post']} {m['announced']} 宣布的工作交接应于 {m['due']} 前办结；{done}"


WORDINGS: dict[str, list[Wording]] = {
    "inquiry-overdue": [(re.compile(
        rf"reply to the letter inquiry on report (?P<report>{_ID}) received on (?P<received>{_DATE}) was due on "
        rf"(?P<due>{_DATE}); (?:replied on (?P<replied>{_DATE})|no reply)$"), _done_inquiry)],
    "handover-late": [(re.compile(
        rf"handover of (?P<post>{_ID}) announced on (?P<announced>{_DATE}) was due on (?P<due>{_DATE}); "
        rf"(?:completed on (?P<completed>{_DATE})|not completed)$"), _done_handover)],
    "demotion-missing": [(re.compile(
        rf"graded incompetent for (?P<year>\d{{4}}); no demotion within 12 months of (?P<on>{_DATE})$"),
        lambda m: f"{m['year']}年度考核确定为不称职（{m['on']}），12个月内未降低职务或者职级层次")],
    "restoration-missing": [(re.compile(
        rf"probation (?P<source>{_ID}) was due for restoration of Party rights on (?P<due>{_DATE})$"),
        lambda m: f"留党察看 {m['source']} 应于 {m['due']} 恢复党员权利，未作决定")],
    "override": [(re.compile(r"(?P<type>[a-z-]+) recorded despite (?P<rule>R-[A-Z-]+): (?P<reason>.+)$", re.S),
                  lambda m: f"{vocab.display(m['type'], group='decision_types')}违反 {m['rule']} 录入，"
                            f"理由：{m['reason']}")],
}


def finding_detail(row: Mapping[str, Any], lang: str = "en") -> str:
    """The detail of one finding row for people: as recorded in English, as a Chinese sentence in Chinese."""
    detail = str(row.get("detail") or "")
    if lang != "zh":
        return detail
    kind = str(row.get("kind") or "")
    for pattern, words in WORDINGS.get(kind, []):
        found = pattern.match(detail)
        if found:
            return words(found)
    rule = f"（{row['rule']}）" if row.get("rule") else ""
    if kind == "override":
        return f"{vocab.display(kind, group='finding_kinds', long=True)}{rule}，理由：{_reason(row, detail)}"
    return f"{vocab.display(kind, group='finding_kinds', long=True)}{rule}"


def _reason(row: Mapping[str, Any], detail: str) -> str:
    """The override's own reason: the detail up to the rule's message, which names the cadre first."""
    cadre = row.get("cadre")
    if cadre and f": {cadre}" in detail:
        return detail.split(f": {cadre}", 1)[0]
    return detail.split(": ", 1)[0]


def with_details(rows: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Finding rows with their `detail` in the reader's language (a copy)."""
    return [{**r, "detail": finding_detail(r, lang)} if "detail" in r else r for r in rows]
