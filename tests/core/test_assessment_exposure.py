"""Exposure per threat type: the risk level's rank; 0, with the reason, when unrated or not applicable."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stoa.core.assessment.exposure import NOT_APPLICABLE, RATED, UNRATED, exposure_scale, exposures
from stoa.core.assessment.ranking import ScenarioRisk
from tests.core.test_assessment_matrix import MATRIX


def test_the_documented_rule_on_an_example() -> None:
    result = exposures([
        ScenarioRisk("FIREARMS", 0, 1, 1),  # low
        ScenarioRisk("VEHICLE", 2, 4, 5),  # very high
        ScenarioRisk("IED", 3, 3, 3),  # medium
        ScenarioRisk("PBIED", 4, 4, None),  # half rated
        ScenarioRisk("CHEMICAL", 7, 5, 5, not_applicable=True),
    ], MATRIX)
    assert [(e.threat, e.value, e.status) for e in result] == [
        ("FIREARMS", 1, RATED), ("VEHICLE", 4, RATED), ("IED", 2, RATED), ("PBIED", 0, UNRATED),
        ("CHEMICAL", 0, NOT_APPLICABLE)]
    assert result[1].level is not None and result[1].level.id == "very_high"
    assert exposure_scale(MATRIX) == 4


def test_a_rating_outside_the_matrix_is_refused() -> None:
    with pytest.raises(ValueError, match="consequence"):
        exposures([ScenarioRisk("IED", 3, 2, 9)], MATRIX)


@given(st.integers(1, 5), st.integers(1, 5), st.integers(1, 5), st.integers(1, 5))
def test_a_worse_rating_never_lowers_the_exposure(lik: int, con: int, lik2: int, con2: int) -> None:
    low = exposures([ScenarioRisk("IED", 0, min(lik, lik2), min(con, con2))], MATRIX)[0]
    high = exposures([ScenarioRisk("IED", 0, max(lik, lik2), max(con, con2))], MATRIX)[0]
    assert 1 <= low.value <= high.value <= exposure_scale(MATRIX)
