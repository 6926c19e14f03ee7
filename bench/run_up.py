"""Benchmark of the street-network run-up analysis (``stoa.core.hvm.network``).

A synthetic city street network (fixed seed): a jittered grid of streets 60 m apart in which some
streets are missing, about a quarter are curved (drawn with five segments each, as an OSM way's
vertices would be) and some blocks have a diagonal street; 170 × 170 grid nodes give about
107,000 street edges (214,000 one-way arcs, as every street is two-way for a hostile driver).
Fifty PSOIs are spread over it, each with 3–4 access points at the corners of its block, the
perimeter direction taken tangent to a circle round the PSOI.

Times ``analyse_run_up`` for every access point and every shipped vehicle class (7) with a
search distance (default 500 m) and on the whole network, against the plain per-access-point
networkx implementation of the same definition (``tests/core/test_hvm_reference.py``) timed on a
subset of the PSOIs and scaled to all of them; checks that both give the same speeds on the
subset, and says whether the targets (under 10 s, at least 10× faster) are met.

``--osm FILE`` also runs on an OSM XML extract (``.osm``, or ``.osm.bz2`` / ``.osm.gz``),
read with the standard library (``xml.etree.ElementTree.iterparse``): ways tagged with a
drivable ``highway`` value become two-way edges between consecutive nodes, projected to metres
with pyproj (an azimuthal equidistant projection centred on the extract), or with an
equirectangular approximation when pyproj is missing. Its access points are 150 random
junctions in 50 groups of three. Run from the repository root::

    .venv/bin/python bench/run_up.py [--grid N] [--distance M] [--subset N] [--seed N] [--osm FILE]
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import itertools
import math
import random
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import IO, Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from stoa.core.engineering_data import shipped  # noqa: E402
from stoa.core.hvm import AccessPoint, StreetNetwork, analyse_run_up, vehicle_dynamics  # noqa: E402
from tests.core.test_hvm_reference import build_graph, networkx_run_up  # noqa: E402

TARGET_SECONDS = 10.0
TARGET_RATIO = 10.0
SPACING_M = 60.0
DRIVABLE = {"motorway", "trunk", "primary", "secondary", "tertiary", "unclassified", "residential", "service",
            "living_street", "motorway_link", "trunk_link", "primary_link", "secondary_link", "tertiary_link",
            "road", "pedestrian", "busway"}


def seeded(seed: int) -> random.Random:
    """A reproducible generator for synthetic data (not for anything secret)."""
    return random.Random(seed)  # noqa: S311


def synthetic_city(rng: random.Random, grid: int) -> tuple[dict[Hashable, tuple[float, float]],
                                                          list[tuple[Hashable, Hashable, float]]]:
    """A jittered GRID × GRID street grid with missing, curved and diagonal streets."""
    nodes: dict[Hashable, tuple[float, float]] = {}
    for i in range(grid):
        for j in range(grid):
            nodes[(i, j)] = (i * SPACING_M + rng.uniform(-6, 6), j * SPACING_M + rng.uniform(-6, 6))
    edges: list[tuple[Hashable, Hashable, float]] = []
    extra = 0

    def street(u: Hashable, v: Hashable) -> None:
        nonlocal extra
        roll = rng.random()
        if roll < 0.08:
            return  # a missing street
        (x0, y0), (x1, y1) = nodes[u], nodes[v]
        if roll < 0.33:  # a curved street: five segments along a bulge of 5–20 m
            bulge = rng.choice([-1, 1]) * rng.uniform(5, 20)
            dx, dy = x1 - x0, y1 - y0
            norm = math.hypot(dx, dy)
            previous = u
            for step in range(1, 5):
                t = step / 5
                offset = 4 * bulge * t * (1 - t)
                point = (x0 + dx * t - dy / norm * offset, y0 + dy * t + dx / norm * offset)
                name = ("c", extra)
                extra += 1
                nodes[name] = point
                edges.append((previous, name, math.dist(nodes[previous], point)))
                previous = name
            edges.append((previous, v, math.dist(nodes[previous], nodes[v])))
            return
        edges.append((u, v, math.dist(nodes[u], nodes[v])))

    for i in range(grid):
        for j in range(grid):
            if i + 1 < grid:
                street((i, j), (i + 1, j))
            if j + 1 < grid:
                street((i, j), (i, j + 1))
            if i + 1 < grid and j + 1 < grid and rng.random() < 0.05:
                u, v = ((i, j), (i + 1, j + 1)) if rng.random() < 0.5 else ((i + 1, j), (i, j + 1))
                edges.append((u, v, math.dist(nodes[u], nodes[v])))
    return nodes, edges


def synthetic_psois(rng: random.Random, nodes: dict[Hashable, tuple[float, float]], grid: int,
                    count: int = 50) -> list[list[AccessPoint]]:
    """COUNT PSOIs, each a block whose 3–4 corners are its access points."""
    margin = min(12, max(0, grid // 2 - 2))  # blocks from the edge of the city, so neighbourhoods are whole
    psois = []
    for number in range(count):
        i, j = rng.randint(margin, grid - margin - 2), rng.randint(margin, grid - margin - 2)
        corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)]
        chosen = rng.sample(corners, rng.randint(3, 4))
        cx = sum(nodes[c][0] for c in corners) / 4
        cy = sum(nodes[c][1] for c in corners) / 4
        psois.append([AccessPoint(c, (-(nodes[c][1] - cy), nodes[c][0] - cx), key=(number, c)) for c in chosen])
    return psois


def read_osm(path: Path) -> tuple[dict[Hashable, tuple[float, float]], list[tuple[Hashable, Hashable, float]]]:
    """The drivable streets of an OSM XML file, in metres (see the module doc)."""
    opener: Callable[..., IO[Any]] = bz2.open if path.suffix == ".bz2" else gzip.open if path.suffix == ".gz" else open
    positions: dict[int, tuple[float, float]] = {}
    ways: list[list[int]] = []
    with opener(path, "rb") as stream:
        for _, element in ET.iterparse(stream, events=("end",)):  # noqa: S314 (a local file the user names)
            if element.tag == "node":
                positions[int(element.get("id", 0))] = (float(element.get("lat", 0)), float(element.get("lon", 0)))
                element.clear()
            elif element.tag == "way":
                tags = {tag.get("k"): tag.get("v") for tag in element.iter("tag")}
                if tags.get("highway") in DRIVABLE and tags.get("area") != "yes":
                    ways.append([int(nd.get("ref", 0)) for nd in element.iter("nd")])
                element.clear()
    used = sorted({ref for way in ways for ref in way if ref in positions})
    if not used:
        raise SystemExit(f"{path}: no drivable highway ways found")
    lat = np.array([positions[ref][0] for ref in used])
    lon = np.array([positions[ref][1] for ref in used])
    lat0, lon0 = float(lat.mean()), float(lon.mean())
    try:
        from pyproj import Transformer

        transformer = Transformer.from_crs("EPSG:4326", f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +units=m",
                                           always_xy=True)
        x, y = transformer.transform(lon, lat)
        how = "pyproj azimuthal equidistant"
    except ImportError:
        radius = 6_371_008.8
        x = np.radians(lon - lon0) * radius * math.cos(math.radians(lat0))
        y = np.radians(lat - lat0) * radius
        how = "equirectangular approximation"
    nodes = {ref: (float(a), float(b)) for ref, a, b in zip(used, x, y, strict=True)}
    edges: dict[tuple[int, int], float] = {}
    for way in ways:
        for u, v in itertools.pairwise(way):
            if u in nodes and v in nodes and u != v and nodes[u] != nodes[v]:
                edges[(min(u, v), max(u, v))] = math.dist(nodes[u], nodes[v])
    print(f"OSM extract {path.name}: {len(nodes)} nodes, {len(edges)} street edges from {len(ways)} ways ({how})")
    return dict(nodes), [(u, v, length) for (u, v), length in edges.items()]


def osm_psois(rng: random.Random, nodes: dict[Hashable, tuple[float, float]],
              edges: list[tuple[Hashable, Hashable, float]], count: int = 50) -> list[list[AccessPoint]]:
    degree: dict[Hashable, int] = {}
    for u, v, _ in edges:
        degree[u] = degree.get(u, 0) + 1
        degree[v] = degree.get(v, 0) + 1
    junctions = sorted((n for n, d in degree.items() if d >= 3), key=str)
    chosen = rng.sample(junctions, min(len(junctions), 3 * count))
    return [[AccessPoint(n, key=(i // 3, n)) for n in chosen[i:i + 3]] for i in range(0, len(chosen), 3)]


def run(label: str, nodes: dict[Hashable, tuple[float, float]], edges: list[tuple[Hashable, Hashable, float]],
        psois: list[list[AccessPoint]], distance: float, subset: int) -> bool:
    classes = list(shipped().vehicle_classes)
    points = [a for psoi in psois for a in psoi]
    print(f"{label}: {len(nodes):,} nodes, {len(edges):,} street edges; {len(psois)} PSOIs with {len(points)} access "
          f"points; {len(classes)} vehicle classes ({', '.join(classes)}); search distance {distance:g} m")

    start = time.perf_counter()
    network = StreetNetwork(nodes, edges)
    build = time.perf_counter() - start
    start = time.perf_counter()
    fast = analyse_run_up(network, points, classes, search_distance_m=distance)
    analysis = time.perf_counter() - start
    start = time.perf_counter()
    whole = analyse_run_up(network, points, classes)
    whole_time = time.perf_counter() - start

    sample = [a for psoi in psois[:subset] for a in psoi]
    start = time.perf_counter()
    graph = build_graph(nodes, edges)
    graph_time = time.perf_counter() - start
    fleet = [vehicle_dynamics(c) for c in classes]
    start = time.perf_counter()
    slow = networkx_run_up(nodes, edges, [a.node for a in sample], fleet, search_distance_m=distance, graph=graph)
    reference = (time.perf_counter() - start) * len(points) / len(sample)
    fast_sample = np.array([a.speed_ms for a in fast[:len(sample) * len(classes)]]).reshape(len(sample), len(classes))
    agree = bool(np.allclose(fast_sample, np.array(slow), rtol=1e-9, atol=1e-9))

    total = build + analysis
    ratio = reference / analysis
    print(f"  csgraph/NumPy: network built in {build:.2f} s ({network.edge_count:,} arcs, {len(network.bend_in):,} "
          f"bends), analysis {analysis:.2f} s; whole network without a search distance {whole_time:.2f} s")
    print(f"  networkx per access point: {reference:.1f} s estimated from {len(sample)} access points "
          f"(x{len(points) / len(sample):.1f}; graph built once in {graph_time:.2f} s, not counted)")
    print(f"  ratio {ratio:.0f}x; speeds on the subset: {'identical' if agree else 'DIFFERENT'} "
          f"(max difference {np.abs(fast_sample - np.array(slow)).max():.2e} m/s)")
    speeds = np.array([a.speed_ms for a in fast]).reshape(len(points), len(classes)) * 3.6
    print("  worst impact speed per class, km/h (median over access points; max): "
          + ", ".join(f"{c} {np.median(speeds[:, k]):.0f}; {speeds[:, k].max():.0f}" for k, c in enumerate(classes)))
    whole_speeds = np.array([a.speed_ms for a in whole]).reshape(len(points), len(classes)) * 3.6
    print(f"  whole network: {(whole_speeds > speeds + 1e-6).mean():.0%} of the results are higher than within "
          f"{distance:g} m")
    met = total < TARGET_SECONDS and ratio >= TARGET_RATIO
    print(f"  targets (< {TARGET_SECONDS:g} s including the build, >= {TARGET_RATIO:g}x): "
          f"{'met' if met else 'NOT met'} ({total:.2f} s, {ratio:.0f}x)")
    return agree


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--grid", type=int, default=170, help="grid nodes per side (default 170: ~107,000 edges)")
    parser.add_argument("--distance", type=float, default=500.0, help="search distance in m (default 500)")
    parser.add_argument("--subset", type=int, default=5, help="PSOIs for the networkx timing (default 5)")
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--osm", type=Path, help="also run on this OSM XML extract")
    args = parser.parse_args(argv)

    rng = seeded(args.seed)
    nodes, edges = synthetic_city(rng, args.grid)
    ok = run("synthetic city", nodes, edges, synthetic_psois(rng, nodes, args.grid), args.distance, args.subset)
    if args.osm:
        osm_nodes, osm_edges = read_osm(args.osm)
        ok = run(f"OSM {args.osm.name}", osm_nodes, osm_edges, osm_psois(seeded(args.seed), osm_nodes, osm_edges),
                 args.distance, args.subset) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
