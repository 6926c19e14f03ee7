"""Deliberate sharing of one site with another organisation, and withdrawing it.

Only members of the owning organisation see who a site is shared with (need-to-know); a receiving
organisation sees only that the site was shared with it, and how.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_htmx.http import reswap, retarget

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import can, get_for_user, memberships_of
from stoa.sites.forms import ShareForm
from stoa.sites.models import Site, SiteShare
from stoa.sites.views.sections import SiteSection


def shares_context(request: HttpRequest, site: Site, allowed: set[str],
                   form: ShareForm | None = None) -> dict[str, Any]:
    owner_member = can(request.user, Action.VIEW, site.organisation_id)
    received = [] if owner_member else list(
        site.shares.filter(organisation_id__in=list(memberships_of(request.user))).select_related("organisation"))
    return {
        "owner_member": owner_member,
        "shares": list(site.shares.select_related("organisation", "shared_by")) if owner_member else [],
        "received_shares": received,
        "share_form": form,  # a failed share; otherwise the section offers a button that fetches the form
    }


SECTION = SiteSection("sites/partials/section_shares.html", "shares-heading", shares_context)


def _form_page(request: HttpRequest, site: Site, form: ShareForm, status: int = 200) -> HttpResponse:
    return render(request, "sites/form_page.html", {
        "site": site, "form": form, "title": _("Share with another organisation"), "action": request.path,
        "submit_label": _("Share"),
    }, status=status)


@require_http_methods(["GET", "POST"])
def share_add(request: HttpRequest, site_pk: Any) -> HttpResponse:
    """Share the site; sharing again with the same organisation changes the access and reason.
    GET: the form, into the site page's #share-editor (HTMX) or on a page of its own."""
    site = get_for_user(Site, request.user, Action.SHARE, pk=site_pk)
    if request.method == "GET":
        form = ShareForm(site=site, prefix="share")
        if request.htmx:  # type: ignore[attr-defined]
            return render(request, "sites/partials/share_form.html", {"site": site, "share_form": form})
        return _form_page(request, site, form)
    form = ShareForm(request.POST, site=site, prefix="share")
    if not form.is_valid():
        if request.htmx:  # type: ignore[attr-defined]
            return reswap(retarget(SECTION.render(request, site, form), "#shares-section"), "outerHTML")
        return _form_page(request, site, form, status=400)
    data = form.cleaned_data
    with transaction.atomic():
        SiteShare.objects.update_or_create(
            site=site, organisation=data["organisation"],
            defaults={"access": data["access"], "reason": data["reason"], "shared_by": request.user},
        )
    return SECTION.done(request, site, _("Shared with %(org)s.") % {"org": data["organisation"].name})


@require_http_methods(["GET", "POST"])
def share_remove(request: HttpRequest, site_pk: Any, share_pk: int) -> HttpResponse:
    site = get_for_user(Site, request.user, Action.SHARE, pk=site_pk)
    share = get_object_or_404(SiteShare.objects.select_related("organisation"), pk=share_pk, site=site)
    if request.method == "GET":
        return render(request, "sites/confirm.html", {
            "title": _("Stop sharing with %(org)s?") % {"org": share.organisation.name},
            "message": _("Members of %(org)s will no longer see “%(site)s”.") % {
                "org": share.organisation.name, "site": site.name},
            "action": request.path, "button": _("Stop sharing"),
            "cancel_url": reverse("sites:detail", args=[site.pk]),
        })
    name = share.organisation.name
    share.delete()
    return SECTION.done(request, site, _("No longer shared with %(org)s.") % {"org": name})
