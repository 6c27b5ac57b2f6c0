"""Spark local[2] scores a DataFrame exactly as one process does: `parscore.spark.evaluate`
every column, ranks included, on units whose periods are scattered through Arrow batches of
50 rows, read with `parscore.spark.read_csv` (which keeps `n/a`). One session for the
module; its Python workers are this Python (PYSPARK_PYTHON), which has parscore."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

import parscore
import scattered_units

from conftest import engine

pa = pytest.importorskip("pyarrow")
engine("pyspark", "pyspark")
sql = engine("pyspark.sql", "pyspark")
import parscore.spark  # noqa: E402  (after the engine, which it needs)


@pytest.fixture(scope="module")
def spark() -> Any:
    previous = os.environ.get("PYSPARK_PYTHON")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        sql.SparkSession.builder.master("local[2]")
        .appName("parscore-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "50")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    if previous is None:
        os.environ.pop("PYSPARK_PYTHON", None)
    else:
        os.environ["PYSPARK_PYTHON"] = previous


@pytest.mark.parametrize("ranking", ["reported", "tie-break"])
def test_evaluate_equals_one_process(spark: Any, scattered: list[Path], ranking: str) -> None:
    scheme = (
        parscore.Scheme.builtin("lang-son-snn-2024")
        if ranking == "reported"
        else scattered_units.ranking_scheme()
    )
    units = parscore.spark.read_csv(spark, [str(p) for p in scattered])
    # Rows are numbered in Spark's order of the frame, which one process scores too.
    one = scheme.evaluate_frame(units.toArrow(), decimals=10)
    got = parscore.spark.evaluate(scheme, units).toArrow().sort_by("row")
    assert got.column("row").to_pylist() == list(range(1, got.num_rows + 1))
    assert scattered_units.differences(one, got.drop_columns(["row"])) == {}
    assert "n/a" in units.toArrow().column("feedback_handled_rate").to_pylist()


def test_no_ranks(spark: Any, scattered: list[Path]) -> None:
    scheme = parscore.Scheme.builtin("lang-son-snn-2024")
    units = parscore.spark.read_csv(spark, [str(p) for p in scattered])
    got = parscore.spark.evaluate(scheme, units, rank=False).toArrow()
    assert got.column("rank").null_count == got.num_rows
    assert got.schema.field("index").type == pa.decimal128(38, 10)
