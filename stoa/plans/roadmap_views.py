"""The guided road map page: every public space of the organisation through the method's six steps."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from stoa.plans.roadmap import DONE, STARTED, STEPS, road_sites, roads_of
from stoa.sites.models import Site
from stoa.web.paging import paginate


def roadmap(request: HttpRequest) -> HttpResponse:
    organisation = getattr(request, "organisation", None)
    # A city has thousands of public spaces: the roads of one page of them are worked out.
    paged = paginate(request, road_sites(organisation) if organisation is not None else Site.objects.none())
    return render(request, "plans/roadmap.html", {"roads": roads_of(paged.items), "steps": [str(s) for s in STEPS],
                                                  "DONE": DONE, "STARTED": STARTED, **paged.context(),
                                                  # translated once, not in each of the page's 300 cells
                                                  "words": {"done": _("done"), "started": _("started"),
                                                            "todo": _("not started")},
                                                  "step_count": len(STEPS)})
