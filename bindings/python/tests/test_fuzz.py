"""The fuzzing harness of the binding: arbitrary Python values as cells, through every reader
(`evaluate`, `evaluate_many`, `evaluate_frame` from pandas and pyarrow) and every output
(`to_json`, `to_dict`, `summary`, `to_pandas`, HTML, pickling). Whatever comes in, only a
`ParscoreError` or a `TypeError` comes out, one result per row, points within [0, max].

Run longer with `HYPOTHESIS_PROFILE=long` (20,000 cases per property, or
`PARSCORE_FUZZ_EXAMPLES`; see docs/python.md)."""

from __future__ import annotations

import os
import pickle
import unicodedata
from decimal import Decimal
from typing import Any, Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import parscore

pa = pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")

settings.register_profile(
    "ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "long",
    max_examples=int(os.environ.get("PARSCORE_FUZZ_EXAMPLES", "20000")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
FUZZ = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

SCHEME = parscore.Scheme.builtin("lang-son-snn-2024")
INDICATORS = [i.id for i in SCHEME.indicators]

# What Vietnamese files hold, typed in either Unicode form.
WORDS = ["có", "không", "x", "✓", "đúng", "sai", "n/a", "không áp dụng", "0/0", "98,7", "1.234,5",
         "16.85", "987/1000", "50%", "1_000", "1e-28", "50.00000000000000000000000001", " ", ""]
NAMES = ["Sở Nội vụ", "Sở NN&PTNT", "UBND huyện Cao Lộc", "Sở Tư pháp", "Phòng Văn hóa"]

# Text of any code point, lone surrogates and control characters included.
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=12)


def nfd_or_not(text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(text, text.map(lambda t: unicodedata.normalize("NFD", t)))


cells = st.one_of(
    nfd_or_not(st.sampled_from(WORDS)),
    ANY_TEXT,
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(),
    st.decimals(),
    st.sampled_from([Decimal("50.00000000000000000000000001"), Decimal("1e1000000"), Decimal("-1e-1000000"),
                     Decimal("sNaN"), Decimal("-0"), Decimal("1e-28")]),
    st.booleans(),
    st.none(),
    st.binary(max_size=4),
    st.lists(st.integers(), max_size=2),
)
labels = st.one_of(nfd_or_not(st.sampled_from(NAMES)), ANY_TEXT, st.integers(), st.floats(), st.none(),
                   st.sampled_from([[1], b"A", True]))
rows = st.lists(
    st.builds(
        lambda unit, period, values: {"unit": unit, **({"period": period} if period is not None else {}), **values},
        labels,
        st.one_of(st.none(), st.sampled_from([2024, "2024", 2024.0, "2023"])),
        st.dictionaries(st.sampled_from(INDICATORS), cells, max_size=4),
    ),
    max_size=6,
)


def allowed(call: Callable[[], Any]) -> Any:
    """The call's result, or None when it raised one of the errors parscore promises."""
    try:
        return call()
    except parscore.ParscoreError:
        return None
    except TypeError:
        return None


def within_bounds(evaluation: parscore.Evaluation) -> None:
    assert 0 <= evaluation.points <= evaluation.max_points
    for criterion in evaluation.criteria:
        assert criterion.points <= criterion.max_points


@FUZZ
@given(rows)
def test_evaluate_takes_anything(batch: list[dict[str, Any]]) -> None:
    for row in batch:
        evaluation = allowed(lambda: SCHEME.evaluate(row, ignore_unknown=True))
        if evaluation is not None:
            within_bounds(evaluation)
            for output in (repr, lambda e: e.to_json(), lambda e: e.to_dict(), lambda e: e._repr_html_(),
                           lambda e: e.explain(), lambda e: pickle.loads(pickle.dumps(e))):
                allowed(lambda: output(evaluation))


@FUZZ
@given(rows, st.sampled_from([".", ","]))
def test_a_batch_keeps_every_row(batch: list[dict[str, Any]], decimal: str) -> None:
    results = SCHEME.evaluate_many(batch, decimal=decimal)
    assert len(results) == len(batch)
    for row in results:
        assert (row.evaluation is None) != (row.error is None)
        if row.evaluation is not None:
            within_bounds(row.evaluation)
            assert row.rank is not None
    outputs: list[Callable[[], Any]] = [
        lambda: results.summary,
        results.to_json,
        results.to_dict,
        results.to_pandas,
        lambda: results.to_arrow(detail="criteria"),
        results._repr_html_,
        lambda: repr(results),
        lambda: pickle.loads(pickle.dumps(results)) == results,
    ]
    for output in outputs:
        allowed(output)


def check_frame(out: Any, rows: int) -> None:
    table = out if isinstance(out, pd.DataFrame) else out.to_pandas()
    assert len(table) == rows
    for _, row in table.iterrows():
        if row["status"] == "ok":
            assert 0 <= row["points"] <= row["max_points"]
        else:
            assert isinstance(row["error"], str) and pd.isna(row["rank"])


def same_as_row_by_row(out: Any, expected: Any) -> None:
    """Where the frame and the row-by-row path both score a row, they agree on its points,
    its gaps and which criteria are excluded."""
    codes = [c.code for c in SCHEME.criteria]
    for i in range(len(out)):
        if out["status"].iloc[i] != "ok" or expected["status"].iloc[i] != "ok":
            continue
        for column in ["points", "max_points", "missing", "missing_points", *codes]:
            got, want = out[column].iloc[i], expected[column].iloc[i]
            assert (pd.isna(got) and pd.isna(want)) or got == want, (i, column, got, want)


@FUZZ
@given(rows, st.sampled_from([".", ","]))
def test_frames_take_anything(batch: list[dict[str, Any]], decimal: str) -> None:
    columns = ["unit", *sorted({k for row in batch for k in row if k != "unit"})]
    frame = pd.DataFrame([[row.get(c) for c in columns] for row in batch], columns=columns, dtype=object)
    out = allowed(lambda: SCHEME.evaluate_frame(frame, decimal=decimal))
    if out is not None:
        check_frame(out, len(batch))
        same_as_row_by_row(out, SCHEME.evaluate_many(batch, decimal=decimal).to_pandas())
    # The same cells as a spreadsheet's text, in pyarrow.
    text = {c: [None if row.get(c) is None else str(row.get(c)) for row in batch] for c in columns}
    try:
        table = pa.table(text)
    except (UnicodeEncodeError, pa.ArrowInvalid):
        return  # pyarrow cannot hold a lone surrogate: nothing reaches parscore
    out = allowed(lambda: SCHEME.evaluate_frame(table, decimal=decimal))
    if out is not None:
        check_frame(out, len(batch))


RANKING = parscore.Scheme.from_toml(
    SCHEME.to_toml() + '\n[ranking]\nties = "exact"\ntie_break = ["VIII", "II"]\n'
)


# Five calls an example: a quarter of the examples keeps its time near the other cases'.
@settings(FUZZ, max_examples=max(FUZZ.max_examples // 4, 1))
@given(rows, rows, st.sampled_from([".", ","]), st.booleans())
def test_parts_ranked_together_equal_one_call(
    first: list[dict[str, Any]], second: list[dict[str, Any]], decimal: str, tie_break: bool
) -> None:
    """Arbitrary rows in two parts, scored with `rank=False` and ranked by `Scheme.rank`: every
    column equals one `evaluate_frame` call, under a scheme that breaks ties or not; and the
    Arrow-backed pandas result holds the figures the Decimal one holds."""
    scheme = RANKING if tie_break else SCHEME
    batch = first + second
    columns = ["unit", *sorted({k for row in batch for k in row if k != "unit"})]
    text = {c: [None if row.get(c) is None else str(row.get(c)) for row in batch] for c in columns}
    try:
        table = pa.table(text, schema=pa.schema([(c, pa.string()) for c in columns]))
    except (UnicodeEncodeError, pa.ArrowInvalid):
        return
    whole = allowed(lambda: scheme.evaluate_frame(table, decimal=decimal, decimals=10))
    if whole is None:
        return
    cut = len(first)
    parts = [
        scheme.evaluate_frame(part, decimal=decimal, decimals=10, rank=False, first_row=start + 1)
        for part, start in [(table.slice(0, cut), 0), (table.slice(cut), cut)]
    ]
    ranked = scheme.rank(pa.concat_tables(parts))
    assert ranked.equals(whole)
    objects = scheme.evaluate_frame(table.to_pandas(), decimal=decimal, decimals=10)
    arrow = scheme.evaluate_frame(table.to_pandas(), decimal=decimal, decimals=10,
                                  dtype_backend="pyarrow")
    assert pa.Table.from_pandas(arrow, preserve_index=False).equals(whole)
    assert len(objects) == len(batch)
