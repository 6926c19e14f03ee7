"""Pages answer a change to a locked (submitted or signed-off) assessment with 409 and a clear message.

The freeze rule itself is enforced by the models (``stoa.assessments.locking``); whichever page
tried the change, this turns the refusal into an explanation instead of a server error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.html import escape

from stoa.assessments.locking import AssessmentLocked


class AssessmentLockedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, AssessmentLocked):
            return None
        if getattr(request, "htmx", False):
            # A fragment for the part of the page that asked; it says why nothing was saved.
            html = f'<div class="alert alert-warning" role="alert">{escape(exception.message)}</div>'
            return HttpResponse(html, status=409)
        context: dict[str, Any] = {"message": exception.message, "assessment_id": exception.assessment_id}
        return HttpResponse(render_to_string("assessments/locked.html", context, request=request), status=409)
