"""Editing what belongs to a site from its page: zones, access points, crowd slots and events.

Each kind is one entry in ``PARTS``; the four share the same thin views. Adding a part changes the
site, so it needs ``change`` on the site; editing a part needs ``change`` on the part and removing
it ``delete`` on the part (shares never grant delete). HTMX requests get the re-rendered section
back; without JavaScript the same URLs answer with a page and a redirect.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from django_htmx.http import reswap, retarget

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import allowed_actions, can, get_for_user
from stoa.core.priority import PriorityResult
from stoa.sites.forms import AccessPointForm, CrowdSlotForm, SiteEventForm, ZoneForm
from stoa.sites.models import AccessPoint, CrowdSlot, Site, SiteEvent, Zone
from stoa.sites.views import mapdata


@dataclass(frozen=True)
class PartKind:
    slug: str  # URL segment, template suffix and form prefix
    model: type[Any]
    form_class: type[forms.ModelForm]
    title: Promise
    add_title: Promise
    draws: str | None = None  # geoman shape drawn on the map for this kind
    draw_label: Promise | None = None
    feeds_priority: bool = False

    @property
    def context_name(self) -> str:
        return self.slug.replace("-", "_")


PARTS: dict[str, PartKind] = {
    "zones": PartKind("zones", Zone, ZoneForm, _("Zones"), _("Add a zone"),
                      draws="Polygon", draw_label=_("Draw the zone on the map")),
    "access-points": PartKind("access-points", AccessPoint, AccessPointForm, _("Access points"),
                              _("Add an access point"), draws="Marker", draw_label=_("Place the point on the map")),
    "crowd": PartKind("crowd", CrowdSlot, CrowdSlotForm, _("Crowd profile"), _("Add a time slot"),
                      feeds_priority=True),
    "events": PartKind("events", SiteEvent, SiteEventForm, _("Events"), _("Add an event"), feeds_priority=True),
}


def part_kind(slug: str) -> PartKind:
    try:
        return PARTS[slug]
    except KeyError as exc:
        raise Http404(slug) from exc


def _add_form(kind: PartKind, site: Site, data: Any = None) -> forms.ModelForm:
    instance = kind.model(site=site, organisation_id=site.organisation_id)
    return kind.form_class(data, instance=instance, prefix=f"{kind.slug}-new")


def _edit_form(kind: PartKind, obj: Any, data: Any = None) -> forms.ModelForm:
    return kind.form_class(data, instance=obj, prefix=f"{kind.slug}-{obj.pk}")


def section_context(request: HttpRequest, kind: PartKind, site: Site, allowed: set[str]) -> dict[str, Any]:
    """Everything one section of the site page needs, under names prefixed by the kind. The add form
    is not among it: the section's button fetches it (``part_add``)."""
    items = list(kind.model._default_manager.for_user(request.user, Action.VIEW).filter(site=site))
    name = kind.context_name
    context: dict[str, Any] = {
        name: items,
        f"{name}_kind": kind,
    }
    if kind.slug == "zones":
        context["zones_geojson"] = mapdata.zone_features(items)
    elif kind.slug == "access-points":
        context["access_points_geojson"] = mapdata.access_point_features(items)
    return context


def priority_reasons(result: PriorityResult) -> list[str]:
    """How each factor of RESULT got its level, in the reader's language."""
    crowd_low, crowd_high = result.rule.crowd_thresholds
    events_low, events_high = result.rule.events_thresholds
    return [
        str(_("crowd %(people)s people at peak → level %(level)s (level 2 from %(low)s, level 3 from %(high)s)"))
        % {"people": result.peak_people, "level": result.crowd_level, "low": crowd_low, "high": crowd_high},
        str(_("symbolic value → level %(level)s")) % {"level": result.symbolic_level},
        ngettext("%(count)s event a year → level %(level)s (level 2 from %(low)s, level 3 from %(high)s)",
                 "%(count)s events a year → level %(level)s (level 2 from %(low)s, level 3 from %(high)s)",
                 result.events_per_year)
        % {"count": result.events_per_year, "level": result.event_level, "low": events_low, "high": events_high},
    ]


def facts_context(request: HttpRequest, site: Site, *, slots: list[Any] | None = None,
                  events: list[Any] | None = None) -> dict[str, Any]:
    """What the key-facts block of a site page shows (also re-sent when the priority changes).
    SLOTS and EVENTS: the site's crowd slots and events, when already read."""
    result = site.compute_priority(slots, events)
    return {
        "band": mapdata.priority_band(site.priority),
        "priority_result": result,
        "priority_reasons": priority_reasons(result),
        "site_colour": mapdata.category_colour(site.category),
        "owner_member": can(request.user, Action.VIEW, site.organisation_id),
    }


def _render_section(request: HttpRequest, kind: PartKind, site: Site, status: str = "") -> HttpResponse:
    site.refresh_from_db()
    allowed = allowed_actions(site, request.user)
    context = {"site": site, "allowed": allowed, "status_message": status, "oob_facts": kind.feeds_priority}
    if kind.feeds_priority:
        context.update(facts_context(request, site))
    context.update(section_context(request, kind, site, allowed))
    return render(request, f"sites/partials/section_{kind.context_name}.html", context)


def _render_form(request: HttpRequest, kind: PartKind, site: Site, form: forms.ModelForm,
                 obj: Any = None) -> HttpResponse:
    context = {"site": site, "kind": kind, "form": form, "obj": obj,
               "title": _("Edit “%(name)s”") % {"name": obj} if obj is not None else kind.add_title}
    if not request.htmx:  # type: ignore[attr-defined]
        return render(request, "sites/form_page.html", context, status=400 if form.errors else 200)
    response = render(request, "sites/partials/part_form.html", context)
    if form.errors:
        # The form was posted to replace the whole section; on errors only the form is redrawn.
        response = retarget(response, f"#{kind.slug}-editor")
        response = reswap(response, "innerHTML")
    return response


def _done(request: HttpRequest, kind: PartKind, site: Site, message: str) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        return _render_section(request, kind, site, message)
    messages.success(request, message)
    return redirect(f"{reverse('sites:detail', args=[site.pk])}#{kind.slug}-heading")


@require_http_methods(["GET"])
def part_section(request: HttpRequest, site_pk: Any, kind: str) -> HttpResponse:
    """One section of the site page, re-rendered (e.g. when an edit is cancelled)."""
    site = get_for_user(Site, request.user, Action.VIEW, pk=site_pk)
    return _render_section(request, part_kind(kind), site)


@require_http_methods(["GET", "POST"])
def part_add(request: HttpRequest, site_pk: Any, kind: str) -> HttpResponse:
    part = part_kind(kind)
    site = get_for_user(Site, request.user, Action.CHANGE, pk=site_pk)
    form = _add_form(part, site, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        obj = form.save()
        return _done(request, part, site, _("Added: %(name)s.") % {"name": obj})
    return _render_form(request, part, site, form)


@require_http_methods(["GET", "POST"])
def part_edit(request: HttpRequest, pk: Any, kind: str) -> HttpResponse:
    part = part_kind(kind)
    obj = get_for_user(part.model, request.user, Action.CHANGE, pk=pk)
    form = _edit_form(part, obj, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        form.save()
        return _done(request, part, obj.site, _("Saved: %(name)s.") % {"name": obj})
    return _render_form(request, part, obj.site, form, obj)


@require_http_methods(["GET", "POST"])
def part_delete(request: HttpRequest, pk: Any, kind: str) -> HttpResponse:
    part = part_kind(kind)
    obj = get_for_user(part.model, request.user, Action.DELETE, pk=pk)
    site = obj.site
    if request.method == "GET":
        return render(request, "sites/confirm.html", {
            "title": _("Remove “%(name)s”?") % {"name": obj},
            "message": _("This removes it from “%(site)s”. The audit trail keeps a record.") % {"site": site},
            "action": request.path, "button": _("Remove"),
            "cancel_url": reverse("sites:detail", args=[site.pk]),
        })
    name = str(obj)
    obj.delete()
    return _done(request, part, site, _("Removed: %(name)s.") % {"name": name})
