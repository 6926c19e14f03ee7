"""Street-network run-up analysis: worked examples, the networkx reference, the walks, bad networks."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stoa.core.engineering_data import UnknownVehicleClass
from stoa.core.hvm import (
    AccessPoint,
    NetworkError,
    StreetNetwork,
    VehicleDynamics,
    analyse_run_up,
    path_impact_speed,
    vehicle_dynamics,
)
from tests.core.test_hvm_reference import brute_force_run_up, networkx_run_up

# The research note's worked example (§1.5): a = 3 m/s², μ = 0.6 (b = 0.6 g), 100 m straight from
# rest, a bend of r = 15 m, then 40 m to the barrier: 9.396 m/s in the bend, 18.119 m/s at the barrier.
WORKED = VehicleDynamics("worked", 1500.0, 3.0, 0.6 * 9.81, 0.6 * 9.81, math.inf)
RIGHT_ANGLE_LEG_FOR_15_M = 15 * math.sqrt(2)  # R = t / √2 at a right angle


def test_the_worked_example_of_the_research_note():
    network = StreetNetwork({"start": (0, 0), "bend": (100, 0), "barrier": (100, 40)},
                            [("start", "bend", 100), ("bend", "barrier", 40)])
    [approach] = analyse_run_up(network, [AccessPoint("barrier", (1, 0))], [WORKED],
                                corner_leg_m=RIGHT_ANGLE_LEG_FOR_15_M)
    assert approach.speed_ms == pytest.approx(18.119, abs=5e-4)
    assert approach.path == ("bend", "barrier")
    assert approach.start_speed_ms == pytest.approx(9.396, abs=5e-4)
    assert approach.length_m == 40
    assert approach.heading_deg == pytest.approx(0.0)  # due north in the frame
    assert approach.angle_deg == pytest.approx(90.0)  # head-on to an east–west perimeter
    assert approach.energy_kj == pytest.approx(0.5 * 1500 * 18.119 ** 2 / 1000, rel=1e-4)


def test_a_straight_run_up_accelerates_to_the_top_speed_and_names_its_start():
    nodes = {i: (0.0, 50.0 * i) for i in range(11)}  # 500 m of straight street, northwards
    network = StreetNetwork(nodes, [(i, i + 1, 50.0) for i in range(10)])
    car, truck = analyse_run_up(network, [10], ["M1", "N3F"])
    assert car.speed_ms == pytest.approx(50.0)  # 3 m/s² reaches 50 m/s after 417 m
    assert truck.speed_ms == pytest.approx(math.sqrt(2 * 0.6 * 500))  # 0.6 m/s² does not reach 25 m/s
    assert truck.path == tuple(range(11)) and truck.start_speed_ms == 0 and truck.length_m == 500
    assert truck.energy_kj == pytest.approx(0.5 * 30_000 * 2 * 0.6 * 500 / 1000)
    near = analyse_run_up(network, [10], ["N3F"], search_distance_m=200)[0]
    assert near.speed_ms == pytest.approx(math.sqrt(2 * 0.6 * 200)) and near.path == (6, 7, 8, 9, 10)


def test_a_right_angle_corner_resets_the_speed_and_the_angle_is_to_the_perimeter():
    nodes = {"far": (-400.0, 0.0), "corner": (0.0, 0.0), "gate": (0.0, 30.0)}
    network = StreetNetwork(nodes, [("far", "corner", 400), ("corner", "gate", 30)])
    [car] = analyse_run_up(network, [AccessPoint("gate", (1, 1), key="north gate")], ["M1"])
    corner2 = 9.81 * 1.0 * 20 / math.sqrt(2)  # μ = 1 (surface not determined), R = 20/√2
    assert car.speed_ms == pytest.approx(math.sqrt(corner2 + 2 * 3.0 * 30))
    assert car.path == ("corner", "gate") and car.access_point.key == "north gate"
    assert car.angle_deg == pytest.approx(45.0)
    wet = analyse_run_up(network, ["gate"], ["M1"], surface="WET_ASPHALT")[0]
    assert wet.speed_ms == pytest.approx(math.sqrt(0.5 * corner2 + 2 * 3.0 * 30))


def test_a_truck_corners_at_its_rollover_threshold():
    nodes = {"far": (-400.0, 0.0), "corner": (0.0, 0.0), "gate": (0.0, 30.0)}
    network = StreetNetwork(nodes, [("far", "corner", 400), ("corner", "gate", 30)])
    [truck] = analyse_run_up(network, ["gate"], ["N2A"])
    assert truck.start_speed_ms == pytest.approx(math.sqrt(0.35 * 9.81 * 20 / math.sqrt(2)))


def test_an_edge_speed_limit_caps_the_speed_along_it():
    nodes = {i: (0.0, 50.0 * i) for i in range(9)}
    edges = [(i, i + 1, 50.0, 8.0 if i == 6 else None) for i in range(8)]  # a speed table 100 m out
    [car] = analyse_run_up(StreetNetwork(nodes, edges), [8], ["M1"])
    assert car.speed_ms == pytest.approx(math.sqrt(8.0 ** 2 + 2 * 3.0 * 50))
    assert car.path == (7, 8) and car.start_speed_ms == pytest.approx(8.0)


def test_one_way_streets_count_only_when_directed():
    nodes = {i: (0.0, 50.0 * i) for i in range(5)}
    edges = [(i + 1, i, 50.0) for i in range(4)]  # one-way away from node 4
    assert analyse_run_up(StreetNetwork(nodes, edges), [4], ["M1"])[0].speed_ms == pytest.approx(math.sqrt(1200))
    directed = analyse_run_up(StreetNetwork(nodes, edges, directed=True), [4], ["M1"])[0]
    assert directed.speed_ms == 0 and directed.path == (4,) and directed.heading_deg is None


def test_circling_a_roundabout_reaches_its_bend_limit():
    # A 16-sided ring of radius 30 m with one spur to the gate: from rest on the ring, a vehicle
    # can lap until it runs at the ring's bend limit, then leave.
    ring = {f"r{i}": (30 * math.cos(2 * math.pi * i / 16), 30 * math.sin(2 * math.pi * i / 16)) for i in range(16)}
    nodes = {**ring, "gate": (30.0, -40.0)}
    edges = [(f"r{i}", f"r{(i + 1) % 16}", math.dist(ring[f"r{i}"], ring[f"r{(i + 1) % 16}"]), None)
             for i in range(16)]
    edges.append(("r0", "gate", 40.0, None))
    network = StreetNetwork(nodes, [(u, v, length) for u, v, length, _ in edges], directed=True)
    [car] = analyse_run_up(network, ["gate"], ["M1"])
    assert networkx_run_up(nodes, [(u, v, length) for u, v, length, _ in edges], ["gate"], ["M1"],
                           directed=True)[0][0] == pytest.approx(car.speed_ms, rel=1e-9)
    assert len(car.path) >= 2 and car.start_speed_ms > 0
    assert _replayed(nodes, car, vehicle_dynamics("M1"), 20.0) == pytest.approx(car.speed_ms, rel=1e-9)


# --- random networks: the vectorised analysis against the references -------------------------------

@st.composite
def networks(draw: st.DrawFn, euclidean: bool = False) -> tuple[dict, list, list, float | None]:
    count = draw(st.integers(3, 8))
    coordinate = st.integers(0, 30).map(lambda c: c * 10.0)
    points = draw(st.lists(st.tuples(coordinate, coordinate), min_size=count, max_size=count, unique=True))
    nodes = {f"n{i}": point for i, point in enumerate(points)}
    names = list(nodes)
    pairs = draw(st.lists(st.tuples(st.sampled_from(names), st.sampled_from(names)).filter(lambda p: p[0] < p[1]),
                          min_size=2, max_size=14, unique=True))
    edges = []
    for u, v in pairs:
        straight = math.dist(nodes[u], nodes[v])
        stretch = 1.0 if euclidean else draw(st.sampled_from([1.0, 1.0, 1.1, 1.5]))
        limit = draw(st.sampled_from([None, None, None, 6.0, 12.0]))
        edges.append((u, v, straight * stretch, limit))
    access = draw(st.lists(st.sampled_from(sorted({p for pair in pairs for p in pair})), min_size=1, max_size=3))
    distance = draw(st.one_of(st.none(), st.sampled_from([60.0, 150.0, 400.0])))
    return nodes, edges, access, distance


FLEET = ["M1", "N1", "N3F"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_the_vectorised_analysis_gives_the_networkx_reference_speeds(case):
    nodes, edges, access, distance = case
    approaches = analyse_run_up(StreetNetwork(nodes, edges), access, FLEET, search_distance_m=distance)
    reference = networkx_run_up(nodes, edges, access, FLEET, search_distance_m=distance)
    fast = [[a.speed_ms for a in approaches[i * len(FLEET):(i + 1) * len(FLEET)]] for i in range(len(access))]
    assert fast == [pytest.approx(row, rel=1e-9, abs=1e-9) for row in reference]


def _replayed(nodes: dict, approach, vehicle: VehicleDynamics, leg: float, limits: dict | None = None) -> float:
    if len(approach.path) < 2:
        return 0.0
    points = [nodes[n] for n in approach.path]
    segment = None
    if limits:
        segment = [limits.get((u, v)) or limits.get((v, u)) or math.inf
                   for u, v in zip(approach.path, approach.path[1:], strict=False)]
    return path_impact_speed(points, vehicle.acceleration_ms2, vehicle.lateral_accel_ms2, vehicle.braking_ms2,
                             initial_speed_ms=approach.start_speed_ms, top_speed_ms=vehicle.top_speed_ms,
                             corner_leg_m=leg, segment_max_speed_ms=segment)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(euclidean=True))
def test_every_reported_path_gives_its_speed_and_no_walk_is_faster(case):
    nodes, edges, access, distance = case
    limits = {(u, v): limit for u, v, _, limit in edges if limit is not None}
    approaches = analyse_run_up(StreetNetwork(nodes, edges), access, FLEET, search_distance_m=distance)
    for approach in approaches:
        vehicle = vehicle_dynamics(approach.vehicle_class)
        assert _replayed(nodes, approach, vehicle, 20.0, limits) == pytest.approx(approach.speed_ms, rel=1e-9,
                                                                                  abs=1e-9)
        walks = brute_force_run_up(nodes, edges, approach.access_point.node, vehicle, max_edges=4,
                                   search_distance_m=distance)
        assert walks <= approach.speed_ms * (1 + 1e-9) + 1e-9


def test_on_a_small_grid_the_best_short_walk_is_the_result():
    nodes = {(i, j): (60.0 * i, 60.0 * j) for i in range(4) for j in range(4)}
    edges = [((i, j), (i + 1, j), 60.0) for i in range(3) for j in range(4)]
    edges += [((i, j), (i, j + 1), 60.0) for i in range(4) for j in range(3)]
    truck = vehicle_dynamics("N3F")
    [approach] = analyse_run_up(StreetNetwork(nodes, edges), [(3, 3)], ["N3F"])
    assert approach.speed_ms == pytest.approx(brute_force_run_up(nodes, edges, (3, 3), truck, max_edges=6))
    # A whole 180 m side, entered round a corner at the rollover-limited 6.97 m/s.
    assert approach.speed_ms == pytest.approx(math.sqrt(0.35 * 9.81 * 20 / math.sqrt(2) + 2 * 0.6 * 180))


# --- bad input -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("nodes", "edges", "message"), [
    ({"a": (0, 0), "b": (10, 0)}, [("a", "c", 10)], "edge 0 ('a' → 'c'): node 'c' is not in the network"),
    ({"a": (0, 0), "b": (10, 0)}, [("a", "b", 0)], "edge 0 ('a' → 'b'): length_m must be a finite number above 0"),
    ({"a": (0, 0), "b": (10, 0)}, [("a", "b", -5)], "length_m must be a finite number above 0, got -5"),
    ({"a": (0, 0), "b": (10, 0)}, [("a", "b", "ten")], "length_m must be a number, got 'ten'"),
    ({"a": (0, 0), "b": (10, 0)}, [("a", "b", 9)], "is shorter than the straight line between its ends (10.00 m)"),
    ({"a": (0, 0), "b": (0, 0)}, [("a", "b", 5)], "joins two nodes at the same position"),
    ({"a": (0, 0), "b": (10, 0)}, [("a", "a", 5)], "an edge must join two different nodes"),
    ({"a": (0, 0), "b": (10, 0)}, [("a", "b", 10, 0)], "max_speed_ms must be above 0"),
    ({"a": (0, 0), "b": (10, 0)}, [("a", "b")], "expected (u, v, length_m)"),
    ({"a": (0, float("nan")), "b": (10, 0)}, [("a", "b", 10)], "node 'a': (x, y) must be finite"),
    ({"a": (0,), "b": (10, 0)}, [("a", "b", 10)], "node 'a': expected (x, y) in metres"),
])
def test_a_broken_network_is_refused_with_a_specific_message(nodes, edges, message):
    with pytest.raises(NetworkError) as caught:
        StreetNetwork(nodes, edges)
    assert message in str(caught.value)


def test_array_input_is_checked_too():
    with pytest.raises(NetworkError, match="edge 1: head index 7 is not a node"):
        StreetNetwork.from_arrays(["a", "b"], [(0, 0), (10, 0)], [0, 1], [1, 7], [10, 10])
    with pytest.raises(NetworkError, match="node ids must be unique"):
        StreetNetwork.from_arrays(["a", "a"], [(0, 0), (10, 0)], [0], [1], [10])


def test_bad_analysis_arguments_are_refused():
    network = StreetNetwork({"a": (0, 0), "b": (10, 0)}, [("a", "b", 10)])
    with pytest.raises(NetworkError, match="access point 'z': node 'z' is not in the network"):
        analyse_run_up(network, ["z"], ["M1"])
    with pytest.raises(UnknownVehicleClass, match="unknown vehicle class 'N9'; known classes: M1, N1G"):
        analyse_run_up(network, ["b"], ["N9"])
    with pytest.raises(NetworkError, match="search_distance_m must be a finite distance above 0"):
        analyse_run_up(network, ["b"], ["M1"], search_distance_m=-1)
    with pytest.raises(NetworkError, match="perimeter_direction must be a non-zero vector"):
        analyse_run_up(network, [AccessPoint("b", (0, 0))], ["M1"])
