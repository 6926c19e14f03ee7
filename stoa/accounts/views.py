from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from stoa.accounts import two_factor
from stoa.accounts.forms import CodeForm
from stoa.accounts.middleware import SESSION_KEY
from stoa.accounts.tenancy import memberships_of


def safe_next(request: HttpRequest, default: str | None = None) -> str:
    """The ``next`` address given with the request when it is on this site, else DEFAULT (home)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default or reverse(settings.LOGIN_REDIRECT_URL)


def finish_login(request: HttpRequest, user: Any) -> None:
    """The log-in is complete: forget the failed attempts of this user from this address."""
    axes_reset(ip=get_client_ip_address(request), username=user.get_username())


class LoginView(auth_views.LoginView):
    """Password first (Django's view, throttled by django-axes); then the code step when the user has one."""

    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)  # logs in (new session key), still unverified
        user = form.get_user()
        query = urlencode({"next": self.get_success_url()})
        if two_factor.has_two_factor(user):
            return HttpResponseRedirect(f"{reverse('login-code')}?{query}")
        finish_login(self.request, user)
        if two_factor.organisation_requires(user):
            return HttpResponseRedirect(f"{reverse('two-factor-enrol')}?{query}")
        return response


def login_code(request: HttpRequest) -> HttpResponse:
    """The second log-in step: a code from the authenticator app or a recovery code.

    Wrong codes count as failed log-ins for django-axes, so the lock-out covers both steps; once
    locked, the half-open session is closed and the password must be given again after the wait.
    """
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    if user.is_verified() or not two_factor.has_two_factor(user):  # type: ignore[union-attr,attr-defined]
        return redirect(safe_next(request))
    credentials = {getattr(settings, "AXES_USERNAME_FORM_FIELD", "username"): user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        logout(request)
        return render(request, "registration/locked_out.html", status=429)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = form.checked(lambda code: two_factor.verify_code(user, code))
        if device is not None:
            otp_login(request, device)
            request.session.cycle_key()  # a new session key for the fully logged-in session too
            finish_login(request, user)
            if isinstance(device, StaticDevice):
                messages.warning(request, _("You used a recovery code; %(n)d left. Make new ones on your "
                                            "Security page.") % {"n": two_factor.recovery_codes_left(user)})
            return redirect(safe_next(request))
        if not form.errors:
            form.add_error("code", _("This code is not valid. Check the time on your phone, or use a recovery code."))
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            logout(request)
            return render(request, "registration/locked_out.html", status=429)
    return render(request, "registration/login_code.html", {"form": form, "next": safe_next(request)})


@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    """Make another of the user's organisations the active one."""
    wanted = request.POST.get("organisation", "")
    if wanted not in {str(pk) for pk in memberships_of(request.user)}:
        return HttpResponseBadRequest(_("You are not a member of that organisation."))
    request.session[SESSION_KEY] = wanted
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)
