"""Scoring a Ray Dataset, with the answer one process gives for the whole table.

>>> import parscore, parscore.ray
>>> scheme = parscore.Scheme.builtin("lang-son-snn-2024")
>>> units = parscore.ray.read_csv("units/")                    # doctest: +SKIP
>>> scored = parscore.ray.evaluate(scheme, units)              # doctest: +SKIP

Each block is scored by a Ray task, its rows numbered as in the whole dataset; the columns
ranking needs (row, unit, period, status, error, index: about 100 bytes a row) are then
gathered by one task, which ranks every period and finds units repeated across blocks, and
each block takes its ranks back. Every column equals ``scheme.evaluate_frame`` on the whole
dataset in one process.

ray is imported only here, and is not a dependency of parscore.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, Union

from parscore._distributed import (
    LABELS,
    apply_ranks,
    check_decimals,
    fixed_schema,
    load,
    narrow,
    rank_parts,
    with_rows,
)

if TYPE_CHECKING:
    from parscore import Scheme

__all__ = ["evaluate", "read_csv"]


def read_csv(paths: Union[str, list[str]], **options: Any) -> Any:
    """CSV files of units read as parscore reads them, in the files' order: every column
    of the first file's header as text (numbers are read exactly from their digits, and a
    column is never typed from its first rows only to fail on a later ``n/a``), an empty
    cell as missing (null), ``n/a`` kept as text, which parscore reads as not applicable.

    pyarrow's CSV reader, which ``ray.data.read_csv`` uses, reads ``n/a``, ``NA``, ``null``
    and others as null by default, which would turn *not applicable* into *missing*.
    ``options`` go to ``ray.data.read_csv``; a ``convert_options`` given there is used as
    it is.
    """
    pa = load("pyarrow", "pyarrow")
    csv = load("pyarrow.csv", "pyarrow")
    ray_data = load("ray.data", "ray")

    if "convert_options" not in options:
        names = _header(paths, options.get("read_options"), options.get("parse_options"))
        options["convert_options"] = csv.ConvertOptions(
            column_types={name: pa.string() for name in names},
            null_values=[""],
            strings_can_be_null=True,
        )
    dataset = ray_data.read_csv(paths, **options)
    dataset.context.execution_options.preserve_order = True
    return dataset


def _header(paths: Union[str, list[str]], read_options: Any, parse_options: Any) -> list[str]:
    """The column names of the first CSV file under ``paths`` (a file, a folder or a list of
    them, local or a URI pyarrow's file systems open)."""
    csv = load("pyarrow.csv", "pyarrow")
    fs = load("pyarrow.fs", "pyarrow")

    first = paths if isinstance(paths, str) else paths[0]
    filesystem, path = fs.FileSystem.from_uri(first) if "://" in first else (
        fs.LocalFileSystem(),
        first,
    )
    if filesystem.get_file_info(path).type == fs.FileType.Directory:
        files = filesystem.get_file_info(fs.FileSelector(path, recursive=True))
        found = sorted(f.path for f in files if f.type == fs.FileType.File)
        if not found:
            return []
        path = found[0]
    with filesystem.open_input_stream(path) as stream:
        reader = csv.open_csv(
            stream, read_options=read_options, parse_options=parse_options
        )
        return list(reader.schema.names)


def evaluate(
    scheme: Scheme,
    dataset: Any,
    *,
    strict: bool = False,
    ignore_unknown: bool = False,
    decimal: Literal[".", ","] = ".",
    decimals: Union[int, Literal["float"]] = 10,
    criteria: bool = True,
    rank: bool = True,
) -> Any:
    """Scores every row of a Ray Dataset of units (a ``unit`` column, an optional
    ``period``, a column per indicator) in Ray tasks.

    Returns a materialized Dataset with ``row`` (the row's number in ``dataset``, from 1, in
    the order of its blocks: the rows errors name) and then the columns of
    ``evaluate_frame``, equal to ``scheme.evaluate_frame`` on the whole dataset in one
    process, ranks included, in the dataset's order. Every block has one schema:
    ``decimals`` is a fixed scale (0–28) or ``"float"``. ``rank=False`` skips the ranking
    step (``rank`` is null). The other keywords are ``evaluate_frame``'s.
    """
    ray = load("ray", "ray")
    ray_data = load("ray.data", "ray")

    check_decimals(decimals)
    schema = fixed_schema(scheme, decimals, criteria, rank=False)
    settings: dict[str, Any] = dict(
        strict=strict,
        ignore_unknown=ignore_unknown,
        decimal=decimal,
        decimals=decimals,
        criteria=criteria,
        rank=False,
    )
    # Tasks of this module's functions (ray pickles them by reference: workers import them).
    num_rows, score, ranks = ray.remote(_num_rows), ray.remote(_score), ray.remote(_rank)
    to_narrow, apply = ray.remote(narrow), ray.remote(apply_ranks)
    blocks = dataset.to_arrow_refs()
    sizes = ray.get([num_rows.remote(block) for block in blocks])
    starts = [1]
    for size in sizes[:-1]:
        starts.append(starts[-1] + size)
    scored = [
        score.remote(scheme, block, first_row, settings, schema)
        for block, first_row in zip(blocks, starts)
    ]
    if rank and scored:
        narrows = [to_narrow.remote(part, first, schema) for part, first in zip(scored, starts)]
        ranked = ranks.options(num_returns=len(narrows)).remote(scheme, *narrows)
        if len(narrows) == 1:
            ranked = [ranked]
        figures = [name for name in schema.names if name not in LABELS]
        scored = [apply.remote(part, part_ranks, figures) for part, part_ranks in zip(scored, ranked)]
    if not scored:
        pa = load("pyarrow", "pyarrow")
        return ray_data.from_arrow(pa.Table.from_batches([], schema=schema))
    return ray_data.from_arrow_refs(scored)


def _num_rows(block: Any) -> int:
    return int(block.num_rows)


def _score(scheme: Scheme, block: Any, first_row: int, settings: dict[str, Any], schema: Any) -> Any:
    scored = scheme.evaluate_frame(block, first_row=first_row, **settings)
    return with_rows(scored, first_row).cast(schema)


def _rank(scheme: Scheme, *parts: Any) -> Any:
    ranked = rank_parts(scheme, *parts)
    return ranked[0] if len(ranked) == 1 else ranked
