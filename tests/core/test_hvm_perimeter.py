"""Perimeter points on a street network, and what existing barriers stop of the approaches."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from shapely.geometry import box

from stoa.core.hvm import coverage
from stoa.core.hvm.network import NetworkError
from stoa.core.hvm.perimeter import SiteAccess, build_perimeter

SITE = box(0, 0, 100, 100)


def _streets(*lines):
    """Segments from polylines of (x, y); nodes shared where coordinates are equal."""
    index, xy, tails, heads, names = {}, [], [], [], []
    for name, points in lines:
        ids = []
        for p in points:
            if p not in index:
                index[p] = len(xy)
                xy.append(p)
            ids.append(index[p])
        for a, b in itertools.pairwise(ids):
            tails.append(a)
            heads.append(b)
            names.append(name)
    return ([f"n{i}" for i in range(len(xy))], np.array(xy, dtype=float), np.array(tails), np.array(heads),
            np.full(len(tails), np.nan), names)


def test_a_street_crossing_the_boundary_is_cut_there_and_the_inside_part_dropped():
    ids, xy, t, h, v, names = _streets(("North street", [(50, 400), (50, 150), (50, 60)]),
                                       ("Inner lane", [(20, 20), (80, 20)]))
    cut = build_perimeter(ids, xy, t, h, v, names, SITE, [])
    assert len(cut.points) == 1
    point = cut.points[0]
    assert point.kind == "crossing" and point.street == "North street"
    assert point.xy == pytest.approx((50, 100))
    assert abs(point.direction[1]) < 1e-9  # the boundary runs east-west there
    assert cut.network.edge_count == 4  # two segments outside, both ways; the inner lane is gone


def test_an_access_point_takes_over_the_nearest_crossing_and_a_far_one_is_reported():
    ids, xy, t, h, v, names = _streets(("North street", [(50, 400), (50, 150), (50, 60)]))
    access = [SiteAccess("ap-1", "North gate", 52, 100), SiteAccess("ap-2", "River stairs", 50, -80)]
    cut = build_perimeter(ids, xy, t, h, v, names, SITE, access, snap_m=10)
    assert [(p.key, p.name, p.kind) for p in cut.points] == [("ap-1", "North gate", "access")]
    (far, distance), = cut.unmatched
    assert far.key == "ap-2" and distance == pytest.approx(180)


def test_without_a_boundary_access_points_snap_to_the_nearest_node():
    ids, xy, t, h, v, names = _streets(("A", [(0, 0), (100, 0), (200, 0)]))
    cut = build_perimeter(ids, xy, t, h, v, names, None, [SiteAccess("k", "Gate", 98, 3)])
    assert [(p.node, p.direction) for p in cut.points] == [("n1", None)]


def test_a_network_wholly_inside_the_site_is_refused():
    ids, xy, t, h, v, names = _streets(("Inner", [(10, 10), (90, 90)]))
    with pytest.raises(NetworkError, match="outside the site's boundary"):
        build_perimeter(ids, xy, t, h, v, names, SITE, [])


def test_the_likelihood_bands_sit_at_the_test_speeds():
    speeds = [0, 15.9, 16, 31.9, 32, 47.9, 48, 63.9, 64, 130]
    assert [coverage.proposed_likelihood(s) for s in speeds] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    with pytest.raises(ValueError):
        coverage.proposed_likelihood(-1)


def test_a_barrier_stops_what_its_rating_covers_and_the_worst_case_is_what_is_left():
    approaches = [("M1", 80 / 3.6, 370.0, 90.0), ("N3C", 50 / 3.6, 700.0, 90.0)]
    bollard = coverage.Barrier("b", "Bollards", "V/7200[N3C]/48/90", 3.0)
    outcome = coverage.assess_point(approaches, [bollard])
    by_class = {o.vehicle_class: o for o in outcome.outcomes}
    # Rated for the heavier N3C at 48 km/h: stops a car up to 48 km/h, so neither the 80 km/h car
    # nor the 50 km/h truck (above the test speed) is stopped.
    assert by_class["M1"].stopped_by is None and by_class["N3C"].stopped_by is None
    assert outcome.worst.vehicle_class == "N3C"
    assert outcome.worst.required.notations["IWA_14_1"] == "V/7200[N3C]/56/90"
    strong = coverage.Barrier("s", "Road blocker", "V/7200[N3C]/80/90", 1.0)
    stopped = coverage.assess_point(approaches, [bollard, strong])
    assert {o.stopped_by for o in stopped.outcomes} == {"Road blocker"}
    assert stopped.unstopped_kmh == 0

