"""GeoJSON geometry checks and metric measures, without Django.

Geometry is stored as GeoJSON in WGS84 (longitude, latitude). Areas and distances are computed in
a Lambert azimuthal equal-area projection centred on the geometry itself, which keeps area errors
negligible at city scale wherever the city is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely import geometry as sg
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity


class GeometryError(ValueError):
    """A geometry that cannot be accepted; the message says why in plain words.

    ``code`` names the fault and ``params`` holds its values, so the web layer can say the same in
    the reader's language (this package stays free of Django and its translations).
    """

    def __init__(self, message: str, code: str = "other", **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Reference:
    """Where an organisation's city lies, to catch coordinates given in the wrong order."""

    lon: float
    lat: float
    max_distance_km: float = 200.0


def _coords(geom: BaseGeometry) -> list[tuple[float, float]]:
    if isinstance(geom, sg.Polygon):
        pts = list(geom.exterior.coords)
        for ring in geom.interiors:
            pts.extend(ring.coords)
        return pts
    if isinstance(geom, sg.MultiPolygon):
        return [c for part in geom.geoms for c in _coords(part)]
    return list(geom.coords)


def parse(value: Any, expected: str | tuple[str, ...], reference: Reference | None = None) -> BaseGeometry:
    """Turn a GeoJSON geometry (dict or Feature) into a valid shapely geometry or raise GeometryError.

    EXPECTED names the accepted GeoJSON types, e.g. ``"Polygon"`` or ``("Polygon", "MultiPolygon")``.
    """
    allowed = (expected,) if isinstance(expected, str) else expected
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict) or "type" not in value or "coordinates" not in value:
        raise GeometryError("not a GeoJSON geometry (an object with 'type' and 'coordinates' is needed)",
                            "not_geometry")
    if value["type"] not in allowed:
        raise GeometryError(f"geometry must be {' or '.join(allowed)}, not {value['type']}", "wrong_type",
                            expected=" / ".join(allowed), found=str(value["type"]))
    try:
        geom = sg.shape(value)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        raise GeometryError(f"malformed coordinates ({exc})", "malformed", detail=str(exc)) from exc
    if geom.is_empty:
        raise GeometryError("geometry has no coordinates", "empty")
    points = _coords(geom)
    if any(len(p) < 2 for p in points):
        raise GeometryError("each position needs a longitude and a latitude", "position")
    for lon, lat, *_ in points:
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            hint = " (are they in latitude, longitude order? GeoJSON wants longitude first)" if (
                -90 <= lon <= 90 and -180 <= lat <= 180
            ) else ""
            raise GeometryError(f"coordinate ({lon}, {lat}) is outside WGS84 longitude/latitude range{hint}",
                                "swapped" if hint else "out_of_range", lon=lon, lat=lat)
    if reference is not None:
        _check_order(geom, reference)
    if not geom.is_valid:
        reason = explain_validity(geom)
        if "Self-intersection" in reason:
            raise GeometryError(f"the outline crosses itself ({reason}); redraw it without crossing lines",
                                "self_intersection", reason=reason)
        raise GeometryError(f"invalid geometry: {reason}", "invalid", reason=reason)
    return geom


def _check_order(geom: BaseGeometry, ref: Reference) -> None:
    c = geom.centroid
    if distance_m((c.x, c.y), (ref.lon, ref.lat)) / 1000 <= ref.max_distance_km:
        return
    swapped_ok = -180 <= c.y <= 180 and -90 <= c.x <= 90 and (
        distance_m((c.y, c.x), (ref.lon, ref.lat)) / 1000 <= ref.max_distance_km
    )
    if swapped_ok:
        raise GeometryError(
            "coordinates appear to be in latitude, longitude order; GeoJSON wants longitude first", "swapped"
        )
    distance_km = distance_m((c.x, c.y), (ref.lon, ref.lat)) / 1000
    raise GeometryError(
        f"geometry lies {distance_km:.0f} km from the city, more than {ref.max_distance_km:.0f} km",
        "too_far", distance_km=round(distance_km), max_km=round(ref.max_distance_km),
    )


@lru_cache(maxsize=256)
def _to_local(lon0: float, lat0: float) -> Transformer:
    return Transformer.from_crs(
        "EPSG:4326", f"+proj=laea +lat_0={lat0} +lon_0={lon0} +ellps=WGS84 +units=m", always_xy=True
    )


def to_metric(geom: BaseGeometry) -> BaseGeometry:
    """GEOM in metres, in an equal-area projection centred on its centroid (rounded to 0.01°)."""
    c = geom.centroid
    tr = _to_local(round(c.x, 2), round(c.y, 2))
    return shapely.transform(geom, lambda xy: _project(tr, xy))


def to_metric_about(geom: BaseGeometry, lon0: float, lat0: float) -> BaseGeometry:
    """GEOM in metres in the equal-area projection centred on (LON0, LAT0): one frame for several
    geometries that must be measured together (e.g. a blast ring and the zones it covers)."""
    tr = _to_local(float(lon0), float(lat0))
    return shapely.transform(geom, lambda xy: _project(tr, xy))


def points_to_metric(lonlat: Any, lon0: float, lat0: float) -> Any:
    """An (n, 2) array of (lon, lat) in metres in the frame of ``to_metric_about``."""
    points = np.asarray(lonlat, dtype=float).reshape(-1, 2)
    return _project(_to_local(float(lon0), float(lat0)), points)


def points_from_metric(xy: Any, lon0: float, lat0: float) -> Any:
    """The inverse of ``points_to_metric``: (n, 2) metres in that frame back to (lon, lat)."""
    points = np.asarray(xy, dtype=float).reshape(-1, 2)
    lon, lat = _to_local(float(lon0), float(lat0)).transform(points[:, 0], points[:, 1], direction="INVERSE")
    return np.column_stack([lon, lat])


def _project(tr: Transformer, xy: Any) -> Any:
    x, y = tr.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


def area_m2(geom: BaseGeometry) -> float:
    return float(to_metric(geom).area)


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance in metres between two (lon, lat) points, in a projection centred between them."""
    tr = _to_local(round((a[0] + b[0]) / 2, 2), round((a[1] + b[1]) / 2, 2))
    ax, ay = tr.transform(*a)
    bx, by = tr.transform(*b)
    return float(((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5)


def centroid(geom: BaseGeometry) -> tuple[float, float]:
    c = geom.centroid if not isinstance(geom, sg.Point) else geom
    return (round(c.x, 7), round(c.y, 7))


def to_geojson(geom: BaseGeometry) -> dict[str, Any]:
    return dict(sg.mapping(geom))


# About a metre, in degrees of latitude: finer than any overview map shows a public space.
_OVERVIEW_TOLERANCE = 1.0 / 111_320
_FEW_CORNERS = 16


def _rounded(rings: Any, digits: int) -> list[list[list[float]]]:
    return [[[round(c, digits) for c in position] for position in ring] for ring in rings]


def overview_outline(value: dict[str, Any], digits: int = 6) -> dict[str, Any]:
    """A lighter copy of the GeoJSON polygon VALUE for a map of the whole city: corners that move
    the outline by less than about a metre are dropped, and coordinates keep DIGITS decimals
    (6 is about 10 cm). The outline never loses its shape: when simplifying would empty it, only
    the rounding is applied."""
    rings = value["coordinates"]
    if value["type"] == "Polygon" and sum(len(ring) for ring in rings) <= _FEW_CORNERS:
        return {"type": "Polygon", "coordinates": _rounded(rings, digits)}  # nothing worth dropping
    geom = sg.shape(value)
    light = geom.simplify(_OVERVIEW_TOLERANCE, preserve_topology=True)
    if light.is_empty or light.geom_type != geom.geom_type:
        light = geom
    mapped = sg.mapping(light)
    if mapped["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": _rounded(mapped["coordinates"], digits)}
    return {"type": mapped["type"], "coordinates": [_rounded(part, digits) for part in mapped["coordinates"]]}
