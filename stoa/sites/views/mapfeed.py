"""The inventory map's data: every public space the user may see, narrowed by the list page's
filters, as GeoJSON that the map loads after the page. The page itself then stays small however
many public spaces the city has, and its table can show them a page at a time.

Outlines are lightened for an overview (``geometry.overview_outline``); the words and colours
every feature shares (categories, priority bands) are sent once, not once per feature. The answer
depends on who asks, so it is private, and it carries an ETag: a browser coming back to the list
revalidates it and gets "304 Not Modified" when nothing changed.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import conditional_page, require_GET

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import memberships_of
from stoa.core import geometry
from stoa.library.models import ReferenceObject
from stoa.sites.models import Site
from stoa.sites.views import mapdata
from stoa.sites.views.listing import filtered_sites


def _geometry(boundary: Any, lon: float | None, lat: float | None) -> dict[str, Any] | None:
    if boundary:
        try:
            return geometry.overview_outline(boundary)
        except (ValueError, TypeError, KeyError, AttributeError, IndexError):
            pass  # an outline shapely cannot read is shown at its centre, as a site without one
    if lon is not None and lat is not None:
        return {"type": "Point", "coordinates": [lon, lat]}
    return None


def _band(score: int) -> int:
    return next(i for i, (floor, _key, _colour) in enumerate(mapdata.PRIORITY_BANDS) if score >= floor)


def map_features(request: HttpRequest) -> dict[str, Any]:
    """The FeatureCollection the list page's map draws; sites without any geometry are left out."""
    listing = filtered_sites(Site.objects.for_user(request.user, Action.VIEW), request)
    rows = listing.queryset.order_by("name", "pk").values_list(
        "pk", "name", "boundary", "lon", "lat", "priority_score", "priority_override", "organisation_id",
        "category_id")
    mine = memberships_of(request.user)
    categories: dict[Any, int] = {}
    features = []
    for pk, name, boundary, lon, lat, score, override, org_id, category_id in rows:
        geom = _geometry(boundary, lon, lat)
        if geom is None:
            continue
        priority = override if override is not None else score
        properties: dict[str, Any] = {"name": name, "category": categories.setdefault(category_id, len(categories)),
                                      "priority": priority, "band": _band(priority)}
        if org_id not in mine:
            properties["shared"] = True
        features.append({"type": "Feature", "id": str(pk), "geometry": geom, "properties": properties})
    found = {c.pk: c for c in ReferenceObject.objects.filter(pk__in=list(categories))}
    return {
        "type": "FeatureCollection",
        "categories": [{"label": found[pk].label(), "colour": mapdata.category_colour(found[pk])}
                       for pk in categories],
        "bands": [{"key": key, "label": mapdata.band_label(key), "colour": colour}
                  for _floor, key, colour in mapdata.PRIORITY_BANDS],
        "features": features,
    }


@require_GET
@conditional_page
def map_data(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(map_features(request), json_dumps_params={"separators": (",", ":")})
    patch_cache_control(response, private=True, no_cache=True)
    return response
