"""Frames: pandas, polars and pyarrow tables in, the same library out, one row per row."""

from __future__ import annotations

import threading
import time
from decimal import Decimal
from typing import Any

import pytest

import parscore

from conftest import EXAMPLES

pa = pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")

LEADING = ["unit", "period", "status", "error", "points", "max_points", "index", "grade", "rank", "missing", "missing_points"]


def pandas_example() -> Any:
    # pandas reads "n/a" as NaN by default, which would turn "not applicable" into missing.
    return pd.read_csv(EXAMPLES / "units-2024.csv", keep_default_na=False, na_values=[""])


def test_pandas_in_pandas_out(scheme: parscore.Scheme, example_rows: list[Any]) -> None:
    frame = pandas_example()
    out = scheme.evaluate_frame(frame)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == LEADING + [c.code for c in scheme.criteria]
    assert list(out.index) == list(frame.index)
    expected = scheme.evaluate_many(example_rows)
    assert list(out["points"]) == [r.points for r in expected]
    assert list(out["index"]) == [r.index for r in expected]
    assert list(out["rank"]) == [r.rank for r in expected]
    on_time = [r.evaluation.criterion("III.4.1") for r in expected if r.evaluation]
    # Not applicable and excluded: null, never 0.
    assert [None if pd.isna(v) else v for v in out["III.4.1"]] == [
        None if c.status == "not_applicable" else c.points for c in on_time
    ]
    assert any(c.status == "not_applicable" for c in on_time)
    assert list(out["missing"]) == [r.evaluation.missing_count for r in expected if r.evaluation]
    assert all(isinstance(v, Decimal) for v in out["points"])


def test_pandas_index_is_kept(scheme: parscore.Scheme) -> None:
    frame = pandas_example().set_index("unit")
    out = scheme.evaluate_frame(frame)
    assert out.index.equals(frame.index) and "unit" not in out.columns
    shuffled = pandas_example().sample(frac=1, random_state=3)
    assert list(scheme.evaluate_frame(shuffled).index) == list(shuffled.index)


def test_pandas_nan_is_missing(scheme: parscore.Scheme) -> None:
    frame = pd.DataFrame({"unit": ["a", "b"], "survey_points": [16.85, float("nan")]})
    out = scheme.evaluate_frame(frame)
    assert list(out["status"]) == ["ok", "ok"]
    assert list(out["KS.1"]) == [Decimal("16.85"), Decimal(0)]


def test_polars_in_polars_out(scheme: parscore.Scheme, example_rows: list[Any]) -> None:
    out = scheme.evaluate_frame(pl.read_csv(EXAMPLES / "units-2024.csv"))
    assert isinstance(out, pl.DataFrame)
    assert out.columns[:11] == LEADING
    expected = scheme.evaluate_many(example_rows)
    assert out["points"].to_list() == [r.points for r in expected]
    assert out.schema["index"] == pl.Decimal(38, 2)


def test_polars_nan_is_an_error(scheme: parscore.Scheme) -> None:
    out = scheme.evaluate_frame(pl.DataFrame({"unit": ["a", "b"], "survey_points": [16.85, float("nan")]}))
    assert out["status"].to_list() == ["ok", "error"]
    assert "NaN" in out["error"][1]


def test_pyarrow_in_pyarrow_out(scheme: parscore.Scheme) -> None:
    import pyarrow.csv as csv

    table = csv.read_csv(
        EXAMPLES / "units-2024.csv",
        convert_options=csv.ConvertOptions(null_values=[""], strings_can_be_null=True),
    )
    out = scheme.evaluate_frame(table)
    assert isinstance(out, pa.Table) and out.num_rows == 5
    assert out.schema.field("points").type == pa.decimal128(38, out.schema.field("points").type.scale)
    assert out.schema.field("rank").type == pa.int64()
    batch = scheme.evaluate_frame(table.to_batches()[0])
    assert isinstance(batch, pa.RecordBatch) and batch.num_rows == 5
    reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches())
    assert scheme.evaluate_frame(reader).equals(out)


def test_any_arrow_stream(scheme: parscore.Scheme) -> None:
    class Stream:
        def __init__(self, table: Any) -> None:
            self.table = table

        def __arrow_c_stream__(self, requested_schema: object = None) -> object:
            return self.table.__arrow_c_stream__(requested_schema)

    table = pa.table({"unit": ["a"], "survey_points": [18]})
    assert scheme.evaluate_frame(Stream(table)).equals(scheme.evaluate_frame(table))


def test_every_row_comes_out_even_bad_ones(scheme: parscore.Scheme) -> None:
    table = pa.table(
        {
            "unit": ["ok", "bad", None, "ok2"],
            "period": pa.array([2024, 2024, 2024, None]),
            "survey_points": pa.array([16.85, 25, 1, None]),
            "dossiers_on_time_rate": pa.array(["987/1000", "n/a", "1001/1000", None]).dictionary_encode(),
            "staff_used": pa.array([Decimal("3"), None, None, Decimal("2.50")], type=pa.decimal128(10, 2)),
        }
    )
    out = scheme.evaluate_frame(table).to_pylist()
    assert [r["status"] for r in out] == ["ok", "error", "error", "error"]
    assert out[0]["period"] == "2024" and out[3]["period"] is None
    assert "given points 25" in out[1]["error"]
    assert out[2]["error"] == "row 3: no `unit`"
    assert "whole number" in out[3]["error"]
    assert all(r["points"] is None and r["rank"] is None for r in out[1:])
    assert out[0]["rank"] == 1


def test_unknown_columns(scheme: parscore.Scheme) -> None:
    table = pa.table({"unit": ["a", "b"], "note": ["x", None], "survey_points": [18, 19]})
    out = scheme.evaluate_frame(table)
    assert out.column("error").to_pylist() == ["`note` is not an indicator of this scheme"] * 2
    kept = scheme.evaluate_frame(table, ignore_unknown=True)
    assert kept.column("status").to_pylist() == ["ok", "ok"]


def test_column_types(scheme: parscore.Scheme) -> None:
    table = pa.table(
        {
            "unit": pa.array(["a"], type=pa.large_string()),
            "period": pa.array([2024], type=pa.int16()),
            "survey_points": pa.array([16.85], type=pa.float32()),
            "dossiers_on_time": pa.array([990], type=pa.uint64()),
            "dossiers_resolved": pa.array([1000], type=pa.int32()),
            "leaders_disciplined": pa.array([1], type=pa.int8()),
            "reports_on_time": pa.array([True]),
            "staff_used": pa.array([Decimal("118")], type=pa.decimal256(40, 0)),
            "staff_quota": pa.array([None], type=pa.null()),
        }
    )
    [row] = scheme.evaluate_frame(table).to_pylist()
    assert (row["unit"], row["period"], row["status"]) == ("a", "2024", "ok")
    assert row["KS.1"] == Decimal("16.85")
    assert row["III.4.1"] == scheme.evaluate({"dossiers_on_time": 990, "dossiers_resolved": 1000}).criterion("III.4.1").points


def test_structural_errors_raise(scheme: parscore.Scheme) -> None:
    with pytest.raises(parscore.InputError, match="no `unit` column"):
        scheme.evaluate_frame(pa.table({"survey_points": [18]}))
    with pytest.raises(parscore.InputError, match="not numbers, text") as raised:
        scheme.evaluate_frame(pa.table({"unit": ["a"], "survey_points": pa.array([[1]])}))
    assert raised.value.indicator == "survey_points"
    with pytest.raises(TypeError, match="evaluate_many"):
        scheme.evaluate_frame([{"unit": "a"}])
    with pytest.raises(TypeError, match="collect"):
        scheme.evaluate_frame(pl.DataFrame({"unit": ["a"]}).lazy())


def test_headline_figures_alone(scheme: parscore.Scheme) -> None:
    """Without the points per criterion the headline figures are the same, in fewer columns."""
    frame = pl.read_csv(EXAMPLES / "units-2024.csv")
    full = scheme.evaluate_frame(frame)
    lean = scheme.evaluate_frame(frame, criteria=False)
    assert lean.columns == LEADING
    assert lean.equals(full.select(LEADING))
    table = scheme.evaluate_frame(frame.to_arrow(), criteria=False, decimals=10)
    assert table.schema == scheme.output_schema(decimals=10, criteria=False)


def test_decimals_modes(scheme: parscore.Scheme) -> None:
    table = pa.table({"unit": ["a", "b"], "survey_points": [16.85, 18]})
    exact = scheme.evaluate_frame(table)
    assert exact.schema.field("KS.1").type == pa.decimal128(38, 2)
    fixed = scheme.evaluate_frame(table, decimals=10)
    assert fixed.schema.field("points").type == pa.decimal128(38, 10)
    assert fixed.schema == scheme.output_schema(decimals=10)
    floats = scheme.evaluate_frame(table, decimals="float")
    assert floats.schema.field("KS.1").type == pa.float64()
    assert floats.column("KS.1").to_pylist() == [16.85, 18.0]


PROPORTIONAL = """
id = "proportional"
title = "Proportional"
version = "1"
[[indicators]]
id = "rate"
title = "Rate"
kind = "percent"
[[areas]]
code = "A"
title = "A"
[[areas.criteria]]
code = "A.1"
title = "Rate"
indicator = "rate"
max_points = 100
rule = { kind = "proportional" }
"""


def test_float_figures_are_the_nearest_floats_to_the_exact_ones() -> None:
    """Quotients of 28 places, where adding whole and fractional parts in floats misses."""
    scheme = parscore.Scheme.from_toml(PROPORTIONAL)
    rates = [f"{n}/{d}" for d in (3, 7, 9, 11, 13) for n in range(1, d)]
    table = pa.table({"unit": [f"u{i}" for i in range(len(rates))], "rate": rates})
    exact = scheme.evaluate_frame(table)
    floats = scheme.evaluate_frame(table, decimals="float")
    assert exact.column("A.1")[0].as_py() == Decimal("33.333333333333333333333333333")
    compared = 0
    for name in floats.column_names:
        if floats.schema.field(name).type == pa.float64():
            values = exact.column(name).to_pylist()
            assert floats.column(name).to_pylist() == [None if v is None else float(v) for v in values], name
            compared += 1
    assert compared >= 3
    points = dict(zip(rates, floats.column("A.1").to_pylist()))
    assert (points["1/9"], points["3/11"]) == (11.11111111111111, 27.272727272727273)


def test_empty_frames(scheme: parscore.Scheme) -> None:
    out = scheme.evaluate_frame(pd.DataFrame({"unit": pd.Series([], dtype=str)}))
    assert len(out) == 0 and list(out.columns)[:11] == LEADING
    empty = pa.table({"unit": pa.array([], pa.string())})
    assert scheme.evaluate_frame(empty).num_rows == 0
    batch = scheme.evaluate_frame(pa.RecordBatch.from_pylist([], schema=empty.schema))
    assert isinstance(batch, pa.RecordBatch) and batch.num_rows == 0


def test_threads_score_in_parallel_safely(scheme: parscore.Scheme) -> None:
    """Scoring runs without the GIL; threads sharing one scheme get the same answers."""
    frame = pl.read_csv(EXAMPLES / "units-2024.csv")
    frame = pl.concat([frame] * 200)
    expected = scheme.evaluate_frame(frame)
    outputs: list[Any] = []

    def work() -> None:
        outputs.append(scheme.evaluate_frame(frame))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outputs) == 4 and all(o.equals(expected) for o in outputs)


def test_pandas_mixed_columns_read_as_cells(scheme: parscore.Scheme) -> None:
    """A spreadsheet column mixing numbers and text has no Arrow type; its cells still read."""
    frame = pd.DataFrame(
        {
            "unit": ["a", "b", "c", "d"],
            "dossiers_on_time_rate": [98.7, "n/a", "987/1000", None],
            "reports_on_time": [True, "có", float("nan"), 0],
            "survey_points": [Decimal("16.85"), 18, "abc", pd.NA],
        },
        dtype=object,
    )
    out = scheme.evaluate_frame(frame)
    assert list(out["status"]) == ["ok", "ok", "error", "ok"]
    assert "abc" in out["error"][2]
    rows = scheme.evaluate_many(
        [
            {"unit": "a", "dossiers_on_time_rate": 98.7, "reports_on_time": True, "survey_points": Decimal("16.85")},
            {"unit": "b", "dossiers_on_time_rate": "n/a", "reports_on_time": "có", "survey_points": 18},
        ]
    )
    assert list(out["points"][:2]) == [r.points for r in rows]


def test_the_gil_is_released_while_scoring(scheme: parscore.Scheme) -> None:
    """A Python thread keeps running while a frame is scored; were the GIL held, it would stall."""
    frame = pl.concat([pl.read_csv(EXAMPLES / "units-2024.csv")] * 800)
    count = [0]
    running = [True]

    def spin() -> None:
        while running[0]:
            count[0] += 1

    thread = threading.Thread(target=spin)
    thread.start()
    try:
        time.sleep(0.1)
        start, began = count[0], time.perf_counter()
        time.sleep(0.2)
        idle_rate = (count[0] - start) / (time.perf_counter() - began)
        start, began = count[0], time.perf_counter()
        scheme.evaluate_frame(frame)
        busy_rate = (count[0] - start) / (time.perf_counter() - began)
    finally:
        running[0] = False
        thread.join()
    assert busy_rate > 0.2 * idle_rate
