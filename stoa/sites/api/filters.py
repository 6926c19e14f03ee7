"""Filters of the sites API. The site list uses ``stoa.sites.filters.SiteFilter``, like the page."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from stoa.sites.filters import SiteFilter
from stoa.sites.models import AccessPoint, Attachment, CrowdSlot, SiteEvent, SiteShare, Zone

__all__ = ["SiteFilter", "part_filter"]


def part_filter(part_model: type) -> type[django_filters.FilterSet]:
    """A FilterSet for a model that hangs off a site: ``?site=<id>``.

    The site id is compared as a plain value, not looked up, so asking about a site one may not
    see gives an empty list, exactly like asking about one that does not exist.
    """
    meta = type("Meta", (), {"model": part_model, "fields": ["site"]})
    attrs = {"site": django_filters.UUIDFilter(field_name="site_id", label=_("Site")), "Meta": meta}
    return type(f"{part_model.__name__}Filter", (django_filters.FilterSet,), attrs)


ZoneFilter = part_filter(Zone)
AccessPointFilter = part_filter(AccessPoint)
CrowdSlotFilter = part_filter(CrowdSlot)
SiteEventFilter = part_filter(SiteEvent)
AttachmentFilter = part_filter(Attachment)
SiteShareFilter = part_filter(SiteShare)
