"""Password reset by email: Django's views, with Stoa's templates and a per-address throttle.

The answer is the same whether or not an account has the address (Django's view already does
that); the throttle counts requests per client address and, silently, emails per email address,
so it cannot be used to learn which addresses exist nor to flood someone's mailbox.
"""

from __future__ import annotations

import hashlib
from typing import Any

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse_lazy

WINDOW_SECONDS = 3600


def over_limit(scope: str, who: str) -> bool:
    """Count one request of WHO in SCOPE for the hour; True once more than the allowed number came."""
    key = "stoa-throttle:" + scope + ":" + hashlib.sha256(who.encode()).hexdigest()
    if cache.add(key, 1, WINDOW_SECONDS):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW_SECONDS)
            count = 1
    return count > settings.STOA_PASSWORD_RESET_PER_HOUR


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        if over_limit("password-reset-ip", get_client_ip_address(request) or "unknown"):
            return render(request, "registration/password_reset_throttled.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        if over_limit("password-reset-email", form.cleaned_data["email"].strip().lower()):
            return HttpResponseRedirect(self.get_success_url())  # the same answer, no email
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")
