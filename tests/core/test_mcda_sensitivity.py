"""Sensitivity: reweighting, break-even weights, rank acceptability (against a pymcdm loop), refusals."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pymcdm import normalizations
from pymcdm.methods import PROMETHEE_II, TOPSIS, WSM

from stoa.core.mcda import (
    DEFAULT_CONCENTRATION_PER_CRITERION,
    McdaInputError,
    break_even,
    rank,
    rank_acceptability,
    reweight,
    score,
    weight_draws,
)

weight_lists = st.lists(st.floats(0.0, 10.0), min_size=2, max_size=6).filter(lambda w: sum(w) > 0)


def random_problem(seed: int, alternatives: int = 6, criteria: int = 4) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    matrix = rng.uniform(1, 5, size=(alternatives, criteria))
    weights = rng.uniform(0.1, 1, size=criteria)
    benefit = rng.random(criteria) < 0.7
    return matrix, weights / weights.sum(), benefit


# --- reweight ---------------------------------------------------------------------------------------


def test_reweight_keeps_the_other_criteria_in_proportion() -> None:
    assert reweight([0.5, 0.3, 0.2], 0, 0.6) == pytest.approx([0.6, 0.24, 0.16])
    assert reweight([50, 30, 20], 2, 0.0) == pytest.approx([0.625, 0.375, 0.0])


def test_when_the_others_are_all_zero_they_share_the_rest_equally() -> None:
    assert reweight([1, 0, 0], 0, 0.4) == pytest.approx([0.4, 0.3, 0.3])


@given(weight_lists, st.data(), st.floats(0.0, 1.0))
def test_reweight_sums_to_one_and_sets_the_share(weights: list[float], data: st.DataObject, share: float) -> None:
    criterion = data.draw(st.integers(0, len(weights) - 1))
    moved = reweight(weights, criterion, share)
    assert moved.sum() == pytest.approx(1.0)
    assert moved[criterion] == pytest.approx(share)
    assert (moved >= 0).all()


@pytest.mark.parametrize(("call", "message"), [
    (lambda: reweight([0.5, 0.5], 0, 1.2), "the new weight must be between 0 and 1 (got 1.2)"),
    (lambda: reweight([0.5, 0.5], 0, -0.1), "the new weight must be between 0 and 1 (got -0.1)"),
    (lambda: reweight([0.5, 0.5], 2, 0.1), "there is no criterion at position 2: there are 2 criteria (0 to 1)"),
    (lambda: reweight([0.5, 0.5], 0.5, 0.1), "the criterion must be given by its position (0 for the first)"),
    (lambda: reweight([0.5, -0.5], 0, 0.1), "a weight cannot be negative (criterion 2 has -0.5)"),
    (lambda: reweight([0, 0], 0, 0.1), "the weights must sum to a positive number"),
    (lambda: reweight([1], 0, 0.5), "with a single criterion its weight is always 1"),
])
def test_bad_reweights_are_refused(call: object, message: str) -> None:
    with pytest.raises(McdaInputError) as refused:
        call()  # type: ignore[operator]
    assert str(refused.value) == message


# --- break-even -------------------------------------------------------------------------------------


def test_break_even_of_a_two_criterion_weighted_sum_by_hand() -> None:
    # A = (5, 1), B = (1, 4) on 1–5 scales: scaled (1, 0) and (0, 0.75). With weight t on the first
    # criterion A scores t and B 0.75(1 − t): level at t = 0.75 / 1.75 = 3/7.
    matrix, benefit = [[5, 1], [1, 4]], [True, True]
    assert break_even(matrix, [0.6, 0.4], benefit, 0, bounds=(1, 5)) == pytest.approx(3 / 7)
    assert break_even(matrix, [0.6, 0.4], benefit, 1, bounds=(1, 5)) == pytest.approx(4 / 7)


def test_no_break_even_when_the_leader_is_ahead_on_every_criterion() -> None:
    assert break_even([[5, 5], [1, 2]], [0.5, 0.5], [True, True], 0) is None
    assert break_even([[5, 5], [1, 2]], [0.5, 0.5], [True, True], 1, method="topsis") is None


def test_tied_leaders_break_even_at_the_current_weight_and_lone_cases_have_none() -> None:
    assert break_even([[1, 2], [1, 2]], [0.3, 0.7], [True, True], 0) == pytest.approx(0.3)
    assert break_even([[1, 2]], [0.3, 0.7], [True, True], 0) is None
    assert break_even([[1], [2]], [1], [True], 0) is None


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, 3), st.sampled_from(["weighted_sum", "promethee_ii", "topsis"]))
def test_at_the_break_even_weight_the_top_two_are_level(seed: int, criterion: int, method: str) -> None:
    matrix, weights, benefit = random_problem(seed)
    t = break_even(matrix, weights, benefit, criterion, method=method)
    if t is None:
        return
    assert 0.0 <= t <= 1.0
    before = score(method, matrix, weights, benefit)
    first, second = np.argsort(-before, kind="stable")[:2]
    at = score(method, matrix, reweight(weights, criterion, t), benefit)
    assert at[first] == pytest.approx(at[second], abs=1e-9)
    # A little further away from the current weight, the runner-up is ahead: they really swap.
    step = 1e-6 if t > weights[criterion] else -1e-6
    if 0.0 <= t + step <= 1.0:
        beyond = score(method, matrix, reweight(weights, criterion, t + step), benefit)
        assert beyond[second] > beyond[first]


def test_break_even_refuses_an_unknown_method() -> None:
    with pytest.raises(McdaInputError, match="unknown method 'vikor'"):
        break_even([[1, 2], [2, 1]], [0.5, 0.5], [True, True], 0, method="vikor")


# --- weight draws -----------------------------------------------------------------------------------


def test_draws_are_centred_on_the_weights_and_a_zero_weight_stays_zero() -> None:
    draws = weight_draws([0.5, 0.3, 0.2, 0.0], samples=20_000, seed=1)
    assert draws.shape == (20_000, 4)
    assert draws.sum(axis=1) == pytest.approx(np.ones(20_000))
    assert draws.mean(axis=0) == pytest.approx([0.5, 0.3, 0.2, 0.0], abs=0.005)
    assert (draws[:, 3] == 0).all()
    # Default concentration 20 × 4 = 80: var(w) = w(1 − w)/81.
    assert DEFAULT_CONCENTRATION_PER_CRITERION == 20
    assert draws[:, 0].std() == pytest.approx(np.sqrt(0.25 / 81), rel=0.05)


def test_a_single_positive_weight_is_drawn_as_itself() -> None:
    assert (weight_draws([0, 1, 0], samples=5) == [0, 1, 0]).all()


@pytest.mark.parametrize(("options", "message"), [
    ({"samples": 0}, "the number of samples must be a whole number of at least 1"),
    ({"samples": 2.5}, "the number of samples must be a whole number of at least 1"),
    ({"concentration": 0}, "the concentration must be a positive number"),
    ({"concentration": float("nan")}, "the concentration must be a positive number"),
])
def test_bad_draw_settings_are_refused(options: dict[str, float], message: str) -> None:
    with pytest.raises(McdaInputError) as refused:
        weight_draws([0.5, 0.5], **options)  # type: ignore[arg-type]
    assert str(refused.value) == message


# --- rank acceptability -----------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(["weighted_sum", "promethee_ii", "topsis"]))
def test_each_alternative_gets_exactly_one_rank_per_draw(seed: int, method: str) -> None:
    matrix, weights, benefit = random_problem(seed, alternatives=7)
    acceptability = rank_acceptability(matrix, weights, benefit, method=method, samples=300, seed=seed)
    assert acceptability.shape == (7, 7)
    assert acceptability.sum(axis=1) == pytest.approx(np.ones(7))
    assert acceptability.sum(axis=0) == pytest.approx(np.ones(7))  # no ties in random data


def test_the_same_seed_gives_the_same_result_and_another_seed_another() -> None:
    matrix, weights, benefit = random_problem(3, alternatives=8)
    first = rank_acceptability(matrix, weights, benefit, samples=500, seed=7)
    assert (rank_acceptability(matrix, weights, benefit, samples=500, seed=7) == first).all()
    assert (rank_acceptability(matrix, weights, benefit, samples=500, seed=8) != first).any()


@pytest.mark.parametrize("method", ["weighted_sum", "promethee_ii", "topsis"])
def test_with_a_huge_concentration_the_ranking_is_the_deterministic_one(method: str) -> None:
    matrix, weights, benefit = random_problem(11, alternatives=6)
    ranks = rank(score(method, matrix, weights, benefit))
    acceptability = rank_acceptability(matrix, weights, benefit, method=method, samples=200, concentration=1e12)
    assert (acceptability == np.eye(6)[ranks - 1]).all()


def test_the_spread_narrows_as_the_concentration_grows() -> None:
    matrix, weights, benefit = random_problem(5, alternatives=10)
    ranks = rank(score("weighted_sum", matrix, weights, benefit))
    hits = [rank_acceptability(matrix, weights, benefit, samples=4000, concentration=kappa)[np.arange(10), ranks - 1]
            .mean() for kappa in (5, 50, 5000)]
    assert hits[0] < hits[1] < hits[2] <= 1.0


def test_identical_alternatives_share_their_rank_in_every_draw() -> None:
    matrix = [[5, 1], [5, 1], [1, 5]]
    acceptability = rank_acceptability(matrix, [0.9, 0.1], [True, True], samples=200)
    assert acceptability[0].tolist() == [1.0, 0.0, 0.0] and acceptability[1].tolist() == [1.0, 0.0, 0.0]
    assert acceptability[2].tolist() == [0.0, 0.0, 1.0]


def test_a_single_alternative_is_always_first() -> None:
    assert rank_acceptability([[3, 4]], [1, 1], [True, True], samples=10).tolist() == [[1.0]]


PEERS = {
    "weighted_sum": (lambda: WSM(normalizations.minmax_normalization), {}),
    "topsis": (lambda: TOPSIS(normalizations.vector_normalization), {}),
    "promethee_ii": (lambda: PROMETHEE_II("vshape_2", p=[1.5] * 4, q=[0.25] * 4),
                     {"preference": "linear", "q": 0.25, "p": 1.5}),
}


@pytest.mark.parametrize("method", sorted(PEERS))
def test_rank_acceptability_counts_what_a_pymcdm_loop_counts(method: str) -> None:
    # The same draws scored one by one by pymcdm and ranked by sorting (no ties in this data).
    matrix, weights, benefit = random_problem(21, alternatives=9)
    make_peer, options = PEERS[method]
    draws = weight_draws(weights, samples=300, seed=4)
    expected = np.zeros((9, 9))
    for w in draws:
        peer = make_peer()(matrix, w, np.where(benefit, 1, -1), validation=False)
        expected[np.argsort(-peer), np.arange(9)] += 1
    ours = rank_acceptability(matrix, weights, benefit, method=method, samples=300, seed=4, **options)
    assert (ours * 300).round().astype(int).tolist() == expected.astype(int).tolist()


def test_rank_acceptability_passes_options_on_and_refuses_unknown_ones() -> None:
    matrix, weights, benefit = random_problem(2)
    bounded = rank_acceptability(matrix, weights, benefit, samples=50, bounds=(1, 5))
    assert bounded.sum(axis=1) == pytest.approx(np.ones(6))
    with pytest.raises(McdaInputError, match="the weighted_sum method has no option 'normalization'"):
        rank_acceptability(matrix, weights, benefit, samples=50, normalization="minmax")
    with pytest.raises(McdaInputError, match="matrix has 4 criteria but 3 weights"):
        rank_acceptability(matrix, [1, 1, 1], benefit, samples=50)


def test_break_even_is_none_when_the_criterion_only_brings_the_two_level() -> None:
    # Both score 3 on criterion 0; the leader is ahead on criterion 1. At weight 1 they are level, and the
    # tie rule keeps the leader first: no weight of criterion 0 swaps them.
    matrix = np.array([[3.0, 5.0], [3.0, 2.0]])
    assert break_even(matrix, [0.5, 0.5], [True, True], 0, bounds=(1, 5)) is None
    assert break_even(matrix, [0.5, 0.5], [True, True], 1, bounds=(1, 5)) is None
