"""Scoring a table in parts and ranking the combined parts gives, column for column, what one
`evaluate_frame` call over the whole table gives: ranks by the scheme's rank policy, repeats
across parts refused, errors naming rows of the whole table. And pandas output with
`dtype_backend="pyarrow"` holds the same figures without a Python object per figure."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

import parscore

from conftest import EXAMPLES, GOLDEN

pa = pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")


def golden_table(case: str) -> tuple[parscore.Scheme, Any]:
    """A golden case's scheme and units, as a pyarrow table of text columns."""
    scheme = parscore.Scheme.from_file(GOLDEN / case / "scheme.toml")
    lines = (GOLDEN / case / "input.json").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line, parse_float=str) for line in lines if line.strip()]
    names = list(dict.fromkeys(name for row in rows for name in row))
    columns = {n: [None if n not in r else str(r[n]) for r in rows] for n in names}
    return scheme, pa.table(columns)


def in_parts(scheme: parscore.Scheme, table: Any, size: int, **settings: Any) -> Any:
    """`table` scored `size` rows at a time without ranks, the parts concatenated (at a
    fixed scale, so that the parts have one schema)."""
    settings.setdefault("decimals", 10)
    parts = [
        scheme.evaluate_frame(table.slice(start, size), rank=False, first_row=start + 1, **settings)
        for start in range(0, table.num_rows, size)
    ]
    return pa.concat_tables(parts)


def units_with_repeats() -> Any:
    """The example units in two periods, the second period's rows after the first's, with
    a unit repeated (decomposed) in a later part and a bad value: Vietnamese as analysts
    type it."""
    one = pd.read_csv(EXAMPLES / "units-2024.csv", dtype=str, keep_default_na=False)
    frame = pd.concat([one.assign(period="Kỳ 1"), one.assign(period="Kỳ 2")], ignore_index=True)
    repeat = frame.iloc[[0]].copy()
    repeat["unit"] = __import__("unicodedata").normalize("NFD", repeat["unit"].iloc[0])
    frame = pd.concat([frame, repeat], ignore_index=True)
    frame.loc[3, "survey_points"] = "abc"
    return pa.Table.from_pandas(frame, preserve_index=False)


@pytest.mark.parametrize("case", ["ranking-tie-break", "ranking-exact-ties"])
def test_parts_ranked_together_follow_the_rank_policy(case: str) -> None:
    scheme, table = golden_table(case)
    whole = scheme.evaluate_frame(table, decimals=10)
    combined = in_parts(scheme, table, 3, decimals=10)
    # The parts alone rank within themselves only, and carry what ranking needs.
    assert "rank_key" in combined.schema.names
    assert combined.column("rank").null_count == combined.num_rows
    ranked = scheme.rank(combined)
    assert ranked.equals(whole)
    # Ranked by parts, the first part's ranks differ from the whole table's.
    first = scheme.evaluate_frame(table.slice(0, 3))["rank"].to_pylist()
    assert first != whole.column("rank").to_pylist()[:3]


def test_a_scheme_that_breaks_ties_needs_the_key() -> None:
    scheme, table = golden_table("ranking-tie-break")
    combined = in_parts(scheme, table, 4).drop_columns(["rank_key"])
    with pytest.raises(parscore.InputError, match="rank_key"):
        scheme.rank(combined)


def test_without_a_rank_policy_there_is_no_key(scheme: parscore.Scheme) -> None:
    table = units_with_repeats()
    combined = in_parts(scheme, table, 5)
    assert "rank_key" not in combined.schema.names
    assert scheme.output_schema(10, rank=False) == scheme.output_schema(10)


def test_repeats_across_parts_and_errors_name_rows_of_the_whole_table(
    scheme: parscore.Scheme,
) -> None:
    table = units_with_repeats()
    whole = scheme.evaluate_frame(table, decimals=10)
    for size in (4, 7, table.num_rows):
        ranked = scheme.rank(in_parts(scheme, table, size, decimals=10))
        assert ranked.equals(whole), size
    errors = [e for e in whole.column("error").to_pylist() if e]
    assert "row 11: unit `Sở NN&PTNT`, period `Kỳ 1`, is already given in row 1" in errors
    assert whole.column("status").to_pylist()[3] == "error"


@pytest.mark.parametrize("library", ["pandas", "polars", "pyarrow.RecordBatch"])
def test_every_frame_type_is_ranked_in_its_own_library(
    scheme: parscore.Scheme, library: str
) -> None:
    table = units_with_repeats()
    whole = scheme.evaluate_frame(table, decimals=10)
    combined = in_parts(scheme, table, 6, decimals=10)
    if library == "pandas":
        frame = table.to_pandas()
        parts = [
            scheme.evaluate_frame(frame.iloc[s : s + 6], decimals=10, rank=False, first_row=s + 1)
            for s in range(0, len(frame), 6)
        ]
        ranked = scheme.rank(pd.concat(parts))
        pd.testing.assert_frame_equal(ranked, scheme.evaluate_frame(frame, decimals=10))
    elif library == "polars":
        pl = pytest.importorskip("polars")
        ranked = scheme.rank(pl.from_arrow(combined))
        assert ranked.equals(pl.from_arrow(whole))
    else:
        batch = combined.combine_chunks().to_batches()[0]
        ranked = scheme.rank(batch)
        assert isinstance(ranked, pa.RecordBatch)
        assert pa.Table.from_batches([ranked]).equals(whole)


def test_rank_numbers_rows_from_a_row_column_or_first_row(scheme: parscore.Scheme) -> None:
    table = units_with_repeats()
    tail = in_parts(scheme, table, 100)
    shifted = scheme.rank(tail, first_row=11)
    errors = [e for e in shifted.column("error").to_pylist() if e and "already" in e]
    assert errors and all("row 11" in e for e in errors)
    numbered = tail.add_column(0, "row", pa.array(range(101, 101 + tail.num_rows)))
    errors = [e for e in scheme.rank(numbered).column("error").to_pylist() if e and "already" in e]
    assert errors and all("row 101" in e for e in errors)
    with pytest.raises(ValueError, match="from 1"):
        scheme.rank(tail, first_row=0)


def test_rank_refuses_what_it_cannot_read(scheme: parscore.Scheme) -> None:
    with pytest.raises(parscore.InputError, match="`index`"):
        scheme.rank(pa.table({"unit": ["a"]}))
    with pytest.raises(parscore.InputError, match="no number"):
        scheme.rank(pa.table({"unit": ["a"], "index": ["cao"]}))
    with pytest.raises(TypeError):
        scheme.rank([{"unit": "a", "index": 1}])


def test_pandas_arrow_backed_output_holds_the_same_figures(scheme: parscore.Scheme) -> None:
    frame = units_with_repeats().to_pandas()
    objects = scheme.evaluate_frame(frame, decimals=10)
    arrow = scheme.evaluate_frame(frame, decimals=10, dtype_backend="pyarrow")
    assert isinstance(arrow["index"].dtype, pd.ArrowDtype)
    assert isinstance(objects["index"].iloc[0], Decimal)
    assert arrow["index"].iloc[0] == objects["index"].iloc[0]
    back = arrow.astype(object).where(arrow.notna(), None)
    for name in objects.columns:
        assert back[name].tolist() == objects[name].astype(object).where(
            objects[name].notna(), None
        ).tolist(), name
    with pytest.raises(ValueError, match="dtype_backend"):
        scheme.evaluate_frame(frame, dtype_backend="numpy")
