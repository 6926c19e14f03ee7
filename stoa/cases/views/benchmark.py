"""The anonymised benchmark of one public space against the cases of its category."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import get_for_user
from stoa.cases.benchmark import benchmark
from stoa.cases.profile import benchmark_chart
from stoa.sites.models import Site


@require_http_methods(["GET"])
def site_benchmark(request: HttpRequest, pk: Any) -> HttpResponse:
    site = get_for_user(Site, request.user, Action.VIEW, pk=pk)
    result = benchmark(site, request.user)
    return render(request, "cases/benchmark.html", {"site": site, "result": result, "svg": benchmark_chart(result)})
