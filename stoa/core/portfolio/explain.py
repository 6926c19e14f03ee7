"""Why each option is in the plan or not, worked out from the chosen set itself.

For every option, with S the chosen set:

* *chosen*: the risk lost if it alone were dropped (its marginal benefit given the rest of S), and
  its ratio; an option with none of its own is there as a prerequisite of a chosen one.
* *no-effect*: it acts on no rated scenario (or only where the risk is already at the floor).
* *exclusive*: an alternative in one of its exclusive groups is chosen (named).
* *prerequisite*: a prerequisite is not chosen (named).
* *overlap*: added to S it would remove little or nothing more, because chosen options (named)
  already cover the same scenarios.
* *budget*: it does not fit in what is left of a budget (named, with the amounts), with its ratio
  (marginal benefit given S per 1,000 €) against S's marginal ratio, the lowest ratio among the
  chosen options. When its ratio is higher (a knapsack effect: it is too big for the room left),
  the text says so; with a proven optimum, any plan that makes room for it removes less risk.

Ratios are risk points removed per 1,000 € of cost (capital + ``years`` × yearly, at least 1 €;
see ``build_problem`` for the default horizon). Benefits are exact (``Problem.gain``).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np

from stoa.core.portfolio.model import RISK_TOLERANCE, Problem, _within

OVERLAP_SHARE = 0.5  # "adds little": less than half of what it would remove on its own is left


@dataclass(frozen=True)
class OptionExplanation:
    key: Hashable
    chosen: bool
    reason: str  # chosen, prerequisite-of, no-effect, exclusive, prerequisite, overlap, budget, not-proven
    text: str
    benefit_alone: float  # risk it removes on its own
    benefit_marginal: float  # chosen: lost if dropped; out: gained if added to the chosen set
    ratio: float  # benefit_marginal per 1,000 € of whole-life cost
    related: tuple[Hashable, ...] = ()  # the options the reason names


def _money(value: float) -> str:
    return f"{value:,.0f} €"


def explain(problem: Problem, chosen: np.ndarray, *, optimal: bool) -> dict[Hashable, OptionExplanation]:
    """One explanation per option, in the options' order, for the chosen set CHOSEN (bool mask)."""
    members = set(np.flatnonzero(chosen).tolist())
    keys = problem.keys
    gain = _Gains(problem, members)
    per_k = (problem.ratio_cost / 1000.0).tolist()
    loss = {i: gain.lost(i) for i in members}
    ratios = [loss[i] / per_k[i] for i in members if loss[i] > RISK_TOLERANCE]
    marginal_ratio = min(ratios) if ratios else float("inf")
    picked = sorted(members)
    capital_left = problem.budget - float(problem.capital[picked].sum())
    yearly_left = None if problem.yearly_budget is None else problem.yearly_budget - float(problem.yearly[picked].sum())
    dependents: dict[int, list[int]] = {}
    for i in picked:
        for req in problem.requires[i]:
            dependents.setdefault(req, []).append(i)

    found: dict[Hashable, OptionExplanation] = {}
    for i, key in enumerate(keys):
        alone = gain.alone(i)
        if i in members:
            ratio = loss[i] / per_k[i]
            if loss[i] <= RISK_TOLERANCE and i in dependents:
                needed_by = tuple(keys[j] for j in dependents[i])
                found[key] = OptionExplanation(key, True, "prerequisite-of",
                                               f"chosen: prerequisite of {_names(needed_by)}", alone, loss[i], ratio,
                                               needed_by)
            else:
                found[key] = OptionExplanation(key, True, "chosen",
                                               f"chosen: removes {loss[i]:.3g} risk points on top of the rest of the "
                                               f"plan ({ratio:.3g} per 1,000 €)", alone, loss[i], ratio)
            continue
        found[key] = _out(problem, i, key, alone, gain.added(i), members, marginal_ratio, capital_left,
                          yearly_left, optimal)
    return found


def _out(problem: Problem, i: int, key: Hashable, alone: float, gained: float, members: set[int],
         marginal_ratio: float, capital_left: float, yearly_left: float | None, optimal: bool) -> OptionExplanation:
    keys = problem.keys
    ratio = gained / (float(problem.ratio_cost[i]) / 1000.0)
    if not problem.touches[i] or alone <= RISK_TOLERANCE:
        return OptionExplanation(key, False, "no-effect", "out: no effect on any rated scenario", alone, gained, ratio)
    rivals = tuple(dict.fromkeys(keys[j] for g in problem.groups if i in g for j in g if j in members))
    if rivals:
        return OptionExplanation(key, False, "exclusive", f"out: excluded by alternative {_names(rivals)}",
                                 alone, gained, ratio, rivals)
    missing = tuple(keys[r] for r in problem.requires[i] if r not in members)
    if missing:
        return OptionExplanation(key, False, "prerequisite",
                                 f"out: its prerequisite {_names(missing)} was not chosen", alone, gained, ratio,
                                 missing)
    overlapping = tuple(dict.fromkeys(keys[j] for s in problem.touches[i] for a in problem.acting[s]
                                      if (j := a.option) in members))
    little = gained < OVERLAP_SHARE * alone and bool(overlapping)
    short = _shortfalls(problem, i, members, capital_left, yearly_left)
    if not short:
        if gained <= RISK_TOLERANCE or little:
            return OptionExplanation(key, False, "overlap",
                                     f"out: adds {'nothing' if gained <= RISK_TOLERANCE else 'little'} once "
                                     f"{_names(overlapping)} {'is' if len(overlapping) == 1 else 'are'} chosen "
                                     f"(overlap): {gained:.3g} of its {alone:.3g} risk points are left",
                                     alone, gained, ratio, overlapping)
        return OptionExplanation(key, False, "not-proven",
                                 f"out: it fits and would remove {gained:.3g} more risk points; the plan is not a "
                                 "proven optimum", alone, gained, ratio)
    budget_text = "; ".join(short)
    if ratio < marginal_ratio:
        why = (f"its benefit/cost ratio {ratio:.3g} per 1,000 € (given the chosen set) is below the marginal ratio "
               f"{marginal_ratio:.3g}")
    elif optimal:
        why = (f"its ratio {ratio:.3g} per 1,000 € is not below the marginal ratio {marginal_ratio:.3g}, but making "
               "room for it would remove less risk (proven optimum)")
    else:
        why = f"its ratio {ratio:.3g} per 1,000 € is not below the marginal ratio {marginal_ratio:.3g}"
    if little:
        return OptionExplanation(key, False, "overlap",
                                 f"out: adds little once {_names(overlapping)} "
                                 f"{'is' if len(overlapping) == 1 else 'are'} chosen (overlap): {gained:.3g} of its "
                                 f"{alone:.3g} risk points are left; budget: {budget_text}; {why}",
                                 alone, gained, ratio, overlapping)
    return OptionExplanation(key, False, "budget", f"out: budget ({budget_text}); {why}", alone, gained, ratio)


class _Gains:
    """Exact marginal benefits against one chosen set, with each scenario's risks computed once."""

    def __init__(self, problem: Problem, members: set[int]) -> None:
        self.problem = problem
        self.members = members
        self.before = [problem.risk(s) for s in range(len(problem.scenarios))]
        self.now = [problem.risk(s, members) if problem.acting[s] else self.before[s]
                    for s in range(len(problem.scenarios))]

    def alone(self, i: int) -> float:
        return sum(self.before[s] - self.problem.risk(s, {i}) for s in self.problem.touches[i])

    def added(self, i: int) -> float:
        return sum(self.now[s] - self.problem.risk_toggled(s, self.members, i) for s in self.problem.touches[i])

    def lost(self, i: int) -> float:
        return sum(self.problem.risk_toggled(s, self.members, i) - self.now[s] for s in self.problem.touches[i])


def _shortfalls(problem: Problem, i: int, members: set[int], capital_left: float,
                yearly_left: float | None) -> list[str]:
    """The budgets option I does not fit in, given the chosen set, each with the amounts."""
    option = problem.options[i]
    short = []
    capital = float(problem.capital[i])
    if not _within(capital, capital_left):
        short.append(f"needs {_money(capital)} of capital, {_money(max(0.0, capital_left))} left")
    if yearly_left is not None and not _within(float(problem.yearly[i]), yearly_left):
        short.append(f"needs {_money(float(problem.yearly[i]))} a year, {_money(max(0.0, yearly_left))} a year left")
    year = option.year
    if problem.per_year is not None and year is not None and year in problem.per_year:
        spent = sum(float(problem.capital[j]) for j in members if problem.options[j].year == year)
        left = problem.per_year[year] - spent
        if not _within(capital, left):
            short.append(f"needs {_money(capital)} in {year}, {_money(max(0.0, left))} left that year")
    return short


def _names(keys: tuple[Hashable, ...]) -> str:
    shown = [str(k) for k in keys[:3]]
    more = f" and {len(keys) - 3} more" if len(keys) > 3 else ""
    return ", ".join(shown) + more
