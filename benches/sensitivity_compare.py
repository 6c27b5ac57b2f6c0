#!/usr/bin/env python3
"""The uncertainty analysis's speed goal, from Python, side by side in one run.

The goal (issue "How sure is the score"): 10,000 samples of 60 units of the built-in plan —
600,000 exact evaluations — in at most twice the time `evaluate_frame(criteria=False)` takes
for 600,000 rows. On the seeded workload of `benches/batch_compare.py` (every input indicator
of `lang-son-snn-2024` as a column, values around each target and on it, some missing, some
not applicable), this script times, in one process and taking turns round after round:

- `Scheme.evaluate_frame(table, criteria=False)` on UNITS × SAMPLES rows (the yardstick);
- `Scheme.sensitivity(first UNITS rows, samples=SAMPLES, weights=20, factors=None)`: the
  uncertainty analysis alone (every criterion's points ±20%, renormalised to the total), each
  sample scored exactly;
- the peer: a numpy float Monte Carlo of the same model, as a lean numpy user writes it —
  the units' points per criterion taken once from parscore, then per block of samples one
  matrix product for the points and one for the applicable maxima, the index rounded in
  float, quantiles by nearest rank, grades by `digitize`, ranks by a double `argsort`.

Both parscore calls run on the threads given (`--threads`, default 1, through
`RAYON_NUM_THREADS`); numpy runs as it is built (BLAS may use more cores). The peers' p50
are compared to parscore's (different random draws: a statistical check, not an exact one).

    .venv/bin/python benches/sensitivity_compare.py            # the goal's size, 3 rounds
    .venv/bin/python benches/sensitivity_compare.py --smoke    # 200 samples, 1 round

Measure a release build of the extension (`pip install ./bindings/python`); the script says
which build it found. The full size takes minutes and all of a core; on a shared machine,
run it when the machine is quiet.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

BENCHES = Path(__file__).resolve().parent
SPREAD = 20
SEED = 2024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=60)
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument(
        "--smoke", action="store_true", help="a quick check: 200 samples, one round"
    )
    args = parser.parse_args()
    if args.smoke:
        args.samples, args.repeat = 200, 1
    # Before parscore starts its thread pool.
    os.environ["RAYON_NUM_THREADS"] = str(args.threads)
    sys.path.insert(0, str(BENCHES))
    import batch_compare as workload  # the batch benchmark's seeded workload
    import numpy as np

    import parscore

    scheme = parscore.Scheme.builtin(workload.SCHEME_ID)
    spec = workload.load_spec(scheme)
    rows = args.units * args.samples
    table = workload.make_table(scheme, spec, rows)
    units = table.slice(0, args.units)
    print(f"machine: {workload.machine()}")
    print(f"extension build: {workload.extension_build()}, threads {args.threads}")
    print(f"{args.units} units × {args.samples} samples = {rows:,} evaluations; "
          f"evaluate_frame on {rows:,} rows; {args.repeat} round(s)")

    def frame() -> Any:
        return scheme.evaluate_frame(table, criteria=False)

    def study() -> Any:
        return scheme.sensitivity(
            units, samples=args.samples, seed=SEED, weights=SPREAD, factors=None,
            threads=args.threads,
        )

    points, applicable, periods = numpy_inputs(scheme, units, np)
    thresholds = [(name, float(low)) for name, low in scheme.grades]

    def peer() -> dict[str, Any]:
        return numpy_monte_carlo(
            np, points, applicable, periods, thresholds, args.samples, SPREAD / 100, SEED
        )

    tools: list[tuple[str, Callable[[], Any]]] = [
        ("evaluate_frame(criteria=False)", frame),
        ("sensitivity (exact)", study),
        ("numpy float Monte Carlo", peer),
    ]
    times: dict[str, list[float]] = {name: [] for name, _ in tools}
    outputs: dict[str, Any] = {}
    for name, run in tools:  # one untimed run each
        outputs[name] = run()
    for _ in range(args.repeat):
        for name, run in tools:
            started = time.perf_counter()
            outputs[name] = run()
            times[name].append(time.perf_counter() - started)

    yardstick = statistics.median(times["evaluate_frame(criteria=False)"])
    print()
    print("| what | median | per evaluation | × evaluate_frame |")
    print("|---|---|---|---|")
    for name, _ in tools:
        median = statistics.median(times[name])
        print(f"| {name} | {median:.3f} s | {median / rows * 1e6:.2f} µs | "
              f"{median / yardstick:.2f}× |")
    ratio = statistics.median(times["sensitivity (exact)"]) / yardstick
    size = "the goal's size" if (args.units, args.samples) == (60, 10_000) else "NOT the goal's size"
    verdict = "met" if ratio <= 2 else "not met"
    print(f"\ngoal: the study within 2× evaluate_frame(criteria=False): {ratio:.2f}× — "
          f"{verdict} ({size})")

    # The peer against parscore: p50 of each unit, from different draws of the same model.
    exact = outputs["sensitivity (exact)"].to_dict()["units"]
    floats = outputs["numpy float Monte Carlo"]["p50"]
    gaps = [
        abs(float(unit["p50"]) - floats[i])
        for i, unit in enumerate(exact)
        if unit["p50"] is not None and not np.isnan(floats[i])
    ]
    print(f"peer check: |p50 parscore − p50 numpy| at most {max(gaps, default=0):.3f} "
          f"over {len(gaps)} units (sampling noise expected, shrinking with samples)")


def numpy_inputs(scheme: Any, units: Any, np: Any) -> tuple[Any, Any, Any]:
    """Each unit's exact points per criterion and the maxima that apply to it, as floats —
    what a numpy user would compute once, since the model only moves the points."""
    scored = scheme.evaluate_frame(units, decimals="float")  # an Arrow table: no pandas

    def column(name: str) -> Any:
        return scored.column(name).to_numpy(zero_copy_only=False)

    leaves = list(scheme.criteria)
    maxima = np.array([float(c.max_points) for c in leaves])
    points = np.column_stack([column(c.code) for c in leaves]).astype(float)
    # Null points: a criterion that does not apply and is excluded (not in the maximum).
    applicable = np.where(np.isnan(points), 0.0, maxima)
    points = np.nan_to_num(points)
    applicable[column("status") == "error"] = 0.0
    periods = scored.column("period").cast("string").to_numpy(zero_copy_only=False)
    return points, applicable, periods


def numpy_monte_carlo(
    np: Any,
    points: Any,
    applicable: Any,
    periods: Any,
    thresholds: list[tuple[str, float]],
    samples: int,
    spread: float,
    seed: int,
    block: int = 1_000,
) -> dict[str, Any]:
    """Every criterion's points × U(1 − spread, 1 + spread), renormalised so that the
    scheme's total is kept, in float64: quantiles of the index, grade probabilities, ranks."""
    rng = np.random.default_rng(seed)
    maxima = applicable.max(axis=0)  # each criterion's maximum (a unit may exclude it)
    total = maxima.sum()
    indices = np.empty((samples, points.shape[0]))
    for start in range(0, samples, block):
        size = min(block, samples - start)
        factors = rng.uniform(1 - spread, 1 + spread, size=(size, maxima.size))
        factors *= (total / (factors @ maxima))[:, None]
        earned = factors @ points.T
        possible = factors @ applicable.T
        with np.errstate(invalid="ignore", divide="ignore"):
            indices[start:start + size] = np.round(earned / possible * 100, 2)
    p05, p50, p95 = np.quantile(indices, [0.05, 0.5, 0.95], axis=0, method="inverted_cdf")
    lows = np.array([low for _, low in thresholds])
    order = np.argsort(lows)
    grade = np.digitize(indices, lows[order])
    probabilities = {
        thresholds[order[g - 1]][0]: (grade == g).mean(axis=0) for g in range(1, len(lows) + 1)
    }
    ranks = np.zeros_like(indices, dtype=np.int64)
    for period in np.unique(periods):
        members = np.flatnonzero(periods == period)
        ranks[:, members] = (-indices[:, members]).argsort(axis=1).argsort(axis=1) + 1
    rank_p05, rank_p95 = np.quantile(ranks, [0.05, 0.95], axis=0, method="inverted_cdf")
    return {
        "p05": p05, "p50": p50, "p95": p95, "grades": probabilities,
        "rank_p05": rank_p05, "rank_p95": rank_p95,
    }


if __name__ == "__main__":
    main()
