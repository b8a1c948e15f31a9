"""The ledger's enumerations: canonical tokens, their Chinese labels and accepted aliases.

Every enumerated value is stored as its canonical English token. Input may give the token or exactly
one of the Chinese terms printed beside it in SPEC.md / RULES.md. Where one Chinese term has two
meanings (警告), the decision's `authority_kind` decides (see `sanction_kind`).
"""
from __future__ import annotations

from collections.abc import Mapping

# token -> Chinese label. The label is also an accepted alias unless listed in AMBIGUOUS.
GRADES: dict[str, str] = {
    "excellent": "优秀",
    "competent": "称职",
    "basically-competent": "基本称职",
    "incompetent": "不称职",
    "not-graded": "不定等次",
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


def resolve(value: str, table: Mapping[str, str]) -> str | None:
    """The canonical token for `value` (a token or its Chinese term), or None when it is not one."""
    if value in table:
        return value
    for token, label in table.items():
        if value == label:
            return token
    return None


def sanction_kind(value: str, authority_kind: str | None) -> str | None:
    """A sanction kind token; 警告 is `party-warning` for a Party authority, else `warning`."""
    if value == "警告":
        return "party-warning" if authority_kind == "party" else "warning"
    return resolve(value, SANCTION_KINDS)


def sanction_track(kind: str) -> str:
    """`party` or `state`: which discipline track a sanction kind belongs to."""
    return "party" if kind in PARTY_SANCTIONS else "state"
