"""The list page's search, filters and sortable columns, on top of the shared ``SiteFilter``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stoa.accounts.tenancy import memberships_of
from stoa.sites.filters import SiteFilter

# Column → (sort when first chosen, the opposite sort or None when the column sorts one way only).
COLUMNS: list[tuple[str, Promise, str | None, str | None]] = [
    ("name", _("Name"), "name", "-name"),
    ("category", _("Category"), "category", None),
    ("priority", _("Priority"), "-priority", "priority"),
    ("area", _("Area"), "-area", "area"),
    ("ownership", _("Owner type"), None, None),
]


class SiteListFilter(SiteFilter):
    """The shared filter, with the owning organisation offered as a choice instead of typed.

    The choices are the organisations whose sites the user can already see (their own, and those
    that shared with them), so the list says "ours" or "shared by ..." in words.
    """

    organisation = django_filters.ChoiceFilter(
        field_name="organisation__slug", label=_("Ours or shared"), empty_label=_("Ours and shared"), choices=[],
    )

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        mine = memberships_of(request.user)
        owners = (self.queryset.order_by().values_list("organisation_id", "organisation__slug", "organisation__name")
                  .distinct())
        choices = []
        for org_id, slug, name in sorted(owners, key=lambda row: (row[0] not in mine, row[2])):
            label = gettext("Ours: %(org)s") if org_id in mine else gettext("Shared by %(org)s")
            choices.append((slug, label % {"org": name}))
        self.filters["organisation"].extra["choices"] = choices


@dataclass
class Listing:
    queryset: QuerySet
    form: forms.Form
    sort: str
    querystring: str
    my_org_ids: set[Any]
    columns: list[dict[str, Any]] = field(default_factory=list)


def _style(form: forms.Form) -> None:
    for name, form_field in form.fields.items():
        widget = form_field.widget
        widget.attrs["class"] = "form-select form-select-sm" if isinstance(widget, forms.Select) \
            else "form-control form-control-sm"
        if name == "q":
            widget.input_type = "search"  # type: ignore[attr-defined]
            # Results follow the typing, after a pause; the rest of the form goes along.
            widget.attrs.update({
                "autocomplete": "off", "hx-get": reverse("sites:list"), "hx-include": "#site-filters",
                "hx-trigger": "input changed delay:400ms, search", "hx-target": "#site-results", "hx-push-url": "true",
            })
    if "sort" in form.fields:
        # Re-sent out of band after a column header is used, so the select shows the sort in force.
        form.fields["sort"].widget.attrs["hx-swap-oob"] = "true"


def filtered_sites(visible: QuerySet, request: HttpRequest) -> Listing:
    """VISIBLE (already scoped to the user) narrowed and sorted by the request's query string."""
    params = request.GET.copy()
    params.pop("page", None)  # a new sort or the export starts from the first page, not the one being read
    site_filter = SiteListFilter(params or None, queryset=visible, request=request)
    form = site_filter.form
    _style(form)
    queryset = site_filter.qs
    sort = form.cleaned_data.get("sort", "") if form.is_bound and form.is_valid() else ""
    sort = sort or "name"
    return Listing(
        queryset=queryset, form=form, sort=sort, querystring=_clean_query(params),
        my_org_ids=set(memberships_of(request.user)), columns=_columns(params, sort),
    )


def _clean_query(params: QueryDict) -> str:
    kept = params.copy()
    for key in list(kept):
        if not any(value.strip() for value in kept.getlist(key)):
            del kept[key]
    return kept.urlencode()


def _columns(params: QueryDict, sort: str) -> list[dict[str, Any]]:
    base = reverse("sites:list")
    columns = []
    for key, label, first, opposite in COLUMNS:
        sorted_here = sort in {first, opposite} and first is not None
        column: dict[str, Any] = {"key": key, "label": label, "sorted": sorted_here, "sort_url": None}
        if first is not None:
            target = opposite if sorted_here and sort == first and opposite else first
            query = params.copy()
            query["sort"] = target
            column["sort_url"] = f"{base}?{_clean_query(query)}"
        if sorted_here:
            column["aria_sort"] = "descending" if sort.startswith("-") else "ascending"
        columns.append(column)
    return columns
