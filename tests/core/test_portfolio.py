"""The budget optimiser: exact against brute force, the greedy baseline, overlap, explanations,
the Pareto curve, and every input error. Kept fast: small instances, one HiGHS call each."""

from __future__ import annotations

import random
from collections.abc import Hashable
from itertools import combinations, pairwise

import pytest

from stoa.core.catalogue.combination import remaining, residual_value
from stoa.core.portfolio import (
    Option,
    PortfolioInputError,
    Scenario,
    greedy,
    optimise,
    pareto,
)
from stoa.core.portfolio.milp import formulate, solve
from stoa.core.portfolio.model import build_problem
from stoa.core.portfolio.result import prune

# --- brute force, written independently of the package's own risk model ---------------------------


def residual(scenario: Scenario, shares: list[tuple[float, float]]) -> float:
    def value(v: float, left: float) -> float:
        # Ratings here are ≥ 1, so with the default floor this is exactly the gap analysis's rule.
        return residual_value(v, left) if scenario.lowest == 1 else v * left

    return value(scenario.likelihood, remaining(s[0] for s in shares)) * value(
        scenario.consequence, remaining(s[1] for s in shares))


def removed(options: list[Option], scenarios: dict[str, Scenario], chosen: set[Hashable]) -> float:
    total = 0.0
    for key, scenario in scenarios.items():
        shares = [o.effects[key] for o in options if o.key in chosen and key in o.effects]
        total += residual(scenario, []) - residual(scenario, shares)
    return total


def feasible(instance: dict, chosen: set[Hashable]) -> bool:
    options = {o.key: o for o in instance["options"]}
    slack = 1e-6
    if sum(options[k].capital_eur for k in chosen) > instance["budget"] + slack:
        return False
    if instance["yearly_budget"] is not None and sum(options[k].yearly_eur for k in chosen) > (
            instance["yearly_budget"] + slack):
        return False
    for year, cap in (instance["per_year"] or {}).items():
        if sum(options[k].capital_eur for k in chosen if options[k].year == year) > cap + slack:
            return False
    if any(len(chosen.intersection(g)) > 1 for g in instance["exclusive"]):
        return False
    return all(req in chosen for opt, req in instance["prerequisites"] if opt in chosen)


def brute_force(instance: dict) -> float:
    keys = [o.key for o in instance["options"]]
    best = 0.0
    for size in range(len(keys) + 1):
        for subset in combinations(keys, size):
            chosen = set(subset)
            if feasible(instance, chosen):
                best = max(best, removed(instance["options"], instance["scenarios"], chosen))
    return best


def random_instance(seed: int) -> dict:
    rng = random.Random(seed)
    lowest = rng.choice([1, 1, 0])
    scenarios = {f"s{n}": Scenario(f"s{n}", rng.randint(1, 5), rng.randint(1, 5), lowest=lowest)
                 for n in range(rng.randint(2, 4))}
    per_year = {2026: 0.0, 2027: 0.0} if rng.random() < 0.25 else None
    options = []
    for n in range(rng.randint(3, 8)):
        effects = {}
        for key in rng.sample(sorted(scenarios), rng.randint(1, min(3, len(scenarios)))):
            effects[key] = (rng.choice([0.0, round(rng.uniform(0.05, 1.0), 2)]),
                            rng.choice([0.0, round(rng.random(), 2)]))
        options.append(Option(f"o{n}", rng.choice([0, rng.randint(1, 100)]), rng.randint(0, 20), effects,
                              year=rng.choice([2026, 2027]) if per_year is not None else None))
    keys = [o.key for o in options]
    exclusive = [rng.sample(keys, rng.randint(2, 3)) for _ in range(rng.randint(0, 2))]
    prerequisites = []
    for _ in range(rng.randint(0, 2)):
        i, j = sorted(rng.sample(range(len(keys)), 2))
        if per_year is None or options[i].year >= options[j].year:  # the later one needs the earlier (acyclic)
            prerequisites.append((keys[j], keys[i]) if per_year is None or options[j].year >= options[i].year
                                 else (keys[i], keys[j]))
    total = sum(o.capital_eur for o in options)
    yearly_budget = rng.randint(0, 40) if rng.random() < 0.3 else None
    if per_year is not None:
        per_year = {year: rng.uniform(0, total / 2) for year in per_year}
    return {"options": options, "scenarios": scenarios, "budget": rng.uniform(0, total), "exclusive": exclusive,
            "prerequisites": prerequisites, "yearly_budget": yearly_budget, "per_year": per_year}


def kwargs(instance: dict) -> dict:
    return {k: instance[k] for k in ("scenarios", "exclusive", "prerequisites", "yearly_budget", "per_year")}


SEEDS = range(150)


def test_optimiser_equals_brute_force_on_random_instances() -> None:
    for seed in SEEDS:
        instance = random_instance(seed)
        try:
            result = optimise(instance["options"], instance["budget"], **kwargs(instance))
        except PortfolioInputError as exc:  # only a prerequisite planned after its option, by construction
            assert "planned later" in str(exc), seed
            continue
        best = brute_force(instance)
        assert result.optimal, seed
        assert result.risk_removed == pytest.approx(best, abs=1e-6), seed
        assert feasible(instance, set(result.chosen)), seed
        assert result.risk_removed == pytest.approx(removed(instance["options"], instance["scenarios"],
                                                            set(result.chosen)), abs=1e-9)
        base = greedy(instance["options"], instance["budget"], **kwargs(instance))
        assert feasible(instance, set(base.chosen)), seed
        assert base.risk_removed <= result.risk_removed + 1e-9, seed


@pytest.mark.parametrize(("menu_limit", "package_limit", "fixing"), [(0, 256, False), (0, 0, False), (1024, 256, True),
                                                                    (0, 0, True)],
                         ids=["packages", "product-chains", "menus-with-fixing", "chains-with-fixing"])
def test_each_exact_formulation_equals_brute_force(menu_limit: int, package_limit: int, fixing: bool) -> None:
    """The per-option formulations (packages, and product chains for any number of options) are
    exact too, not only the menus the small instances would use; so is reduced-cost fixing, which
    only large models use by default."""
    for seed in SEEDS[:60]:
        instance = random_instance(seed)
        try:
            problem = build_problem(instance["options"], instance["budget"], **kwargs(instance))
        except PortfolioInputError:
            continue
        form = formulate(problem, menu_limit=menu_limit, package_limit=package_limit)
        if not menu_limit:
            assert form.menus == 0
            assert (form.chained == 0) if package_limit else (form.packaged == 0)
        solution = solve(form, fixing=fixing, problem=problem)
        chosen = {problem.keys[i] for i in prune(problem, solution.chosen).nonzero()[0]}
        assert solution.optimal, seed
        assert feasible(instance, chosen), seed
        best = brute_force(instance)
        assert removed(instance["options"], instance["scenarios"], chosen) == pytest.approx(best, abs=1e-6), seed


def test_many_options_on_one_scenario_use_exact_product_chains() -> None:
    rng = random.Random(7)
    scenarios = {"s": Scenario("s", 5, 5), "t": Scenario("t", 4, 3, lowest=0)}
    options = [Option(f"o{n}", rng.randint(5, 50), 0,
                      {"s": (round(rng.uniform(0.05, 0.5), 2), round(rng.random() / 3, 2)),
                       "t": (round(rng.random() / 2, 2), 0.0)})
               for n in range(13)]
    instance = {"options": options, "scenarios": scenarios, "budget": 120.0, "exclusive": [["o0", "o1"]],
                "prerequisites": [("o2", "o3")], "yearly_budget": None, "per_year": None}
    form = formulate(build_problem(options, 120.0, **kwargs(instance)))
    assert form.chained == 2 and form.menus == 0
    result = optimise(options, 120.0, **kwargs(instance))
    assert result.optimal
    assert result.risk_removed == pytest.approx(brute_force(instance), abs=1e-6)


# --- oracles from the research notes (quant-methods.md §4.4) ---------------------------------------

def knapsack_options(values: list[int], weights: list[int]) -> tuple[list[Option], dict[str, Scenario]]:
    """A plain knapsack: item i removes all of a scenario whose risk is its value (no floor)."""
    scenarios = {f"s{i}": Scenario(f"s{i}", v, 1, lowest=0) for i, v in enumerate(values)}
    return [Option(i, w, 0, {f"s{i}": (1.0, 0.0)}) for i, w in enumerate(weights)], scenarios


def test_or_tools_knapsack_oracle() -> None:
    values = [360, 83, 59, 130, 431, 67, 230, 52, 93, 125, 670, 892, 600, 38, 48, 147, 78, 256, 63, 17, 120, 164, 432,
              35, 92, 110, 22, 42, 50, 323, 514, 28, 87, 73, 78, 15, 26, 78, 210, 36, 85, 189, 274, 43, 33, 10, 19, 389,
              276, 312]
    weights = [7, 0, 30, 22, 80, 94, 11, 81, 70, 64, 59, 18, 0, 36, 3, 8, 15, 42, 9, 0, 42, 47, 52, 32, 26, 48, 55, 6,
               29, 84, 2, 4, 18, 56, 7, 29, 93, 44, 71, 3, 86, 66, 31, 65, 0, 79, 20, 65, 52, 13]
    options, scenarios = knapsack_options(values, weights)
    result = optimise(options, 850, scenarios=scenarios)
    assert result.risk_removed == pytest.approx(7534)
    assert result.capital_eur <= 850


def test_two_budget_knapsack_oracle() -> None:
    """PySCIPOpt's multi-constraint knapsack: capital and yearly budgets together; optimum 42."""
    options, scenarios = knapsack_options([16, 19, 23, 28], [3000, 3500, 5100, 7200])
    options = [Option(o.key, o.capital_eur, yearly, o.effects) for o, yearly in zip(options, [2, 3, 4, 5], strict=True)]
    result = optimise(options, 10_000, yearly_budget=7, scenarios=scenarios)
    assert result.risk_removed == pytest.approx(42)
    assert set(result.chosen) == {1, 2}


# --- greedy, overlap -------------------------------------------------------------------------------

def test_greedy_can_be_strictly_worse() -> None:
    scenarios = {k: Scenario(k, *lc, lowest=0) for k, lc in {"a": (5, 4), "b": (5, 3), "c": (5, 3)}.items()}
    options = [Option("A", 6, 0, {"a": (1.0, 0.0)}), Option("B", 5, 0, {"b": (1.0, 0.0)}),
               Option("C", 5, 0, {"c": (1.0, 0.0)})]
    best = optimise(options, 10, scenarios=scenarios)
    base = greedy(options, 10, scenarios=scenarios)
    assert base.chosen == ("A",) and base.risk_removed == pytest.approx(20)  # best ratio first, then nothing fits
    assert best.chosen == ("B", "C") and best.risk_removed == pytest.approx(30)
    assert base.status == "greedy" and not base.optimal and base.gap is None


def test_greedy_brings_in_a_prerequisite_with_its_option() -> None:
    scenarios = {"s": Scenario("s", 5, 5)}
    options = [Option("mast", 10, 0, {}), Option("camera", 10, 0, {"s": (0.4, 0.0)})]
    base = greedy(options, 20, scenarios=scenarios, prerequisites=[("camera", "mast")])
    assert set(base.chosen) == {"mast", "camera"}


def test_overlapping_halves_remove_three_quarters() -> None:
    scenarios = {"s": Scenario("s", 4, 5)}
    options = [Option("a", 10, 0, {"s": (0.5, 0.0)}), Option("b", 10, 0, {"s": (0.5, 0.0)})]
    result = optimise(options, 20, scenarios=scenarios)
    assert result.chosen == ("a", "b")
    assert result.risk_before == 20
    assert result.risk_after == pytest.approx(20 * 0.25)  # 75 % of the likelihood gone, not 100 %
    assert result.risk_removed == pytest.approx(15)
    assert result.per_option["a"].benefit_alone == pytest.approx(10)
    assert result.per_option["a"].benefit_marginal == pytest.approx(5)


def test_residual_values_are_floored_at_the_lowest_level_unless_told_otherwise() -> None:
    options = [Option("a", 1, 0, {"s": (0.9, 0.0)})]
    floored = optimise(options, 1, scenarios={"s": Scenario("s", 2, 3)})
    plain = optimise(options, 1, scenarios={"s": Scenario("s", 2, 3, lowest=0)})
    assert floored.risk_after == pytest.approx(1 * 3)  # 2 × 0.1 = 0.2 is floored at level 1, as the gap analysis does
    assert plain.risk_after == pytest.approx(0.2 * 3)


def test_unrated_scenarios_weigh_one() -> None:
    options = [Option("a", 1, 0, {"x": (0.5, 0.5)}), Option("b", 1, 0, {"y": (0.2, 0.0)})]
    result = optimise(options, 2)
    assert result.risk_before == 2
    assert result.risk_removed == pytest.approx(0.75 + 0.2)


# --- explanations ----------------------------------------------------------------------------------

def test_explanations_name_the_reason() -> None:
    scenarios = {"gate": Scenario("gate", 5, 5), "hall": Scenario("hall", 4, 4), "park": Scenario("park", 3, 3)}
    options = [
        Option("bollards", 100, 0, {"gate": (0.6, 0.0)}),
        Option("planters", 80, 0, {"gate": (0.4, 0.0)}),  # alternative to the bollards at the gate
        Option("guards", 50, 0, {"hall": (0.5, 0.2)}),
        Option("cctv", 60, 0, {"park": (0.3, 0.0)}),  # too little left in the budget
        Option("analytics", 10, 0, {"park": (0.5, 0.0)}),  # needs the mast, which is too dear
        Option("mast", 500, 0, {}),
        Option("flags", 5, 0, {}),
    ]
    result = optimise(options, 160, scenarios=scenarios, exclusive=[["bollards", "planters"]],
                      prerequisites=[("analytics", "mast")])
    assert result.chosen == ("bollards", "guards")
    why = result.per_option
    assert why["bollards"].chosen and why["bollards"].text.startswith("chosen")
    assert why["planters"].reason == "exclusive"
    assert why["planters"].text == "out: excluded by alternative bollards"
    assert why["planters"].related == ("bollards",)
    assert why["cctv"].reason == "budget"
    assert why["cctv"].text.startswith("out: budget (needs 60 € of capital, 10 € left)")
    assert "below the marginal ratio" in why["cctv"].text
    assert why["analytics"].reason == "prerequisite"
    assert why["analytics"].text == "out: its prerequisite mast was not chosen"
    assert why["flags"].reason == "no-effect"
    assert why["flags"].text == "out: no effect on any rated scenario"


def test_explanation_of_an_overlapping_option() -> None:
    scenarios = {"s": Scenario("s", 5, 4, lowest=0)}
    options = [Option("a", 10, 0, {"s": (1.0, 0.0)}), Option("b", 12, 0, {"s": (1.0, 0.0)})]
    result = optimise(options, 100, scenarios=scenarios)
    assert result.chosen == ("a",)  # b adds nothing, so it is dropped even though it fits
    assert result.per_option["b"].reason == "overlap"
    assert result.per_option["b"].text.startswith("out: adds nothing once a is chosen (overlap)")


def test_explanation_of_a_chosen_prerequisite() -> None:
    scenarios = {"s": Scenario("s", 5, 5)}
    options = [Option("mast", 10, 0, {}), Option("camera", 10, 0, {"s": (0.4, 0.0)})]
    result = optimise(options, 20, scenarios=scenarios, prerequisites=[("camera", "mast")])
    assert result.chosen == ("mast", "camera")
    assert result.per_option["mast"].text == "chosen: prerequisite of camera"


# --- per-year budgets, Pareto ----------------------------------------------------------------------

def test_per_year_budgets_cap_each_years_capital() -> None:
    scenarios = {"s": Scenario("s", 5, 5), "t": Scenario("t", 5, 5)}
    options = [Option("a", 60, 0, {"s": (0.5, 0.0)}, year=2026), Option("b", 60, 0, {"t": (0.4, 0.0)}, year=2026),
               Option("c", 60, 0, {"t": (0.3, 0.0)}, year=2027)]
    result = optimise(options, 200, per_year={2026: 100, 2027: 100}, scenarios=scenarios)
    assert result.chosen == ("a", "c")
    assert "in 2026" in result.per_option["b"].text


def test_pareto_risk_never_goes_up_with_the_budget() -> None:
    instance = random_instance(11)
    curve = pareto(instance["options"], scenarios=instance["scenarios"], exclusive=instance["exclusive"],
                   prerequisites=instance["prerequisites"], points=8)
    assert len(curve) == 8
    assert curve[0].budget == 0
    budgets = [p.budget for p in curve]
    risks = [p.risk_after for p in curve]
    assert budgets == sorted(budgets)
    assert all(later <= earlier + 1e-9 for earlier, later in pairwise(risks))
    everything = optimise(instance["options"], 1e9, scenarios=instance["scenarios"], exclusive=instance["exclusive"],
                          prerequisites=instance["prerequisites"])
    assert risks[-1] == pytest.approx(everything.risk_after)
    budget, risk, chosen = curve[3]  # a plain (budget, risk_after, chosen) triple
    assert isinstance(chosen, tuple)
    assert risk == pytest.approx(optimise(instance["options"], budget, scenarios=instance["scenarios"],
                                          exclusive=instance["exclusive"],
                                          prerequisites=instance["prerequisites"]).risk_after)


def test_pareto_at_given_budgets() -> None:
    options, scenarios = knapsack_options([10, 20, 30], [1, 2, 3])
    curve = pareto(options, [6, 0, 3], scenarios=scenarios)
    assert [(p.budget, p.risk_after) for p in curve] == [(0, 60), (3, 30), (6, 0)]


# --- input errors ----------------------------------------------------------------------------------

S = {"s": Scenario("s", 3, 3)}


def opt(key: Hashable = "a", capital: float = 1, yearly: float = 0, effects: dict | None = None, **kw) -> Option:
    return Option(key, capital, yearly, {"s": (0.5, 0.0)} if effects is None else effects, **kw)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: optimise([opt(capital=-5)], 10, scenarios=S), "option 'a': capital_eur must not be negative, got -5"),
    (lambda: optimise([opt(yearly=-1)], 10, scenarios=S), "option 'a': yearly_eur must not be negative, got -1"),
    (lambda: optimise([opt(effects={"s": (1.2, 0.0)})], 10, scenarios=S),
     "option 'a': likelihood share on scenario 's' must be between 0 and 1, got 1.2"),
    (lambda: optimise([opt(effects={"s": (0.2, -0.1)})], 10, scenarios=S),
     "option 'a': consequence share on scenario 's' must not be negative, got -0.1"),
    (lambda: optimise([opt(effects={"x": (0.2, 0.1)})], 10, scenarios=S),
     "option 'a' acts on scenario 'x', which is not among the scenarios"),
    (lambda: optimise([opt(), opt("b")], 10, scenarios=S, exclusive=[["a", "z"]]),
     "exclusive group 1 names 'z', which is not an option"),
    (lambda: optimise([opt()], 10, scenarios=S, prerequisites=[("a", "z")]),
     "prerequisite ('a', 'z'): 'z' is not an option"),
    (lambda: optimise([opt(), opt("b"), opt("c")], 10, scenarios=S,
                      prerequisites=[("a", "b"), ("b", "c"), ("c", "a")]),
     "prerequisites form a cycle: 'a' → 'b' → 'c' → 'a'"),
    (lambda: optimise([opt()], 10, scenarios=S, prerequisites=[("a", "a")]),
     "prerequisites form a cycle: 'a' requires itself"),
    (lambda: optimise([opt()], -1, scenarios=S), "budget must not be negative, got -1"),
    (lambda: optimise([opt()], 10, yearly_budget=-2, scenarios=S), "yearly_budget must not be negative, got -2"),
    (lambda: optimise([opt()], 10, per_year={2026: -3}, scenarios=S),
     "per_year: the budget of 2026 must not be negative, got -3"),
    (lambda: optimise([opt(), opt()], 10, scenarios=S), "duplicate option key 'a'"),
    (lambda: optimise([opt()], 10, per_year={2026: 5}, scenarios=S),
     "option 'a' has no year, which per_year budgets need"),
    (lambda: optimise([opt(year=2030)], 10, per_year={2026: 5}, scenarios=S),
     "option 'a' is planned for 2030, a year per_year gives no budget for"),
    (lambda: optimise([opt(year=2026), opt("b", year=2027)], 10, per_year={2026: 5, 2027: 5}, scenarios=S,
                      prerequisites=[("a", "b")]),
     "option 'a' (year 2026) requires 'b', which is planned later (2027)"),
    (lambda: optimise([opt()], float("nan"), scenarios=S), "budget must be a finite number, got nan"),
    (lambda: optimise([opt()], 10, scenarios={"s": Scenario("s", -1, 3)}),
     "scenario 's': likelihood must not be negative, got -1"),
    (lambda: optimise([opt()], 10, scenarios={"t": Scenario("s", 1, 3)}),
     "scenario 't' is stored under a different key than its own ('s')"),
    (lambda: optimise([opt()], 10, scenarios=S, time_limit_s=0),
     "time_limit_s must be a positive number of seconds, got 0"),
    (lambda: pareto([opt()], scenarios=S, points=1), "points must be a whole number ≥ 2, got 1"),
    (lambda: greedy([opt(capital=-5)], 10, scenarios=S), "option 'a': capital_eur must not be negative, got -5"),
])
def test_input_errors(call, message: str) -> None:
    with pytest.raises(PortfolioInputError) as caught:
        call()
    assert str(caught.value) == message
    assert isinstance(caught.value, ValueError)
