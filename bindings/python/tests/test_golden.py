"""The golden cases under tests/golden, read by every interface: `evaluate_many` on the input
gives the same document as the Rust tests expect, digit for digit, and passes the case's
hand-checked assertions."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import parscore

from conftest import GOLDEN, load_document, read_rows

COUNTS = {"row", "rank", "units", "ok", "errors"}
CASES = sorted(p.parent for p in GOLDEN.glob("*/case.json"))


def test_there_are_golden_cases() -> None:
    assert len(CASES) >= 1, f"no golden cases under {GOLDEN}"


def canonical(value: Any, key: str = "") -> Any:
    """The expected document in `to_dict()`'s types: counts are int, other numbers Decimal."""
    if isinstance(value, dict):
        if key == "grades":
            return dict(value)
        return {k: canonical(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [canonical(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and key not in COUNTS:
        return Decimal(value)
    return value


def assert_identical(got: Any, expected: Any, path: str = "$") -> None:
    """Equal values of the same types; decimals with the same digits."""
    assert type(got) is type(expected), f"{path}: {type(got).__name__} != {type(expected).__name__}"
    if isinstance(expected, dict):
        assert list(got) == list(expected), f"{path}: keys {list(got)} != {list(expected)}"
        for key in expected:
            assert_identical(got[key], expected[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert len(got) == len(expected), f"{path}: {len(got)} items != {len(expected)}"
        for i, (a, b) in enumerate(zip(got, expected)):
            assert_identical(a, b, f"{path}[{i}]")
    elif isinstance(expected, Decimal):
        assert str(got) == str(expected), f"{path}: {got} != {expected}"
    else:
        assert got == expected, f"{path}: {got!r} != {expected!r}"


def load_case(case: Path) -> tuple[dict[str, Any], parscore.Scheme, list[Any]]:
    spec = json.loads((case / "case.json").read_text(encoding="utf-8"))
    source = spec["scheme"]
    if source.startswith("builtin:"):
        scheme = parscore.Scheme.builtin(source.removeprefix("builtin:"))
    else:
        scheme = parscore.Scheme.from_file(case / source)
    return spec, scheme, read_rows(case / spec["input"])


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_document_matches_expected(case: Path) -> None:
    spec, scheme, rows = load_case(case)
    results = scheme.evaluate_many(rows, strict=spec.get("strict", False))
    expected = canonical(load_document(case / "expected.json"))
    assert_identical(results.to_dict(), expected)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_json_text_is_the_expected_file(case: Path) -> None:
    """`to_json()` writes the document itself, digit for digit: the expected file's text."""
    spec, scheme, rows = load_case(case)
    results = scheme.evaluate_many(rows, strict=spec.get("strict", False))
    text = results.to_json()
    assert text + "\n" == (case / "expected.json").read_text(encoding="utf-8")
    one_line = results.to_json(indent=None)
    assert "\n" not in one_line
    assert json.loads(one_line, parse_float=Decimal) == results.to_dict()
    assert results.to_json(indent=4).splitlines()[1] == '    "scheme": {'


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_plain_json_floats_give_the_same_document(case: Path) -> None:
    """`json.load` without parse_float gives floats; their shortest repr is what was written."""
    spec, scheme, _ = load_case(case)
    text = (case / spec["input"]).read_text(encoding="utf-8")
    if text.lstrip().startswith("["):
        rows = json.loads(text)
    else:
        rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    results = scheme.evaluate_many(rows, strict=spec.get("strict", False))
    assert results.to_dict() == load_document(case / "expected.json")


def find(results: parscore.Results, check: dict[str, Any]) -> parscore.Row:
    matches = [
        row
        for row in results
        if ("row" not in check or row.row == check["row"])
        and ("unit" not in check or row.unit == check["unit"])
        and ("period" not in check or row.period == check["period"])
    ]
    assert matches, f"no row matches {check}"
    return matches[0]


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_hand_checked_assertions(case: Path) -> None:
    spec, scheme, rows = load_case(case)
    results = scheme.evaluate_many(rows, strict=spec.get("strict", False))
    for check in spec.get("checks", []):
        row = find(results, check)
        if "status" in check:
            assert row.status == check["status"], check
        if "error_indicator" in check or "error_code" in check:
            assert row.error is not None, check
            assert isinstance(row.error, parscore.InputError)
            assert row.error.indicator == check.get("error_indicator"), check
            assert row.error.code == check.get("error_code"), check
            assert row.error.row == row.row
            continue
        evaluation = row.evaluation
        if evaluation is None:
            assert check.get("status") == "error", check
            continue
        for key in ("points", "max_points", "index", "bonus_points", "penalty_points"):
            if key in check:
                assert getattr(evaluation, key) == Decimal(check[key]), (key, check)
        if "grade" in check:
            assert evaluation.grade == check["grade"]
        if "rank" in check:
            assert row.rank == check["rank"], check
        for code, fields in check.get("criteria", {}).items():
            criterion = evaluation.criterion(code)
            for key, value in fields.items():
                got = getattr(criterion, key)
                text = key in ("status", "part")
                want = Decimal(value) if isinstance(value, str) and not text else value
                assert got == want, (code, key, got, want)
        groups = {g.code: g for g in evaluation.groups}
        for code, points in check.get("groups", {}).items():
            assert groups[code].points == Decimal(points), code
