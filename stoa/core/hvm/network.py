"""Street-network run-up analysis: the fastest a vehicle can reach each access point of a perimeter.

**Input.** Nodes with (x, y) in metres in a local projected frame; edges (u, v, length in m,
optionally a speed limit in m/s for traffic calming and the like); access points (node ids on
the perimeter, optionally with the direction of the perimeter line there); vehicle classes; an
optional search distance. Edges are two-way unless ``directed=True``: a hostile driver ignores
one-way signs. Curved streets must be drawn with intermediate nodes (an OSM way's vertices), as
a bend is only seen where two edges meet. The protected area's own streets should be cut off at
the access points: an approach may pass through any node, access points included.

**What is computed, exactly.** A vehicle may start from rest at any node and drive any walk
(repeated streets and loops allowed: circling a block or a roundabout to gain speed is
possible) to the access point. Along the walk, the speed is limited at every node by the bend
it takes there, at every node and along every edge by the edges' speed limits, and everywhere by
the class's top speed; between limits it accelerates at the class's constant acceleration. The
bend radius at a node between an incoming edge (from w) and an outgoing edge (to y) is that of
``stoa.core.hvm.dynamics.turn_radii`` with the corner leg (shipped parameter ``CORNER_LEG_M``,
20 m): R = t / |u_out − u_in|, t = min(length of the two edges' straight segments, 20 m), and
the bend's speed limit is √(a_lat·R) with a_lat = g·min(μ, SRT). Reversing onto the street one
came from is not a bend but a stop (it is left out; starting again from rest there is covered).
The result for an access point is the highest speed at which any such walk can arrive, over
every edge into it, per vehicle class: exactly what ``path_impact_speed(points, a, a_lat, b,
top_speed_ms=..., corner_leg_m=..., segment_max_speed_ms=...)`` gives for the best walk's
polyline (a test checks it on the reported paths), whatever the braking rate (see
``stoa.core.hvm.dynamics``).

With ``search_distance_m`` = D, each access point is analysed on its own neighbourhood: the walk
may only use nodes from which the access point is at most D away along the network (so the
vehicle starts at most D away and never wanders further). With D = None the whole network is
used (the vehicle may come from anywhere). A D shorter than the distance a class needs to reach
its top speed from rest, v_top²/(2·a) (about 420 m for a car, 520 m for a 30 t truck with the
shipped defaults), can give a lower speed than the whole network would: it answers "from within
D", not "from anywhere".

**How.** Let W(e) be the highest squared speed at which a vehicle can reach the end of edge e.
Then W(e) = min(cap(e), max(0, max over edges p into e's start of min(W(p), C(p, e))) + 2·a·ℓ(e)),
where C(p, e) is the squared speed limit of the bend from p to e and cap(e) the squared top speed
or edge limit. The highest walk speed is the least solution above "start from rest on e", which
the iteration W ← that formula reaches from W = min(cap, 2·a·ℓ) (after k rounds, W is the best
over walks of at most k + 1 edges; it stops when nothing changes, which happens after finitely
many rounds since the speeds are capped). One round is a few NumPy operations over all bends of
all neighbourhoods and all classes at once (a segment maximum with ``np.maximum.reduceat``);
the neighbourhoods come from one ``scipy.sparse.csgraph.dijkstra`` call per batch of access
points on the reversed graph with ``limit=D``. The network's sparse structures are built once
per ``StreetNetwork``. The worst path is read back from the bend that set each maximum: it
starts where the vehicle starts from rest, or at the node whose bend limits the speed (the
vehicle is then taken to pass that bend at its limit, ``start_speed_ms``), and ends at the
access point.

**Output per access point and vehicle class** (``Approach``): the impact speed, the kinetic
energy with the class's mass, the path (node ids) and its length, the heading of the final edge
(bearing in degrees clockwise from +y, i.e. from north in a north-up frame) and, when the access
point gives its perimeter direction, the impact angle between the final edge and the perimeter
line (90° = head-on, the angle of the barrier ratings).

**Limits.** The model's (see ``stoa.core.hvm.dynamics``): constant acceleration, flat roads,
bends as points with a radius from the drawn geometry and the corner leg (not the real kerb
lines), no driver reaction or traffic. Off-street drivable areas (squares, verges, pedestrian
zones) count only if the caller adds them as edges.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse
from scipy.sparse import csgraph

from stoa.core.engineering_data import EngineeringData, shipped
from stoa.core.hvm.dynamics import VehicleDynamics, bend_radius, vehicle_dynamics

DIJKSTRA_BATCH = 32  # access points per csgraph call: a batch's distance matrix is batch × nodes floats
LENGTH_TOLERANCE = 1e-6  # relative and absolute (m): an edge may not be shorter than its straight line


class NetworkError(ValueError):
    """A street network that cannot be analysed: a missing node, a bad length, broken geometry..."""


@dataclass(frozen=True)
class AccessPoint:
    """A node on the perimeter; ``perimeter_direction`` (any vector along the barrier line) gives the impact angle."""

    node: Hashable
    perimeter_direction: tuple[float, float] | None = None
    key: Hashable | None = None  # the caller's id, returned unchanged


@dataclass(frozen=True)
class Approach:
    """The worst approach to one access point for one vehicle class."""

    access_point: AccessPoint
    vehicle_class: str
    speed_ms: float
    energy_kj: float
    path: tuple[Hashable, ...]  # node ids from the start of the run-up to the access point
    start_speed_ms: float  # speed at path[0]: 0 from rest, else the limit of the bend there
    length_m: float
    heading_deg: float | None
    angle_deg: float | None

    @property
    def speed_kmh(self) -> float:
        return self.speed_ms * 3.6


class StreetNetwork:
    """A validated street network with the sparse structures of the analysis, built once.

    NODES maps node ids to (x, y) in metres (or is a sequence of (id, x, y)); EDGES are
    (u, v, length_m) or (u, v, length_m, max_speed_ms) with ``None`` for no limit.
    """

    def __init__(self, nodes: Mapping[Hashable, Sequence[float]] | Iterable[Sequence[object]],
                 edges: Iterable[Sequence[object]], *, directed: bool = False) -> None:
        ids, xy = _read_nodes(nodes)
        index = {node: i for i, node in enumerate(ids)}
        tails, heads, lengths, limits = [], [], [], []
        for number, edge in enumerate(edges):
            if not isinstance(edge, Sequence) or len(edge) not in (3, 4):
                raise NetworkError(f"edge {number}: expected (u, v, length_m) or (u, v, length_m, max_speed_ms), "
                                   f"got {edge!r}")
            u, v = edge[0], edge[1]
            for end in (u, v):
                if end not in index:
                    raise NetworkError(f"edge {number} ({u!r} → {v!r}): node {end!r} is not in the network")
            tails.append(index[u])
            heads.append(index[v])
            lengths.append(_number(edge[2], f"edge {number} ({u!r} → {v!r}): length_m"))
            limit = edge[3] if len(edge) == 4 else None
            limits.append(math.inf if limit is None else _number(limit, f"edge {number} ({u!r} → {v!r}): max_speed_ms"))
        self._setup(ids, xy, np.array(tails, dtype=np.int64), np.array(heads, dtype=np.int64),
                    np.array(lengths, dtype=float), np.array(limits, dtype=float), directed)

    @classmethod
    def from_arrays(cls, node_ids: Sequence[Hashable], xy: ArrayLike, tails: ArrayLike, heads: ArrayLike,
                    lengths: ArrayLike, max_speed_ms: ArrayLike | None = None, *, directed: bool = False
                    ) -> StreetNetwork:
        """The same from arrays: TAILS and HEADS are indexes into NODE_IDS (fast for large networks)."""
        network = cls.__new__(cls)
        ids = list(node_ids)
        points = np.asarray(xy, dtype=float)
        if points.shape != (len(ids), 2):
            raise NetworkError(f"xy must hold one (x, y) per node ({len(ids)}), got shape {points.shape}")
        if len(set(ids)) != len(ids):
            raise NetworkError("node ids must be unique")
        tail = np.asarray(tails, dtype=np.int64)
        head = np.asarray(heads, dtype=np.int64)
        length = np.asarray(lengths, dtype=float)
        if not (tail.shape == head.shape == length.shape) or tail.ndim != 1:
            raise NetworkError("tails, heads and lengths must be 1-D arrays of the same length")
        for name, ends in (("tail", tail), ("head", head)):
            bad = (ends < 0) | (ends >= len(ids))
            if bad.any():
                number = int(np.flatnonzero(bad)[0])
                raise NetworkError(f"edge {number}: {name} index {int(ends[number])} is not a node of the network")
        limit = np.full(len(tail), np.inf) if max_speed_ms is None else np.asarray(max_speed_ms, dtype=float)
        network._setup(ids, points, tail, head, length, np.where(np.isnan(limit), np.inf, limit), directed)
        return network

    def _setup(self, ids: list[Hashable], xy: NDArray[np.float64], tail: NDArray[np.int64], head: NDArray[np.int64],
               length: NDArray[np.float64], limit: NDArray[np.float64], directed: bool) -> None:
        if not np.isfinite(xy).all():
            raise NetworkError(f"node {ids[int(np.argwhere(~np.isfinite(xy))[0][0])]!r} has no finite (x, y)")
        _check_edges(ids, xy, tail, head, length, limit)
        if not directed:
            tail, head = np.concatenate([tail, head]), np.concatenate([head, tail])
            length, limit = np.concatenate([length, length]), np.concatenate([limit, limit])
        self.node_ids = ids
        self.index = {node: i for i, node in enumerate(ids)}
        self.xy = xy
        self.tail, self.head, self.length, self.limit2 = tail, head, length, limit ** 2
        steps = xy[head] - xy[tail]
        self.geometry_length = np.hypot(steps[:, 0], steps[:, 1])
        self.direction = steps / self.geometry_length[:, None]
        nodes = len(ids)
        # Out-arcs grouped by tail, in-arcs by head (CSR-like: arcs of node x are order[start[x]:start[x + 1]]).
        self.out_order = np.argsort(tail, kind="stable")
        self.out_start = np.concatenate([[0], np.cumsum(np.bincount(tail, minlength=nodes))])
        self.in_order = np.argsort(head, kind="stable")
        self.in_start = np.concatenate([[0], np.cumsum(np.bincount(head, minlength=nodes))])
        # Every bend: in-arc p into node x, out-arc e out of x, except reversing onto the arc p came from.
        out_degree = np.diff(self.out_start)
        p = np.repeat(np.arange(len(tail)), out_degree[head])
        first = np.repeat(self.out_start[head], out_degree[head])
        offset = np.arange(len(p)) - np.repeat(np.cumsum(out_degree[head]) - out_degree[head], out_degree[head])
        e = self.out_order[first + offset]
        keep = head[e] != tail[p]
        p, e = p[keep], e[keep]
        by_node = np.argsort(head[p], kind="stable")
        self.bend_in, self.bend_out = p[by_node], e[by_node]
        self.bend_start = np.concatenate([[0], np.cumsum(np.bincount(head[self.bend_in], minlength=nodes))])
        self._reversed: sparse.csr_matrix | None = None
        self._radius_cache: dict[float, NDArray[np.float64]] = {}

    @property
    def edge_count(self) -> int:
        """Directed arcs (twice the streets of an undirected network)."""
        return len(self.tail)

    def bend_radii(self, corner_leg_m: float) -> NDArray[np.float64]:
        """The radius of every bend (in the order of ``bend_in`` / ``bend_out``) for a corner leg."""
        key = float(corner_leg_m)
        if key not in self._radius_cache:
            p, e = self.bend_in, self.bend_out
            self._radius_cache[key] = bend_radius(self.geometry_length[p], self.geometry_length[e],
                                                  self.direction[p], self.direction[e], key)
        return self._radius_cache[key]

    def reversed_graph(self) -> sparse.csr_matrix:
        """The arcs reversed (head → tail, shortest length of parallel arcs), for distances to a node."""
        if self._reversed is None:
            nodes = len(self.node_ids)
            key = self.head * nodes + self.tail
            order = np.argsort(key, kind="stable")
            unique, starts = np.unique(key[order], return_index=True)
            shortest = np.minimum.reduceat(self.length[order], starts)
            self._reversed = sparse.csr_matrix((shortest, (unique // nodes, unique % nodes)), shape=(nodes, nodes))
        return self._reversed


def _read_nodes(nodes: Mapping[Hashable, Sequence[float]] | Iterable[Sequence[object]]
                ) -> tuple[list[Hashable], NDArray[np.float64]]:
    rows: Iterable[tuple[Any, Any]] = (nodes.items() if isinstance(nodes, Mapping)
                                       else ((row[0], row[1:]) for row in nodes))
    ids: list[Hashable] = []
    coordinates: list[tuple[float, float]] = []
    seen: set[Hashable] = set()
    for node, position in rows:
        if node in seen:
            raise NetworkError(f"node {node!r} is given twice")
        seen.add(node)
        try:
            x, y = (float(c) for c in position)
        except (TypeError, ValueError):
            raise NetworkError(f"node {node!r}: expected (x, y) in metres, got {position!r}") from None
        if not (math.isfinite(x) and math.isfinite(y)):
            raise NetworkError(f"node {node!r}: (x, y) must be finite, got ({x!r}, {y!r})")
        ids.append(node)
        coordinates.append((x, y))
    if not ids:
        raise NetworkError("the network has no nodes")
    return ids, np.array(coordinates, dtype=float).reshape(-1, 2)


def _number(value: object, what: str) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise NetworkError(f"{what} must be a number, got {value!r}") from None
    return number


def _check_edges(ids: list[Hashable], xy: NDArray[np.float64], tail: NDArray[np.int64], head: NDArray[np.int64],
                 length: NDArray[np.float64], limit: NDArray[np.float64]) -> None:
    def name(number: int) -> str:
        return f"edge {number} ({ids[int(tail[number])]!r} → {ids[int(head[number])]!r})"

    def first(mask: NDArray[np.bool_]) -> int | None:
        found = np.flatnonzero(mask)
        return int(found[0]) if len(found) else None

    if (bad := first(~(length > 0) | ~np.isfinite(length))) is not None:
        raise NetworkError(f"{name(bad)}: length_m must be a finite number above 0, got {float(length[bad]):g}")
    if (bad := first(tail == head)) is not None:
        raise NetworkError(f"{name(bad)}: an edge must join two different nodes")
    straight = np.hypot(*(xy[head] - xy[tail]).T)
    if (bad := first(straight == 0)) is not None:
        raise NetworkError(f"{name(bad)}: joins two nodes at the same position, so it has no direction")
    if (bad := first(length < straight * (1 - LENGTH_TOLERANCE) - LENGTH_TOLERANCE)) is not None:
        raise NetworkError(f"{name(bad)}: length_m {length[bad]:g} is shorter than the straight line between its "
                           f"ends ({straight[bad]:.2f} m); check the coordinates' units and projection")
    if (bad := first(~(limit > 0))) is not None:
        raise NetworkError(f"{name(bad)}: max_speed_ms must be above 0, got {float(limit[bad]):g}")


# --- the analysis -------------------------------------------------------------------------------

def _vehicles(vehicles: Sequence[str | VehicleDynamics] | None, surface: str | None,
              data: EngineeringData) -> list[VehicleDynamics]:
    chosen: list[str | VehicleDynamics] = list(data.vehicle_classes) if vehicles is None else list(vehicles)
    if not chosen:
        raise NetworkError("name at least one vehicle class")
    return [v if isinstance(v, VehicleDynamics) else vehicle_dynamics(v, surface, data=data) for v in chosen]


def _access_points(network: StreetNetwork, access_points: Sequence[Hashable | AccessPoint]) -> list[AccessPoint]:
    points = [a if isinstance(a, AccessPoint) else AccessPoint(a) for a in access_points]
    for point in points:
        if point.node not in network.index:
            raise NetworkError(f"access point {point.key if point.key is not None else point.node!r}: node "
                               f"{point.node!r} is not in the network")
        if point.perimeter_direction is not None:
            dx, dy = (float(c) for c in point.perimeter_direction)
            if not (math.isfinite(dx) and math.isfinite(dy)) or dx == dy == 0:
                raise NetworkError(f"access point {point.node!r}: perimeter_direction must be a non-zero vector")
    return points


@dataclass
class _Problem:
    """States (arcs of each neighbourhood, numbered from 0) and their bends, grouped by the state they lead into."""

    arc: NDArray[np.int64]  # the network arc of each state
    bend_from: NDArray[np.int64]  # state the vehicle comes from
    bend_to: NDArray[np.int64]  # state it turns into (sorted)
    bend: NDArray[np.int64]  # index into the network's bends
    group_start: NDArray[np.int64]  # first bend of each state that has any
    group_state: NDArray[np.int64]  # that state
    region_start: NDArray[np.int64]  # first state of each neighbourhood
    whole: bool = False  # one neighbourhood, the whole network: state = arc

    def states_of(self, region: int, arcs: NDArray[np.int64]) -> NDArray[np.int64]:
        """The states of ARCS in neighbourhood REGION (arcs outside it left out)."""
        if self.whole:
            return arcs
        first, last = self.region_start[region], self.region_start[region + 1]
        inside = self.arc[first:last]  # sorted
        if len(inside) == 0:
            return np.zeros(0, dtype=np.int64)
        position = np.searchsorted(inside, arcs)
        found = (position < len(inside)) & (inside[np.minimum(position, len(inside) - 1)] == arcs)
        return first + position[found]


def _whole_network(network: StreetNetwork) -> _Problem:
    order = np.argsort(network.bend_out, kind="stable")
    bend_to = network.bend_out[order]
    starts = np.flatnonzero(np.r_[True, bend_to[1:] != bend_to[:-1]]) if len(bend_to) else np.zeros(0, np.int64)
    return _Problem(np.arange(network.edge_count), network.bend_in[order], bend_to, order, starts,
                    bend_to[starts], np.array([0, network.edge_count]), whole=True)


def _neighbourhoods(network: StreetNetwork, targets: Sequence[int], distance: float) -> _Problem:
    """One neighbourhood per target: nodes at most DISTANCE from it, arcs and bends among them."""
    arcs: list[NDArray[np.int64]] = []
    bends: list[NDArray[np.int64]] = []
    froms: list[NDArray[np.int64]] = []
    tos: list[NDArray[np.int64]] = []
    region_start = [0]
    local = np.full(network.edge_count, -1, dtype=np.int64)
    reversed_graph = network.reversed_graph()
    for batch in range(0, len(targets), DIJKSTRA_BATCH):
        chosen = list(targets[batch:batch + DIJKSTRA_BATCH])
        reach = np.atleast_2d(csgraph.dijkstra(reversed_graph, directed=True, indices=chosen, limit=distance))
        for row in reach:
            inside = row <= distance
            nodes = np.flatnonzero(inside)
            # Arcs out of the neighbourhood's nodes that end inside it.
            counts = network.out_start[nodes + 1] - network.out_start[nodes]
            positions = _ranges(network.out_start[nodes], counts)
            arc = network.out_order[positions]
            arc = np.sort(arc[inside[network.head[arc]]])
            offset = region_start[-1]
            local[arc] = offset + np.arange(len(arc))
            # Bends at the neighbourhood's nodes whose two arcs are inside.
            counts = network.bend_start[nodes + 1] - network.bend_start[nodes]
            bend = _ranges(network.bend_start[nodes], counts)
            p, e = network.bend_in[bend], network.bend_out[bend]
            keep = inside[network.tail[p]] & inside[network.head[e]]
            bend, p, e = bend[keep], p[keep], e[keep]
            arcs.append(arc)
            bends.append(bend)
            froms.append(local[p])
            tos.append(local[e])
            local[arc] = -1
            region_start.append(offset + len(arc))
    bend_all = np.concatenate(bends) if bends else np.zeros(0, np.int64)
    to_all = np.concatenate(tos) if tos else np.zeros(0, np.int64)
    order = np.argsort(to_all, kind="stable")
    bend_to = to_all[order]
    starts = np.flatnonzero(np.r_[True, bend_to[1:] != bend_to[:-1]]) if len(bend_to) else np.zeros(0, np.int64)
    return _Problem(np.concatenate(arcs) if arcs else np.zeros(0, np.int64),
                    (np.concatenate(froms) if froms else np.zeros(0, np.int64))[order], bend_to,
                    bend_all[order], starts, bend_to[starts], np.array(region_start))


def _ranges(starts: NDArray[np.int64], counts: NDArray[np.int64]) -> NDArray[np.int64]:
    """The concatenation of range(start, start + count) for each pair."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    shifts = np.repeat(starts - (np.cumsum(counts) - counts), counts)
    return shifts + np.arange(total)


@dataclass
class _Solution:
    w: NDArray[np.float64]  # states × classes: highest squared speed at the end of each state's arc
    rest: NDArray[np.float64]  # the same from rest on the arc alone
    limit2: NDArray[np.float64]  # bends × classes: squared speed limit of each bend
    best_bend: NDArray[np.int64]  # groups × classes: the bend (position in the problem) that sets w
    group_of: NDArray[np.int64]  # per state: its group of bends, -1 when no bend leads into it
    iterations: int


def _solve(network: StreetNetwork, problem: _Problem, vehicles: list[VehicleDynamics], corner_leg_m: float,
           max_rounds: int) -> _Solution:
    acceleration = np.array([v.acceleration_ms2 for v in vehicles])
    lateral = np.array([v.lateral_accel_ms2 for v in vehicles])
    top2 = np.array([v.top_speed_ms for v in vehicles]) ** 2
    arc = problem.arc
    gain = 2.0 * network.length[arc][:, None] * acceleration[None, :]  # S × K
    cap = np.minimum(network.limit2[arc][:, None], top2[None, :])
    radius = network.bend_radii(corner_leg_m)[problem.bend]
    bend_arcs_limit = np.minimum(network.limit2[network.bend_in[problem.bend]],
                                 network.limit2[network.bend_out[problem.bend]])
    limit2 = np.minimum(np.where(np.isinf(radius)[:, None], np.inf, radius[:, None] * lateral[None, :]),
                        bend_arcs_limit[:, None])
    rest = np.minimum(cap, gain)
    w = rest.copy()
    states = problem.group_state
    rounds = 0
    if len(problem.bend_from):
        gain_g, cap_g, rest_g = gain[states], cap[states], rest[states]
        while True:
            rounds += 1
            if rounds > max_rounds:
                raise NetworkError(f"the run-up analysis did not settle in {max_rounds} rounds")
            through = np.minimum(w[problem.bend_from], limit2)
            best = np.maximum.reduceat(through, problem.group_start, axis=0)
            updated = np.maximum(rest_g, np.minimum(cap_g, best + gain_g))
            if np.array_equal(updated, w[states]):
                break
            w[states] = updated
    through = np.minimum(w[problem.bend_from], limit2) if len(problem.bend_from) else limit2
    best_bend = np.zeros((len(states), len(vehicles)), dtype=np.int64)
    if len(problem.bend_from):
        best = np.maximum.reduceat(through, problem.group_start, axis=0)
        sizes = np.diff(np.r_[problem.group_start, len(problem.bend_from)])
        is_best = through == np.repeat(best, sizes, axis=0)
        position = np.where(is_best, np.arange(len(through))[:, None], len(through))
        best_bend = np.minimum.reduceat(position, problem.group_start, axis=0)
    group_of = np.full(len(arc), -1, dtype=np.int64)
    group_of[states] = np.arange(len(states))
    return _Solution(w, rest, limit2, best_bend, group_of, rounds)


def analyse_run_up(network: StreetNetwork, access_points: Sequence[Hashable | AccessPoint],
                   vehicles: Sequence[str | VehicleDynamics] | None = None, *, search_distance_m: float | None = None,
                   surface: str | None = None, corner_leg_m: float | None = None, data: EngineeringData | None = None,
                   max_rounds: int = 100_000) -> list[Approach]:
    """The worst approach to each access point for each vehicle class (see the module doc).

    VEHICLES are class keys (documented defaults on SURFACE, default: the shipped default
    surface) or ``VehicleDynamics`` (own numbers); default: every shipped class. Results come
    access point by access point, in the classes' order within each.
    """
    tables = data or shipped()
    fleet = _vehicles(vehicles, surface, tables)
    points = _access_points(network, access_points)
    leg = tables.parameter("CORNER_LEG_M") if corner_leg_m is None else float(corner_leg_m)
    if not leg > 0:
        raise NetworkError(f"corner_leg_m must be above 0, got {corner_leg_m!r}")
    targets = [network.index[point.node] for point in points]
    if search_distance_m is None:
        problem = _whole_network(network)
        region_of = [0] * len(points)
    else:
        distance = float(search_distance_m)
        if not distance > 0 or math.isinf(distance):
            raise NetworkError(f"search_distance_m must be a finite distance above 0, got {search_distance_m!r}")
        unique = list(dict.fromkeys(targets))
        problem = _neighbourhoods(network, unique, distance)
        where = {target: region for region, target in enumerate(unique)}
        region_of = [where[target] for target in targets]
    solution = _solve(network, problem, fleet, leg, max_rounds)
    return [_approach(network, problem, solution, point, target, region_of[n], k, vehicle)
            for n, (point, target) in enumerate(zip(points, targets, strict=True))
            for k, vehicle in enumerate(fleet)]


def _approach(network: StreetNetwork, problem: _Problem, solution: _Solution, point: AccessPoint, target: int,
              region: int, k: int, vehicle: VehicleDynamics) -> Approach:
    arcs_in = network.in_order[network.in_start[target]:network.in_start[target + 1]]
    into = problem.states_of(region, arcs_in)
    if len(into) == 0:
        return Approach(point, vehicle.vehicle_class, 0.0, 0.0, (point.node,), 0.0, 0.0, None, None)
    state = int(into[np.argmax(solution.w[into, k])])
    speed2 = float(solution.w[state, k])
    arcs = [int(problem.arc[state])]
    start_speed2 = 0.0
    seen = {state}
    current = state
    while True:
        group = int(solution.group_of[current])
        if group < 0 or solution.w[current, k] <= solution.rest[current, k]:
            break  # from rest at the start of this arc
        bend = int(solution.best_bend[group, k])
        previous = int(problem.bend_from[bend])
        through = float(solution.limit2[bend, k])
        if through <= solution.w[previous, k]:
            start_speed2 = through  # the bend at this arc's start limits the speed: start the path there
            break
        if previous in seen:
            start_speed2 = float(solution.w[previous, k])
            break
        seen.add(previous)
        arcs.append(int(problem.arc[previous]))
        current = previous
    arcs.reverse()
    path = (*tuple(network.node_ids[int(network.tail[a])] for a in arcs), point.node)
    direction = network.direction[arcs[-1]]
    heading = math.degrees(math.atan2(direction[0], direction[1])) % 360.0
    angle = None
    if point.perimeter_direction is not None:
        line = np.asarray(point.perimeter_direction, dtype=float)
        line = line / np.hypot(*line)
        angle = math.degrees(math.asin(min(1.0, abs(float(direction[0] * line[1] - direction[1] * line[0])))))
    speed = math.sqrt(speed2)
    return Approach(point, vehicle.vehicle_class, speed, 0.5 * vehicle.mass_kg * speed2 / 1000.0, path,
                    math.sqrt(start_speed2), float(network.length[arcs].sum()), heading, angle)
