"""What the map scripts draw, as plain JSON-ready data (passed to the page with ``json_script``)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from stoa.accounts.tenancy import memberships_of
from stoa.library.models import ReferenceObject
from stoa.sites.models import AccessPoint, Site, Zone

DEFAULT_COLOUR = "#6c757d"
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")

# Priority bands on the 0–100 scale. Colours pass WCAG 3:1 against the map background and
# are always shown with their words (legend, tooltip, table).
PRIORITY_BANDS = [
    (75, "very-high", "#7b1113"),
    (50, "high", "#c0392b"),
    (25, "medium", "#b86e00"),
    (0, "low", "#2e7d32"),
]


def band_label(key: str) -> str:
    return {"very-high": _("very high"), "high": _("high"), "medium": _("medium"), "low": _("low")}[key]


def priority_band(score: int) -> dict[str, str]:
    for floor, key, colour in PRIORITY_BANDS:
        if score >= floor:
            return {"key": key, "label": band_label(key), "colour": colour}
    raise ValueError(score)


def category_colour(category: ReferenceObject | None) -> str:
    colour = (category.data or {}).get("colour") if category is not None else None
    return colour if isinstance(colour, str) and _HEX.match(colour) else DEFAULT_COLOUR


def _geometry_of(site: Site) -> dict[str, Any] | None:
    if site.boundary:
        return site.boundary
    if site.lon is not None and site.lat is not None:
        return {"type": "Point", "coordinates": [site.lon, site.lat]}
    return None


def site_features(sites: Iterable[Site], request: HttpRequest) -> dict[str, Any]:
    """A FeatureCollection of SITES for the map; sites without any geometry are left out."""
    mine = memberships_of(request.user)
    features = []
    for site in sites:
        geom = _geometry_of(site)
        if geom is None:
            continue
        band = priority_band(site.priority)
        features.append({
            "type": "Feature",
            "geometry": geom,
            "properties": {
                "id": str(site.pk),
                "name": site.name,
                "category": site.category.label(),
                "colour": category_colour(site.category),
                "priority": site.priority,
                "band": band["key"],
                "band_label": band["label"],
                "band_colour": band["colour"],
                "shared": site.organisation_id not in mine,
                "url": reverse("sites:detail", args=[site.pk]),
            },
        })
    return {"type": "FeatureCollection", "features": features}


def priority_legend() -> list[dict[str, str]]:
    bands = [(floor, key, colour) for floor, key, colour in PRIORITY_BANDS]
    ceilings = [100] + [floor - 1 for floor, _k, _c in bands[:-1]]
    return [{"label": f"{band_label(key)} ({floor}–{ceiling})", "colour": colour}
            for (floor, key, colour), ceiling in zip(bands, ceilings, strict=True)]


def zone_features(zones: Iterable[Zone]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": z.geometry, "properties": {"id": str(z.pk), "name": z.name}}
        for z in zones
    ]}


def access_point_features(points: Iterable[AccessPoint]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": p.geometry, "properties": {
            "id": str(p.pk), "name": p.name, "kind": p.kind, "kind_label": str(p.get_kind_display()),
            "width": p.width_m,
        }}
        for p in points
    ]}


def map_config(request: HttpRequest) -> dict[str, Any]:
    """Tiles (when configured), the city outline and the words the map scripts show."""
    org = getattr(request, "organisation", None)
    return {
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "outline": org.outline if org is not None else None,
        "lang": (getattr(request, "LANGUAGE_CODE", None) or "en")[:2],
        "labels": {
            "legend": _("Legend"),
            "zoom_in": _("Zoom in"),
            "zoom_out": _("Zoom out"),
            "category": _("Category"),
            "priority": _("Priority"),
            "city_outline": _("City outline"),
            "open": _("Open"),
            "shared": _("shared with you"),
            "boundary": _("Boundary"),
            "zone": _("Zone"),
            "access_point": _("Access point"),
            "width": _("width %(metres)s m"),
            "drawn": _("Shape drawn on the map. Fill in the remaining fields and save."),
            "bad_text": _("The text is not a shape the map can show yet."),
            "draw_hint": _("Click on the map to add corners; click the first corner to finish."),
            "place_hint": _("Click on the map to place the point."),
            "edit_hint": _("Drag the corners or the marker on the map to change the shape, then save."),
        },
    }
