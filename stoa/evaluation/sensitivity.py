"""How firm an evaluation's ranking is: weight sliders, break-even weights, rank acceptability.

All three work on the ranked (not knocked-out) alternatives of ``compute.Problem`` with the
evaluation's own method, so they answer "would the ranking flip?" for the ranking shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from stoa.core import mcda
from stoa.evaluation.compute import ACCEPTABILITY_SAMPLES, Problem, _method_options


@dataclass
class Ranked:
    ids: list[str]
    scores: list[float]
    ranks: list[int]


def _rows(problem: Problem) -> np.ndarray:
    knocked = problem.knocked_out()
    return np.array([a["id"] not in knocked for a in problem.alternatives], dtype=bool)


def reranked(inputs: dict[str, Any], criterion_id: str, weight: float) -> tuple[Ranked, np.ndarray]:
    """The ranking when CRITERION_ID gets WEIGHT and the others share the rest in proportion."""
    problem = Problem(inputs)
    index = [c.id for c in problem.criteria].index(criterion_id)
    weights = mcda.reweight(problem.weights, index, weight)
    ids, scores, ranks = problem.ranking(inputs["evaluation"]["method"], weights)
    order = sorted(range(len(ids)), key=lambda i: (ranks[i], i))
    return Ranked([ids[i] for i in order], [float(scores[i]) for i in order], [int(ranks[i]) for i in order]), weights


def break_evens(inputs: dict[str, Any]) -> dict[str, float | None]:
    """Per criterion: the weight at which the first two alternatives swap (None: no weight does)."""
    problem = Problem(inputs)
    rows = _rows(problem)
    method = inputs["evaluation"]["method"]
    if rows.sum() < 2 or problem.weights.sum() <= 0:
        return {c.id: None for c in problem.criteria}
    options = _method_options(inputs, method)
    result: dict[str, float | None] = {}
    for j, criterion in enumerate(problem.criteria):
        value = mcda.break_even(problem.values[rows], problem.weights, problem.benefit, j, method=method, **options)
        result[criterion.id] = None if value is None else float(value)
    return result


def acceptability(inputs: dict[str, Any], samples: int = ACCEPTABILITY_SAMPLES,
                  seed: int = 0) -> tuple[list[str], np.ndarray]:
    """The ranked alternatives and, for each, the probability of each rank under weight perturbation."""
    problem = Problem(inputs)
    rows = _rows(problem)
    ids = [a["id"] for a, keep in zip(problem.alternatives, rows, strict=True) if keep]
    if not ids or problem.weights.sum() <= 0:
        return ids, np.zeros((len(ids), len(ids)))
    method = inputs["evaluation"]["method"]
    matrix = mcda.rank_acceptability(problem.values[rows], problem.weights, problem.benefit, method=method,
                                     samples=samples, seed=seed, **_method_options(inputs, method))
    return ids, np.asarray(matrix, dtype=float)
