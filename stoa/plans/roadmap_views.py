"""The guided road map page: every public space of the organisation through the method's six steps."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stoa.plans.roadmap import DONE, STARTED, STEPS, city_road


def roadmap(request: HttpRequest) -> HttpResponse:
    organisation = getattr(request, "organisation", None)
    roads = city_road(organisation) if organisation is not None else []
    return render(request, "plans/roadmap.html", {"roads": roads, "steps": [str(s) for s in STEPS],
                                                  "DONE": DONE, "STARTED": STARTED,
                                                  "step_count": len(STEPS)})
