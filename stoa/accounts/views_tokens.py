"""A person's API tokens: list, create (the key is shown once), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from stoa.accounts import api_tokens
from stoa.accounts.forms import ApiTokenForm
from stoa.accounts.models import ApiToken


@never_cache
def token_list(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = api_tokens.create_token(request.user, form.cleaned_data["name"],
                                                 form.cleaned_data["expires_at"])
        form = ApiTokenForm()
    response = render(request, "accounts/tokens.html", {
        "tokens": ApiToken.objects.filter(user_id=request.user.pk or 0), "form": form, "new_key": new_key,
        "now": timezone.now(),
    })
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user_id=request.user.pk)
    api_tokens.revoke(token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("tokens")
