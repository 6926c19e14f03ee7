"""Budget optimisation across public spaces: which measures remove the most risk for the money.

Pure Python/NumPy/SciPy (no Django). Public API::

    optimise(options, budget, *, yearly_budget=None, years=None, per_year=None, scenarios=None,
             exclusive=(), prerequisites=(), time_limit_s=None) -> PortfolioResult
    greedy(options, budget, *, yearly_budget=None, years=None, per_year=None, scenarios=None,
           exclusive=(), prerequisites=()) -> PortfolioResult
    pareto(options, budgets=None, *, yearly_budget=None, years=None, per_year=None, scenarios=None,
           exclusive=(), prerequisites=(), points=12, time_limit_s=None) -> list[ParetoPoint]

    Option(key, capital_eur, yearly_eur, effects={scenario_key: (likelihood_share, consequence_share)},
           site=None, year=None)
    Scenario(key, likelihood, consequence, site=None, lowest=1)
    PortfolioResult(chosen, capital_eur, yearly_eur, risk_before, risk_after, risk_removed, status,
                    optimal, gap, solve_time_s, per_option)
    OptionExplanation(key, chosen, reason, text, benefit_alone, benefit_marginal, ratio, related)
    ParetoPoint(budget, risk_after, chosen)          # a NamedTuple
    PortfolioInputError(ValueError)

Inputs:

* ``options``: the candidate measures at their places. A share in [0, 1] is the part of the
  scenario's likelihood (or consequence) the option removes.
* ``scenarios``: scenario key → ``Scenario`` with its likelihood and consequence levels (e.g. 1–5
  on the risk matrix). Risk = likelihood × consequence. The residual risk of a scenario under the
  chosen set S is max(f, L·Π_{i∈S}(1 − lᵢ)) × max(f, C·Π_{i∈S}(1 − cᵢ)), f = min(level,
  ``lowest``): the independent-layer rule of ``stoa.core.catalogue.combination`` with its floor at
  the matrix's lowest level (1), so the numbers match the gap analysis and the residual ratings;
  ``lowest=0`` gives the plain product L·Π(1 − lᵢ) × C·Π(1 − cᵢ). The benefit is the risk removed,
  summed over the scenarios. With ``scenarios=None`` every scenario an option names counts with
  risk 1 and no floor (the benefit is then the sum of the shares of risk removed).
* ``budget``: the total capital budget (€). ``yearly_budget``: a cap on the summed running costs
  (€ a year) of the chosen options. ``per_year``: year → capital budget; each option is bought in
  its own ``year`` (required then; the optimiser does not reschedule) and a prerequisite may not be
  planned later than the option needing it. The total ``budget`` still applies.
* ``years``: the horizon of the cost that benefit/cost ratios use (the greedy's choice and the
  explanations): capital + years × yearly. It constrains nothing. By default the ratios weigh what
  the budgets cap: capital alone, or, with a ``yearly_budget``, capital + 5 years of running costs
  (``DEFAULT_HORIZON_YEARS``, as in the gap analysis).
* ``exclusive``: groups of option keys of which at most one may be chosen (alternatives at one
  place). ``prerequisites``: pairs (option, required option).
* ``time_limit_s``: stop HiGHS after this long; the result then says ``optimal=False`` with its gap.

Overlap is exact. The options split into independent components (linked by a shared scenario,
an exclusive group or a prerequisite; usually one PSOI). A small component becomes a "menu": one
binary per undominated feasible subset, with its exact risk removed. A large one gets a binary per
option, with each scenario linearised exactly by "packages" (one variable per feasible subset of
the options acting on it) or, for many acting options, by product chains that are exact for binary
choices (``milp``, ``menus``, ``linearise``). Large models first fix binaries by LP reduced costs
against a feasible incumbent (exact). Solved with ``scipy.optimize.milp`` (HiGHS) to a relative
gap of 1e-9; options that remove nothing and are no chosen option's prerequisite are dropped.

``per_option`` explains every option (``stoa.core.portfolio.explain``): chosen (and the risk lost
without it), prerequisite of a chosen option, or out because of no effect, an alternative chosen
(named), a prerequisite missing (named), overlap with chosen options (named), or the budget (which
one, the amounts, its ratio against the marginal ratio). ``pareto`` gives the cost–risk curve.
Every bad input raises ``PortfolioInputError`` with a message naming what is wrong.
"""

from stoa.core.portfolio.explain import OptionExplanation
from stoa.core.portfolio.model import Option, PortfolioInputError, Scenario
from stoa.core.portfolio.optimiser import greedy, optimise
from stoa.core.portfolio.pareto import ParetoPoint, pareto
from stoa.core.portfolio.result import PortfolioResult

__all__ = ["Option", "OptionExplanation", "ParetoPoint", "PortfolioInputError", "PortfolioResult", "Scenario",
           "greedy", "optimise", "pareto"]
