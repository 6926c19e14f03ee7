"""Independent groups of options, and the "menu" of every feasible plan for a small group.

Two options are linked when they act on the same scenario, share an exclusive group, or one is a
prerequisite of the other; a *component* is a connected set of linked options (in a city, usually
the options at one PSOI). Components interact only through the budgets, so the whole problem is a
multiple-choice knapsack: pick one feasible subset per component. For a component with few
feasible subsets (``MAX_MENU``) every subset is enumerated with its exact risk removed and its
costs; a subset that costs at least as much in every budget and removes no more risk than another
is dropped (swapping it for the other never hurts), which keeps the problem exact. ``milp`` gives
each remaining subset one binary, with exactly one per component: the LP relaxation is then the
convex hull of each component's plans, and HiGHS closes the gap in a few nodes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stoa.core.portfolio.model import RISK_TOLERANCE, Problem, scenario_risk

MAX_MENU = 1024  # above this many feasible subsets a component uses the per-scenario formulation


@dataclass(frozen=True)
class MenuItem:
    members: tuple[int, ...]  # option indexes
    benefit: float  # exact risk removed in the component's scenarios
    costs: tuple[float, ...]  # capital, then yearly (if capped), then capital per capped year


def components(problem: Problem) -> list[list[int]]:
    """The options split into independent components, each in option order, ordered by first option."""
    n = len(problem.options)
    parent = list(range(n))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for acting in problem.acting:
        for a in acting[1:]:
            union(acting[0].option, a.option)
    for group in problem.groups:
        for i in group[1:]:
            union(group[0], i)
    for i, needed in enumerate(problem.requires):
        for req in needed:
            union(i, req)
    found: dict[int, list[int]] = {}
    for i in range(n):
        found.setdefault(find(i), []).append(i)
    return list(found.values())


def cost_vector(problem: Problem, option: int) -> tuple[float, ...]:
    """The option's cost in each budget that is capped: capital, yearly, capital in each capped year."""
    costs = [float(problem.capital[option])]
    if problem.yearly_budget is not None:
        costs.append(float(problem.yearly[option]))
    if problem.per_year is not None:
        year = problem.options[option].year
        costs.extend(float(problem.capital[option]) if y == year else 0.0 for y in problem.per_year)
    return tuple(costs)


def menu(problem: Problem, members: list[int], limit: int = MAX_MENU) -> list[MenuItem] | None:
    """The undominated feasible subsets of the component MEMBERS, or None if there are more than LIMIT."""
    k = len(members)
    position = {option: p for p, option in enumerate(members)}
    conflict = [0] * k
    needs = [0] * k
    for p, option in enumerate(members):
        for g in problem.group_of.get(option, ()):
            for other in problem.groups[g]:
                if other != option:
                    conflict[p] |= 1 << position[other]
    for p, option in enumerate(members):
        for req in problem.requires[option]:
            needs[p] |= 1 << position[req]
    masks = _feasible(k, conflict, needs, limit)
    if masks is None:
        return None

    # Every plan's exact risk removed, all plans at once: chosen[m, p] says whether plan m has member p.
    plans = np.array(masks, dtype=np.int64)
    chosen = ((plans[:, None] >> np.arange(k, dtype=np.int64)) & 1).astype(bool)
    benefit = np.zeros(len(masks))
    for s in sorted({s for i in members for s in problem.touches[i]}):
        scenario = problem.scenarios[s]
        acting = problem.acting[s]
        columns = chosen[:, [position[a.option] for a in acting]]
        left_l = _left(columns, np.array([a.likelihood_share for a in acting]))
        left_c = _left(columns, np.array([a.consequence_share for a in acting]))
        lowest = scenario.lowest
        lik, con = scenario.likelihood, scenario.consequence
        residual = (np.maximum(min(lik, lowest), lik * left_l) * np.maximum(min(con, lowest), con * left_c))
        benefit += scenario_risk(scenario, []) - residual
    unit = np.array([cost_vector(problem, i) for i in members], dtype=float)
    costs = chosen.astype(float) @ unit
    items = [MenuItem(tuple(members[p] for p in range(k) if mask >> p & 1), b, tuple(c))
             for mask, b, c in zip(masks, benefit.tolist(), costs.tolist(), strict=True)]
    return _undominated(items)


def _left(chosen: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Per plan, the share of a factor left: Π (1 − share) over the plan's options, in sorted order
    of the shares (as ``combination.remaining``), so a plan's number matches ``scenario_risk``."""
    order = np.argsort(shares, kind="stable")
    factors = np.where(chosen[:, order], 1.0 - shares[order], 1.0)
    left = np.ones(chosen.shape[0])
    for column in range(factors.shape[1]):  # left to right, as a Python product would go
        left = left * factors[:, column]
    return left


def _feasible(k: int, conflict: list[int], needs: list[int], limit: int) -> list[int] | None:
    """Every subset (bit mask) with no two alternatives that holds each member's prerequisites."""
    found: list[int] = []
    stack = [(0, 0)]  # (next position, mask so far): depth-first, skipping conflicting options
    while stack:
        p, mask = stack.pop()
        if p == k:
            if all(needs[q] & ~mask == 0 for q in range(k) if mask >> q & 1):
                found.append(mask)
                if len(found) > limit:
                    return None
            continue
        stack.append((p + 1, mask))
        if not mask & conflict[p]:
            stack.append((p + 1, mask | 1 << p))
        if len(stack) > 64 * (limit + 1):  # the count of partial subsets alone is too large
            return None
    return found


def _undominated(items: list[MenuItem]) -> list[MenuItem]:
    """ITEMS without those another item beats or equals in every cost and in benefit (of equal
    items, the first is kept)."""
    costs = np.array([item.costs for item in items], dtype=float)
    benefit = np.array([item.benefit for item in items], dtype=float)
    # beats[j, i]: item j costs no more than item i in every budget and removes at least as much.
    beats = np.all(costs[:, None, :] <= costs[None, :, :] + 1e-9, axis=2)
    beats &= benefit[:, None] >= benefit[None, :] - RISK_TOLERANCE
    earlier = np.tri(len(items), k=-1, dtype=bool).T  # earlier[j, i]: j comes before i
    strict = beats & (~beats.T | earlier)  # equal items only knock out later ones
    np.fill_diagonal(strict, False)
    return [item for item, out in zip(items, strict.any(axis=0).tolist(), strict=True) if not out]
