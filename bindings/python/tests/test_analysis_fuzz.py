"""The fuzzing harness of the analysis entry points: arbitrary cells and names through
`Evaluation.compare`, `Results.compare` (files and periods), `Scheme.track_records`, the
workbook reader (`Scheme.from_file` of any bytes) and filled templates, and every output of
what comes back (JSON, frames, HTML). Whatever comes in, only a `ParscoreError`, a
`TypeError` or an `OSError` comes out; figures stay exact and within their bounds; one
comparison entry per unit. `HYPOTHESIS_PROFILE=long` runs longer (see test_fuzz.py)."""

from __future__ import annotations

import datetime
import json
import os
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import parscore

from conftest import GOLDEN, REPO

pa = pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")

FUZZ = settings(
    max_examples=int(os.environ.get("PARSCORE_FUZZ_EXAMPLES", "100"))
    if os.environ.get("HYPOTHESIS_PROFILE") == "long" else 60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

SCHEME = parscore.Scheme.from_file(GOLDEN / "compare-periods" / "scheme.toml")
TRACK_SCHEME = parscore.Scheme.from_file(REPO / "tests" / "records" / "track-mid-year" / "scheme.toml")
WORDS = ["có", "không", "x", "n/a", "0/0", "98,7", "990/1000", "9899/10000", "99.5", "101",
         "-1", "1e-28", "80", "", " ", "5", "4.5"]
NAMES = ["Sở A", "Sở B", "Sở Tư pháp", "UBND huyện Cao Lộc", "<i>Sở</i> & \"C\""]
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=10)


def nfd_or_not(text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(text, text.map(lambda t: unicodedata.normalize("NFD", t)))


cells = st.one_of(nfd_or_not(st.sampled_from(WORDS)), ANY_TEXT, st.integers(), st.decimals(),
                  st.booleans(), st.none())
names = nfd_or_not(st.sampled_from(NAMES))
rows = st.fixed_dictionaries(
    {"unit": names, "period": st.sampled_from(["2024", "2025"])},
    optional={i.id: cells for i in SCHEME.indicators},
)


def check(comparison: parscore.Comparison) -> None:
    """Every output works; figures are exact and within bounds; deltas add up."""
    document = json.loads(comparison.to_json())
    assert len(document["units"]) == len(comparison.units) == comparison.summary.units
    keys = [u.unit for u in comparison.units]
    assert len(keys) == len(set(keys)), "a unit listed twice"
    for unit in comparison.units:
        assert unit.unit == unicodedata.normalize("NFC", unit.unit)
        if unit.index_before is not None and unit.index_after is not None:
            assert unit.delta == unit.index_after - unit.index_before
        for c in unit.criteria:
            assert isinstance(c.delta, Decimal)
            assert c.delta == c.points_after - c.points_before
            assert Decimal(0) <= c.points_before <= c.max_points
            assert Decimal(0) <= c.points_after <= c.max_points
    for detail in ("units", "criteria", "appraisal"):
        comparison.to_frame("pyarrow", detail=detail)  # type: ignore[arg-type]
    page = comparison._repr_html_()
    assert "<i>Sở</i>" not in page


@FUZZ
@given(st.lists(rows, max_size=6), st.lists(rows, max_size=6), st.booleans())
def test_results_compare_never_breaks(before: list[Any], after: list[Any], rounds: bool) -> None:
    b, a = SCHEME.evaluate_many(before), SCHEME.evaluate_many(after)
    for run in (lambda: b.compare(a, rounds=rounds),
                lambda: b.compare(periods=("2024", "2025"), labels=("Năm trước", "Năm nay"))):
        try:
            comparison = run()
        except parscore.ParscoreError as error:
            assert "periods" in str(error) or "no row" in str(error)
            continue
        check(comparison)


@FUZZ
@given(rows, rows)
def test_evaluation_compare_never_breaks(before: Any, after: Any) -> None:
    try:
        b, a = SCHEME.evaluate(before), SCHEME.evaluate(after)
    except parscore.InputError:
        return
    check(b.compare(a, labels=("Tự đánh giá", "Thẩm định")))


COLUMNS = ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả",
           "Trạng thái", "Hình thức nộp", "Toàn trình", "Số hóa"]
# Mostly the years an export holds, sometimes any day (refused beyond 1990–2100).
days = st.one_of(st.dates(datetime.date(2022, 1, 1), datetime.date(2025, 12, 31)), st.dates())
dates = days.map(lambda d: d.strftime("%d/%m/%Y"))
# A pandas frame of Arrow strings cannot hold a lone surrogate: any other text.
FRAME_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=10)
records = st.fixed_dictionaries({
    "Mã hồ sơ": st.text(max_size=4),
    "Đơn vị": names,
    "Ngày tiếp nhận": st.one_of(dates, FRAME_TEXT),
    "Ngày hẹn trả": st.one_of(dates, FRAME_TEXT),
    "Ngày có kết quả": st.one_of(dates, FRAME_TEXT, st.just("")),
    "Trạng thái": st.sampled_from(["Trước hạn", "Đúng hạn", "Quá hạn", "", "?"]),
    "Hình thức nộp": st.sampled_from(["Trực tuyến", "Trực tiếp", ""]),
    "Toàn trình": st.sampled_from(["x", "", "có"]),
    "Số hóa": st.sampled_from(["x", "", "không"]),
})


@FUZZ
@given(st.lists(records, max_size=8), days, st.one_of(st.none(), st.integers(0, 10**6)))
def test_track_never_breaks(frame_rows: list[Any], as_of: Any, expected: Any) -> None:
    frame = pd.DataFrame(frame_rows, columns=COLUMNS, dtype=str)
    try:
        tracking = TRACK_SCHEME.track_records(frame, as_of=as_of, expected=expected)
    except parscore.ParscoreError:
        return
    json.loads(tracking.to_json())
    for row in tracking.rows:
        assert 0 <= row.met <= row.counted
        assert row.status in ("secured", "on_track", "at_risk", "impossible")
    for detail in ("criteria", "trends", "untracked"):
        tracking.to_frame("pyarrow", detail=detail)  # type: ignore[arg-type]
    assert "<i>Sở</i>" not in tracking._repr_html_()


@FUZZ
@given(st.binary(max_size=300), st.sampled_from(["x.xlsx", "x.toml", "x", "x.ods"]))
def test_any_bytes_as_a_scheme_file(tmp_path_factory: Any, data: bytes, name: str) -> None:
    path: Path = tmp_path_factory.mktemp("scheme") / name
    for content in (data, b"PK\x03\x04" + data):
        path.write_bytes(content)
        try:
            parscore.Scheme.from_file(path)
        except (parscore.SchemeError, OSError):
            pass


@FUZZ
@given(st.lists(nfd_or_not(st.text(min_size=1, max_size=12)), max_size=4, unique=True),
       st.booleans())
def test_templates_of_any_units_read_back(tmp_path_factory: Any, units: list[str],
                                          per_unit: bool) -> None:
    path: Path = tmp_path_factory.mktemp("template") / "t.xlsx"
    try:
        SCHEME.template(path, units=units, period="2024", per_unit=per_unit)
    except parscore.ParscoreError:
        return  # a name a sheet cannot take, refused with its reason
    try:
        results = SCHEME.evaluate_template(path)
    except parscore.ParscoreError:
        return  # nothing filled in
    for row in results:
        if row.points is not None and row.evaluation is not None:
            assert Decimal(0) <= row.points <= row.evaluation.max_points
