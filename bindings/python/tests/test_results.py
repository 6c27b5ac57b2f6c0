"""Batches: per-row status, ranking, summary and tables."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import parscore


@pytest.fixture(scope="module")
def results(scheme: parscore.Scheme, example_rows: list[Any]) -> parscore.Results:
    rows = [*example_rows, {"unit": "Sở X", "period": "2024", "survey_points": "abc"}]
    return scheme.evaluate_many(rows)


def test_rows_keep_input_order_and_status(results: parscore.Results) -> None:
    assert len(results) == 6
    assert [r.row for r in results] == [1, 2, 3, 4, 5, 6]
    assert [r.status for r in results] == ["ok"] * 5 + ["error"]
    assert results[-1].unit == "Sở X" and results[-1].evaluation is None
    assert results[-1].error is not None and results[-1].error.indicator == "survey_points"
    assert len(results.ok) == 5 and len(results.errors) == 1
    with pytest.raises(IndexError):
        results[6]


def test_ranking_is_competition_ranking(results: parscore.Results) -> None:
    ranking = results.ranking()
    assert [r.rank for r in ranking] == [1, 1, 3, 4, 5]
    assert [r.unit for r in ranking[:2]] == ["Chi cục Trồng trọt và BVTV", "Chi cục Chăn nuôi và Thú y"]
    assert ranking[0].index == ranking[1].index == Decimal("98.4")
    assert all(r.points is not None and r.grade for r in ranking)


def test_summary(results: parscore.Results) -> None:
    summary = results.summary
    assert (summary.units, summary.ok, summary.errors) == (6, 5, 1)
    assert isinstance(summary.mean_index, Decimal)
    assert summary.grades["Xuất sắc"] == 4 and sum(summary.grades.values()) == 5
    assert list(summary.grades) == [g for g, _ in results.scheme.grades]
    assert "6 units" in repr(summary)


def test_document(results: parscore.Results) -> None:
    document = results.to_dict()
    assert list(document) == ["scheme", "results", "summary"]
    assert document["scheme"]["estimated"] is True
    bad = document["results"][-1]
    assert bad["status"] == "error" and bad["error"]["indicator"] == "survey_points"
    assert type(bad["row"]) is int and type(document["summary"]["units"]) is int
    assert all(type(r["rank"]) is int for r in document["results"][:5])


def test_views(results: parscore.Results) -> None:
    assert repr(results).startswith("<Results lang-son-snn-2024: 6 units, 5 ok, 1 errors")
    html = results._repr_html_()
    assert "lỗi: indicator `survey_points`" in html and "Bộ tiêu chí ước tính" in html
    english = results.to_html(lang="en")
    assert "error: indicator `survey_points`" in english and "Estimated scheme" in english
    assert "Row 6 Sở X (2024): error" in repr(results[5])


def test_tables_at_every_detail(results: parscore.Results, scheme: parscore.Scheme) -> None:
    pytest.importorskip("pyarrow")
    units = results.to_arrow()
    assert units.num_rows == 6
    assert units.column_names[:9] == ["unit", "period", "status", "error", "points", "max_points", "index", "grade", "rank"]
    assert units.column_names[9:11] == ["missing", "missing_points"]
    assert units.column_names[11:] == [c.code for c in scheme.criteria]
    criteria = results.to_arrow(detail="criteria")
    assert criteria.num_rows == 5 * len(scheme.criteria)
    groups = results.to_arrow(detail="groups")
    assert groups.num_rows == 5 * len(scheme.groups)
    assert groups.column_names == ["row", "unit", "period", "code", "title", "depth", "points", "max_points", "lost_points", "index"]
    with pytest.raises(ValueError, match="detail"):
        results.to_arrow(detail="everything")  # type: ignore[arg-type]


def test_pandas_table_has_exact_decimals(results: parscore.Results) -> None:
    pytest.importorskip("pandas")
    frame = results.to_pandas()
    first = frame.iloc[0]
    assert first["points"] == results[0].points and isinstance(first["points"], Decimal)
    assert str(first["max_points"]) == "100"  # its own digits, not 100.0000 or 1E+2
    assert str(frame["rank"].dtype) == "Int64" and frame["rank"].isna().tolist() == [False] * 5 + [True]
    floats = results.to_pandas(decimals="float")
    assert floats["points"].dtype == "float64"
    evaluation = results[0].evaluation
    assert evaluation is not None
    criteria = evaluation.to_pandas()
    assert list(criteria["code"]) == [c.code for c in evaluation.criteria]
    assert str(criteria["passed"].dtype) == "boolean"
    assert len(evaluation.to_pandas(detail="groups")) == len(evaluation.groups)


def test_polars_table(results: parscore.Results) -> None:
    pl = pytest.importorskip("polars")
    frame = results.to_polars()
    assert frame.height == 6
    assert frame.schema["points"] == pl.Decimal(38, frame.schema["points"].scale)
    assert frame.schema["index"] == pl.Decimal(38, 2)
    assert results.to_polars(decimals=4).schema["points"] == pl.Decimal(38, 4)


def test_decimals_option_is_checked(results: parscore.Results) -> None:
    for bad in ["double", 29, -1, True, 2.5]:
        with pytest.raises(ValueError, match="decimals"):
            results.to_arrow(decimals=bad)  # type: ignore[arg-type]
