"""The exact MILP, assembled from independent components and solved with HiGHS.

The options split into components that interact only through the budgets (``menus``). Each
component is formulated in one of two exact ways:

* **Menu** (small components, the usual case): one binary y_m per undominated feasible subset m
  of the component (``menus.menu``), Σ_m y_m = 1, with the subset's exact risk removed as its
  objective coefficient and its costs in the budget rows. Exclusive groups and prerequisites hold
  by construction.
* **Per option** (components with too many feasible subsets): one binary x_i per option; rows
  Σ_{i∈G} x_i ≤ 1 per exclusive group and x_i ≤ x_j per prerequisite j of i; each scenario's
  non-additive residual linearised exactly with packages or product chains (``linearise``).

Budget rows: Σ capital ≤ budget; Σ yearly ≤ yearly_budget; per capped year, Σ capital of the
options bought that year ≤ its budget. The objective is the risk removed (maximised; HiGHS
minimises its negative). Solved with ``scipy.optimize.milp`` to a relative gap of ``MIP_REL_GAP``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

from stoa.core.portfolio.linearise import MAX_PACKAGES, Builder, chains, packages, subsets
from stoa.core.portfolio.menus import MAX_MENU, components, cost_vector, menu
from stoa.core.portfolio.model import RISK_TOLERANCE, Problem

MIP_REL_GAP = 1e-9  # so "optimal" is optimal to float precision, not to HiGHS's default 1e-4

STATUS = {0: "optimal", 1: "time limit", 2: "infeasible", 3: "unbounded", 4: "solver error"}


@dataclass
class Formulation:
    c: np.ndarray
    integrality: np.ndarray
    lb: np.ndarray
    ub: np.ndarray
    matrix: csr_matrix
    row_lb: np.ndarray
    row_ub: np.ndarray
    budget_row: int
    options: int
    columns: list[tuple[int, tuple[int, ...]]]  # (column, the options it stands for when 1)
    menus: int  # components formulated as menus
    packaged: int  # scenarios linearised with packages (in per-option components)
    chained: int  # scenarios linearised with product chains


@dataclass(frozen=True)
class Solution:
    chosen: np.ndarray  # bool per option
    status: str
    optimal: bool
    gap: float | None
    solve_time_s: float


def formulate(problem: Problem, *, menu_limit: int = MAX_MENU, package_limit: int = MAX_PACKAGES) -> Formulation:
    """The MILP for PROBLEM. MENU_LIMIT and PACKAGE_LIMIT choose between the exact formulations
    (0 forces per-option components, or product chains); the budget's bound can be changed later."""
    build = Builder()
    n = len(problem.options)
    # Budget rows gather (column, cost) as the components are added; they become rows at the end.
    caps: list[float] = [problem.budget]
    if problem.yearly_budget is not None:
        caps.append(problem.yearly_budget)
    if problem.per_year is not None:
        caps.extend(problem.per_year.values())
    spend: list[list[tuple[int, float]]] = [[] for _ in caps]
    columns: list[tuple[int, tuple[int, ...]]] = []
    xcol = [-1] * n
    per_option: list[list[int]] = []
    menus = 0
    for members in components(problem):
        items = menu(problem, members, menu_limit) if menu_limit > 0 else None
        if items is None:
            per_option.append(members)
            continue
        useful = [item for item in items if item.members and item.benefit > RISK_TOLERANCE]
        if not useful:
            continue  # nothing here removes any risk: the component stays empty
        menus += 1
        pick = []
        for item in useful:
            col = build.var(-item.benefit, 0.0, 1.0, integral=True)
            columns.append((col, item.members))
            pick.append((col, 1.0))
            for row, cost in enumerate(item.costs):
                spend[row].append((col, cost))
        build.row(pick, -np.inf, 1.0)  # at most one plan; none is the empty plan

    packaged = chained = 0
    for members in per_option:
        for i in members:
            xcol[i] = build.var(0.0, 0.0, 1.0, integral=True)
            columns.append((xcol[i], (i,)))
            for row, cost in enumerate(cost_vector(problem, i)):
                spend[row].append((xcol[i], cost))
        inside = set(members)
        for group in problem.groups:
            if group[0] in inside:
                build.row([(xcol[i], 1.0) for i in group], -np.inf, 1.0)
        for i in members:
            for req in problem.requires[i]:
                build.row([(xcol[i], 1.0), (xcol[req], -1.0)], -np.inf, 0.0)
        for s in sorted({s for i in members for s in problem.touches[i]}):
            found = subsets(problem, s, package_limit) if package_limit > 0 else None
            if found is not None:
                packages(build, problem, s, found, xcol)
                packaged += 1
            else:
                chains(build, problem, s, xcol)
                chained += 1

    budget_row = build.row(spend[0], -np.inf, caps[0])
    for row in range(1, len(caps)):
        build.row(spend[row], -np.inf, caps[row])
    matrix = csr_matrix((build.vals, (build.rows, build.cols)), shape=(len(build.row_lb), len(build.c)))
    return Formulation(np.array(build.c), np.array(build.integral), np.array(build.lb), np.array(build.ub), matrix,
                       np.array(build.row_lb), np.array(build.row_ub), budget_row, n, columns, menus, packaged,
                       chained)


def solve(form: Formulation, *, budget: float | None = None, time_limit_s: float | None = None) -> Solution:
    """Solve FORM (with the capital budget replaced by BUDGET if given) with HiGHS."""
    row_ub = form.row_ub
    if budget is not None:
        row_ub = row_ub.copy()
        row_ub[form.budget_row] = budget
    chosen = np.zeros(form.options, dtype=bool)
    if not form.columns:  # nothing can remove any risk: the empty plan, trivially optimal
        return Solution(chosen, "optimal", True, 0.0, 0.0)
    options: dict[str, object] = {"disp": False, "mip_rel_gap": MIP_REL_GAP}
    if time_limit_s is not None:
        options["time_limit"] = float(time_limit_s)
    started = time.perf_counter()
    result = milp(form.c, integrality=form.integrality, bounds=Bounds(form.lb, form.ub),
                  constraints=LinearConstraint(form.matrix, form.row_lb, row_ub), options=options)
    elapsed = time.perf_counter() - started
    status = STATUS.get(result.status, f"status {result.status}")
    if result.x is None:  # no incumbent (a time limit before the first one): the empty plan is always feasible
        return Solution(chosen, status, False, None, elapsed)
    for col, members in form.columns:
        if result.x[col] > 0.5:
            chosen[list(members)] = True
    gap = getattr(result, "mip_gap", None)
    return Solution(chosen, status, result.status == 0, None if gap is None else float(gap), elapsed)
