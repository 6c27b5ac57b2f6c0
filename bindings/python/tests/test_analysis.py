"""Across periods and rounds, and in Excel: `Evaluation.compare` and `Results.compare` give
the document `parscore compare --format json` writes for the golden cases, field for field;
`Scheme.track_records` gives the one `parscore records track` writes for the mid-year records;
workbook schemes and templates round-trip, with located errors, and never replace a file
unasked."""

from __future__ import annotations

import datetime
import html
import json
import os
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest

import parscore

from conftest import GOLDEN, REPO, read_rows

PERIODS = GOLDEN / "compare-periods"
ROUNDS = GOLDEN / "compare-rounds"
MID_YEAR = REPO / "tests" / "records" / "track-mid-year"
COMPARE_SCHEME = parscore.Scheme.from_file(PERIODS / "scheme.toml")


def expected(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


# --- compare -------------------------------------------------------------------------------


def test_two_periods_equal_the_command() -> None:
    results = COMPARE_SCHEME.evaluate_many(read_rows(PERIODS / "input.json"))
    comparison = results.compare(periods=("2024", "2025"))
    document = json.loads(comparison.to_json())
    want = expected(PERIODS / "expected.json")
    assert document == want
    sở_e = comparison.unit("Sở E")
    assert sở_e.presence == "after_only" and sở_e.index_after is None
    assert sở_e.error_after is not None and "online_rate" in sở_e.error_after


def test_two_rounds_equal_the_command() -> None:
    own = COMPARE_SCHEME.evaluate_many(read_rows(ROUNDS / "tu-danh-gia.json"))
    appraised = COMPARE_SCHEME.evaluate_many(read_rows(ROUNDS / "tham-dinh.json"))
    comparison = own.compare(appraised, labels=("Tự đánh giá", "Thẩm định"))
    assert json.loads(comparison.to_json()) == expected(ROUNDS / "expected.json")


def test_fields_are_those_of_the_json_with_exact_decimals() -> None:
    own = COMPARE_SCHEME.evaluate_many(read_rows(ROUNDS / "tu-danh-gia.json"))
    appraised = COMPARE_SCHEME.evaluate_many(read_rows(ROUNDS / "tham-dinh.json"))
    comparison = own.compare(appraised, labels=("Tự đánh giá", "Thẩm định"))
    document = json.loads(comparison.to_json())
    assert comparison.kind == "rounds"
    assert comparison.labels == ("Tự đánh giá", "Thẩm định")
    for unit, want in zip(comparison.units, document["units"]):
        for key in ("unit", "presence", "period_before", "period_after", "grade_before",
                    "grade_after", "rank_before", "rank_after", "missing_before"):
            assert getattr(unit, key) == want[key], key
        for key in ("index_before", "index_after", "delta", "points_before", "points_after"):
            value = getattr(unit, key)
            assert isinstance(value, Decimal) and value == Decimal(want[key]), key
        for criterion, c in zip(unit.criteria, want["criteria"]):
            assert criterion.code == c["code"]
            assert criterion.points_before == Decimal(c["points_before"])
            assert criterion.points_after == Decimal(c["points_after"])
            assert (criterion.passed_before, criterion.passed_after) == (
                c["passed_before"], c["passed_after"])
            assert criterion.change == c["change"]
            assert criterion.value_before == c["value_before"]
    assert comparison.appraisal is not None
    lowered = [(l.unit, l.code, l.delta, l.lead, l.explanation_due) for l in comparison.appraisal]
    assert lowered == [
        ("Sở A", "B.1", Decimal("-1"), "Văn phòng Sở", True),
        ("Sở A", "A.2", Decimal("-0.25"), "Phòng Kế hoạch - Tài chính", True),
        ("Sở B", "B.2", Decimal("-0.5"), None, True),
    ]
    assert comparison.summary.changes == {
        "newly_failed": 1, "newly_passed": 1, "down": 2, "up": 0, "same": 4}
    assert comparison.summary.mean_delta == Decimal("-3.75")


def test_evaluation_compare_self_assessment_and_appraisal() -> None:
    rows = {r["unit"]: r for r in read_rows(ROUNDS / "tu-danh-gia.json")}
    later = {r["unit"]: r for r in read_rows(ROUNDS / "tham-dinh.json")}
    # The appraisal names the unit decomposed (NFD): the same unit.
    appraisal_row = dict(later["Sở A"], unit=unicodedata.normalize("NFD", "Sở A"))
    own = COMPARE_SCHEME.evaluate(rows["Sở A"])
    appraised = COMPARE_SCHEME.evaluate(appraisal_row)
    comparison = own.compare(appraised, labels=("Tự đánh giá", "Thẩm định"))
    assert comparison.kind == "rounds"
    [unit] = comparison.units
    assert unit.unit == "Sở A" and unit.presence == "both"
    assert (unit.index_before, unit.index_after, unit.delta) == (
        Decimal("90"), Decimal("77.5"), Decimal("-12.5"))
    assert unit.rank_before is None
    assert [c.code for c in unit.criteria] == ["B.1", "A.2", "A.1", "B.2"]
    assert unit.criterion("A.2").change == "newly_failed"
    assert [l.code for l in comparison.appraisal or []] == ["B.1", "A.2"]


def test_labels_default_to_the_periods() -> None:
    rows = read_rows(PERIODS / "input.json")
    before = COMPARE_SCHEME.evaluate(rows[0])
    after = COMPARE_SCHEME.evaluate(rows[3])
    comparison = before.compare(after)
    assert comparison.labels == ("2024", "2025") and comparison.kind == "periods"
    assert comparison.appraisal is None


def test_compare_refuses_what_cannot_be_compared() -> None:
    results = COMPARE_SCHEME.evaluate_many(read_rows(PERIODS / "input.json"))
    with pytest.raises(parscore.ParscoreError, match="2024, 2025"):
        results.compare(periods=("2023", "2025"))
    with pytest.raises(parscore.ParscoreError, match="periods"):
        results.compare(results)  # each side holds Sở A in two periods
    with pytest.raises(ValueError, match="not both"):
        results.compare(results, periods=("2024", "2025"))
    with pytest.raises(ValueError, match="periods"):
        results.compare()
    with pytest.raises(ValueError, match="labels"):
        results.compare(periods=("2024", "2025"), labels=(" ", "x"))
    other = parscore.Scheme.builtin("lang-son-snn-2024").evaluate({"unit": "Sở A"})
    with pytest.raises(parscore.ParscoreError, match="different schemes"):
        COMPARE_SCHEME.evaluate(read_rows(PERIODS / "input.json")[0]).compare(other)


def test_comparison_frames_are_exact() -> None:
    own = COMPARE_SCHEME.evaluate_many(read_rows(ROUNDS / "tu-danh-gia.json"))
    appraised = COMPARE_SCHEME.evaluate_many(read_rows(ROUNDS / "tham-dinh.json"))
    comparison = own.compare(appraised, labels=("Tự đánh giá", "Thẩm định"))
    units = comparison.to_frame("pyarrow")
    assert pa.types.is_decimal(units.schema.field("delta").type)
    assert units.column("delta").to_pylist() == [Decimal("-12.50"), Decimal("5.00")]
    frame = comparison.to_frame(detail="criteria")
    assert isinstance(frame, pd.DataFrame) and len(frame) == 8
    assert frame.loc[1, "points_after"] == Decimal("1.75")
    assert list(frame["change"][:2]) == ["down", "newly_failed"]
    appraisal = comparison.to_pandas(detail="appraisal")
    assert list(appraisal["code"]) == ["B.1", "A.2", "B.2"]
    polars = pytest.importorskip("polars")
    assert isinstance(comparison.to_polars(), polars.DataFrame)
    assert comparison.to_arrow(decimals="float").schema.field("delta").type == pa.float64()
    with pytest.raises(ValueError, match="detail"):
        comparison.to_frame(detail="areas")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="library"):
        comparison.to_frame("spark")  # type: ignore[arg-type]


def test_comparison_html_is_vietnamese_and_escaped() -> None:
    rows = read_rows(ROUNDS / "tu-danh-gia.json")
    later = read_rows(ROUNDS / "tham-dinh.json")
    for row in rows + later:
        if row["unit"] == "Sở A":
            row["unit"] = "<b>Sở A</b>"
    comparison = COMPARE_SCHEME.evaluate_many(rows).compare(
        COMPARE_SCHEME.evaluate_many(later), labels=("Tự đánh giá", "Thẩm <định>"))
    page = comparison._repr_html_()
    assert "Tiêu chí bị hạ điểm khi thẩm định" in page and "cần giải trình" in page
    assert "-12,5" in page  # decimal commas
    assert "<b>Sở A</b>" not in page and html.escape("<b>Sở A</b>") in page
    assert "Thẩm <định>" not in page
    assert "explanation due" in comparison.to_html(lang="en")


# --- track ---------------------------------------------------------------------------------


def mid_year_records() -> pd.DataFrame:
    return pd.read_csv(MID_YEAR / "records.csv", dtype=str, keep_default_na=False)


def test_track_equals_the_command() -> None:
    scheme = parscore.Scheme.from_file(MID_YEAR / "scheme.toml")
    tracking = scheme.track_records(mid_year_records(), as_of="15/06/2024")
    document = json.loads(tracking.to_json())
    assert document.pop("scheme")["id"] == scheme.id
    # expected.json is the tracking itself; the command adds the scheme and the records read.
    assert document == expected(MID_YEAR / "expected.json")


def test_track_fields_and_trend() -> None:
    scheme = parscore.Scheme.from_file(MID_YEAR / "scheme.toml")
    tracking = scheme.track_records(mid_year_records(), as_of=datetime.date(2024, 6, 15))
    assert tracking.as_of == datetime.date(2024, 6, 15)
    assert (tracking.days_elapsed, tracking.days_left) == (167, 199)
    got = [(r.unit, r.criterion, r.so_far, r.expected, r.needed, r.status, r.expected_from)
           for r in tracking.rows]
    assert got == [
        ("Sở Tư pháp", "A.1", "10/10", 5, 4, "on_track", "previous_year"),
        ("Sở Tư pháp", "A.2", "8/10", 5, 0, "secured", "previous_year"),
        ("Sở Tư pháp", "A.3", "9/10", 5, 6, "impossible", "previous_year"),
        ("UBND huyện Cao Lộc", "A.1", "4/5", 6, 6, "at_risk", "pace"),
        ("UBND huyện Cao Lộc", "A.2", "3/5", 6, 3, "on_track", "pace"),
        ("UBND huyện Cao Lộc", "A.3", "5/5", 6, 6, "on_track", "pace"),
    ]
    assert tracking.criteria[0].met == 10 and tracking.criteria[0].counted == 10
    assert [u.reason for u in tracking.untracked] == ["no_target", "no_target"]
    on_time = next(t for t in tracking.trends
                   if t.unit == "Sở Tư pháp" and t.rate == "full_online_rate")
    assert [m.year_to_date for m in on_time.months] == [
        "2/2", "3/3", "5/5", "7/7", "8/9", "8/10"]
    assert on_time.months[-1].rate_to_date == Decimal("80")
    frame = tracking.to_frame("pyarrow", detail="trends")
    assert frame.num_rows == sum(len(t.months) for t in tracking.trends)
    assert pa.types.is_decimal(frame.schema.field("rate_to_date").type)
    rows = tracking.to_frame()
    assert list(rows["needed"]) == [4, 0, 6, 6, 3, 6]
    page = tracking._repr_html_()
    assert "không thể đạt" in page and "<svg" in page and "cùng kỳ năm trước" in page
    assert "15/06/2024" in page and "không có chỉ tiêu cần đạt" in page
    english = tracking.to_html(lang="en")
    assert "2024-06-15" in english and "it has no target to reach" in english


def test_track_with_expected_given() -> None:
    scheme = parscore.Scheme.from_file(MID_YEAR / "scheme.toml")
    tracking = scheme.track_records(mid_year_records(), as_of="2024-06-15", expected=100)
    assert {r.expected_from for r in tracking.rows} == {"given"}
    assert {r.expected for r in tracking.rows} == {100}


def test_track_refuses_what_it_cannot_use() -> None:
    scheme = parscore.Scheme.from_file(MID_YEAR / "scheme.toml")
    frame = mid_year_records()
    with pytest.raises(TypeError, match="period"):
        scheme.track_records(frame, as_of="2024-06-15", period="month")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="as_of"):
        scheme.track_records(frame, as_of=None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="whole number"):
        scheme.track_records(frame, as_of="2024-06-15", expected=-1)
    with pytest.raises(parscore.ParscoreError, match="as_of"):
        scheme.track_records(frame, as_of="hôm qua")
    with pytest.raises(parscore.RecordsError):
        scheme.track_records(frame, as_of="2024-06-15", mapping={"on_time_rate": "nope"})


# --- workbooks -----------------------------------------------------------------------------


def test_scheme_workbook_round_trip(tmp_path: Path) -> None:
    for scheme in [COMPARE_SCHEME, parscore.Scheme.builtin("lang-son-snn-2024")]:
        path = tmp_path / f"{scheme.id}.xlsx"
        scheme.to_xlsx(path)
        again = parscore.Scheme.from_file(path)
        assert again == scheme
        assert parscore.Scheme.from_toml(again.to_toml()) == scheme


def test_workbook_is_told_by_its_bytes(tmp_path: Path) -> None:
    path = tmp_path / "phuong-an"  # no extension
    COMPARE_SCHEME.to_xlsx(str(path))
    assert parscore.Scheme.from_file(path) == COMPARE_SCHEME


def test_writing_never_replaces_a_file_unasked(tmp_path: Path) -> None:
    path = tmp_path / "scheme.xlsx"
    path.write_bytes(b"the analyst's own file")
    with pytest.raises(FileExistsError) as error:
        COMPARE_SCHEME.to_xlsx(path)
    assert error.value.filename == str(path)
    assert path.read_bytes() == b"the analyst's own file"
    with pytest.raises(FileExistsError):
        COMPARE_SCHEME.template(path)
    assert path.read_bytes() == b"the analyst's own file"
    COMPARE_SCHEME.to_xlsx(path, overwrite=True)
    assert parscore.Scheme.from_file(path) == COMPARE_SCHEME
    with pytest.raises(OSError):
        COMPARE_SCHEME.to_xlsx(tmp_path, overwrite=True)  # a folder
    with pytest.raises(FileNotFoundError):
        COMPARE_SCHEME.to_xlsx(tmp_path / "no-such-folder" / "x.xlsx")
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".partial")]


def test_links_are_refused_unasked_and_followed_when_asked(tmp_path: Path) -> None:
    target = tmp_path / "real.xlsx"
    target.write_bytes(b"old")
    link = tmp_path / "link.xlsx"
    link.symlink_to(target)
    with pytest.raises(FileExistsError):
        COMPARE_SCHEME.to_xlsx(link)
    COMPARE_SCHEME.to_xlsx(link, overwrite=True)
    assert link.is_symlink() and parscore.Scheme.from_file(target) == COMPARE_SCHEME


def test_workbook_problems_are_located(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "scheme.xlsx"
    COMPARE_SCHEME.to_xlsx(path)
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    # Blank every maximum of the criteria sheet: each problem at its cell.
    header = {cell.value: cell.column for cell in sheet[1] if cell.value}
    column = next(c for name, c in header.items() if "tối đa" in str(name).lower())
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=column).value = "nhiều"
    book.save(path)
    with pytest.raises(parscore.SchemeError) as error:
        parscore.Scheme.from_file(path)
    assert str(error.value).startswith(str(path))
    problem = error.value.problems[0]
    assert problem.sheet == sheet.title and problem.cell is not None
    assert f"{sheet.title}!{problem.cell}" in str(error.value)


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "scheme.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(parscore.SchemeError, match="scheme.xlsx"):
        parscore.Scheme.from_file(path)


def test_filled_template_scores_as_the_same_rows(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "nhap-lieu.xlsx"
    units = ["Sở A", unicodedata.normalize("NFD", "Sở B")]
    COMPARE_SCHEME.template(path, units=units, period="2024")
    book = openpyxl.load_workbook(path)
    sheet = book["Nhập liệu"] if "Nhập liệu" in book.sheetnames else book.worksheets[0]
    ids: dict[str, int] = {}
    known = {i.id for i in COMPARE_SCHEME.indicators}
    unit_rows: dict[str, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                if cell.value in known:
                    ids[cell.value] = cell.column
                elif unicodedata.normalize("NFC", cell.value) in ("Sở A", "Sở B"):
                    unit_rows[unicodedata.normalize("NFC", cell.value)] = cell.row
    assert set(ids) == known and set(unit_rows) == {"Sở A", "Sở B"}
    data = {r["unit"]: r for r in read_rows(ROUNDS / "tu-danh-gia.json")}
    for unit, row in unit_rows.items():
        for indicator, column in ids.items():
            sheet.cell(row=row, column=column).value = data[unit][indicator]
    book.save(path)
    results = COMPARE_SCHEME.evaluate_template(path)
    same = COMPARE_SCHEME.evaluate_many(read_rows(ROUNDS / "tu-danh-gia.json"))
    assert [(r.unit, r.index) for r in results] == [
        (r.unit, r.index) for r in same]


def test_per_unit_template_is_written(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "tu-danh-gia.xlsx"
    COMPARE_SCHEME.template(path, per_unit=True, units=["Sở A", "Sở B"])
    assert len(openpyxl.load_workbook(path).sheetnames) >= 2
