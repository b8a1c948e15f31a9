"""The one-line messages the command line prints after a write or a maintenance task, in English or Chinese."""
from __future__ import annotations

from typing import Any

from projections.render import number


def import_summary(recorded: int, already: int, refused: int, dry_run: bool, lang: str = "en") -> str:
    """`recorded 9,812, already recorded 188, refused 0` (or its Chinese)."""
    if lang == "zh":
        verb = "可记录" if dry_run else "已记录"
        return f"{verb} {number(recorded)} 条，此前已记录 {number(already)} 条，拒绝 {number(refused)} 条"
    verb = "would record" if dry_run else "recorded"
    return f"{verb} {number(recorded)}, already recorded {number(already)}, refused {number(refused)}"


def recorded(decision_id: str, overridden: str | None, override: bool, lang: str = "en") -> str:
    """What `record` did; an override says which rule it overrode and that it raised a finding."""
    if lang == "zh":
        if not override:
            return f"已记录 {decision_id}"
        rule = f"已越过 {overridden} 录入" if overridden else "未违反规则，但越规录入理由已记录"
        return f"已记录 {decision_id}；{rule}；已形成审计发现"
    if not override:
        return f"recorded {decision_id}"
    rule = f"{overridden} overridden" if overridden else "no rule refused it, yet the override is kept"
    return f"recorded {decision_id}; {rule}; finding raised"


def already_recorded(decision_id: str | None, lang: str = "en") -> str:
    """What `record` says for a decision recorded before."""
    if lang == "zh":
        return f"此前已记录 {decision_id or '（内容相同）'}"
    return f"already recorded {decision_id or '(same content)'}"


def rebuilt(name: str | None, events: int, lang: str = "en") -> str:
    """What `rebuild` did."""
    if lang == "zh":
        what = "全部报表" if name is None else f"报表 {name}"
        return f"已根据 {number(events)} 个事件重建{what}"
    what = "the read models" if name is None else f"the {name} read model"
    return f"rebuilt {what} from {number(events)} events"


def migrated(events: int, target: str, lang: str = "en") -> str:
    """What `migrate` did."""
    if lang == "zh":
        return f"已复制 {number(events)} 个事件到 {target}，并重建其报表"
    return f"copied {number(events)} events to {target} and rebuilt its read models"


def demo_start(cadres: int, years: int, seed: int, lang: str = "en") -> str:
    """What `demo` is about to do."""
    if lang == "zh":
        return f"正在生成并记录 {number(cadres)} 名干部 {years} 年的决定（种子 {seed}）"
    return f"generating and recording {number(cadres)} cadres over {years} years (seed {seed})"


def wrote_page(path: str, what: str, lang: str = "en") -> str:
    """What `show --html` and `dashboard --html` did; `what` is "dossier" or "dashboard"."""
    if lang == "zh":
        return f"已写出{'干部监督信息档案' if what == 'dossier' else '干部监督工作看板'} {path}（可用浏览器打开、打印）"
    return f"wrote the {what} to {path} (open it in a browser to read or print)"


def several_named(name: str, rows: list[dict[str, Any]], lang: str = "en") -> str:
    """Why a name does not pick one cadre, with each candidate's number and unit."""
    listed = "; ".join(f"{r['cadre']} {r['name']} ({r['unit']})" for r in rows)
    if lang == "zh":
        return f"名为 {name} 的干部有 {len(rows)} 人：{listed}；请用干部编号指明"
    return f"{len(rows)} cadres are named {name}: {listed}; name one by its number"
