"""Gap analysis: for each scenario, the measures that would lower its risk most per euro.

For every scenario (one threat type at one public space, with its current rating) and every
candidate measure that is not excluded there (already present, or ruled out by a must-have
requirement: the caller decides), the measure's residual is computed alone on top of the current
rating (``stoa.core.catalogue.combination``), then:

* ``reduction`` = current score − residual score (score = likelihood × consequence);
* ``cost`` = the measure's middle-of-band cost over ``horizon_years`` (capital + years × running),
  at least 1 € so a measure costing nothing ranks first rather than dividing by zero;
* ``per_euro`` = reduction / cost.

A measure with no reduction is not proposed. The order is per_euro (highest first), then
reduction (highest first), then the measure's key, so equal measures always come out the same way.

The computation is vectorised with NumPy over scenarios × measures (the numbers once per distinct
threat type and rating, see ``recommend``), so a whole city (thousands of public spaces) is ranked
at once, well under a second for 20,000 scenarios × 90 measures (``bench/gap_analysis.py``);
``naive_recommend`` is the same rule in plain Python, kept as the reference the tests and the
benchmark compare against.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from stoa.core.catalogue.combination import ROUNDING_TOLERANCE, residual
from stoa.core.catalogue.measures import DEFAULT_HORIZON_YEARS, MeasureSpec

MIN_COST_EUR = 1.0


@dataclass(frozen=True)
class ScenarioInput:
    key: Hashable  # the caller's id for the scenario
    threat: str
    likelihood: int
    consequence: int
    excluded: frozenset[str] = frozenset()  # measure keys not to propose here
    likelihood_max: int = 5
    consequence_max: int = 5


@dataclass(frozen=True)
class Recommendation:
    measure: str  # measure key
    rank: int  # 1 = best
    likelihood: int  # residual rating with this measure added
    consequence: int
    reduction: float
    cost: float
    per_euro: float


@dataclass(frozen=True)
class ScenarioGaps:
    scenario: ScenarioInput
    recommendations: list[Recommendation] = field(default_factory=list)


def recommend(scenarios: Sequence[ScenarioInput], measures: Sequence[MeasureSpec], *,
              horizon_years: int = DEFAULT_HORIZON_YEARS, limit: int | None = None) -> list[ScenarioGaps]:
    """The ranked measures for each of SCENARIOS (at most LIMIT each), in the order given.

    Scenarios with the same threat type and rating (a *class*: a city of thousands of public spaces
    has a few hundred) get the same numbers and the same order of measures, so both are computed
    once per class (classes × measures); each scenario then only drops its excluded measures. Equal
    recommendations (same measure, rank and class) are built once and shared, as they are immutable.
    """
    if not scenarios:
        return []
    if not measures:
        return [ScenarioGaps(s) for s in scenarios]
    width = len(measures)
    classes: dict[tuple[str, int, int, int, int], int] = {}
    class_of = np.array([classes.setdefault((s.threat, s.likelihood, s.consequence, s.likelihood_max,
                                             s.consequence_max), len(classes)) for s in scenarios], dtype=np.int64)
    rated = list(classes)
    threats = sorted({c[0] for c in rated})
    t_index = {t: i for i, t in enumerate(threats)}
    effects = np.array([[m.effect_on(t) for t in threats] for m in measures], dtype=float)  # M × T × 2
    effects = np.clip(effects, 0.0, 1.0)
    cost = np.maximum(np.array([m.cost_over(horizon_years) for m in measures], dtype=float), MIN_COST_EUR)

    threat_of = np.array([t_index[c[0]] for c in rated], dtype=np.int64)
    lik, con, lik_max, con_max = (np.array([c[i] for c in rated], dtype=float)[:, None] for i in range(1, 5))

    share_l = effects[:, threat_of, 0].T  # C × M
    share_c = effects[:, threat_of, 1].T
    value_l = np.maximum(1.0, lik * (1.0 - share_l))
    value_c = np.maximum(1.0, con * (1.0 - share_c))
    reduction = lik * con - value_l * value_c
    per_euro = reduction / cost
    rating_l = np.minimum(lik, np.clip(np.floor(value_l + 0.5 + ROUNDING_TOLERANCE), 1.0, lik_max))
    rating_c = np.minimum(con, np.clip(np.floor(value_c + 0.5 + ROUNDING_TOLERANCE), 1.0, con_max))

    # Each class's order of measures: per_euro desc, reduction desc, measure key asc (keys ranked once).
    keys = [m.key for m in measures]
    key_rank = np.empty(width, dtype=float)
    key_rank[np.argsort(np.array(keys, dtype=object), kind="stable")] = np.arange(width)
    order = np.lexsort((np.broadcast_to(key_rank, reduction.shape), -reduction, -per_euro), axis=-1)  # C × M
    position = np.empty_like(order)  # where each measure stands in its class's order
    np.put_along_axis(position, order, np.broadcast_to(np.arange(width), order.shape), axis=-1)

    # S × M in each scenario's order of measures: proposed or not.
    valid = np.take_along_axis(reduction > ROUNDING_TOLERANCE, order, axis=-1)[class_of]
    rows_of: dict[str, list[int]] = {}
    for row, key in enumerate(keys):
        rows_of.setdefault(key, []).append(row)
    excluded_rows: dict[frozenset[str], list[int]] = {}
    cut_scenario: list[int] = []
    cut_row: list[int] = []
    for column, scenario in enumerate(scenarios):
        excluded = scenario.excluded
        if excluded:
            cached = isinstance(excluded, frozenset)  # public spaces share one set for all their scenarios
            found = excluded_rows.get(excluded) if cached else None
            if found is None:
                found = [r for k in excluded for r in rows_of.get(k, ())]
                if cached:
                    excluded_rows[excluded] = found
            cut_scenario.extend([column] * len(found))
            cut_row.extend(found)
    if cut_scenario:
        cut = np.array(cut_scenario, dtype=np.int64)
        valid[cut, position[class_of[cut], np.array(cut_row, dtype=np.int64)]] = False
    rank = np.cumsum(valid, axis=1)
    if limit is not None:  # as a slice [:limit] would
        valid &= rank <= (limit if limit >= 0 else rank[:, -1:] + limit)

    cells = np.flatnonzero(valid)
    cell_class = class_of[cells // width]
    cell_row = order[cell_class, cells % width]
    code = (cell_class * width + cell_row) * (width + 1) + rank.ravel()[cells]
    unique, shared = np.unique(code, return_inverse=True)
    u_rank = unique % (width + 1)
    u_class, u_row = np.divmod(unique // (width + 1), width)
    built = np.empty(unique.size, dtype=object)
    built[:] = list(map(Recommendation, [keys[r] for r in u_row.tolist()], u_rank.tolist(),
                        rating_l[u_class, u_row].astype(np.int64).tolist(),
                        rating_c[u_class, u_row].astype(np.int64).tolist(),
                        reduction[u_class, u_row].tolist(), cost[u_row].tolist(), per_euro[u_class, u_row].tolist()))
    found_all = built[shared.reshape(-1)].tolist()
    ends = np.cumsum(valid.sum(axis=1)).tolist()
    return [ScenarioGaps(scenario, found_all[start:end])
            for scenario, start, end in zip(scenarios, [0, *ends[:-1]], ends, strict=True)]


def naive_recommend(scenarios: Iterable[ScenarioInput], measures: Sequence[MeasureSpec], *,
                    horizon_years: int = DEFAULT_HORIZON_YEARS, limit: int | None = None) -> list[ScenarioGaps]:
    """The same rule as ``recommend``, one scenario and one measure at a time (the reference)."""
    results = []
    for scenario in scenarios:
        found = []
        for measure in measures:
            if measure.key in scenario.excluded:
                continue
            after = residual(scenario.likelihood, scenario.consequence, [measure.effect_on(scenario.threat)],
                             scenario.likelihood_max, scenario.consequence_max)
            reduction = scenario.likelihood * scenario.consequence - after.score
            if reduction <= ROUNDING_TOLERANCE:
                continue
            cost = max(measure.cost_over(horizon_years), MIN_COST_EUR)
            found.append((reduction / cost, reduction, measure.key, after, cost))
        found.sort(key=lambda f: (-f[0], -f[1], f[2]))
        if limit is not None:
            found = found[:limit]
        results.append(ScenarioGaps(scenario, [
            Recommendation(key, rank, after.likelihood, after.consequence, reduction, cost, per_euro)
            for rank, (per_euro, reduction, key, after, cost) in enumerate(found, start=1)]))
    return results
