"""The ledger's enumerations: canonical tokens, their Chinese labels and accepted aliases.

Every enumerated value is stored as its canonical English token. Input may give the token or exactly
one of the Chinese terms printed beside it in SPEC.md / RULES.md. Where one Chinese term has two
meanings (警告), the decision's `authority_kind` decides (see `sanction_kind`).
"""
from __future__ import annotations

import unicodedata
from collections.abc import Mapping

# token -> Chinese label. The label is also an accepted alias unless listed in AMBIGUOUS.
GRADES: dict[str, str] = {
    "excellent": "优秀",
    "competent": "称职",
    "basically-competent": "基本称职",
    "incompetent": "不称职",
    "not-graded": "不确定等次",
}
PARTY_SANCTIONS: dict[str, str] = {
    "party-warning": "警告",
    "party-serious-warning": "严重警告",
    "party-post-removal": "撤销党内职务",
    "party-probation": "留党察看",
    "party-expulsion": "开除党籍",
}
STATE_SANCTIONS: dict[str, str] = {
    "warning": "警告",
    "demerit": "记过",
    "major-demerit": "记大过",
    "grade-demotion": "降级",
    "post-dismissal": "撤职",
    "discharge": "开除",
}
SANCTION_KINDS: dict[str, str] = {**PARTY_SANCTIONS, **STATE_SANCTIONS}
AUTHORITY_KINDS: dict[str, str] = {"party": "党组织", "supervisory": "监察机关", "appointing-body": "任免机关"}
ORG_KINDS: dict[str, str] = {
    "circular": "通报",
    "admonition": "诫勉",
    "suspension": "停职检查",
    "post-adjustment": "调整职务",
    "ordered-resignation": "责令辞职",
    "resignation-for-fault": "引咎辞职",
    "accountability-removal": "免职(问责)",
    "demotion": "降职",
}
# A measure that removes the cadre from the post (R-ORG): post and post_level become null.
LEAVES_POST_ORG_KINDS = frozenset({"ordered-resignation", "resignation-for-fault", "accountability-removal"})

APPOINTMENT_PATHS: dict[str, str] = {
    "regular": "常规",
    "direct": "县乡正职直接提任",
    "seniority-waiver": "破除论资排辈",
    "exceptional": "破格",
    "lateral": "平级",
    "lower": "降级使用",
}
STAFF_CATEGORIES: dict[str, str] = {
    "civil-servant": "公务员",
    "public-institution": "事业单位",
    "soe": "国有企业",
}
# Highest first (R-POST).
POST_LEVELS: dict[str, str] = {
    "province-chief": "省部级正职",
    "province-deputy": "省部级副职",
    "bureau-chief": "厅局级正职",
    "bureau-deputy": "厅局级副职",
    "county-chief": "县处级正职",
    "county-deputy": "县处级副职",
    "township-chief": "乡科级正职",
    "township-deputy": "乡科级副职",
}
POST_LEVEL_ORDER: tuple[str, ...] = tuple(POST_LEVELS)
# Highest first (R-RANK).
RANKS: dict[str, str] = {
    "inspector-1": "一级巡视员",
    "inspector-2": "二级巡视员",
    "researcher-1": "一级调研员",
    "researcher-2": "二级调研员",
    "researcher-3": "三级调研员",
    "researcher-4": "四级调研员",
    "principal-staff-1": "一级主任科员",
    "principal-staff-2": "二级主任科员",
    "principal-staff-3": "三级主任科员",
    "principal-staff-4": "四级主任科员",
    "staff-1": "一级科员",
    "staff-2": "二级科员",
}
RANK_ORDER: tuple[str, ...] = tuple(RANKS)
POST_ROLES: dict[str, str] = {
    "chief": "正职",
    "full-time-deputy-secretary": "专职副书记",
    "executive-deputy": "常务副职",
    "deputy": "副职",
}
INVESTIGATION_OUTCOMES: dict[str, str] = {"no-sanction": "不予处分", "sanctioned": "给予处分", "transferred": "移送"}
EXEMPTION_OUTCOMES: dict[str, str] = {
    "no-liability": "不予追责",
    "exempt": "免责",
    "reduced": "减责",
    "rejected": "不予免责",
}
EXEMPTION_GROUNDS: dict[str, str] = {
    "pilot-inexperience": "先行先试",
    "unrestricted-exploration": "探索试验",
    "unintentional-development-error": "推动发展的无意过失",
    "collective-dissent": "集体决策中明确反对",
    "force-majeure": "不可抗力",
    "other": "其他",
}
EMPLOYMENT_END_REASONS: dict[str, str] = {
    "dismissal": "辞退",
    "resignation": "辞职",
    "retirement": "退休",
    "death": "死亡",
    "transfer-out": "调出",
}
# employment-end reason -> the status's `employment` value
EMPLOYMENT_BY_REASON: dict[str, str] = {
    "dismissal": "dismissed",
    "resignation": "resigned",
    "retirement": "retired",
    "death": "deceased",
    "transfer-out": "transferred-out",
}
EMPLOYMENT_STATES: tuple[str, ...] = (
    "active", "discharged", "dismissed", "resigned", "retired", "deceased", "transferred-out",
)
DISPOSITIONS: dict[str, str] = {
    "talk": "谈话",
    "letter-inquiry": "函询",
    "deferred": "暂存待查",
    "no-inquiry": "予以了结",
    "preliminary-verification": "初步核实",
    "closed": "了结",
}
DISPOSITION_REASONS: dict[str, str] = {
    "no-substance": "反映问题笼统",
    "not-verifiable": "无法查证",
    "untrue": "失实",
    "hearsay": "道听途说",
    "speculation": "主观臆测",
    "substantiated": "属实",
}
COMMENDATION_KINDS: dict[str, str] = {
    "citation": "嘉奖",
    "merit-3": "记三等功",
    "merit-2": "记二等功",
    "merit-1": "记一等功",
    "honorary-title": "授予称号",
}
TRIGGERS: dict[str, str] = {
    "incompetent-year": "年度考核不称职",
    "two-basic-consecutive": "连续两年基本称职",
    "two-incompetent-consecutive": "连续两年不称职",
    "vote-below-two-thirds": "民主测评称职以上票数不足三分之二",
}
DETERMINATION_OUTCOMES: dict[str, str] = {"confirmed": "确属", "dismissed": "不属"}
REUSE_OUTCOMES: dict[str, str] = {"cleared": "解除", "reuse": "使用", "defer": "暂缓"}
UNIT_ACCOUNTABILITY_KINDS: dict[str, str] = {
    "circular": "通报",
    "rectification-order": "责令整改",
    "reorganisation": "改组",
}
HANDOVER_CATEGORIES: dict[str, str] = {
    "key-work": "重点工作",
    "major-decisions": "重大决策",
    "projects": "重大项目",
    "finance-assets": "财务资产",
    "debts": "债权债务",
    "contracts": "合同",
    "disputes": "矛盾纠纷",
    "party-building": "党的建设",
    "legacy-issues": "遗留问题",
    "people": "干部队伍",
    "archives": "档案",
    "environment": "生态环境",
    "other": "其他",
}
SIGNOFF_PARTIES: dict[str, str] = {"outgoing": "移交人", "incoming": "接交人", "supervisor": "监交人"}

# Chinese terms that name two tokens; the caller must resolve them from context.
AMBIGUOUS: frozenset[str] = frozenset({"警告", "通报"})
# Older wording still accepted on input, never displayed: term -> token.
OLDER_TERMS: dict[str, str] = {"不定等次": "not-graded"}


def term_key(value: str) -> str:
    """`value` as terms are compared: Unicode NFKC (full-width brackets become ASCII), trimmed."""
    return unicodedata.normalize("NFKC", value).strip()


def resolve(value: str, table: Mapping[str, str]) -> str | None:
    """The canonical token for `value` (a token, its Chinese term or an older term), or None."""
    if value in table:
        return value
    for token, label in table.items():
        if value == label:
            return token
    key = term_key(value)  # the slower path: only for input that is not exactly a token or a term
    if key != value:
        found = resolve(key, table)
        if found is not None:
            return found
    for token, label in table.items():
        if key == term_key(label):
            return token
    older = OLDER_TERMS.get(key)
    return older if older in table else None


def sanction_kind(value: str, authority_kind: str | None) -> str | None:
    """A sanction kind token; 警告 is `party-warning` for a Party authority, else `warning`."""
    if term_key(value) == "警告":
        return "party-warning" if authority_kind == "party" else "warning"
    return resolve(value, SANCTION_KINDS)


def sanction_track(kind: str) -> str:
    """`party` or `state`: which discipline track a sanction kind belongs to."""
    return "party" if kind in PARTY_SANCTIONS else "state"


# --- Display terms (TERMS-zh.md) --------------------------------------------------------------------------
# The tokens of the status document, the reporting tables and the findings, for people only: JSON and CSV
# keep the English tokens. token -> (short form for a table cell, long form for the dossier and help);
# where the terms list no long form, the long form is the short one.
BAR_TERMS: dict[str, tuple[str, str]] = {
    "promotion": ("提拔晋升", "不得提拔职务、晋升职级（级别）或者重用"),
    "salary-step": ("晋升工资档次", "不得晋升工资档次"),
    "leadership-post": ("安排领导职务", "不得安排领导职务"),
    "higher-post": ("高于原职务", "不得担任高于原任职务层次的职务"),
    "equal-or-higher-post": ("相当或高于原职务", "不得担任与其原任职务相当或者高于其原任职务的职务"),
    "party-rights": ("党员权利", "没有表决权、选举权和被选举权"),
    "rejoin-party": ("重新入党", "不得重新入党"),
    "employment": ("人事关系", "不得被录用、聘用（开除），或人事关系已终止"),
}
END_KIND_TERMS: dict[str, tuple[str, str]] = {
    "date": ("定期", "自解除日起不再受限"),
    "permanent": ("永久", "永久"),
    "pending": ("待后续决定", "至恢复党员权利、解除停职或结案之日"),
}
# `ends_on` is the first clear day: never print it as "至…止", which reads as the last day.
COLUMN_TERMS: dict[str, tuple[str, str]] = {
    "ends_on": ("解除日", "解除日（当日起不受限制）"),
    "effective_on": ("生效日", "生效日期"),
}
TRACK_TERMS: dict[str, tuple[str, str]] = {
    "party": ("党纪", "党纪处分"),
    "state": ("政务", "政务处分（处分）"),
    "org": ("组织处理", "组织处理"),
    "assessment": ("考核", "年度考核"),
    "investigation": ("审查调查", "立案审查调查期间"),
    "employment": ("人事", "人事关系"),
}
GRADE_EFFECT_TERMS: dict[str, tuple[str, str]] = {
    "no-excellent": ("不得评为优秀", "当年度考核不得确定为优秀等次"),
    "not-graded": ("不确定等次", "当年度参加考核，不确定等次"),
    "incompetent": ("不称职", "当年度考核确定为不称职等次"),
}
EMPLOYMENT_TERMS: dict[str, tuple[str, str]] = {
    "active": ("在职", "在职"),
    "discharged": ("已开除", "已开除"),
    "dismissed": ("已辞退", "已辞退"),
    "resigned": ("已辞职", "已辞职"),
    "retired": ("已退休", "已退休"),
    "deceased": ("已去世", "已去世"),
    "transferred-out": ("已调出", "已调出"),
}
HANDOVER_STATUS_TERMS: dict[str, tuple[str, str]] = {
    "open": ("进行中", "进行中"),
    "overdue": ("已逾期", "已逾期"),
    "completed": ("已办结", "已办结"),
    "completed-late": ("逾期办结", "逾期办结"),
}
FINDING_TERMS: dict[str, tuple[str, str]] = {
    "override": ("越规录入", "违反规则、经说明理由录入"),
    "restoration-missing": ("未恢复党员权利", "留党察看期满未作恢复党员权利决定"),
    "demotion-missing": ("不称职未降级", "年度考核不称职，未按规定降低一个职务或者职级层次任职"),
    "inquiry-overdue": ("函询逾期", "函询未按期回复"),
    "handover-late": ("交接逾期", "工作交接未按期办结"),
    "retroactive-breach": ("补录违规", "事后补录的决定使已记录事项违反规则"),
}
VALUE_TERMS: dict[str, tuple[str, str]] = {"true": ("是", "是"), "false": ("否", "否"), "none": ("无", "无")}
# The kinds of restriction that no decision enumeration names (an open investigation).
RESTRICTION_KIND_TERMS: dict[str, tuple[str, str]] = {"investigation": ("立案审查调查", "立案审查调查期间")}
# Where a report stands (R-REPORT) and the state of its letter inquiry.
REPORT_STANDING_TERMS: dict[str, tuple[str, str]] = {
    "open": ("未了结", "正在处置，尚未了结"),
    "overdue": ("函询逾期", "函询未按期回复"),
    "deferred": ("暂存待查", "暂存待查"),
    "closed": ("已了结", "已了结"),
    "clarified": ("已澄清", "已查诬澄清、恢复名誉"),
}
REPORT_STATUS_TERMS: dict[str, tuple[str, str]] = {
    "received": ("已受理", "已受理，尚未处置"),
    "awaiting-reply": ("待回复", "函询待回复"),
    "replied": ("已回复", "已按期回复函询，待了结"),
    "replied-late": ("逾期回复", "逾期回复函询，待了结"),
    "overdue": ("逾期未回复", "函询逾期未回复"),
}
# Decision types, for history and case listings.
DECISION_TYPE_TERMS: dict[str, tuple[str, str]] = {
    "register": ("登记", "干部登记入库"),
    "appointment": ("职务任免", "职务任免"),
    "removal": ("免职", "免去领导职务"),
    "rank-promotion": ("职级晋升", "职级晋升"),
    "rank-demotion": ("职级降低", "职级降低"),
    "assessment": ("年度考核", "年度考核"),
    "democratic-evaluation": ("民主测评", "民主测评"),
    "performance-entry": ("实绩清单", "实绩清单事项"),
    "determination": ("认定", "不担当不作为情形认定"),
    "sanction": ("处分", "党纪处分或政务处分"),
    "probation-extension": ("延长留党察看", "延长留党察看期限"),
    "party-rights-restored": ("恢复党员权利", "恢复党员权利"),
    "org-handling": ("组织处理", "组织处理"),
    "suspension-end": ("停职检查结束", "停职检查结束"),
    "investigation-open": ("立案审查", "立案审查调查"),
    "investigation-close": ("结案", "审查调查结案"),
    "exemption": ("容错免责", "容错纠错免责"),
    "revocation": ("撤销", "申诉复查撤销"),
    "retraction": ("撤回", "录入错误撤回"),
    "variation": ("变更", "复审复核变更"),
    "employment-end": ("人事关系终止", "人事关系终止"),
    "report": ("问题线索", "问题线索受理"),
    "report-disposition": ("线索处置", "问题线索处置"),
    "inquiry-reply": ("函询回复", "函询回复"),
    "clarification": ("澄清正名", "查诬澄清、恢复名誉"),
    "commendation": ("奖励", "嘉奖、记功、授予称号"),
    "pool-entry": ("入库", "进入敢做善成优秀干部库"),
    "pool-exit": ("出库", "退出敢做善成优秀干部库"),
    "secondment": ("挂职", "挂职或跟班学习"),
    "secondment-end": ("挂职结束", "挂职或跟班学习结束"),
    "training": ("培训", "参加培训"),
    "health-check": ("体检", "体检"),
    "leave": ("休假", "休假"),
    "reuse-review": ("期满使用审查", "影响期满后使用审查"),
    "unit-accountability": ("单位问责", "党组织、单位问责（一案双查）"),
    "post-register": ("职位登记", "领导职位登记"),
    "leadership-change": ("主要领导变动", "主要负责人变动，启动工作交接"),
    "handover-item": ("交接事项", "交接清单事项"),
    "handover-extension": ("交接延期", "批准延长交接期限"),
    "handover-signoff": ("交接签字", "交接签字"),
    "handover-complete": ("交接办结", "工作交接办结"),
}
# The kinds of change that `changes` lists between two dates.
CHANGE_TERMS: dict[str, tuple[str, str]] = {
    "restriction-started": ("影响期开始", "影响期开始"),
    "restriction-ended": ("影响期解除", "影响期届满解除"),
    "promotable": ("可否提拔", "可否提拔变化"),
    "flag-raised": ("触发调整情形", "触发不担当不作为调整情形"),
    "flag-determined": ("情形已认定", "调整情形已认定"),
    "post": ("职务", "职务变化"),
    "post-level": ("职务层次", "职务层次变化"),
    "rank": ("职级", "职级变化"),
    "employment": ("在职状态", "在职状态变化"),
}

# group -> terms, in the order `display` looks a token up when no group is given.
DISPLAY_TERMS: dict[str, dict[str, tuple[str, str]]] = {
    "bars": BAR_TERMS, "end_kinds": END_KIND_TERMS, "tracks": TRACK_TERMS,
    "grade_effects": GRADE_EFFECT_TERMS, "employment": EMPLOYMENT_TERMS,
    "handover_statuses": HANDOVER_STATUS_TERMS, "finding_kinds": FINDING_TERMS, "values": VALUE_TERMS,
    "columns": COLUMN_TERMS,
}
# group -> terms of the read side's own tokens that the published terms table does not list (our wording),
# looked up after DISPLAY_TERMS.
OWN_TERMS: dict[str, dict[str, tuple[str, str]]] = {
    "restriction_kinds": RESTRICTION_KIND_TERMS, "report_standings": REPORT_STANDING_TERMS,
    "report_statuses": REPORT_STATUS_TERMS, "decision_types": DECISION_TYPE_TERMS, "changes": CHANGE_TERMS,
}
# group -> the decision enumerations above (one term each), looked up after the display terms.
VOCABULARIES: dict[str, Mapping[str, str]] = {
    "grades": GRADES, "sanction_kinds": SANCTION_KINDS, "authority_kinds": AUTHORITY_KINDS,
    "org_kinds": ORG_KINDS, "appointment_paths": APPOINTMENT_PATHS, "staff_categories": STAFF_CATEGORIES,
    "post_levels": POST_LEVELS, "ranks": RANKS, "post_roles": POST_ROLES,
    "investigation_outcomes": INVESTIGATION_OUTCOMES, "exemption_outcomes": EXEMPTION_OUTCOMES,
    "exemption_grounds": EXEMPTION_GROUNDS, "employment_end_reasons": EMPLOYMENT_END_REASONS,
    "dispositions": DISPOSITIONS, "disposition_reasons": DISPOSITION_REASONS,
    "commendation_kinds": COMMENDATION_KINDS, "triggers": TRIGGERS,
    "determination_outcomes": DETERMINATION_OUTCOMES, "reuse_outcomes": REUSE_OUTCOMES,
    "unit_accountability_kinds": UNIT_ACCOUNTABILITY_KINDS, "handover_categories": HANDOVER_CATEGORIES,
    "signoff_parties": SIGNOFF_PARTIES,
}


def _value_token(token: object) -> str:
    if token is None:
        return "none"
    if isinstance(token, bool):
        return "true" if token else "false"
    return str(token)


def display(token: object, *, group: str | None = None, long: bool = False) -> str:
    """The official Chinese term of a token (short, or `long` for the dossier), else the token itself.

    `group` names a table of DISPLAY_TERMS, OWN_TERMS or VOCABULARIES (`"bars"`, `"tracks"`, `"grades"`, …); without
    it the display terms are searched first, then the decision enumerations, in the order listed, so a
    token of two tables (`employment`, `party`) needs its group. True, False and None are `values`.
    """
    key = _value_token(token)
    terms = {**DISPLAY_TERMS, **OWN_TERMS}
    if group is not None and group not in terms and group not in VOCABULARIES:
        raise KeyError(f"no display group {group!r}; groups: {', '.join([*terms, *VOCABULARIES])}")
    groups = [group] if group is not None else [*terms, *VOCABULARIES]
    for name in groups:
        if name in terms and key in terms[name]:
            short, full = terms[name][key]
            return full if long else short
        if name in VOCABULARIES and key in VOCABULARIES[name]:
            return VOCABULARIES[name][key]
    return key
