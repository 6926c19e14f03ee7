"""Holds a session at the two-factor step until it is passed.

* A user with an authenticator app whose session has not given a code yet (password only) reaches
  only the code page, log-out and the language switch.
* A member of an organisation that requires two-factor and who has not set it up reaches only the
  enrolment page, log-out and the language switch.

API calls in such a session get a 403 with the reason; calls authenticated by token carry no session
user here and are judged by the token authentication instead.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from stoa.accounts import two_factor

CODE_PAGE = "login-code"
ENROL_PAGE = "two-factor-enrol"
ALWAYS_OPEN = ("logout", "set_language")


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or user.is_verified():  # type: ignore[union-attr,attr-defined]
            return self.get_response(request)
        if two_factor.has_two_factor(user):
            return self._hold(request, CODE_PAGE, _("Give the code from your authenticator app first."))
        if two_factor.organisation_requires(user):
            return self._hold(request, ENROL_PAGE, _(
                "Your organisation requires two-factor authentication: set it up first."))
        return self.get_response(request)

    def _hold(self, request: HttpRequest, page: str, reason: str) -> HttpResponse:
        open_paths = {reverse(name) for name in (page, *ALWAYS_OPEN)}
        if request.path in open_paths:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": reason}, status=403)
        target = reverse(page)
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
