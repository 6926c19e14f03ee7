"""A city's own catalogue entries: add (from scratch, or adapting a shipped measure), edit, remove."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import can, get_for_user
from stoa.catalogue.forms import LocalMeasureForm
from stoa.catalogue.models import LocalMeasure
from stoa.library.models import ReferenceObject, localised


def _form_page(request: HttpRequest, form: LocalMeasureForm, status: int = 200) -> HttpResponse:
    return render(request, "catalogue/local_form.html", {"form": form, "measure": form.instance,
                                                          "creating": form.instance._state.adding}, status=status)


def _save(request: HttpRequest, form: LocalMeasureForm) -> HttpResponse:
    if not form.is_valid():
        return _form_page(request, form, status=400)
    with transaction.atomic():
        form.save()
    messages.success(request, _("Saved: %(name)s.") % {"name": form.instance.name})
    return redirect(reverse("catalogue:measure", args=[form.instance.key]))


@require_http_methods(["GET", "POST"])
def local_create(request: HttpRequest) -> HttpResponse:
    organisation = getattr(request, "organisation", None)
    if organisation is None or not can(request.user, Action.ADD, organisation):
        raise PermissionDenied(_("Your role does not allow adding records."))
    instance = LocalMeasure(organisation=organisation, created_by=request.user)  # type: ignore[misc]
    base = request.GET.get("based_on", "")
    shipped = ReferenceObject.objects.filter(kind="measure", urn=base).first() if base else None
    if shipped is not None:
        instance.based_on = shipped.urn
        instance.name = localised(shipped, "name")
        instance.description = localised(shipped, "description")
        instance.data = shipped.data
    form = LocalMeasureForm(request.POST or None, instance=instance)
    if request.method == "POST":
        return _save(request, form)
    return _form_page(request, form)


@require_http_methods(["GET", "POST"])
def local_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    measure = get_for_user(LocalMeasure, request.user, Action.CHANGE, pk=pk)
    form = LocalMeasureForm(request.POST or None, instance=measure)
    if request.method == "POST":
        return _save(request, form)
    return _form_page(request, form)


@require_http_methods(["GET", "POST"])
def local_delete(request: HttpRequest, pk: Any) -> HttpResponse:
    measure = get_for_user(LocalMeasure, request.user, Action.DELETE, pk=pk)
    if request.method == "POST":
        measure.delete()
        messages.success(request, _("Removed: %(name)s.") % {"name": measure.name})
        return redirect("catalogue:list")
    return render(request, "catalogue/confirm_delete.html", {"object": measure, "cancel": reverse(
        "catalogue:measure", args=[measure.key])})
