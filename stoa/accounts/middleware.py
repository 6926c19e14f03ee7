"""Puts the user's active organisation on the request (chosen in the header, kept in the session)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from stoa.accounts.models import Organisation
from stoa.accounts.tenancy import organisations_of

SESSION_KEY = "active_organisation"


def active_organisation(request: HttpRequest) -> Organisation | None:
    """The organisation the user works for now: the one chosen, else their first membership."""
    organisations = organisations_of(request.user)
    if not organisations:
        return None
    chosen = request.session.get(SESSION_KEY)
    by_key = {str(pk): org for pk, org in organisations.items()}
    if chosen and chosen in by_key:
        return by_key[chosen]
    return min(organisations.values(), key=lambda org: (org.name, str(org.pk)))


class ActiveOrganisationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.organisation = None  # type: ignore[attr-defined]
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            request.organisation = active_organisation(request)  # type: ignore[attr-defined]
        return self.get_response(request)
