"""Values in: every accepted Python form reads exactly, and every bad one is an InputError
naming its indicator."""

from __future__ import annotations

import math
import unicodedata
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import parscore

ON_TIME = "III.4.1"  # bands on dossiers_on_time / dossiers_resolved, target >= 99
SURVEY = "KS.1"  # given points, 0–20


def on_time(scheme: parscore.Scheme, **values: Any) -> parscore.CriterionResult:
    return scheme.evaluate({"unit": "A", **values}).criterion(ON_TIME)


def test_counts_compare_exactly(scheme: parscore.Scheme) -> None:
    met = on_time(scheme, dossiers_on_time=990, dossiers_resolved=1000)
    missed = on_time(scheme, dossiers_on_time=9899, dossiers_resolved=10000)
    assert met.passed is True and met.margin == 0
    assert missed.passed is False and missed.margin == Decimal("-0.01")
    assert missed.value == "9899/10000"


@pytest.mark.parametrize(
    "value",
    ["987/1000", Decimal("98.7"), "98.7", "98.7%", 98.7, " 98.7 "],
    ids=["counts", "decimal", "text", "percent-sign", "float", "spaces"],
)
def test_a_rate_in_every_form(scheme: parscore.Scheme, value: Any) -> None:
    result = on_time(scheme, dossiers_on_time_rate=value)
    assert result.passed is False
    assert result.margin == Decimal("-0.3")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        ("có", True),
        ("không", False),
        ("yes", True),
        ("n/a", "n/a"),
        (None, None),
    ],
)
def test_yes_no_forms(scheme: parscore.Scheme, value: Any, expected: Any) -> None:
    result = scheme.evaluate({"reports_on_time": value})
    criterion = next(c for c in result.criteria if c.indicator == "reports_on_time")
    assert criterion.value == expected
    assert type(criterion.value) is type(expected)


def test_bool_is_not_read_as_a_number(scheme: parscore.Scheme) -> None:
    """True is an int in Python; here it is a yes, which a percent does not take."""
    with pytest.raises(parscore.InputError, match="not a percent"):
        scheme.evaluate({"dossiers_on_time_rate": True})


def test_missing_is_never_zero(scheme: parscore.Scheme) -> None:
    result = scheme.evaluate({"unit": "A", "survey_points": None})
    survey = result.criterion(SURVEY)
    assert survey.status == "missing"
    assert survey.value is None
    assert survey.points == 0 and survey.max_points == 20


def test_unit_and_period_are_optional(scheme: parscore.Scheme) -> None:
    result = scheme.evaluate({"survey_points": 18})
    assert result.unit == "" and result.period is None
    dated = scheme.evaluate({"unit": "Sở A", "period": 2024, "survey_points": 18})
    assert (dated.unit, dated.period) == ("Sở A", "2024")


def test_numpy_and_pandas_scalars(scheme: parscore.Scheme) -> None:
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    result = scheme.evaluate(
        {
            "survey_points": np.float32(16.85),
            "dossiers_on_time": np.int64(990),
            "dossiers_resolved": np.uint16(1000),
            "reports_on_time": np.bool_(True),
            "staff_used": pd.NA,
        }
    )
    assert result.criterion(SURVEY).value == Decimal("16.85")
    assert result.criterion(ON_TIME).value == "990/1000"


def outcome(scheme: parscore.Scheme, value: Any) -> tuple[Any, ...]:
    try:
        return ("ok", scheme.evaluate({"survey_points": value}).criterion(SURVEY).points)
    except parscore.InputError as error:
        return ("error", error.kind, error.indicator, error.code)


@given(st.floats(allow_nan=False, allow_infinity=False))
@settings(max_examples=300, deadline=None)
def test_a_float_reads_as_its_repr_text(value: float) -> None:
    scheme = parscore.Scheme.builtin("lang-son-snn-2024")
    assert outcome(scheme, value) == outcome(scheme, repr(value))


@given(st.decimals(min_value=0, max_value=20, places=6))
@settings(max_examples=300, deadline=None)
def test_a_typed_in_float_stays_exact(typed: Decimal) -> None:
    """A value typed with up to 15 significant digits comes back as those digits."""
    scheme = parscore.Scheme.builtin("lang-son-snn-2024")
    assert outcome(scheme, float(typed)) == ("ok", typed)


@given(st.decimals(min_value=0, max_value=100, places=2))
@settings(max_examples=100, deadline=None)
def test_a_float32_keeps_its_own_digits(typed: Decimal) -> None:
    """float32(0.1) is 0.100000001490116… as a double; read at its own precision it is 0.1."""
    np = pytest.importorskip("numpy")
    scheme = parscore.Scheme.builtin("lang-son-snn-2024")
    value = np.float32(float(typed))
    result = scheme.evaluate({"dossiers_on_time_rate": value}).criterion(ON_TIME)
    assert result.value == typed


row_strategy = st.fixed_dictionaries(
    {
        # Names without spaces or control characters, which Python and Rust trim alike.
        "unit": st.text(
            st.characters(blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp")), min_size=1, max_size=8
        ),
        "period": st.sampled_from(["2023", "2024", None]),
    },
    optional={
        "dossiers_on_time_rate": st.one_of(
            st.decimals(min_value=-5, max_value=105, places=3),
            st.integers(min_value=0, max_value=100),
            st.just("n/a"),
            st.none(),
        ),
        "survey_points": st.one_of(
            st.floats(min_value=-1, max_value=25, allow_nan=False), st.none(), st.just("abc")
        ),
        "reports_on_time": st.one_of(st.booleans(), st.sampled_from(["có", "maybe"])),
        "staff_used": st.integers(min_value=-2, max_value=200),
        "staff_quota": st.integers(min_value=0, max_value=200),
    },
)


@given(st.lists(row_strategy, max_size=8, unique_by=lambda row: (unicodedata.normalize("NFC", row["unit"]), row["period"])))
@settings(max_examples=60, deadline=None)
def test_a_batch_scores_each_row_as_evaluate_does(rows: list[dict[str, Any]]) -> None:
    """Each row of a batch (units not repeated) is scored as evaluate scores it alone."""
    scheme = parscore.Scheme.builtin("lang-son-snn-2024")
    results = scheme.evaluate_many(rows)
    assert len(results) == len(rows)
    for row, result in zip(rows, results):
        try:
            alone = scheme.evaluate(row)
        except parscore.InputError as error:
            assert result.error is not None
            assert str(result.error) == str(error)
            assert result.unit == unicodedata.normalize("NFC", row["unit"])
        else:
            assert result.evaluation == alone


BAD_VALUES = [
    ("unknown indicator", {"on_time_rat": 90}, "on_time_rat", "unknown_indicator", "not an indicator"),
    ("bad text", {"dossiers_on_time_rate": "abc"}, "dossiers_on_time_rate", "invalid_value", "not a number"),
    ("comma decimal", {"dossiers_on_time_rate": "98,7"}, "dossiers_on_time_rate", "invalid_value", "ambiguous"),
    ("above 100", {"dossiers_on_time_rate": 100.5}, "dossiers_on_time_rate", "invalid_value", r"outside \[0, 100\]"),
    ("negative count", {"staff_used": -1}, "staff_used", "invalid_value", "outside"),
    ("fractional count", {"staff_used": Decimal("1.5")}, "staff_used", "invalid_value", "whole number"),
    ("more than the whole", {"dossiers_on_time_rate": "1001/1000"}, "dossiers_on_time_rate", "invalid_value", "more than the whole"),
    ("no denominator", {"dossiers_on_time_rate": "5/0"}, "dossiers_on_time_rate", "invalid_value", "no denominator"),
    ("NaN", {"survey_points": math.nan}, "survey_points", "invalid_value", "NaN"),
    ("infinity", {"survey_points": math.inf}, "survey_points", "invalid_value", "inf is not a number"),
    ("Decimal NaN", {"survey_points": Decimal("NaN")}, "survey_points", "invalid_value", "not a number"),
    ("list", {"survey_points": [18]}, "survey_points", "invalid_value", "a list is not a value"),
    ("dict", {"survey_points": {"a": 1}}, "survey_points", "invalid_value", "a dict is not a value"),
    ("bool for a percent", {"dossiers_on_time_rate": False}, "dossiers_on_time_rate", "invalid_value", "not a percent"),
]


@pytest.mark.parametrize(("values", "indicator", "kind", "message"), [b[1:] for b in BAD_VALUES], ids=[b[0] for b in BAD_VALUES])
def test_every_bad_input_names_its_indicator(
    scheme: parscore.Scheme, values: dict[str, Any], indicator: str, kind: str, message: str
) -> None:
    with pytest.raises(parscore.InputError, match=message) as raised:
        scheme.evaluate({"unit": "A", **values})
    error = raised.value
    assert isinstance(error, parscore.ParscoreError) and isinstance(error, ValueError)
    assert error.indicator == indicator
    assert error.kind == kind
    assert error.row is None


def test_given_points_above_the_maximum_name_the_criterion(scheme: parscore.Scheme) -> None:
    with pytest.raises(parscore.InputError) as raised:
        scheme.evaluate({"survey_points": 20.5})
    assert (raised.value.code, raised.value.indicator) == (SURVEY, "survey_points")
    assert raised.value.kind in {"rule", "invalid_value"}


def test_strict_mode_names_the_missing_criterion(scheme: parscore.Scheme, unit_values: dict[str, Any]) -> None:
    unit_values["survey_points"] = None
    with pytest.raises(parscore.InputError, match="strict") as raised:
        scheme.evaluate(unit_values, strict=True)
    assert (raised.value.kind, raised.value.code, raised.value.indicator) == ("missing", SURVEY, "survey_points")


def test_unknown_columns_can_be_ignored(scheme: parscore.Scheme) -> None:
    result = scheme.evaluate({"unit": "A", "note": [1, 2], "survey_points": 18}, ignore_unknown=True)
    assert result.criterion(SURVEY).points == 18


def test_wrong_argument_types_are_type_errors(scheme: parscore.Scheme) -> None:
    with pytest.raises(TypeError, match="mapping"):
        scheme.evaluate([("survey_points", 18)])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="iterable of mappings"):
        scheme.evaluate_many({"unit": "A"})
    with pytest.raises(TypeError):
        scheme.evaluate_many(42)  # type: ignore[arg-type]


def test_a_bad_row_fails_alone(scheme: parscore.Scheme, example_rows: list[Any]) -> None:
    rows: list[Any] = [
        example_rows[0],
        {"unit": "bad", "survey_points": "abc"},
        "not a mapping",
        {"period": "2024", "survey_points": 10},
        {1: 2, "unit": "int key"},
        example_rows[1],
    ]
    results = scheme.evaluate_many(rows)
    assert [r.status for r in results] == ["ok", "error", "error", "error", "error", "ok"]
    errors = {r.row: r.error for r in results.errors}
    assert errors[2] is not None and errors[2].indicator == "survey_points" and errors[2].row == 2
    assert errors[3] is not None and "each row must be a mapping" in str(errors[3])
    assert errors[4] is not None and str(errors[4]) == "row 4: no `unit`"
    assert errors[5] is not None and "column names must be str" in str(errors[5])
    assert results[1].unit == "bad"
    assert [r.rank for r in results.ok] == [2, 1]
