"""Writing public spaces as GeoJSON or CSV, in the layout that ``imports`` reads back.

The caller passes a queryset already narrowed to what the person may see (``for_user``); nothing
here widens it. The organisations' classification labels travel with a GeoJSON export.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.db.models import QuerySet

from stoa.sites.models import Site
from stoa.sites.services.csv_format import TEXT_COLUMNS, escape_cell

PROPERTIES = (
    "id", "organisation", "name", "category", "category_name", "ownership", "owner_name", "description",
    "surroundings", "symbolic_value", "area_m2", "priority",
)
CSV_COLUMNS = (
    "id", "organisation", "name", "category", "category_name", "ownership", "owner_name", "description",
    "surroundings", "symbolic_value", "area_m2", "priority", "lon", "lat", "boundary",
)


def _rows(queryset: QuerySet[Site]) -> list[Site]:
    return list(queryset.select_related("category", "organisation"))


def site_properties(site: Site) -> dict[str, Any]:
    return {
        "id": str(site.pk),
        "organisation": site.organisation.slug,
        "name": site.name,
        "category": site.category.ref_id,
        "category_name": site.category.label(),
        "ownership": site.ownership,
        "owner_name": site.owner_name,
        "description": site.description,
        "surroundings": site.surroundings,
        "symbolic_value": site.symbolic_value,
        "area_m2": site.area_m2,
        "priority": site.priority,
    }


def site_geometry(site: Site) -> dict[str, Any] | None:
    """The boundary; for a site known only as a point, that point; None when it has no location."""
    if site.boundary:
        return site.boundary
    if site.lon is not None and site.lat is not None:
        return {"type": "Point", "coordinates": [site.lon, site.lat]}
    return None


def export_geojson(queryset: QuerySet[Site]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the sites in QUERYSET."""
    sites = _rows(queryset)
    labels = sorted({site.organisation.classification for site in sites if site.organisation.classification})
    collection: dict[str, Any] = {"type": "FeatureCollection"}
    if labels:
        collection["classification"] = " / ".join(labels)  # a foreign member, allowed by RFC 7946
    collection["features"] = [
        {"type": "Feature", "id": str(site.pk), "geometry": site_geometry(site), "properties": site_properties(site)}
        for site in sites
    ]
    return collection


def export_csv(queryset: QuerySet[Site]) -> str:
    """The sites in QUERYSET as CSV text (UTF-8, comma-separated, header row first)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for site in _rows(queryset):
        values = site_properties(site)
        values["lon"], values["lat"] = site.lon, site.lat
        values["boundary"] = json.dumps(site.boundary, separators=(",", ":")) if site.boundary else ""
        writer.writerow([_cell(column, values[column]) for column in CSV_COLUMNS])
    return out.getvalue()


def _cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    if column in TEXT_COLUMNS or column == "category_name":
        return escape_cell(str(value))
    return str(value)


def classification_of(queryset: QuerySet[Site]) -> str:
    """The classification labels of the organisations owning the sites, for a download's name or header."""
    labels = queryset.order_by().values_list("organisation__classification", flat=True).distinct()
    return " / ".join(sorted(label for label in labels if label))
