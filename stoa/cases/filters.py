"""The filter of the case library, shared by the HTML list and the API.

``CaseFilter(request.GET, queryset=CaseStudy.objects.for_user(user))`` narrows an already scoped
queryset; it never widens it. Parameters: ``category`` (ref id, e.g. SQUARE), ``threat`` (ref id,
e.g. VEHICLE) and ``origin`` (``own`` or ``imported``).
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from stoa.cases.models import CaseStudy
from stoa.library.models import ReferenceObject


def _choices(kind: str) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for o in ReferenceObject.objects.filter(kind=kind).order_by("order", "ref_id"):
        seen.setdefault(o.ref_id, o.label())
    return list(seen.items())


class CaseFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(label=_("Category of public space"), field_name="category__ref_id",
                                           choices=lambda: _choices("psoi_category"), empty_label=_("All"))
    threat = django_filters.ChoiceFilter(label=_("Threat type"), field_name="threats__ref_id", distinct=True,
                                         choices=lambda: _choices("threat_type"), empty_label=_("All"))
    origin = django_filters.ChoiceFilter(label=_("Origin"), method="by_origin", empty_label=_("All"),
                                         choices=[("own", _("Written here")), ("imported", _("Imported"))])

    class Meta:
        model = CaseStudy
        fields = ["category", "threat", "origin"]

    def by_origin(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(imported_at__isnull=value == "own")
