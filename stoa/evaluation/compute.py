"""From an evaluation's rows to its results, through plain data so a frozen record computes again.

``inputs_of(evaluation)`` gathers everything the result depends on into one JSON-able dict;
``compute(inputs)`` turns that dict into the results with ``stoa.core.mcda``. Pages, the API and
the decision record all go through this pair, so what the council reads is what the page showed.

Stoa's documented rules (also in docs/architecture.md):

* Panel score of a cell = mean of the experts' raw scores at a stage (missing scores are left
  out; the spread and the number of scores are kept). Stages carry over: a later stage's panel
  score replaces the earlier one where it exists (``stoa.core.mcda.CARRY_OVER_RULE``).
* From the demonstration stage on, only the shortlisted alternatives are ranked (all of them
  while none is shortlisted).
* A cell nobody scored counts as the worst level of its scale, and is flagged: an alternative is
  not rewarded for information nobody could judge.
* Knock-outs come first: an alternative whose panel score misses a criterion's must-have
  threshold, or that nobody scored on such a criterion, is not ranked.
* Ties are broken by the Performance group's weighted score, then the Cost group's
  (``stoa.core.mcda.TIE_RULE``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from stoa.core import mcda
from stoa.evaluation.criteria import SCALE_HIGH, SCALE_LOW, CriteriaTree

if TYPE_CHECKING:
    from stoa.evaluation.models import Evaluation

BOUNDS = (float(SCALE_LOW), float(SCALE_HIGH))
TIE_GROUPS = ("PERFORMANCE", "COST")
METHOD_IDS = ("weighted_sum", "topsis", "promethee_ii")
# PROMETHEE's linear preference on the 1–5 value scale: half a point is no preference, two points full.
LINEAR_Q, LINEAR_P = 0.5, 2.0
ACCEPTABILITY_SAMPLES = 10_000


def weights_of(evaluation: Evaluation) -> dict[str, float]:
    """The latest weighting's weights, else the criteria set's default points, normalised."""
    weighting = evaluation.latest_weighting
    tree = evaluation.tree
    raw = dict(weighting.weights) if weighting else tree.default_points()
    points = np.array([float(raw.get(cid, 0.0)) for cid in tree.ids])
    if not tree.ids or points.sum() <= 0:
        return dict.fromkeys(tree.ids, 1.0 / max(1, len(tree.ids)))
    return dict(zip(tree.ids, (points / points.sum()).tolist(), strict=True))


def inputs_of(evaluation: Evaluation) -> dict[str, Any]:
    """Everything the result of EVALUATION depends on, as plain JSON-able data."""
    weighting = evaluation.latest_weighting
    alternatives = list(evaluation.alternatives.order_by("name", "created_at"))
    experts = list(evaluation.experts.order_by("name", "created_at"))
    return {
        "evaluation": {"id": str(evaluation.pk), "title": evaluation.title, "stage": evaluation.stage,
                       "stages": evaluation.stages_so_far, "method": evaluation.method,
                       "topsis_normalization": evaluation.topsis_normalization,
                       "promethee_preference": evaluation.promethee_preference,
                       "criteria_source": evaluation.criteria_source},
        "criteria": evaluation.criteria,
        "weights": weights_of(evaluation),
        "weighting": None if weighting is None else {
            "method": weighting.method, "inputs": weighting.inputs, "weights": weighting.weights,
            "consistency_ratio": weighting.consistency_ratio, "note": weighting.note,
            "created_at": weighting.created_at.isoformat(),
            "created_by": weighting.created_by.get_username() if weighting.created_by else ""},
        "alternatives": [{"id": str(a.pk), "name": a.name, "kind": a.kind, "shortlisted": a.shortlisted}
                         for a in alternatives],
        "experts": [{"id": str(e.pk), "name": e.name, "affiliation": e.affiliation, "conflicts": e.conflicts}
                    for e in experts],
        "scores": [{"expert": str(s.expert_id), "alternative": str(s.alternative_id), "criterion": s.criterion,
                    "stage": s.stage, "value": s.value}
                   for s in evaluation.scores.order_by("expert_id", "alternative_id", "criterion", "stage")],
    }


def _method_options(inputs: dict[str, Any], method: str) -> dict[str, Any]:
    ev = inputs["evaluation"]
    if method == "topsis":
        return {"normalization": ev.get("topsis_normalization", "vector")}
    if method == "promethee_ii":
        if ev.get("promethee_preference") == "linear":
            return {"preference": "linear", "q": LINEAR_Q, "p": LINEAR_P}
        return {"preference": "usual"}
    return {"bounds": BOUNDS}


def _none(values: np.ndarray) -> list[Any]:
    return [None if np.isnan(v) else round(float(v), 10) for v in values.ravel()]


class Problem:
    """The arrays of one evaluation's inputs, ready for the MCDA methods."""

    def __init__(self, inputs: dict[str, Any]) -> None:
        self.inputs = inputs
        self.tree = CriteriaTree(inputs["criteria"])
        self.criteria = self.tree.criteria
        stages = inputs["evaluation"]["stages"]
        alternatives = inputs["alternatives"]
        if len(stages) > 1 and any(a["shortlisted"] for a in alternatives):
            alternatives = [a for a in alternatives if a["shortlisted"]]
        self.alternatives = alternatives
        self.weights = np.array([float(inputs["weights"].get(c.id, 0.0)) for c in self.criteria])
        self.benefit = np.array([c.value_benefit for c in self.criteria], dtype=bool)
        alt_index = {a["id"]: i for i, a in enumerate(alternatives)}
        crit_index = {c.id: j for j, c in enumerate(self.criteria)}
        expert_index = {e["id"]: k for k, e in enumerate(inputs["experts"])}
        shape = (max(1, len(expert_index)), len(alternatives), len(self.criteria))
        by_stage = {stage: np.full(shape, np.nan) for stage in stages}
        for s in inputs["scores"]:
            i, j, k = alt_index.get(s["alternative"]), crit_index.get(s["criterion"]), expert_index.get(s["expert"])
            if i is not None and j is not None and k is not None and s["stage"] in by_stage:
                by_stage[s["stage"]][k, i, j] = float(s["value"])
        self.current = by_stage[stages[-1]]
        summaries = [mcda.summarise_panel(by_stage[stage]) for stage in stages]
        self.summary = summaries[-1]
        self.raw = mcda.carry_over(*[summary.mean for summary in summaries])
        self.missing = np.isnan(self.raw)
        values = np.empty_like(self.raw)
        for j, criterion in enumerate(self.criteria):
            column = self.raw[:, j]
            worst = SCALE_LOW if criterion.value_benefit else SCALE_HIGH
            values[:, j] = [worst if np.isnan(x) else criterion.to_value(x) for x in column]
        self.values = values

    def knocked_out(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for i, alt in enumerate(self.alternatives):
            failing = [c.id for j, c in enumerate(self.criteria) if any(t is not None for t in c.knockout)
                       and (self.missing[i, j] or c.knocked_out_by(float(self.raw[i, j])))]
            if failing:
                out[alt["id"]] = failing
        return out

    def scores(self, method: str, weights: np.ndarray, rows: np.ndarray) -> np.ndarray:
        if not rows.any() or weights.sum() <= 0:
            return np.full(int(rows.sum()), np.nan)
        return np.asarray(mcda.score(method, self.values[rows], weights, self.benefit,
                                     **_method_options(self.inputs, method)), dtype=float)

    def tie_breakers(self, weights: np.ndarray, rows: np.ndarray) -> list[np.ndarray]:
        breakers = []
        for group in TIE_GROUPS:
            columns = np.array([c.group_id == group for c in self.criteria])
            if columns.any() and weights[columns].sum() > 0 and rows.any():
                breakers.append(mcda.weighted_sum(self.values[rows][:, columns], weights[columns],
                                                  self.benefit[columns], bounds=BOUNDS))
        return breakers

    def ranking(self, method: str, weights: np.ndarray | None = None) -> tuple[list[str], np.ndarray, np.ndarray]:
        """(ids of the ranked alternatives, their scores, their ranks) for METHOD and WEIGHTS."""
        weights = self.weights if weights is None else weights
        knocked = self.knocked_out()
        rows = np.array([a["id"] not in knocked for a in self.alternatives], dtype=bool)
        ids = [a["id"] for a, keep in zip(self.alternatives, rows, strict=True) if keep]
        if not ids or weights.sum() <= 0:
            return ids, np.full(len(ids), np.nan), np.zeros(len(ids), dtype=int)
        scores = self.scores(method, weights, rows)
        ranks = np.asarray(mcda.rank(scores, self.tie_breakers(weights, rows)), dtype=int)
        return ids, scores, ranks


def compute(inputs: dict[str, Any]) -> dict[str, Any]:
    """The results of the evaluation described by INPUTS (see ``inputs_of``), as JSON-able data."""
    problem = Problem(inputs)
    method = inputs["evaluation"]["method"]
    methods: dict[str, Any] = {}
    for name in METHOD_IDS:
        ids, scores, ranks = problem.ranking(name)
        methods[name] = {"alternatives": ids, "scores": _none(scores), "ranks": [int(r) for r in ranks]}
    chosen = methods[method]
    order = sorted(range(len(chosen["alternatives"])), key=lambda i: (chosen["ranks"][i], i))
    agreement = {}
    for j, criterion in enumerate(problem.criteria):
        w = mcda.kendall_w(problem.current[:, :, j])
        agreement[criterion.id] = None if np.isnan(w) else round(float(w), 10)
    return {
        "alternatives": [a["id"] for a in problem.alternatives],
        "criteria": [c.id for c in problem.criteria],
        "weights": [round(float(w), 10) for w in problem.weights],
        "raw": _none(problem.raw),
        "values": _none(problem.values),
        "missing": [bool(m) for m in problem.missing.ravel()],
        "spread": _none(problem.summary.std),
        "count": [int(c) for c in np.asarray(problem.summary.count).ravel()],
        "agreement": agreement,
        "knocked_out": problem.knocked_out(),
        "methods": methods,
        "method": method,
        "ranking": [chosen["alternatives"][i] for i in order],
        "tie_rule": mcda.TIE_RULE,
    }
