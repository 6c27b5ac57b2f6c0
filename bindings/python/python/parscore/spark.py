"""Scoring a Spark DataFrame, with the answer one process gives for the whole table.

>>> import parscore, parscore.spark
>>> scheme = parscore.Scheme.builtin("lang-son-snn-2024")
>>> units = parscore.spark.read_csv(spark, "units/")          # doctest: +SKIP
>>> scored = parscore.spark.evaluate(scheme, units)           # doctest: +SKIP

Each Arrow batch is scored where it lies (``mapInArrow``), its rows numbered as in the whole
frame, without ranks; the scored rows of each period are then ranked together by
``Scheme.rank`` (``groupBy("period").applyInArrow``), which follows the scheme's whole
``[ranking]`` and refuses a unit repeated within its period across batches. Every column
equals ``scheme.evaluate_frame`` on the whole frame in one process. (Ranking with Spark's
window functions instead took as long in the benchmark's smoke run, and a window cannot
follow a ``[ranking]`` that breaks ties by exact index or tie-break points.)

pyspark (4.0 or later, for ``applyInArrow``) is imported only here, and is not a dependency
of parscore. Spark's Python workers must be able to import parscore: set ``PYSPARK_PYTHON``
to the Python that has it (a virtualenv's ``bin/python``) before the session starts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, Union

from parscore._distributed import (
    check_decimals,
    fixed_schema,
    load,
    with_rows,
    workers_lack_parscore,
)

if TYPE_CHECKING:
    from parscore import Scheme

__all__ = ["evaluate", "read_csv"]


def read_csv(spark: Any, path: Union[str, list[str]], **options: Any) -> Any:
    """CSV files of units read as parscore reads them: every column as text (numbers are read
    exactly from their digits), an empty cell as missing (null), ``n/a`` kept as text, which
    parscore reads as not applicable. ``options`` go to ``spark.read.csv`` and win."""
    settings: dict[str, Any] = {"header": True, "inferSchema": False, "encoding": "UTF-8"}
    settings.update(options)
    return spark.read.csv(path, **settings)


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
) -> Any:
    """Scores every row of a Spark DataFrame of units (a ``unit`` column, an optional
    ``period``, a column per indicator) on Spark's workers.

    Returns a DataFrame with ``row`` (the row's number in ``frame``, from 1, in Spark's order
    of its partitions: the rows errors name) and then the columns of ``evaluate_frame``,
    equal to ``scheme.evaluate_frame`` on the whole frame in one process, ranks included;
    rows come in no particular order (sort by ``row`` for the frame's). ``decimals`` is a
    fixed scale (0–28) or ``"float"``, as Spark needs the schema declared before any row is
    scored. ``rank=False`` skips the ranking step (``rank`` is null). The other keywords
    are ``evaluate_frame``'s.
    """
    check_decimals(decimals)
    settings = dict(
        strict=strict,
        ignore_unknown=ignore_unknown,
        decimal=decimal,
        decimals=decimals,
        criteria=criteria,
        rank=False,
    )
    scored = _score(scheme, frame, settings)
    if not rank:
        return scored
    return _rank_by_groups(scheme, scored, fixed_schema(scheme, decimals, criteria))


def _score(scheme: Scheme, frame: Any, settings: dict[str, Any]) -> Any:
    """Every Arrow batch of ``frame`` scored where it lies, without ranks, its rows numbered
    as in the whole frame (``row`` first)."""
    pa = load("pyarrow", "pyarrow")
    TaskContext = load("pyspark", "pyspark").TaskContext
    F = load("pyspark.sql.functions", "pyspark")
    from_arrow_schema = load("pyspark.sql.pandas.types", "pyspark").from_arrow_schema

    schema = fixed_schema(scheme, settings["decimals"], settings["criteria"], rank=False)

    # The rows of each partition, counted by a Python task that imports parscore, so that
    # workers without it fail here with advice instead of deep in the scoring job.
    def count(batches: Any) -> Any:
        import parscore  # noqa: F401

        rows = sum(batch.num_rows for batch in batches)
        yield pa.RecordBatch.from_pydict(
            {"partition": [TaskContext.get().partitionId()], "rows": [rows]}
        )

    try:
        counted = (
            frame.select(F.lit(0).alias("_"))
            .mapInArrow(count, "partition long, rows long")
            .collect()
        )
    except Exception as error:
        if workers_lack_parscore(error):
            raise ModuleNotFoundError(
                "Spark's Python workers cannot import parscore: start the session with "
                "PYSPARK_PYTHON set to the Python that has it (for a virtualenv, its "
                "bin/python), or install parscore on every worker"
            ) from error
        raise
    sizes = {row["partition"]: row["rows"] for row in counted}
    starts, first = {}, 1
    for partition in sorted(sizes):
        starts[partition] = first
        first += sizes[partition]

    def score(batches: Any) -> Any:
        first_row = starts.get(TaskContext.get().partitionId(), 1)
        for batch in batches:
            scored = scheme.evaluate_frame(batch, first_row=first_row, **settings)
            yield with_rows(scored, first_row)
            first_row += batch.num_rows

    return frame.mapInArrow(score, from_arrow_schema(schema))


def _rank_by_groups(scheme: Scheme, scored: Any, schema: Any) -> Any:
    """Each period's rows ranked together by ``Scheme.rank`` in a Python task of their own
    (``groupBy("period").applyInArrow``): ranks by the scheme's whole ``[ranking]``, and a
    unit repeated within its period refused, as ``evaluate_frame`` does in one call."""
    pa = load("pyarrow", "pyarrow")
    from_arrow_schema = load("pyspark.sql.pandas.types", "pyspark").from_arrow_schema

    # applyInArrow reads columns by name, and a criterion's code ("I.1") would be read as
    # a nested field: the columns travel under plain names and take theirs back after.
    plain = [f"c{i}" for i in range(len(scored.columns))]
    names = list(scored.columns)
    out = pa.schema([field.with_name(f"c{i}") for i, field in enumerate(schema)])

    def rank(table: Any) -> Any:
        ranked = scheme.rank(table.rename_columns(names))
        return ranked.rename_columns(out.names).cast(out)

    grouped = scored.toDF(*plain).groupBy(plain[names.index("period")])
    return grouped.applyInArrow(rank, from_arrow_schema(out)).toDF(*schema.names)
