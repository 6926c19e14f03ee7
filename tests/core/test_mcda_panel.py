"""The expert panel: per-cell summary, Kendall's W (published examples and a second formula), carry-over."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stoa.core.mcda import CARRY_OVER_RULE, McdaInputError, carry_over, kendall_w, summarise_panel

NAN = float("nan")

# --- summary per alternative × criterion ------------------------------------------------------------


def test_the_panel_summary_per_cell() -> None:
    # Three experts, two alternatives, two criteria; NaN where an expert gave no score.
    scores = np.array([
        [[4, 2], [5, NAN]],
        [[2, 2], [NAN, NAN]],
        [[3, NAN], [NAN, NAN]],
    ])
    summary = summarise_panel(scores)
    assert summary.count.tolist() == [[3, 2], [1, 0]]
    assert summary.mean[0].tolist() == [3.0, 2.0]
    assert summary.mean[1, 0] == 5.0 and math.isnan(summary.mean[1, 1])
    assert summary.std[0, 0] == pytest.approx(math.sqrt(2 / 3))  # population: deviations 1, −1, 0
    assert summary.std[0, 1] == 0.0 and summary.std[1, 0] == 0.0  # agreeing, and a single score
    assert math.isnan(summary.std[1, 1])
    assert summary.min[0].tolist() == [2.0, 2.0] and summary.max[0].tolist() == [4.0, 2.0]
    assert math.isnan(summary.min[1, 1]) and math.isnan(summary.max[1, 1])


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 4), st.integers(1, 3), st.integers(1, 3), st.data())
def test_the_summary_agrees_with_numpys_nan_functions(experts: int, alternatives: int, criteria: int,
                                                      data: st.DataObject) -> None:
    cells = st.one_of(st.just(NAN), st.integers(1, 5).map(float))
    raw = data.draw(st.lists(cells, min_size=experts * alternatives * criteria,
                             max_size=experts * alternatives * criteria))
    scores = np.array(raw).reshape(experts, alternatives, criteria)
    summary = summarise_panel(scores)
    scored = summary.count > 0
    assert (summary.count == (~np.isnan(scores)).sum(axis=0)).all()
    with warnings.catch_warnings():  # NumPy warns about the empty cells Stoa handles quietly
        warnings.simplefilter("ignore", RuntimeWarning)
        expected_mean, expected_std = np.nanmean(scores, axis=0), np.nanstd(scores, axis=0)
    assert summary.mean[scored] == pytest.approx(expected_mean[scored])
    assert summary.std[scored] == pytest.approx(expected_std[scored])
    assert np.isnan(summary.mean[~scored]).all()


def test_the_panel_must_be_experts_by_alternatives_by_criteria() -> None:
    with pytest.raises(McdaInputError, match="experts × alternatives × criteria"):
        summarise_panel([[1, 2], [3, 4]])
    with pytest.raises(McdaInputError, match="a score cannot be infinite"):
        summarise_panel([[[float("inf")]]])


# --- Kendall's W ------------------------------------------------------------------------------------


def test_kendall_w_of_the_proofwiki_example() -> None:
    # ProofWiki, "Kendall's Coefficient of Concordance/Examples/Arbitrary Example 1": four judges
    # rank three competitors; rank sums 7, 9, 8, S = 2, W = 12·2 / (4²·3·8) = 1/16.
    ranks_by_judge = [[1, 3, 2], [1, 2, 3], [2, 3, 1], [3, 1, 2]]
    assert kendall_w(ranks_by_judge) == pytest.approx(1 / 16)


def test_kendall_w_of_four_judges_ranking_ten_projects() -> None:
    # A textbook exercise (four judges, ten projects): rank sums 10, 8, 12, 16, 21, 22, 25, 31, 37,
    # 38 around a mean of 22, ΣD² = 1048, so W = 12·1048 / (4²·(10³ − 10)) = 12576 / 15840.
    judges = np.array([[1, 3, 4, 5, 2, 8, 6, 7, 10, 9],
                       [2, 1, 4, 5, 6, 3, 8, 7, 10, 9],
                       [3, 2, 1, 5, 7, 4, 6, 8, 9, 10],
                       [4, 2, 3, 1, 6, 7, 5, 9, 8, 10]])
    assert kendall_w(judges) == pytest.approx(12576 / 15840)


def test_kendall_w_corrects_for_ties() -> None:
    # By hand: three raters, four items; rater 2 ties items 2 and 3, rater 3 ties items 3 and 4.
    # Ranks 4, 3, 2, 1 / 4, 2.5, 2.5, 1 / 4, 3, 1.5, 1.5; rank sums 12, 8.5, 6, 3.5 around 7.5:
    # S = 20.25 + 1 + 2.25 + 16 = 39.5. ΣT = (2³ − 2) × 2 = 12, so W = 12·39.5 / (3²·60 − 3·12) =
    # 474 / 504; without the correction it would be 474 / 540.
    scores = [[4, 3, 2, 1], [4, 3, 3, 1], [4, 3, 1, 1]]
    assert kendall_w(scores) == pytest.approx(474 / 504)


def test_kendall_w_is_one_for_identical_rankings_and_the_scores_direction_does_not_matter() -> None:
    assert kendall_w([[5, 3, 1], [5, 3, 1], [9, 4, 2]]) == pytest.approx(1.0)
    assert kendall_w([[1, 2, 3], [3, 2, 1]]) == pytest.approx(0.0)
    assert kendall_w([[5, 3, 1], [4, 1, 2]]) == pytest.approx(kendall_w([[-5, -3, -1], [-4, -1, -2]]))


def test_items_someone_left_missing_are_dropped() -> None:
    assert kendall_w([[5, 3, NAN, 1], [5, 3, 2, 1]]) == pytest.approx(kendall_w([[5, 3, 1], [5, 3, 1]]))


@pytest.mark.parametrize("scores", [
    [[1, 2, 3]],  # one rater
    [[1, NAN], [2, 1]],  # one item left
    [[3, 3, 3], [2, 2, 2]],  # everyone tied everything
])
def test_kendall_w_is_nan_when_there_is_nothing_to_agree_on(scores: list[list[float]]) -> None:
    assert math.isnan(kendall_w(scores))


def midranks(row: np.ndarray) -> np.ndarray:
    """Ranks from the definition: 1 + the number below + half the others level with it."""
    return np.array([1 + (row < x).sum() + ((row == x).sum() - 1) / 2 for x in row])


@settings(max_examples=80, deadline=None)
@given(st.integers(2, 6), st.integers(2, 7), st.data())
def test_kendall_w_is_the_share_of_rank_variance_shared_by_the_raters(raters: int, items: int,
                                                                      data: st.DataObject) -> None:
    # With r the ranks centred on (n + 1)/2, Σ_j (Σ_i r_ij)² / (m Σ_ij r_ij²) is W with the tie
    # correction (Σ_j r_ij² = (n³ − n − T_i)/12): a second formulation that shares no code with Stoa.
    scores = np.array(data.draw(st.lists(st.lists(st.integers(1, 5), min_size=items, max_size=items),
                                         min_size=raters, max_size=raters)), dtype=float)
    w = kendall_w(scores)
    centred = np.array([midranks(row) for row in scores]) - (items + 1) / 2
    spread = (centred ** 2).sum()
    if spread == 0:  # every rater tied every item
        assert math.isnan(w)
        return
    assert w == pytest.approx((centred.sum(axis=0) ** 2).sum() / (raters * spread), abs=1e-12)
    assert -1e-12 <= w <= 1 + 1e-12


# --- carry-over between evaluation stages -----------------------------------------------------------


def test_later_stages_replace_the_scores_they_cover_and_the_rest_carries_over() -> None:
    rfi = [[3, 4, 2], [1, NAN, 5]]
    demonstration = [[4, NAN, NAN], [NAN, 2, NAN]]
    table_top = [[NAN, NAN, 1], [NAN, NAN, NAN]]
    in_force = carry_over(rfi, demonstration, table_top)
    assert in_force.tolist() == [[4, 4, 1], [1, 2, 5]]
    assert carry_over(rfi)[0].tolist() == [3, 4, 2]
    assert np.asarray(rfi, dtype=float)[0, 0] == 3  # the inputs are not changed
    assert "replaces" in CARRY_OVER_RULE


def test_stages_must_have_the_same_shape() -> None:
    with pytest.raises(McdaInputError) as refused:
        carry_over([[1, 2]], [[1, 2, 3]])
    assert str(refused.value) == "stage 2 has 1 × 3 scores but stage 1 has 1 × 2"
    with pytest.raises(McdaInputError, match="at least one evaluation stage"):
        carry_over()
