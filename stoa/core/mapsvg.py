"""A small map of a public space as SVG, drawn on the server, without tiles or JavaScript.

Used where an interactive map cannot be: the printed or PDF report, which must not fetch anything
from the network. Geometries come as GeoJSON in WGS84; all of them are projected together with
``stoa.core.geometry.to_metric`` (an equal-area projection centred on the whole drawing, so
distances on the sheet are true to a fraction of a percent at city scale), fitted into the box
with north up, and drawn as paths, with a scale bar in metres.

Each feature has a kind that fixes how it looks. Kinds differ by shape and line style as well as
colour (points: circle, square, diamond; areas: solid, dashed, dotted outline), so the map stays
readable in black and white; every labelled feature also carries its label as text on the map,
and the page lists the labels in a legend table. A feature whose geometry is not valid GeoJSON is
left out rather than failing the whole report.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from shapely import geometry as sg
from shapely.geometry.base import BaseGeometry

from stoa.core import geometry

MIN_EXTENT_M = 60.0  # a lone point still gets a readable neighbourhood around it


@dataclass(frozen=True)
class Style:
    stroke: str
    fill: str
    fill_opacity: float
    width: float
    dash: str = ""
    marker: str = "circle"  # for points: circle, square, diamond


STYLES: Mapping[str, Style] = {
    "outline": Style("#1d3557", "#a8dadc", 0.25, 2.5),
    "zone": Style("#457b9d", "#457b9d", 0.12, 1.2, dash="6 3"),
    "access": Style("#1d3557", "#ffffff", 1.0, 1.5, marker="circle"),
    "measure": Style("#1b5e20", "#66bb6a", 0.35, 1.8, dash="2 2", marker="square"),
    "scenario": Style("#b71c1c", "#e53935", 0.25, 2.0, dash="8 3", marker="diamond"),
}


@dataclass(frozen=True)
class MapFeature:
    """One thing to draw: a GeoJSON geometry (or Feature), its kind (a key of STYLES), a short label."""

    geometry: Mapping[str, Any]
    kind: str
    label: str = ""


@dataclass(frozen=True)
class _Frame:
    """Metres → SVG pixels: scale, then y flipped so north is up."""

    min_x: float
    max_y: float
    scale: float
    offset_x: float
    offset_y: float

    def point(self, x: float, y: float) -> tuple[float, float]:
        return (self.offset_x + (x - self.min_x) * self.scale, self.offset_y + (self.max_y - y) * self.scale)


def _parse(feature: MapFeature) -> BaseGeometry | None:
    try:
        return geometry.parse(dict(feature.geometry), ("Point", "Polygon", "MultiPolygon", "LineString"))
    except (geometry.GeometryError, TypeError, ValueError):
        return None


def _frame(shapes: Sequence[BaseGeometry], width: int, height: int, padding: int) -> _Frame:
    min_x, min_y, max_x, max_y = sg.GeometryCollection(list(shapes)).bounds
    span_x, span_y = max(max_x - min_x, MIN_EXTENT_M), max(max_y - min_y, MIN_EXTENT_M)
    centre_x, centre_y = (min_x + max_x) / 2, (min_y + max_y) / 2
    min_x, max_y = centre_x - span_x / 2, centre_y + span_y / 2
    scale = min((width - 2 * padding) / span_x, (height - 2 * padding) / span_y)
    return _Frame(min_x, max_y, scale, (width - span_x * scale) / 2, (height - span_y * scale) / 2)


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _ring(frame: _Frame, coords: Any) -> str:
    points = [frame.point(x, y) for x, y, *_ in coords]
    return "M" + " L".join(f"{_num(px)} {_num(py)}" for px, py in points) + " Z"


def _path_data(frame: _Frame, shape: BaseGeometry) -> str:
    if isinstance(shape, sg.Polygon):
        return " ".join(_ring(frame, ring.coords) for ring in (shape.exterior, *shape.interiors))
    if isinstance(shape, sg.MultiPolygon):
        return " ".join(_path_data(frame, part) for part in shape.geoms)
    points = [frame.point(x, y) for x, y, *_ in shape.coords]  # LineString
    return "M" + " L".join(f"{_num(px)} {_num(py)}" for px, py in points)


def _marker(style: Style, x: float, y: float) -> str:
    paint = f'fill="{style.fill}" stroke="{style.stroke}" stroke-width="{_num(style.width)}"'
    if style.marker == "square":
        return f'<rect x="{_num(x - 5)}" y="{_num(y - 5)}" width="10" height="10" {paint}/>'
    if style.marker == "diamond":
        return (f'<path d="M{_num(x)} {_num(y - 7)} L{_num(x + 7)} {_num(y)} L{_num(x)} {_num(y + 7)} '
                f'L{_num(x - 7)} {_num(y)} Z" {paint}/>')
    return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="5" {paint}/>'


def _draw(frame: _Frame, shape: BaseGeometry, style: Style) -> str:
    if isinstance(shape, sg.Point):
        return _marker(style, *frame.point(shape.x, shape.y))
    dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
    closed = not isinstance(shape, sg.LineString)
    fill = f'fill="{style.fill}" fill-opacity="{style.fill_opacity}" fill-rule="evenodd"' if closed else 'fill="none"'
    return (f'<path d="{_path_data(frame, shape)}" {fill} stroke="{style.stroke}" '
            f'stroke-width="{_num(style.width)}"{dash}/>')


def _label(frame: _Frame, shape: BaseGeometry, text: str, style: Style) -> str:
    anchor = shape if isinstance(shape, sg.Point) else shape.representative_point()
    x, y = frame.point(anchor.x, anchor.y)
    dx = 9 if isinstance(shape, sg.Point) else 0
    anchor_attr = "" if dx else ' text-anchor="middle"'
    return (f'<text x="{_num(x + dx)}" y="{_num(y + 4)}" font-size="11" font-weight="bold" '
            f'font-family="DejaVu Sans, sans-serif" fill="{style.stroke}"{anchor_attr}>{escape(text)}</text>')


def nice_length(metres: float) -> float:
    """The largest 1, 2 or 5 × 10ⁿ metres not above METRES (for the scale bar)."""
    if metres <= 0:
        raise ValueError("the length must be positive")
    power = 10 ** math.floor(math.log10(metres))
    return max(step * power for step in (1, 2, 5) if step * power <= metres)


def _scale_bar(frame: _Frame, width: int, height: int) -> str:
    metres = nice_length(width / 4 / frame.scale)
    pixels = metres * frame.scale
    x, y = 12, height - 14
    text = f"{metres:g} m" if metres < 1000 else f"{metres / 1000:g} km"
    return (f'<g class="scale-bar"><rect x="{x}" y="{y - 3}" width="{_num(pixels)}" height="6" fill="#000"/>'
            f'<text x="{x}" y="{y - 7}" font-size="11" font-family="DejaVu Sans, sans-serif" fill="#000">'
            f'{text}</text></g>')


def render_map(features: Sequence[MapFeature], *, title: str, svg_id: str = "site-map",
               width: int = 640, height: int = 420, padding: int = 28) -> str:
    """The features as one SVG document fragment, or "" when none has a usable geometry.

    TITLE names the map for screen readers (``<title>``, with ``role="img"``); SVG_ID keeps the ids
    unique when several maps share a page. Features are drawn in the order given (later on top).
    """
    parsed = [(feature, shape) for feature in features if (shape := _parse(feature)) is not None]
    if not parsed:
        return ""
    metric = geometry.to_metric(sg.GeometryCollection([shape for _feature, shape in parsed]))
    shapes = list(metric.geoms)
    frame = _frame(shapes, width, height, padding)
    body, labels = [], []
    for (feature, _shape), shape in zip(parsed, shapes, strict=True):
        style = STYLES.get(feature.kind, STYLES["zone"])
        body.append(_draw(frame, shape, style))
        if feature.label:
            labels.append(_label(frame, shape, feature.label, style))
    title_id = f"{escape(svg_id)}-title"
    return (f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(svg_id)}" class="site-map" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
            f'aria-labelledby="{title_id}"><title id="{title_id}">{escape(title)}</title>'
            f'<rect width="{width}" height="{height}" fill="#f8f9fa" stroke="#adb5bd"/>'
            + "".join(body) + "".join(labels) + _scale_bar(frame, width, height) + "</svg>")
