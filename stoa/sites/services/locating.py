"""Where an organisation's city lies, so that coordinates given latitude first can be caught."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg

from stoa.accounts.models import Organisation
from stoa.core import geometry


def reference_for_organisation(organisation: Organisation, exclude_site: Any = None) -> geometry.Reference | None:
    """The centre of ORGANISATION's city outline; without a usable outline, the mean position of
    its sites (leaving out EXCLUDE_SITE, the one being edited); None when neither exists."""
    if organisation.outline:
        try:
            lon, lat = geometry.centroid(geometry.parse(organisation.outline, ("Polygon", "MultiPolygon")))
        except geometry.GeometryError:
            pass
        else:
            return geometry.Reference(lon=lon, lat=lat)
    from stoa.sites.models import Site

    # A service, not a view: the organisation here is already the one the caller may act for.
    sites = Site.objects.filter(organisation=organisation, lon__isnull=False, lat__isnull=False)
    if exclude_site is not None:
        sites = sites.exclude(pk=exclude_site)
    mean = sites.aggregate(lon=Avg("lon"), lat=Avg("lat"))
    if mean["lon"] is None or mean["lat"] is None:
        return None
    return geometry.Reference(lon=float(mean["lon"]), lat=float(mean["lat"]))
