"""The tie rule of rank, knock-out screening and the linear value function."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stoa.core.mcda import (
    TIE_RULE,
    McdaInputError,
    knock_out_reasons,
    knock_outs,
    linear_value,
    rank,
    tie_rule_text,
)

NAN = float("nan")

# --- rank and its tie rule --------------------------------------------------------------------------


def test_rank_one_is_the_highest_score() -> None:
    assert rank([0.2, 0.9, 0.5]).tolist() == [3, 1, 2]


def test_alternatives_still_tied_share_a_rank_and_the_next_rank_is_skipped() -> None:
    assert rank([0.9, 0.5, 0.5, 0.1]).tolist() == [1, 2, 2, 4]
    assert rank([0.7, 0.7, 0.7]).tolist() == [1, 1, 1]


def test_float_noise_does_not_decide_a_ranking() -> None:
    assert rank([0.3, 0.1 + 0.2, 0.2]).tolist() == [1, 1, 3]  # 0.1 + 0.2 is 0.30000000000000004
    assert rank([0.3, 0.3 + 1e-6], tolerance=1e-9).tolist() == [2, 1]
    assert rank([0.3, 0.3 + 1e-6], tolerance=1e-3).tolist() == [1, 1]


def test_ties_are_broken_by_performance_then_cost() -> None:
    scores = [0.8, 0.8, 0.8, 0.8, 0.5]
    performance = [0.6, 0.9, 0.9, 0.9, 1.0]
    cost = [1.0, 0.2, 0.7, 0.7, 1.0]
    # Alternative 2 leads on performance, 3 and 4 tie on it and on cost, 1 trails on performance.
    assert rank(scores, [performance, cost]).tolist() == [4, 3, 1, 1, 5]
    assert rank(scores, [performance]).tolist() == [4, 1, 1, 1, 5]


def test_a_tie_breaker_only_separates_alternatives_tied_on_the_score() -> None:
    assert rank([0.9, 0.8], [[0.0, 1.0]]).tolist() == [1, 2]


def test_a_missing_tie_breaker_never_wins_a_tie() -> None:
    assert rank([0.5, 0.5, 0.5], [[NAN, 0.1, NAN]]).tolist() == [2, 1, 2]


@given(st.lists(st.integers(0, 4).map(float), min_size=1, max_size=12))
def test_ranks_are_competition_ranks(scores: list[float]) -> None:
    ranks = rank(scores)
    for a, s in enumerate(scores):
        assert ranks[a] == 1 + sum(other > s for other in scores)


@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(0, 2)), min_size=1, max_size=10))
def test_tie_breakers_rank_like_a_sort_on_all_the_keys(rows: list[tuple[int, int, int]]) -> None:
    keys = np.array(rows, dtype=float)
    ranks = rank(keys[:, 0], [keys[:, 1], keys[:, 2]])
    for a, row in enumerate(rows):
        assert ranks[a] == 1 + sum(other > row for other in rows)  # tuples compare key by key


def test_the_tie_rule_is_one_english_sentence() -> None:
    assert tie_rule_text() == TIE_RULE
    assert TIE_RULE.count(". ") == 0 and TIE_RULE.endswith(".")
    assert "Performance" in TIE_RULE and "Cost" in TIE_RULE and "1, 2, 2, 4" in TIE_RULE


@pytest.mark.parametrize(("call", "message"), [
    (lambda: rank([]), "the scores are empty"),
    (lambda: rank([1, NAN]), "the scores contain a missing or infinite value (number 2)"),
    (lambda: rank([1, 2], [[1, 2, 3]]), "there are 2 scores but tie-breaker 1 has 3 values"),
    (lambda: rank([1, 2], tolerance=-1), "the tie tolerance must be a number of at least 0"),
])
def test_bad_ranking_inputs_are_refused(call: object, message: str) -> None:
    with pytest.raises(McdaInputError) as refused:
        call()  # type: ignore[operator]
    assert str(refused.value) == message


# --- knock-outs -------------------------------------------------------------------------------------


def test_an_alternative_below_a_minimum_or_above_a_maximum_is_knocked_out() -> None:
    matrix = [[3, 5, 200], [1, 4, 100], [4, 2, 900], [2, 3, 100]]
    minimum = [2, NAN, NAN]  # a NaN threshold: no limit on that criterion
    maximum = [NAN, NAN, 500]
    assert knock_outs(matrix, minimum, maximum).tolist() == [False, True, True, False]
    assert knock_out_reasons(matrix, minimum, maximum) == [[], [0], [2], []]


def test_one_threshold_may_apply_to_every_criterion() -> None:
    assert knock_out_reasons([[3, 1, 2], [3, 3, 3]], minimum=2) == [[1], []]
    assert knock_outs([[3, 1]]).tolist() == [False]  # no thresholds at all


def test_a_missing_value_does_not_knock_out_by_itself() -> None:
    assert knock_outs([[NAN, 3]], minimum=[2, 2]).tolist() == [False]


def test_reasons_list_every_failing_criterion() -> None:
    assert knock_out_reasons([[1, 9, 1]], minimum=[2, 2, 2], maximum=[5, 5, 5]) == [[0, 1, 2]]


def test_contradictory_thresholds_are_refused() -> None:
    with pytest.raises(McdaInputError) as refused:
        knock_outs([[1, 2]], minimum=[1, 4], maximum=[5, 3])
    assert str(refused.value) == "criterion 2 has a minimum (4) above its maximum (3)"
    with pytest.raises(McdaInputError, match="one number, or one per criterion"):
        knock_outs([[1, 2]], minimum=[1, 2, 3])


# --- linear value function --------------------------------------------------------------------------


def test_worst_maps_to_one_and_best_to_five() -> None:
    # A bollard's stopping distance in metres: 10 m is the worst acceptable, 0 m the best.
    assert linear_value([10, 5, 0, 2.5], worst=10, best=0).tolist() == [1.0, 3.0, 5.0, 4.0]
    assert linear_value([0, 50, 100], worst=0, best=100).tolist() == [1.0, 3.0, 5.0]


def test_values_beyond_the_anchors_are_clipped_and_missing_stays_missing() -> None:
    values = linear_value([-5, 150, NAN], worst=0, best=100)
    assert values[:2].tolist() == [1.0, 5.0] and math.isnan(values[2])


def test_other_scales_and_anchors_per_item() -> None:
    assert linear_value([5], 0, 10, low=0, high=100).tolist() == [50.0]
    assert linear_value([5, 5], worst=[0, 10], best=[10, 0]).tolist() == [3.0, 3.0]


@pytest.mark.parametrize(("call", "message"), [
    (lambda: linear_value([1], 3, 3), "the worst and best anchors must differ (both are 3)"),
    (lambda: linear_value([1], 0, 1, low=5, high=1), "the value scale's low end (5) must be below its high end (1)"),
    (lambda: linear_value([1], NAN, 1), "the worst and best anchors must be numbers"),
])
def test_bad_value_functions_are_refused(call: object, message: str) -> None:
    with pytest.raises(McdaInputError) as refused:
        call()  # type: ignore[operator]
    assert str(refused.value) == message
