"""Made for the Vietnamese analyst (issue 23): gaps shown where people look, decimal commas,
Vietnamese views, not applicable never read as 0, errors that name their file, help that
says what each call takes."""

from __future__ import annotations

import pydoc
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

import parscore

pa = pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")

UNIT = "Sở NN&PTNT"


@pytest.fixture()
def partial(scheme: parscore.Scheme) -> parscore.Evaluation:
    """A unit whose records fed a few indicators only: most criteria have no input."""
    return scheme.evaluate(
        {
            "unit": UNIT,
            "period": "2024",
            "dossiers_on_time": 9899,
            "dossiers_resolved": 10000,
            "survey_points": "16,85",
            "reports_on_time": unicodedata.normalize("NFD", "có"),
            "online_full_services_rate": "92,5%",
        },
        decimal=",",
    )


# --- gaps ---------------------------------------------------------------------------------


def test_the_repr_says_what_is_missing(partial: parscore.Evaluation, scheme: parscore.Scheme) -> None:
    missing = len(scheme.criteria) - 4
    assert partial.missing_count == missing
    assert partial.missing_points == scheme.max_points - sum(
        c.max_points for c in partial.criteria if c.status != "missing"
    )
    assert len(partial.missing) == missing and "KS.1" not in partial.missing
    assert all(partial.criterion(code).status == "missing" for code in partial.missing)
    assert partial.points == Decimal("19.4966")  # rounded half up in the repr, as the scheme says
    assert repr(partial) == (
        f"<Evaluation {UNIT} 2024: 19.50 of 100 (index 19.50, Yếu), "
        f"{missing} criteria missing ({partial.missing_points.quantize(Decimal('0.01'), ROUND_HALF_UP)} points)>"
    )


def test_a_complete_unit_says_nothing_of_gaps(scheme: parscore.Scheme, example_rows: list[Any]) -> None:
    full = scheme.evaluate(example_rows[0])
    assert full.missing_count == 0 and full.missing == [] and full.missing_points == 0
    assert "missing" not in repr(full)


def test_tables_and_summary_count_the_gaps(scheme: parscore.Scheme, example_rows: list[Any]) -> None:
    results = scheme.evaluate_many([example_rows[0], {"unit": "Sở Tư pháp", "survey_points": "12.5"}])
    short = results[1].evaluation
    assert short is not None
    for table in (results.to_pandas(), results.to_arrow().to_pandas(), results.to_polars().to_pandas()):
        assert list(table["missing"]) == [0, short.missing_count]
        assert [Decimal(str(v)) for v in table["missing_points"]] == [0, short.missing_points]
    summary = results.summary
    assert (summary.missing_units, summary.missing_criteria) == (1, short.missing_count)
    assert f"1 units with missing criteria ({short.missing_count} in all)" in repr(summary)
    assert "1 with missing criteria" in repr(results)


def test_html_shows_the_gaps_in_vietnamese_and_english(partial: parscore.Evaluation, scheme: parscore.Scheme) -> None:
    html = partial._repr_html_()
    assert f"<b>{partial.missing_count}</b> tiêu chí chưa có số liệu" in html
    for term in ("Chỉ số CCHC", "điểm đạt", "điểm tối đa", "xếp loại", "đơn vị chủ trì", "chưa có số liệu"):
        assert term in html, term
    assert "16,85" in html  # a decimal comma for Vietnamese readers
    english = partial.to_html(lang="en")
    assert f"<b>{partial.missing_count}</b> criteria missing" in english and "16.85" in english
    results = scheme.evaluate_many([{"unit": "Sở A", "survey_points": 18}, {"unit": "Sở B", "survey_points": 19}])
    batch = results._repr_html_()
    for term in ("xếp hạng", "tiêu chí không đạt", "đơn vị thiếu số liệu"):
        assert term in batch, term
    # By rank: Sở B (19 points) comes first.
    assert batch.index("Sở B") < batch.index("Sở A")
    with pytest.raises(ValueError, match="lang"):
        partial.to_html(lang="fr")


# --- decimal commas -----------------------------------------------------------------------


@pytest.mark.parametrize(("cell", "read"), [("16,85", "16.85"), (" 0,5 ", "0.5"), (",5", "0.5"), ("20", "20"), ("-0", "0")])
def test_decimal_commas_are_read_exactly(scheme: parscore.Scheme, cell: str, read: str) -> None:
    result = scheme.evaluate({"unit": UNIT, "survey_points": cell}, decimal=",")
    assert result.criterion("KS.1").value == Decimal(read)


def test_thousands_percents_and_counts_with_a_decimal_comma(scheme: parscore.Scheme) -> None:
    counts = scheme.evaluate({"unit": UNIT, "dossiers_on_time": "9.899", "dossiers_resolved": "10.000"}, decimal=",")
    assert counts.criterion("III.4.1").value == "9899/10000"
    text = scheme.evaluate({"unit": UNIT, "dossiers_on_time_rate": "1.234/2.000"}, decimal=",")
    assert text.criterion("III.4.1").value == "1234/2000"
    percent = scheme.evaluate({"unit": UNIT, "online_full_services_rate": "92,5%"}, decimal=",")
    assert Decimal("92.5") in [c.value for c in percent.criteria]


@pytest.mark.parametrize("cell", ["16.85", "1.23,4", "1,2,3", "17,"])
def test_a_decimal_comma_is_never_guessed(scheme: parscore.Scheme, cell: str) -> None:
    """With decimal=",", a point is only a thousands separator between groups of three:
    `16.85` is refused, not read as 1685 or 16.85."""
    with pytest.raises(parscore.InputError, match="decimal comma") as raised:
        scheme.evaluate({"unit": UNIT, "survey_points": cell}, decimal=",")
    assert raised.value.indicator == "survey_points"
    # Without the keyword a comma is refused as ambiguous, as before.
    with pytest.raises(parscore.InputError):
        scheme.evaluate({"unit": UNIT, "survey_points": "16,85"})


def test_the_decimal_keyword_takes_a_point_or_a_comma(scheme: parscore.Scheme) -> None:
    with pytest.raises(ValueError, match="decimal"):
        scheme.evaluate({"unit": UNIT}, decimal=";")
    assert scheme.evaluate({"unit": UNIT, "survey_points": "16.85"}, decimal=".").points == Decimal("16.85")


def frames(data: dict[str, list[Any]]) -> list[Any]:
    return [pd.DataFrame(data), pl.DataFrame(data), pa.table(data)]


@pytest.mark.parametrize("library", ["pandas", "polars", "pyarrow"])
def test_decimal_commas_in_frames(scheme: parscore.Scheme, library: str) -> None:
    data = {
        "unit": ["Sở Tư pháp", "Sở Y tế", "Sở Nội vụ"],
        "survey_points": ["16,85", "17.5", "12"],
        "dossiers_on_time_rate": ["98,5", "9.899/10.000", "n/a"],
    }
    frame = dict(zip(["pandas", "polars", "pyarrow"], frames(data)))[library]
    out = scheme.evaluate_frame(frame, decimal=",")
    table = out if library == "pandas" else out.to_pandas()
    assert list(table["status"]) == ["ok", "error", "ok"]
    assert table["KS.1"][0] == Decimal("16.85")
    assert "`17.5` is not a number with a decimal comma" in table["error"][1]
    assert pd.isna(table["rank"][1]) and list(table["rank"][[0, 2]]) == [1, 2]
    assert table["unit"][1] == "Sở Y tế"


# --- not applicable -----------------------------------------------------------------------


def test_not_applicable_is_null_in_tables(scheme: parscore.Scheme) -> None:
    """A criterion that does not apply (and is excluded) has no points: null, never 0,
    with the status saying why."""
    results = scheme.evaluate_many(
        [{"unit": UNIT, "dossiers_on_time": 0, "dossiers_resolved": 0, "survey_points": 12}]
    )
    evaluation = results[0].evaluation
    assert evaluation is not None
    on_time = evaluation.criterion("III.4.1")
    assert on_time.status == "not_applicable" and on_time.max_points == 0
    units = results.to_pandas()
    assert pd.isna(units["III.4.1"][0]) and units["KS.1"][0] == 12
    criteria = evaluation.to_pandas().set_index("code")
    assert pd.isna(criteria.loc["III.4.1", "points"])
    assert criteria.loc["III.4.1", "status"] == "not_applicable"
    assert criteria.loc["KS.1", "points"] == 12


# --- errors and help ----------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".toml", ".json", ".txt"])
def test_scheme_file_errors_name_the_file(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"kế-hoạch-2025{suffix}"
    path.write_text('{"id": 1}' if suffix == ".json" else 'id = "x"\ntitle = 1\n', encoding="utf-8")
    with pytest.raises(parscore.SchemeError) as raised:
        parscore.Scheme.from_file(path)
    assert str(raised.value).startswith(f"{path}: ")
    with pytest.raises(FileNotFoundError, match="khong-co.toml"):
        parscore.Scheme.from_file(tmp_path / "khong-co.toml")


@pytest.mark.parametrize(
    "method",
    ["evaluate", "evaluate_many", "evaluate_frame", "evaluate_records", "from_file", "builtin", "to_html"],
)
def test_help_says_what_each_call_takes_returns_and_raises(method: str) -> None:
    doc = getattr(parscore.Scheme, method).__doc__ or ""
    assert len(doc.strip().splitlines()) > 1, doc
    text = pydoc.render_doc(getattr(parscore.Scheme, method), renderer=pydoc.plaintext)
    assert "Returns" in text or "returns" in text.lower()
    assert "Raises" in text or "raises" in text.lower()


def test_help_of_evaluate(capsys: pytest.CaptureFixture[str]) -> None:
    help(parscore.Scheme.evaluate)
    out = capsys.readouterr().out
    assert "decimal" in out and "InputError" in out and len(out.splitlines()) > 5


# --- gaps in evaluate_frame ---------------------------------------------------------------


def test_evaluate_frame_counts_the_gaps_as_evaluate_many_does(scheme: parscore.Scheme) -> None:
    """The frame's `missing` columns and its nulls for excluded criteria are those of the
    row-by-row path, for counts of 0 (a rate 0/0 does not apply), `n/a`, blanks and typed
    columns alike."""
    rows = [
        {"unit": "Sở Tư pháp", "survey_points": "16,85", "dossiers_on_time": 0, "dossiers_resolved": 0},
        {"unit": "Sở Y tế", "survey_points": None, "dossiers_on_time": 5, "dossiers_resolved": 7,
         "reports_on_time": "có"},
        {"unit": "Sở Nội vụ", "survey_points": "12", "dossiers_on_time_rate": "n/a",
         "public_service_units_2021": 0, "public_service_units": 0},
        {"unit": "Sở Công thương", "survey_points": " ", "dossiers_on_time": 3, "dossiers_resolved": 0},
    ]
    expected = scheme.evaluate_many(rows, decimal=",").to_pandas()
    frame = pd.DataFrame(rows)
    for out in (scheme.evaluate_frame(frame, decimal=","), scheme.evaluate_frame(pl.DataFrame(rows), decimal=",").to_pandas()):
        assert list(out["status"]) == list(expected["status"]) == ["ok", "ok", "ok", "error"]
        assert list(out["missing"][:3]) == list(expected["missing"][:3])
        assert list(out["missing_points"][:3]) == list(expected["missing_points"][:3])
        assert pd.isna(out["missing"][3])
        for code in (c.code for c in scheme.criteria):
            assert [None if pd.isna(v) else v for v in out[code][:3]] == [
                None if pd.isna(v) else v for v in expected[code][:3]
            ], code
    assert pd.isna(expected["III.4.1"][0]) and expected["III.4.1"][1] is not None
