"""The decision table of SPEC.md as data: which fields each decision type takes, of which kind.

`decisions.py` validates against these tables; the JSON Schemas of the feed are generated from them.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ledger import vocab


@dataclass(frozen=True)
class Field:
    """One field of a decision type.

    `kind` is one of: text, longtext, ident, date, bool, count, year, amount, months, enum, enums,
    texts, idents, basis. `table` is the enumeration for enum/enums. `when` = (field, values): the field
    belongs to the decision only when that field has one of those values; `required` then says whether
    it must be given. `nullable`: JSON null is a valid value (the key must still be present if required).
    """

    kind: str
    required: bool = False
    table: Mapping[str, str] | None = None
    when: tuple[str, frozenset[str]] | None = None
    nullable: bool = False
    default: object = None


def req(kind: str, table: Mapping[str, str] | None = None, **kw: object) -> Field:
    """A required field."""
    return Field(kind, True, table, **kw)  # type: ignore[arg-type]


def opt(kind: str, table: Mapping[str, str] | None = None, **kw: object) -> Field:
    """An optional field."""
    return Field(kind, False, table, **kw)  # type: ignore[arg-type]


def only(field_name: str, *values: str) -> tuple[str, frozenset[str]]:
    """Condition: the field belongs to the decision only when `field_name` is one of `values`."""
    return (field_name, frozenset(values))


@dataclass(frozen=True)
class DecisionType:
    """A decision type: its subject key (cadre, post or unit), its fields and a one-line meaning."""

    name: str
    subject: str
    meaning: str
    fields: Mapping[str, Field] = field(default_factory=dict)


COMMON: dict[str, Field] = {
    "id": opt("ident"),
    "doc": opt("text"),
    "authority": opt("text"),
    "note": opt("longtext"),
    "case": opt("ident"),
    "override_reason": opt("longtext"),
}
SANCTION_KIND_TABLE = vocab.SANCTION_KINDS

_TYPES: list[DecisionType] = [
    DecisionType("register", "cadre", "a cadre enters the ledger", {
        "name": req("text"), "unit": req("text"), "post": req("text"),
        "post_level": req("enum", vocab.POST_LEVELS, nullable=True), "post_level_since": opt("date"),
        "rank": req("enum", vocab.RANKS), "rank_since": req("date"), "party_member": req("bool"),
        "service_start": opt("date"), "staff_category": opt("enum", vocab.STAFF_CATEGORIES, default="civil-servant"),
    }),
    DecisionType("appointment", "cadre", "leadership post change 职务任免", {
        "post": req("text"), "post_level": req("enum", vocab.POST_LEVELS),
        "path": req("enum", vocab.APPOINTMENT_PATHS), "post_id": opt("ident"),
        "role": opt("enum", vocab.POST_ROLES), "approval_ref": opt("text"), "basis": opt("idents"),
    }),
    DecisionType("removal", "cadre", "leaves a leadership post without a new one 免职", {"reason": req("text")}),
    DecisionType("rank-promotion", "cadre", "职级晋升", {"rank": req("enum", vocab.RANKS)}),
    DecisionType("rank-demotion", "cadre", "职级降低", {"rank": req("enum", vocab.RANKS)}),
    DecisionType("assessment", "cadre", "annual assessment 年度考核", {
        "year": req("year"), "grade": req("enum", vocab.GRADES),
    }),
    DecisionType("democratic-evaluation", "cadre", "民主测评", {
        "valid": req("count"), "excellent": req("count"), "competent": req("count"),
        "basically_competent": req("count"), "incompetent": req("count"),
    }),
    DecisionType("performance-entry", "cadre", "实绩清单 entry", {
        "title": req("text"), "detail": opt("longtext"), "category": opt("text"), "year": opt("year"),
        "verified_by": opt("text"),
    }),
    DecisionType("determination", "cadre", "认定 on a raised trigger", {
        "trigger": req("enum", vocab.TRIGGERS), "basis": req("basis"),
        "outcome": req("enum", vocab.DETERMINATION_OUTCOMES),
    }),
    DecisionType("sanction", "cadre", "党纪处分 or 政务处分/处分", {
        "kind": req("enum", SANCTION_KIND_TABLE), "authority_kind": req("enum", vocab.AUTHORITY_KINDS),
        "violations": opt("enums", SANCTION_KIND_TABLE), "period_months": opt("months"),
        "new_post": req("text", when=only("kind", "post-dismissal")),
        "new_post_level": req("enum", vocab.POST_LEVELS, when=only("kind", "post-dismissal")),
        "new_rank": req("enum", vocab.RANKS, when=only("kind", "post-dismissal")),
    }),
    DecisionType("probation-extension", "cadre", "留党察看 extended one year", {"target": req("ident")}),
    DecisionType("party-rights-restored", "cadre", "恢复党员权利", {"target": req("ident")}),
    DecisionType("org-handling", "cadre", "组织处理 / 问责 measure", {
        "kind": req("enum", vocab.ORG_KINDS),
        "new_post_level": req("enum", vocab.POST_LEVELS, when=only("kind", "demotion")),
        "determination": opt("ident"),
    }),
    DecisionType("suspension-end", "cadre", "end of 停职检查", {"target": req("ident")}),
    DecisionType("investigation-open", "cadre", "立案审查", {"case": req("ident")}),
    DecisionType("investigation-close", "cadre", "结案", {
        "case": req("ident"), "outcome": opt("enum", vocab.INVESTIGATION_OUTCOMES),
    }),
    DecisionType("exemption", "cadre", "容错免责 decision", {
        "target": req("ident"), "outcome": req("enum", vocab.EXEMPTION_OUTCOMES),
        "ground": req("enum", vocab.EXEMPTION_GROUNDS),
        "replacement": req("enum", {**vocab.SANCTION_KINDS, **vocab.ORG_KINDS}, when=only("outcome", "reduced")),
        "list_item": opt("text"), "applicant": opt("text"), "verified_by": opt("text"),
    }),
    DecisionType("revocation", "cadre", "overturned on appeal", {"target": req("ident"), "reason": req("longtext")}),
    DecisionType("retraction", "cadre", "recorded in error", {"target": req("ident"), "reason": req("longtext")}),
    DecisionType("variation", "cadre", "kind changed on 复审复核", {
        "target": req("ident"), "reason": req("longtext"),
        "kind": req("enum", {**vocab.SANCTION_KINDS, **vocab.ORG_KINDS}),
    }),
    DecisionType("employment-end", "cadre", "辞退 / 辞职 / 退休 / death / transfer out", {
        "reason": req("enum", vocab.EMPLOYMENT_END_REASONS),
    }),
    DecisionType("report", "cadre", "a report about the cadre received", {
        "report": req("ident"), "channel": opt("text"), "summary": opt("longtext"),
    }),
    DecisionType("report-disposition", "cadre", "what was done with a report", {
        "report": req("ident"), "disposition": req("enum", vocab.DISPOSITIONS),
        "reason": req("enum", vocab.DISPOSITION_REASONS, when=only("disposition", "deferred", "no-inquiry", "closed")),
        "received_on": opt("date", when=only("disposition", "letter-inquiry")),
    }),
    DecisionType("inquiry-reply", "cadre", "the cadre's reply to a 函询", {"report": req("ident")}),
    DecisionType("clarification", "cadre", "查诬澄清, reputation restored", {
        "report": req("ident"), "scope": opt("text"),
    }),
    DecisionType("commendation", "cadre", "嘉奖 / 记功 / 称号", {"kind": req("enum", vocab.COMMENDATION_KINDS)}),
    DecisionType("pool-entry", "cadre", "enters the 敢做善成 pool", {"reason": opt("text")}),
    DecisionType("pool-exit", "cadre", "leaves the 敢做善成 pool", {"reason": opt("text")}),
    DecisionType("secondment", "cadre", "挂职 / 跟班学习", {"host": req("text"), "programme": opt("text")}),
    DecisionType("secondment-end", "cadre", "end of a secondment", {"host": req("text"), "programme": opt("text")}),
    DecisionType("training", "cadre", "training completed", {"programme": req("text"), "hours": opt("amount")}),
    DecisionType("health-check", "cadre", "体检", {}),
    DecisionType("leave", "cadre", "休假", {"start": req("date"), "end": req("date"), "leave_type": opt("text")}),
    DecisionType("reuse-review", "cadre", "影响期满后使用 review", {
        "targets": req("idents"), "outcome": req("enum", vocab.REUSE_OUTCOMES),
    }),
    DecisionType("unit-accountability", "unit", "accountability of a Party organisation or unit 一案双查", {
        "kind": req("enum", vocab.UNIT_ACCOUNTABILITY_KINDS), "case": req("ident"),
    }),
    DecisionType("post-register", "post", "a leading post enters the ledger", {
        "unit": req("text"), "title": req("text"), "post_level": req("enum", vocab.POST_LEVELS),
        "principal": req("bool"), "role": opt("enum", vocab.POST_ROLES),
    }),
    DecisionType("leadership-change", "post", "a principal leader changes: opens a handover", {
        "outgoing": req("ident"), "incoming": req("ident", nullable=True), "supervisors": opt("texts"),
    }),
    DecisionType("handover-item", "post", "an entry on the handover list 交接清单", {
        "announced_on": req("date"), "category": req("enum", vocab.HANDOVER_CATEGORIES),
        "description": req("longtext"), "amount": opt("amount"),
    }),
    DecisionType("handover-extension", "post", "approved extension of a handover", {
        "announced_on": req("date"), "working_days": req("count"), "approved_by": req("text"),
    }),
    DecisionType("handover-signoff", "post", "a signature on a handover", {
        "announced_on": req("date"), "party": req("enum", vocab.SIGNOFF_PARTIES), "signer": req("text"),
    }),
    DecisionType("handover-complete", "post", "handover closed", {"announced_on": req("date")}),
]
TYPES: dict[str, DecisionType] = {t.name: t for t in _TYPES}
