"""A section of the site page (attachments, shares...) that HTMX forms re-render in place."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from stoa.accounts.tenancy import allowed_actions
from stoa.sites.models import Site


@dataclass(frozen=True)
class SiteSection:
    template: str
    anchor: str
    context: Callable[[HttpRequest, Site, set[str], Any], dict[str, Any]]

    def render(self, request: HttpRequest, site: Site, form: Any = None, status: str = "") -> HttpResponse:
        allowed = allowed_actions(site, request.user)
        context = {"site": site, "allowed": allowed, "status_message": status}
        context.update(self.context(request, site, allowed, form))
        return render(request, self.template, context)

    def done(self, request: HttpRequest, site: Site, message: str) -> HttpResponse:
        """After a change: the refreshed section for HTMX, else back to the page with a message."""
        if request.htmx:  # type: ignore[attr-defined]
            return self.render(request, site, status=message)
        messages.success(request, message)
        return redirect(f"{reverse('sites:detail', args=[site.pk])}#{self.anchor}")
