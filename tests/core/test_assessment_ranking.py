"""The ranked vulnerabilities: level, then consequence, then likelihood, then threat order."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stoa.core.assessment.ranking import ScenarioRisk, rank
from tests.core.test_assessment_matrix import MATRIX

THREATS = ["FIREARMS", "SHARP_OBJECT", "VEHICLE", "IED", "PBIED", "UAVIED", "VBIED", "CHEMICAL",
           "BIOLOGICAL", "RADIOLOGICAL"]


def scenario(threat: str, likelihood: int | None, consequence: int | None, **extra: bool) -> ScenarioRisk:
    return ScenarioRisk(threat, THREATS.index(threat), likelihood, consequence, key=f"pk-{threat}", **extra)


def test_the_documented_order_on_an_example() -> None:
    ranked = rank([
        scenario("FIREARMS", 3, 3),  # medium, 9
        scenario("VEHICLE", 4, 5),  # very high
        scenario("IED", 5, 3),  # high, consequence 3
        scenario("PBIED", 3, 4),  # high, consequence 4: before IED despite a lower score
        scenario("SHARP_OBJECT", 4, 3),  # high, consequence 3, likelihood 4: after IED (likelihood 5)
        scenario("CHEMICAL", 4, 4),  # high, consequence 4, likelihood 4: before PBIED
        scenario("VBIED", 3, 3),  # same as FIREARMS: threat order decides
        scenario("BIOLOGICAL", None, 4),  # unrated: left out
        scenario("RADIOLOGICAL", 5, 5, not_applicable=True),  # not applicable: left out
    ], MATRIX)
    assert [(r.position, r.scenario.threat, r.level.id) for r in ranked] == [
        (1, "VEHICLE", "very_high"), (2, "CHEMICAL", "high"), (3, "PBIED", "high"), (4, "IED", "high"),
        (5, "SHARP_OBJECT", "high"), (6, "FIREARMS", "medium"), (7, "VBIED", "medium")]
    assert ranked[0].scenario.key == "pk-VEHICLE"


def test_a_rating_outside_the_matrix_is_refused() -> None:
    with pytest.raises(ValueError, match="likelihood"):
        rank([scenario("IED", 6, 2)], MATRIX)


ratings = st.one_of(st.none(), st.integers(1, 5))


@given(st.lists(st.tuples(ratings, ratings, st.booleans()), min_size=10, max_size=10), st.randoms())
def test_the_ranking_follows_the_rule_whatever_the_input_order(rows: list, rnd: random.Random) -> None:
    scenarios = [scenario(t, lik, con, not_applicable=na) for t, (lik, con, na) in zip(THREATS, rows, strict=True)]
    shuffled = list(scenarios)
    rnd.shuffle(shuffled)
    ranked = rank(shuffled, MATRIX)
    assert ranked == rank(scenarios, MATRIX)
    assert {r.scenario for r in ranked} == {s for s in scenarios if not s.not_applicable
                                            and s.likelihood is not None and s.consequence is not None}
    keys = [(-r.level.rank, -(r.scenario.consequence or 0), -(r.scenario.likelihood or 0),
             r.scenario.threat_order) for r in ranked]
    assert keys == sorted(keys)
    assert [r.position for r in ranked] == list(range(1, len(ranked) + 1))
