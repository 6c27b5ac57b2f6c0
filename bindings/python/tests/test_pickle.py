"""Schemes, evaluations, batches, record summaries and errors pickle, so the same code runs
in worker processes (Spark, Dask, Ray) and results travel back."""

from __future__ import annotations

import pickle
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import parscore

from test_records import CASES, READERS, options
from test_scheme import DEMO


def roundtrip(value: Any) -> Any:
    return pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def test_scheme(scheme: parscore.Scheme) -> None:
    again = roundtrip(scheme)
    assert again == scheme and again.to_toml() == scheme.to_toml()
    demo = parscore.Scheme.from_toml(DEMO)
    assert roundtrip(demo) == demo


def test_evaluation(scheme: parscore.Scheme, unit_values: dict[str, Any]) -> None:
    evaluation = scheme.evaluate(unit_values)
    again = roundtrip(evaluation)
    assert again == evaluation
    assert again.to_dict() == evaluation.to_dict()
    assert again.explain() == evaluation.explain()


def test_results_with_bad_rows(scheme: parscore.Scheme, example_rows: list[Any]) -> None:
    rows: list[Any] = [
        *example_rows,
        {"unit": "bad", "survey_points": "abc"},
        {"period": "2024"},
        "not a row",
        {"unit": "strict", "survey_points": None},
    ]
    for strict in (False, True):
        results = scheme.evaluate_many(rows, strict=strict)
        again = roundtrip(results)
        assert again == results
        assert again.to_dict() == results.to_dict()
        assert [r.unit for r in again] == [r.unit for r in results]


@pytest.mark.parametrize(
    "make",
    [
        lambda s: s.evaluate({"survey_points": "abc"}),
        lambda s: s.evaluate({"survey_points": None}, strict=True),
        lambda s: parscore.Scheme.from_toml(DEMO.replace('"on_time"\ntitle', '"x"\ntitle')),
        lambda s: parscore.Scheme.from_toml("id = [\n"),
    ],
    ids=["invalid value", "strict missing", "invalid scheme", "syntax"],
)
def test_errors_keep_their_attributes(scheme: parscore.Scheme, make: Any) -> None:
    with pytest.raises(parscore.ParscoreError) as raised:
        make(scheme)
    error = raised.value
    again = roundtrip(error)
    assert type(again) is type(error) and str(again) == str(error)
    assert vars(again) == vars(error)


def test_row_errors_pickle_with_their_row(scheme: parscore.Scheme) -> None:
    [row] = scheme.evaluate_many([{"unit": "a", "survey_points": "x"}])
    assert row.error is not None
    again = roundtrip(row.error)
    assert (again.row, again.indicator, again.kind) == (1, "survey_points", "invalid_value")


def test_every_view_pickles(scheme: parscore.Scheme, example_rows: list[Any]) -> None:
    """Rows, criteria, subtotals and plan entries travel too, e.g. as a Dask task's result."""
    results = scheme.evaluate_many(example_rows)
    row = roundtrip(results[2])
    assert (row.row, row.unit, row.rank, row.index) == (3, results[2].unit, results[2].rank, results[2].index)
    assert row.evaluation == results[2].evaluation
    evaluation = results[0].evaluation
    assert evaluation is not None
    criterion = roundtrip(evaluation.criterion("III.4.1"))
    assert (criterion.code, criterion.margin, criterion.points) == ("III.4.1", Decimal("-0.01"), evaluation.criterion("III.4.1").points)
    group = roundtrip(evaluation.groups[3])
    assert (group.code, group.points) == (evaluation.groups[3].code, evaluation.groups[3].points)
    fix = roundtrip(evaluation.recoverable()[0])
    assert (fix.code, fix.points) == (evaluation.recoverable()[0].code, evaluation.recoverable()[0].points)
    summary = roundtrip(results.summary)
    assert (summary.units, summary.mean_index, summary.grades) == (5, results.summary.mean_index, results.summary.grades)
    assert roundtrip(scheme.indicator("survey_points")).kind == "points"
    assert roundtrip(scheme.criterion("III.4.1")).target == ">= 99"
    # Many views of one batch pickle it once.
    assert len(pickle.dumps(results.ranking())) < 2 * len(pickle.dumps(results))


def test_evaluations_of_one_scheme_share_it_in_a_pickle(scheme: parscore.Scheme, example_rows: list[Any]) -> None:
    evaluations = [scheme.evaluate(row) for row in example_rows]
    assert all(e.scheme is scheme for e in evaluations)
    assert len(pickle.dumps(evaluations)) < 1.5 * len(pickle.dumps(evaluations[0]))
    again = roundtrip(evaluations)
    assert again == evaluations and again[0].scheme is again[4].scheme


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_record_summary(case: Path) -> None:
    """A summary travels as its counts, bad records and options; the records stay behind."""
    frame = READERS["pandas-text"](case / "records.csv")
    for changed in ({}, {"by_sub_unit": True}, {"period": "2000-01-01..2099-12-31"}, {"strict": True}):
        try:
            summary = parscore.summarize_records(frame, **{**options(case), **changed})
        except parscore.RecordsError:
            continue  # strict, with a bad record
        again = roundtrip(summary)
        assert again == summary
        assert again.to_dict() == summary.to_dict()
        assert (again.groups, again.bad, again.as_of, again.period) == (
            summary.groups,
            summary.bad,
            summary.as_of,
            summary.period,
        )
        assert again.to_arrow().equals(summary.to_arrow())
        assert repr(again) == repr(summary)


def test_a_damaged_record_summary_pickle_is_a_parscore_error() -> None:
    with pytest.raises(parscore.ParscoreError, match="cannot unpickle a RecordSummary"):
        parscore._parscore._restore_record_summary('{"records": 1}')
