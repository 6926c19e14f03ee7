"""Where vehicles meet a site: its perimeter points on a street network, and the network cut there.

The run-up analysis (``stoa.core.hvm.network``) needs the points a vehicle drives at and a
network that stops at them. This module gets both from a city's street segments (in metres, one
local projection), the site's boundary polygon and its recorded access points:

* **Boundary crossings.** Every street segment that crosses the boundary is cut where it
  crosses; the part outside is kept and the crossing becomes a perimeter point, with the
  boundary's direction there (for the impact angle). Segments inside the boundary are dropped:
  the analysis is about reaching the perimeter, and a vehicle may not gain speed on the site's
  own streets before "arriving" at it.
* **Access points.** A recorded access point takes over the nearest crossing within
  ``snap_m`` (it gets the access point's name and key); without one, it is placed on the
  nearest network node within ``snap_m``. One further away is reported as not on the network,
  with its distance, rather than guessed.
* Without a boundary, nothing is cut and only the access points are perimeter points.

Pure: numpy and shapely, no framework.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import LineString, Point, Polygon

from stoa.core.hvm.network import NetworkError, StreetNetwork

DEFAULT_SNAP_M = 30.0  # an access point drawn this close to a street is taken to be on it
TANGENT_STEP_M = 1.0  # half the boundary stretch whose direction is the perimeter line at a point


@dataclass(frozen=True)
class SiteAccess:
    """A recorded access point of the site, in metres."""

    key: str
    name: str
    x: float
    y: float


@dataclass(frozen=True)
class PerimeterPoint:
    """A point of the perimeter a vehicle can drive at: an access point or a boundary crossing."""

    key: str  # the access point's key, or "crossing:<n>"
    name: str
    kind: str  # "access" or "crossing"
    node: str  # node id in the cut network
    xy: tuple[float, float]
    direction: tuple[float, float] | None  # along the boundary (None without one)
    street: str = ""  # name of the street the point is on, "" when unknown


@dataclass
class Perimeter:
    network: StreetNetwork
    points: list[PerimeterPoint]
    unmatched: list[tuple[SiteAccess, float | None]] = field(default_factory=list)  # (access, nearest street m)
    names: dict[tuple[str, str], str] = field(default_factory=dict)  # (node, node) → street name


def _tangent(ring: LineString, x: float, y: float) -> tuple[float, float] | None:
    at = ring.project(Point(x, y))
    before = ring.interpolate(max(at - TANGENT_STEP_M, 0.0))
    after = ring.interpolate(min(at + TANGENT_STEP_M, ring.length))
    dx, dy = after.x - before.x, after.y - before.y
    return (dx, dy) if math.hypot(dx, dy) > 0 else None


def _crossings(a: NDArray[np.float64], b: NDArray[np.float64], ring: LineString) -> list[tuple[float, float]]:
    """Where segment a→b meets the boundary ring, nearest to a first."""
    hit = LineString([tuple(a), tuple(b)]).intersection(ring)
    points = [(g.x, g.y) for g in getattr(hit, "geoms", [hit]) if isinstance(g, Point)]
    if not points and not hit.is_empty:  # a segment running along the boundary: its ends on it
        points = [tuple(c) for c in np.asarray(shapely.get_coordinates(hit))]  # type: ignore[misc]
    return sorted(points, key=lambda p: math.hypot(p[0] - a[0], p[1] - a[1]))


def build_perimeter(node_ids: Sequence[str], xy: NDArray[np.float64], tails: NDArray[np.int64],
                    heads: NDArray[np.int64], max_speed_ms: NDArray[np.float64], names: Sequence[str],
                    boundary: Polygon | None, access: Sequence[SiteAccess], *, snap_m: float = DEFAULT_SNAP_M
                    ) -> Perimeter:
    """The cut network and its perimeter points (module doc). XY is metres per node; segments
    are TAILS → HEADS (indexes) with MAX_SPEED_MS (nan: none) and street NAMES."""
    if not snap_m > 0:
        raise NetworkError(f"snap_m must be above 0, got {snap_m!r}")
    ids = [str(n) for n in node_ids]
    new_xy: list[tuple[float, float]] = []
    new_ids: list[str] = []
    seg_t: list[int] = []
    seg_h: list[int] = []
    seg_v: list[float] = []
    seg_n: list[str] = []
    crossings: list[tuple[int, str, tuple[float, float] | None]] = []  # (node index, street, direction)
    keep = np.ones(len(tails), dtype=bool)
    if boundary is not None:
        ring = LineString(boundary.exterior.coords)
        inside = shapely.contains_xy(boundary, xy[:, 0], xy[:, 1])
        lines = shapely.linestrings(np.stack([xy[tails], xy[heads]], axis=1))
        touches = shapely.intersects(lines, ring)
        keep = ~(inside[tails] | inside[heads] | touches)
        for s in (int(k) for k in np.flatnonzero(~keep)):
            t, h = int(tails[s]), int(heads[s])
            if inside[t] and inside[h] and not touches[s]:
                continue  # wholly inside the site
            for end, other in ((t, h), (h, t)):
                if inside[end]:
                    continue
                hits = _crossings(xy[end], xy[other], ring)
                if not hits:
                    continue
                cx, cy = hits[0]
                if math.hypot(cx - xy[end][0], cy - xy[end][1]) <= 1e-6:
                    continue  # the outer end is on the boundary: not a piece of street outside
                index = len(ids) + len(new_ids)
                new_ids.append(f"crossing:{len(crossings) + 1}")
                new_xy.append((cx, cy))
                crossings.append((index, names[s], _tangent(ring, cx, cy)))
                seg_t.append(end)
                seg_h.append(index)
                seg_v.append(float(max_speed_ms[s]))
                seg_n.append(names[s])
    all_ids = ids + new_ids
    all_xy = np.vstack([xy, np.array(new_xy, dtype=float).reshape(-1, 2)])
    tail = np.concatenate([tails[keep], np.array(seg_t, dtype=np.int64)])
    head = np.concatenate([heads[keep], np.array(seg_h, dtype=np.int64)])
    speed = np.concatenate([max_speed_ms[keep], np.array(seg_v, dtype=float)])
    street = [n for n, k in zip(names, keep, strict=True) if k] + seg_n
    # Only nodes some kept street uses: a compact network, and snapping never lands on a dropped one.
    used = np.unique(np.concatenate([tail, head]))
    if len(used) == 0:
        raise NetworkError("no street of the network lies outside the site's boundary")
    renumber = np.full(len(all_ids), -1, dtype=np.int64)
    renumber[used] = np.arange(len(used))
    kept_ids = [all_ids[i] for i in used]
    kept_xy = all_xy[used]
    tail, head = renumber[tail], renumber[head]
    lengths = np.hypot(*(kept_xy[head] - kept_xy[tail]).T)
    short = lengths <= 1e-6
    if short.any():  # a cut exactly at a vertex leaves a zero-length piece
        tail, head, speed, lengths = tail[~short], head[~short], speed[~short], lengths[~short]
        street = [n for n, s in zip(street, short, strict=True) if not s]
    network = StreetNetwork.from_arrays(kept_ids, kept_xy, tail, head, lengths, speed)
    points = [PerimeterPoint(f"crossing:{n + 1}", "", "crossing", all_ids[index], tuple(all_xy[index]),
                             direction, name)
              for n, (index, name, direction) in enumerate(crossings)]
    edge_names = {}
    for t, h, n in zip(tail, head, street, strict=True):
        if n:
            edge_names[(kept_ids[t], kept_ids[h])] = n
            edge_names[(kept_ids[h], kept_ids[t])] = n
    perimeter = Perimeter(network, points, names=edge_names)
    _place_access(perimeter, kept_xy, kept_ids, access, snap_m, ring if boundary is not None else None)
    return perimeter


def _place_access(perimeter: Perimeter, xy: NDArray[np.float64], ids: list[str], access: Sequence[SiteAccess],
                  snap_m: float, ring: LineString | None) -> None:
    taken: set[int] = set()
    placed: list[PerimeterPoint] = []
    for point in access:
        best, best_d = None, math.inf
        for n, crossing in enumerate(perimeter.points):
            if n in taken or crossing.kind != "crossing":
                continue
            d = math.hypot(crossing.xy[0] - point.x, crossing.xy[1] - point.y)
            if d < best_d:
                best, best_d = n, d
        if best is not None and best_d <= snap_m:
            taken.add(best)
            crossing = perimeter.points[best]
            perimeter.points[best] = PerimeterPoint(point.key, point.name, "access", crossing.node, crossing.xy,
                                                    crossing.direction, crossing.street)
            continue
        distances = np.hypot(xy[:, 0] - point.x, xy[:, 1] - point.y)
        nearest = int(np.argmin(distances))
        if distances[nearest] > snap_m:
            perimeter.unmatched.append((point, float(distances[nearest])))
            continue
        direction = _tangent(ring, point.x, point.y) if ring is not None else None
        placed.append(PerimeterPoint(point.key, point.name, "access", ids[nearest], tuple(xy[nearest]),
                                     direction, ""))
    perimeter.points.extend(placed)
