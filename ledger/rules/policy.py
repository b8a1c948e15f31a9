"""Every choice that RULES.md marks **policy**, in one place, so that it is easy to change.

Each constant names the rule it serves. The rule tables (``sanctions.py``) and the checks read these
values; nothing else in ``ledger/rules/`` restates them.
"""
from __future__ import annotations

# R-DATE: "自…之日起计算" — the effective day is day 1 of the period (not the civil code's Art. 201
# default, which would exclude it). `periods.add_months` implements this reading.

# R-PARTY: "五年内" of party-expulsion is read as covering the post bars as well as rejoining.
EXPULSION_REJOIN_MONTHS = 60
EXPULSION_POST_BAR_MONTHS = 60

# R-PARTY-COMBINED: the probation step of the combination ladder (probation 12 -> probation 24).
# A `party-probation` named among `violations` (which carry kinds only) counts as the 12-month one.
COMBINED_PROBATION_STEP: tuple[int, int] = (12, 24)
VIOLATION_PROBATION_MONTHS = 12

# R-PARTY-COMBINED / R-STATE-COMBINED: a `violations` list with a single entry is one violation,
# not a combination: the decision's kind must equal it and nothing is raised.
MIN_VIOLATIONS_TO_COMBINE = 2

# R-STATE-STACK: applied to 政务处分 by a supervisory commission too, and across the two authorities.
STATE_STACK_ACROSS_AUTHORITIES = True
STATE_STACK_CAP_MONTHS = 48

# R-STATE-COMBINED: the ceiling of a combined period.
STATE_COMBINED_MAX_MONTHS = 48

# R-ORG: admonition (诫勉) bars promotion for 6 months (a local rule; national text not located).
ADMONITION_MONTHS = 6
# R-ORG: demotion (降职) bars promotion for 24 months (an older rule says 12).
ORG_DEMOTION_MONTHS = 24
# R-ORG: suspension (停职检查) has no national duration; it runs until `suspension-end`.

# R-ASSESS-NEXT: `basically-competent` restricts promotion in the next year like `incompetent`
# (the 2020 wording was not verified).
NEXT_YEAR_RESTRICTING_GRADES = frozenset({"basically-competent", "incompetent"})

# R-POST-SKIP: `seniority-waiver` waives seniority order, not the statutory 2-year deputy -> chief floor.
SENIORITY_WAIVER_KEEPS_FLOOR = True

# Variations and `reduced` exemptions carry a kind only. A decision that becomes a probation that way
# keeps its own `period_months` if it was decided as a probation, else gets this many months.
DEFAULT_PROBATION_MONTHS = 12
# A combined state decision's `period_months` belongs to the kind it was decided as; once a variation
# or a `reduced` exemption changes the kind, the new kind's own period applies.

# Exemptions (any outcome) never restore a lowered post or rank, employment or Party membership; only a
# retraction, revocation or variation (void / recomputed from the start) does.
