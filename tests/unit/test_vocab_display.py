"""Display terms: every token of the Chinese terms table has its official term; input takes old and new."""
from __future__ import annotations

import pytest

from ledger import vocab
from ledger.decisions import parse
from ledger.vocab import display

# The table of the Chinese display terms, as published with the specification (group, token, short, long).
TERMS_ZH = """
| bars | `promotion` | 提拔晋升 | 不得提拔职务、晋升职级（级别）或者重用 |
| | `salary-step` | 晋升工资档次 | 不得晋升工资档次 |
| | `leadership-post` | 安排领导职务 | 不得安排领导职务 |
| | `higher-post` | 高于原职务 | 不得担任高于原任职务层次的职务 |
| | `equal-or-higher-post` | 相当或高于原职务 | 不得担任与其原任职务相当或者高于其原任职务的职务 |
| | `party-rights` | 党员权利 | 没有表决权、选举权和被选举权 |
| | `rejoin-party` | 重新入党 | 不得重新入党 |
| | `employment` | 人事关系 | 不得被录用、聘用（开除），或人事关系已终止 |
| end_kinds | `date` | 定期 | 自解除日起不再受限 |
| | `permanent` | 永久 | 永久 |
| | `pending` | 待后续决定 | 至恢复党员权利、解除停职或结案之日 |
| columns | `ends_on` | 解除日 | 解除日（当日起不受限制） |
| | `effective_on` | 生效日 | 生效日期 |
| tracks | `party` | 党纪 | 党纪处分 |
| | `state` | 政务 | 政务处分（处分） |
| | `org` | 组织处理 | 组织处理 |
| | `assessment` | 考核 | 年度考核 |
| | `investigation` | 审查调查 | 立案审查调查期间 |
| | `employment` | 人事 | 人事关系 |
| grade_effects | `no-excellent` | 不得评为优秀 | 当年度考核不得确定为优秀等次 |
| | `not-graded` | 不确定等次 | 当年度参加考核，不确定等次 |
| | `incompetent` | 不称职 | 当年度考核确定为不称职等次 |
| employment | `active` | 在职 | |
| | `discharged` | 已开除 | |
| | `dismissed` | 已辞退 | |
| | `resigned` | 已辞职 | |
| | `retired` | 已退休 | |
| | `deceased` | 已去世 | |
| | `transferred-out` | 已调出 | |
| handover_statuses | `open` | 进行中 | |
| | `overdue` | 已逾期 | |
| | `completed` | 已办结 | |
| | `completed-late` | 逾期办结 | |
| finding_kinds | `override` | 越规录入 | 违反规则、经说明理由录入 |
| | `restoration-missing` | 未恢复党员权利 | 留党察看期满未作恢复党员权利决定 |
| | `demotion-missing` | 不称职未降级 | 年度考核不称职，未按规定降低一个职务或者职级层次任职 |
| | `inquiry-overdue` | 函询逾期 | 函询未按期回复 |
| | `handover-late` | 交接逾期 | 工作交接未按期办结 |
| | `retroactive-breach` | 补录违规 | 事后补录的决定使已记录事项违反规则 |
| values | `true` | 是 | |
| | `false` | 否 | |
| | `none` | 无 | |
"""


def terms() -> list[tuple[str, str, str, str]]:
    """(group, token, short, long) for every row of TERMS_ZH; an empty long form is the short one."""
    rows, group = [], ""
    for line in TERMS_ZH.strip().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        group = cells[0] or group
        rows.append((group, cells[1].strip("`"), cells[2], cells[3] or cells[2]))
    return rows


@pytest.mark.parametrize("group, token, short, long", terms())
def test_every_display_token_has_its_short_and_long_term(group: str, token: str, short: str,
                                                         long: str) -> None:
    assert (display(token, group=group), display(token, group=group, long=True)) == (short, long)


def test_the_display_tables_hold_exactly_the_tokens_of_the_terms_table() -> None:
    listed = {(group, token) for group, token, _, _ in terms()}

    held = {(group, token) for group, table in vocab.DISPLAY_TERMS.items() for token in table}

    assert held == listed


def test_every_token_of_every_decision_enumeration_displays_as_its_chinese_term() -> None:
    for group, table in vocab.VOCABULARIES.items():
        for token, term in table.items():
            assert display(token, group=group) == term == display(token, group=group, long=True)


def test_status_values_display_through_the_values_group() -> None:
    assert [display(True), display(False), display(None)] == ["是", "否", "无"]


def test_without_a_group_display_terms_come_before_the_decision_enumerations() -> None:
    assert display("party") == "党纪"
    assert display("party", group="authority_kinds") == "党组织"
    assert display("employment") == "人事关系"
    assert display("employment", group="tracks") == "人事"
    assert display("county-deputy") == "县处级副职"


def test_a_token_without_a_term_is_shown_as_it_is() -> None:
    assert display("R-STATE") == "R-STATE"
    assert display("not-a-bar", group="bars") == "not-a-bar"


def test_an_unknown_group_is_an_error_naming_the_groups() -> None:
    with pytest.raises(KeyError, match="grade_effects"):
        display("promotion", group="bar")


def test_not_graded_displays_with_the_2020_wording() -> None:
    assert display("not-graded", group="grades") == "不确定等次"
    assert vocab.GRADES["not-graded"] == "不确定等次"


@pytest.mark.parametrize("term", ["不确定等次", "不定等次", "not-graded", " 不定等次 "])
def test_an_assessment_accepts_both_the_new_and_the_older_wording(term: str) -> None:
    raw = {"type": "assessment", "on": "2026-01-20", "cadre": "HB-1", "year": 2025, "grade": term}

    assert parse(raw)["grade"] == "not-graded"
    assert vocab.resolve(term, vocab.GRADES) == "not-graded"


def test_an_older_term_is_only_accepted_where_its_token_belongs() -> None:
    assert vocab.resolve("不定等次", vocab.ORG_KINDS) is None


def test_terms_match_after_nfkc_normalisation_and_trimming() -> None:
    raw = {"type": "org-handling", "on": "2025-05-01", "cadre": "HB-1", "kind": "免职（问责） "}

    assert parse(raw)["kind"] == "accountability-removal"
    assert parse({**raw, "kind": "免职(问责)"})["kind"] == "accountability-removal"


def test_full_width_warning_still_needs_the_authority_to_decide() -> None:
    sanction = {"type": "sanction", "on": "2025-03-10", "cadre": "HB-1", "authority_kind": "party"}

    assert parse({**sanction, "kind": " 警告"})["kind"] == "party-warning"
    assert parse({**sanction, "kind": "警告 ", "authority_kind": "supervisory"})["kind"] == "warning"
