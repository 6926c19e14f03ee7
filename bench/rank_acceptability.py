"""Benchmark of the rank acceptability analysis (``stoa.core.mcda.rank_acceptability``).

A synthetic evaluation of 1,000 alternatives × 12 criteria (scores drawn on the 1–5 scale with a
fixed seed, three cost criteria, random weights) is analysed with 10,000 weight draws from the
Dirichlet distribution around the weights (Stoa's default concentration, 20 × the criteria).

Times Stoa's vectorised ``rank_acceptability`` (best of 5 runs, with its processor time) for the
weighted sum, TOPSIS and PROMETHEE II, and estimates the same computation done by looping pymcdm
(one pymcdm call per weight draw, with the same draws, ranked with Stoa's tie rule): a pymcdm loop
over all 10,000 draws would take minutes for the weighted sum and hours for PROMETHEE II, so it is
timed on a subset of the draws and scaled, as the output says. On that subset both must count
exactly the same ranks. The machine's load average is printed, since other processes slow every
timing down.
Run from the repository root::

    .venv/bin/python bench/rank_acceptability.py [--alternatives N] [--criteria N] [--samples N] [--runs N] [--seed N]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from stoa.core.mcda import rank, rank_acceptability, weight_draws  # noqa: E402
from stoa.core.mcda.sensitivity import DEFAULT_CONCENTRATION_PER_CRITERION  # noqa: E402

TARGET_SECONDS = 1.0
TARGET_RATIO = 20.0
# Draws scored by the pymcdm loop, per method (a PROMETHEE II call on 1,000 alternatives builds
# twelve 1,000 × 1,000 tables and takes about half a second).
SUBSETS = {"weighted_sum": 500, "topsis": 500, "promethee_ii": 10}
PROMETHEE = {"preference": "linear", "q": 0.25, "p": 1.5}  # on the 1–5 scale: a quarter point is noise


def problem(seed: int, alternatives: int, criteria: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A seeded decision matrix on the 1–5 scale, random weights, the last three criteria costs."""
    rng = np.random.default_rng(seed)
    matrix = rng.uniform(1.0, 5.0, size=(alternatives, criteria))
    weights = rng.uniform(0.2, 1.0, size=criteria)
    benefit = np.arange(criteria) < criteria - min(3, criteria - 1)
    return matrix, weights / weights.sum(), benefit


def peer(method: str, criteria: int) -> Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]:
    """pymcdm's version of METHOD as Stoa computes it (imported here: a test-time peer only)."""
    from pymcdm import normalizations
    from pymcdm.methods import PROMETHEE_II, TOPSIS, WSM

    def call(matrix: np.ndarray, w: np.ndarray, types: np.ndarray) -> np.ndarray:
        if method == "weighted_sum":
            body: Any = WSM(normalizations.minmax_normalization)
        elif method == "topsis":
            body = TOPSIS(normalizations.vector_normalization)
        else:  # pymcdm's "vshape_2" is Stoa's "linear"; it takes the thresholds per criterion
            body = PROMETHEE_II("vshape_2", p=[PROMETHEE["p"]] * criteria, q=[PROMETHEE["q"]] * criteria)
        return np.asarray(body(matrix, w, types, validation=False))

    return call


def pymcdm_counts(score: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray], matrix: np.ndarray,
                  benefit: np.ndarray, draws: np.ndarray) -> np.ndarray:
    """Alternatives × ranks counts from one pymcdm call per draw, ranked with Stoa's tie rule."""
    n = matrix.shape[0]
    types = np.where(benefit, 1, -1)
    counts = np.zeros((n, n), dtype=np.int64)
    for w in draws:
        counts[np.arange(n), rank(score(matrix, w, types)) - 1] += 1
    return counts


def best_of(runs: int, work: Callable[[], object]) -> tuple[float, float]:
    """The best wall-clock time of RUNS runs and the processor time of that run (all threads)."""
    best, cpu = float("inf"), float("inf")
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        work()
        elapsed = time.perf_counter() - start
        if elapsed < best:
            best, cpu = elapsed, time.process_time() - start_cpu
    return best, cpu


def load() -> str:
    """The machine's load, printed because other processes slow every timing down."""
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "load unknown"
    return f"load average {one:.1f} (5 min {five:.1f}) on {os.cpu_count()} CPUs"


def options_of(method: str) -> dict[str, Any]:
    return dict(PROMETHEE) if method == "promethee_ii" else {}


def bench(method: str, matrix: np.ndarray, weights: np.ndarray, benefit: np.ndarray, samples: int, runs: int,
          seed: int) -> tuple[float, float, float, int, bool]:
    """(Stoa's time and its processor time, pymcdm loop's estimated time, draws in the subset, same counts?)."""
    options = options_of(method)
    fast, cpu = best_of(runs, lambda: rank_acceptability(matrix, weights, benefit, method, samples, seed, **options))
    subset = min(samples, SUBSETS[method])
    draws = weight_draws(weights, subset, seed)  # the draws rank_acceptability makes with samples=subset
    score = peer(method, matrix.shape[1])
    score(matrix, draws[0], np.where(benefit, 1, -1))  # imports pymcdm (and matplotlib) outside the timing
    start = time.perf_counter()
    theirs = pymcdm_counts(score, matrix, benefit, draws)
    slow = (time.perf_counter() - start) * samples / subset
    ours = rank_acceptability(matrix, weights, benefit, method, subset, seed, **options) * subset
    return fast, cpu, slow, subset, bool((np.rint(ours).astype(np.int64) == theirs).all())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--alternatives", type=int, default=1_000, help="alternatives (default 1000)")
    parser.add_argument("--criteria", type=int, default=12, help="criteria (default 12)")
    parser.add_argument("--samples", type=int, default=10_000, help="weight draws (default 10000)")
    parser.add_argument("--runs", type=int, default=5, help="runs per Stoa timing, the best is kept (default 5)")
    parser.add_argument("--seed", type=int, default=20261121)
    args = parser.parse_args(argv)

    matrix, weights, benefit = problem(args.seed, args.alternatives, args.criteria)
    concentration = DEFAULT_CONCENTRATION_PER_CRITERION * args.criteria
    print(f"rank acceptability, {args.alternatives} alternatives x {args.criteria} criteria, {args.samples} "
          f"weight draws (Dirichlet, concentration {concentration:g}); Stoa best of {args.runs} runs; {load()}")
    print(f"{'method':<14}{'Stoa':>9}{'(cpu)':>9}  {'pymcdm loop (estimate)':<34}{'ratio':>7}  same rank counts")
    ok = True
    results = {}
    for method in ("weighted_sum", "topsis", "promethee_ii"):
        fast, cpu, slow, subset, agree = bench(method, matrix, weights, benefit, args.samples, args.runs, args.seed)
        results[method] = (fast, slow)
        ok = ok and agree
        estimate = f"{slow:.1f} s ({subset} draws timed, x{args.samples / subset:g})"
        print(f"{method:<14}{fast:>7.3f} s{cpu:>7.3f} s  {estimate:<34}{slow / fast:>6.0f}x  "
              f"{'identical' if agree else 'DIFFERENT'} on {subset} draws")
    fast, slow = results["weighted_sum"]
    met = "met" if fast < TARGET_SECONDS and slow / fast >= TARGET_RATIO else "NOT met"
    print(f"target: >= {TARGET_RATIO:g}x faster than the pymcdm loop, under {TARGET_SECONDS:g} s (weighted_sum): "
          f"{met} ({slow / fast:.0f}x, {fast:.3f} s); {load()}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
