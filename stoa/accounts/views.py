from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stoa.accounts.middleware import SESSION_KEY
from stoa.accounts.tenancy import memberships_of


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True


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
