"""Where an evaluation's criteria and alternatives come from.

Criteria: a shipped ``criteria_set`` library item (key = its URN) or one of the organisation's
own ``CriteriaSet`` rows (key = ``own:<uuid>``). Alternatives: catalogue entries (shipped or
local measures) or RFI submissions; facts from either feed the suggested scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stoa.core.catalogue.measures import DEFAULT_HORIZON_YEARS
from stoa.evaluation.criteria import Criterion
from stoa.evaluation.models import CriteriaSet
from stoa.library.models import ReferenceObject

OWN_PREFIX = "own:"
IMPACT_SCORE = {"none": 5, "low": 4, "medium": 2, "high": 1}


@dataclass
class CriteriaSource:
    key: str
    label: str
    data: dict[str, Any]
    shipped: bool


def criteria_sources(organisation: Any) -> list[CriteriaSource]:
    """The shipped criteria sets, then the organisation's own, by name."""
    # The loader keeps a shipped set's sources in its data; the tree itself (CriteriaSetFields) has none.
    shipped = [CriteriaSource(o.urn, o.label(), {k: v for k, v in o.data.items() if k != "sources"}, True)
               for o in ReferenceObject.objects.filter(kind="criteria_set").order_by("order", "ref_id")]
    own = [CriteriaSource(f"{OWN_PREFIX}{s.pk}", s.name, dict(s.data), False)
           for s in CriteriaSet.objects.filter(organisation=organisation)]
    return shipped + own


def criteria_source(organisation: Any, key: str) -> CriteriaSource | None:
    return next((s for s in criteria_sources(organisation) if s.key == key), None)


def suggested_score(criterion: Criterion, facts: dict[str, Any], threat: str | None,
                    horizon_years: int | None = None) -> float | None:
    """Stoa's suggestion for CRITERION from an alternative's FACTS (a measure's data), or None.

    The suggestion is shown beside the score field, never stored as an expert's score. Impacts map
    none → 5, low → 4, medium → 2, high → 1 on a 1–5 scale where 5 is best (reversed for a
    criterion whose direction is cost); the effect against the vulnerability's threat maps the
    larger of the likelihood and consequence shares linearly onto 1–5.
    """
    source = criterion.suggest_from
    if not source or not facts:
        return None
    cost = facts.get("cost") or {}
    years = horizon_years or DEFAULT_HORIZON_YEARS

    def middle(key: str) -> float | None:
        band = cost.get(key)
        return None if not band else sum(float(x) for x in band) / len(band)

    value: float | None = None
    if source == "effect":
        effects = [e for e in facts.get("effects") or [] if e.get("threat") in (threat, "ALL")]
        named = [e for e in effects if e.get("threat") == threat] or effects
        if not named:
            return None
        share = max(max(float(e.get("likelihood", 0)), float(e.get("consequence", 0))) for e in named)
        return _oriented(criterion, round(1 + 4 * share))
    if source == "trl":
        value = float(facts["trl"]) if facts.get("trl") else None
    elif source in ("capital_eur", "yearly_eur"):
        value = middle(source)
    elif source == "total_cost_eur":
        capital, yearly = middle("capital_eur"), middle("yearly_eur")
        value = None if capital is None and yearly is None else (capital or 0) + years * (yearly or 0)
    elif source == "deploy_days":
        days = facts.get("deploy_days")
        value = float(days[0]) if days else None
    else:
        key = {"privacy": "privacy", "normal_use": "normal_use_impact", "aesthetic": "aesthetic_impact",
               "accessibility": "accessibility_impact"}.get(source)
        level = facts.get(key) if key else None
        return _oriented(criterion, IMPACT_SCORE[level]) if level in IMPACT_SCORE else None
    if value is None:
        return None
    return value if not criterion.ordinal else _oriented(criterion, round(criterion.to_value(value)))


def _oriented(criterion: Criterion, best_high: float) -> float | None:
    """A 1–5 judgement where 5 is best, written in the criterion's own direction."""
    if not criterion.ordinal:
        return None
    return float(best_high if criterion.direction == "benefit" else 6 - best_high)
