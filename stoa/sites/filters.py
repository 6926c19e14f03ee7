"""The filters of the list of public spaces, shared by the HTML list and the API.

``SiteFilter(request.GET, queryset=Site.objects.for_user(user))`` narrows an already scoped
queryset; it never widens it. Parameters: ``q`` (words in the name, description or owner),
``category`` (id, e.g. SQUARE), ``ownership``, ``organisation`` (short name) and ``sort``.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from stoa.library.cached import in_order
from stoa.sites.models import Ownership, Site

SORTS = {
    "name": ("name",),
    "-name": ("-name",),
    "category": ("category__order", "name"),
    "-priority": ("-priority_value", "name"),
    "priority": ("priority_value", "name"),
    "-area": ("-area_m2", "name"),
    "area": ("area_m2", "name"),
    "-updated": ("-updated_at",),
}
SORT_CHOICES = [
    ("name", _("Name, A to Z")),
    ("-name", _("Name, Z to A")),
    ("category", _("Category")),
    ("-priority", _("Priority, highest first")),
    ("priority", _("Priority, lowest first")),
    ("-area", _("Area, largest first")),
    ("area", _("Area, smallest first")),
    ("-updated", _("Recently changed")),
]


def category_choices() -> list[tuple[str, str]]:
    """(ref_id, name in the active language) of every loaded PSOI category, each id once."""
    choices: dict[str, str] = {}
    for obj in in_order("psoi_category", ties="pk"):
        choices.setdefault(obj.ref_id, obj.label())
    return list(choices.items())


class SiteFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_words", label=_("Search"),
                                  help_text=_("Words in the name, description or owner."))
    # Categories are library content: a callable, so they are read each time the form is used
    # (a field built once, e.g. by the API schema generator, still sees categories loaded later).
    category = django_filters.ChoiceFilter(method="filter_category", label=_("Category"), choices=category_choices,
                                           empty_label=_("All categories"))
    ownership = django_filters.ChoiceFilter(choices=Ownership.choices, label=_("Owner type"),
                                            empty_label=_("Any owner"))
    organisation = django_filters.CharFilter(field_name="organisation__slug", label=_("Organisation"),
                                             help_text=_("Short name of the owning organisation."))
    sort = django_filters.ChoiceFilter(method="sort_by", choices=SORT_CHOICES, label=_("Sort by"),
                                       empty_label=_("Name, A to Z"))

    class Meta:
        model = Site
        fields = ["q", "category", "ownership", "organisation", "sort"]

    def filter_words(self, queryset: QuerySet[Site], name: str, value: str) -> QuerySet[Site]:
        for word in value.split():
            queryset = queryset.filter(
                Q(name__icontains=word) | Q(description__icontains=word) | Q(owner_name__icontains=word)
            )
        return queryset

    def filter_category(self, queryset: QuerySet[Site], name: str, value: str) -> QuerySet[Site]:
        return queryset.filter(category__ref_id=value)

    def sort_by(self, queryset: QuerySet[Site], name: str, value: str) -> QuerySet[Site]:
        order = SORTS.get(value)
        if not order:
            return queryset
        return queryset.annotate(priority_value=Coalesce("priority_override", "priority_score")).order_by(*order)
