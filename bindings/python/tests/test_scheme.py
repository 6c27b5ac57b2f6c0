"""Schemes: loading, reading the plan, writing back, and errors that say where."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import parscore

from conftest import BUILTIN, GOLDEN

DEMO = """
id = "demo"
title = "Demo"
version = "1"
[[indicators]]
id = "on_time"
title = "On-time dossiers"
kind = "percent"
[[areas]]
code = "A"
title = "Procedures"
[[areas.criteria]]
code = "A.1"
title = "On-time dossiers"
indicator = "on_time"
max_points = 2
target = ">= 99"
rule = { kind = "threshold" }
lead = "Văn phòng"
"""


def test_builtins_are_listed_and_load() -> None:
    assert BUILTIN in parscore.builtin_schemes()
    for id in parscore.builtin_schemes():
        assert parscore.Scheme.builtin(id).id == id


def test_the_builtin_plan_reads_as_a_plan(scheme: parscore.Scheme) -> None:
    assert (scheme.id, scheme.estimated, scheme.places) == (BUILTIN, True, 2)
    assert scheme.max_points == 100
    assert isinstance(scheme.max_points, Decimal)
    assert scheme.grades[0] == ("Xuất sắc", Decimal(90))
    on_time = scheme.criterion("III.4.1")
    assert (on_time.target, on_time.rule, on_time.indicator) == (">= 99", "bands", "dossiers_on_time_rate")
    assert on_time.lead and on_time.max_points > 0 and not on_time.is_group
    assert all(not c.is_group for c in scheme.criteria)
    assert all(g.is_group for g in scheme.groups)
    assert sum(a.max_points for a in scheme.groups if a.depth == 0) == scheme.max_points
    rate = {i.id: i for i in scheme.indicators}["dossiers_on_time_rate"]
    assert (rate.kind, rate.source, rate.derived_from) == ("percent", "ratio", ["dossiers_on_time", "dossiers_resolved"])
    assert "estimated" in repr(scheme)
    assert "Bộ tiêu chí ước tính" in scheme._repr_html_()
    assert "Estimated scheme" in scheme.to_html(lang="en")
    with pytest.raises(KeyError):
        scheme.criterion("no such code")


@pytest.mark.parametrize("form", ["toml", "json"])
def test_a_scheme_writes_back_to_the_same_scheme(scheme: parscore.Scheme, form: str) -> None:
    if form == "toml":
        again = parscore.Scheme.from_toml(scheme.to_toml())
    else:
        again = parscore.Scheme.from_json(scheme.to_json())
    assert again == scheme
    assert parscore.Scheme.from_text(scheme.to_json()) == scheme


def test_from_file_reads_by_extension(tmp_path: Path) -> None:
    demo = parscore.Scheme.from_toml(DEMO)
    (tmp_path / "demo.toml").write_text(DEMO, encoding="utf-8")
    (tmp_path / "demo.json").write_text(demo.to_json(), encoding="utf-8")
    (tmp_path / "demo.scheme").write_text(demo.to_json(), encoding="utf-8")
    for name in ["demo.toml", "demo.json", "demo.scheme"]:
        assert parscore.Scheme.from_file(tmp_path / name) == demo
    assert parscore.Scheme.from_file(str(tmp_path / "demo.toml")) == demo
    golden = next(GOLDEN.glob("*/scheme.toml"))
    assert parscore.Scheme.from_file(golden).criteria


def test_a_missing_file_is_a_file_not_found_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as raised:
        parscore.Scheme.from_file(tmp_path / "nope.toml")
    assert raised.value.filename == str(tmp_path / "nope.toml")


def test_an_invalid_node_is_named_with_its_position() -> None:
    with pytest.raises(parscore.SchemeError) as raised:
        parscore.Scheme.from_toml(DEMO.replace('indicator = "on_time"', 'indicator = "on_tme"'))
    error = raised.value
    assert isinstance(error, parscore.ParscoreError) and isinstance(error, ValueError)
    assert (error.line, error.column, error.code, error.field) == (15, 1, "A.1", "indicator")
    [problem] = error.problems
    assert (problem.line, problem.code, problem.field) == (15, "A.1", "indicator")
    assert "on_tme" in problem.message
    assert str(problem) == str(error)


def test_every_problem_is_listed() -> None:
    text = DEMO.replace('indicator = "on_time"', 'indicator = "on_tme"').replace(
        'code = "A.1"', 'code = "A"'
    )
    with pytest.raises(parscore.SchemeError) as raised:
        parscore.Scheme.from_toml(text)
    assert len(raised.value.problems) >= 2
    assert all(p.line is not None for p in raised.value.problems)


@pytest.mark.parametrize(
    ("load", "text", "line", "column"),
    [
        (parscore.Scheme.from_toml, 'id = "x"\n[x', 2, 3),
        (parscore.Scheme.from_json, '{"id": "x",\n "title": 3}', 2, 11),
        (parscore.Scheme.from_toml, DEMO.replace("max_points = 2", "max_point = 2"), None, None),
    ],
    ids=["toml syntax", "json type", "unknown key"],
)
def test_syntax_errors_carry_line_and_column(load, text: str, line: int | None, column: int | None) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(parscore.SchemeError) as raised:
        load(text)
    if line is not None:
        assert (raised.value.line, raised.value.column) == (line, column)
    assert raised.value.problems


def test_an_unknown_builtin_points_to_the_list() -> None:
    with pytest.raises(parscore.SchemeError, match=r"parscore\.builtin_schemes\(\)") as raised:
        parscore.Scheme.builtin("lang-son-2099")
    assert raised.value.line is None and len(raised.value.problems) == 1
