"""Gap analysis: the vectorised ranking against the plain reference, then each part of the rule."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stoa.core.catalogue.gaps import (
    MIN_COST_EUR,
    Recommendation,
    ScenarioGaps,
    ScenarioInput,
    naive_recommend,
    recommend,
)
from stoa.core.catalogue.measures import ALL, MeasureSpec

THREATS = ["FIREARMS", "VEHICLE", "IED", "CHEMICAL"]
# A few exact shares so that equal reductions and equal costs (ties) come up often, plus any share.
shares = st.one_of(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.7, 1.0]),
                   st.floats(min_value=0.0, max_value=1.0, allow_nan=False))
bands = st.one_of(st.sampled_from([(0, 0), (1000, 1000), (500, 1500), (0, 2000)]),
                  st.tuples(st.integers(0, 50_000), st.integers(0, 50_000)).map(lambda b: (min(b), max(b))))


@st.composite
def catalogue(draw: st.DrawFn) -> list[MeasureSpec]:
    keys = draw(st.lists(st.sampled_from([f"m{i}" for i in range(12)]), max_size=8, unique=True))
    return [MeasureSpec(key, draw(st.dictionaries(st.sampled_from([*THREATS, ALL]), st.tuples(shares, shares),
                                                   max_size=3)),
                        draw(bands), draw(bands)) for key in keys]


@st.composite
def city(draw: st.DrawFn, measures: list[MeasureSpec]) -> list[ScenarioInput]:
    candidates = [m.key for m in measures] + ["not-in-the-catalogue"]
    result = []
    for number in range(draw(st.integers(0, 6))):
        l_max, c_max = draw(st.sampled_from([(5, 5), (3, 4), (4, 6)]))
        result.append(ScenarioInput(
            ("site", number), draw(st.sampled_from([*THREATS, "UAVIED"])),
            draw(st.integers(1, l_max)), draw(st.integers(1, c_max)),
            frozenset(draw(st.lists(st.sampled_from(candidates), max_size=3))), l_max, c_max))
    return result


@st.composite
def instances(draw: st.DrawFn) -> tuple[list[ScenarioInput], list[MeasureSpec], int | None, int]:
    measures = draw(catalogue())
    return draw(city(measures)), measures, draw(st.none() | st.integers(0, 4)), draw(st.sampled_from([1, 5, 10]))


def same(fast: list[ScenarioGaps], slow: list[ScenarioGaps]) -> None:
    assert [g.scenario for g in fast] == [g.scenario for g in slow]
    for f, s in zip(fast, slow, strict=True):
        assert [r.measure for r in f.recommendations] == [r.measure for r in s.recommendations]
        assert [(r.rank, r.likelihood, r.consequence) for r in f.recommendations] == [
            (r.rank, r.likelihood, r.consequence) for r in s.recommendations]
        assert [(r.reduction, r.cost, r.per_euro) for r in f.recommendations] == [
            (pytest.approx(r.reduction), pytest.approx(r.cost), pytest.approx(r.per_euro)) for r in s.recommendations]


def bollards(key: str = "bollards", share: float = 0.8, capital: int = 20_000) -> MeasureSpec:
    return MeasureSpec(key, {"VEHICLE": (share, 0.0)}, (capital, capital), (0, 0))


# --- the vectorised ranking is the reference rule --------------------------------------------------


@settings(max_examples=300)
@given(instances())
def test_the_vectorised_ranking_equals_the_plain_reference(
        instance: tuple[list[ScenarioInput], list[MeasureSpec], int | None, int]) -> None:
    scenarios, measures, limit, years = instance
    same(recommend(scenarios, measures, horizon_years=years, limit=limit),
         naive_recommend(scenarios, measures, horizon_years=years, limit=limit))


@given(instances())
def test_every_ranking_respects_exclusions_effects_ranks_and_order(
        instance: tuple[list[ScenarioInput], list[MeasureSpec], int | None, int]) -> None:
    scenarios, measures, limit, years = instance
    by_key = {m.key: m for m in measures}
    for gaps in recommend(scenarios, measures, horizon_years=years, limit=limit):
        found = gaps.recommendations
        keys = [r.measure for r in found]
        assert not set(keys) & gaps.scenario.excluded
        assert all(by_key[key].acts_on(gaps.scenario.threat) for key in keys)
        assert len(set(keys)) == len(keys)
        assert [r.rank for r in found] == list(range(1, len(found) + 1))
        assert [(-r.per_euro, -r.reduction, r.measure) for r in found] == sorted(
            (-r.per_euro, -r.reduction, r.measure) for r in found)
        assert all(r.reduction > 0 and r.cost >= MIN_COST_EUR for r in found)
        if limit is not None:
            assert len(found) <= limit


@given(instances())
def test_a_limit_keeps_the_head_of_the_full_ranking(
        instance: tuple[list[ScenarioInput], list[MeasureSpec], int | None, int]) -> None:
    scenarios, measures, _limit, years = instance
    full = recommend(scenarios, measures, horizon_years=years)
    cut = recommend(scenarios, measures, horizon_years=years, limit=2)
    for whole, head in zip(full, cut, strict=True):
        assert head.recommendations == whole.recommendations[:2]


# --- examples --------------------------------------------------------------------------------------


def test_measures_are_ranked_by_risk_removed_per_euro() -> None:
    cheap_weak = bollards("planters", 0.5, 5_000)  # 16 − 2×4 = 8 per 5,000 €
    dear_strong = bollards("bollards", 0.8, 20_000)  # 16 − 1×4 = 12 per 20,000 €
    [gaps] = recommend([ScenarioInput("s", "VEHICLE", 4, 4)], [dear_strong, cheap_weak])
    assert gaps.recommendations == [
        Recommendation("planters", 1, 2, 4, 8.0, 5_000.0, 8.0 / 5_000),
        Recommendation("bollards", 2, 1, 4, 12.0, 20_000.0, 12.0 / 20_000)]


def test_running_costs_count_over_the_horizon() -> None:
    spec = MeasureSpec("guards", {"FIREARMS": (0.5, 0.0)}, (0, 0), (1_000, 3_000))
    scenario = ScenarioInput("s", "FIREARMS", 4, 2)
    assert recommend([scenario], [spec])[0].recommendations[0].cost == 10_000.0  # 5 years × 2,000 €
    assert recommend([scenario], [spec], horizon_years=1)[0].recommendations[0].cost == 2_000.0


def test_a_free_measure_costs_one_euro_and_ranks_first() -> None:
    free = MeasureSpec("signs", {ALL: (0.1, 0.0)})
    [gaps] = recommend([ScenarioInput("s", "VEHICLE", 5, 5)], [bollards(), free])
    assert [(r.measure, r.cost) for r in gaps.recommendations] == [("signs", 1.0), ("bollards", 20_000.0)]
    assert gaps.recommendations[0].reduction == pytest.approx(25 - 4.5 * 5)
    assert gaps.recommendations[0].per_euro == gaps.recommendations[0].reduction


def test_equal_measures_come_out_in_key_order() -> None:
    measures = [bollards("c"), bollards("a"), bollards("b")]
    [gaps] = recommend([ScenarioInput("s", "VEHICLE", 3, 3)], measures)
    assert [r.measure for r in gaps.recommendations] == ["a", "b", "c"]


def test_on_equal_value_per_euro_the_larger_reduction_comes_first() -> None:
    small = bollards("a-small", 0.25, 10_000)  # 16 − 3×4 = 4 per 10,000 €
    large = bollards("z-large", 0.5, 20_000)  # 16 − 2×4 = 8 per 20,000 €
    [gaps] = recommend([ScenarioInput("s", "VEHICLE", 4, 4)], [small, large])
    assert [r.measure for r in gaps.recommendations] == ["z-large", "a-small"]


def test_excluded_measures_and_measures_for_other_threats_are_not_proposed() -> None:
    measures = [bollards("bollards"), bollards("barriers"), MeasureSpec("scanner", {"IED": (0.5, 0.0)})]
    [gaps] = recommend([ScenarioInput("s", "VEHICLE", 4, 4, frozenset({"bollards", "unknown"}))], measures)
    assert [r.measure for r in gaps.recommendations] == ["barriers"]


def test_a_measure_that_cannot_lower_a_lowest_rating_is_not_proposed() -> None:
    [gaps] = recommend([ScenarioInput("s", "VEHICLE", 1, 3)], [bollards()])
    assert gaps.recommendations == []


def test_all_applies_unless_the_threat_is_named() -> None:
    spec = MeasureSpec("cctv", {ALL: (0.5, 0.0), "VEHICLE": (0.0, 0.0)})
    gaps = recommend([ScenarioInput(1, "VEHICLE", 4, 4), ScenarioInput(2, "IED", 4, 4)], [spec])
    assert [[r.measure for r in g.recommendations] for g in gaps] == [[], ["cctv"]]


def test_the_limit_truncates_each_scenario() -> None:
    measures = [bollards(f"m{i}", 0.1 * (i + 1)) for i in range(6)]
    scenarios = [ScenarioInput(i, "VEHICLE", 5, 5) for i in range(3)]
    gaps = recommend(scenarios, measures, limit=2)
    assert [len(g.recommendations) for g in gaps] == [2, 2, 2]
    assert [r.rank for r in gaps[0].recommendations] == [1, 2]
    assert all(g.recommendations == [] for g in recommend(scenarios, measures, limit=0))


def test_results_follow_the_order_of_the_scenarios() -> None:
    scenarios = [ScenarioInput(key, threat, 3, 3) for key, threat in [("b", "IED"), ("a", "VEHICLE"), ("c", "IED")]]
    assert [g.scenario for g in recommend(scenarios, [bollards()])] == scenarios


def test_no_scenario_gives_nothing_and_no_measure_gives_empty_rankings() -> None:
    assert recommend([], [bollards()]) == naive_recommend([], [bollards()]) == []
    scenario = ScenarioInput("s", "VEHICLE", 3, 3)
    assert recommend([scenario], []) == naive_recommend([scenario], []) == [ScenarioGaps(scenario, [])]


def test_scenarios_with_the_same_rating_but_other_exclusions_are_ranked_apart() -> None:
    measures = [bollards("a", 0.8), bollards("b", 0.5), bollards("c", 0.25)]
    scenarios = [ScenarioInput(1, "VEHICLE", 4, 4), ScenarioInput(2, "VEHICLE", 4, 4, frozenset({"a"})),
                 ScenarioInput(3, "VEHICLE", 4, 4, frozenset({"b"})), ScenarioInput(4, "VEHICLE", 4, 4)]
    gaps = recommend(scenarios, measures)
    assert [[(r.measure, r.rank) for r in g.recommendations] for g in gaps] == [
        [("a", 1), ("b", 2), ("c", 3)], [("b", 1), ("c", 2)], [("a", 1), ("c", 2)], [("a", 1), ("b", 2), ("c", 3)]]
    assert gaps == naive_recommend(scenarios, measures)


def test_a_key_given_to_two_measures_is_excluded_for_both() -> None:
    measures = [bollards("same", 0.8), bollards("same", 0.5), bollards("other", 0.5)]
    scenario = ScenarioInput("s", "VEHICLE", 4, 4, frozenset({"same"}))
    [gaps] = recommend([scenario], measures)
    assert [r.measure for r in gaps.recommendations] == ["other"]
    assert [gaps] == naive_recommend([scenario], measures)
