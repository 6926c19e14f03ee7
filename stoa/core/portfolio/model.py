"""The optimiser's inputs, their validation, and the risk model every part of the package shares.

Risk model (the same as the gap analysis, ``stoa.core.catalogue.combination``):

* a scenario's risk is likelihood × consequence (levels of the risk matrix, e.g. 1–5);
* measures are independent layers: on one factor of one scenario the shares e₁, e₂, ... of the
  chosen options leave Π(1 − eᵢ) of it (``combination.remaining``);
* a residual value is floored at the scale's lowest level, ``Scenario.lowest`` (1 by default, as
  ``combination.residual_value`` does; never above the value itself), so the residual risk is
  max(f_L, L·Π(1 − lᵢ)) × max(f_C, C·Π(1 − cᵢ)) with f = min(value, lowest). With ``lowest=0`` it
  is the plain product L·Π(1 − lᵢ) × C·Π(1 − cᵢ).

The benefit of a set of options is the risk it removes, summed over the scenarios. It is not the
sum of the options' benefits on their own: two options that each remove half a scenario's
likelihood remove three quarters of it together.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from stoa.core.catalogue.combination import LOWEST_VALUE
from stoa.core.catalogue.gaps import MIN_COST_EUR
from stoa.core.catalogue.measures import DEFAULT_HORIZON_YEARS

# Below this, a risk difference is float noise (risk values are at most a few dozen per scenario).
RISK_TOLERANCE = 1e-9
# Budgets are compared with this relative slack (10 cents in a million euros), so the solver's
# feasibility tolerance on a budget row never makes its own choice look over budget.
BUDGET_TOLERANCE = 1e-7


class PortfolioInputError(ValueError):
    """An input to the optimiser is not usable; the message says what and where."""


@dataclass(frozen=True)
class Scenario:
    """One rated scenario (a threat at a public space): risk = likelihood × consequence."""

    key: Hashable
    likelihood: float
    consequence: float
    site: Hashable | None = None
    lowest: float = LOWEST_VALUE  # residual values never drop below this level (0: no floor)


@dataclass(frozen=True)
class Option:
    """A candidate measure at a place. EFFECTS maps a scenario key to the (likelihood, consequence)
    shares, each in [0, 1], of that scenario the option removes. YEAR is the year it would be
    bought in (needed only with per-year budgets)."""

    key: Hashable
    capital_eur: float
    yearly_eur: float
    effects: Mapping[Hashable, tuple[float, float]] = field(default_factory=dict)
    site: Hashable | None = None
    year: int | None = None


@dataclass(frozen=True)
class Acting:
    """One option acting on one scenario, with its two shares."""

    option: int
    likelihood_share: float
    consequence_share: float


@dataclass(frozen=True)
class Problem:
    """Validated, indexed input: options and scenarios by position, constraints as index lists."""

    options: tuple[Option, ...]
    index: Mapping[Hashable, int]
    scenarios: tuple[Scenario, ...]
    acting: tuple[tuple[Acting, ...], ...]  # per scenario, the options with a non-zero share on it
    touches: tuple[tuple[int, ...], ...]  # per option, the scenarios it acts on
    groups: tuple[tuple[int, ...], ...]  # exclusive alternatives: at most one of each
    requires: tuple[tuple[int, ...], ...]  # per option, its direct prerequisites
    capital: np.ndarray
    yearly: np.ndarray
    ratio_cost: np.ndarray  # capital + years × yearly, at least MIN_COST_EUR: the "cost" in a ratio
    budget: float
    yearly_budget: float | None
    per_year: Mapping[int, float] | None
    years: int
    keys: tuple[Hashable, ...]  # the options' keys, in order
    group_of: Mapping[int, tuple[int, ...]]  # per option in any exclusive group, the groups' numbers

    def risk(self, scenario: int, chosen: Iterable[int] | np.ndarray | None = None) -> float:
        """The residual risk of SCENARIO once the options CHOSEN (a mask or indexes) are in place."""
        return scenario_risk(self.scenarios[scenario], self.shares(scenario, chosen))

    def shares(self, scenario: int, chosen: Iterable[int] | np.ndarray | None) -> list[tuple[float, float]]:
        if chosen is None:
            return []
        members = _as_set(chosen)
        return [(a.likelihood_share, a.consequence_share) for a in self.acting[scenario] if a.option in members]

    def risk_toggled(self, scenario: int, members: set[int], option: int) -> float:
        """The residual risk of SCENARIO under MEMBERS with OPTION added (or removed, if a member),
        without copying MEMBERS (the explanations do this for every option)."""
        shares = [(a.likelihood_share, a.consequence_share) for a in self.acting[scenario]
                  if (a.option in members) != (a.option == option)]  # in the set, or the one toggled
        return scenario_risk(self.scenarios[scenario], shares)

    def risk_before(self) -> float:
        return sum(self.risk(s) for s in range(len(self.scenarios)))

    def risk_after(self, chosen: Iterable[int] | np.ndarray) -> float:
        members = _as_set(chosen)
        return sum(self.risk(s, members) for s in range(len(self.scenarios)))

    def gain(self, base: Iterable[int] | np.ndarray, added: Iterable[int]) -> float:
        """The risk that ADDED removes on top of BASE (only the scenarios they touch are evaluated)."""
        members = _as_set(base)
        extra = set(added) - members
        touched = {s for i in extra for s in self.touches[i]}
        with_extra = members | extra
        return sum(self.risk(s, members) - self.risk(s, with_extra) for s in touched)

    def fits(self, chosen: Iterable[int] | np.ndarray) -> bool:
        """Whether CHOSEN respects every budget, exclusive group and prerequisite."""
        return not self.violations(chosen)

    def violations(self, chosen: Iterable[int] | np.ndarray) -> list[str]:
        members = _as_set(chosen)
        found = []
        picked = sorted(members)
        if not _within(float(self.capital[picked].sum()), self.budget):
            found.append("capital budget")
        if self.yearly_budget is not None and not _within(float(self.yearly[picked].sum()), self.yearly_budget):
            found.append("yearly budget")
        if self.per_year is not None:
            for year, cap in self.per_year.items():
                spent = sum(float(self.capital[i]) for i in picked if self.options[i].year == year)
                if not _within(spent, cap):
                    found.append(f"capital budget of {year}")
        found.extend(f"exclusive group {n + 1}" for n, g in enumerate(self.groups) if len(members.intersection(g)) > 1)
        found.extend(f"prerequisite of {self.options[i].key!r}" for i in picked
                     if any(r not in members for r in self.requires[i]))
        return found


def scenario_risk(scenario: Scenario, shares: Sequence[tuple[float, float]]) -> float:
    """Residual likelihood × consequence of SCENARIO under options with SHARES (see module doc).

    The left-over factors are multiplied in sorted order, as ``combination.remaining`` does, so the
    result does not depend on the order the options come in; shares are already checked to be in
    [0, 1], so they need no clamping here (this runs for every package of every scenario)."""
    left_l = left_c = 1.0
    if len(shares) == 1:
        left_l, left_c = 1.0 - shares[0][0], 1.0 - shares[0][1]
    elif shares:
        for share in sorted(s[0] for s in shares):
            left_l *= 1.0 - share
        for share in sorted(s[1] for s in shares):
            left_c *= 1.0 - share
    lowest = scenario.lowest
    lik, con = scenario.likelihood, scenario.consequence
    return max(min(lik, lowest), lik * left_l) * max(min(con, lowest), con * left_c)


def _floored(value: float, left: float, lowest: float) -> float:
    # min(value, lowest): a value already below the floor is not raised by it.
    return max(min(value, lowest), value * left)


def _within(spent: float, cap: float) -> bool:
    return spent <= cap + BUDGET_TOLERANCE * max(1.0, abs(cap))


def _as_set(chosen: Iterable[int] | np.ndarray) -> set[int]:
    if isinstance(chosen, set):
        return chosen
    if isinstance(chosen, np.ndarray) and chosen.dtype == bool:
        return set(np.flatnonzero(chosen).tolist())
    return set(chosen)


# --- validation ------------------------------------------------------------------------------------

def _number(value: object, what: str, *, allow_none: bool = False) -> float:
    if value is None and allow_none:
        return math.nan
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise PortfolioInputError(f"{what} must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise PortfolioInputError(f"{what} must be a finite number, got {value!r}")
    if number < 0:
        raise PortfolioInputError(f"{what} must not be negative, got {value!r}")
    return number


def _scenarios(options: Sequence[Option], scenarios: Mapping[Hashable, Scenario] | None) -> list[Scenario]:
    if scenarios is None:
        # Unrated: every scenario an option names weighs 1, so the benefit is the share of risk removed.
        seen: dict[Hashable, Scenario] = {}
        for option in options:
            for key in option.effects:
                seen.setdefault(key, Scenario(key, 1.0, 1.0, lowest=0.0))
        return list(seen.values())
    found = []
    for key, scenario in scenarios.items():
        if not isinstance(scenario, Scenario):
            raise PortfolioInputError(f"scenario {key!r} must be a Scenario, got {type(scenario).__name__}")
        if scenario.key != key:
            raise PortfolioInputError(f"scenario {key!r} is stored under a different key than its own "
                                      f"({scenario.key!r})")
        _number(scenario.likelihood, f"scenario {key!r}: likelihood")
        _number(scenario.consequence, f"scenario {key!r}: consequence")
        _number(scenario.lowest, f"scenario {key!r}: lowest")
        found.append(scenario)
    return found


def _prerequisites(pairs: Iterable[tuple[Hashable, Hashable]], index: Mapping[Hashable, int],
                   options: Sequence[Option]) -> list[list[int]]:
    requires: list[list[int]] = [[] for _ in options]
    for pair in pairs:
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise PortfolioInputError(f"a prerequisite must be a pair (option, required option), got {pair!r}")
        option, required = pair
        for key in (option, required):
            if key not in index:
                raise PortfolioInputError(f"prerequisite ({option!r}, {required!r}): {key!r} is not an option")
        if option == required:
            raise PortfolioInputError(f"prerequisites form a cycle: {option!r} requires itself")
        if index[required] not in requires[index[option]]:
            requires[index[option]].append(index[required])
    _check_cycles(requires, options)
    return requires


def _check_cycles(requires: Sequence[Sequence[int]], options: Sequence[Option]) -> None:
    state = [0] * len(requires)  # 0 unseen, 1 on the current path, 2 done
    for start in range(len(requires)):
        if state[start]:
            continue
        path = [start]
        stack = [iter(requires[start])]
        state[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state[nxt] == 1:
                cycle = [*path[path.index(nxt):], nxt]
                raise PortfolioInputError("prerequisites form a cycle: "
                                          + " → ".join(repr(options[i].key) for i in cycle))
            elif state[nxt] == 0:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(requires[nxt]))


def build_problem(options: Sequence[Option], budget: float, *, yearly_budget: float | None = None,
                  years: int | None = None, per_year: Mapping[int, float] | None = None,
                  scenarios: Mapping[Hashable, Scenario] | None = None,
                  exclusive: Iterable[Iterable[Hashable]] = (),
                  prerequisites: Iterable[tuple[Hashable, Hashable]] = ()) -> Problem:
    """Check every input (``PortfolioInputError`` on the first problem) and index it."""
    options = tuple(options)
    budget = _number(budget, "budget")
    yearly_cap = None if yearly_budget is None else _number(yearly_budget, "yearly_budget")
    # Ratios weigh what the budgets cap: capital, plus running costs over the horizon only when a
    # yearly budget caps them too (or the caller asks for whole-life costs by giving YEARS).
    horizon = years if years is not None else (DEFAULT_HORIZON_YEARS if yearly_budget is not None else 0)
    if isinstance(horizon, bool) or not isinstance(horizon, int) or horizon < 0:
        raise PortfolioInputError(f"years must be a whole number of years ≥ 0, got {years!r}")
    year_caps = None
    if per_year is not None:
        year_caps = {}
        for year, cap in per_year.items():
            if isinstance(year, bool) or not isinstance(year, int):
                raise PortfolioInputError(f"per_year: the year {year!r} must be a whole number")
            year_caps[year] = _number(cap, f"per_year: the budget of {year}")

    index: dict[Hashable, int] = {}
    for position, option in enumerate(options):
        if not isinstance(option, Option):
            raise PortfolioInputError(f"option {position + 1} must be an Option, got {type(option).__name__}")
        if option.key in index:
            raise PortfolioInputError(f"duplicate option key {option.key!r}")
        index[option.key] = position
        _number(option.capital_eur, f"option {option.key!r}: capital_eur")
        _number(option.yearly_eur, f"option {option.key!r}: yearly_eur")
        if year_caps is not None and option.year is None:
            raise PortfolioInputError(f"option {option.key!r} has no year, which per_year budgets need")
        if year_caps is not None and option.year not in year_caps:
            raise PortfolioInputError(f"option {option.key!r} is planned for {option.year!r}, a year per_year "
                                      "gives no budget for")

    rated = _scenarios(options, scenarios)
    s_index = {s.key: n for n, s in enumerate(rated)}
    acting: list[list[Acting]] = [[] for _ in rated]
    touches: list[list[int]] = [[] for _ in options]
    for position, option in enumerate(options):
        for key, pair in option.effects.items():
            if key not in s_index:
                raise PortfolioInputError(f"option {option.key!r} acts on scenario {key!r}, which is not among "
                                          "the scenarios")
            if not isinstance(pair, tuple | list) or len(pair) != 2:
                raise PortfolioInputError(f"option {option.key!r}: the effect on scenario {key!r} must be a pair "
                                          f"(likelihood share, consequence share), got {pair!r}")
            shares = []
            for name, value in zip(("likelihood", "consequence"), pair, strict=True):
                share = _number(value, f"option {option.key!r}: {name} share on scenario {key!r}")
                if share > 1:
                    raise PortfolioInputError(f"option {option.key!r}: {name} share on scenario {key!r} must be "
                                              f"between 0 and 1, got {value!r}")
                shares.append(share)
            if shares[0] > 0 or shares[1] > 0:
                acting[s_index[key]].append(Acting(position, shares[0], shares[1]))
                touches[position].append(s_index[key])

    groups = []
    for number, group in enumerate(exclusive, start=1):
        members = []
        for key in group:
            if key not in index:
                raise PortfolioInputError(f"exclusive group {number} names {key!r}, which is not an option")
            if index[key] not in members:
                members.append(index[key])
        if len(members) > 1:
            groups.append(tuple(members))

    requires = _prerequisites(prerequisites, index, options)
    if year_caps is not None:
        for position, needed in enumerate(requires):
            for req in needed:
                mine, theirs = options[position].year, options[req].year
                if mine is not None and theirs is not None and theirs > mine:
                    raise PortfolioInputError(f"option {options[position].key!r} (year {mine}) requires "
                                              f"{options[req].key!r}, which is planned later ({theirs})")

    capital = np.array([float(o.capital_eur) for o in options], dtype=float)
    yearly = np.array([float(o.yearly_eur) for o in options], dtype=float)
    return Problem(options, index, tuple(rated), tuple(tuple(a) for a in acting), tuple(tuple(t) for t in touches),
                   tuple(groups), tuple(tuple(r) for r in requires), capital, yearly,
                   np.maximum(capital + horizon * yearly, MIN_COST_EUR), budget, yearly_cap, year_caps, horizon,
                   tuple(o.key for o in options), _group_of(groups))


def _group_of(groups: Sequence[tuple[int, ...]]) -> dict[int, tuple[int, ...]]:
    found: dict[int, list[int]] = {}
    for number, group in enumerate(groups):
        for i in group:
            found.setdefault(i, []).append(number)
    return {i: tuple(g) for i, g in found.items()}


def closure(problem: Problem, option: int) -> list[int]:
    """OPTION and everything it needs, directly or through other prerequisites."""
    found = [option]
    seen = {option}
    for current in found:
        for req in problem.requires[current]:
            if req not in seen:
                seen.add(req)
                found.append(req)
    return found
