"""The boundary: no panic reaches Python, hostile and unusual values are clear errors or
correct reads, and what is given twice is refused (issue 22)."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from decimal import Decimal
from typing import Any, Callable

import pytest

import parscore

pa = pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
np = pytest.importorskip("numpy")

UNIT = "Sở Nông nghiệp và PTNT"
UNIT_NFD = unicodedata.normalize("NFD", UNIT)
# 28 decimals: the product of a percent and a criterion's points overflowed the core's
# decimal; the unit was given 79228162514264337593543950335 points.
TINY = "50.00000000000000000000000001"
RATE = "inspection_plan_completion_rate"


def test_the_spellings_differ() -> None:
    assert UNIT != UNIT_NFD and unicodedata.normalize("NFC", UNIT_NFD) == UNIT


# --- no panic crosses into Python -----------------------------------------------------------


@pytest.mark.parametrize("place", ["here", "detached", "worker", "beside"])
def test_a_panic_becomes_a_parscore_error(place: str) -> None:
    """Wherever the core panics (this thread, without the GIL, a rayon worker), the caller
    gets a ParscoreError, which `except Exception` catches, naming what was being done."""
    with pytest.raises(parscore.ParscoreError, match="internal error while testing the guard") as raised:
        parscore._parscore._panic_for_tests(place)  # type: ignore[attr-defined]
    assert "please report it" in str(raised.value)
    assert not isinstance(raised.value, parscore.InputError)


def test_only_a_panic_outside_every_guard_is_printed(capfd: pytest.CaptureFixture[str]) -> None:
    """A guarded call's panic is told by its ParscoreError alone, but a panic on a thread
    outside every guard is printed even while a guarded call runs: a Dask worker aborted on
    a panic that could not unwind, and its message was silenced by another call's guard."""
    for place in ("here", "detached", "worker"):
        with pytest.raises(parscore.ParscoreError):
            parscore._parscore._panic_for_tests(place)  # type: ignore[attr-defined]
    assert "test panic" not in capfd.readouterr().err
    with pytest.raises(parscore.ParscoreError, match="a test panic after one outside any guard"):
        parscore._parscore._panic_for_tests("beside")  # type: ignore[attr-defined]
    printed = capfd.readouterr().err
    assert "a test panic outside any guard" in printed
    assert "after one outside any guard" not in printed


def test_a_guarded_panic_that_cannot_unwind_is_printed() -> None:
    """A guarded panic that cannot unwind (inside an `extern "C"` function, or a destructor
    run while unwinding) aborts the process before its ParscoreError is made: the process
    says what it was, where "thread caused non-unwinding panic" was the only trace."""
    code = "import parscore; parscore._parscore._panic_for_tests('abort')"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode != 0
    assert "a guarded panic could not unwind: a test panic that cannot unwind" in run.stderr


def every_output(results: parscore.Results) -> dict[str, Callable[[], Any]]:
    """Each way of reading a batch and its first evaluation."""
    outputs: dict[str, Callable[[], Any]] = {
        "summary": lambda: results.summary,
        "repr": lambda: repr(results),
        "to_json": results.to_json,
        "to_dict": results.to_dict,
        "to_pandas": results.to_pandas,
        "criteria table": lambda: results.to_arrow(detail="criteria"),
        "html": results._repr_html_,
        "ranking": results.ranking,
    }
    evaluation = results[0].evaluation
    if evaluation is not None:
        outputs.update(
            {
                "evaluation repr": lambda: repr(evaluation),
                "index_exact": lambda: evaluation.index_exact,
                "explain": evaluation.explain,
                "evaluation to_json": evaluation.to_json,
                "evaluation html": evaluation._repr_html_,
                "recoverable": evaluation.recoverable,
                "groups": lambda: evaluation.groups,
            }
        )
    return outputs


def test_no_output_raises_a_panic_on_28_decimals(scheme: parscore.Scheme) -> None:
    """`Results.summary` and `to_json()` raised pyo3's PanicException on this value; each
    output now gives a result or a ParscoreError (an Exception)."""
    results = scheme.evaluate_many([{"unit": UNIT, "period": "2024", RATE: TINY}])
    for name, output in every_output(results).items():
        try:
            output()
        except parscore.ParscoreError:
            pass
        except BaseException as error:  # pragma: no cover - what the test is for
            pytest.fail(f"{name}: {type(error).__module__}.{type(error).__name__}: {error}")


def test_evaluate_frame_on_28_decimals_is_no_panic(scheme: parscore.Scheme) -> None:
    frame = pd.DataFrame({"unit": [UNIT, "Sở Tư pháp"], RATE: [TINY, "50"]})
    try:
        scheme.evaluate_frame(frame)
    except parscore.ParscoreError:
        pass


def exact_or_refused(scheme: parscore.Scheme, cell: Any) -> Any:
    """The points `evaluate` gives a unit with this value, or None when it refuses the value
    with its indicator named; points never leave [0, max]."""
    try:
        alone = scheme.evaluate({"unit": UNIT, RATE: cell})
    except parscore.InputError as error:
        assert error.indicator == RATE
        return None
    assert 0 <= alone.points <= alone.max_points
    return alone.points


@pytest.mark.parametrize("cell", [TINY, Decimal(TINY), "1e-28"])
def test_28_decimals_are_refused_or_scored_exactly(scheme: parscore.Scheme, cell: Any) -> None:
    """A saturated figure (79228162514264337593543950335 points, grade Xuất sắc) is never
    handed on: the unit is refused with its criterion and indicator named, alone and in a
    batch, where the other units keep their ranks."""
    expected = exact_or_refused(scheme, cell)
    results = scheme.evaluate_many([{"unit": UNIT, RATE: cell}, {"unit": "Sở Tư pháp", "survey_points": 12}])
    if expected is None:
        error = results[0].error
        assert error is not None and error.indicator == RATE and error.row == 1
        assert [r.rank for r in results] == [None, 1]
    else:
        assert results[0].points == expected


@pytest.mark.parametrize("cell", [TINY, Decimal(TINY), "1e-28"])
def test_28_decimals_in_a_frame_are_refused_or_scored_exactly(scheme: parscore.Scheme, cell: Any) -> None:
    """evaluate_frame gives what evaluate gives: the row refused naming the indicator, or the
    same exact points."""
    expected = exact_or_refused(scheme, cell)
    out = scheme.evaluate_frame(pd.DataFrame({"unit": [UNIT], RATE: pd.Series([cell], dtype=object)}))
    if expected is None:
        assert list(out["status"]) == ["error"] and RATE in out["error"][0]
    else:
        assert list(out["status"]) == ["ok"] and out["points"][0] == expected


# --- values of every Python type -----------------------------------------------------------


def test_an_all_null_polars_column_is_missing(scheme: parscore.Scheme) -> None:
    """A polars column of nothing but None has the Null type, which the C data interface
    refused with a bare Exception."""
    frame = pl.DataFrame({"unit": [UNIT], "survey_points": [None]})
    assert frame.schema["survey_points"] == pl.Null
    out = scheme.evaluate_frame(frame)
    assert out["status"].to_list() == ["ok"]
    assert out["KS.1"].to_list() == [Decimal(0)]
    assert scheme.evaluate_many(frame.to_dicts())[0].evaluation.criterion("KS.1").status == "missing"  # type: ignore[union-attr]


def test_an_empty_polars_frame_gives_no_rows(scheme: parscore.Scheme) -> None:
    out = scheme.evaluate_frame(pl.DataFrame({"unit": [], "survey_points": []}))
    assert out.height == 0 and out.columns[:3] == ["unit", "period", "status"]


@pytest.mark.parametrize("where", ["unit", "cell", "key"])
def test_a_lone_surrogate_is_an_input_error(scheme: parscore.Scheme, where: str) -> None:
    bad = "Sở \ud800"
    values = {
        "unit": {"unit": bad},
        "cell": {"unit": UNIT, "survey_points": bad},
        "key": {"unit": UNIT, bad: 1},
    }[where]
    with pytest.raises(parscore.InputError, match="surrogate"):
        scheme.evaluate(values)
    results = scheme.evaluate_many([values, {"unit": "Sở Tư pháp", "survey_points": "16,85"}], decimal=",")
    assert [r.status for r in results] == ["error", "ok"]
    assert "surrogate" in str(results[0].error)


@pytest.mark.parametrize("column", ["unit", "survey_points"])
def test_a_lone_surrogate_in_a_frame_is_an_input_error(scheme: parscore.Scheme, column: str) -> None:
    frame = pd.DataFrame({"unit": [UNIT, "Sở Tư pháp"], "survey_points": ["16.85", "12"]}, dtype=object)
    frame.loc[1, column] = "\udcff"
    with pytest.raises(parscore.InputError, match="surrogate") as raised:
        scheme.evaluate_frame(frame)
    assert raised.value.row == 2


@pytest.mark.parametrize("unit", [[1], b"S\xe1\xbb\x9f", True, np.bool_(True), {"name": UNIT}, (UNIT,), np.array([2024])])
def test_a_unit_that_is_not_text_is_a_type_error(scheme: parscore.Scheme, unit: Any) -> None:
    with pytest.raises(TypeError, match="`unit` must be text or a number"):
        scheme.evaluate({"unit": unit, "survey_points": 18})
    with pytest.raises(TypeError, match="`period` must be text or a number"):
        scheme.evaluate({"unit": UNIT, "period": unit})
    # In a batch the row fails alone.
    results = scheme.evaluate_many([{"unit": unit}, {"unit": UNIT}])
    assert [r.status for r in results] == ["error", "ok"]
    assert "`unit` must be text or a number" in str(results[0].error)


@pytest.mark.parametrize(
    ("period", "label"),
    [(2024, "2024"), (2024.0, "2024"), (Decimal("2024.0"), "2024"), (np.int64(2024), "2024"), (" 2024 ", "2024")],
)
def test_a_numeric_period_reads_as_one_label(scheme: parscore.Scheme, period: Any, label: str) -> None:
    """`2024` and `2024.0` are one period, in a mapping as in a frame."""
    assert scheme.evaluate({"unit": UNIT, "period": period}).period == label


def test_missing_labels(scheme: parscore.Scheme) -> None:
    for missing in (None, float("nan"), pd.NA, "  "):
        assert scheme.evaluate({"unit": missing}).unit == ""
        assert scheme.evaluate_many([{"unit": missing}])[0].error is not None


BAD_CELLS = [
    ("bytes", b"16.85", "a bytes is not a value"),
    ("nested list", [[16.85]], "a list is not a value"),
    ("numpy array", np.array([16.85, 12.0]), "a ndarray is not a value"),
    ("pandas Series", pd.Series([16.85]), "a Series is not a value"),
    ("numpy complex", np.complex128(1 + 2j), "is not a value"),
    ("infinity", float("inf"), "inf is not a number"),
    ("numpy NaN", np.float64("nan"), "NaN"),
    ("Decimal infinity", Decimal("-Infinity"), "not a number"),
    ("huge exponent", Decimal("1e1000000"), "too large"),
    ("tiny exponent", Decimal("1e-1000000"), "more digits than a value holds"),
    ("huge int", 10**40, "too large"),
    ("timestamp", pd.Timestamp("2024-05-10"), "a Timestamp is not a value"),
]


@pytest.mark.parametrize(("value", "message"), [b[1:] for b in BAD_CELLS], ids=[b[0] for b in BAD_CELLS])
def test_type_confusions_are_clear_errors(scheme: parscore.Scheme, value: Any, message: str) -> None:
    with pytest.raises(parscore.InputError, match=message) as raised:
        scheme.evaluate({"unit": UNIT, "survey_points": value})
    assert raised.value.indicator == "survey_points"
    results = scheme.evaluate_many([{"unit": UNIT, "survey_points": value}, {"unit": "Sở Tư pháp"}])
    assert [r.status for r in results] == ["error", "ok"]


@pytest.mark.parametrize(
    ("value", "read"),
    [
        (pd.NaT, None),
        (pd.NA, None),
        (np.float32(16.85), Decimal("16.85")),
        (np.int8(12), Decimal(12)),
        (Decimal("1.685E1"), Decimal("16.85")),
        (Decimal("-0"), Decimal(0)),
        (Decimal("1e-28"), Decimal("1e-28")),
    ],
)
def test_unusual_values_read_correctly(scheme: parscore.Scheme, value: Any, read: Any) -> None:
    assert scheme.evaluate({"unit": UNIT, "survey_points": value}).criterion("KS.1").value == read


# --- what is given twice -------------------------------------------------------------------


def test_a_unit_given_twice_is_refused_in_a_batch(scheme: parscore.Scheme) -> None:
    """The same unit and period twice, once in NFD: the second row is an error of its row,
    neither scored nor ranked; the first stays. Another period is another result."""
    rows = [
        {"unit": UNIT, "period": "2024", "survey_points": "16,85"},
        {"unit": "Sở Tư pháp", "period": "2024", "survey_points": "12"},
        {"unit": UNIT_NFD, "period": 2024, "survey_points": "19"},
        {"unit": UNIT_NFD, "period": "2023", "survey_points": "11"},
    ]
    results = scheme.evaluate_many(rows, decimal=",")
    assert [r.status for r in results] == ["ok", "ok", "error", "ok"]
    error = results[2].error
    assert error is not None and error.row == 3 and error.kind == "row"
    assert str(error) == f"row 3: unit `{UNIT}`, period `2024`, is already given in row 1"
    assert results[2].rank is None and results[2].unit == UNIT
    assert [r.rank for r in results] == [1, 2, None, 1]
    assert results[0].points == Decimal("16.85")
    assert results.summary.errors == 1


def test_a_unit_given_twice_is_refused_in_a_frame(scheme: parscore.Scheme) -> None:
    frame = pd.DataFrame(
        {
            "unit": [UNIT, "Sở Tư pháp", UNIT_NFD, " Sở Tư pháp "],
            "period": [2024, 2024, 2024, 2023],
            "survey_points": [16.85, 12, 19, 11],
        }
    )
    for out in (scheme.evaluate_frame(frame), scheme.evaluate_frame(pa.Table.from_pandas(frame)).to_pandas()):
        assert list(out["status"]) == ["ok", "ok", "error", "ok"]
        assert out["error"][2] == f"row 3: unit `{UNIT}`, period `2024`, is already given in row 1"
        assert list(out["unit"]) == [UNIT, "Sở Tư pháp", UNIT, "Sở Tư pháp"]
        assert list(out["rank"].astype(object).where(out["rank"].notna(), None)) == [1, 2, None, 1]
        assert out["points"][0] == Decimal("16.85") and pd.isna(out["points"][2])


def test_a_repeated_unit_across_batches(scheme: parscore.Scheme) -> None:
    first = pa.record_batch({"unit": [UNIT], "survey_points": [16.85]})
    second = pa.record_batch({"unit": [UNIT_NFD], "survey_points": [19.0]})
    out = scheme.evaluate_frame(pa.Table.from_batches([first, second]))
    assert out.column("status").to_pylist() == ["ok", "error"]
    assert out.column("rank").to_pylist() == [1, None]


@pytest.mark.parametrize("library", ["pandas", "pyarrow"])
def test_a_column_given_twice_is_refused(scheme: parscore.Scheme, library: str) -> None:
    frame = pd.DataFrame([[UNIT, 16.85, 12]], columns=["unit", "survey_points", "survey_points"])
    table = frame if library == "pandas" else pa.Table.from_arrays(
        [pa.array([UNIT]), pa.array([16.85]), pa.array([12])], names=["unit", "survey_points", "survey_points"]
    )
    with pytest.raises(parscore.InputError, match=r"column `survey_points` is given twice in the table \(columns 2 and 3\)") as raised:
        scheme.evaluate_frame(table)
    assert raised.value.indicator == "survey_points"


def test_a_unit_column_and_a_unit_index(scheme: parscore.Scheme) -> None:
    frame = pd.DataFrame({"unit": [UNIT], "survey_points": [16.85]}, index=pd.Index(["x"], name="unit"))
    with pytest.raises(parscore.InputError, match="column `unit` is given twice"):
        scheme.evaluate_frame(frame)


def test_a_key_given_twice_by_a_mapping(scheme: parscore.Scheme) -> None:
    class Pairs:
        def items(self) -> list[tuple[str, Any]]:
            return [("unit", UNIT), ("survey_points", 12), ("survey_points", 18)]

    with pytest.raises(parscore.InputError, match="column `survey_points` is given twice"):
        scheme.evaluate(Pairs())  # type: ignore[arg-type]


def test_a_rate_and_its_counts_in_one_row(scheme: parscore.Scheme) -> None:
    """A rate that its counts contradict is an error of its row; one they agree with is read."""
    agreeing = {"unit": UNIT, "dossiers_on_time_rate": "99", "dossiers_on_time": 990, "dossiers_resolved": 1000}
    assert scheme.evaluate(agreeing).criterion("III.4.1").passed is True
    values = {**agreeing, "dossiers_on_time_rate": "99.5"}
    with pytest.raises(parscore.InputError) as raised:
        scheme.evaluate(values)
    assert raised.value.indicator == "dossiers_on_time_rate"
    results = scheme.evaluate_many([values])
    assert results[0].error is not None and results[0].error.indicator == "dossiers_on_time_rate"
    out = scheme.evaluate_frame(pd.DataFrame([values]))
    assert list(out["status"]) == ["error"] and "dossiers_on_time_rate" in out["error"][0]
