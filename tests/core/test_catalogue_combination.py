"""Combining overlapping measures and the residual rating: examples of each rule, then its properties."""

from __future__ import annotations

from itertools import permutations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stoa.core.catalogue.combination import combine, remaining, residual, residual_value, to_scale
from stoa.core.catalogue.measures import ALL, MeasureSpec, spec_from_data

share = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
any_share = st.floats(min_value=-3.0, max_value=3.0, allow_nan=False)  # includes shares outside 0..1
effect = st.tuples(share, share)
effects = st.lists(effect, max_size=6)
scale_max = st.integers(min_value=1, max_value=7)


@st.composite
def rated(draw: st.DrawFn) -> tuple[int, int, int, int]:
    """(likelihood, consequence, likelihood_max, consequence_max), the rating within its scale."""
    l_max, c_max = draw(scale_max), draw(scale_max)
    return draw(st.integers(1, l_max)), draw(st.integers(1, c_max)), l_max, c_max


# --- overlap ---------------------------------------------------------------------------------------


def test_three_measures_combine_as_independent_layers() -> None:
    assert combine([0.5, 0.3, 0.2]) == pytest.approx(0.72)  # 1 − 0.5 × 0.7 × 0.8


def test_two_halves_remove_three_quarters_and_never_more_than_all() -> None:
    assert combine([0.5, 0.5]) == pytest.approx(0.75)
    assert combine([1.0, 0.5]) == 1.0
    assert combine([0.9] * 50) <= 1.0


def test_no_measure_removes_nothing() -> None:
    assert combine([]) == 0.0
    assert remaining([]) == 1.0


def test_shares_outside_zero_to_one_are_clamped() -> None:
    assert combine([-0.5]) == 0.0
    assert combine([1.5]) == 1.0
    assert combine([-0.5, 0.5, 2.0]) == combine([0.0, 0.5, 1.0])


@given(st.lists(any_share, max_size=6))
def test_any_shares_are_clamped_so_the_combined_share_stays_within_zero_to_one(shares: list[float]) -> None:
    clamped = [min(1.0, max(0.0, s)) for s in shares]
    assert combine(shares) == combine(clamped)
    assert 0.0 <= combine(shares) <= 1.0


@given(st.lists(any_share, max_size=4), st.lists(any_share, max_size=4))
def test_residual_clamps_shares_outside_zero_to_one(likelihood_shares: list[float],
                                                     consequence_shares: list[float]) -> None:
    pairs = list(zip(likelihood_shares, consequence_shares, strict=False))
    clamped = [(min(1.0, max(0.0, lik)), min(1.0, max(0.0, con))) for lik, con in pairs]
    after = residual(4, 3, pairs)
    assert after == residual(4, 3, clamped)
    assert 1 <= after.likelihood <= 4 and 1 <= after.consequence <= 3
    assert 0.0 <= after.likelihood_share <= 1.0 and 0.0 <= after.consequence_share <= 1.0


# --- residual value and rating ---------------------------------------------------------------------


def test_the_residual_value_is_proportional_but_never_below_the_lowest_value() -> None:
    assert residual_value(4, 0.5) == 2.0
    assert residual_value(4, 0.1) == 1.0  # 0.4 floored at 1
    assert residual_value(3, 0.0) == 1.0
    assert residual_value(3, 1.5) == 3.0  # what is left is clamped to 1: never above the value


def test_the_residual_rating_is_rounded_half_up_within_the_scale() -> None:
    assert to_scale(2.5, 5) == 3
    assert to_scale(2.4999, 5) == 2
    assert to_scale(0.2, 5) == 1
    assert to_scale(7.0, 5) == 5
    assert to_scale(3 * (1 - 0.5), 5) == 2  # 1.5 → 2


def test_float_noise_does_not_decide_the_rounding() -> None:
    assert 5 * (1 - 0.7) != 1.5  # 1.5000000000000002 in floats
    assert to_scale(5 * (1 - 0.7), 5) == 2
    assert to_scale(2.5 - 1e-12, 5) == 3  # a hair below the half, within the tolerance
    assert to_scale(2.5 - 1e-6, 5) == 2  # well below it


def test_a_scenario_with_two_measures_gets_its_residual_rating_and_score() -> None:
    after = residual(4, 4, [(0.5, 0.0), (0.5, 0.25)])
    assert (after.likelihood, after.consequence) == (1, 3)  # 4 × 0.25 = 1; 4 × 0.75 = 3
    assert (after.likelihood_value, after.consequence_value) == (1.0, 3.0)
    assert (after.likelihood_share, after.consequence_share) == (0.75, 0.25)
    assert after.score == 3.0


def test_a_residual_between_two_values_is_rounded_but_scored_unrounded() -> None:
    after = residual(5, 3, [(0.3, 0.5)])
    assert (after.likelihood, after.consequence) == (4, 2)  # 3.5 → 4; 1.5 → 2
    assert after.score == pytest.approx(3.5 * 1.5)


def test_a_measure_that_removes_everything_leaves_the_lowest_rating() -> None:
    after = residual(5, 5, [(1.0, 1.0)])
    assert (after.likelihood, after.consequence, after.score) == (1, 1, 1.0)


def test_no_measure_leaves_the_current_rating() -> None:
    after = residual(3, 4, [])
    assert (after.likelihood, after.consequence, after.score) == (3, 4, 12.0)
    assert (after.likelihood_share, after.consequence_share) == (0.0, 0.0)


def test_a_named_threat_overrides_all_and_another_threat_has_no_effect() -> None:
    spec = MeasureSpec("m", {ALL: (0.2, 0.1), "VEHICLE": (0.8, 0.0)})
    assert spec.effect_on("VEHICLE") == (0.8, 0.0)
    assert spec.effect_on("FIREARMS") == (0.2, 0.1)
    assert MeasureSpec("n", {"VEHICLE": (0.8, 0.0)}).effect_on("FIREARMS") == (0.0, 0.0)
    assert not MeasureSpec("n", {"VEHICLE": (0.8, 0.0)}).acts_on("FIREARMS")


def test_a_spec_is_read_from_library_data_with_the_middle_of_its_cost_bands() -> None:
    spec = spec_from_data("urn:stoa:measure:bollards", {
        "effects": [{"threat": "VEHICLE", "likelihood": 0.6, "basis": {"en": "x"}},
                    {"threat": "ALL", "consequence": 0.1, "basis": {"en": "y"}}],
        "cost": {"capital_eur": [10_000, 30_000], "yearly_eur": [500, 1500], "basis": {"en": "z"}}})
    assert spec.effects == {"VEHICLE": (0.6, 0.0), "ALL": (0.0, 0.1)}
    assert (spec.capital_mid, spec.yearly_mid) == (20_000, 1000)
    assert spec.cost_over(5) == 25_000
    assert spec_from_data("k", {}) == MeasureSpec("k")


# --- properties ------------------------------------------------------------------------------------


@given(rated(), effects, effect)
def test_adding_a_measure_never_raises_the_residual_nor_the_score(rating: tuple[int, int, int, int],
                                                                   before: list[tuple[float, float]],
                                                                   added: tuple[float, float]) -> None:
    lik, con, l_max, c_max = rating
    old = residual(lik, con, before, l_max, c_max)
    new = residual(lik, con, [*before, added], l_max, c_max)
    assert new.likelihood <= old.likelihood and new.consequence <= old.consequence
    assert new.likelihood_value <= old.likelihood_value and new.consequence_value <= old.consequence_value
    assert new.score <= old.score
    assert new.likelihood_share >= old.likelihood_share and new.consequence_share >= old.consequence_share


@given(st.lists(any_share, max_size=6), any_share)
def test_adding_a_share_never_lowers_the_combined_share(shares: list[float], added: float) -> None:
    assert combine([*shares, added]) >= combine(shares)


@given(rated(), st.lists(effect, max_size=5))
def test_the_order_of_measures_does_not_matter(rating: tuple[int, int, int, int],
                                               picked: list[tuple[float, float]]) -> None:
    lik, con, l_max, c_max = rating
    first = residual(lik, con, picked, l_max, c_max)
    for order in permutations(picked):
        assert residual(lik, con, order, l_max, c_max) == first  # exactly, not approximately


@given(st.lists(any_share, max_size=5))
def test_the_combined_share_is_exactly_the_same_in_any_order(shares: list[float]) -> None:
    assert {combine(order) for order in permutations(shares)} == {combine(shares)}


@given(rated(), effect, st.sampled_from(["FIREARMS", "VEHICLE", "IED"]))
def test_a_measure_without_effect_on_a_threat_leaves_that_scenario_unchanged(
        rating: tuple[int, int, int, int], shares: tuple[float, float], threat: str) -> None:
    lik, con, l_max, c_max = rating
    spec = MeasureSpec("elsewhere", {"CHEMICAL": shares})
    assert spec.effect_on(threat) == (0.0, 0.0)
    after = residual(lik, con, [spec.effect_on(threat)], l_max, c_max)
    assert (after.likelihood, after.consequence) == (lik, con)
    assert after.score == lik * con


@given(rated(), effects)
def test_the_residual_never_leaves_the_scale_nor_exceeds_the_current_rating(
        rating: tuple[int, int, int, int], picked: list[tuple[float, float]]) -> None:
    lik, con, l_max, c_max = rating
    after = residual(lik, con, picked, l_max, c_max)
    assert 1 <= after.likelihood <= min(lik, l_max)
    assert 1 <= after.consequence <= min(con, c_max)
    assert 1.0 <= after.likelihood_value <= lik
    assert 1.0 <= after.consequence_value <= con
    assert 1.0 <= after.score <= lik * con
