"""Moves tables between parscore's native Arrow tables and pandas, polars and pyarrow.

Every frame library is optional: each is imported only when a frame of its kind is given
or asked for. The native module calls these functions; they are not public.
"""

from __future__ import annotations

import decimal
import math
from typing import Any

from parscore._errors import InputError

_INSTALL = {
    "pandas": "pip install 'parscore[pandas]'",
    "polars": "pip install 'parscore[polars]'",
    "pyarrow": "pip install 'parscore[arrow]'",
}


def _require(module: str, purpose: str) -> Any:
    try:
        return __import__(module)
    except ImportError as error:
        extra = _INSTALL.get(purpose, _INSTALL["pyarrow"])
        raise ModuleNotFoundError(f"{purpose} needs {module}: {extra}") from error


def arrow_input(frame: Any, purpose: str = "evaluate_frame") -> tuple[Any, str]:
    """The frame as an Arrow stream, and the library to give the results back in.

    ``purpose`` names the caller in the errors.
    """
    library = type(frame).__module__.partition(".")[0]
    if library == "pandas":
        if not hasattr(frame, "columns"):
            raise TypeError(f"{purpose} takes a DataFrame, not a {type(frame).__name__}")
        pa = _require("pyarrow", "pandas")
        # An analyst's frame is often indexed by unit: read those levels as columns.
        levels = [name for name in frame.index.names if name in ("unit", "period")]
        _refuse_repeated_columns(list(frame.columns) + levels)
        if levels:
            frame = frame.reset_index(level=levels)
        # preserve_index=False: the index is not an indicator, and is put back on the result.
        try:
            try:
                return pa.Table.from_pandas(frame, preserve_index=False), "pandas"
            except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, OverflowError):
                # A column mixing numbers and text ("n/a", "987/1000"), as read from a
                # spreadsheet, or holding what Arrow has no type for (an int beyond 64 bits,
                # lists beside numbers), has no Arrow type: its cells are read as a file's
                # cells are, each failing its own row when it is no value.
                mixed = {c: frame[c].map(_cell_text) for c in frame.select_dtypes("object")}
                frame = frame.assign(**mixed)
                return pa.Table.from_pandas(frame, preserve_index=False), "pandas"
        except UnicodeEncodeError:
            _refuse_surrogates(frame)
            raise
    if library == "polars":
        if not hasattr(frame, "__arrow_c_stream__"):
            raise TypeError(
                f"{purpose} takes a polars DataFrame, not a {type(frame).__name__}"
                " (call .collect() on a LazyFrame first)"
            )
        # A column with no value at all (all None, or no rows) has polars' Null type, whose
        # Arrow export the C data interface does not read: as text it is the same missing
        # cells.
        empty = [name for name, dtype in frame.schema.items() if str(dtype) == "Null"]
        if empty:
            pl = _require("polars", "polars")
            frame = frame.with_columns(pl.col(name).cast(pl.String) for name in empty)
        return frame, "polars"
    if library == "pyarrow":
        pa = _require("pyarrow", "pyarrow")
        if isinstance(frame, pa.RecordBatch):
            return frame, "pyarrow.RecordBatch"
        return frame, "pyarrow"
    if hasattr(frame, "__arrow_c_stream__") or hasattr(frame, "__arrow_c_array__"):
        return frame, "arrow"
    raise TypeError(
        f"{purpose} takes a pandas, polars or pyarrow table, or any object with "
        f"__arrow_c_stream__; got {type(frame).__name__}"
        + (" (use evaluate_many for dicts)" if purpose == "evaluate_frame" else "")
    )


def arrow_output(table: Any, library: str, frame: Any, dtype_backend: str | None = None) -> Any:
    """``table`` (a native Arrow table) in the library ``frame`` came in; a pandas frame with
    ``dtype_backend`` (see ``convert``)."""
    if library == "pandas":
        result = convert(table, "pandas", dtype_backend)
        result.index = frame.index
        # Columns read from the index are in it again: a frame indexed by unit stays so.
        from_index = [name for name in frame.index.names if name in ("unit", "period")]
        return result.drop(columns=from_index)
    if library == "pyarrow.RecordBatch":
        pa = _require("pyarrow", "pyarrow")
        arrow = _read(pa, table).combine_chunks()
        batches = arrow.to_batches()
        return batches[0] if batches else pa.RecordBatch.from_pylist([], schema=arrow.schema)
    if library == "arrow":
        try:
            return convert(table, "pyarrow")
        except ModuleNotFoundError:
            # Without pyarrow the native table itself still speaks the Arrow C stream protocol.
            return table
    return convert(table, library)


def convert(table: Any, library: str, dtype_backend: str | None = None) -> Any:
    """A native Arrow table as a pandas, polars or pyarrow table.

    pandas columns follow pandas' ``dtype_backend``: ``"pyarrow"`` keeps every column in
    Arrow (``pandas.ArrowDtype``: decimals stay Arrow decimals, no Python object per value);
    otherwise (``None``, ``"numpy_nullable"``) decimals become ``decimal.Decimal`` objects
    and ranks and verdicts pandas' nullable ``Int64`` and ``boolean``.
    """
    if library == "polars":
        pl = _require("polars", "polars")
        return pl.DataFrame(table)
    if library == "pandas":
        pd = _require("pandas", "pandas")
        pa = _require("pyarrow", "pandas")
        arrow = _read(pa, table)
        if dtype_backend == "pyarrow":
            return arrow.to_pandas(types_mapper=pd.ArrowDtype)
        nullable = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}
        # Ranks and verdicts keep their nulls as pandas' nullable integer and boolean types
        # instead of turning float; decimal columns become decimal.Decimal objects.
        frame = arrow.to_pandas(types_mapper=nullable.get)
        for field in arrow.schema:
            if pa.types.is_decimal(field.type):
                # An Arrow column has one scale, so 0.5 next to a 28-place value reads
                # 0.5000…0 and zero reads 0E-28; each value gets its own digits back. The
                # wide context keeps normalize() from rounding any of them.
                frame[field.name] = frame[field.name].map(_normal, na_action="ignore")
        return frame
    pa = _require("pyarrow", "pyarrow")
    return _read(pa, table)


def rank_input(frame: Any) -> tuple[Any, str]:
    """The columns ``Scheme.rank`` reads (those of ``unit``, ``period``, ``status``,
    ``index`` and ``row`` the frame has) as an Arrow stream, and the frame's library."""
    wanted = ("unit", "period", "status", "index", "row", "rank_key")
    library = type(frame).__module__.partition(".")[0]
    if library == "pandas" and hasattr(frame, "columns"):
        pa = _require("pyarrow", "pandas")
        levels = [name for name in frame.index.names if name in ("unit", "period")]
        if levels:
            frame = frame.reset_index(level=levels)
        _refuse_repeated_columns(list(frame.columns))
        narrow = frame[[c for c in frame.columns if c in wanted]]
        return pa.Table.from_pandas(narrow, preserve_index=False), "pandas"
    if library == "polars" and hasattr(frame, "select"):
        return frame.select([c for c in frame.columns if c in wanted]), "polars"
    if library == "pyarrow" and hasattr(frame, "select"):
        pa = _require("pyarrow", "pyarrow")
        _refuse_repeated_columns(list(frame.schema.names))
        kind = "pyarrow.RecordBatch" if isinstance(frame, pa.RecordBatch) else "pyarrow"
        return frame.select([c for c in frame.schema.names if c in wanted]), kind
    raise TypeError(f"rank takes a pandas, polars or pyarrow table; got {type(frame).__name__}")


def rank_output(
    frame: Any,
    library: str,
    ranks: Any,
    refused: list[int],
    errors: list[str],
    figures: list[str],
) -> Any:
    """``frame`` with its ``rank`` column set to ``ranks`` (a native one-column table, one
    rank per row) and each row of ``refused`` (0-based positions) turned into an error:
    ``status`` ``"error"``, its message in ``error``, every column of ``figures`` null.
    ``rank_key``, which ``evaluate_frame(rank=False)`` writes for ranking only, is taken
    away."""
    if library == "pandas":
        pd = _require("pandas", "pandas")
        arrow_ranks = isinstance(frame.dtypes.get("rank"), pd.ArrowDtype)
        column = convert(ranks, "pandas", "pyarrow" if arrow_ranks else None)["rank"]
        result = frame.copy(deep=bool(refused))
        result["rank"] = column.set_axis(frame.index)
        if refused:
            positions = list(refused)
            for name in figures:
                if name in result.columns and name != "rank":
                    result.iloc[positions, result.columns.get_loc(name)] = None
            if "status" in result.columns:
                result.iloc[positions, result.columns.get_loc("status")] = "error"
            if "error" in result.columns:
                for position, message in zip(positions, errors):
                    result.iloc[position, result.columns.get_loc("error")] = message
        return result.drop(columns=[c for c in result.columns if c == "rank_key"])
    if library == "polars":
        pl = _require("polars", "polars")
        result = frame.with_columns(convert(ranks, "polars")["rank"])
        if refused:
            flags = [False] * result.height
            messages: list[str | None] = [None] * result.height
            for position, message in zip(refused, errors):
                flags[position], messages[position] = True, message
            mask = pl.Series(flags)
            updates = [
                pl.when(mask).then(None).otherwise(pl.col(name)).alias(name)
                for name in figures
                if name in result.columns and name != "rank"
            ]
            if "status" in result.columns:
                updates.append(pl.when(mask).then(pl.lit("error")).otherwise(pl.col("status")).alias("status"))
            if "error" in result.columns:
                updates.append(
                    pl.when(mask).then(pl.Series(messages, dtype=pl.String)).otherwise(pl.col("error")).alias("error")
                )
            result = result.with_columns(updates)
        return result.drop([c for c in result.columns if c == "rank_key"])
    pa = _require("pyarrow", "pyarrow")
    pc = __import__("pyarrow.compute").compute
    table = pa.Table.from_batches([frame]) if library == "pyarrow.RecordBatch" else frame
    column = _read(pa, ranks).column("rank")
    names = table.schema.names
    table = (
        table.set_column(names.index("rank"), "rank", column)
        if "rank" in names
        else table.append_column("rank", column)
    )
    if refused:
        flags = [False] * table.num_rows
        messages = [None] * table.num_rows
        for position, message in zip(refused, errors):
            flags[position], messages[position] = True, message
        mask = pa.array(flags)
        for name in table.schema.names:
            if name in figures and name != "rank":
                old = table.column(name)
                new = pc.if_else(mask, pa.nulls(len(old), old.type), old)
            elif name == "status":
                new = pc.if_else(mask, pa.scalar("error", table.schema.field(name).type), table.column(name))
            elif name == "error":
                new = pc.if_else(mask, pa.array(messages, table.schema.field(name).type), table.column(name))
            else:
                continue
            table = table.set_column(table.schema.names.index(name), name, new)
    table = table.select([name for name in table.schema.names if name != "rank_key"])
    if library == "pyarrow.RecordBatch":
        batches = table.combine_chunks().to_batches()
        return batches[0] if batches else pa.RecordBatch.from_pylist([], schema=table.schema)
    return table


def _read(pa: Any, table: Any) -> Any:
    """A native Arrow table as a pyarrow table, through its C stream. ``pa.table`` would
    first ask whether it is a pandas frame, which imports pandas on a first call."""
    return pa.RecordBatchReader.from_stream(table).read_all()


def _refuse_repeated_columns(names: list[Any]) -> None:
    """A column given twice (pandas allows it) is refused, as a file's header would be."""
    seen: dict[Any, int] = {}
    for position, name in enumerate(names, start=1):
        if name in seen:
            raise InputError(
                f"column `{name}` is given twice in the table (columns {seen[name]} and "
                f"{position})",
                kind="row",
                indicator=name if isinstance(name, str) and name not in ("unit", "period") else None,
            )
        seen[name] = position


def _refuse_surrogates(frame: Any) -> None:
    """Names the first text cell (or column name) that holds a lone surrogate, which no
    file can hold and Arrow refuses."""
    advice = (
        "it holds a lone surrogate, which is not valid Unicode (decode the source with "
        'errors="replace" or fix its encoding)'
    )
    for position, name in enumerate(frame.columns):
        if isinstance(name, str) and not _encodes(name):
            raise InputError(f"column {position + 1}: the name {name!r}: {advice}", kind="row")
        for row, value in enumerate(frame.iloc[:, position], start=1):
            if isinstance(value, str) and not _encodes(value):
                raise InputError(
                    f"row {row}: column `{name}`: the text {value!r}: {advice}",
                    kind="invalid_value" if name not in ("unit", "period") else "row",
                    row=row,
                    indicator=name if name not in ("unit", "period") else None,
                )


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _cell_text(value: Any) -> Any:
    """A cell of a mixed column as text: floats by their shortest repr (str of a float is
    its repr), missing values (None, NaN, pandas.NA) as None."""
    if value is None or type(value).__name__ == "NAType":
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value if isinstance(value, str) else str(value)


_WIDE = decimal.Context(prec=80)
_ONE = decimal.Decimal(1)


def _normal(value: decimal.Decimal) -> decimal.Decimal:
    """The value's own digits: 0.5, 2, 100 (normalize() alone would write 1E+2)."""
    value = value.normalize(_WIDE)
    if value.as_tuple().exponent > 0:  # type: ignore[operator]
        return value.quantize(_ONE, context=_WIDE)
    return value



def frame_rows(frame: Any, purpose: str) -> Any:
    """A table's rows as mappings (numbers in their own Python types, decimal columns as
    ``Decimal``), for the entry points that score rows one by one; ``None`` when ``frame``
    is no table, so that the caller reads it as an iterable of mappings."""
    library = type(frame).__module__.partition(".")[0]
    tabular = library in ("pandas", "polars", "pyarrow") and hasattr(frame, "columns")
    if not tabular and not (
        hasattr(frame, "__arrow_c_stream__") or hasattr(frame, "__arrow_c_array__")
    ):
        return None
    stream, _ = arrow_input(frame, purpose)
    pa = _require("pyarrow", "pyarrow")
    if isinstance(stream, pa.RecordBatch):
        table = pa.Table.from_batches([stream])
    elif isinstance(stream, pa.Table):
        table = stream
    elif hasattr(stream, "__arrow_c_stream__"):
        table = pa.RecordBatchReader.from_stream(stream).read_all()
    else:
        table = pa.Table.from_batches([pa.record_batch(stream)])
    return table.to_pylist()
