"""What the Spark, Ray and Dask helpers share: the schema they declare, the row numbers they
add and the checks of their arguments. Not public; pyarrow is imported where needed."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from parscore import Scheme

#: The columns of a scored row that are not its figures.
LABELS = ("row", "unit", "period", "status", "error")

def load(module: str, package: str) -> Any:
    """An engine's module (or pyarrow's), imported when a helper is first used: none of them
    is a dependency of parscore."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise ModuleNotFoundError(
            f"{module} is needed here and is not installed: pip install {package}"
        ) from error


def check_decimals(decimals: Any) -> None:
    """A distributed run declares its schema before any row is scored, and every batch must
    have it: decimals at a fixed scale (or floats), never each batch's own."""
    fixed = isinstance(decimals, int) and not isinstance(decimals, bool) and 0 <= decimals <= 28
    if not fixed and decimals != "float":
        raise ValueError(
            "a distributed run needs decimals at a fixed scale (0–28) or \"float\", so that "
            f"every batch has one schema; not {decimals!r}"
        )


def fixed_schema(scheme: Scheme, decimals: Any, criteria: bool, rank: bool = True) -> Any:
    """The pyarrow schema of a helper's result: ``row``, then ``evaluate_frame``'s columns
    (with ``rank=False``, those of a part scored without ranks: ``rank_key`` last under a
    scheme whose ``[ranking]`` breaks ties)."""
    pa = load("pyarrow", "pyarrow")

    schema = scheme.output_schema(decimals, criteria=criteria, rank=rank)
    return pa.schema([pa.field("row", pa.int64(), nullable=False), *schema])


def with_rows(scored: Any, first_row: int) -> Any:
    """A scored pyarrow batch or table with ``row`` first: its rows numbered from
    ``first_row``."""
    pa = load("pyarrow", "pyarrow")

    rows = pa.array(range(first_row, first_row + scored.num_rows), pa.int64())
    field = pa.field("row", pa.int64(), nullable=False)
    if isinstance(scored, pa.RecordBatch):
        return pa.RecordBatch.from_arrays(
            [rows, *scored.columns], schema=pa.schema([field, *scored.schema])
        )
    return scored.add_column(0, field, rows)


def workers_lack_parscore(error: BaseException) -> bool:
    """Whether an engine's error says its Python workers could not import parscore."""
    return "No module named 'parscore'" in str(error)


#: The columns ``Scheme.rank`` reads and writes, gathered from every part of a run
#: (``rank_key`` only under a scheme whose ``[ranking]`` breaks ties).
NARROW = ("row", "unit", "period", "status", "error", "index", "rank_key")


def narrow(scored: Any, first_row: int, schema: Any) -> Any:
    """The columns of a scored part (pyarrow or pandas) that ranking needs, as a pyarrow
    table of one schema for every part (that of ``schema``), ``row`` numbered from
    ``first_row``."""
    pa = load("pyarrow", "pyarrow")

    names = [name for name in NARROW[1:] if name in schema.names]
    if not isinstance(scored, (pa.Table, pa.RecordBatch)):
        scored = pa.Table.from_pandas(scored[names], preserve_index=False)
    rows = pa.array(range(first_row, first_row + scored.num_rows), pa.int64())
    arrays = [rows, *(scored.column(name).cast(schema.field(name).type) for name in names)]
    return pa.Table.from_arrays(arrays, schema=pa.schema([schema.field(n) for n in ["row", *names]]))


def rank_parts(scheme: Scheme, *parts: Any) -> list[Any]:
    """``scheme.rank`` over the narrow columns of every part of a run, split back into the
    parts: one ranked table per part, in order."""
    pa = load("pyarrow", "pyarrow")

    ranked = scheme.rank(pa.concat_tables(parts))
    out, start = [], 0
    for part in parts:
        out.append(ranked.slice(start, part.num_rows))
        start += part.num_rows
    return out


def apply_ranks(scored: Any, ranked: Any, figures: list[str]) -> Any:
    """A scored part (pyarrow or pandas) with the ranks of the whole run, and the rows the
    whole run refuses as repeats turned into errors (their figures null)."""
    pa = load("pyarrow", "pyarrow")

    from parscore import _frames

    if isinstance(scored, (pa.Table, pa.RecordBatch)):
        library = "pyarrow.RecordBatch" if isinstance(scored, pa.RecordBatch) else "pyarrow"
        before = scored.column("error").to_pylist()
    else:
        library = "pandas"
        errors = scored["error"]
        before = [None if gap else e for gap, e in zip(errors.isna().tolist(), errors.tolist())]
    after = ranked.column("error").to_pylist()
    # The rows the whole run refuses (a repeat's message replaces any other).
    changed = [position for position, (old, new) in enumerate(zip(before, after)) if old != new]
    messages = [after[position] for position in changed]
    ranks = pa.table({"rank": ranked.column("rank")})
    return _frames.rank_output(scored, library, ranks, changed, messages, figures)
