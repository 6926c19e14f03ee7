"""The risk matrix, checked against Stoa's shipped default (read straight from its YAML file)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from stoa.core.assessment.matrix import RiskMatrix

SHIPPED = Path(__file__).resolve().parents[2] / "stoa" / "library" / "content" / "risk-matrix.yaml"


def shipped_data() -> dict[str, Any]:
    library = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    (matrix,) = [obj for obj in library["objects"] if obj["kind"] == "risk_matrix" and obj.get("default")]
    return dict(matrix)


MATRIX = RiskMatrix.from_dict(shipped_data())


def documented_band(score: int) -> str:
    """The banding the shipped file documents: 1–4 low, 5–9 medium, 10–16 high, 20–25 very high."""
    return "low" if score <= 4 else "medium" if score <= 9 else "high" if score <= 16 else "very_high"


def test_the_shipped_matrix_is_five_by_five_with_four_ranked_levels() -> None:
    assert (MATRIX.likelihood_levels, MATRIX.consequence_levels) == (5, 5)
    assert [(level.id, level.rank) for level in MATRIX.levels] == [
        ("low", 1), ("medium", 2), ("high", 3), ("very_high", 4)]
    assert MATRIX.cell(5, 5).colour == "#b71c1c"
    assert MATRIX.cell(1, 1).name == "Low"
    assert MATRIX.cell(1, 1).translations["fr"]["name"] == "Faible"


@pytest.mark.parametrize("likelihood", range(1, 6))
@pytest.mark.parametrize("consequence", range(1, 6))
def test_every_shipped_cell_follows_the_documented_product_bands(likelihood: int, consequence: int) -> None:
    assert MATRIX.cell(likelihood, consequence).id == documented_band(likelihood * consequence)


def test_likelihood_picks_the_row_and_consequence_the_column() -> None:
    assert MATRIX.cell(2, 5).id == "high"  # grid[1][4]
    assert MATRIX.cell(5, 2).id == "high"  # grid[4][1]
    assert MATRIX.cell(1, 5).id == "medium"


@given(st.integers(-10, 15), st.integers(-10, 15))
def test_a_cell_outside_the_scale_is_refused(likelihood: int, consequence: int) -> None:
    if 1 <= likelihood <= 5 and 1 <= consequence <= 5:
        assert MATRIX.cell(likelihood, consequence).rank >= 1
    else:
        with pytest.raises(ValueError, match="whole number from 1 to 5"):
            MATRIX.cell(likelihood, consequence)


@pytest.mark.parametrize("value", [True, 2.0, "3", None])
def test_a_value_that_is_not_a_whole_number_is_refused(value: Any) -> None:
    with pytest.raises(ValueError, match="likelihood"):
        MATRIX.cell(value, 3)
    with pytest.raises(ValueError, match="consequence"):
        MATRIX.cell(3, value)


def _broken(change: str) -> dict[str, Any]:
    data = copy.deepcopy(shipped_data())
    if change == "short grid":
        data["grid"].pop()
    elif change == "short row":
        data["grid"][2].pop()
    elif change == "undefined level":
        data["grid"][0][0] = "tiny"
    elif change == "repeated level":
        data["levels"].append(dict(data["levels"][0]))
    elif change == "scale gap":
        data["likelihood"][1]["value"] = 3
    elif change == "no levels":
        data["levels"] = []
    return data


@pytest.mark.parametrize(("change", "message"), [
    ("short grid", "needs 5 rows"), ("short row", "row 3 needs 5 cells"),
    ("undefined level", "undefined levels"), ("repeated level", "unique"),
    ("scale gap", "likelihood scale values"), ("no levels", "levels must be"),
])
def test_matrix_data_that_does_not_fit_is_refused(change: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RiskMatrix.from_dict(_broken(change))
