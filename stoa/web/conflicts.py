"""Pages answer a save that lost a race with another person's (``VersionConflict``) with 409.

Forms catch a stale version while validating (``stoa.web.versioned_forms``); this covers the
moment between that check and the write, so the person gets an explanation, not a server error.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

from stoa.accounts.versioning import VersionConflict


class VersionConflictMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, VersionConflict):
            return None
        message = _("Someone else saved this at the same moment, so your change was not saved. "
                    "Go back, reload the page to see their version, and make your change again.")
        return HttpResponse(f'<div class="alert alert-warning" role="alert">{escape(message)}</div>', status=409)
