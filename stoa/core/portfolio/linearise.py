"""Exact linearisations of one scenario's residual risk over the option binaries x (``milp``).

1. **Packages** (when the scenario's feasible subsets are few, ``MAX_PACKAGES``): one variable
   z_P ≥ 0 per subset P of the options acting on the scenario, with its exact risk removed;
   Σ_P z_P = 1 and, for each acting option i, Σ_{P∋i} z_P = x_i. For binary x this forces z_P = 1
   for exactly the chosen subset, so z need not be integer, and the LP relaxation is the convex
   hull for the scenario on its own. Subsets that break an exclusive group, or leave out a
   prerequisite that also acts on the scenario, are never feasible and are not generated. The
   empty and one-option packages are substituted out (see ``_packages``).
2. **Product chains** (any number of options): the residual is a max of four products,
   max(f_L, L·p_L)·max(f_C, C·p_C) = max(f_L·f_C, f_L·C·p_C, L·f_C·p_L, L·C·p_LC), where p_L =
   Π(1 − l_i)^{x_i}, p_C the same for consequence and p_LC for the factor (1 − l_i)(1 − c_i).
   Each product is a chain of continuous variables r_0 = 1, r_k ∈ [0, 1] with
   r_k ≥ (1 − e_k)·r_{k−1} and r_k ≥ r_{k−1} − e_k·x_k (big-M with M = 1, the bound of r_{k−1}).
   For binary x the smallest feasible r_k is exactly r_{k−1}·(1 − e_k·x_k), every constraint
   grows with r_{k−1}, and the objective only gains from smaller r, so at the optimum each chain
   equals its product: no approximation (unlike a log-linearisation). A variable d_s ≤ before_s −
   (each term) is the scenario's risk removed; terms whose floor can never bind are left out.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from stoa.core.portfolio.model import Problem, scenario_risk

MAX_PACKAGES = 256  # above this many feasible subsets a scenario uses the product chains


class Builder:
    def __init__(self) -> None:
        self.c: list[float] = []
        self.lb: list[float] = []
        self.ub: list[float] = []
        self.integral: list[int] = []
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.vals: list[float] = []
        self.row_lb: list[float] = []
        self.row_ub: list[float] = []

    def var(self, cost: float, low: float, high: float, integral: bool = False) -> int:
        self.c.append(cost)
        self.lb.append(low)
        self.ub.append(high)
        self.integral.append(1 if integral else 0)
        return len(self.c) - 1

    def row(self, terms: list[tuple[int, float]], low: float, high: float) -> int:
        number = len(self.row_lb)
        for col, val in terms:
            if val != 0.0:
                self.rows.append(number)
                self.cols.append(col)
                self.vals.append(val)
        self.row_lb.append(low)
        self.row_ub.append(high)
        return number



def subsets(problem: Problem, s: int, limit: int = MAX_PACKAGES) -> list[int] | None:
    """The feasible subsets (bit masks over the scenario's acting options), or None if too many."""
    acting = problem.acting[s]
    k = len(acting)
    if k > 30 or 2**k > 16 * max(limit, 1):
        return None
    position = {a.option: p for p, a in enumerate(acting)}
    conflict = [0] * k
    needs = [0] * k
    for p, a in enumerate(acting):
        for q, b in enumerate(acting):
            if q != p and set(problem.group_of.get(a.option, ())) & set(problem.group_of.get(b.option, ())):
                conflict[p] |= 1 << q
        for req in problem.requires[a.option]:
            if req in position:
                needs[p] |= 1 << position[req]
    found = []
    for mask in range(2**k):
        ok = True
        bits = mask
        while bits:
            p = (bits & -bits).bit_length() - 1
            bits &= bits - 1
            if mask & conflict[p] or needs[p] & ~mask:
                ok = False
                break
        if ok:
            found.append(mask)
            if len(found) > limit:
                return None
    return found


def packages(build: Builder, problem: Problem, s: int, subsets: list[int], xcol: Sequence[int]) -> None:
    """The package formulation, with the empty and one-option packages substituted out.

    z_{i} = x_i − Σ_{P∋i, |P|≥2} z_P and z_∅ = 1 − Σ_i z_{i} − Σ_{|P|≥2} z_P, so each option's own
    benefit goes on x_i, each larger package keeps only its overlap correction (b_P − Σ_{i∈P} b_i),
    and z_{i} ≥ 0, z_∅ ≥ 0 become rows. The same LP, with fewer columns: a scenario with one acting
    option costs nothing but its coefficient, one with two a single column and three rows."""
    acting = problem.acting[s]
    scenario = problem.scenarios[s]
    before = scenario_risk(scenario, [])
    single = [before - scenario_risk(scenario, [(a.likelihood_share, a.consequence_share)]) for a in acting]
    for p, a in enumerate(acting):
        build.c[xcol[a.option]] -= single[p]
    larger = [m for m in subsets if m & (m - 1)]
    if not larger:
        return
    columns = []
    for mask in larger:
        members = [p for p in range(len(acting)) if mask >> p & 1]
        shares = [(acting[p].likelihood_share, acting[p].consequence_share) for p in members]
        correction = (before - scenario_risk(scenario, shares)) - sum(single[p] for p in members)
        columns.append((build.var(-correction, 0.0, 1.0), members))
    for p, a in enumerate(acting):  # z_{i} ≥ 0
        build.row([(xcol[a.option], 1.0)] + [(col, -1.0) for col, members in columns if p in members], 0.0, np.inf)
    # z_∅ ≥ 0
    build.row([(xcol[a.option], 1.0) for a in acting] + [(col, -(len(members) - 1.0)) for col, members in columns],
              -np.inf, 1.0)


def chains(build: Builder, problem: Problem, s: int, xcol: Sequence[int]) -> None:
    scenario = problem.scenarios[s]
    acting = problem.acting[s]
    lik, con = scenario.likelihood, scenario.consequence
    f_l, f_c = min(lik, scenario.lowest), min(con, scenario.lowest)
    before = scenario_risk(scenario, [])
    least_l = float(np.prod([1.0 - a.likelihood_share for a in acting]))
    least_c = float(np.prod([1.0 - a.consequence_share for a in acting]))
    removed = build.var(-1.0, 0.0, max(0.0, before - f_l * f_c))
    # removed ≤ before − coefficient · product, for each product term whose floor can bind.
    terms: list[tuple[float, list[float]]] = [(lik * con, [(1 - a.likelihood_share) * (1 - a.consequence_share)
                                                           for a in acting])]
    if lik * least_l < f_l:  # the likelihood floor can bind: the term f_L·C·p_C matters
        terms.append((f_l * con, [1 - a.consequence_share for a in acting]))
    if con * least_c < f_c:
        terms.append((lik * f_c, [1 - a.likelihood_share for a in acting]))
    for coefficient, factors in terms:
        last = _chain(build, [xcol[a.option] for a in acting], factors)
        if last is None:
            continue
        build.row([(removed, 1.0), (last, coefficient)], -np.inf, before)


def _chain(build: Builder, columns: list[int], factors: list[float]) -> int | None:
    """The variable equal (at the optimum) to Π factor_k^{x_k} (x in COLUMNS); None if every factor is 1."""
    pairs = [(o, f) for o, f in zip(columns, factors, strict=True) if f < 1.0]
    if not pairs:
        return None
    previous: int | None = None
    low = 1.0
    for option, factor in pairs:
        effect = 1.0 - factor
        low *= factor
        current = build.var(0.0, low, 1.0)
        if previous is None:  # r_1 ≥ 1 − e·x
            build.row([(current, 1.0), (option, effect)], 1.0, np.inf)
        else:
            build.row([(current, 1.0), (previous, -factor)], 0.0, np.inf)
            build.row([(current, 1.0), (previous, -1.0), (option, effect)], 0.0, np.inf)
        previous = current
    return previous
