"""The weights page: elicit weights by one of four methods, and see where each weighting came from.

Each submission stores a new ``Weighting`` (inputs, weights, who, when, note); the latest is the
evaluation's. AHP compares the criteria groups by default (few judgements); criteria can be
compared directly when there are few of them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stoa.accounts.roles import Action
from stoa.evaluation.compute import weights_of
from stoa.evaluation.criteria import CriteriaTree
from stoa.evaluation.models import Evaluation
from stoa.evaluation.views.common import context, frozen_response, load
from stoa.evaluation.weighting import ahp_warning, make_weighting

AHP_CRITERIA_LIMIT = 8  # beyond this many items, pairwise comparison asks too many judgements
SAATY = [9, 7, 5, 3, 1, 1 / 3, 1 / 5, 1 / 7, 1 / 9]
FIELD_PREFIX = {"direct": ("points", "points"), "rank": ("rank", "ranks"), "swing": ("swing", "swings")}


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def _ahp_items(tree: CriteriaTree, level: str) -> list[tuple[str, str]]:
    if level == "criteria":
        return [(c.id, c.name) for c in tree.criteria]
    return [(gid, name) for gid, name, _members in tree.groups]


def _judgement_label(first: str, second: str, value: float) -> str:
    if value == 1:
        return _("equally important")
    if value > 1:
        return _("%(first)s %(n)s× more important") % {"first": first, "n": int(value)}
    return _("%(second)s %(n)s× more important") % {"second": second, "n": round(1 / value)}


def inputs_from_post(tree: CriteriaTree, post: Any) -> tuple[str, dict[str, Any]]:
    method = post.get("method", "")
    if method in FIELD_PREFIX:
        prefix, key = FIELD_PREFIX[method]
        values: dict[str, Any] = {}
        for criterion in tree.criteria:
            text = post.get(f"{prefix}_{criterion.id}", "").strip()
            if text:
                number = _number(text)
                values[criterion.id] = number if number is not None else text
        return method, {key: values}
    if method == "ahp":
        level = post.get("level", "groups")
        items = [item for item, _label in _ahp_items(tree, level)]
        n = len(items)
        matrix = [[1.0] * n for _row in range(n)]
        for i in range(n):
            for j in range(i + 1, n):
                value = _number(post.get(f"ahp_{i}_{j}", "1")) or 0.0
                matrix[i][j] = value
                matrix[j][i] = 1 / value if value else 0.0
        return method, {"level": level, "items": items, "matrix": matrix}
    return method, {}


def _pairs(evaluation: Evaluation, level: str, current: dict[str, Any] | None) -> list[dict[str, Any]]:
    items = _ahp_items(evaluation.tree, level)
    previous = None
    if current and current.get("level") == level and current.get("items") == [i for i, _l in items]:
        previous = current["matrix"]
    pairs = []
    for i, (_a, first) in enumerate(items):
        for j in range(i + 1, len(items)):
            second = items[j][1]
            chosen = previous[i][j] if previous else 1
            pairs.append({"name": f"ahp_{i}_{j}", "first": first, "second": second, "options": [
                {"value": f"{v:.6g}", "label": _judgement_label(first, second, v),
                 "selected": abs(v - chosen) < 1e-3} for v in SAATY]})
    return pairs


@require_http_methods(["GET", "POST"])
def weights_page(request: HttpRequest, pk: Any) -> HttpResponse:
    evaluation = load(request, pk)
    tree = evaluation.tree
    error = ""
    posted: dict[str, Any] = {}
    if request.method == "POST":
        evaluation = load(request, pk, Action.CHANGE)
        if evaluation.is_frozen:
            return frozen_response(request, evaluation)
        method, inputs = inputs_from_post(tree, request.POST)
        posted = {"method": method, **inputs}
        try:
            weighting = make_weighting(evaluation, method, inputs, request.POST.get("note", ""), request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            warning = ahp_warning(tree, inputs, weighting.consistency_ratio) if method == "ahp" else None
            if warning:
                messages.warning(request, _(
                    "The comparisons are not consistent enough (consistency ratio %(ratio).2f, above %(limit).2f). "
                    "Look first at %(first)s against %(second)s: you judged %(judged).2g, the other judgements "
                    "imply %(implied).2g.") % warning)
            else:
                messages.success(request, _("New weights saved (%(method)s).") % {
                    "method": weighting.get_method_display()})
            return redirect("evaluation:weights", pk=evaluation.pk)
    weights = weights_of(evaluation)
    latest = evaluation.latest_weighting
    level = request.GET.get("level") or (latest.inputs.get("level") if latest and latest.method == "ahp" else "groups")
    if level == "criteria" and len(tree.criteria) > AHP_CRITERIA_LIMIT:
        level = "groups"
    last_inputs = posted if error else (latest.inputs if latest else {})
    rows = [{"criterion": c, "weight": weights.get(c.id, 0.0),
             "points": (last_inputs.get("points") or {}).get(c.id, c.default_points or ""),
             "rank": (last_inputs.get("ranks") or {}).get(c.id, ""),
             "swing": (last_inputs.get("swings") or {}).get(c.id, "")} for c in tree.criteria]
    return render(request, "evaluation/weights.html", {
        **context(request, evaluation, "weights"), "rows": rows, "error": error,
        "history": evaluation.weightings.select_related("created_by"), "latest": latest,
        "pairs": _pairs(evaluation, level, latest.inputs if latest and latest.method == "ahp" else None),
        "level": level, "criteria_level_allowed": len(tree.criteria) <= AHP_CRITERIA_LIMIT,
        "warning": ahp_warning(tree, latest.inputs, latest.consistency_ratio)
        if latest and latest.method == "ahp" else None},
        status=400 if error else 200)
