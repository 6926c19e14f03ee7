"""Criterion weights: published examples (ROC, Saaty's AHP), AHP against pymcdm, and every refusal."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pymcdm.weights.subjective import AHP

from stoa.core.mcda import (
    AHP_CONSISTENCY_LIMIT,
    SAATY_SCALE,
    McdaInputError,
    ahp_most_inconsistent,
    ahp_weights,
    direct_weights,
    rank_order_centroid,
    swing_weights,
)
from stoa.core.mcda.weights import SAATY_RANDOM_INDEX

# Saaty (2008), "Decision making with the analytic hierarchy process", Int. J. Services Sciences
# 1(1), table 2: relative consumption of drinks in the USA, judged by 30 people. Order: coffee,
# wine, tea, beer, soda, milk, water.
DRINKS = [[1, 9, 5, 2, 1, 1, 1 / 2],
          [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
          [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
          [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
          [1, 9, 4, 2, 1, 2, 1 / 2],
          [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
          [2, 9, 9, 3, 2, 3, 1]]
DRINKS_PRIORITIES = [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327]  # as published, 3 decimals
DRINKS_CR = 0.022  # with Saaty's random index (as reproduced by the ahpy README, random_index="saaty")


def consistent(weights: list[float]) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return w[:, None] / w[None, :]


# --- direct, rank-order centroid and swing weights ------------------------------------------------


def test_direct_points_are_scaled_to_sum_one() -> None:
    assert direct_weights([40, 30, 30]) == pytest.approx([0.4, 0.3, 0.3])
    assert direct_weights([0, 2, 0]) == pytest.approx([0, 1, 0])


@pytest.mark.parametrize(("points", "message"), [
    ([1, -1, 2], "a weight cannot be negative (criterion 2 has -1)"),
    ([0, 0], "the weights must sum to a positive number"),
    ([1, float("nan")], "a weight is missing or not a number (criterion 2)"),
    ([], "the points are empty"),
    ([[1, 2]], "the points must be a list of numbers, not a table"),
    (["a"], "the points must be numbers"),
])
def test_bad_points_are_refused_with_a_reason(points: list[float], message: str) -> None:
    with pytest.raises(McdaInputError) as refused:
        direct_weights(points)
    assert str(refused.value) == message


def test_rank_order_centroid_matches_barron_and_barrett() -> None:
    # Barron & Barrett (1996), "Decision quality using ranked attribute weights", Management
    # Science 42(11), table 1: ROC weights for n = 3 and n = 4.
    assert rank_order_centroid([1, 2, 3]) == pytest.approx([0.6111, 0.2778, 0.1111], abs=5e-5)
    assert rank_order_centroid([1, 2, 3, 4]) == pytest.approx([0.5208, 0.2708, 0.1458, 0.0625], abs=5e-5)
    assert rank_order_centroid([1]) == pytest.approx([1.0])


def test_rank_order_centroid_follows_the_ranks_not_the_list_order() -> None:
    assert rank_order_centroid([3, 1, 2]) == pytest.approx([1 / 9, 11 / 18, 5 / 18])


def test_tied_ranks_share_the_weights_of_the_positions_they_occupy() -> None:
    # Positions 1 and 2 of three weigh 11/18 and 5/18: two criteria tied first get 8/18 each.
    assert rank_order_centroid([1, 1, 3]) == pytest.approx([4 / 9, 4 / 9, 1 / 9])
    assert rank_order_centroid([1, 1, 2]) == pytest.approx(rank_order_centroid([1, 1, 3]))
    assert rank_order_centroid([2, 2, 2]) == pytest.approx([1 / 3] * 3)


@given(st.lists(st.integers(1, 6), min_size=1, max_size=6))
def test_rank_order_centroid_sums_to_one_and_respects_the_order(ranks: list[int]) -> None:
    ranks = [min(r, len(ranks)) for r in ranks]
    w = rank_order_centroid(ranks)
    assert w.sum() == pytest.approx(1.0)
    for a in range(len(ranks)):
        for b in range(len(ranks)):
            if ranks[a] < ranks[b]:
                assert w[a] > w[b]
            elif ranks[a] == ranks[b]:
                assert w[a] == pytest.approx(w[b])


@pytest.mark.parametrize(("ranks", "message"), [
    ([1, 0], "a rank must be a whole number from 1 (criterion 2 has 0)"),
    ([1, 1.5], "a rank must be a whole number from 1 (criterion 2 has 1.5)"),
    ([1, float("nan")], "a rank must be a whole number from 1 (criterion 2 has nan)"),
    ([1, 4, 2], "criterion 2 has rank 4 but there are only 3 criteria"),
])
def test_bad_ranks_are_refused(ranks: list[float], message: str) -> None:
    with pytest.raises(McdaInputError) as refused:
        rank_order_centroid(ranks)
    assert str(refused.value) == message


def test_swing_points_are_relative_to_each_other() -> None:
    assert swing_weights([100, 50, 50]) == pytest.approx([0.5, 0.25, 0.25])
    assert swing_weights([80, 40]) == pytest.approx(swing_weights([100, 50]))
    assert swing_weights([100, 0]) == pytest.approx([1, 0])


@pytest.mark.parametrize(("points", "message"), [
    ([100, 120], "a swing is rated from 0 to 100 (criterion 2 has 120)"),
    ([100, -5], "a swing is rated from 0 to 100 (criterion 2 has -5)"),
    ([0, 0], "at least one swing must be worth more than 0 points"),
])
def test_bad_swings_are_refused(points: list[float], message: str) -> None:
    with pytest.raises(McdaInputError) as refused:
        swing_weights(points)
    assert str(refused.value) == message


# --- AHP: published example -------------------------------------------------------------------------


def test_ahp_reproduces_saatys_drinks_example() -> None:
    weights, cr = ahp_weights(DRINKS)
    assert weights == pytest.approx(DRINKS_PRIORITIES, abs=5e-4)
    assert cr == pytest.approx(DRINKS_CR, abs=5e-4)
    assert cr < AHP_CONSISTENCY_LIMIT


def test_a_consistent_matrix_gives_back_its_weights_with_cr_zero() -> None:
    weights, cr = ahp_weights(consistent([0.5, 0.3, 0.2]))
    assert weights == pytest.approx([0.5, 0.3, 0.2])
    assert cr == pytest.approx(0.0, abs=1e-12)


def test_one_and_two_criteria_are_always_consistent() -> None:
    assert ahp_weights([[1]]) == (pytest.approx([1.0]), 0.0)
    weights, cr = ahp_weights([[1, 3], [1 / 3, 1]])
    assert weights == pytest.approx([0.75, 0.25])
    assert cr == 0.0


def test_the_cycle_of_preferences_is_flagged_inconsistent() -> None:
    # A over B, B over C and C over A, each "strongly" (5). Every row holds 1, 5 and 1/5, so the
    # eigenvector is (1, 1, 1) with λmax = 6.2: CI = (6.2 − 3)/2 = 1.6 and CR = 1.6 / 0.58.
    cycle = [[1, 5, 1 / 5], [1 / 5, 1, 5], [5, 1 / 5, 1]]
    weights, cr = ahp_weights(cycle)
    assert weights == pytest.approx([1 / 3] * 3)
    assert cr == pytest.approx(1.6 / 0.58)
    assert cr > AHP_CONSISTENCY_LIMIT


def test_judgements_rounded_to_three_decimals_are_accepted() -> None:
    typed = [[1, 3, 7], [0.333, 1, 3], [0.143, 0.333, 1]]
    exact = [[1, 3, 7], [1 / 3, 1, 3], [1 / 7, 1 / 3, 1]]
    assert ahp_weights(typed)[0] == pytest.approx(ahp_weights(exact)[0])  # the upper triangle counts
    ahp_weights([[1, 3, 9], [0.33, 1, 3], [0.11, 0.33, 1]])  # two decimals are 1 % off here: still accepted


def test_the_saaty_scale_runs_from_one_ninth_to_nine() -> None:
    assert len(SAATY_SCALE) == 17
    assert SAATY_SCALE[0] == pytest.approx(1 / 9) and SAATY_SCALE[-1] == 9 and 1 in SAATY_SCALE
    assert sorted(SAATY_SCALE) == list(SAATY_SCALE)


# --- AHP against pymcdm and power iteration ---------------------------------------------------------


@st.composite
def saaty_matrices(draw: st.DrawFn, max_size: int = 9) -> np.ndarray:
    n = draw(st.integers(1, max_size))
    a = np.eye(n)
    for i in range(n):
        for j in range(i + 1, n):
            a[i, j] = draw(st.sampled_from(SAATY_SCALE))
            a[j, i] = 1 / a[i, j]
    return a


@settings(max_examples=60, deadline=None)
@given(saaty_matrices())
def test_ahp_agrees_with_pymcdm(a: np.ndarray) -> None:
    # pymcdm's AHP also takes the principal eigenvector; its CR divides the same CI by Tummala &
    # Ling's random index instead of Saaty's, so the CIs are compared (CR × RI).
    weights, cr = ahp_weights(a)
    peer = AHP(matrix=a)
    assert weights == pytest.approx(peer(), abs=1e-9)
    n = a.shape[0]
    if n > 2:
        assert cr * SAATY_RANDOM_INDEX[n - 1] == pytest.approx(max(0.0, peer.get_cr() * AHP.RI_M[n - 1]), abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(saaty_matrices(max_size=12))
def test_ahp_weights_are_the_fixed_point_of_power_iteration(a: np.ndarray) -> None:
    w = np.ones(a.shape[0]) / a.shape[0]
    for _ in range(10_000):  # a positive matrix: power iteration converges to the Perron vector
        step = a @ w
        step /= step.sum()
        converged = np.abs(step - w).max() < 1e-15
        w = step
        if converged:
            break
    assert ahp_weights(a)[0] == pytest.approx(w, abs=1e-7)


# --- the most inconsistent judgement ----------------------------------------------------------------


def test_the_one_judgement_typed_wrongly_is_the_most_inconsistent() -> None:
    a = consistent([0.4, 0.3, 0.2, 0.1])
    a[0, 3], a[3, 0] = 1 / 4, 4  # 1 vs 4 should be 4: typed the wrong way round
    i, j, judged, implied = ahp_most_inconsistent(a)
    assert (i, j, judged) == (0, 3, 0.25)
    assert implied > 3 * judged  # the other judgements pull the weights towards the right reading


def test_the_most_inconsistent_judgement_can_be_read_against_given_weights() -> None:
    a = consistent([0.5, 0.25, 0.25])
    assert ahp_most_inconsistent(a, weights=[0.25, 0.25, 0.5]) == (0, 2, 2.0, 0.5)


# --- refusals ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("matrix", "message"), [
    ([[1, 3, 5], [1 / 3, 1, 3], [1 / 3, 1 / 3, 1]],
     "the comparison matrix is not reciprocal: a[1][3] = 5 but a[3][1] = 1/3 (should be 1/5)"),
    ([[1, 3, 2], [1 / 3, 1, 1 / 2], [2, 2, 1]],
     "the comparison matrix is not reciprocal: a[1][3] = 2 but a[3][1] = 2 (should be 1/2)"),
    ([[1, 0], [0, 1]], "a comparison cannot be zero or negative: a[1][2] = 0"),
    ([[1, -2], [-0.5, 1]], "a comparison cannot be zero or negative: a[1][2] = -2"),
    ([[1, 2, 3], [0.5, 1, 2]], "the comparison matrix must be square: it has 2 rows and 3 columns"),
    ([[2, 1], [1, 1]], "a criterion compared with itself must be 1: a[1][1] = 2"),
    ([[1, float("nan")], [1, 1]], "a comparison is missing or not a number: a[1][2]"),
    ([[1, 0.14 / 2], [1 / 0.07, 1]], None),  # reciprocal as typed: accepted
    ([[1, 7], [0.14, 1]], "the comparison matrix is not reciprocal: a[1][2] = 7 but a[2][1] = 0.14 (should be 1/7)"),
    (np.zeros((0, 0)), "the comparison matrix is empty"),
    (np.ones((16, 16)), "AHP compares at most 15 criteria at once (Saaty's random index is tabulated up to 15); "
                        "this matrix has 16"),
])
def test_bad_comparison_matrices_are_refused_with_a_reason(matrix: list[list[float]], message: str | None) -> None:
    if message is None:
        ahp_weights(matrix)
        return
    with pytest.raises(McdaInputError) as refused:
        ahp_weights(matrix)
    assert str(refused.value) == message


def test_the_error_is_a_value_error_so_callers_may_catch_either() -> None:
    with pytest.raises(ValueError, match="reciprocal"):
        ahp_weights([[1, 3], [3, 1]])


def test_the_most_inconsistent_judgement_needs_two_criteria_and_matching_weights() -> None:
    with pytest.raises(McdaInputError, match="at least two criteria"):
        ahp_most_inconsistent([[1]])
    with pytest.raises(McdaInputError, match="matrix has 2 criteria but 3 weights"):
        ahp_most_inconsistent([[1, 2], [0.5, 1]], weights=[0.2, 0.3, 0.5])
