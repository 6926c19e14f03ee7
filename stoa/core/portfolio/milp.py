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
from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, OptimizeResult, linprog, milp
from scipy.sparse import csr_matrix, vstack

from stoa.core.portfolio.greedy import greedy_choice
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


def solve(form: Formulation, *, budget: float | None = None, time_limit_s: float | None = None,
          fixing: bool | None = None, problem: Problem | None = None) -> Solution:
    """Solve FORM (with the capital budget replaced by BUDGET if given) with HiGHS.

    With FIXING (by default for models of ``FIXING_MIN_COLUMNS`` binaries or more, when PROBLEM is
    given to check the incumbent), binaries are first fixed by reduced costs: the LP relaxation
    gives an upper bound U and, for each binary at a bound, the least its objective worsens if it
    is moved to the other bound (its reduced cost d); a feasible plan rounded from the LP gives a
    lower bound L. A binary with U − d < L cannot be moved in any plan better than L, so fixing it
    loses no optimum: this is exact, and it leaves HiGHS a few dozen binaries instead of thousands
    (HiGHS does the same, but only after seconds of root heuristics on the whole model)."""
    row_ub = form.row_ub
    if budget is not None:
        row_ub = row_ub.copy()
        row_ub[form.budget_row] = budget
    chosen = np.zeros(form.options, dtype=bool)
    if not form.columns:  # nothing can remove any risk: the empty plan, trivially optimal
        return Solution(chosen, "optimal", True, 0.0, 0.0)
    started = time.perf_counter()
    lb, ub = form.lb, form.ub
    if fixing is None:
        fixing = problem is not None and int(form.integrality.sum()) >= FIXING_MIN_COLUMNS
    if fixing and problem is not None:
        capped = problem if budget is None else replace(problem, budget=budget)  # the incumbent must fit BUDGET
        lb, ub = _fix_by_reduced_costs(form, row_ub, capped)
    options: dict[str, object] = {"disp": False, "mip_rel_gap": MIP_REL_GAP}
    if time_limit_s is not None:
        options["time_limit"] = max(1e-3, float(time_limit_s) - (time.perf_counter() - started))
    result = milp(form.c, integrality=form.integrality, bounds=Bounds(lb, ub),
                  constraints=LinearConstraint(form.matrix, form.row_lb, row_ub), options=options)
    elapsed = time.perf_counter() - started
    status = STATUS.get(result.status, f"status {result.status}")
    if result.x is None:  # no incumbent (a time limit before the first one): the empty plan is always feasible
        return Solution(chosen, status, False, None, elapsed)
    gap = getattr(result, "mip_gap", None)
    return Solution(_decode(form, result.x), status, result.status == 0, None if gap is None else float(gap), elapsed)


FIXING_MIN_COLUMNS = 300
FIXING_MARGIN = 1e-7  # relative: a binary is fixed only if it is this much worse than the incumbent


def _decode(form: Formulation, x: np.ndarray) -> np.ndarray:
    chosen = np.zeros(form.options, dtype=bool)
    for col, members in form.columns:
        if x[col] > 0.5:
            chosen[list(members)] = True
    return chosen


def _fix_by_reduced_costs(form: Formulation, row_ub: np.ndarray, problem: Problem) -> tuple[np.ndarray, np.ndarray]:
    lb, ub = form.lb.copy(), form.ub.copy()
    lp = _relaxation(form, row_ub)
    if lp is None:
        return lb, ub
    x = np.asarray(lp.x)
    # The incumbent: the LP's plan rounded down, minus options whose prerequisites fell out.
    integral = form.integrality.astype(bool)
    chosen = _decode(form, np.where(integral, np.floor(x + 1e-9), x))
    changed = True
    while changed:
        changed = False
        for i in np.flatnonzero(chosen).tolist():
            if any(not chosen[r] for r in problem.requires[i]):
                chosen[i] = False
                changed = True
    if not problem.fits(chosen):
        return lb, ub
    chosen = greedy_choice(problem, chosen)  # fill the room rounding left: a lower bound close to the LP's
    lower = problem.risk_before() - problem.risk_after(chosen)
    upper = -float(lp.fun)
    # The least the LP objective worsens if a column leaves its bound: ≥ 0 at the lower bound, ≤ 0 at the upper.
    reduced = np.where(x < 0.5, np.maximum(np.asarray(lp.lower.marginals), 0.0),
                       np.maximum(-np.asarray(lp.upper.marginals), 0.0))
    slack = FIXING_MARGIN * max(1.0, abs(lower)) + 1e-9
    fix = integral & (upper - reduced < lower - slack)
    ub[fix & (x < 0.5)] = 0.0
    lb[fix & (x >= 0.5)] = 1.0
    return lb, ub


def _relaxation(form: Formulation, row_ub: np.ndarray) -> OptimizeResult | None:
    """The LP relaxation with HiGHS (``linprog``, for its reduced costs), or None if it did not solve."""
    equal = form.row_lb == row_ub
    upper = ~equal & np.isfinite(row_ub)
    lower = ~equal & np.isfinite(form.row_lb)
    matrix = form.matrix
    a_ub = vstack([matrix[np.flatnonzero(upper)], -matrix[np.flatnonzero(lower)]]).tocsr()
    b_ub = np.concatenate([row_ub[upper], -form.row_lb[lower]])
    result = linprog(form.c, A_ub=a_ub, b_ub=b_ub, A_eq=matrix[np.flatnonzero(equal)], b_eq=row_ub[equal],
                     bounds=np.column_stack([form.lb, form.ub]), method="highs")
    return result if result.status == 0 else None
