"""Weighted sum, TOPSIS and PROMETHEE II: published examples, agreement with pymcdm, refusals.

pymcdm conventions, checked in its source: WSM and TOPSIS take a normalisation function
(``minmax_normalization`` gives 1 to a constant column, as Stoa does; for a cost criterion
``vector_normalization`` returns 1 − x/‖x‖ and takes the maximum as ideal, which gives the same
distances as the textbook x/‖x‖ with the minimum as ideal); weights are used as given, so they are
passed normalised. Its PROMETHEE II divides the flows by n − 1 as Stoa does; its "vshape_2" is
Stoa's "linear" and it has no Gaussian function. Its validation warns about dominated
alternatives, so it is switched off.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pymcdm import normalizations
from pymcdm.methods import PROMETHEE_II, TOPSIS, WSM

from stoa.core.mcda import METHODS, McdaInputError, promethee_ii, score, topsis, weighted_sum


def types_of(benefit: np.ndarray) -> np.ndarray:
    return np.where(benefit, 1, -1)


@st.composite
def problems(draw: st.DrawFn, min_alternatives: int = 2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(matrix, weights, benefit): 2–8 alternatives × 1–5 criteria, values 1–10 with ties likely."""
    n = draw(st.integers(min_alternatives, 8))
    k = draw(st.integers(1, 5))
    cell = st.one_of(st.integers(1, 10).map(float), st.floats(1.0, 10.0, allow_nan=False))
    matrix = np.array(draw(st.lists(st.lists(cell, min_size=k, max_size=k), min_size=n, max_size=n)))
    weights = np.array(draw(st.lists(st.floats(0.01, 1.0), min_size=k, max_size=k)))
    benefit = np.array(draw(st.lists(st.booleans(), min_size=k, max_size=k)))
    return matrix, weights / weights.sum(), benefit


# --- weighted sum -----------------------------------------------------------------------------------


def test_weighted_sum_on_stoas_one_to_five_scale() -> None:
    # By hand: (x − 1)/4 on benefit criteria, (5 − x)/4 on the cost one; weights 0.5, 0.3, 0.2.
    matrix = [[5, 3, 1], [3, 5, 5], [1, 1, 3]]
    scores = weighted_sum(matrix, [50, 30, 20], [True, True, False], bounds=(1, 5))
    assert scores == pytest.approx([0.5 + 0.15 + 0.2, 0.25 + 0.3 + 0.0, 0.0 + 0.0 + 0.1])


def test_bounds_may_differ_per_criterion() -> None:
    scores = weighted_sum([[10, 3], [0, 5]], [1, 1], [True, True], bounds=[[0, 10], [1, 5]])
    assert scores == pytest.approx([0.5 * 1 + 0.5 * 0.5, 0.5 * 0 + 0.5 * 1])


def test_without_bounds_each_column_spans_the_alternatives_and_a_constant_column_gives_one() -> None:
    scores = weighted_sum([[2, 7], [4, 7], [3, 7]], [0.5, 0.5], [True, True])
    assert scores == pytest.approx([0.5, 1.0, 0.75])


@settings(max_examples=80, deadline=None)
@given(problems())
def test_weighted_sum_agrees_with_pymcdm_wsm_with_minmax(problem: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    matrix, weights, benefit = problem
    peer = WSM(normalizations.minmax_normalization)(matrix, weights, types_of(benefit), validation=False)
    assert weighted_sum(matrix, weights, benefit) == pytest.approx(peer, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(problems())
def test_weighted_sum_scores_stay_between_zero_and_one(problem: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    matrix, weights, benefit = problem
    scores = weighted_sum(matrix, weights, benefit, bounds=(1, 10))
    assert ((scores >= -1e-12) & (scores <= 1 + 1e-12)).all()


# --- TOPSIS -----------------------------------------------------------------------------------------

# Hwang & Yoon (1981), Multiple Attribute Decision Making, p. 133: four fighter aircraft on
# maximum speed, ferry range, payload, cost (the one cost criterion), reliability and
# manoeuvrability (the last two converted from words to the interval scale).
AIRCRAFT = [[2.0, 1500, 20000, 5.5, 5, 9],
            [2.5, 2700, 18000, 6.5, 3, 5],
            [1.8, 2000, 21000, 4.5, 7, 7],
            [2.2, 1800, 20000, 5.0, 5, 5]]
AIRCRAFT_WEIGHTS = [0.2, 0.1, 0.1, 0.1, 0.2, 0.3]
AIRCRAFT_BENEFIT = [True, True, True, False, True, True]
AIRCRAFT_CLOSENESS = [0.643, 0.268, 0.613, 0.312]  # as published


def test_topsis_reproduces_hwang_and_yoons_aircraft_example() -> None:
    # The book rounds its intermediate tables to four decimals, so its third decimal can be one
    # off the exact value (A3: 0.6135 exactly, 0.613 published).
    closeness = topsis(AIRCRAFT, AIRCRAFT_WEIGHTS, AIRCRAFT_BENEFIT)
    assert closeness == pytest.approx(AIRCRAFT_CLOSENESS, abs=1e-3)
    assert closeness.argsort()[::-1].tolist() == [0, 2, 3, 1]  # the published ranking A1, A3, A4, A2


def test_topsis_on_opricovic_and_tzengs_three_alternatives() -> None:
    # Data of Opricovic & Tzeng (2004), EJOR 156: cost 1, 2, 5 and benefit 3000, 3750, 4500, equal
    # weights. By hand, vector normalisation: r = (.1826, .3651, .9129) and (.4558, .5698, .6838);
    # weighted by 0.5, ideal (.0913, .3419), anti-ideal (.4564, .2279); A2's distances .1076 and
    # .2797, so C2 = .2797 / .3873 = .722; A1 and A3 mirror each other: .762 and .238.
    matrix, weights, benefit = [[1, 3000], [2, 3750], [5, 4500]], [0.5, 0.5], [False, True]
    assert topsis(matrix, weights, benefit) == pytest.approx([0.762, 0.722, 0.238], abs=5e-4)
    # Min–max: A1 = (0.5, 0) and A3 = (0, 0.5) are each 0.5 from both ideals; A2 = (.375, .25):
    # .4507 / (.4507 + .2795) = .617 (the value pymcdm's own test gives for this data).
    assert topsis(matrix, weights, benefit, normalization="minmax") == pytest.approx([0.5, 0.617, 0.5], abs=5e-4)


def test_topsis_gives_one_half_when_all_alternatives_are_the_same() -> None:
    assert topsis([[3, 2], [3, 2], [3, 2]], [0.5, 0.5], [True, False]).tolist() == [0.5, 0.5, 0.5]
    assert topsis([[3, 2]], [1, 1], [True, True], normalization="minmax").tolist() == [0.5]
    # A criterion weighted 0 does not count: here the alternatives differ only on it.
    assert topsis([[1, 2], [1, 9]], [1, 0], [True, True]).tolist() == [0.5, 0.5]


@settings(max_examples=80, deadline=None)
@given(problems(), st.sampled_from(["vector", "minmax"]))
def test_topsis_agrees_with_pymcdm(problem: tuple[np.ndarray, np.ndarray, np.ndarray], normalization: str) -> None:
    matrix, weights, benefit = problem
    function = getattr(normalizations, f"{normalization}_normalization")
    with np.errstate(invalid="ignore", divide="ignore"):  # pymcdm gives NaN where Stoa gives 0.5
        peer = TOPSIS(function)(matrix, weights, types_of(benefit), validation=False)
    ours = topsis(matrix, weights, benefit, normalization=normalization)
    known = np.isfinite(peer)
    assert ours[known] == pytest.approx(peer[known], abs=1e-9)
    assert (ours[~known] == 0.5).all()


# --- PROMETHEE II -----------------------------------------------------------------------------------


def test_promethee_ii_reproduces_zhao_peng_and_li() -> None:
    # Zhao, Peng & Li (2013), "Revised PROMETHEE II for improving efficiency in emergency
    # response", Procedia Computer Science 17: usual criteria, weights 0.5, 0.3, 0.2.
    flows = promethee_ii([[4, 3, 2], [3, 2, 4], [5, 1, 3]], [0.5, 0.3, 0.2], [True] * 3)
    assert flows == pytest.approx([0.1, -0.3, 0.2])


def test_promethee_preference_functions_by_hand() -> None:
    # Two alternatives, one criterion, a leads b by d = 2. With n = 2 the net flow is ±P(2).
    matrix, weights, benefit = [[5], [3]], [1], [True]
    cases = {
        ("usual", None, None, None): 1.0,
        ("ushape", 2, None, None): 0.0,  # not more than q
        ("ushape", 1.5, None, None): 1.0,
        ("vshape", None, 4, None): 0.5,  # d/p
        ("level", 1, 3, None): 0.5,
        ("level", 0.5, 1, None): 1.0,
        ("linear", 1, 5, None): 0.25,  # (d − q)/(p − q)
        ("linear", 2, 2, None): 0.0,  # q = p: a step at q
        ("gaussian", None, None, 2): 1 - np.exp(-0.5),  # 1 − exp(−d²/2s²) with d = s
    }
    for (name, q, p, s), expected in cases.items():
        flows = promethee_ii(matrix, weights, benefit, name, q=q, p=p, s=s)
        assert flows == pytest.approx([expected, -expected]), name


def test_promethee_reverses_a_cost_criterion_and_takes_thresholds_per_criterion() -> None:
    flows = promethee_ii([[5, 10], [3, 20]], [0.5, 0.5], [True, False], "vshape", p=[4, 40])
    assert flows == pytest.approx([0.5 * 0.5 + 0.5 * 0.25, -(0.5 * 0.5 + 0.5 * 0.25)])
    mixed = promethee_ii([[5, 10], [3, 20]], [0.5, 0.5], [True, False], ["usual", "linear"], q=[0, 0], p=[1, 40])
    assert mixed == pytest.approx([0.5 + 0.5 * 0.25, -(0.5 + 0.5 * 0.25)])


def test_a_single_alternative_has_net_flow_zero() -> None:
    assert promethee_ii([[3, 4]], [1, 1], [True, True]).tolist() == [0.0]


PEER_FUNCTIONS = {"usual": "usual", "ushape": "ushape", "vshape": "vshape", "level": "level", "linear": "vshape_2"}


@settings(max_examples=80, deadline=None)
@given(problems(), st.sampled_from(sorted(PEER_FUNCTIONS)), st.floats(0.0, 3.0), st.floats(0.1, 4.0))
def test_promethee_ii_agrees_with_pymcdm(problem: tuple[np.ndarray, np.ndarray, np.ndarray], name: str,
                                          q: float, extra: float) -> None:
    matrix, weights, benefit = problem
    k = matrix.shape[1]
    p = q + extra
    qs = [q] * k if name in ("ushape", "level", "linear") else None
    ps = [p] * k if name in ("vshape", "level", "linear") else None
    peer = PROMETHEE_II(PEER_FUNCTIONS[name], p=ps, q=qs)(matrix, weights, types_of(benefit), validation=False)
    ours = promethee_ii(matrix, weights, benefit, name, q=qs, p=ps)
    assert ours == pytest.approx(peer, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(problems())
def test_net_flows_sum_to_zero_and_stay_within_minus_one_to_one(problem: tuple[np.ndarray, np.ndarray,
                                                                               np.ndarray]) -> None:
    matrix, weights, benefit = problem
    flows = promethee_ii(matrix, weights, benefit, "gaussian", s=1.5)
    assert flows.sum() == pytest.approx(0.0, abs=1e-12)
    assert (np.abs(flows) <= 1 + 1e-12).all()


# --- the dispatcher and the refusals ----------------------------------------------------------------


def test_methods_are_found_by_name() -> None:
    assert set(METHODS) == {"weighted_sum", "topsis", "promethee_ii"}
    matrix, weights, benefit = [[1, 2], [2, 1], [3, 3]], [0.6, 0.4], [True, True]
    assert score("topsis", matrix, weights, benefit, normalization="minmax") == pytest.approx(
        topsis(matrix, weights, benefit, "minmax"))
    assert score("weighted_sum", matrix, weights, benefit) == pytest.approx(weighted_sum(matrix, weights, benefit))


@pytest.mark.parametrize(("call", "message"), [
    (lambda: weighted_sum([[1, 2]], [1, 1, 1], [True, True]), "matrix has 2 criteria but 3 weights"),
    (lambda: weighted_sum([[1, 2]], [1, 1], [True]), "matrix has 2 criteria but 1 benefit flags"),
    (lambda: weighted_sum([[1, 2]], [1, -1], [True, True]), "a weight cannot be negative (criterion 2 has -1)"),
    (lambda: weighted_sum([[1, 2]], [0, 0], [True, True]), "the weights must sum to a positive number"),
    (lambda: weighted_sum([[1, 6]], [1, 1], [True, True], bounds=(1, 5)),
     "alternative 1 scores 6 on criterion 2, outside its scale 1–5"),
    (lambda: weighted_sum([[1, 2]], [1, 1], [True, True], bounds=(5, 1)),
     "the scale of criterion 1 is empty: its lowest value (5) must be below its highest (1)"),
    (lambda: weighted_sum([[1, 2]], [1, 1], [True, True], bounds=[1, 2, 3]),
     "bounds must be one pair (lowest, highest) or one pair per criterion (2)"),
    (lambda: weighted_sum([[1, float("nan")]], [1, 1], [True, True]),
     "the decision matrix has a missing or infinite value: alternative 1, criterion 2"),
    (lambda: weighted_sum([1, 2], [1, 1], [True, True]),
     "the decision matrix must be a table of alternatives (rows) × criteria (columns)"),
    (lambda: weighted_sum(np.zeros((0, 2)), [1, 1], [True, True]), "the decision matrix has no alternatives"),
    (lambda: weighted_sum([[1, 2]], [1, 1], ["yes", "no"]),
     "each benefit flag must be True (higher is better) or False (lower is better)"),
    (lambda: topsis([[1, 2]], [1, 1], [True, True], normalization="sum"),
     "unknown normalization 'sum' (known: vector, minmax)"),
    (lambda: promethee_ii([[1, 2]], [1, 1], [True, True], "triangle"),
     "unknown preference function 'triangle' (known: usual, ushape, vshape, level, linear, gaussian)"),
    (lambda: promethee_ii([[1, 2]], [1, 1], [True, True], "linear", q=1),
     "the linear preference function needs p (the preference threshold) (missing for criterion 1)"),
    (lambda: promethee_ii([[1, 2]], [1, 1], [True, True], "ushape"),
     "the ushape preference function needs q (the indifference threshold) (missing for criterion 1)"),
    (lambda: promethee_ii([[1, 2]], [1, 1], [True, True], "level", q=[1, 3], p=[2, 2]),
     "q must not exceed p (criterion 2 has q = 3, p = 2)"),
    (lambda: promethee_ii([[1, 2]], [1, 1], [True, True], "vshape", p=0),
     "the vshape preference function needs p above 0 (criterion 1)"),
    (lambda: promethee_ii([[1, 2]], [1, 1], [True, True], "gaussian", s=-1),
     "s must be a number of at least 0 (criterion 1 has -1)"),
    (lambda: promethee_ii([[1, 2]], [1, 1], [True, True], "vshape", p=[1, 2, 3]),
     "p must be one number, or one per criterion (2)"),
    (lambda: promethee_ii([[1, 2]], [1, 1], [True, True], ["usual"]),
     "there must be one preference function, or one per criterion (2)"),
    (lambda: score("electre", [[1, 2]], [1, 1], [True, True]),
     "unknown method 'electre' (known: promethee_ii, topsis, weighted_sum)"),
    (lambda: score("topsis", [[1, 2]], [1, 1], [True, True], bounds=(1, 5)),
     "the topsis method has no option 'bounds' (its options: normalization)"),
])
def test_bad_inputs_are_refused_with_a_reason(call: object, message: str) -> None:
    with pytest.raises(McdaInputError) as refused:
        call()  # type: ignore[operator]
    assert str(refused.value) == message


@settings(max_examples=50, deadline=None)
@given(problems(min_alternatives=1), st.sampled_from(sorted(METHODS)))
def test_scores_never_contain_nan(problem: tuple[np.ndarray, np.ndarray, np.ndarray], method: str) -> None:
    matrix, weights, benefit = problem
    assert np.isfinite(score(method, matrix, weights, benefit)).all()
