"""Typed use of the public API, checked by `mypy --strict` (not collected by pytest): the
stubs must accept what users write and give the types they read."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional

import parscore


def score(values: dict[str, parscore.ValueLike]) -> tuple[Decimal, Optional[Decimal], Optional[str]]:
    scheme: parscore.Scheme = parscore.Scheme.builtin("lang-son-snn-2024")
    result: parscore.Evaluation = scheme.evaluate(values, strict=False, ignore_unknown=True)
    return result.points, result.index, result.grade


def first_fix(scheme: parscore.Scheme) -> str:
    result = scheme.evaluate({"unit": "A", "dossiers_on_time_rate": "987/1000"})
    fixes: list[parscore.Recoverable] = result.recoverable()
    criterion: parscore.CriterionResult = result.criterion("III.4.1")
    passed: Optional[bool] = criterion.passed
    value: Decimal | bool | str | None = criterion.value
    del passed, value
    return fixes[0].code if fixes else criterion.explanation


def batch(scheme: parscore.Scheme, rows: list[dict[str, parscore.ValueLike]]) -> dict[str, int]:
    results: parscore.Results = scheme.evaluate_many(rows)
    ranked: list[parscore.Row] = results.ranking()
    for row in results:
        error: Optional[parscore.InputError] = row.error
        if error is not None:
            indicator: Optional[str] = error.indicator
            del indicator
    summary: parscore.Summary = results.summary
    del ranked
    return summary.grades


def plan(scheme: parscore.Scheme) -> list[tuple[str, Decimal, Optional[str]]]:
    indicators: list[parscore.Indicator] = scheme.indicators
    del indicators
    return [(c.code, c.max_points, c.lead) for c in scheme.criteria]


def errors() -> Optional[int]:
    try:
        parscore.Scheme.from_toml("id = [")
    except parscore.SchemeError as error:
        problems: list[parscore.Problem] = error.problems
        return problems[0].line
    return None


def frames(scheme: parscore.Scheme, table: object) -> object:
    decimals: parscore.Decimals = 10
    return scheme.evaluate_frame(table, decimals=decimals)


def parts_ranked(scheme: parscore.Scheme, table: object) -> object:
    part = scheme.evaluate_frame(table, decimals=10, rank=False, first_row=11, dtype_backend="pyarrow")
    scheme.output_schema(10, criteria=False, rank=False)
    return scheme.rank(part, first_row=11)


def records(scheme: parscore.Scheme, table: object) -> tuple[int, parscore.Results]:
    summary: parscore.RecordSummary = parscore.summarize_records(
        table, period="quarter", as_of=datetime.date(2024, 5, 10), calendar=["[[years]]"]
    )
    first: dict[str, Any] = summary.groups[0]
    del first
    results = scheme.evaluate_records(
        table, mapping={"resolved": "dossiers_resolved"}, resolved_by="received"
    )
    return summary.bad_total, results


def gaps_and_locale(scheme: parscore.Scheme, table: object) -> tuple[int, Decimal, list[str], int]:
    evaluation = scheme.evaluate({"unit": "Sở A", "survey_points": "16,85"}, decimal=",")
    html: str = evaluation.to_html(lang="en") + scheme.to_html() + evaluation._repr_html_(lang="vi")
    del html
    results = scheme.evaluate_many([{"unit": "Sở A"}], decimal=".")
    scheme.evaluate_frame(table, decimal=",", criteria=False)
    return (
        evaluation.missing_count,
        evaluation.missing_points,
        evaluation.missing,
        results.summary.missing_units + results.summary.missing_criteria,
    )


def how_sure(scheme: parscore.Scheme, table: object) -> tuple[Optional[Decimal], float, Decimal]:
    study: parscore.Sensitivity = scheme.sensitivity(
        [{"unit": "Sở A"}], samples=10, seed=1, weights=20, factors=None, decimal=","
    )
    scheme.sensitivity(table, model=Path("model.toml"), factors="criteria", threads=1)
    unit: dict[str, Any] = study.to_dict()["units"][0]
    probability: float = unit["grades"]["Tốt"]
    evaluation = scheme.evaluate({"unit": "Sở A"})
    path: parscore.PathToGrade = evaluation.path_to("Tốt")
    fixes: list[parscore.Fix] = path.fixes
    what: parscore.WhatIf = evaluation.what_if({"III.4.1": Decimal("99")}, decimal=",")
    brought = sum((fix.points for fix in fixes), Decimal(0))
    return what.index, probability, brought
def compare_rounds(
    own: parscore.Results, appraised: parscore.Results
) -> list[tuple[str, Optional[Decimal], str]]:
    comparison: parscore.Comparison = own.compare(appraised, labels=("Tự đánh giá", "Thẩm định"))
    by_periods = own.compare(periods=("2024", "2025"))
    unit: parscore.UnitChange = comparison.unit("Sở A")
    change: parscore.CriterionChange = unit.criteria[0]
    lowered: list[parscore.Lowered] = comparison.appraisal or []
    due: list[bool] = [item.explanation_due for item in lowered]
    counts: dict[str, int] = by_periods.summary.changes
    del due, counts
    return [(unit.unit, unit.delta, change.change)]


def track(scheme: parscore.Scheme, frame: Any) -> list[tuple[str, int, str]]:
    tracking: parscore.Tracking = scheme.track_records(
        frame, as_of=datetime.date(2024, 6, 15), expected=120
    )
    day: datetime.date = tracking.as_of
    months: list[parscore.TrendMonth] = tracking.trends[0].months if tracking.trends else []
    del day, months
    return [(row.criterion, row.needed, row.status) for row in tracking.rows]


def workbooks(scheme: parscore.Scheme) -> parscore.Results:
    scheme.to_xlsx("scheme.xlsx", overwrite=True)
    scheme.template("nhap-lieu.xlsx", units=["Sở A"], period="2025", per_unit=False)
    again: parscore.Scheme = parscore.Scheme.from_file("scheme.xlsx")
    return again.evaluate_template("nhap-lieu.xlsx")
