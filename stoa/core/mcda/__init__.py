"""Multi-criteria decision analysis for the Technology Evaluation Framework, with no web framework.

Pure NumPy/SciPy, so the rules can be tested and benchmarked on their own (import-linter keeps
Django out of ``stoa.core``). Every bad input raises ``McdaInputError`` (a ``ValueError``) whose
message is plain English, fit to show to the person who typed the input.

* ``weights``: ``direct_weights`` (points), ``rank_order_centroid`` (an order of importance),
  ``swing_weights`` (0–100 swings), ``ahp_weights`` (Saaty's pairwise comparisons → weights and
  consistency ratio; ``AHP_CONSISTENCY_LIMIT`` = 0.10, ``SAATY_SCALE``) and
  ``ahp_most_inconsistent`` (the judgement to revisit).
* ``methods``: ``weighted_sum`` (Stoa's default, scores 0–1, optional scale ``bounds`` such as
  (1, 5)), ``topsis`` (vector or min–max normalisation), ``promethee_ii`` (six preference
  functions); ``METHODS`` by name and the ``score`` dispatcher.
* ``ranking``: ``rank`` with the tie rule ``TIE_RULE`` (tie-breakers such as Performance then
  Cost, then shared ranks 1, 2, 2, 4).
* ``screening``: ``knock_outs`` and ``knock_out_reasons`` for must-have minimums and maximums.
* ``panel``: ``summarise_panel`` (mean, spread, count per cell of an expert panel's scores),
  ``kendall_w`` (agreement between raters) and ``carry_over`` (RFI → demonstration → table-top,
  ``CARRY_OVER_RULE``).
* ``value``: ``linear_value`` maps a measured quantity onto the 1–5 scale.
* ``sensitivity``: ``reweight``, ``break_even`` and ``rank_acceptability`` (random weights around
  the chosen ones; ``weight_draws`` gives the draws themselves).

Conventions: matrices are alternatives × criteria; weights are normalised inside (they must sum
to a positive number); benefit flags are True when higher is better; indices taken and returned
are 0-based, while positions in error messages count from 1.
"""

from stoa.core.mcda.errors import McdaInputError
from stoa.core.mcda.methods import METHODS, promethee_ii, score, topsis, weighted_sum
from stoa.core.mcda.panel import CARRY_OVER_RULE, PanelSummary, carry_over, kendall_w, summarise_panel
from stoa.core.mcda.promethee import PREFERENCE_FUNCTIONS
from stoa.core.mcda.ranking import TIE_RULE, rank, tie_rule_text
from stoa.core.mcda.screening import knock_out_reasons, knock_outs
from stoa.core.mcda.sensitivity import (
    DEFAULT_CONCENTRATION_PER_CRITERION,
    break_even,
    rank_acceptability,
    reweight,
    weight_draws,
)
from stoa.core.mcda.value import linear_value
from stoa.core.mcda.weights import (
    AHP_CONSISTENCY_LIMIT,
    SAATY_SCALE,
    ahp_most_inconsistent,
    ahp_weights,
    direct_weights,
    rank_order_centroid,
    swing_weights,
)

__all__ = [
    "AHP_CONSISTENCY_LIMIT",
    "CARRY_OVER_RULE",
    "DEFAULT_CONCENTRATION_PER_CRITERION",
    "METHODS",
    "PREFERENCE_FUNCTIONS",
    "SAATY_SCALE",
    "TIE_RULE",
    "McdaInputError",
    "PanelSummary",
    "ahp_most_inconsistent",
    "ahp_weights",
    "break_even",
    "carry_over",
    "direct_weights",
    "kendall_w",
    "knock_out_reasons",
    "knock_outs",
    "linear_value",
    "promethee_ii",
    "rank",
    "rank_acceptability",
    "rank_order_centroid",
    "reweight",
    "score",
    "summarise_panel",
    "swing_weights",
    "tie_rule_text",
    "topsis",
    "weight_draws",
    "weighted_sum",
]
