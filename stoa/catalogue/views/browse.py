"""Browse, one measure, side-by-side comparison. Everyone in an organisation may read its catalogue."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import allowed_actions, can
from stoa.catalogue import vocabulary
from stoa.catalogue.browse import FACETS, browse, labels
from stoa.catalogue.entries import CatalogueEntry, catalogue_for
from stoa.library.presentation import term

MAX_COMPARED = 6


def _organisation(request: HttpRequest) -> Any:
    return getattr(request, "organisation", None)


def describe(entry: CatalogueEntry, names: dict[str, dict[str, str]]) -> dict[str, Any]:
    """ENTRY's fields as labelled text, for the measure page and the comparison."""
    data = entry.data
    cost = data.get("cost") or {}
    return {
        "entry": entry,
        "category": names["category"].get(data.get("technology_category", ""), ""),
        "type": vocabulary.SOLUTION_TYPES.get(data.get("solution_type", ""), ""),
        "timing": vocabulary.TIMINGS.get(data.get("timing", ""), ""),
        "application": [vocabulary.APPLICATIONS.get(a, a) for a in data.get("application", [])],
        "phases": [names["phase"].get(p, p) for p in data.get("phases", [])],
        "uses": [names["use"].get(u, u) for u in data.get("uses", [])],
        "effects": [{"threat": label, "likelihood": round(likelihood * 100), "consequence": round(consequence * 100),
                     "basis": entry.basis_for(ref)}
                    for ref, label in names["threat"].items() for likelihood, consequence in [entry.effect_on(ref)]],
        "capital": cost.get("capital_eur", [0, 0]), "yearly": cost.get("yearly_eur", [0, 0]),
        "cost_basis": _term(cost.get("basis")),
        "deploy": data.get("deploy_days", [0, 0]), "trl": data.get("trl"),
        "privacy": vocabulary.IMPACTS.get(data.get("privacy", ""), ""), "gdpr": data.get("gdpr"),
        "legal": entry.text("legal"),
        "normal_use": vocabulary.IMPACTS.get(data.get("normal_use_impact", ""), ""),
        "aesthetic": vocabulary.IMPACTS.get(data.get("aesthetic_impact", ""), ""),
        "accessibility": vocabulary.IMPACTS.get(data.get("accessibility_impact", ""), ""),
        "standards": data.get("standards", []),
        "sources": (entry.shipped.data.get("sources", []) if entry.shipped else []),
    }


def _term(value: Any) -> str:
    return term(value) if isinstance(value, dict) else ""


@require_http_methods(["GET"])
def catalogue_page(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    catalogue = catalogue_for(organisation)
    chosen = {facet: request.GET.getlist(facet) for facet in FACETS if request.GET.getlist(facet)}
    query = request.GET.get("q", "").strip()[:200]
    result = browse(catalogue, query, chosen)
    context = {"result": result, "query": query, "chosen": chosen,
               "can_add": organisation is not None and can(request.user, Action.ADD, organisation)}
    template = "catalogue/partials/results.html" if request.htmx else "catalogue/list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@require_http_methods(["GET"])
def measure_page(request: HttpRequest, key: str) -> HttpResponse:
    organisation = _organisation(request)
    catalogue = catalogue_for(organisation)
    entry = catalogue.get(key)
    if entry is None:
        raise Http404
    allowed = set()
    if entry.local is not None:
        allowed = allowed_actions(entry.local, request.user)
    return render(request, "catalogue/measure.html", {
        "m": describe(entry, labels()), "allowed": allowed,
        "can_adapt": entry.shipped is not None and organisation is not None
        and can(request.user, Action.ADD, organisation)})


@require_http_methods(["GET"])
def compare_page(request: HttpRequest) -> HttpResponse:
    catalogue = catalogue_for(_organisation(request))
    keys = list(dict.fromkeys(request.GET.getlist("m")))[:MAX_COMPARED]
    entries = [e for key in keys if (e := catalogue.get(key)) is not None]
    names = labels()
    described = [describe(e, names) for e in entries]
    rows = [{"threat": threat, "cells": [m["effects"][i] for m in described]}
            for i, threat in enumerate(names["threat"].values())]
    return render(request, "catalogue/compare.html", {
        "measures": described, "effect_rows": rows,
        "too_many": len(request.GET.getlist("m")) > MAX_COMPARED, "max": MAX_COMPARED})
