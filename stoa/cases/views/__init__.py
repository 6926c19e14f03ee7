"""Case pages: the library and a case's page (``library``), writing one from a finished plan and
editing it (``authoring``), bundle export and import (``bundles``), and the benchmark (``benchmark``).

Every object is loaded through the tenancy mechanism (``get_for_user``): 404 for what the user may
not see, 403 for what their role does not allow. Writing a case needs ``add`` in the plan's
organisation; editing ``change``; removing ``delete``; exporting ``share`` (a bundle leaves the
organisation); importing ``add`` in the active organisation. Imported cases are read-only (409).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stoa.cases.models import CaseStudy


def refused(request: HttpRequest, case: CaseStudy, reason: str, status: int = 409) -> HttpResponse:
    return render(request, "cases/refused.html", {"case": case, "reason": reason}, status=status)
