"""Turning what a city agreed (points, a ranking, pairwise comparisons, swings) into weights.

One entry point, ``make_weighting``, for pages and API alike. Inputs, by method:

* ``direct``: ``{"points": {criterion: points}}``
* ``rank``: ``{"ranks": {criterion: 1 = most important}}`` (rank-order centroid; ties share)
* ``swing``: ``{"swings": {criterion: 0–100}}``, the most important swing scored 100
* ``ahp``: ``{"level": "groups" | "criteria", "items": [ids in matrix order], "matrix": [[...]]}``.
  Comparing the six groups (15 judgements) is the usual way; each group's weight is then shared
  equally by its criteria. Comparing criteria directly gives each criterion its own weight.

A criterion left out of points, ranks or swings gets weight 0. The result keeps the raw inputs,
the weights per criterion and, for AHP, Saaty's consistency ratio and the least consistent
judgement, so the provenance of every weight can be shown.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from stoa.core import mcda
from stoa.evaluation.criteria import CriteriaTree
from stoa.evaluation.models import Evaluation, Weighting, WeightMethod

METHOD_KEYS = {"direct": "points", "rank": "ranks", "swing": "swings"}


def _per_criterion(tree: CriteriaTree, values: Any, what: str) -> tuple[list[str], list[float]]:
    if not isinstance(values, dict) or not values:
        raise ValidationError(_("Give the %(what)s as a mapping of criterion ids to numbers.") % {"what": what})
    unknown = sorted(set(values) - set(tree.ids))
    if unknown:
        raise ValidationError(_("Unknown criteria: %(ids)s.") % {"ids": ", ".join(unknown)})
    ids = [cid for cid in tree.ids if cid in values]
    numbers = []
    for cid in ids:
        value = values[cid]
        if isinstance(value, bool) or not isinstance(value, int | float) or not np.isfinite(value):
            raise ValidationError(_("%(id)s: give a number.") % {"id": cid})
        numbers.append(float(value))
    return ids, numbers


def compute_weights(tree: CriteriaTree, method: str, inputs: Any) -> tuple[dict[str, float], float | None]:
    """(weight per criterion, consistency ratio or None); ValidationError with a specific message."""
    if not isinstance(inputs, dict):
        raise ValidationError(_("The inputs must be an object."))
    try:
        if method in METHOD_KEYS:
            key = METHOD_KEYS[method]
            ids, numbers = _per_criterion(tree, inputs.get(key), key)
            if method == "direct":
                weights = mcda.direct_weights(numbers)
            elif method == "swing":
                weights = mcda.swing_weights(numbers)
            else:
                if any(n != int(n) for n in numbers):
                    raise ValidationError(_("Ranks are whole numbers: 1 for the most important."))
                weights = mcda.rank_order_centroid([int(n) for n in numbers])
            found = dict(zip(ids, (float(w) for w in weights), strict=True))
            return {cid: found.get(cid, 0.0) for cid in tree.ids}, None
        if method == "ahp":
            return _ahp(tree, inputs)
    except mcda.McdaInputError as exc:
        raise ValidationError(str(exc)) from exc
    raise ValidationError(_("Unknown weighting method %(method)s.") % {"method": method})


def _ahp(tree: CriteriaTree, inputs: dict[str, Any]) -> tuple[dict[str, float], float]:
    level = inputs.get("level", "groups")
    if level not in ("groups", "criteria"):
        raise ValidationError(_("AHP compares either groups or criteria."))
    groups = {gid: members for gid, _name, members in tree.groups}
    known = list(groups) if level == "groups" else tree.ids
    items = inputs.get("items") or known
    if not isinstance(items, list) or sorted(map(str, items)) != sorted(known):
        raise ValidationError(_("The comparison must list each of these once: %(ids)s.") % {"ids": ", ".join(known)})
    matrix = inputs.get("matrix")
    if not isinstance(matrix, list) or not all(isinstance(row, list) for row in matrix):
        raise ValidationError(_("Give the comparison matrix as a list of rows."))
    try:
        array = np.array(matrix, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("Every judgement in the comparison matrix must be a number.")) from exc
    weights, ratio = mcda.ahp_weights(array)
    by_item = dict(zip(items, (float(w) for w in weights), strict=True))
    if level == "criteria":
        return {cid: by_item[cid] for cid in tree.ids}, float(ratio)
    result = {}
    for gid, members in groups.items():
        for criterion in members:
            result[criterion.id] = by_item[gid] / len(members)
    return result, float(ratio)


def ahp_warning(tree: CriteriaTree, inputs: dict[str, Any], ratio: float | None) -> dict[str, Any] | None:
    """When the AHP judgements are too inconsistent: the ratio and the judgement to look at first."""
    if ratio is None or ratio <= mcda.AHP_CONSISTENCY_LIMIT:
        return None
    matrix = np.array(inputs["matrix"], dtype=float)
    i, j, judged, implied = mcda.ahp_most_inconsistent(matrix)
    names = dict((gid, name) for gid, name, _members in tree.groups)
    names.update({c.id: c.name for c in tree.criteria})
    known = [gid for gid, _name, _members in tree.groups] if inputs.get("level", "groups") == "groups" else tree.ids
    items = inputs.get("items") or known  # as in _ahp: without items the matrix is in the tree's order
    return {"ratio": ratio, "limit": mcda.AHP_CONSISTENCY_LIMIT, "first": names.get(items[i], items[i]),
            "second": names.get(items[j], items[j]), "judged": judged, "implied": implied}


def make_weighting(evaluation: Evaluation, method: str, inputs: Any, note: str, user: Any) -> Weighting:
    """Compute and store a new weighting; it becomes the evaluation's weights."""
    if method not in WeightMethod.values:
        raise ValidationError(_("Unknown weighting method %(method)s.") % {"method": method})
    weights, ratio = compute_weights(evaluation.tree, method, inputs)
    weighting = Weighting(evaluation=evaluation, method=method, inputs=inputs, weights=weights,
                          consistency_ratio=ratio, note=note.strip(),
                          created_by=user if getattr(user, "is_authenticated", False) else None)
    weighting.save()
    return weighting
