"""Dossier records in a frame: `summarize_records` over the golden record cases under
tests/records (read by pandas, pyarrow and polars, as text and with inferred column types)
gives the summary document the Rust tests expect and the figures checked by hand;
`Scheme.evaluate_records` scores the counts."""

from __future__ import annotations

import datetime
import json
import pickle
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.csv
import pyarrow.parquet
import pytest

import parscore

from conftest import REPO

RECORDS = REPO / "tests" / "records"
CASES = sorted(p.parent for p in RECORDS.glob("*/case.json"))

READERS: dict[str, Callable[[Path], Any]] = {
    "pandas-text": lambda p: pd.read_csv(p, dtype=str, keep_default_na=False),
    "pandas-typed": lambda p: pd.read_csv(p),
    "pyarrow-typed": lambda p: pyarrow.csv.read_csv(p),
    "polars-text": lambda p: pl.read_csv(p, infer_schema=False),
}


def test_there_are_record_cases() -> None:
    assert len(CASES) >= 3, f"no record cases under {RECORDS}"


def spec(case: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((case / "case.json").read_text(encoding="utf-8"))
    return loaded


def options(case: Path) -> dict[str, Any]:
    """The case's profile and options as keyword arguments (as the records crate's golden test applies them)."""
    given = spec(case)
    kwargs: dict[str, Any] = {
        key: value
        for key, value in given["options"].items()
        if key in ("period", "as_of", "by_sub_unit", "resolved_by")
    }
    if given["profile"] != "builtin":
        kwargs["profile"] = (case / given["profile"]).read_text(encoding="utf-8")
    if "calendar" in given:
        kwargs["calendar"] = (case / given["calendar"]).read_text(encoding="utf-8")
    return kwargs


def expected(case: Path) -> Any:
    return json.loads((case / "expected.json").read_text(encoding="utf-8"), parse_float=Decimal)


def label(group: dict[str, Any]) -> str:
    return f"{group['unit']} / {group['sub_unit']}" if group["sub_unit"] else str(group["unit"])


@pytest.mark.parametrize("reader", READERS, ids=str)
@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_summary_matches_expected_and_hand_checked_figures(case: Path, reader: str) -> None:
    frame = READERS[reader](case / "records.csv")
    summary = parscore.summarize_records(frame, **options(case))
    document = summary.to_dict()
    assert document == expected(case)
    # Every number of the document is a count: int, as json.load gives it.
    assert all(type(g["received"]) is int for g in document["groups"])
    groups = document["groups"]
    for check in spec(case)["checks"]:
        if "bad" in check:
            kind = summary.bad[check["bad"]]
            assert (kind["count"], kind["rows"]) == (check["count"], check["rows"]), check
        elif "unit" in check:
            (group,) = [g for g in groups if label(g) == check["unit"] and g["period"] == check["period"]]
            for field, value in check.items():
                if field != "unit":
                    assert group[field] == value, (check, field)
        else:
            for field, value in check.items():
                actual = {"bad_total": summary.bad_total, "groups": len(groups)}.get(
                    field, document.get(field)
                )
                assert actual == value, (check, field)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_strict_stops_at_the_first_bad_record_or_counts_the_same(case: Path) -> None:
    frame = READERS["pandas-text"](case / "records.csv")
    message = spec(case).get("strict_error")
    if message is None:
        strict = parscore.summarize_records(frame, strict=True, **options(case))
        assert strict.groups == parscore.summarize_records(frame, **options(case)).groups
        return
    with pytest.raises(parscore.RecordsError) as raised:
        parscore.summarize_records(frame, strict=True, **options(case))
    assert str(raised.value) == message
    assert raised.value.kind == "bad_record"
    assert raised.value.row == 2


def test_bad_rows_are_counted_with_their_rows_and_messages() -> None:
    frame = READERS["pandas-text"](RECORDS / "bad-rows" / "records.csv")
    summary = parscore.summarize_records(frame)
    assert (summary.records, summary.counted, summary.bad_total) == (14, 3, 11)
    assert summary.bad["unreadable_date:received"]["rows"] == [4, 8]
    assert summary.bad["missing:unit"]["messages"] == ["row 6 (B06): no unit"]
    assert summary.as_of == datetime.date(2024, 3, 20)


def test_groups_give_counts_as_int_and_rates_as_exact_percentages() -> None:
    case = RECORDS / "tet-2024-boundaries"
    summary = parscore.summarize_records(READERS["pandas-text"](case / "records.csv"), **options(case))
    q1 = summary.groups[0]
    assert (q1["unit"], q1["sub_unit"], q1["period"]) == ("Sở Tư pháp", None, "2024-Q1")
    assert q1["evaluated_on"] == datetime.date(2024, 3, 31)
    assert q1["received"] == 8 and type(q1["received"]) is int
    assert q1["online_rate"] == Decimal("62.5")  # 5/8
    # 5/7 divided out to 28 decimal places; the exact counts are in to_dict().
    assert q1["on_time_rate"] == Decimal("71.428571428571428571428571429")
    assert summary.to_dict()["groups"][0]["on_time_rate"] == "5/7"
    cao_loc_q2 = summary.groups[3]
    assert cao_loc_q2["online_rate"] == "n/a"  # nothing received
    assert summary.period == "quarter" and not summary.by_sub_unit
    assert repr(summary) == (
        "<RecordSummary 16 records, 16 counted, 0 bad; 4 groups of 2 units by quarter>"
    )


def test_tables_hold_one_row_per_group_with_exact_rates() -> None:
    case = RECORDS / "tet-2024-boundaries"
    summary = parscore.summarize_records(READERS["pandas-text"](case / "records.csv"), **options(case))
    table = summary.to_arrow()
    assert table.num_rows == 4
    assert table.column_names[:4] == ["unit", "sub_unit", "period", "evaluated_on"]
    assert table.schema.field("evaluated_on").type == pa.date32()
    assert table.schema.field("received").type == pa.int64()
    assert pa.types.is_decimal(table.schema.field("online_rate").type)
    assert table.column("online_rate")[0].as_py() == Decimal("62.5")
    counts = summary.to_arrow(rates="counts")
    document = summary.to_dict()
    assert counts.column("on_time_rate").to_pylist() == [g["on_time_rate"] for g in document["groups"]]
    frame = summary.to_pandas()
    assert list(frame["unit"]) == [g["unit"] for g in document["groups"]]
    assert frame["online_rate"][0] == Decimal("62.5")
    polars_frame = summary.to_polars(rates="counts")
    assert polars_frame["on_time_rate"].to_list()[0] == "5/7"
    with pytest.raises(ValueError, match="rates must be"):
        summary.to_arrow(rates="float")


def test_typed_columns_read_as_the_text_a_file_holds() -> None:
    """Dates, timestamps (a zone's local day), booleans and whole floats, from each library."""
    text = pd.DataFrame(
        {
            "Đơn vị": ["A", "A", "A"],
            "Ngày tiếp nhận": ["05/03/2024", "06/03/2024", "07/03/2024"],
            "Ngày hẹn trả": ["12/03/2024", "13/03/2024", "14/03/2024"],
            "Ngày có kết quả": ["11/03/2024", "14/03/2024", ""],
            "Toàn trình": ["true", "false", ""],
            "Số ngày giải quyết": ["5", "5", ""],
        }
    )
    expected_document = parscore.summarize_records(text, as_of="2024-03-31").to_dict()
    local = pd.to_datetime(["2024-03-05 06:30", "2024-03-06 00:10", "2024-03-07 23:59"])
    typed = pd.DataFrame(
        {
            "Đơn vị": ["A", "A", "A"],
            # 06:30 in Hanoi is the day before in UTC: the local day counts.
            "Ngày tiếp nhận": local.tz_localize("Asia/Ho_Chi_Minh"),
            "Ngày hẹn trả": pd.to_datetime(["2024-03-12", "2024-03-13", "2024-03-14"]),
            "Ngày có kết quả": [datetime.date(2024, 3, 11), datetime.date(2024, 3, 14), None],
            "Toàn trình": pd.array([True, False, None], dtype="boolean"),
            "Số ngày giải quyết": [5.0, 5.0, float("nan")],
        }
    )
    # Categories are Arrow dictionaries: read as the values they stand for.
    categories = typed.astype({"Đơn vị": "category", "Số ngày giải quyết": "category"})
    for frame in (typed, pa.Table.from_pandas(typed), pl.from_pandas(typed), categories):
        summary = parscore.summarize_records(frame, as_of=datetime.date(2024, 3, 31))
        assert summary.to_dict() == expected_document, type(frame)


def test_a_profile_restricted_to_day_first_dates_reads_typed_dates() -> None:
    profile = 'base = "vn-one-stop"\ndates = "dmy"\n'
    frame = pl.DataFrame(
        {
            "unit": ["A"],
            "received": [datetime.date(2024, 3, 5)],
            "due": [datetime.date(2024, 3, 12)],
            "completed": [datetime.date(2024, 3, 11)],
        }
    )
    summary = parscore.summarize_records(frame, profile=profile)
    assert (summary.counted, summary.groups[0]["resolved_early"]) == (1, 1)


def test_a_missing_required_column_is_named() -> None:
    frame = pd.DataFrame({"Đơn vị": ["A"], "Ngày hẹn trả": ["12/03/2024"], "Ngày có kết quả": [""]})
    with pytest.raises(parscore.RecordsError, match="received") as raised:
        parscore.summarize_records(frame)
    assert raised.value.kind == "columns"
    assert raised.value.field == "received"
    assert "Ngày tiếp nhận" in str(raised.value)


def test_unreadable_column_types_and_zones_are_refused() -> None:
    frame = pa.table(
        {
            "unit": [["A"]],
            "received": ["05/03/2024"],
            "due": ["12/03/2024"],
            "completed": [""],
        }
    )
    with pytest.raises(parscore.RecordsError, match="“unit” holds List") as raised:
        parscore.summarize_records(frame)
    assert raised.value.kind == "columns"
    paris = pd.DataFrame(
        {
            "unit": ["A"],
            "received": pd.to_datetime(["2024-03-05"]).tz_localize("Europe/Paris"),
            "due": ["12/03/2024"],
            "completed": [""],
        }
    )
    with pytest.raises(parscore.RecordsError, match="Europe/Paris"):
        parscore.summarize_records(paris)


def test_settings_that_cannot_be_used_are_errors() -> None:
    frame = READERS["pandas-text"](RECORDS / "bad-rows" / "records.csv")
    with pytest.raises(parscore.RecordsError, match="profile") as raised:
        parscore.summarize_records(frame, profile="blank = 3\n")
    assert (raised.value.kind, raised.value.line) == ("profile", 1)
    with pytest.raises(parscore.RecordsError, match="calendar") as raised:
        parscore.summarize_records(frame, calendar="[[years]]\nyear = 'x'\n")
    assert raised.value.kind == "calendar"
    with pytest.raises(parscore.ParscoreError, match="period"):
        parscore.summarize_records(frame, period="fortnight")
    with pytest.raises(parscore.ParscoreError, match="as_of"):
        parscore.summarize_records(frame, as_of="31/02/2024")
    with pytest.raises(ValueError, match="resolved_by"):
        parscore.summarize_records(frame, resolved_by="due")
    with pytest.raises(TypeError, match="summarize_records takes"):
        parscore.summarize_records({"unit": ["A"]})
    # A misspelt keyword is refused as Python refuses one, by both entry points alike.
    with pytest.raises(TypeError, match=r"summarize_records\(\) got an unexpected keyword argument 'perod'"):
        parscore.summarize_records(frame, perod="month")
    scheme = parscore.Scheme.builtin("lang-son-snn-2024")
    with pytest.raises(TypeError, match=r"evaluate_records\(\) got an unexpected keyword argument 'asof'"):
        scheme.evaluate_records(frame, asof="2024-12-31")
    with pytest.raises(parscore.RecordsError, match="profile"):
        scheme.evaluate_records(frame, profile="blank = 3\n")


CALENDAR_2021 = """
[[years]]
year = 2021
source = "test calendar"
holidays = [{ date = "2021-01-01", name = "Tết Dương lịch" }]
"""


def test_a_calendar_of_ones_own_adds_years() -> None:
    frame = READERS["pandas-text"](RECORDS / "bad-rows" / "records.csv")
    summary = parscore.summarize_records(frame, calendar=CALENDAR_2021)
    assert "no_calendar" not in summary.bad
    assert summary.counted == 4
    assert [g["period"] for g in summary.groups] == ["2021", "2024"]
    # A list of calendars is laid over the built-in one in order.
    assert summary == parscore.summarize_records(frame, calendar=[CALENDAR_2021])


def test_dossiers_in_progress_due_in_a_year_without_calendar_are_an_error() -> None:
    frame = pd.DataFrame(
        {"unit": ["A"], "received": ["20/12/2026"], "due": ["05/01/2027"], "completed": [""]}
    )
    with pytest.raises(parscore.RecordsError, match="2027") as raised:
        parscore.summarize_records(frame, as_of="2027-02-01")
    assert raised.value.kind == "calendar"


# Hand-checked in tests/records/tet-2024-boundaries/README.md: on time / resolved per group.
ON_TIME = {
    ("Sở Tư pháp", "2024-Q1"): ("5/7", False),
    ("Sở Tư pháp", "2024-Q2"): ("0/2", False),
    ("UBND huyện Cao Lộc", "2024-Q1"): ("2/2", True),
    ("UBND huyện Cao Lộc", "2024-Q2"): ("1/1", True),
}


@pytest.mark.parametrize(
    "mapping",
    [
        None,
        {"resolved": "dossiers_resolved", "resolved_on_time": "dossiers_on_time"},
        '[indicators]\nresolved = "dossiers_resolved"\nresolved_on_time = "dossiers_on_time"\n',
    ],
    ids=["builtin-map", "dict", "toml"],
)
def test_evaluate_records_scores_the_on_time_criterion(
    scheme: parscore.Scheme, mapping: Any
) -> None:
    case = RECORDS / "tet-2024-boundaries"
    frame = READERS["pandas-text"](case / "records.csv")
    results = scheme.evaluate_records(frame, mapping=mapping, **options(case))
    assert isinstance(results, parscore.Results)
    assert len(results) == 4 and not results.errors
    for row in results:
        assert row.evaluation is not None
        criterion = row.evaluation.criterion("III.4.1")
        assert criterion.indicator == "dossiers_on_time_rate"
        value, passed = ON_TIME[(str(row.unit), str(row.period))]
        assert (criterion.value, criterion.passed) == (value, passed)
        assert criterion.points == (criterion.max_points if passed else 0)
    # The results travel like any batch's.
    assert pickle.loads(pickle.dumps(results)) == results
    assert results.to_dict()["summary"]["units"] == 4


def test_evaluate_records_checks_the_map(scheme: parscore.Scheme) -> None:
    frame = READERS["pandas-text"](RECORDS / "tet-2024-boundaries" / "records.csv")
    with pytest.raises(parscore.RecordsError, match="no indicator `nope`") as raised:
        scheme.evaluate_records(frame, mapping={"received": "nope"})
    assert (raised.value.kind, raised.value.indicator) == ("mapping", "nope")
    with pytest.raises(parscore.RecordsError, match="a rate cannot feed a count"):
        scheme.evaluate_records(frame, mapping={"on_time_rate": "dossiers_on_time"})
    with pytest.raises(parscore.RecordsError, match="not a summary indicator"):
        scheme.evaluate_records(frame, mapping={"on_time": "dossiers_on_time"})
    with pytest.raises(TypeError, match="mapping takes"):
        scheme.evaluate_records(frame, mapping=["received"])


def test_a_zoned_timestamp_counts_on_its_local_day_in_every_unit_and_library(tmp_path: Path) -> None:
    """20:00 UTC on 29 February is 03:00 on 1 March in Hà Nội: March, whatever the unit of the
    column, the library, or a round trip through a Parquet file (where pyarrow keeps seconds
    as milliseconds and the zone in the Arrow schema only)."""
    utc = datetime.timezone.utc

    def evening_before(day: datetime.date) -> datetime.datetime:
        return datetime.datetime(day.year, day.month, day.day, tzinfo=utc) - datetime.timedelta(hours=4)

    def column(unit: str, *days: datetime.date) -> pa.Array:
        return pa.array([evening_before(d) for d in days], pa.timestamp(unit, tz="Asia/Ho_Chi_Minh"))

    d = datetime.date
    for unit in ("s", "ms", "us", "ns"):
        table = pa.table(
            {
                "Mã hồ sơ": ["Z1", "Z2"],
                "Đơn vị": ["Sở Tư pháp", "Sở Tư pháp"],
                "Ngày tiếp nhận": column(unit, d(2024, 3, 1), d(2024, 2, 1)),
                "Ngày hẹn trả": column(unit, d(2024, 3, 8), d(2024, 3, 1)),
                "Ngày có kết quả": column(unit, d(2024, 3, 4), d(2024, 3, 1)),
            }
        )
        pyarrow.parquet.write_table(table, tmp_path / "zoned.parquet")
        from_file = pyarrow.parquet.read_table(tmp_path / "zoned.parquet")
        for frame in (table, table.to_pandas(), pl.from_arrow(table), from_file):
            summary = parscore.summarize_records(frame, period="month", as_of="2024-03-31")
            months = [(g["period"], g["received"], g["resolved"]) for g in summary.groups]
            assert months == [("2024-02", 1, 0), ("2024-03", 1, 2)], (unit, type(frame))


def test_dates_far_outside_any_report_are_refused_not_counted_to() -> None:
    """Two dossiers received in 1900, counted by month to 9999, took 16 s and 2.8 GB."""
    frame = pd.DataFrame(
        {
            "Mã hồ sơ": ["H1", "H2"],
            "Đơn vị": ["Sở Tư pháp", "Sở Tư pháp"],
            "Ngày tiếp nhận": ["01/01/1900", "02/01/1900"],
            "Ngày hẹn trả": ["10/01/1900", "11/01/1900"],
            "Ngày có kết quả": ["", ""],
            "Trạng thái": ["Đang xử lý", "Đang xử lý"],
        }
    )
    with pytest.raises(parscore.RecordsError, match="1990-01-01 to 2100-12-31") as raised:
        parscore.summarize_records(frame, period="month", as_of="9999-12-30")
    assert raised.value.kind == "limits"
    with pytest.raises(parscore.RecordsError, match="range's first day 1900-01-01"):
        parscore.summarize_records(frame, period="1900-01-01..2024-12-31")
    summary = parscore.summarize_records(frame, period="month", as_of="2024-12-31")
    assert (summary.counted, summary.bad["out_of_range:received"]["rows"]) == (0, [1, 2])
    # In progress since March 1995, by month to December 2024: 358 periods, more than 240.
    frame.loc[0, "Ngày tiếp nhận"] = "02/03/1995"
    frame.loc[0, "Ngày hẹn trả"] = "09/03/1995"
    frame.loc[0, "Trạng thái"] = "Chờ bổ sung"  # waiting: never overdue, no calendar needed
    with pytest.raises(parscore.RecordsError, match="358 periods") as raised:
        parscore.summarize_records(frame, period="month", as_of="2024-12-31")
    assert (raised.value.kind, raised.value.row) == ("limits", 1)
    by_quarter = parscore.summarize_records(frame, period="quarter", as_of="2024-12-31")
    assert len(by_quarter.groups) == 120


def test_a_unit_typed_composed_or_decomposed_is_one_unit() -> None:
    decomposed = "So\u031b\u0309 Tu\u031b pha\u0301p"
    frame = pd.DataFrame(
        {
            "Đơn vị": ["Sở Tư pháp", decomposed, decomposed],
            "Ngày tiếp nhận": ["05/03/2024", "06/03/2024", "07/03/2024"],
            "Ngày hẹn trả": ["12/03/2024", "13/03/2024", "14/03/2024"],
            "Ngày có kết quả": ["11/03/2024", "14/03/2024", ""],
        }
    )
    for table in (frame, frame.astype({"Đơn vị": "category"}), pl.from_pandas(frame)):
        summary = parscore.summarize_records(table, as_of="2024-03-31")
        assert [(g["unit"], g["received"]) for g in summary.groups] == [("Sở Tư pháp", 3)]


def test_a_dossier_code_read_twice_is_counted_once() -> None:
    """One row copied, or the same export given twice: each dossier counted once, each repeat
    a bad record ``duplicate_id`` naming the row that first gave its code."""
    case = RECORDS / "tet-2024-boundaries"
    frame = READERS["pandas-text"](case / "records.csv")
    alone = parscore.summarize_records(frame, **options(case))
    twice = parscore.summarize_records(pd.concat([frame, frame], ignore_index=True), **options(case))
    assert twice.groups == alone.groups
    records = len(frame)
    assert (twice.records, twice.counted) == (2 * records, records)
    duplicates = twice.bad["duplicate_id"]
    assert duplicates["count"] == records
    assert duplicates["rows"][0] == records + 1
    assert duplicates["messages"][0] == (
        f"row {records + 1} (H01): dossier code H01 was read before, at row 1"
    )
    # The same code typed decomposed, with spaces around it, is the same code.
    copy = frame.iloc[[2]].copy()
    copy["Mã hồ sơ"] = " H03 "
    copied = parscore.summarize_records(pd.concat([frame, copy], ignore_index=True), **options(case))
    assert copied.bad["duplicate_id"]["messages"] == [
        f"row {records + 1} (H03): dossier code H03 was read before, at row 3"
    ]
    assert copied.groups == alone.groups
