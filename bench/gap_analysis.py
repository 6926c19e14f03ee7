"""Benchmark of the gap analysis (``stoa.core.catalogue.gaps``) on a whole synthetic city.

A city of 2,000 public spaces × 10 threat types (20,000 scenarios, ratings 1–5 drawn with a fixed
seed) is ranked against a catalogue of 90 synthetic measures; with ``--shipped``, also against the
measures shipped in ``stoa/library/content/measures-*.yaml`` (read with PyYAML, no Django). Each
public space already has 0–3 random measures, which are excluded from its rankings.

Times ``recommend`` (best of 5 runs) with no limit and with the top 10, estimates the plain-Python
reference ``naive_recommend`` from a 200-space subset (×10), and checks on that subset that both
give exactly the same rankings. Run from the repository root::

    .venv/bin/python bench/gap_analysis.py [--shipped] [--spaces N] [--runs N] [--seed N]
"""

from __future__ import annotations

import argparse
import functools
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from stoa.core.catalogue.gaps import ScenarioGaps, ScenarioInput, naive_recommend, recommend  # noqa: E402
from stoa.core.catalogue.measures import ALL, MeasureSpec, spec_from_data  # noqa: E402

THREATS = ("FIREARMS", "SHARP_OBJECT", "VEHICLE", "IED", "PBIED", "UAVIED", "VBIED", "CHEMICAL", "BIOLOGICAL",
           "RADIOLOGICAL")
CONTENT = ROOT / "stoa" / "library" / "content"
TARGET_SECONDS = 1.0
SUBSET_SPACES = 200


def seeded(seed: int) -> random.Random:
    """A reproducible generator for synthetic data (not for anything secret)."""
    return random.Random(seed)  # noqa: S311


def synthetic_measures(rng: random.Random, count: int = 90) -> list[MeasureSpec]:
    """COUNT measures acting on 1–4 threat types each (about one in six also on ALL)."""
    capital_bands = [(0, 0), (500, 2_000), (2_000, 10_000), (10_000, 50_000), (50_000, 250_000)]
    yearly_bands = [(0, 0), (100, 500), (500, 2_000), (2_000, 20_000), (20_000, 80_000)]
    measures = []
    for number in range(count):
        effects: dict[str, tuple[float, float]] = {}
        for threat in rng.sample(THREATS, rng.randint(1, 4)):
            effects[threat] = (round(rng.choice([0.0, rng.uniform(0.05, 0.9)]), 2),
                               round(rng.uniform(0.0, 0.6), 2))
        if rng.random() < 1 / 6:
            effects[ALL] = (round(rng.uniform(0.0, 0.3), 2), round(rng.uniform(0.0, 0.2), 2))
        measures.append(MeasureSpec(f"urn:stoa:measure:synthetic-{number:03d}", effects,
                                    rng.choice(capital_bands), rng.choice(yearly_bands)))
    return measures


def shipped_measures() -> list[MeasureSpec]:
    """The measures in the shipped library files (none if the files are not there yet)."""
    import yaml

    measures = []
    for path in sorted(CONTENT.glob("measures-*.yaml")):
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as error:
            print(f"  skipped {path.name}: {error}")
            continue
        for item in document.get("objects") or []:
            if isinstance(item, dict) and item.get("kind") == "measure":
                try:
                    measures.append(spec_from_data(str(item.get("urn") or item.get("ref_id")), item))
                except (KeyError, TypeError, ValueError, IndexError) as error:
                    print(f"  skipped a measure of {path.name} ({item.get('urn')}): {error!r}")
    return measures


def city(rng: random.Random, spaces: int, measures: Sequence[MeasureSpec]) -> list[ScenarioInput]:
    """SPACES public spaces × the ten threat types, each space with 0–3 measures already present."""
    keys = [m.key for m in measures]
    scenarios = []
    for space in range(spaces):
        present = frozenset(rng.sample(keys, min(len(keys), rng.randint(0, 3))))
        for threat in THREATS:
            scenarios.append(ScenarioInput((space, threat), threat, rng.randint(1, 5), rng.randint(1, 5), present))
    return scenarios


def best_of(runs: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def recommended(gaps: list[ScenarioGaps]) -> int:
    return sum(len(g.recommendations) for g in gaps)


def bench(label: str, measures: list[MeasureSpec], spaces: int, runs: int, seed: int) -> bool:
    """Print the timings for MEASURES on a city of SPACES; False if the two versions disagree."""
    scenarios = city(seeded(seed), spaces, measures)
    size = f"{len(scenarios)} scenarios x {len(measures)} measures"
    if not measures:
        print(f"gap analysis ({label}): no measures, nothing to time")
        return True
    subset = scenarios[:SUBSET_SPACES * len(THREATS)]
    scale = len(scenarios) / len(subset)

    agree = True
    for limit in (None, 10):
        if recommend(subset, measures, limit=limit) != naive_recommend(subset, measures, limit=limit):
            agree = False
    naive = best_of(max(1, min(runs, 2)), lambda: naive_recommend(subset, measures)) * scale

    for limit, what in ((None, "all"), (10, "top 10")):
        fast = best_of(runs, functools.partial(recommend, scenarios, measures, limit=limit))
        met = "met" if fast < TARGET_SECONDS else "NOT met"
        print(f"gap analysis ({label}), {size}: {fast:.2f} s (vectorised, {what}), naive estimate {naive:.1f} s, "
              f"ratio {naive / fast:.0f}x; target < {TARGET_SECONDS:g} s: {met}")
    total = recommended(recommend(scenarios, measures))
    print(f"  {total} recommendations in all ({total / len(scenarios):.1f} per scenario); "
          f"vectorised and naive on {len(subset)} scenarios: {'identical' if agree else 'DIFFERENT'}")
    return agree


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shipped", action="store_true", help="also rank against the shipped measures")
    parser.add_argument("--spaces", type=int, default=2_000, help="public spaces in the city (default 2000)")
    parser.add_argument("--runs", type=int, default=5, help="runs per timing, the best is kept (default 5)")
    parser.add_argument("--seed", type=int, default=20261121)
    args = parser.parse_args(argv)

    ok = bench("synthetic", synthetic_measures(seeded(args.seed)), args.spaces, args.runs, args.seed)
    if args.shipped:
        measures = shipped_measures()
        if measures:
            ok = bench("shipped", measures, args.spaces, args.runs, args.seed) and ok
        else:
            print(f"gap analysis (shipped): no measures-*.yaml with measures in {CONTENT.relative_to(ROOT)} yet")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
