"""Plain references for the street-network run-up analysis, and their own checks.

``networkx_run_up`` is the same definition as ``stoa.core.hvm.network.analyse_run_up`` (see that
module's doc), computed the straightforward way: one access point at a time, its neighbourhood
from ``networkx.single_source_dijkstra_path_length`` on the reversed graph, then a worklist
(label-correcting) search over the neighbourhood's streets in plain Python. The tests and
``bench/run_up.py`` compare the two. ``brute_force_run_up`` enumerates walks and evaluates each
with ``path_impact_speed``: it pins the definition itself on tiny networks.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Hashable, Sequence

import networkx as nx
import pytest

from stoa.core.hvm import VehicleDynamics, path_impact_speed, vehicle_dynamics

Edge = tuple[Hashable, Hashable, float] | tuple[Hashable, Hashable, float, float | None]


def build_graph(nodes: dict[Hashable, tuple[float, float]], edges: Sequence[Edge], directed: bool = False
                ) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for node, (x, y) in nodes.items():
        graph.add_node(node, x=float(x), y=float(y))
    for edge in edges:
        u, v, length = edge[0], edge[1], float(edge[2])
        limit = edge[3] if len(edge) == 4 else None
        limit = math.inf if limit is None else float(limit)
        graph.add_edge(u, v, length=length, limit=limit)
        if not directed:
            graph.add_edge(v, u, length=length, limit=limit)
    return graph


def _unit(graph: nx.MultiDiGraph, u: Hashable, v: Hashable) -> tuple[float, float, float]:
    dx = graph.nodes[v]["x"] - graph.nodes[u]["x"]
    dy = graph.nodes[v]["y"] - graph.nodes[u]["y"]
    norm = math.hypot(dx, dy)
    return dx / norm, dy / norm, norm


def bend_limit2(graph: nx.MultiDiGraph, w: Hashable, x: Hashable, y: Hashable, limit_in: float, limit_out: float,
                lateral: float, corner_leg_m: float) -> float:
    ax, ay, a = _unit(graph, w, x)
    bx, by, b = _unit(graph, x, y)
    turn = math.hypot(bx - ax, by - ay)
    radius = min(a, b, corner_leg_m) / turn if turn > 1e-12 else math.inf
    return min(lateral * radius, limit_in ** 2, limit_out ** 2)


def networkx_run_up(nodes: dict[Hashable, tuple[float, float]], edges: Sequence[Edge],
                    access_points: Sequence[Hashable], vehicles: Sequence[str | VehicleDynamics], *,
                    search_distance_m: float | None = None, corner_leg_m: float = 20.0, directed: bool = False,
                    graph: nx.MultiDiGraph | None = None) -> list[list[float]]:
    """Impact speeds in m/s, [access point][vehicle], by the plain per-access-point algorithm."""
    graph = graph if graph is not None else build_graph(nodes, edges, directed)
    fleet = [v if isinstance(v, VehicleDynamics) else vehicle_dynamics(v) for v in vehicles]
    reverse = graph.reverse(copy=False)
    results = []
    for target in access_points:
        if search_distance_m is None:
            region = nx.ancestors(graph, target) | {target}
        else:
            region = set(nx.single_source_dijkstra_path_length(reverse, target, cutoff=search_distance_m,
                                                               weight="length"))
        arcs = [(u, v, k) for u, v, k in graph.edges(keys=True) if u in region and v in region]
        speeds = []
        for vehicle in fleet:
            speeds.append(math.sqrt(_worklist(graph, region, arcs, target, vehicle, corner_leg_m)))
        results.append(speeds)
    return results


def _worklist(graph: nx.MultiDiGraph, region: set[Hashable], arcs: list[tuple[Hashable, Hashable, int]],
              target: Hashable, vehicle: VehicleDynamics, corner_leg_m: float) -> float:
    a, lateral, top2 = vehicle.acceleration_ms2, vehicle.lateral_accel_ms2, vehicle.top_speed_ms ** 2

    def data(arc: tuple[Hashable, Hashable, int]) -> dict[str, float]:
        return graph.edges[arc]

    def cap(arc: tuple[Hashable, Hashable, int]) -> float:
        return min(top2, data(arc)["limit"] ** 2)

    best = {arc: min(cap(arc), 2 * a * data(arc)["length"]) for arc in arcs}
    queue = deque(arcs)
    waiting = set(arcs)
    while queue:
        arc = queue.popleft()
        waiting.discard(arc)
        w, x, _ = arc
        for _, y, key in graph.out_edges(x, keys=True):
            if y not in region or y == w:
                continue
            following = (x, y, key)
            through = min(best[arc], bend_limit2(graph, w, x, y, data(arc)["limit"], data(following)["limit"],
                                                 lateral, corner_leg_m))
            candidate = min(cap(following), max(0.0, through) + 2 * a * data(following)["length"])
            if candidate > best[following]:
                best[following] = candidate
                if following not in waiting:
                    waiting.add(following)
                    queue.append(following)
    return max((value for (u, v, _), value in best.items() if v == target), default=0.0)


def brute_force_run_up(nodes: dict[Hashable, tuple[float, float]], edges: Sequence[Edge], target: Hashable,
                       vehicle: VehicleDynamics, *, max_edges: int, search_distance_m: float | None = None,
                       corner_leg_m: float = 20.0) -> float:
    """The best of every walk of at most MAX_EDGES edges into TARGET, each from rest, by ``path_impact_speed``."""
    graph = build_graph(nodes, edges)
    if search_distance_m is None:
        region = nx.ancestors(graph, target) | {target}
    else:
        region = set(nx.single_source_dijkstra_path_length(graph.reverse(copy=False), target,
                                                           cutoff=search_distance_m, weight="length"))
    best = 0.0

    def walk(arcs: list[tuple[Hashable, Hashable, int]]) -> None:
        nonlocal best
        points = [(graph.nodes[arcs[0][0]]["x"], graph.nodes[arcs[0][0]]["y"])]
        points += [(graph.nodes[v]["x"], graph.nodes[v]["y"]) for _, v, _ in arcs]
        limits = [graph.edges[arc]["limit"] for arc in arcs]
        speed = path_impact_speed(points, vehicle.acceleration_ms2, vehicle.lateral_accel_ms2, vehicle.braking_ms2,
                                  top_speed_ms=vehicle.top_speed_ms, corner_leg_m=corner_leg_m,
                                  segment_max_speed_ms=limits)
        best = max(best, speed)
        if len(arcs) == max_edges:
            return
        start, following = arcs[0][0], arcs[0][1]
        for w, _, key in graph.in_edges(start, keys=True):
            if w in region and w != following:
                walk([(w, start, key), *arcs])

    for u, _, key in graph.in_edges(target, keys=True):
        if u in region:
            walk([(u, target, key)])
    return best


# --- the references' own checks -----------------------------------------------------------------

SQUARE = {"a": (0.0, 0.0), "b": (100.0, 0.0), "c": (100.0, 100.0), "d": (0.0, 100.0)}
SQUARE_EDGES = [("a", "b", 100.0), ("b", "c", 100.0), ("c", "d", 100.0), ("d", "a", 100.0)]


def test_the_worklist_on_a_square_block_matches_the_walks():
    car = vehicle_dynamics("M1")
    speed = networkx_run_up(SQUARE, SQUARE_EDGES, ["a"], [car])[0][0]
    # Round the block: every corner is a right angle with 100 m legs, so R = 20/√2 and the speed at
    # a corner is √(9.81·14.14); then 100 m at 3 m/s² to the target.
    corner2 = 9.81 * 20 / math.sqrt(2)
    assert speed == pytest.approx(math.sqrt(corner2 + 2 * 3.0 * 100))
    assert brute_force_run_up(SQUARE, SQUARE_EDGES, "a", car, max_edges=4) == pytest.approx(speed)


def test_the_search_distance_keeps_the_walk_near_the_target():
    car = vehicle_dynamics("M1")
    # Within 150 m of a, only b and d (100 m) are inside: a straight 100 m run-up.
    near = networkx_run_up(SQUARE, SQUARE_EDGES, ["a"], [car], search_distance_m=150)[0][0]
    assert near == pytest.approx(math.sqrt(2 * 3.0 * 100))
    assert brute_force_run_up(SQUARE, SQUARE_EDGES, "a", car, max_edges=4, search_distance_m=150) == \
        pytest.approx(near)
