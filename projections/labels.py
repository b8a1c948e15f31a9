"""What people read for each key and value: column and section labels, and value tokens as official terms.

English output shows keys and tokens as they are (they are also what JSON and CSV carry); Chinese output
shows every label from LABELS and every value token through `ledger.vocab.display`.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ledger import vocab
from ledger.characters import escaped

LANGS = ("en", "zh")
# key -> Chinese label, for every key a person sees as a row label, column header or section title.
# `ends_on` and `effective_on` come from the published terms (vocab "columns").
LABELS: dict[str, str] = {
    # the status document
    "cadre": "干部编号", "name": "姓名", "as_of": "查询日期", "known_at": "截至记录时间", "unit": "单位",
    "post": "职务", "post_level": "职务层次", "rank": "职级", "staff_category": "人员类别", "party_member": "党员",
    "employment": "在职状态", "promotable": "可否提拔", "salary_step_allowed": "可否晋升工资档次",
    "party_rights_suspended": "党员权利中止", "rank_promotion_eligible_on": "职级晋升年限届满日",
    "pool": "敢做善成优秀干部库", "pool_since": "入库日期", "on_leave": "正在休假",
    "restrictions": "影响期（进行中）", "expired_restrictions": "影响期（已解除）", "grade_effects": "考核等次影响",
    "flags": "调整触发情形", "open_investigations": "在审案件", "open_reports": "未了结问题线索",
    "clarified_reports": "已澄清问题线索", "overdue_reports": "函询逾期线索", "commendations": "奖励",
    "handovers": "工作交接", "findings": "审计发现", "performance_entries": "实绩清单", "secondments": "挂职",
    "training": "培训", "health_checks": "体检", "leave": "休假", "reuse_reviews": "期满使用审查",
    "reuse_candidates": "期满待审查使用", "timeline": "履历",
    # rows of the status document and of the listings
    "source": "依据决定", "track": "类别", "kind": "种类", "end_kind": "终止方式", "bars": "限制事项", "rule": "规则",
    "year": "年度", "effect": "影响", "trigger": "情形", "raised_on": "触发日期", "basis": "依据",
    "determination": "认定", "on": "日期", "doc": "文号", "authority": "决定机关", "note": "备注", "title": "名称",
    "detail": "说明", "category": "类别", "verified_by": "核实单位", "programme": "项目", "hours": "学时",
    "start": "开始日期", "end": "结束日期", "leave_type": "假别", "current": "当前", "host": "接收单位",
    "started_on": "开始日期", "ended_on": "结束日期", "end_source": "结束依据", "active": "进行中",
    "targets": "审查对象", "outcome": "结果", "report": "线索编号", "received_on": "受理日期", "channel": "来源渠道",
    "summary": "摘要", "disposition": "处置方式", "disposition_on": "处置日期", "letter_received_on": "函询收到日期",
    "reply_due_on": "回复期限", "replied_on": "回复日期", "status": "状态", "calendar_note": "日历说明",
    "clarified_on": "澄清日期", "scope": "澄清范围", "case": "案件编号", "opened_on": "立案日期",
    "announced_on": "宣布日期", "due_on": "办结期限", "outgoing": "移交人", "incoming": "接交人",
    "completed_on": "办结日期", "completion": "办结依据", "supervisors": "监交人", "working_days": "交接工作日",
    "running": "进行中影响期", "next_end": "最近解除日", "expiring": "即将解除", "open_flags": "待认定情形",
    "standing": "处置状态", "awaiting_review": "待使用审查",
    # history, case, changes
    "seq": "序号", "id": "决定编号", "type": "类型", "recorded_at": "记录时间", "actor": "录入人", "fields": "内容",
    "verified": "核验", "stream": "对象", "change": "变化", "before": "变化前", "after": "变化后",
    "decision_id": "决定编号", "on_date": "日期", "late": "补录",
    # handover record
    "items_by_category": "交接清单", "extensions": "延期", "signoffs": "签字", "outgoing_performance": "移交人实绩清单",
    "description": "内容", "amount": "金额", "approved_by": "批准单位", "party": "签字方", "signer": "签字人",
    # projections
    "table": "数据表", "rows": "行数", "position": "位置", "log_head": "日志末位", "lag": "滞后",
}
ZH_COLUMN_TERMS = ("ends_on", "effective_on")

# column -> the vocabulary group its value tokens belong to; a (section, column) entry wins.
VALUE_GROUPS: dict[str, str | None] = {
    "track": "tracks", "end_kind": "end_kinds", "bars": "bars", "effect": "grade_effects",
    "employment": "employment", "trigger": "triggers", "determination": "determination_outcomes",
    "post_level": "post_levels", "new_post_level": "post_levels", "rank": "ranks", "new_rank": "ranks",
    "staff_category": "staff_categories", "disposition": "dispositions", "standing": "report_standings",
    "type": "decision_types", "change": "changes", "party": "signoff_parties", "grade": "grades",
    "kind": None, "before": None, "after": None, "expiring": None,
}
SECTION_GROUPS: dict[tuple[str, str], str] = {
    ("findings", "kind"): "finding_kinds", ("commendations", "kind"): "commendation_kinds",
    ("reuse_reviews", "outcome"): "reuse_outcomes", ("handovers", "status"): "handover_statuses",
    ("reports", "status"): "report_statuses", ("open_reports", "status"): "report_statuses",
    ("overdue_reports", "status"): "report_statuses", ("items", "category"): "handover_categories",
    ("flags", "basis"): "",
}
_TOKEN = re.compile(r"(?<![\w-])[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?![\w-])")


# (section, key) -> Chinese label where a key means something else there.
SECTION_LABELS: dict[tuple[str, str], str] = {
    ("projections", "name"): "报表", ("projections", "position"): "已处理位置",
}


def label(key: str, lang: str = "en", section: str | None = None) -> str:
    """The label of a key: the key itself in English, its Chinese label in Chinese."""
    if lang != "zh":
        return key
    if (section or "", key) in SECTION_LABELS:
        return SECTION_LABELS[(section or "", key)]
    if key in ZH_COLUMN_TERMS:
        return vocab.display(key, group="columns")
    return LABELS.get(key, key)


def text(value: Any, multiline: bool = False) -> str:
    """A value as plain text, the same in every language: dates ISO, lists joined, None empty; control and
    bidirectional characters escaped (newlines and tabs kept when `multiline`), so that what older data
    holds never reaches a terminal raw."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(text(v, multiline) for v in value)
    if isinstance(value, (date, datetime, Decimal)):
        return str(value) if not isinstance(value, datetime) else value.isoformat()
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={text(v, multiline)}" for k, v in value.items())
    return escaped(str(value), multiline)


def value(key: str, raw: Any, lang: str = "en", section: str | None = None) -> str:
    """A value under `key` for people: as it is in English; in Chinese, every token as its official term."""
    if lang != "zh":
        return text(raw)
    if isinstance(raw, bool):
        return vocab.display(raw)
    if raw is None:
        return ""
    if isinstance(raw, (list, tuple)):
        return "、".join(value(key, v, lang, section) for v in raw)
    if not isinstance(raw, str):
        return text(raw)
    group = SECTION_GROUPS.get((section or "", key), VALUE_GROUPS.get(key, ""))
    if group == "":
        return escaped(raw)
    if key == "expiring":
        return escaped(tokens_in(raw))
    return escaped(vocab.display(raw, group=group) if group else vocab.display(raw))


def tokens_in(phrase: str) -> str:
    """A phrase composed of tokens and ids (`demerit s-1 → 2026-03-10`) with each known token as its term."""
    def term(match: re.Match[str]) -> str:
        token = match.group(0)
        return vocab.display(token)

    return _TOKEN.sub(term, phrase)


def scalar(key: str, raw: Any, lang: str = "en") -> str:
    """A single value beside its label (None shows as `-`, or 无)."""
    if raw is None:
        return vocab.display(None) if lang == "zh" else "-"
    return value(key, raw, lang)
