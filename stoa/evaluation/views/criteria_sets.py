"""Criteria sets: the shipped ones (read-only), and the organisation's own (copy, edit, remove).

An own set is seen only by its organisation's members (404 for anyone else); changing it needs
``change`` (viewers 403), copying one ``add``, removing one ``delete``. Evaluations copy their
criteria when they start, so editing or removing a set never changes an evaluation.
"""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import allowed_actions, can, get_for_user
from stoa.evaluation.criteria import CriteriaTree
from stoa.evaluation.forms_criteria import CriteriaSetCopyForm, CriteriaSetEditor
from stoa.evaluation.models import CriteriaSet
from stoa.evaluation.sources import OWN_PREFIX, criteria_source, criteria_sources
from stoa.library.models import ReferenceObject


@require_http_methods(["GET"])
def criteria_set_list(request: HttpRequest) -> HttpResponse:
    organisation = getattr(request, "organisation", None)
    shipped = [{"urn": o.urn, "ref_id": o.ref_id, "label": o.label(), "description": o.label("description"),
                "tree": CriteriaTree(o.data)}
               for o in ReferenceObject.objects.filter(kind="criteria_set").order_by("order", "ref_id")]
    own = CriteriaSet.objects.for_user(request.user, Action.VIEW).filter(organisation=organisation)
    return render(request, "evaluation/criteria_set_list.html", {
        "shipped": shipped, "own": own, "own_prefix": OWN_PREFIX,
        "can_add": organisation is not None and can(request.user, Action.ADD, organisation)})


@require_http_methods(["GET", "POST"])
def criteria_set_create(request: HttpRequest) -> HttpResponse:
    """A new own set, copied from a shipped set (its URN) or an own one (``own:<uuid>``) in ``?from=``."""
    organisation = getattr(request, "organisation", None)
    if organisation is None or not can(request.user, Action.ADD, organisation):
        raise PermissionDenied(_("Your role does not allow adding records."))
    sources = criteria_sources(organisation)
    key = request.GET.get("from") or (sources[0].key if sources else "")
    source = criteria_source(organisation, key)
    if source is None:
        raise Http404(_("No such criteria set."))
    based_on = source.key if source.shipped else CriteriaSet.objects.get(pk=source.key[len(OWN_PREFIX):]).based_on
    instance = CriteriaSet(organisation=organisation, created_by=request.user, based_on=based_on,  # type: ignore[misc]
                           data=copy.deepcopy(source.data), name=_("%(name)s (copy)") % {"name": source.label},
                           description=_("Adapted from “%(name)s”.") % {"name": source.label})
    form = CriteriaSetCopyForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            form.instance.full_clean()
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            form.save()
            messages.success(request, _("Copied into “%(name)s”: adapt it below.") % {"name": form.instance.name})
            return redirect("evaluation:criteria-set", pk=form.instance.pk)
    return render(request, "evaluation/criteria_set_new.html", {"form": form, "source": source},
                  status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
def criteria_set_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    criteria_set = get_for_user(CriteriaSet, request.user, Action.CHANGE if request.method == "POST" else Action.VIEW,
                                pk=pk)
    editor = CriteriaSetEditor(criteria_set, request.POST or None)
    if request.method == "POST":
        if editor.is_valid():
            with transaction.atomic():
                editor.save()
            messages.success(request, _("Saved: %(name)s.") % {"name": criteria_set.name})
            return redirect("evaluation:criteria-set", pk=criteria_set.pk)
        criteria_set.refresh_from_db()  # the form may have set fields on the instance; show what is stored
    return render(request, "evaluation/criteria_set_form.html", {
        "editor": editor, "criteria_set": criteria_set, "tree": criteria_set.tree,
        "allowed": allowed_actions(criteria_set, request.user)}, status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
def criteria_set_delete(request: HttpRequest, pk: Any) -> HttpResponse:
    criteria_set = get_for_user(CriteriaSet, request.user, Action.DELETE, pk=pk)
    if request.method == "POST":
        criteria_set.delete()
        messages.success(request, _("Removed: %(name)s.") % {"name": criteria_set.name})
        return redirect("evaluation:criteria-sets")
    return render(request, "evaluation/criteria_set_confirm_delete.html", {"criteria_set": criteria_set})
