"""A decision's fields for people: each field's Chinese name and meaning in words (the `record` help), and a
recorded decision's fields as one `name=value` cell (history, case) in the reader's language."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ledger import vocab
from ledger.schema import COMMON, TYPES, Field
from projections.labels import text

# field -> (Chinese name, what it holds, in words). A (type, field) entry in TYPE_WORDS wins.
WORDS: dict[str, tuple[str, str]] = {
    "id": ("决定编号", ("The decision's own id, e.g. the document number plus a sequence; derived from the "
                      "content when absent. Recording the same id again is a no-op.")),
    "doc": ("文号", "The document number of the decision."),
    "authority": ("决定机关", "The body that made the decision."),
    "note": ("备注", "A free note; may span lines."),
    "case": ("案件编号", "The case number (一案双查) the decision belongs to."),
    "override_reason": ("越规录入理由", ("Record it even though a rule refuses it; the override becomes an audit "
                                     "finding.")),
    "name": ("姓名", "The cadre's full name."),
    "unit": ("单位", "The unit (工作单位) by its full name."),
    "post": ("职务", "The post's title, free text (never looked up)."),
    "post_level": ("职务层次", "The level of the leadership post."),
    "post_level_since": ("任现职务层次时间", "Since when the cadre holds this post level."),
    "rank": ("职级", "The rank (职级)."),
    "rank_since": ("任现职级时间", "Since when the cadre holds this rank."),
    "party_member": ("党员", "Whether the cadre is a member of the Communist Party of China."),
    "service_start": ("参加工作时间", "The day the cadre started work."),
    "staff_category": ("人员类别", "The kind of staff."),
    "path": ("任用方式", "How the appointment was made."),
    "post_id": ("职位编号", "The registered leading post taken up (its post id)."),
    "role": ("职位类型", "The role of the post among the unit's leaders."),
    "approval_ref": ("批复文号", "The approval of the appointment."),
    "basis": ("依据", "What the decision rests on."),
    "reason": ("理由", "Why."),
    "year": ("年度", "The year concerned."),
    "grade": ("考核等次", "The annual assessment grade."),
    "valid": ("有效票", "Valid votes cast."),
    "excellent": ("优秀票", "Votes for excellent."),
    "competent": ("称职票", "Votes for competent."),
    "basically_competent": ("基本称职票", "Votes for basically competent."),
    "incompetent": ("不称职票", "Votes for incompetent."),
    "title": ("名称", "The title."),
    "detail": ("说明", "The details; may span lines."),
    "category": ("类别", "The category."),
    "verified_by": ("核实单位", "Who verified it."),
    "trigger": ("情形", "The adjustment trigger determined (不担当不作为)."),
    "outcome": ("结果", "The outcome."),
    "kind": ("种类", "The kind."),
    "authority_kind": ("处分机关类别", "Which kind of body imposes the sanction; it must match the kind."),
    "violations": ("违纪违法行为", "For a combined decision: the kind of each violation."),
    "period_months": ("期限（月）", "The period in months (留党察看: 12 or 24)."),
    "new_post": ("新职务", "The post held after the dismissal (title)."),
    "new_post_level": ("新职务层次", "The post level after the measure."),
    "new_rank": ("新职级", "The rank after the dismissal."),
    "target": ("对象决定", "The id of the decision this one concerns."),
    "determination": ("认定决定", "The id of the determination this measure carries out."),
    "list_item": ("免责减责事项", "The entry of the 免责减责事项清单 applied."),
    "applicant": ("申请人", "Who applied for the exemption."),
    "replacement": ("改定种类", "The lighter kind that replaces the original."),
    "report": ("线索编号", "The report's number."),
    "channel": ("来源渠道", "How the report came in (一网监督, 来信, 来访 …)."),
    "summary": ("摘要", "What the report says; may span lines."),
    "disposition": ("处置方式", "What was done with the report."),
    "received_on": ("函询收到日期", "The day the cadre received the letter of inquiry (default: the decision's date)."),
    "scope": ("澄清范围", "Where the clarification was announced."),
    "host": ("接收单位", "The unit hosting the secondment."),
    "programme": ("项目", "The programme."),
    "hours": ("学时", "Hours of training."),
    "start": ("开始日期", "The first day of leave."),
    "end": ("结束日期", "The last day of leave."),
    "leave_type": ("假别", "The kind of leave (年休假, 病假 …)."),
    "targets": ("期满决定", "The ids of the expired decisions reviewed."),
    "principal": ("主要负责人职位", "Whether the post is a principal leader's (its changes open a handover)."),
    "outgoing": ("移交人", "The cadre number of the outgoing leader."),
    "incoming": ("接交人", "The cadre number of the incoming leader, or none when there is no successor yet."),
    "supervisors": ("监交人", "Who supervises the handover."),
    "announced_on": ("宣布日期", "The day the leadership change was announced (identifies the handover)."),
    "description": ("内容", "What is handed over; may span lines."),
    "amount": ("金额", "An amount in yuan, e.g. 1250000.00."),
    "working_days": ("延长工作日", "Working days added (the whole handover may take at most 20)."),
    "approved_by": ("批准单位", "Who approved the extension."),
    "party": ("签字方", "Who signs."),
    "signer": ("签字人", "The signer's name."),
}
TYPE_WORDS: dict[tuple[str, str], tuple[str, str]] = {
    ("register", "post"): ("职务", "The cadre's post title, free text (for a non-leader, e.g. the rank's name)."),
    ("register", "post_level"): ("职务层次", "The level of the leadership post, or none for a non-leader."),
    ("appointment", "basis"): ("实绩依据", "Ids of performance entries (实绩清单) the appointment rests on."),
    ("determination", "basis"): ("认定依据", "The flag's last year (e.g. 2024), or the democratic evaluation's id."),
    ("removal", "reason"): ("免职理由", "Why the cadre leaves the post (到龄, 健康, 工作需要 …)."),
    ("revocation", "reason"): ("撤销理由", "Why the decision was overturned on appeal."),
    ("retraction", "reason"): ("撤回理由", "Why the decision was recorded in error."),
    ("variation", "reason"): ("变更理由", "Why the kind was changed on review."),
    ("employment-end", "reason"): ("终止原因", "Why the employment ends."),
    ("report-disposition", "reason"): ("了结理由", "Why the report is deferred, not inquired into, or closed."),
    ("pool-entry", "reason"): ("入库理由", "Why the cadre enters the pool."),
    ("pool-exit", "reason"): ("出库理由", "Why the cadre leaves the pool."),
    ("sanction", "kind"): ("处分种类", "The sanction: a Party kind with --authority-kind party, else a state kind."),
    ("org-handling", "kind"): ("组织处理种类", "The organisational measure."),
    ("commendation", "kind"): ("奖励种类", "The commendation."),
    ("variation", "kind"): ("变更后种类", "The kind the decision is changed to."),
    ("unit-accountability", "kind"): ("问责方式", "How the unit is held accountable."),
    ("determination", "outcome"): ("认定结果", "Whether the trigger is confirmed or dismissed."),
    ("exemption", "outcome"): ("免责结果", "The exemption's outcome."),
    ("exemption", "ground"): ("免责情形", "The ground of the exemption."),
    ("investigation-close", "outcome"): ("结案结果", "How the investigation ended."),
    ("reuse-review", "outcome"): ("审查结果", "The outcome of the re-use review."),
    ("post-register", "unit"): ("单位", "The unit the post belongs to."),
    ("post-register", "title"): ("职位名称", "The post's title."),
    ("performance-entry", "title"): ("实绩事项", "What was achieved."),
    ("performance-entry", "category"): ("类别", "A category of your choosing (经济发展, 民生 …)."),
    ("handover-item", "category"): ("交接类别", "The category on the handover list."),
}
EXAMPLE_BY_KIND: dict[str, str] = {
    "date": "2025-03-10", "bool": "", "count": "3", "year": "2025", "months": "12", "amount": "1250000.00",
    "ident": "XF-2025-001", "idents": "s-2023-17", "text": "宜昌市夷陵区", "texts": "市委组织部 王强",
    "longtext": "经集体研究决定", "basis": "2024",
}


def words(type_name: str, name: str) -> tuple[str, str]:
    """A field's Chinese name and meaning in words."""
    return TYPE_WORDS.get((type_name, name)) or WORDS.get(name) or (name, "")


def fields_of(type_name: str) -> dict[str, Field]:
    """Every field a decision of this type takes, the common ones first."""
    return {**COMMON, **TYPES[type_name].fields}


def need(spec: Field) -> str:
    """When a field must, may or may not be given, in words."""
    if spec.when:
        flag = "--" + spec.when[0].replace("_", "-")
        values = " or ".join(sorted(spec.when[1]))
        return (f"Required when {flag} is {values}; refused otherwise." if spec.required
                else f"Optional when {flag} is {values}; refused otherwise.")
    if spec.required:
        return "Required."
    return f"Optional (default: {spec.default})." if spec.default is not None else "Optional."


def choices(spec: Field) -> str:
    """An enumeration's values, each with its Chinese term (either is accepted)."""
    if not spec.table:
        return ""
    listed = " · ".join(f"{token} {term}" for token, term in spec.table.items())
    return f"One of: {listed} (the token or its Chinese term)."


def option_help(type_name: str, name: str, spec: Field, example: Any = None) -> str:
    """The help of one `record TYPE` option: Chinese name, meaning, when it is needed, choices, an example."""
    zh, meaning = words(type_name, name)
    flag = "--" + name.replace("_", "-")
    parts = [f"{zh}.", meaning, need(spec), choices(spec)]
    if spec.nullable:
        parts.append("Write none for null.")
    if spec.kind in ("enums", "texts", "idents"):
        parts.append("Repeat for several.")
    shown = _example(spec, example)
    if spec.kind == "bool":
        parts.append(f"Example: {flag} (or --no-{name.replace('_', '-')}).")
    elif shown:
        parts.append(f"Example: {flag} {shown}.")
    return " ".join(p for p in parts if p)


def _example(spec: Field, example: Any) -> str:
    if isinstance(example, list):
        example = example[0] if example else None
    if example is not None and example != "":
        if spec.table and example in spec.table:
            return spec.table[example]
        shown = text(example)
        return f'"{shown}"' if " " in shown else shown
    if spec.table:
        return next(iter(spec.table.values()))
    return EXAMPLE_BY_KIND.get(spec.kind, "")


def fields_cell(decision: Mapping[str, Any], lang: str = "en") -> str:
    """A decision's own fields as `name=value` pairs for one table cell; Chinese names and terms in Chinese."""
    type_name = str(decision.get("type"))
    known = TYPES.get(type_name)
    skip = {"id", "type", "on", known.subject if known else "cadre"}
    specs = fields_of(type_name) if known else {}
    pairs = []
    for name, raw in decision.items():
        if name in skip:
            continue
        if lang == "zh":
            pairs.append(f"{words(type_name, name)[0]}={_term(specs.get(name), raw)}")
        else:
            pairs.append(f"{name}={text(raw)}")
    return " ".join(pairs)


def _term(spec: Field | None, raw: Any) -> str:
    if isinstance(raw, bool) or raw is None:
        return vocab.display(raw)
    if isinstance(raw, list):
        return "、".join(_term(spec, v) for v in raw)
    if spec is not None and spec.table and isinstance(raw, str):
        return spec.table.get(raw, raw)
    return text(raw)
