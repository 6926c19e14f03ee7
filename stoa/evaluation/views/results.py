"""The ranking, its sensitivity, the freeze and the decision record of one evaluation.

Every number comes from ``compute`` (and ``sensitivity``) on ``inputs_of(evaluation)``; a frozen
evaluation shows its stored record instead, computed again on demand to prove it repeats.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from stoa.accounts.roles import Action
from stoa.core.charts.acceptability import acceptability_svg, acceptability_table
from stoa.evaluation.compute import compute, inputs_of
from stoa.evaluation.criteria import CriteriaTree
from stoa.evaluation.models import Alternative, DecisionRecord
from stoa.evaluation.record import FreezeError, freeze, recompute
from stoa.evaluation.sensitivity import acceptability, break_evens, reranked
from stoa.evaluation.views.common import context, frozen_response, load

METHOD_LABELS = {"weighted_sum": "Weighted sum", "topsis": "TOPSIS", "promethee_ii": "PROMETHEE II"}


def _names(inputs: dict[str, Any]) -> dict[str, str]:
    return {a["id"]: a["name"] for a in inputs["alternatives"]}


def ranking_rows(inputs: dict[str, Any], outputs: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per ranked alternative, in the chosen method's order, with every method's rank and score."""
    names = _names(inputs)
    per_method = {m: dict(zip(r["alternatives"], zip(r["ranks"], r["scores"], strict=True), strict=True))
                  for m, r in outputs["methods"].items()}
    return [{"id": aid, "name": names.get(aid, aid),
             "methods": [{"method": m, "rank": per_method[m][aid][0], "score": per_method[m][aid][1]}
                         for m in outputs["methods"]]} for aid in outputs["ranking"]]


def matrix_rows(inputs: dict[str, Any], outputs: dict[str, Any], criteria: list[Any]) -> list[dict[str, Any]]:
    """Panel matrix: per alternative, per criterion, the panel score with its spread and count."""
    problem_criteria = criteria
    names = _names(inputs)
    n = len(outputs["criteria"])
    rows = []
    for i, aid in enumerate(outputs["alternatives"]):
        cells = []
        for j, criterion in enumerate(problem_criteria):
            k = i * n + j
            cells.append({"criterion": criterion, "raw": outputs["raw"][k], "spread": outputs["spread"][k],
                          "count": outputs["count"][k], "missing": outputs["missing"][k]})
        rows.append({"id": aid, "name": names.get(aid, aid), "cells": cells,
                     "knocked_out": outputs["knocked_out"].get(aid, [])})
    return rows


def _page_context(inputs: dict[str, Any], outputs: dict[str, Any]) -> dict[str, Any]:
    criteria = CriteriaTree(inputs["criteria"]).criteria
    by_id = {c.id: c for c in criteria}
    names = _names(inputs)
    return {"inputs": inputs, "outputs": outputs, "criteria": criteria,
            "ranking": ranking_rows(inputs, outputs), "matrix": matrix_rows(inputs, outputs, criteria),
            "methods": [(m, METHOD_LABELS[m]) for m in outputs["methods"]],
            "method_label": METHOD_LABELS[outputs["method"]],
            "knocked_out": [(names.get(aid, aid), [by_id[c].name for c in failing if c in by_id])
                            for aid, failing in outputs["knocked_out"].items()],
            "agreement": [(c, outputs["agreement"].get(c.id)) for c in criteria],
            "missing_count": sum(outputs["missing"]),
            "weights": [(c, w) for c, w in zip(criteria, outputs["weights"], strict=True)]}


@require_GET
def results_page(request: HttpRequest, pk: Any) -> HttpResponse:
    evaluation = load(request, pk)
    record = DecisionRecord.objects.filter(evaluation=evaluation).first()
    inputs = record.inputs if record else inputs_of(evaluation)
    outputs = record.outputs if record else compute(inputs)
    return render(request, "evaluation/results.html", {**context(request, evaluation, "results"),
                                                       **_page_context(inputs, outputs), "record": record})


def _acceptability_chart(inputs: dict[str, Any], ids: list[str], matrix: Any) -> dict[str, Any]:
    names = _names(inputs)
    labels = [names.get(i, i) for i in ids]
    if not ids:
        return {"svg": "", "table": []}
    rows = [[float(p) for p in row] for row in matrix]
    svg = acceptability_svg(labels, rows, title=_("Probability of each rank when the weights vary"),
                            rank_label=_("Rank {rank}"))
    return {"svg": mark_safe(svg), "table": acceptability_table(labels, rows)}  # noqa: S308 (built and escaped by the chart)


@require_GET
def sensitivity_page(request: HttpRequest, pk: Any) -> HttpResponse:
    evaluation = load(request, pk)
    record = DecisionRecord.objects.filter(evaluation=evaluation).first()
    inputs = record.inputs if record else inputs_of(evaluation)
    outputs = record.outputs if record else compute(inputs)
    if record:
        evens = record.outputs["break_even"]
        ids, matrix = record.outputs["acceptability"]["alternatives"], record.outputs["acceptability"]["matrix"]
    else:
        evens = break_evens(inputs)
        ids, matrix = acceptability(inputs)
    names = _names(inputs)
    first_two = [names.get(a, a) for a in outputs["ranking"][:2]]
    criteria = CriteriaTree(inputs["criteria"]).criteria
    return render(request, "evaluation/sensitivity.html", {
        **context(request, evaluation, "sensitivity"), **_page_context(inputs, outputs), "first_two": first_two,
        "break_even": [(c, w, evens.get(c.id)) for c, w in zip(criteria, outputs["weights"], strict=True)],
        "chart": _acceptability_chart(inputs, ids, matrix), "record": record})


@require_GET
def rerank(request: HttpRequest, pk: Any) -> HttpResponse:
    """HTMX: the ranking with one criterion's weight moved (percent), the others rescaled in proportion."""
    evaluation = load(request, pk)
    inputs = inputs_of(evaluation)
    criterion = request.GET.get("criterion", "")
    try:
        weight = float(request.GET.get("weight", "")) / 100
    except ValueError:
        weight = -1.0
    ids = [c["id"] for g in inputs["criteria"].get("groups", []) for c in g.get("criteria", [])]
    if criterion not in ids or not 0 <= weight <= 1:
        return render(request, "evaluation/partials/rerank.html", {
            "error": _("Choose a criterion and a weight from 0 to 100 %.")}, status=400)
    ranked, weights = reranked(inputs, criterion, weight)
    names = _names(inputs)
    baseline = compute(inputs)["ranking"]
    rows = [{"name": names.get(aid, aid), "rank": rank, "score": score,
             "moved": baseline.index(aid) + 1 - rank if aid in baseline else 0}
            for aid, score, rank in zip(ranked.ids, ranked.scores, ranked.ranks, strict=True)]
    criteria = CriteriaTree(inputs["criteria"]).criteria
    return render(request, "evaluation/partials/rerank.html", {
        "rows": rows, "criterion": next(c for c in criteria if c.id == criterion), "weight": weight,
        "weights": list(zip(criteria, weights, strict=True)), "evaluation": evaluation})


@require_http_methods(["GET", "POST"])
def freeze_page(request: HttpRequest, pk: Any) -> HttpResponse:
    evaluation = load(request, pk, Action.CHANGE)
    if evaluation.is_frozen:
        return redirect("evaluation:record", pk=evaluation.pk)
    inputs = inputs_of(evaluation)
    outputs = compute(inputs)
    ranked = [a for a in evaluation.alternatives.all()]
    order = {aid: i for i, aid in enumerate(outputs["ranking"])}
    ranked.sort(key=lambda a: order.get(str(a.pk), len(order)))
    error = ""
    if request.method == "POST":
        chosen_id = request.POST.get("chosen", "")
        chosen = next((a for a in ranked if str(a.pk) == chosen_id), None)
        if chosen_id and chosen is None:
            error = _("Choose one of the alternatives, or none.")
        else:
            try:
                freeze(evaluation, request.user, chosen, request.POST.get("rationale", ""))
            except FreezeError as exc:
                error = str(exc)
            else:
                messages.success(request, _("The decision is recorded and the evaluation frozen."))
                return redirect("evaluation:record", pk=evaluation.pk)
    return render(request, "evaluation/freeze.html", {
        **context(request, evaluation, "decision"), "alternatives": ranked, "error": error,
        "top": outputs["ranking"][0] if outputs["ranking"] else "", "rationale": request.POST.get("rationale", ""),
        "chosen": request.POST.get("chosen", outputs["ranking"][0] if outputs["ranking"] else "")},
        status=400 if error else 200)


@require_GET
def record_page(request: HttpRequest, pk: Any) -> HttpResponse:
    evaluation = load(request, pk)
    record = DecisionRecord.objects.filter(evaluation=evaluation).select_related("chosen", "frozen_by").first()
    if record is None:
        if evaluation.is_frozen:  # pragma: no cover - freezing always writes the record
            return frozen_response(request, evaluation)
        return redirect("evaluation:freeze", pk=evaluation.pk)
    check = recompute(record) if request.GET.get("check") else None
    chosen: Alternative | None = record.chosen
    return render(request, "evaluation/record.html", {
        **context(request, evaluation, "decision"), **_page_context(record.inputs, record.outputs),
        "record": record, "check": check, "chosen": chosen})
