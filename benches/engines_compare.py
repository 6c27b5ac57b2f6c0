"""Scoring units on Spark, Ray and Dask against one process, in one run.

    python benches/engines_compare.py               # 1,000,000 units in 200 periods, 4 CSV files
    python benches/engines_compare.py --smoke       # 20,000 units in 20 periods: does it all run?
    python benches/engines_compare.py --engines spark,dask --units 200000

The units are those of the tests (bindings/python/tests/scattered_units.py): every period
scattered through every file and so through every batch, block and partition, Vietnamese
labels (some NFD), `n/a` rates, bad rows and units repeated across files. One process reads the
files with pyarrow and calls `evaluate_frame(decimals=10)`; each engine reads them with its
parscore helper's `read_csv` and scores them on a local cluster of `--cpus` CPUs (Spark
local[N], Ray with N CPUs, Dask with N worker processes). Each engine ranks two ways, timed
apart from reading:

- Spark: by period groups, `groupBy("period").applyInArrow(Scheme.rank)` (the helper's
  way), and with window functions, `rank()` over `period` (here below: it follows a scheme
  without a tie-breaking `[ranking]` only);
- Ray and Dask: the columns ranking reads gathered into one task and ranked by
  `Scheme.rank` (the helpers' way), and by period groups (Ray:
  `groupby("period").map_groups(Scheme.rank)`; Dask: `shuffle("period")` and `Scheme.rank`
  per partition).

Every result is compared, column by column, with one process; a difference fails the run.
Wall-clock seconds, one run each (the first includes the engine's start, reported apart).
Build parscore in release mode first: `pip install ./bindings/python`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bindings" / "python" / "tests"))

import pyarrow as pa  # noqa: E402

import parscore  # noqa: E402
import scattered_units  # noqa: E402
from parscore._distributed import fixed_schema  # noqa: E402

DECIMALS = 10
REVERSE = False
SKIP: set[str] = set()


def chosen(engine: str, strategies: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """The engine's ranking strategies to time, in the order asked, less those skipped."""
    kept = [(name, work) for name, work in strategies if f"{engine}:{name}" not in SKIP]
    return kept[::-1] if REVERSE else kept


def timed(label: str, work: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    print(f"  {label:<44} {seconds:8.2f} s", flush=True)
    return result, seconds


def check(one: Any, got: Any, label: str) -> None:
    """`got` (with `row`) equals `one` in every column, in the row order of `one`."""
    got = got.sort_by("row").drop_columns(["row"]) if "row" in got.schema.names else got
    found = scattered_units.differences(one, got)
    if found:
        raise SystemExit(f"{label}: differs from one process: {found}")


#: The error of a row that repeats an earlier row's unit (and period), as `evaluate_frame`
#: writes it (printf style: the row, the unit, the period, the earlier row).
REPEAT = "row %d: unit `%s` is already given in row %d"
REPEAT_IN_PERIOD = "row %d: unit `%s`, period `%s`, is already given in row %d"
LABELS = ("row", "unit", "period", "status", "error")


def rank_by_window(scored: Any, schema: Any) -> Any:
    """Rows ranked within each period by reported index alone (for a scheme without a
    ``[ranking]`` that breaks ties), and a unit repeated within its period (in batches
    that could not see each other) refused, as ``evaluate_frame`` does in one call."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    # One shuffle by period serves both windows, (period, unit) being clustered by period.
    scored = scored.repartition("period")
    first = F.min("row").over(Window.partitionBy("period", "unit"))
    scored = scored.withColumn("_first", first)
    repeat = F.col("unit").isNotNull() & (F.col("row") > F.col("_first"))
    message = (
        F.when(
            F.col("period").isNull(),
            F.format_string(REPEAT, F.col("row"), F.col("unit"), F.col("_first")),
        )
        .otherwise(
            F.format_string(REPEAT_IN_PERIOD, F.col("row"), F.col("unit"), F.col("period"), F.col("_first"))
        )
    )
    columns = []
    for name in schema.names:
        # Criterion codes hold points ("I.1"): quoted, or Spark reads a nested field.
        named = F.col("`" + name.replace("`", "``") + "`")
        if name == "status":
            column = F.when(repeat, F.lit("error")).otherwise(named)
        elif name == "error":
            column = F.when(repeat, message).otherwise(named)
        elif name in LABELS:
            column = named
        else:
            column = F.when(~repeat, named)
        columns.append(column.alias(name))
    refused = scored.select(*columns)
    # Rows that are not ranked sort after those that are, so they take no rank's place.
    ranked = (F.col("status") == "ok") & F.col("index").isNotNull()
    order = Window.partitionBy("period").orderBy(ranked.desc(), F.col("index").desc())
    return refused.withColumn("rank", F.when(ranked, F.rank().over(order)).cast("long"))


def spark_run(scheme: parscore.Scheme, paths: list[Path], cpus: int) -> dict[str, float]:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    import parscore.spark as ps

    session, start = timed(
        "spark: session",
        lambda: SparkSession.builder.master(f"local[{cpus}]")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "4g")
        # The comparison brings every scored row back to the driver (1.1 GB at 1M units).
        .config("spark.driver.maxResultSize", "0")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(2 * cpus))
        .getOrCreate(),
    )
    session.sparkContext.setLogLevel("ERROR")
    units = ps.read_csv(session, [str(p) for p in paths])
    # Rows are numbered in Spark's order of the frame; one process scores that order.
    one = scheme.evaluate_frame(units.toArrow(), decimals=DECIMALS)
    settings = dict(
        strict=False, ignore_unknown=False, decimal=".", decimals=DECIMALS, criteria=True,
        rank=False,
    )
    schema = fixed_schema(scheme, DECIMALS, True)
    times = {"start": start}
    _, times["warm-up"] = timed(
        "spark: warm-up (the first file, no ranks)",
        lambda: ps._score(scheme, ps.read_csv(session, [str(paths[0])]), settings).count(),
    )
    strategies = [
        ("window", lambda scored: rank_by_window(scored, schema)),
        ("groups", lambda scored: ps._rank_by_groups(scheme, scored, schema)),
    ]
    for name, rank in chosen("spark", strategies):
        got, seconds = timed(
            f"spark: score and rank ({name})",
            lambda: rank(ps._score(scheme, units, settings)).toArrow(),
        )
        check(one, got, f"spark ({name})")
        times[name] = seconds
    session.stop()
    return times


def ray_run(scheme: parscore.Scheme, paths: list[Path], cpus: int, one: Any) -> dict[str, float]:
    import ray

    import parscore.ray as pr

    _, start = timed(
        "ray: start",
        lambda: ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False),
    )
    units = pr.read_csv([str(p) for p in paths]).materialize()

    def to_table(dataset: Any) -> Any:
        return pa.concat_tables(ray.get(dataset.to_arrow_refs()))

    def groups() -> Any:
        scored = pr.evaluate(scheme, units, rank=False)
        ranked = scored.groupby("period").map_groups(
            lambda table: scheme.rank(table), batch_format="pyarrow"
        )
        return to_table(ranked)

    times = {"start": start}
    _, times["warm-up"] = timed(
        "ray: warm-up (the first file, no ranks)",
        lambda: to_table(pr.evaluate(scheme, pr.read_csv([str(paths[0])]), rank=False)),
    )
    strategies = [("gather", lambda: to_table(pr.evaluate(scheme, units))), ("groups", groups)]
    for name, work in chosen("ray", strategies):
        got, seconds = timed(f"ray: score and rank ({name})", work)
        check(one, got, f"ray ({name})")
        times[name] = seconds
    ray.shutdown()
    return times


def dask_run(scheme: parscore.Scheme, paths: list[Path], cpus: int, one: Any) -> dict[str, float]:
    import dask.dataframe as dd
    import distributed
    import numpy as np

    import parscore.dask as pd_

    (cluster, client), start = timed(
        "dask: cluster",
        lambda: (
            lambda c: (c, distributed.Client(c))
        )(distributed.LocalCluster(n_workers=cpus, threads_per_worker=1, dashboard_address=None)),
    )
    units = pd_.read_csv([str(p) for p in paths]).persist()

    def to_table(frame: Any) -> Any:
        return pa.Table.from_pandas(frame.compute(), preserve_index=False)

    def groups() -> Any:
        scored = pd_.evaluate(scheme, units, rank=False)
        sizes = scored.map_partitions(len).compute().tolist()
        starts = np.cumsum([1, *sizes[:-1]]).tolist()

        def numbered(part: Any, partition_info: Any = None) -> Any:
            first = starts[partition_info["number"]] if partition_info else 1
            return part.assign(row=np.arange(first, first + len(part)))

        meta = scored._meta.assign(row=np.array([], dtype="int64"))
        with_rows = scored.map_partitions(numbered, meta=meta)
        ranked = with_rows.shuffle("period").map_partitions(scheme.rank, meta=meta)
        table = pa.Table.from_pandas(ranked.compute(), preserve_index=False)
        # The shuffle gives each decimal column the precision of its values: cast back.
        return table.cast(pa.schema([*one.schema, pa.field("row", pa.int64())]))

    times = {"start": start}
    _, times["warm-up"] = timed(
        "dask: warm-up (the first file, no ranks)",
        lambda: pd_.evaluate(scheme, pd_.read_csv([str(paths[0])]), rank=False).compute(),
    )
    strategies = [("gather", lambda: to_table(pd_.evaluate(scheme, units))), ("groups", groups)]
    for name, work in chosen("dask", strategies):
        got, seconds = timed(f"dask: score and rank ({name})", work)
        check(one, got, f"dask ({name})")
        times[name] = seconds
    client.close()
    cluster.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="20,000 units in 20 periods")
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument("--periods", type=int, default=200)
    parser.add_argument("--cpus", type=int, default=2)
    parser.add_argument("--engines", default="spark,ray,dask")
    parser.add_argument(
        "--reverse", action="store_true", help="time the strategies in the other order"
    )
    parser.add_argument(
        "--skip",
        default="",
        help="strategies not to time, e.g. dask:groups (comma-separated engine:strategy)",
    )
    args = parser.parse_args()
    global REVERSE
    REVERSE = args.reverse
    SKIP.update(s for s in args.skip.split(",") if s)
    if args.smoke:
        args.units, args.periods = 20_000, 20
    engines = [e for e in args.engines.split(",") if e]
    scheme = parscore.Scheme.builtin("lang-son-snn-2024")
    print(
        f"parscore {parscore.__version__}, {args.units:,} units in {args.periods} periods, "
        f"4 CSV files, {args.cpus} CPUs per engine",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as directory:
        paths, _ = timed(
            "writing the files",
            lambda: scattered_units.write_files(Path(directory), args.units, args.periods),
        )
        whole = scattered_units.read_whole(paths)
        one, alone = timed("one process: evaluate_frame", lambda: scheme.evaluate_frame(
            whole, decimals=DECIMALS))
        results = {"one process": {"score": alone}}
        if "spark" in engines:
            results["spark"] = spark_run(scheme, paths, args.cpus)
        if "ray" in engines:
            results["ray"] = ray_run(scheme, paths, args.cpus, one)
        if "dask" in engines:
            results["dask"] = dask_run(scheme, paths, args.cpus, one)
    print("\nEvery column equal to one process on every engine and ranking.")
    for engine, times in results.items():
        print(f"  {engine:<12}" + ", ".join(f"{k} {v:.2f} s" for k, v in times.items()))


if __name__ == "__main__":
    main()
