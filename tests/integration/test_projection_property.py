"""Property: for random decision sequences, the read models say what a replay of each cadre says."""
from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.app import CadreLedger
from projections.reader import Reader

CADRES = ("HB-1", "HB-2")
KINDS = [("demerit", "supervisory"), ("warning", "appointing-body"), ("major-demerit", "supervisory"),
         ("party-warning", "party"), ("party-serious-warning", "party"), ("party-post-removal", "party")]
START = date(2020, 1, 1)


def day(n: int) -> str:
    return (START + timedelta(days=n)).isoformat()


@st.composite
def decision_sequences(draw):
    decisions = [{"id": f"reg-{c}", "type": "register", "on": "2019-01-01", "cadre": c, "name": "张", "unit": "U",
                  "post": "副局长", "post_level": "county-deputy", "rank": "researcher-3", "rank_since": "2019-01-01",
                  "party_member": True} for c in CADRES]
    sanctions: list[tuple[str, str]] = []
    for i in range(draw(st.integers(1, 10))):
        cadre = draw(st.sampled_from(CADRES))
        what = draw(st.sampled_from(["sanction", "sanction", "org", "exemption", "revocation", "investigation",
                                     "assessment"]))
        on = day(draw(st.integers(0, 1800)))
        d_id = f"d-{i}"
        if what == "sanction":
            kind, authority = draw(st.sampled_from(KINDS))
            decisions.append({"id": d_id, "type": "sanction", "on": on, "cadre": cadre, "kind": kind,
                              "authority_kind": authority})
            sanctions.append((d_id, cadre))
        elif what == "org":
            kind = draw(st.sampled_from(["admonition", "post-adjustment", "accountability-removal"]))
            decisions.append({"id": d_id, "type": "org-handling", "on": on, "cadre": cadre, "kind": kind})
            sanctions.append((d_id, cadre))
        elif what in ("exemption", "revocation") and sanctions:
            target, owner = draw(st.sampled_from(sanctions))
            if what == "exemption":
                outcome = draw(st.sampled_from(["exempt", "no-liability", "rejected"]))
                decisions.append({"id": d_id, "type": "exemption", "on": on, "cadre": owner, "target": target,
                                  "outcome": outcome, "ground": "other"})
            else:
                decisions.append({"id": d_id, "type": "revocation", "on": on, "cadre": owner, "target": target,
                                  "reason": "申诉成立"})
        elif what == "investigation":
            decisions.append({"id": d_id, "type": "investigation-open", "on": on, "cadre": cadre, "case": f"K{i}"})
            close = day(draw(st.integers(0, 1800)))
            if close >= on:
                decisions.append({"id": f"{d_id}-c", "type": "investigation-close", "on": close, "cadre": cadre,
                                  "case": f"K{i}"})
        elif what == "assessment":
            year = draw(st.integers(2019, 2024))
            grade = draw(st.sampled_from(["basically-competent", "incompetent", "competent", "not-graded"]))
            decisions.append({"id": d_id, "type": "assessment", "on": f"{year + 1}-01-20", "cadre": cadre,
                              "year": year, "grade": grade})
    return decisions


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(decisions=decision_sequences(), sample=st.lists(st.integers(0, 2600), min_size=4, max_size=8))
def test_the_read_models_agree_with_a_replay_on_every_sampled_date(tmp_path_factory, decisions, sample):
    app = CadreLedger(str(tmp_path_factory.mktemp("prop") / "p.db"))
    app.import_lines(list(enumerate(decisions, 1)), "clerk", skip_invalid=True)

    for offset in sample:
        as_of = START + timedelta(days=offset)
        listed = {r["cadre"]: r for r in Reader(app).list_cadres(as_of)}
        for cadre in CADRES:
            status = Reader(app).status(cadre, as_of)
            assert listed[cadre]["promotable"] is status["promotable"], (cadre, as_of)
            assert listed[cadre]["running"] == len(status["restrictions"]), (cadre, as_of)
    app.close()
