"""The vehicle run-up analysis of a scenario, from the stored street network, site and measures.

The physics and the rules are pure (``stoa.core.hvm``: ``streets`` reads the files,
``perimeter`` cuts the network at the site's boundary and places its access points,
``network`` finds the worst approaches, ``dynamics`` the speed along them, ``coverage`` what the
existing barriers stop and the likelihood that follows, ``rating`` the notations). This module
reads the ORM, runs them and keeps the result on the analysis (``results``), so pages and the
scenario's proposed rating read it without recomputing; what the barriers stop is worked out
each time from the current existing measures, so adding a rated barrier shows at once.
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from stoa.accounts.models import Organisation
from stoa.assessments.models import ExistingMeasure
from stoa.catalogue.entries import CatalogueEntry, catalogue_for
from stoa.core import geometry
from stoa.core.engineering_data import shipped
from stoa.core.hvm import coverage, perimeter
from stoa.core.hvm.dynamics import VehicleDynamics, speed_profile, vehicle_dynamics
from stoa.core.hvm.network import AccessPoint as CoreAccessPoint
from stoa.core.hvm.network import NetworkError, analyse_run_up
from stoa.core.hvm.rating import check_rating
from stoa.core.hvm.streets import StreetFileError, Streets, read_streets
from stoa.engineering.models import StreetNetwork, VehicleAnalysis
from stoa.sites.models import AccessPoint, Site


class VehicleAnalysisError(ValueError):
    """The analysis cannot run: the site has no location, the network does not reach it..."""


@transaction.atomic
def import_network(organisation: Organisation, name: str, content: bytes, filename: str = "",
                   notes: str = "") -> StreetNetwork:
    """Read a GeoJSON or OSM XML file (``StreetFileError`` when it is not right) and store it whole."""
    streets = read_streets(content, filename or None)
    lon = streets.lonlat[:, 0]
    lat = streets.lonlat[:, 1]
    return StreetNetwork.objects.create(
        organisation=organisation, name=name, source_format=streets.source_format, filename=filename[:255],
        data=streets.to_json(), node_count=len(streets.node_ids), segment_count=streets.segment_count,
        bbox=[float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max())], notes=notes)


def origin_of(site: Site) -> tuple[float, float]:
    if site.lon is None or site.lat is None:
        from django.utils.translation import gettext as _

        raise VehicleAnalysisError(_("The site has no location: draw its boundary on the map first."))
    return (site.lon, site.lat)


def fleet_of(analysis: VehicleAnalysis) -> list[VehicleDynamics]:
    """The chosen classes on the chosen surface, with the analysis's own numbers where given."""
    fleet = []
    for key in analysis.vehicle_classes:
        own = (analysis.overrides or {}).get(key, {})
        fleet.append(vehicle_dynamics(key, analysis.surface, acceleration_ms2=own.get("acceleration_ms2"),
                                      top_speed_ms=own.get("top_speed_ms")))
    return fleet


def _perimeter(analysis: VehicleAnalysis, streets: Streets, lon0: float, lat0: float) -> perimeter.Perimeter:
    site = analysis.assessment.site
    xy = streets.projected(lon0, lat0)
    speeds = streets.max_speed_ms if analysis.respect_speed_limits else np.full(streets.segment_count, np.nan)
    boundary = None
    if site.boundary:
        boundary = geometry.to_metric_about(geometry.parse(site.boundary, "Polygon"), lon0, lat0)
    access = []
    for ap in AccessPoint.objects.filter(site=site).order_by("name"):
        x, y = geometry.points_to_metric([geometry.centroid(geometry.parse(ap.geometry, "Point"))], lon0, lat0)[0]
        access.append(perimeter.SiteAccess(str(ap.pk), ap.name, float(x), float(y)))
    return perimeter.build_perimeter(streets.node_ids, xy, streets.tails, streets.heads, speeds, streets.names,
                                     boundary, access, snap_m=analysis.snap_m)


def run(analysis: VehicleAnalysis) -> dict[str, Any]:
    """Compute the worst approaches and store them on ANALYSIS (``VehicleAnalysisError`` if it cannot)."""
    started = time.perf_counter()
    lon0, lat0 = origin_of(analysis.assessment.site)
    try:
        streets = Streets.from_json(analysis.network.data)
        cut = _perimeter(analysis, streets, lon0, lat0)
        fleet = fleet_of(analysis)
        points = [CoreAccessPoint(p.node, p.direction, key=p.key) for p in cut.points]
        approaches = analyse_run_up(cut.network, points, fleet, search_distance_m=analysis.search_distance_m) \
            if points else []
    except (NetworkError, StreetFileError) as exc:
        raise VehicleAnalysisError(str(exc)) from exc
    corner_leg = shipped().parameter("CORNER_LEG_M")
    by_class = {v.vehicle_class: v for v in fleet}
    xy_of = cut.network.xy
    index = cut.network.index
    rows = []
    for n, point in enumerate(cut.points):
        found = approaches[n * len(fleet):(n + 1) * len(fleet)]
        lonlat = geometry.points_from_metric([point.xy], lon0, lat0)[0]
        entries = []
        for approach in found:
            vehicle = by_class[approach.vehicle_class]
            path_xy = np.array([xy_of[index[node]] for node in approach.path])
            speeds = [0.0]
            if len(path_xy) > 1:
                profile = speed_profile(path_xy, vehicle.acceleration_ms2, vehicle.lateral_accel_ms2,
                                        vehicle.braking_ms2, initial_speed_ms=approach.start_speed_ms,
                                        top_speed_ms=vehicle.top_speed_ms, corner_leg_m=corner_leg,
                                        segment_max_speed_ms=_limits(cut, approach.path))
                speeds = [round(float(v) * 3.6, 1) for v in profile.speed_ms]
            path = geometry.points_from_metric(path_xy, lon0, lat0) if len(path_xy) else np.zeros((0, 2))
            entries.append({
                "class": approach.vehicle_class, "speed_ms": round(approach.speed_ms, 3),
                "energy_kj": round(approach.energy_kj, 1),
                "angle_deg": None if approach.angle_deg is None else round(approach.angle_deg, 1),
                "heading_deg": None if approach.heading_deg is None else round(approach.heading_deg, 1),
                "length_m": round(approach.length_m, 1), "start_speed_ms": round(approach.start_speed_ms, 3),
                "path": [[round(float(x), 7), round(float(y), 7)] for x, y in path], "speeds_kmh": speeds,
                "streets": _streets_of(cut, approach.path)})
        rows.append({"key": point.key, "name": point.name or _crossing_name(point, n), "kind": point.kind,
                     "street": point.street, "lonlat": [round(float(lonlat[0]), 7), round(float(lonlat[1]), 7)],
                     "approaches": entries})
    results = {
        "points": rows,
        "unmatched": [{"key": a.key, "name": a.name, "distance_m": None if d is None else round(d, 1)}
                      for a, d in cut.unmatched],
        "vehicles": [{"class": v.vehicle_class, "mass_kg": v.mass_kg, "acceleration_ms2": v.acceleration_ms2,
                      "lateral_accel_ms2": round(v.lateral_accel_ms2, 3), "braking_ms2": round(v.braking_ms2, 3),
                      "top_speed_ms": round(v.top_speed_ms, 3)} for v in fleet],
        "arcs": cut.network.edge_count, "elapsed_s": round(time.perf_counter() - started, 3),
        "corner_leg_m": corner_leg,
    }
    analysis.results = results
    analysis.computed_at = timezone.now()
    analysis.save(update_fields=["results", "computed_at", "updated_at"])
    return results


def _limits(cut: perimeter.Perimeter, path: tuple[Any, ...]) -> list[float]:
    """The speed limit of each segment of PATH (inf without one), as the network saw it."""
    net = cut.network
    limits = []
    for a, b in itertools.pairwise(path):
        t, h = net.index[a], net.index[b]
        arcs = net.out_order[net.out_start[t]:net.out_start[t + 1]]
        candidates = [float(net.limit2[arc]) for arc in arcs if net.head[arc] == h]
        limits.append(math.sqrt(min(candidates)) if candidates else math.inf)
    return limits


def _streets_of(cut: perimeter.Perimeter, path: tuple[Any, ...]) -> list[str]:
    seen: list[str] = []
    for a, b in itertools.pairwise(path):
        name = cut.names.get((str(a), str(b)), "")
        if name and (not seen or seen[-1] != name):
            seen.append(name)
    return seen


def _crossing_name(point: perimeter.PerimeterPoint, n: int) -> str:
    from django.utils.translation import gettext as _

    if point.street:
        return _("Boundary crossing, %(street)s") % {"street": point.street}
    return _("Boundary crossing %(n)s") % {"n": n + 1}


# ---------------------------------------------------------------- barriers and what is missing

def rated_barriers(analysis: VehicleAnalysis) -> list[tuple[ExistingMeasure, Any]]:
    """The assessment's existing measures with a barrier rating and a location, each in metres."""
    site = analysis.assessment.site
    lon0, lat0 = origin_of(site)
    found = []
    for measure in ExistingMeasure.objects.filter(assessment=analysis.assessment).exclude(barrier_rating=""):
        if measure.geometry:
            shape = geometry.to_metric_about(geometry.parse(measure.geometry, ("Point", "Polygon")), lon0, lat0)
            found.append((measure, shape))
    return found


@dataclass
class PointView:
    row: dict[str, Any]
    outcome: coverage.PointOutcome
    barriers: list[coverage.Barrier]
    matching: list[CatalogueEntry] = field(default_factory=list)  # catalogue barriers that stop the worst case

    @property
    def pairs(self) -> list[tuple[coverage.ClassOutcome, dict[str, Any]]]:
        """Each class's outcome with its stored approach (path length, streets)."""
        return list(zip(self.outcome.outcomes, self.row["approaches"], strict=True))


@dataclass
class VehicleOutcome:
    points: list[PointView]
    unstopped_kmh: float
    proposed_likelihood: int | None
    unlocated: list[ExistingMeasure]  # rated measures without a location: they protect no point


def outcome_of(analysis: VehicleAnalysis) -> VehicleOutcome | None:
    """What the current existing barriers stop of the stored approaches (None before a run)."""
    rows = (analysis.results or {}).get("points")
    if rows is None:
        return None
    from shapely.geometry import Point

    lon0, lat0 = origin_of(analysis.assessment.site)
    barriers = rated_barriers(analysis)
    unlocated = list(ExistingMeasure.objects.filter(assessment=analysis.assessment, geometry__isnull=True)
                     .exclude(barrier_rating=""))
    entries = [e for e in catalogue_for(analysis.organisation) if (e.data.get("barrier_rating") or {}).get("rating")]
    points = []
    for row in rows:
        x, y = geometry.points_to_metric([row["lonlat"]], lon0, lat0)[0]
        here = []
        for measure, shape in barriers:
            distance = float(shape.distance(Point(x, y)))
            if distance <= analysis.barrier_reach_m:
                here.append(coverage.Barrier(str(measure.pk), measure.description, measure.barrier_rating, distance))
        outcome = coverage.assess_point([(a["class"], a["speed_ms"], a["energy_kj"], a["angle_deg"])
                                         for a in row["approaches"]], here)
        view = PointView(row, outcome, here)
        worst = outcome.worst
        if worst is not None and worst.stopped_by is None:
            view.matching = [e for e in entries if check_rating(e.data["barrier_rating"]["rating"],
                                                                worst.vehicle_class, worst.speed_ms,
                                                                accept_heavier=True).stops]
        points.append(view)
    fastest = max((p.outcome.unstopped_kmh for p in points), default=0.0)
    likelihood = coverage.proposed_likelihood(fastest) if points else None
    return VehicleOutcome(points, fastest, likelihood, unlocated)


def barrier_exclusions(scenario: Any, entries: list[CatalogueEntry]) -> list[tuple[CatalogueEntry, str]]:
    """Catalogue barriers (entries with a ``barrier_rating``) the gap analysis should not propose for
    SCENARIO, with why: none when the existing barriers stop every computed approach, else those
    whose rating does not stop the worst approach no barrier stops. [] without a run analysis."""
    from django.utils.translation import gettext as _

    analysis = VehicleAnalysis.objects.filter(scenario=scenario).first()
    if analysis is None:
        return []
    try:
        outcome = outcome_of(analysis)
    except VehicleAnalysisError:
        return []
    if outcome is None or not outcome.points:
        return []
    barriers = [e for e in entries if (e.data.get("barrier_rating") or {}).get("rating")]
    open_ = [p.outcome.worst for p in outcome.points
             if p.outcome.worst is not None and p.outcome.worst.stopped_by is None]
    if not open_:
        reason = _("the existing barriers stop every approach the run-up analysis found")
        return [(e, reason) for e in barriers]
    worst = max(open_, key=lambda o: o.energy_kj)
    left_out = []
    for entry in barriers:
        check = check_rating(entry.data["barrier_rating"]["rating"], worst.vehicle_class, worst.speed_ms,
                             accept_heavier=True)
        if not check.stops:
            left_out.append((entry, _("does not stop the worst unstopped approach (%(vehicle)s at %(speed)s km/h): "
                                      "%(reason)s") % {"vehicle": worst.vehicle_class,
                                                       "speed": f"{worst.speed_kmh:.0f}", "reason": check.reason}))
    return left_out
