"""Pages for the public spaces themselves: list and map, detail, create, edit, delete."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DeleteView, DetailView, ListView, UpdateView

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import can
from stoa.sites.forms import SiteForm
from stoa.sites.models import AccessKind, Site
from stoa.sites.views import mapdata
from stoa.sites.views.attachments import attachments_context
from stoa.sites.views.listing import filtered_sites
from stoa.sites.views.parts import PARTS, facts_context, section_context
from stoa.sites.views.shares import shares_context
from stoa.web.paging import paginate
from stoa.web.views.base import OrgCreateMixin, OrgScopedMixin


class SiteListView(OrgScopedMixin, ListView):
    """The map of every space the user may see, with a searchable, sortable table beside it."""

    model = Site
    template_name = "sites/list.html"
    context_object_name = "sites"

    def get_queryset(self) -> QuerySet:
        # The table shows neither outlines nor descriptions (the map has its own feed): large columns
        # that fifty rows would read and decode for nothing.
        self.visible = super().get_queryset().select_related("category", "organisation").defer(
            "boundary", "description", "organisation__outline")
        self.listing = filtered_sites(self.visible, self.request)
        return self.listing.queryset

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False) and not self.request.htmx.boosted:  # type: ignore[attr-defined]
            return ["sites/partials/site_results.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        org = getattr(self.request, "organisation", None)
        paged = paginate(self.request, self.listing.queryset)
        sites = paged.items
        for site in sites:
            site.map_colour = mapdata.category_colour(site.category)
            site.band_label = mapdata.priority_band(site.priority)["label"]
        # The map shows every space the filters keep, not only this page of the table: it loads
        # them from its own address (mapfeed), so this page stays small.
        map_query = self.request.GET.copy()
        for key in ("page", "sort"):
            map_query.pop(key, None)
        context.update(
            sites=sites,
            site_count=paged.page.paginator.count,
            listing=self.listing,
            has_any=bool(sites) or self.visible.exists(),
            can_add=org is not None and can(self.request.user, Action.ADD, org),
            map_url=f"{reverse('sites:map-data')}?{map_query.urlencode()}".rstrip("?"),
            map_config=mapdata.map_config(self.request),
            priority_legend=mapdata.priority_legend(),
            **paged.context(),
        )
        return context


class SiteFormMixin:
    """Shared by create and edit: the form knows the city (to catch swapped coordinates)."""

    request: HttpRequest
    object: Site | None

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["organisation"] = getattr(self.object, "organisation", None) or self.request.organisation  # type: ignore[attr-defined]
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        others = Site.objects.for_user(self.request.user, Action.VIEW).select_related("category")
        if self.object is not None:
            others = others.exclude(pk=self.object.pk)
        context["context_features"] = mapdata.site_features(others, self.request)
        context["map_config"] = mapdata.map_config(self.request)
        return context

    def get_success_url(self) -> str:
        assert self.object is not None
        return reverse("sites:detail", args=[self.object.pk])


class SiteCreateView(OrgCreateMixin, SiteFormMixin, CreateView):
    model = Site
    form_class = SiteForm
    template_name = "sites/form.html"

    def form_valid(self, form: SiteForm) -> HttpResponse:
        form.instance.organisation = self.request.organisation  # type: ignore[attr-defined]
        response = super().form_valid(form)
        messages.success(self.request, _("“%(name)s” was added. Now add its zones and access points.")
                         % {"name": form.instance.name})
        return response


class SiteUpdateView(OrgScopedMixin, SiteFormMixin, UpdateView):
    model = Site
    form_class = SiteForm
    template_name = "sites/form.html"
    required_action = Action.CHANGE

    def form_valid(self, form: SiteForm) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your changes to “%(name)s” were saved.") % {"name": form.instance.name})
        return response


class SiteDeleteView(OrgScopedMixin, DeleteView):
    model = Site
    required_action = Action.DELETE
    template_name = "sites/confirm.html"
    success_url = reverse_lazy("sites:list")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            title=_("Delete “%(name)s”?") % {"name": self.object.name},
            message=_("This deletes the public space with its zones, access points, crowd profile, events, "
                      "photos and plans, and withdraws its shares. The audit trail keeps a record."),
            action=self.request.path, button=_("Delete"),
            cancel_url=reverse("sites:detail", args=[self.object.pk]),
        )
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        files = [a.file for a in self.object.attachments.all()]
        name = self.object.name
        with transaction.atomic():
            response = super().form_valid(form)
            # Files go only once the rows are gone for good.
            transaction.on_commit(lambda: [f.delete(save=False) for f in files])
        messages.success(self.request, _("“%(name)s” was deleted.") % {"name": name})
        return response


class SiteDetailView(OrgScopedMixin, DetailView):
    model = Site
    template_name = "sites/detail.html"
    context_object_name = "site"
    related = ("category", "organisation")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        site = self.object
        for kind in PARTS.values():
            context.update(section_context(self.request, kind, site, context["allowed"]))
        context.update(attachments_context(self.request, site, context["allowed"]))
        context.update(shares_context(self.request, site, context["allowed"]))
        # The priority is worked out from the crowd slots and events the sections have just read.
        context.update(facts_context(self.request, site, slots=context["crowd"], events=context["events"]))
        context.update(
            access_kinds=[{"kind": value, "label": str(label)} for value, label in AccessKind.choices],
            site_features=mapdata.site_features([site], self.request),
            map_config=mapdata.map_config(self.request),
        )
        return context
