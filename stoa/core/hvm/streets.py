"""Street files (GeoJSON or OSM XML) read into the drivable streets of a run-up analysis, without Django.

A file becomes ``Streets``: nodes in WGS84 longitude/latitude and one street segment per pair of
consecutive vertices, with a speed limit (m/s, NaN when unknown) and a name per segment.
``Streets.to_network`` projects them to metres in the local equal-area projection that the rest
of Stoa uses (``stoa.core.geometry.to_metric_about``), so a site's outline and access points
drawn on a map fall on the same streets.

**GeoJSON.** A FeatureCollection, a single Feature or a bare geometry. LineString and
MultiLineString (also inside a GeometryCollection) are streets; points and polygons are ignored
as long as the file holds at least one line. Two lines that share a vertex (equal to 1e-7°, about
a centimetre) meet there, so a street drawn as several lines stays connected. Properties:
``name``, ``maxspeed`` (a number in km/h or an OSM-style string such as "30" or "50 mph") and,
when present, ``highway``: a feature whose highway value is not a drivable one (``DRIVABLE``,
as for OSM) is left out, so an export of every OSM way can be used as it is. A vertex repeated
right after itself is dropped; a line left with a single point is an error.

**OSM XML.** ``<node>`` elements with lat/lon and ``<way>`` elements with ``<nd ref>`` and
``<tag>``: a way whose ``highway`` tag is drivable (and that is not ``area=yes``) gives its
segments; only the nodes those ways use are kept. ``maxspeed`` tags in km/h or mph are read;
"none", "walk", "signals" and zone codes such as "RU:urban" give no limit. A bz2 or gzip file is
recognised by its first bytes. DTDs and entity declarations are refused (a hostile upload could
otherwise make the parser expand entities without bound).

Both formats: a segment drawn twice (two ways over the same pair of nodes) is kept once, with
the higher of its speed limits. A file that would give more than ``MAX_SEGMENTS`` segments is
refused. Every fault raises ``StreetFileError`` naming the feature, position or XML line.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

import numpy as np
from numpy.typing import NDArray

from stoa.core.geometry import _to_local
from stoa.core.hvm.network import StreetNetwork

MAX_SEGMENTS = 2_000_000  # about a metropolitan area's drivable streets; past it the analysis itself gets slow
MAX_DECOMPRESSED_BYTES = 1 << 30  # a compressed GeoJSON is inflated in memory: refuse a decompression bomb
JSON_VERSION = 1
DRIVABLE = frozenset({
    "motorway", "trunk", "primary", "secondary", "tertiary", "unclassified", "residential", "service",
    "living_street", "motorway_link", "trunk_link", "primary_link", "secondary_link", "tertiary_link",
    "road", "pedestrian", "busway",
})  # pedestrian streets and busways included: a hostile driver is not stopped by a sign
FORMATS = ("geojson", "osm")
_COORDINATE_DIGITS = 7  # OSM's own precision, about 1 cm: vertices equal to it are one node
_SPEED = re.compile(r"(\d+(?:\.\d+)?)\s*(km/h|kmh|kph|mph|knots)?")
_UNIT_MS = {None: 1 / 3.6, "km/h": 1 / 3.6, "kmh": 1 / 3.6, "kph": 1 / 3.6, "mph": 0.44704, "knots": 1852 / 3600}


class StreetFileError(ValueError):
    """A street file that cannot be read; the message says what is wrong and where."""


def maxspeed_ms(value: object) -> float:
    """A ``maxspeed`` value (a number in km/h, or an OSM string such as "50", "30 mph", "50;70") in m/s, else NaN."""
    if isinstance(value, bool):
        return math.nan
    if isinstance(value, int | float):
        return float(value) / 3.6 if math.isfinite(value) and value > 0 else math.nan
    if not isinstance(value, str):
        return math.nan
    speeds = []
    for part in value.split(";"):
        found = _SPEED.fullmatch(part.strip().lower())
        if found is None:
            return math.nan  # "walk", "none", "RU:urban"...: no number a vehicle is held to
        speeds.append(float(found.group(1)) * _UNIT_MS[found.group(2)])
    # Several values (lanes, times of day): the highest, as the vehicle may take the fastest.
    best = max(speeds, default=0.0)
    return best if best > 0 else math.nan


@dataclass(frozen=True, eq=False)  # eq=False: arrays have no single truth value; __eq__ below compares them
class Streets:
    """Drivable street segments between nodes in WGS84 (see the module doc)."""

    node_ids: list[str]
    lonlat: NDArray[np.float64]  # (n, 2) longitude, latitude
    tails: NDArray[np.int64]  # per segment, indexes into node_ids
    heads: NDArray[np.int64]
    max_speed_ms: NDArray[np.float64]  # NaN where the file gives none
    names: list[str]  # per segment, "" when unknown
    source_format: str  # "geojson" or "osm"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Streets):
            return NotImplemented
        return (self.node_ids == other.node_ids and self.names == other.names
                and self.source_format == other.source_format
                and np.array_equal(self.lonlat, other.lonlat) and np.array_equal(self.tails, other.tails)
                and np.array_equal(self.heads, other.heads)
                and np.array_equal(self.max_speed_ms, other.max_speed_ms, equal_nan=True))

    __hash__ = None  # type: ignore[assignment]

    @property
    def segment_count(self) -> int:
        return len(self.tails)

    def centre(self) -> tuple[float, float]:
        """Longitude and latitude of the centre of the bounding box."""
        low, high = self.lonlat.min(axis=0), self.lonlat.max(axis=0)
        return float((low[0] + high[0]) / 2), float((low[1] + high[1]) / 2)

    def projected(self, lon0: float, lat0: float) -> NDArray[np.float64]:
        """(n, 2) metres in the projection of ``stoa.core.geometry.to_metric_about`` about (LON0, LAT0)."""
        x, y = _to_local(float(lon0), float(lat0)).transform(self.lonlat[:, 0], self.lonlat[:, 1])
        return np.column_stack([x, y])

    def lengths_m(self, lon0: float, lat0: float) -> NDArray[np.float64]:
        """Each segment's straight length in that projection: what ``StreetNetwork`` measures too."""
        xy = self.projected(lon0, lat0)
        steps = xy[self.heads] - xy[self.tails]
        return np.hypot(steps[:, 0], steps[:, 1])

    def to_network(self, lon0: float, lat0: float, *, speed_limits: bool = True) -> StreetNetwork:
        """A two-way ``StreetNetwork`` in metres about (LON0, LAT0), with the file's speed limits unless told not."""
        xy = self.projected(lon0, lat0)
        steps = xy[self.heads] - xy[self.tails]
        return StreetNetwork.from_arrays(self.node_ids, xy, self.tails, self.heads, np.hypot(steps[:, 0], steps[:, 1]),
                                         self.max_speed_ms if speed_limits else None)

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable form (no NaN: JSON and PostgreSQL's jsonb have none); names are stored once each."""
        table: dict[str, int] = {}
        name_of = [table.setdefault(name, len(table)) for name in self.names]
        return {
            "version": JSON_VERSION,
            "source_format": self.source_format,
            "node_ids": list(self.node_ids),
            "lonlat": self.lonlat.tolist(),
            "tails": self.tails.tolist(),
            "heads": self.heads.tolist(),
            "max_speed_ms": [None if math.isnan(v) else v for v in self.max_speed_ms.tolist()],
            "names": list(table),
            "name_of": name_of,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Streets:
        """The inverse of ``to_json``; raises ``StreetFileError`` on anything it would not have written."""
        if not isinstance(data, Mapping):
            raise StreetFileError(f"stored streets must be a JSON object, got {type(data).__name__}")
        missing = [key for key in ("version", "source_format", "node_ids", "lonlat", "tails", "heads",
                                   "max_speed_ms", "names", "name_of") if key not in data]
        if missing:
            raise StreetFileError(f"stored streets: missing {', '.join(missing)}")
        if data["version"] != JSON_VERSION:
            raise StreetFileError(f"stored streets: unknown version {data['version']!r}")
        if data["source_format"] not in FORMATS:
            raise StreetFileError(f"stored streets: source_format must be one of {FORMATS}, "
                                  f"got {data['source_format']!r}")
        ids = _list_of(data, "node_ids", str)
        names = _list_of(data, "names", str)
        if len(set(ids)) != len(ids):
            raise StreetFileError("stored streets: node_ids are not unique")
        try:
            raw = np.array(data["lonlat"])
        except (TypeError, ValueError):
            raw = np.zeros(0)
        if raw.dtype.kind not in "iuf" or raw.ndim != 2 or raw.shape[1] != 2:
            raise StreetFileError("stored streets: lonlat must be a list of [lon, lat] pairs of numbers")
        lonlat = raw.astype(float)
        if len(lonlat) != len(ids):
            raise StreetFileError(f"stored streets: {len(ids)} node_ids but {len(lonlat)} lonlat pairs")
        _check_lonlat(lonlat, "stored streets")
        tails, heads, name_of = (_indexes(data, key) for key in ("tails", "heads", "name_of"))
        speeds = _list_of(data, "max_speed_ms", (int, float, type(None)))
        if not len(tails) == len(heads) == len(speeds) == len(name_of) > 0:
            raise StreetFileError("stored streets: tails, heads, max_speed_ms and name_of must be equally long lists, "
                                  "with at least one segment")
        for key, values, bound in (("tails", tails, len(ids)), ("heads", heads, len(ids)),
                                   ("name_of", name_of, len(names))):
            if ((values < 0) | (values >= bound)).any():
                raise StreetFileError(f"stored streets: {key} holds an index outside 0–{bound - 1}")
        if (tails == heads).any():
            raise StreetFileError(f"stored streets: segment {int(np.flatnonzero(tails == heads)[0])} has one node")
        limit = np.array([math.nan if v is None else -1.0 if isinstance(v, bool) else v for v in speeds], dtype=float)
        if (~np.isnan(limit) & ~((limit > 0) & np.isfinite(limit))).any():
            raise StreetFileError("stored streets: max_speed_ms must be null or a finite speed above 0")
        return cls(ids, lonlat, tails, heads, limit, [names[int(i)] for i in name_of], str(data["source_format"]))


def _list_of(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...]) -> list[Any]:
    values = data[key]
    if not isinstance(values, list) or not all(isinstance(v, kind) for v in values):
        raise StreetFileError(f"stored streets: {key} must be a list of {getattr(kind, '__name__', 'numbers')}")
    return values


def _indexes(data: Mapping[str, Any], key: str) -> NDArray[np.int64]:
    values = data[key]
    if not isinstance(values, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise StreetFileError(f"stored streets: {key} must be a list of integers")
    return np.array(values, dtype=np.int64)


def _check_lonlat(lonlat: NDArray[np.float64], where: str) -> None:
    bad = ~np.isfinite(lonlat).all(axis=1) | (np.abs(lonlat[:, 0]) > 180) | (np.abs(lonlat[:, 1]) > 90)
    if bad.any():
        number = int(np.flatnonzero(bad)[0])
        raise StreetFileError(f"{where}: node {number} at {tuple(lonlat[number])} is not a WGS84 longitude, latitude")


def assemble(node_ids: list[str], lonlat: NDArray[np.float64], tails: NDArray[np.int64], heads: NDArray[np.int64],
             max_speed_ms: NDArray[np.float64], names: list[str], source_format: str) -> Streets:
    """``Streets`` from raw segments: drops zero-length ones and repeats, keeps only the nodes in use."""
    if len(tails) > MAX_SEGMENTS:
        raise StreetFileError(f"the file has {len(tails):,} street segments, more than the {MAX_SEGMENTS:,} Stoa "
                              "reads; cut it to the area around the sites")
    keep = (tails != heads) & (lonlat[tails] != lonlat[heads]).any(axis=1)
    index = np.flatnonzero(keep)
    if len(index) == 0:
        raise StreetFileError("no drivable street: every segment has its two ends at the same point")
    low, high = np.minimum(tails[index], heads[index]), np.maximum(tails[index], heads[index])
    key = low * len(node_ids) + high
    unnamed = np.array([names[i] == "" for i in index], dtype=bool)
    order = np.lexsort((unnamed, key))  # per street, a named copy first: it gives the name
    sorted_key = key[order]
    starts = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
    speed = np.where(np.isnan(max_speed_ms[index]), np.inf, max_speed_ms[index])[order]
    # The least restrictive copy: the analysis looks for the worst case.
    best_speed = np.maximum.reduceat(speed, starts)
    chosen = index[order[starts]]
    by_appearance = np.argsort(chosen, kind="stable")
    chosen, best_speed = chosen[by_appearance], best_speed[by_appearance]
    used = np.unique(np.concatenate([tails[chosen], heads[chosen]]))
    renumber = np.full(len(node_ids), -1, dtype=np.int64)
    renumber[used] = np.arange(len(used))
    return Streets([node_ids[i] for i in used], lonlat[used], renumber[tails[chosen]], renumber[heads[chosen]],
                   np.where(np.isinf(best_speed), np.nan, best_speed), [names[i] for i in chosen], source_format)


# --- GeoJSON ------------------------------------------------------------------------------------

_LINES = ("LineString", "MultiLineString")
_OTHER = ("Point", "MultiPoint", "Polygon", "MultiPolygon")


class _GeoJsonReader:
    def __init__(self) -> None:
        self.index: dict[tuple[float, float], int] = {}
        self.tails: list[int] = []
        self.heads: list[int] = []
        self.speeds: list[float] = []
        self.names: list[str] = []
        self.lines = 0
        self.skipped: dict[str, int] = {}  # highway value → features left out
        self.others: set[str] = set()

    def feature(self, number: int, feature: object) -> None:
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise StreetFileError(f"feature {number}: not a GeoJSON Feature (an object with \"type\": \"Feature\")")
        geometry = feature.get("geometry")
        if geometry is None:
            raise StreetFileError(f"feature {number}: has no geometry")
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            raise StreetFileError(f"feature {number}: properties must be an object")
        lines = self.geometry(f"feature {number}", geometry)
        if not lines:
            return
        self.lines += 1
        highway = properties.get("highway")
        if highway is not None and (str(highway) not in DRIVABLE or properties.get("area") == "yes"):
            self.skipped[str(highway)] = self.skipped.get(str(highway), 0) + 1
            return
        speed = maxspeed_ms(properties.get("maxspeed"))
        name = properties.get("name")
        for label, coordinates in lines:
            nodes = self.positions(label, coordinates)
            self.tails.extend(nodes[:-1])
            self.heads.extend(nodes[1:])
            self.speeds.extend([speed] * (len(nodes) - 1))
            self.names.extend([name if isinstance(name, str) else ""] * (len(nodes) - 1))
            if len(self.tails) > MAX_SEGMENTS:
                raise StreetFileError(f"the file has more than {MAX_SEGMENTS:,} street segments, the most Stoa reads; "
                                      "cut it to the area around the sites")

    def geometry(self, where: str, geometry: object) -> list[tuple[str, object]]:
        if not isinstance(geometry, dict) or not isinstance(geometry.get("type"), str):
            raise StreetFileError(f"{where}: the geometry is not a GeoJSON geometry (an object with a \"type\")")
        kind = geometry["type"]
        label = f"{where} ({kind})"
        if kind == "GeometryCollection":
            members = geometry.get("geometries")
            if not isinstance(members, list):
                raise StreetFileError(f"{label}: \"geometries\" must be a list")
            return [line for number, member in enumerate(members)
                    for line in self.geometry(f"{label}: geometry {number}", member)]
        if kind in _OTHER:
            self.others.add(kind)
            return []
        if kind not in _LINES:
            raise StreetFileError(f"{where}: unknown geometry type {kind!r}")
        coordinates = geometry.get("coordinates")
        if kind == "LineString":
            return [(label, coordinates)]
        if not isinstance(coordinates, list):
            raise StreetFileError(f"{label}: coordinates must be a list of lines")
        return [(f"{label}: line {number}", line) for number, line in enumerate(coordinates)]

    def positions(self, label: str, coordinates: object) -> list[int]:
        if not isinstance(coordinates, list):
            raise StreetFileError(f"{label}: coordinates must be a list of [lon, lat] positions")
        if len(coordinates) < 2:
            raise StreetFileError(f"{label}: a line needs at least 2 positions, got {len(coordinates)}")
        nodes: list[int] = []
        at = f"{label}, position" if ": " in label else f"{label}: position"  # "line 1, position 2" reads as one place
        for number, position in enumerate(coordinates):
            if (not isinstance(position, list) or len(position) < 2
                    or not all(isinstance(c, int | float) and not isinstance(c, bool) and math.isfinite(c)
                               for c in position[:2])):
                raise StreetFileError(f"{at} {number} is not [lon, lat] (two finite numbers): "
                                      f"{_short(position)}")
            lon, lat = float(position[0]), float(position[1])
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                which = "longitude" if not -180 <= lon <= 180 else "latitude"
                hint = (" (latitude first? GeoJSON wants longitude first)"
                        if -90 <= lon <= 90 and -180 <= lat <= 180 else "")
                raise StreetFileError(f"{at} {number} [{lon:g}, {lat:g}]: {which} outside "
                                      f"{'[-180, 180]' if which == 'longitude' else '[-90, 90]'}{hint}")
            node = self.index.setdefault((round(lon, _COORDINATE_DIGITS), round(lat, _COORDINATE_DIGITS)),
                                         len(self.index))
            if not nodes or nodes[-1] != node:  # a vertex repeated in place adds nothing
                nodes.append(node)
        if len(nodes) < 2:
            raise StreetFileError(f"{label}: all its positions are the same point, so the line has no length")
        return nodes

    def streets(self) -> Streets:
        if not self.lines:
            found = f" (found {', '.join(sorted(self.others))})" if self.others else ""
            raise StreetFileError(f"no LineString or MultiLineString in the file{found}: streets are lines")
        if not self.tails:
            kinds = ", ".join(f"{k} ({n})" for k, n in sorted(self.skipped.items()))
            raise StreetFileError(f"no drivable street: every line has a highway value that is not a road ({kinds})")
        lonlat = np.array(list(self.index), dtype=float).reshape(-1, 2)
        return assemble([f"g{i}" for i in range(len(lonlat))], lonlat, np.array(self.tails, dtype=np.int64),
                        np.array(self.heads, dtype=np.int64), np.array(self.speeds, dtype=float), self.names,
                        "geojson")


def _short(value: object) -> str:
    text = json.dumps(value) if isinstance(value, list | dict | str | int | float | None) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def read_geojson(data: bytes | str) -> Streets:
    """The drivable streets of a GeoJSON document (see the module doc)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise StreetFileError(f"not UTF-8 text: byte {exc.start} cannot be read") from None
    try:
        document = json.loads(data)
    except json.JSONDecodeError as exc:
        raise StreetFileError(f"not JSON: line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise StreetFileError("not JSON Stoa can read: nested too deeply") from None
    if not isinstance(document, dict) or not isinstance(document.get("type"), str):
        raise StreetFileError("not GeoJSON: expected an object with a \"type\" (FeatureCollection, Feature or a "
                              "geometry)")
    kind = document["type"]
    features: Sequence[object]
    if kind == "FeatureCollection":
        features = document.get("features")  # type: ignore[assignment]
        if not isinstance(features, list):
            raise StreetFileError("not GeoJSON: a FeatureCollection needs a \"features\" list")
        if not features:
            raise StreetFileError("the FeatureCollection has no features")
    elif kind == "Feature":
        features = [document]
    elif kind in (*_LINES, *_OTHER, "GeometryCollection"):
        features = [{"type": "Feature", "geometry": document, "properties": {}}]
    else:
        raise StreetFileError(f"not GeoJSON: unknown type {kind!r}")
    reader = _GeoJsonReader()
    for number, feature in enumerate(features):
        reader.feature(number, feature)
    return reader.streets()


# --- any file -----------------------------------------------------------------------------------

def read_osm_xml(data: bytes | IO[bytes]) -> Streets:
    """The drivable streets of an OSM XML file, plain or bz2/gzip (see the module doc)."""
    from stoa.core.hvm.streets_osm import read_osm_xml as read

    return read(data)


def read_streets(data: bytes, filename: str | None = None) -> Streets:
    """GeoJSON or OSM XML, plain or bz2/gzip, told apart by the content; FILENAME only helps the messages."""
    head = data[:64]
    if b"OSMHeader" in head:
        raise StreetFileError("this is an OSM PBF file; Stoa reads OSM XML and GeoJSON: convert it first, e.g. with "
                              "`osmium cat extract.osm.pbf -o extract.osm`")
    from stoa.core.hvm.streets_osm import decompressed_chunks

    compressed = head.startswith((b"BZh", b"\x1f\x8b"))
    start = next(iter(decompressed_chunks(data)), b"") if compressed else data[:1024]
    start = start[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"{"):
        return read_geojson(_inflate(data) if compressed else data)
    if start.startswith(b"<"):
        return read_osm_xml(data)
    name = f"{filename}: " if filename else ""
    raise StreetFileError(f"{name}not a street file Stoa reads: expected GeoJSON (starting with '{{') or OSM XML "
                          "(starting with '<'), plain or compressed with bz2 or gzip")


def _inflate(data: bytes) -> bytes:
    """A bz2 or gzip file's content, refusing one that would inflate past MAX_DECOMPRESSED_BYTES."""
    from stoa.core.hvm.streets_osm import decompressed_chunks

    size, parts = 0, []
    for part in decompressed_chunks(data):
        size += len(part)
        if size > MAX_DECOMPRESSED_BYTES:
            raise StreetFileError(f"the file inflates to more than {MAX_DECOMPRESSED_BYTES >> 20} MiB once "
                                  "decompressed")
        parts.append(part)
    return b"".join(parts)


__all__ = ["DRIVABLE", "MAX_SEGMENTS", "StreetFileError", "Streets", "assemble", "maxspeed_ms", "read_geojson",
           "read_osm_xml", "read_streets"]
