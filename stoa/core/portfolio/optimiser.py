"""``optimise`` (the exact MILP) and ``greedy`` (the baseline): same inputs, same result type."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence

from stoa.core.portfolio.greedy import timed_greedy
from stoa.core.portfolio.milp import formulate, solve
from stoa.core.portfolio.model import Option, PortfolioInputError, Scenario, build_problem
from stoa.core.portfolio.result import PortfolioResult, make_result, prune


def check_time_limit(time_limit_s: float | None) -> None:
    if time_limit_s is not None and (isinstance(time_limit_s, bool) or not isinstance(time_limit_s, int | float)
                                     or not time_limit_s > 0):
        raise PortfolioInputError(f"time_limit_s must be a positive number of seconds, got {time_limit_s!r}")


def optimise(options: Sequence[Option], budget: float, *, yearly_budget: float | None = None,
             years: int | None = None, per_year: Mapping[int, float] | None = None,
             scenarios: Mapping[Hashable, Scenario] | None = None, exclusive: Iterable[Iterable[Hashable]] = (),
             prerequisites: Iterable[tuple[Hashable, Hashable]] = (),
             time_limit_s: float | None = None) -> PortfolioResult:
    """The options that remove the most risk within the budgets (see ``stoa.core.portfolio``)."""
    check_time_limit(time_limit_s)
    problem = build_problem(options, budget, yearly_budget=yearly_budget, years=years, per_year=per_year,
                            scenarios=scenarios, exclusive=exclusive, prerequisites=prerequisites)
    solution = solve(formulate(problem), time_limit_s=time_limit_s, problem=problem)
    chosen = prune(problem, solution.chosen)
    return make_result(problem, chosen, status=solution.status, optimal=solution.optimal, gap=solution.gap,
                       solve_time_s=solution.solve_time_s)


def greedy(options: Sequence[Option], budget: float, *, yearly_budget: float | None = None,
           years: int | None = None, per_year: Mapping[int, float] | None = None,
           scenarios: Mapping[Hashable, Scenario] | None = None, exclusive: Iterable[Iterable[Hashable]] = (),
           prerequisites: Iterable[tuple[Hashable, Hashable]] = ()) -> PortfolioResult:
    """The benefit/cost greedy choice (``stoa.core.portfolio.greedy``), for comparison."""
    problem = build_problem(options, budget, yearly_budget=yearly_budget, years=years, per_year=per_year,
                            scenarios=scenarios, exclusive=exclusive, prerequisites=prerequisites)
    chosen, elapsed = timed_greedy(problem)
    return make_result(problem, chosen, status="greedy", optimal=False, gap=None, solve_time_s=elapsed)
