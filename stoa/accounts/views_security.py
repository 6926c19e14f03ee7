"""A person's Security page: set up, renew recovery codes for, or turn off two-factor authentication."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from stoa.accounts import two_factor
from stoa.accounts.forms import CodeForm
from stoa.accounts.views import safe_next


def _confirmed(request: HttpRequest, form: CodeForm) -> bool:
    """True when FORM carries a valid code of the user (app or recovery); adds the error otherwise."""
    if not form.is_valid():
        return False
    device = form.checked(lambda code: two_factor.verify_code(request.user, code))
    if device is not None:
        return True
    if not form.has_error("code"):  # a wrong code; a throttled one already says so
        form.add_error("code", _("This code is not valid."))
    return False


def _show_codes(request: HttpRequest, codes: list[str]) -> HttpResponse:
    response = render(request, "accounts/recovery_codes.html", {"codes": codes, "next": safe_next(request)})
    response["Cache-Control"] = "no-store"
    return response


def _security_page(request: HttpRequest, codes_form: CodeForm | None = None,
                   off_form: CodeForm | None = None) -> HttpResponse:
    user = request.user
    return render(request, "accounts/security.html", {
        "has_two_factor": two_factor.has_two_factor(user),
        "required": two_factor.organisation_requires(user),
        "codes_left": two_factor.recovery_codes_left(user),
        "codes_form": codes_form or CodeForm(prefix="codes"),
        "off_form": off_form or CodeForm(prefix="off"),
    })


def security(request: HttpRequest) -> HttpResponse:
    return _security_page(request)


@never_cache
def enrol(request: HttpRequest) -> HttpResponse:
    """Show a new secret (QR code and text); a correct code from the app confirms it."""
    user = request.user
    if two_factor.has_two_factor(user):
        messages.info(request, _("Two-factor authentication is already on."))
        return redirect("security")
    device = two_factor.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = form.checked(lambda code: two_factor.confirm_enrolment(user, code))
        if codes is not None:
            device.refresh_from_db()
            otp_login(request, device)  # this session has just proved it holds the app
            request.session.cycle_key()
            messages.success(request, _("Two-factor authentication is on."))
            return _show_codes(request, codes)
        if not form.errors:
            form.add_error("code", _("This code is not valid. Check the time on your phone and try the next code."))
    return render(request, "accounts/enrol.html", {
        "form": form, "qr": two_factor.qr_code_data_uri(device), "secret": two_factor.secret_for_typing(device),
        "required": two_factor.organisation_requires(user), "next": safe_next(request, ""),
    })


@require_POST
@never_cache
def recovery_codes(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST, prefix="codes")
    if not two_factor.has_two_factor(request.user):
        return redirect("security")
    if not _confirmed(request, form):
        return _security_page(request, codes_form=form)
    return _show_codes(request, two_factor.new_recovery_codes(request.user))


@require_POST
def turn_off(request: HttpRequest) -> HttpResponse:
    user = request.user
    if two_factor.organisation_requires(user):
        messages.error(request, _("Your organisation requires two-factor authentication: it cannot be turned off."))
        return redirect("security")
    form = CodeForm(request.POST, prefix="off")
    if not _confirmed(request, form):
        return _security_page(request, off_form=form)
    two_factor.turn_off(user)
    messages.success(request, _("Two-factor authentication is off."))
    return redirect("security")
