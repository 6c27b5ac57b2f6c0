"""One unit's evaluation: typed results, Decimal out, explanations and notebook views."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

import parscore

from conftest import BUILTIN


@pytest.fixture()
def evaluation(scheme: parscore.Scheme, unit_values: dict[str, Any]) -> parscore.Evaluation:
    return scheme.evaluate(unit_values)


def test_totals_are_exact_decimals(evaluation: parscore.Evaluation) -> None:
    assert (evaluation.unit, evaluation.period) == ("Sở NN&PTNT", "2024")
    for value in (evaluation.points, evaluation.max_points, evaluation.index, evaluation.index_exact):
        assert isinstance(value, Decimal)
    assert evaluation.index == Decimal("90.57")
    assert evaluation.grade == "Xuất sắc"
    assert evaluation.points == sum(c.points for c in evaluation.criteria)
    assert evaluation.points == sum(a.points for a in evaluation.areas)
    assert evaluation.index_exact is not None and round(evaluation.index_exact, 2) == evaluation.index
    assert evaluation.scheme.id == BUILTIN


def test_criteria_say_what_and_why(evaluation: parscore.Evaluation) -> None:
    on_time = evaluation.criterion("III.4.1")
    assert on_time.value == "9899/10000"
    assert (on_time.target, on_time.passed, on_time.margin) == (">= 99", False, Decimal("-0.01"))
    assert on_time.lost_points == on_time.max_points - on_time.points
    assert on_time.status == "scored"
    assert "98.99%" in on_time.explanation
    assert on_time.lead
    assert "III.4.1" in repr(on_time)


def test_failed_targets_and_what_to_fix_first(evaluation: parscore.Evaluation) -> None:
    failed = {c.code for c in evaluation.failed_targets()}
    assert {"III.4.1", "VI.1.1", "IV.3"} <= failed
    recoverable = evaluation.recoverable()
    points = [r.points for r in recoverable]
    assert points == sorted(points, reverse=True) and all(p > 0 for p in points)
    first = recoverable[0]
    assert first.code == first.criterion.code and first.title == first.criterion.title
    assert first.points == first.criterion.recoverable


def test_groups_carry_subtotals(evaluation: parscore.Evaluation) -> None:
    areas = evaluation.areas
    assert [a.code for a in areas] == [g.code for g in evaluation.groups if g.depth == 0]
    for group in evaluation.groups:
        assert group.lost_points == group.max_points - group.points
        assert group.index is None or Decimal(0) <= group.index <= 100


def test_explain_is_a_plain_text_report(evaluation: parscore.Evaluation) -> None:
    text = evaluation.explain()
    assert text.startswith("Sở NN&PTNT (2024)")
    assert "ESTIMATED" in text and "recoverable points" in text and "✗ III.4.1" in text


def test_to_dict_is_the_result_document(evaluation: parscore.Evaluation) -> None:
    document = evaluation.to_dict()
    assert list(document)[:4] == ["unit", "period", "points", "max_points"]
    assert isinstance(document["points"], Decimal) and isinstance(document["max_points"], Decimal)
    assert document["index"] == evaluation.index
    on_time = next(c for c in document["criteria"] if c["code"] == "III.4.1")
    assert on_time["value"] == "9899/10000" and on_time["margin"] == Decimal("-0.01")
    assert len(document["criteria"]) == len(evaluation.criteria)


def test_to_json_is_the_result_document_as_text(evaluation: parscore.Evaluation) -> None:
    text = evaluation.to_json()
    assert text.startswith('{\n  "unit": "Sở NN&PTNT",\n')
    assert json.loads(text, parse_float=Decimal) == evaluation.to_dict()
    # Exact digits, never a float's: the same text as the document's own number.
    assert f'"points": {evaluation.points},' in text
    one_line = evaluation.to_json(indent=None)
    assert "\n" not in one_line and json.loads(one_line, parse_float=Decimal) == evaluation.to_dict()


def test_repr_and_html(evaluation: parscore.Evaluation) -> None:
    assert repr(evaluation) == "<Evaluation Sở NN&PTNT 2024: 90.57 of 100 (index 90.57, Xuất sắc)>"
    html = evaluation._repr_html_()
    assert "Sở NN&amp;PTNT" in html  # escaped
    assert "#fbe3e3" in html and "#e3f4e6" in html  # missed in red, met in green
    assert "Bộ tiêu chí ước tính" in html and "Chỉ số CCHC <b>90,57</b>" in html
    assert "Estimated scheme" in evaluation.to_html(lang="en")
    assert html.count("<tr") == len(evaluation.criteria) + len(evaluation.groups) + 1


def test_missing_values_show_grey(scheme: parscore.Scheme) -> None:
    html = scheme.evaluate({"unit": "empty"})._repr_html_()
    assert "#ececec" in html


def test_nothing_applicable_has_no_index() -> None:
    from test_scheme import DEMO

    result = parscore.Scheme.from_toml(DEMO).evaluate({"unit": "A", "on_time": "0/0"})
    assert result.index is None and result.grade is None
    assert result.max_points == 0 and result.criterion("A.1").status == "not_applicable"


def test_equality(scheme: parscore.Scheme, unit_values: dict[str, Any]) -> None:
    assert scheme.evaluate(unit_values) == scheme.evaluate(unit_values)
    unit_values["survey_points"] = 10
    assert scheme.evaluate(unit_values) != scheme.evaluate({**unit_values, "survey_points": 11})


def test_lookups_by_code(evaluation: parscore.Evaluation, scheme: parscore.Scheme) -> None:
    assert evaluation.group("III").points == next(a.points for a in evaluation.areas if a.code == "III")
    assert scheme.indicator("survey_points").kind == "points"
    for missing in (lambda: evaluation.group("Z"), lambda: evaluation.criterion("Z"), lambda: scheme.indicator("z")):
        with pytest.raises(KeyError):
            missing()


def test_one_row_per_criterion_or_group(evaluation: parscore.Evaluation) -> None:
    pytest.importorskip("pyarrow")
    criteria = evaluation.to_arrow()
    assert criteria.column_names == [
        "code", "title", "indicator", "value", "target", "passed", "margin", "points",
        "max_points", "lost_points", "recoverable", "status", "explanation", "lead",
    ]
    assert criteria.num_rows == len(evaluation.criteria)
    assert criteria.column("value").to_pylist()[criteria.column("code").to_pylist().index("III.4.1")] == "9899/10000"
    groups = evaluation.to_arrow(detail="groups")
    assert groups.num_rows == len(evaluation.groups)
    with pytest.raises(ValueError, match="detail"):
        evaluation.to_arrow(detail="units")  # type: ignore[arg-type]
