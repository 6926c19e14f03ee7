"""The benefit/cost greedy baseline, to compare the optimiser with.

Starting from nothing, each step adds the candidate with the best ratio of marginal risk removed
(given what is already chosen) to cost (capital + ``years`` × yearly, see ``build_problem``), among those that
fit every budget and break no exclusive group. A candidate is an option together with its
prerequisites not yet chosen (so a prerequisite that removes nothing itself can still come in);
ties go to the larger benefit, then to the earlier option. It stops when no candidate removes
anything or fits. Ratios are exact and recomputed whenever they can change (a chosen option acts
on one of the candidate's scenarios, or joins the candidate), so this is the plain greedy, not a
lazy approximation of it.
"""

from __future__ import annotations

import heapq
import time
from dataclasses import dataclass

import numpy as np

from stoa.core.portfolio.model import RISK_TOLERANCE, Problem, _within, closure


def greedy_choice(problem: Problem, start: np.ndarray | None = None) -> np.ndarray:
    """The greedy's chosen set (bool mask) for PROBLEM, from nothing or from the feasible set START."""
    n = len(problem.options)
    chosen = np.zeros(n, dtype=bool) if start is None else start.copy()
    closures = [closure(problem, i) for i in range(n)]
    by_scenario: dict[int, list[int]] = {}
    by_member: dict[int, list[int]] = {}
    for i, members in enumerate(closures):
        for s in {s for j in members for s in problem.touches[j]}:
            by_scenario.setdefault(s, []).append(i)
        for j in members:
            by_member.setdefault(j, []).append(i)
    group_of = problem.group_of
    group_used = [False] * len(problem.groups)
    room = _Room(problem.budget, problem.yearly_budget, dict(problem.per_year or {}))
    version = [0] * n
    heap: list[tuple[float, float, int, int]] = []

    def bundle(i: int) -> list[int]:
        return [j for j in closures[i] if not chosen[j]]

    def feasible(members: list[int]) -> bool:
        seen: set[int] = set()
        for j in members:
            for g in group_of.get(j, ()):
                if group_used[g] or g in seen:
                    return False
                seen.add(g)
        if not _within(float(problem.capital[members].sum()), room.capital):
            return False
        if room.yearly is not None and not _within(float(problem.yearly[members].sum()), room.yearly):
            return False
        if problem.per_year is not None:
            for year in {problem.options[j].year for j in members}:
                spent = sum(float(problem.capital[j]) for j in members if problem.options[j].year == year)
                if year is None or not _within(spent, room.per_year[year]):
                    return False
        return True

    members_now: set[int] = set(np.flatnonzero(chosen).tolist())
    for j in members_now:
        room.take(problem, j)
        for g in group_of.get(j, ()):
            group_used[g] = True

    def push(i: int) -> None:
        version[i] += 1
        if chosen[i]:
            return
        members = bundle(i)
        if not feasible(members):
            return  # budgets only shrink and groups only fill: it comes back only if its bundle changes
        gain = problem.gain(members_now, members)
        if gain <= RISK_TOLERANCE:
            return
        ratio = gain / float(problem.ratio_cost[members].sum())
        heapq.heappush(heap, (-ratio, -gain, i, version[i]))

    for i in range(n):
        push(i)
    while heap:
        _, _, i, stamp = heapq.heappop(heap)
        if stamp != version[i] or chosen[i]:
            continue
        members = bundle(i)
        if not feasible(members):  # something chosen since it was pushed took its room or its group
            continue
        for j in members:
            chosen[j] = True
            members_now.add(j)
            room.take(problem, j)
            for g in group_of.get(j, ()):
                group_used[g] = True
        stale = {c for j in members for s in problem.touches[j] for c in by_scenario.get(s, ())}
        stale.update(c for j in members for c in by_member.get(j, ()))
        for c in sorted(stale):
            push(c)
    return chosen


@dataclass
class _Room:
    """What is left of each budget."""

    capital: float
    yearly: float | None
    per_year: dict[int, float]

    def take(self, problem: Problem, option: int) -> None:
        self.capital -= float(problem.capital[option])
        if self.yearly is not None:
            self.yearly -= float(problem.yearly[option])
        year = problem.options[option].year
        if year is not None and year in self.per_year:
            self.per_year[year] -= float(problem.capital[option])


def timed_greedy(problem: Problem) -> tuple[np.ndarray, float]:
    started = time.perf_counter()
    chosen = greedy_choice(problem)
    return chosen, time.perf_counter() - started
