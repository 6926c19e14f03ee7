"""What the optimiser (and the greedy baseline) return."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import numpy as np

from stoa.core.portfolio.explain import OptionExplanation, explain
from stoa.core.portfolio.model import RISK_TOLERANCE, Problem


@dataclass(frozen=True)
class PortfolioResult:
    chosen: tuple[Hashable, ...]  # option keys, in the options' order
    capital_eur: float
    yearly_eur: float
    risk_before: float  # Σ over the scenarios of likelihood × consequence
    risk_after: float  # the same with the chosen options in place
    risk_removed: float
    status: str  # "optimal", "time limit", ... from HiGHS; "greedy" for the baseline
    optimal: bool  # proven optimal (to a relative gap of milp.MIP_REL_GAP)
    gap: float | None  # HiGHS's relative MIP gap; None when unknown (greedy, no incumbent)
    solve_time_s: float
    per_option: Mapping[Hashable, OptionExplanation]  # every option, in the options' order


def prune(problem: Problem, chosen: np.ndarray) -> np.ndarray:
    """CHOSEN without the options that remove nothing and no chosen option needs.

    The MILP is indifferent to such options (they change no objective value); dropping them keeps
    the plan optimal and feasible (every budget only gains room) and makes it the cheaper one."""
    members = set(np.flatnonzero(chosen).tolist())
    changed = True
    while changed:
        changed = False
        needed = {r for j in members for r in problem.requires[j]}
        for i in sorted(members, key=lambda i: (-float(problem.ratio_cost[i]), i)):
            lost = sum(problem.risk_toggled(s, members, i) - problem.risk(s, members) for s in problem.touches[i])
            if i not in needed and lost <= RISK_TOLERANCE:
                members.discard(i)
                changed = True
                break
    mask = np.zeros(len(problem.options), dtype=bool)
    mask[sorted(members)] = True
    return mask


def make_result(problem: Problem, chosen: np.ndarray, *, status: str, optimal: bool, gap: float | None,
                solve_time_s: float) -> PortfolioResult:
    picked = np.flatnonzero(chosen).tolist()
    before = problem.risk_before()
    after = problem.risk_after(chosen)
    return PortfolioResult(tuple(problem.options[i].key for i in picked), float(problem.capital[picked].sum()),
                           float(problem.yearly[picked].sum()), before, after, before - after, status, optimal, gap,
                           solve_time_s, explain(problem, chosen, optimal=optimal))
