"""Scoring a Dask DataFrame, with the answer one process gives for the whole table.

>>> import parscore, parscore.dask
>>> scheme = parscore.Scheme.builtin("lang-son-snn-2024")
>>> units = parscore.dask.read_csv("units/*.csv")              # doctest: +SKIP
>>> scored = parscore.dask.evaluate(scheme, units).compute()   # doctest: +SKIP

Each partition is scored by a task, its rows numbered as in the whole frame; the columns
ranking needs (row, unit, period, status, error, index: about 100 bytes a row) are then
gathered by one task, which ranks every period and finds units repeated across partitions,
and each partition takes its ranks back. Every column equals ``scheme.evaluate_frame`` on
the whole frame in one process, and the result keeps the frame's index and partitions.

pandas columns are Arrow-backed (``dtype_backend="pyarrow"``) by default: a partition's
figures then travel between processes as Arrow buffers, not as one ``decimal.Decimal``
object per figure, which costs many times the scoring itself.

dask is imported only here, and is not a dependency of parscore.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, Optional, Union

from parscore._distributed import (
    LABELS,
    apply_ranks,
    check_decimals,
    fixed_schema,
    load,
    narrow,
    rank_parts,
)

if TYPE_CHECKING:
    from parscore import Scheme

__all__ = ["evaluate", "read_csv"]


def read_csv(urlpath: Union[str, list[str]], **options: Any) -> Any:
    """CSV files of units read as parscore reads them: every column as text (numbers are
    read exactly from their digits, and no column is typed from the first rows only to
    fail on a later ``n/a``), an empty cell as missing, ``n/a`` kept as text, which
    parscore reads as not applicable (pandas' default turns it into a missing value).
    ``options`` go to ``dask.dataframe.read_csv`` and win."""
    dd = load("dask.dataframe", "dask[dataframe]")

    settings: dict[str, Any] = {"dtype": str, "keep_default_na": False, "na_values": [""]}
    settings.update(options)
    return dd.read_csv(urlpath, **settings)


def evaluate(
    scheme: Scheme,
    frame: Any,
    *,
    strict: bool = False,
    ignore_unknown: bool = False,
    decimal: Literal[".", ","] = ".",
    decimals: Union[int, Literal["float"]] = 10,
    criteria: bool = True,
    rank: bool = True,
    dtype_backend: Optional[Literal["numpy_nullable", "pyarrow"]] = "pyarrow",
) -> Any:
    """Scores every row of a Dask DataFrame of units (a ``unit`` column, an optional
    ``period``, a column per indicator), lazily, on the cluster.

    Returns a Dask DataFrame with the columns of ``evaluate_frame``, the index and the
    partitions of ``frame``, equal to ``scheme.evaluate_frame`` on the whole frame in one
    process, ranks included (rows are numbered in the order of the partitions: the rows
    errors name). Every partition has one schema: ``decimals`` is a fixed scale (0–28) or
    ``"float"``. ``dtype_backend`` is pandas' (``"pyarrow"``, the default here, keeps the
    figures in Arrow; ``"numpy_nullable"`` makes ``decimal.Decimal`` objects). ``rank=False``
    skips the ranking step (``rank`` is null). The other keywords are ``evaluate_frame``'s.
    """
    dask = load("dask", "dask[dataframe]")
    dd = load("dask.dataframe", "dask[dataframe]")

    check_decimals(decimals)
    schema = fixed_schema(scheme, decimals, criteria, rank=False)
    settings: dict[str, Any] = dict(
        strict=strict,
        ignore_unknown=ignore_unknown,
        decimal=decimal,
        decimals=decimals,
        criteria=criteria,
        rank=False,
        dtype_backend=dtype_backend,
    )
    meta = scheme.evaluate_frame(frame._meta, **{**settings, "rank": rank})
    parts = frame.to_delayed()
    starts = dask.delayed(_starts, nout=len(parts))([dask.delayed(len)(part) for part in parts])
    if len(parts) == 1:
        starts = [starts]
    scored = [
        dask.delayed(_score)(scheme, part, first_row, settings)
        for part, first_row in zip(parts, starts)
    ]
    if rank and scored:
        narrows = [dask.delayed(narrow)(part, first, schema) for part, first in zip(scored, starts)]
        ranked = dask.delayed(_rank, nout=len(narrows))(scheme, *narrows)
        if len(narrows) == 1:
            ranked = [ranked]
        figures = [name for name in schema.names if name not in LABELS]
        scored = [
            dask.delayed(apply_ranks)(part, part_ranks, figures)
            for part, part_ranks in zip(scored, ranked)
        ]
    # Dask turns object columns into strings by default ("dataframe.convert-string"), which
    # would make the decimal.Decimal figures of dtype_backend="numpy_nullable" text.
    with dask.config.set({"dataframe.convert-string": False}):
        return dd.from_delayed(scored, meta=meta, divisions=frame.divisions, verify_meta=False)


def _starts(sizes: list[int]) -> Any:
    """The number of each part's first row."""
    starts, first = [], 1
    for size in sizes:
        starts.append(first)
        first += size
    return starts[0] if len(starts) == 1 else starts


def _score(scheme: Scheme, part: Any, first_row: int, settings: dict[str, Any]) -> Any:
    return scheme.evaluate_frame(part, first_row=first_row, **settings)


def _rank(scheme: Scheme, *parts: Any) -> Any:
    ranked = rank_parts(scheme, *parts)
    return ranked[0] if len(ranked) == 1 else ranked
