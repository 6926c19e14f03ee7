"""The cost–risk curve: the optimal residual risk for a range of capital budgets.

By default POINTS budgets evenly spaced from 0 to the capital of the cheapest plan that removes all
the risk the options can remove (found by solving with every option affordable, then dropping what
adds nothing). The MILP is built once; only the budget's bound changes between solves. A larger
budget can always afford the smaller one's plan, so when a solve stops early (time limit) with a
worse plan, the previous one is kept: the curve never goes up.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import NamedTuple

import numpy as np

from stoa.core.portfolio.milp import formulate as build_milp
from stoa.core.portfolio.milp import solve
from stoa.core.portfolio.model import RISK_TOLERANCE, Option, PortfolioInputError, Scenario, _number, build_problem
from stoa.core.portfolio.optimiser import check_time_limit
from stoa.core.portfolio.result import prune


class ParetoPoint(NamedTuple):
    budget: float
    risk_after: float
    chosen: tuple[Hashable, ...]


def pareto(options: Sequence[Option], budgets: Iterable[float] | None = None, *, yearly_budget: float | None = None,
           years: int | None = None, per_year: Mapping[int, float] | None = None,
           scenarios: Mapping[Hashable, Scenario] | None = None, exclusive: Iterable[Iterable[Hashable]] = (),
           prerequisites: Iterable[tuple[Hashable, Hashable]] = (), points: int = 12,
           time_limit_s: float | None = None) -> list[ParetoPoint]:
    """(budget, risk_after, chosen) for each budget, in increasing budget order."""
    check_time_limit(time_limit_s)
    if isinstance(points, bool) or not isinstance(points, int) or points < 2:
        raise PortfolioInputError(f"points must be a whole number ≥ 2, got {points!r}")
    listed = None if budgets is None else sorted(_number(b, "a budget in budgets") for b in budgets)
    options = tuple(options)
    everything = float(sum(max(0.0, float(o.capital_eur)) for o in options if isinstance(o, Option)))
    problem = build_problem(options, everything, yearly_budget=yearly_budget, years=years, per_year=per_year,
                            scenarios=scenarios, exclusive=exclusive, prerequisites=prerequisites)
    form = build_milp(problem)
    if listed is None:
        full = prune(problem, solve(form, budget=everything, time_limit_s=time_limit_s, problem=problem).chosen)
        top = float(problem.capital[full].sum())
        listed = np.linspace(0.0, top, points).tolist()
    curve: list[ParetoPoint] = []
    best: np.ndarray | None = None
    best_risk = np.inf
    for budget in listed:
        chosen = prune(problem, solve(form, budget=budget, time_limit_s=time_limit_s, problem=problem).chosen)
        risk = problem.risk_after(chosen)
        if best is not None and risk > best_risk + RISK_TOLERANCE:
            chosen, risk = best, best_risk
        best, best_risk = chosen, risk
        curve.append(ParetoPoint(float(budget), risk, tuple(problem.options[i].key for i in np.flatnonzero(chosen))))
    return curve
