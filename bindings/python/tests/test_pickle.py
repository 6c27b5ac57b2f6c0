"""Schemes, evaluations, batches, record summaries, analyses and errors pickle, so the same
code runs in worker processes (Spark, Dask, Ray) and results travel back."""

from __future__ import annotations

import pickle
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import parscore

from conftest import read_rows
from test_analysis import COMPARE_SCHEME, MID_YEAR, PERIODS, ROUNDS, mid_year_records
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


# --- analyses: a comparison, a tracking, a study, a path to a grade, a "what if" ----------


def test_comparisons_pickle_as_their_figures() -> None:
    """Two periods and two rounds (with the appraisal list, Vietnamese labels) read back to
    the same document, units and frames; the results compared are not carried."""
    periods = COMPARE_SCHEME.evaluate_many(read_rows(PERIODS / "input.json"))
    own = COMPARE_SCHEME.evaluate_many(read_rows(ROUNDS / "tu-danh-gia.json"))
    appraised = COMPARE_SCHEME.evaluate_many(read_rows(ROUNDS / "tham-dinh.json"))
    for comparison in (
        periods.compare(periods=("2024", "2025")),
        own.compare(appraised, labels=("Tự đánh giá", "Thẩm định")),
        own[0].evaluation.compare(appraised[0].evaluation),  # type: ignore[union-attr]
    ):
        again = roundtrip(comparison)
        assert again.to_json() == comparison.to_json()
        assert (again.kind, again.labels, len(again)) == (comparison.kind, comparison.labels, len(comparison))
        assert again.scheme == comparison.scheme
        assert again.to_arrow().equals(comparison.to_arrow())
        assert again.to_arrow(detail="criteria").equals(comparison.to_arrow(detail="criteria"))
        assert repr(again.units[0]) == repr(comparison.units[0])


def test_a_tracking_pickles_as_its_figures() -> None:
    scheme = parscore.Scheme.from_file(MID_YEAR / "scheme.toml")
    tracking = scheme.track_records(mid_year_records(), as_of="15/06/2024", expected=100)
    again = roundtrip(tracking)
    assert again.to_json() == tracking.to_json()
    assert (again.as_of, again.year, again.days_left) == (tracking.as_of, tracking.year, tracking.days_left)
    assert again.to_arrow().equals(tracking.to_arrow())
    assert again.scheme == scheme


def test_a_sensitivity_study_pickles_without_drawing_again(scheme: parscore.Scheme, example_rows: list[Any]) -> None:
    """The study's document, frames and charts read back as they were: every exact figure,
    every probability's double, the model's source; the samples are not drawn again."""
    for study in (
        scheme.sensitivity(example_rows, samples=40, seed=11, factors="areas"),
        scheme.sensitivity(scheme.evaluate_many(example_rows), weights=0, samples=5),
    ):
        again = roundtrip(study)
        assert again.to_json() == study.to_json()
        assert again.to_dict() == study.to_dict()
        for detail in ("units", "variance_share", "rank_variance_share", "ranks"):
            assert again.to_arrow(detail=detail).equals(study.to_arrow(detail=detail))
        assert again.to_html() == study.to_html()
        assert (again.samples, again.seed, again.factors, again.varies) == (
            study.samples, study.seed, study.factors, study.varies)


def test_a_damaged_analysis_pickle_is_a_parscore_error(scheme: parscore.Scheme) -> None:
    results = scheme.evaluate_many([{"unit": "Sở A"}])
    for restore, args in (
        (parscore._parscore._restore_comparison, (scheme, '{"units": 1}')),
        (parscore._parscore._restore_tracking, (scheme, "[]")),
        (parscore._parscore._restore_sensitivity, (results, "{}", ("default", Decimal(20), None), True)),
        (parscore._parscore._restore_sensitivity, (results, "{}", ("?", None, None), True)),
    ):
        with pytest.raises(parscore.ParscoreError, match="not a pickled"):
            restore(*args)


def test_a_path_to_a_grade_and_a_what_if_pickle(scheme: parscore.Scheme, example_rows: list[Any]) -> None:
    unit = min((scheme.evaluate(row) for row in example_rows), key=lambda e: e.index or 0)
    path = unit.path_to("Xuất sắc")
    again = roundtrip(path)
    assert repr(again) == repr(path) and again.fixes
    fields = ("unit", "grade", "min_index", "reached", "index_before", "points", "max_points", "index", "exhaustive")
    assert [getattr(again, f) for f in fields] == [getattr(path, f) for f in fields]
    fix_fields = ("code", "title", "lead", "before", "after", "points")
    assert [[getattr(f, k) for k in fix_fields] for f in again.fixes] == [
        [getattr(f, k) for k in fix_fields] for f in path.fixes
    ]
    what_if = unit.what_if({"III.4.1": "99,5", "I.2": "có"}, decimal=",")
    back = roundtrip(what_if)
    assert back.evaluation == what_if.evaluation
    assert (back.points, back.index, back.index_before, back.grade) == (
        what_if.points, what_if.index, what_if.index_before, what_if.grade)
    assert [repr(f) for f in back.changes] == [repr(f) for f in what_if.changes]
