#!/usr/bin/env python3
"""`parscore evaluate` at batch scale, against pyarrow and `Scheme.evaluate_frame`, in one run.

Builds the seeded workload of `benches/batch_compare.py` on `lang-son-snn-2024` (every input
indicator of the scheme as a column, some missing, some not applicable, values around each
target and exactly on it, 500 units per period), writes it as CSV (`pyarrow.csv.write_csv`)
and as Parquet (`pyarrow.parquet.write_table`), and measures, each tool in a process of its
own, the tools taking turns round after round (so that load from other work on a shared
machine falls on all of them alike):

- CSV to CSV, the headline figures: `parscore evaluate units.csv -f csv --detail headline`
  against `pyarrow.csv.read_csv` + `Scheme.evaluate_frame(criteria=False)` +
  `pyarrow.csv.write_csv` (goal: at most 1.5× its time);
- Parquet to Parquet, the headline figures: `parscore evaluate units.parquet -o out.parquet
  --detail headline` against `pyarrow.parquet.read_table` + `evaluate_frame(criteria=False)`
  + `pyarrow.parquet.write_table` (goal: at most 1.2×);
- every criterion's points (`--detail criteria`) against the headline (goal: at most 1.3×),
  beside `evaluate_frame()` with criteria against without;
- the peak resident memory of the command at each detail, at several sizes (goal: under 300
  MiB at 5,000,000 rows, growing only by what ranking needs);
- 100,000 units with `--detail full` as JSON lines (goal: at least 20× faster than the 69 s
  the row-by-row command took, in bounded memory).

The command's time is the wall time of its process (reading, scoring twice, writing); the
peers' time is measured inside their process, imports and start not counted (which favours
them). The command's peak memory is its own process's (`ru_maxrss` from `wait4`, read by a
small interpreter that starts it: Linux carries a process's largest resident size across
`exec`, so a child of this script would count the script's own tables); the peers', `VmHWM`.

    .venv/bin/python benches/evaluate_command.py                          # 1,000,000 rows, 3 rounds
    .venv/bin/python benches/evaluate_command.py --rows 20000 --repeat 1 --memory-rows 20000,50000 --full-rows 5000
    .venv/bin/python benches/evaluate_command.py --smoke --binary target/debug/parscore   # seconds: runs, judges nothing

It needs the release binary (built first, unless `--no-build` or `--binary`) and a release
build of the extension (`pip install ./bindings/python` in the venv); it says which build it
found. `--smoke` runs every measurement on 1,000 rows, checks that each tool wrote one
result per row, and judges no goal: it is for CI, to keep the script working.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch_compare import (  # noqa: E402  (the workload is batch_compare's)
    SCHEME_ID,
    extension_build,
    load_spec,
    machine,
    make_table,
    reset_peak,
    status_kib,
)

ROOT = Path(__file__).resolve().parent.parent
BINARY = ROOT / "target" / "release" / "parscore"
#: The row-by-row command's time for 100,000 units with every criterion explained (issue 24).
FULL_BEFORE_SECONDS = 69.0
DETAILS = ("headline", "criteria", "full")


# --------------------------------------------------------------------------- running things


#: Runs the command and reports its own peak. Linux carries the largest resident size of a
#: process across `exec`, so a child forked from this script (which holds the workload's
#: tables) would report at least this script's size: the command is started by a fresh,
#: small interpreter instead, and its peak read from `wait4` there, for that process alone.
MEASURE = """
import json, os, sys, time
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - started
floor = __import__("resource").getrusage(__import__("resource").RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "code": os.waitstatus_to_exitcode(status),
                  "peak_kib": usage.ru_maxrss, "floor_kib": floor}))
"""


def run_command(args: list[str]) -> dict[str, Any]:
    """The command in a process of its own: wall seconds and its own peak resident memory
    (see `MEASURE`)."""
    done = subprocess.run(
        [sys.executable, "-S", "-c", MEASURE, str(BINARY), *args], capture_output=True, text=True
    )
    if done.returncode != 0 or not done.stdout.strip():
        raise SystemExit(f"parscore {' '.join(args)}: the measuring process failed:\n{done.stderr}")
    run = json.loads(done.stdout.strip().splitlines()[-1])
    if run["code"] not in (0, 1):
        raise SystemExit(f"parscore {' '.join(args)} failed ({run['code']}):\n{done.stderr}")
    return {"seconds": run["seconds"], "peak_kib": run["peak_kib"]}


def run_peer(kind: str, source: str, output: str, criteria: bool = False) -> dict[str, Any]:
    """A peer in a process of its own (see `worker`)."""
    command = [sys.executable, __file__, "--worker", kind, "--source", source, "--output", output]
    if criteria:
        command.append("--criteria")
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def worker(args: argparse.Namespace) -> None:
    """One peer run: read, score, write; timed inside the process after the imports."""
    import parscore

    scheme = parscore.Scheme.builtin(SCHEME_ID)
    reset_peak()
    started = time.perf_counter()
    if args.worker == "csv":
        table = pa_csv.read_csv(args.source)
        scored = scheme.evaluate_frame(table, criteria=args.criteria)
        pa_csv.write_csv(scored, args.output)
    else:
        table = pq.read_table(args.source)
        scored = scheme.evaluate_frame(table, criteria=args.criteria)
        pq.write_table(scored, args.output)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "peak_kib": status_kib("VmHWM"), "rows": scored.num_rows}))


# --------------------------------------------------------------------------- the workload


def write_workload(folder: Path, rows: int, parquet: bool) -> tuple[Path, Path | None, float]:
    """The seeded table as CSV (and Parquet); the seconds it took."""
    import parscore

    started = time.perf_counter()
    scheme = parscore.Scheme.builtin(SCHEME_ID)
    table = make_table(scheme, load_spec(scheme), rows)
    csv_path = folder / f"units-{rows}.csv"
    pa_csv.write_csv(table, csv_path)
    parquet_path = None
    if parquet:
        parquet_path = folder / f"units-{rows}.parquet"
        pq.write_table(table, parquet_path)
    del table
    return csv_path, parquet_path, time.perf_counter() - started


def evaluate_args(source: Path, fmt: str, detail: str, output: str) -> list[str]:
    return [
        "evaluate", "--scheme", SCHEME_ID, str(source), "--format", fmt,
        "--detail", detail, "--quiet", "--output", output,
    ]


def median(runs: list[dict[str, Any]]) -> float:
    return statistics.median(run["seconds"] for run in runs)


def peak_mib(runs: list[dict[str, Any]]) -> float:
    return max(run["peak_kib"] for run in runs) / 1024


def check_outputs(out: Path, rows: int, full_rows: int) -> None:
    """Every tool wrote one result per row (a smoke run's only check)."""
    counts = {
        "c.csv": pa_csv.read_csv(out / "c.csv").num_rows,
        "cc.csv": pa_csv.read_csv(out / "cc.csv").num_rows,
        "p.csv": pa_csv.read_csv(out / "p.csv").num_rows,
        "c.parquet": pq.read_metadata(out / "c.parquet").num_rows,
        "p.parquet": pq.read_metadata(out / "p.parquet").num_rows,
        "pc.parquet": pq.read_metadata(out / "pc.parquet").num_rows,
    }
    wrong = {name: n for name, n in counts.items() if n != rows}
    with open(out / "full.jsonl", encoding="utf-8") as lines:
        explained = sum(1 for _ in lines)
    if explained != full_rows:
        wrong["full.jsonl"] = explained
    if wrong:
        raise SystemExit(f"outputs without one result per row ({rows:,}; explained {full_rows:,}): {wrong}")
    print(f"smoke: every output has one result per row ({rows:,}; explained {full_rows:,})")


# --------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the timed comparisons")
    parser.add_argument("--repeat", type=int, default=3, help="rounds: each tool runs once per round")
    parser.add_argument(
        "--memory-rows", default="100000,1000000,5000000",
        help="comma-separated sizes at which the command's peak memory is measured at each detail",
    )
    parser.add_argument("--full-rows", type=int, default=100_000, help="rows of the --detail full run")
    parser.add_argument("--no-build", action="store_true", help="use target/release/parscore as built")
    parser.add_argument("--binary", help="the parscore binary to run (no build); default target/release/parscore")
    parser.add_argument(
        "--smoke", action="store_true",
        help="a few thousand rows, one round: checks that every run works, judges no goal",
    )
    parser.add_argument("--keep", help="write the workload files into this folder and keep them")
    parser.add_argument("--json", help="also write every measurement to this file")
    parser.add_argument("--markdown", help="also write the tables and the goals as Markdown to this file")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--source", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    parser.add_argument("--criteria", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return

    global BINARY
    if args.smoke:
        args.rows, args.repeat, args.memory_rows, args.full_rows = 1_000, 1, "1000,2000", 200
    if args.binary:
        BINARY = Path(args.binary).resolve()
        args.no_build = True

    import parscore

    print(f"machine: {machine()}")
    print(f"parscore extension: {parscore.__file__} ({extension_build()} build)")
    if extension_build() == "dev":
        print("  warning: a dev build of the extension; build a release one to measure it")
    if not args.no_build:
        subprocess.run(
            ["cargo", "build", "--quiet", "--release", "-p", "parscore-cli"], cwd=ROOT, check=True
        )
    if not BINARY.exists():
        raise SystemExit(f"no {BINARY}: build it with cargo build --release -p parscore-cli")

    directory = tempfile.TemporaryDirectory(prefix="evaluate-command-")
    folder = Path(args.keep) if args.keep else Path(directory.name)
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / "out"
    out.mkdir(exist_ok=True)
    csv_path, parquet_path, built = write_workload(folder, args.rows, parquet=True)
    assert parquet_path is not None
    print(
        f"workload: {args.rows:,} rows of {SCHEME_ID}, CSV {csv_path.stat().st_size / 2**20:.0f} MiB, "
        f"Parquet {parquet_path.stat().st_size / 2**20:.0f} MiB, written in {built:.1f} s"
    )

    jobs: list[tuple[str, str, Any]] = [
        ("csv-command", "parscore evaluate CSV → CSV, headline",
         lambda: run_command(evaluate_args(csv_path, "csv", "headline", str(out / "c.csv")))),
        ("csv-peer", "pyarrow read_csv + evaluate_frame(criteria=False) + write_csv",
         lambda: run_peer("csv", str(csv_path), str(out / "p.csv"))),
        ("parquet-command", "parscore evaluate Parquet → Parquet, headline",
         lambda: run_command(evaluate_args(parquet_path, "parquet", "headline", str(out / "c.parquet")))),
        ("parquet-peer", "pyarrow read_table + evaluate_frame(criteria=False) + write_table",
         lambda: run_peer("parquet", str(parquet_path), str(out / "p.parquet"))),
        ("csv-command-criteria", "parscore evaluate CSV → CSV, every criterion",
         lambda: run_command(evaluate_args(csv_path, "csv", "criteria", str(out / "cc.csv")))),
        ("parquet-peer-criteria", "pyarrow read_table + evaluate_frame() + write_table",
         lambda: run_peer("parquet", str(parquet_path), str(out / "pc.parquet"), criteria=True)),
    ]
    rounds: dict[str, list[dict[str, Any]]] = {key: [] for key, _, _ in jobs}
    for number in range(1, args.repeat + 1):
        for key, label, run in jobs:
            print(f"round {number} of {args.repeat}: {label} …", flush=True)
            rounds[key].append(run())

    # The command's memory at each size and detail, and the explained run.
    memory: dict[str, dict[str, float]] = {}
    memory_seconds: dict[str, dict[str, float]] = {}
    for rows in [int(r) for r in args.memory_rows.split(",") if r.strip()]:
        source = csv_path if rows == args.rows else write_workload(folder, rows, parquet=False)[0]
        memory[f"{rows}"] = {}
        memory_seconds[f"{rows}"] = {}
        for detail in DETAILS:
            print(f"memory: {rows:,} rows, --detail {detail} …", flush=True)
            run = run_command(evaluate_args(source, "jsonl", detail, os.devnull))
            memory[f"{rows}"][detail] = run["peak_kib"] / 1024
            memory_seconds[f"{rows}"][detail] = run["seconds"]
        if source != csv_path:
            source.unlink()
    full_source = write_workload(folder, args.full_rows, parquet=False)[0]
    full_runs = []
    for number in range(1, args.repeat + 1):
        print(f"round {number} of {args.repeat}: {args.full_rows:,} units, --detail full, JSON lines …", flush=True)
        full_runs.append(run_command(evaluate_args(full_source, "jsonl", "full", str(out / "full.jsonl"))))
    full_bytes = (out / "full.jsonl").stat().st_size
    if args.smoke:
        check_outputs(out, args.rows, args.full_rows)

    # ------------------------------------------------------------- the tables
    csv_ratio = median(rounds["csv-command"]) / median(rounds["csv-peer"])
    parquet_ratio = median(rounds["parquet-command"]) / median(rounds["parquet-peer"])
    criteria_ratio = median(rounds["csv-command-criteria"]) / median(rounds["csv-command"])
    peer_criteria_ratio = median(rounds["parquet-peer-criteria"]) / median(rounds["parquet-peer"])
    full_seconds = median(full_runs)
    lines = [
        f"Machine: {machine()}. {args.rows:,} rows, medians of {args.repeat} rounds.",
        "",
        "| run | median s | rows/s | peak memory |",
        "|---|--:|--:|--:|",
    ]
    for key, label, _ in jobs:
        runs = rounds[key]
        lines.append(
            f"| {label} | {median(runs):.2f} | {args.rows / median(runs) / 1e6:.2f} M/s | {peak_mib(runs):.0f} MiB |"
        )
    lines += [
        f"| parscore evaluate, {args.full_rows:,} units, `--detail full`, JSON lines "
        f"({full_bytes / 2**20:.0f} MiB) | {full_seconds:.2f} | {args.full_rows / full_seconds / 1e3:.1f} k/s "
        f"| {peak_mib(full_runs):.0f} MiB |",
        "",
        "Peak resident memory of the command (CSV in, JSON lines out to /dev/null):",
        "",
        "| rows | " + " | ".join(f"`{d}`" for d in DETAILS) + " |",
        "|--:|" + "--:|" * len(DETAILS),
    ]
    for rows, peaks in memory.items():
        cells = " | ".join(
            f"{peaks[d]:.0f} MiB ({memory_seconds[rows][d]:.1f} s)" for d in DETAILS
        )
        lines.append(f"| {int(rows):,} | {cells} |")
    largest = max(memory, key=int) if memory else None
    met = lambda ok: "met" if ok else "not met"  # noqa: E731
    goals = [
        ("CSV → CSV, headline, ≤ 1.5× pyarrow + evaluate_frame", f"{csv_ratio:.2f}×", csv_ratio <= 1.5),
        ("Parquet → Parquet, headline, ≤ 1.2×", f"{parquet_ratio:.2f}×", parquet_ratio <= 1.2),
        (
            "every criterion ≤ 1.3× the headline",
            f"{criteria_ratio:.2f}× (evaluate_frame: {peer_criteria_ratio:.2f}×)",
            criteria_ratio <= 1.3,
        ),
        (
            f"peak memory < 300 MiB at {int(largest):,} rows, every detail" if largest else "peak memory",
            ", ".join(f"{d} {memory[largest][d]:.0f} MiB" for d in DETAILS) if largest else "–",
            bool(largest) and all(memory[largest][d] < 300 for d in DETAILS) and int(largest) >= 5_000_000,
        ),
        (
            f"{args.full_rows:,} units explained as JSON lines ≥ 20× faster than {FULL_BEFORE_SECONDS:.0f} s",
            f"{full_seconds:.2f} s, {FULL_BEFORE_SECONDS / full_seconds:.0f}×",
            FULL_BEFORE_SECONDS / full_seconds >= 20 and args.full_rows >= 100_000,
        ),
    ]
    lines += ["", "| goal | measured | |", "|---|---|---|"]
    if args.smoke:
        lines += [f"| {goal} | {measured} | not judged (smoke run) |" for goal, measured, _ in goals]
    else:
        lines += [f"| {goal} | {measured} | {met(ok)} |" for goal, measured, ok in goals]
    text = "\n".join(lines)
    print()
    print(text)
    if args.markdown:
        Path(args.markdown).write_text(text + "\n")
    if args.json:
        Path(args.json).write_text(json.dumps(
            {"rows": args.rows, "rounds": rounds, "memory_mib": memory, "memory_seconds": memory_seconds,
             "full": full_runs, "full_bytes": full_bytes, "machine": machine()},
            indent=2,
        ))


if __name__ == "__main__":
    main()
