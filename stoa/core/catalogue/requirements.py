"""Whether a catalogue measure meets a requirement's measurable condition. Stoa's documented rule.

A requirement of an objective (assessment step 3) may carry one measurable condition on the
solution: ``criterion`` and ``limit`` (text). A must-have requirement a measure does not meet takes
that measure out of the gap analysis for the scenarios the requirement is about; a desirable one
is only reported. The rules:

* ``max_privacy``, ``max_normal_use_impact``, ``max_aesthetic_impact``,
  ``max_accessibility_impact``: the measure's impact (none < low < medium < high) is at most the
  limit;
* ``no_personal_data``: the measure does not process personal data (``gdpr`` is false);
* ``max_capital_eur``, ``max_yearly_eur``: the middle of the measure's cost band is at most the
  limit (the same middle every cost figure in Stoa uses);
* ``min_trl``: the measure's maturity is at least the limit (1–9);
* ``max_deploy_days``: the low end of its time to deploy is at most the limit (it *can* be ready);
* ``timing``: the measure can be used that way (``structural`` or ``event``; a measure usable both
  ways meets either).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

IMPACT_ORDER = ("none", "low", "medium", "high")
IMPACT_CRITERIA = {"max_privacy": "privacy", "max_normal_use_impact": "normal_use_impact",
                   "max_aesthetic_impact": "aesthetic_impact", "max_accessibility_impact": "accessibility_impact"}
NUMBER_CRITERIA = ("max_capital_eur", "max_yearly_eur", "min_trl", "max_deploy_days")
CRITERIA = (*IMPACT_CRITERIA, "no_personal_data", *NUMBER_CRITERIA, "timing")


def limit_problem(criterion: str, limit: str) -> str | None:
    """What is wrong with LIMIT for CRITERION (English, for the caller to translate), or None."""
    if not criterion:
        return None
    if criterion not in CRITERIA:
        return "unknown criterion"
    if criterion in IMPACT_CRITERIA:
        return None if limit in IMPACT_ORDER else "impact"
    if criterion == "no_personal_data":
        return None
    if criterion == "timing":
        return None if limit in ("structural", "event") else "timing"
    try:
        number = float(limit)
    except ValueError:
        return "number"
    if number < 0 or (criterion == "min_trl" and not 1 <= number <= 9):
        return "range"
    return None


def meets(criterion: str, limit: str, measure: Mapping[str, Any]) -> bool:
    """True when MEASURE (a measure's library data) meets CRITERION at LIMIT; no criterion is met."""
    if not criterion or limit_problem(criterion, limit):
        return True
    if criterion in IMPACT_CRITERIA:
        impact = measure.get(IMPACT_CRITERIA[criterion], "high")
        return IMPACT_ORDER.index(impact if impact in IMPACT_ORDER else "high") <= IMPACT_ORDER.index(limit)
    if criterion == "no_personal_data":
        return not measure.get("gdpr", True)
    if criterion == "timing":
        return measure.get("timing") in (limit, "both")
    number = float(limit)
    cost = measure.get("cost") or {}
    if criterion == "max_capital_eur":
        return sum(cost.get("capital_eur", (0, 0))) / 2 <= number
    if criterion == "max_yearly_eur":
        return sum(cost.get("yearly_eur", (0, 0))) / 2 <= number
    if criterion == "min_trl":
        return int(measure.get("trl", 0)) >= number
    return int((measure.get("deploy_days") or (0, 0))[0]) <= number
