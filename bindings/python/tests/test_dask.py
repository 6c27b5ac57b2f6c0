"""A real Dask cluster of worker processes scores a partitioned frame exactly as one process
does: `parscore.dask.evaluate` every column, ranks included, on units whose periods are
scattered through every partition; the raw `map_partitions` recipe every column but ranks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import parscore
import scattered_units

from conftest import EXAMPLES, engine

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")
dd = engine("dask.dataframe", "dask[dataframe,distributed]")
distributed = engine("distributed", "dask[dataframe,distributed]")
import parscore.dask  # noqa: E402  (after the engine, which it needs)


@pytest.fixture(scope="module")
def client() -> Any:
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    ) as cluster, distributed.Client(cluster) as client:
        yield client


def scored(scheme: parscore.Scheme, paths: list[Path], **settings: Any) -> Any:
    units = parscore.dask.read_csv([str(p) for p in paths], blocksize=20_000)
    assert units.npartitions >= 6  # every period in several partitions
    result = parscore.dask.evaluate(scheme, units, **settings).compute()
    return pa.Table.from_pandas(result, preserve_index=False)


@pytest.mark.parametrize("ranking", ["reported", "tie-break"])
def test_evaluate_equals_one_process(client: Any, scattered: list[Path], ranking: str) -> None:
    scheme = (
        parscore.Scheme.builtin("lang-son-snn-2024")
        if ranking == "reported"
        else scattered_units.ranking_scheme()
    )
    one = scheme.evaluate_frame(scattered_units.read_whole(scattered), decimals=10)
    got = scored(scheme, scattered)
    assert scattered_units.differences(one, got) == {}
    assert "error" in one.column("status").to_pylist()
    assert any("already given" in (e or "") for e in one.column("error").to_pylist())


def test_pandas_choices_and_no_ranks(client: Any, scattered: list[Path]) -> None:
    scheme = parscore.Scheme.builtin("lang-son-snn-2024")
    units = parscore.dask.read_csv([str(p) for p in scattered], blocksize=20_000)
    arrow = parscore.dask.evaluate(scheme, units, rank=False).compute()
    assert isinstance(arrow["index"].dtype, pd.ArrowDtype)
    assert arrow["rank"].isna().all()
    objects = parscore.dask.evaluate(scheme, units, dtype_backend="numpy_nullable").compute()
    one = scheme.evaluate_frame(scattered_units.read_whole(scattered).to_pandas(), decimals=10)
    assert objects["index"].tolist() == one["index"].tolist()
    with pytest.raises(ValueError, match="fixed scale"):
        parscore.dask.evaluate(scheme, units, decimals="exact")  # type: ignore[arg-type]


def test_map_partitions_equals_one_process_but_for_ranks(
    client: Any, scheme: parscore.Scheme
) -> None:
    one = pd.read_csv(EXAMPLES / "units-2024.csv", keep_default_na=False, na_values=[""])
    frame = pd.concat([one.assign(unit=one["unit"] + f" #{i}") for i in range(8)], ignore_index=True)
    frame.loc[7, "survey_points"] = 25  # one bad row, which must stay in its place
    local = scheme.evaluate_frame(frame)

    parts = dd.from_pandas(frame, npartitions=4)
    meta = scheme.evaluate_frame(frame.head(0))
    distributed_result = parts.map_partitions(scheme.evaluate_frame, meta=meta).compute()

    assert client.run(lambda: __import__("os").getpid()).keys()  # real worker processes
    assert list(distributed_result.index) == list(local.index)
    columns = [c for c in local.columns if c != "rank"]
    assert distributed_result[columns].equals(local[columns])
    assert distributed_result.loc[7, "status"] == "error"


def test_results_and_errors_travel_back(client: Any, scheme: parscore.Scheme, example_rows: list[Any]) -> None:
    results = client.submit(scheme.evaluate_many, example_rows).result()
    assert results == scheme.evaluate_many(example_rows)
    future = client.submit(scheme.evaluate, {"unit": "a", "survey_points": "abc"})
    with pytest.raises(parscore.InputError) as raised:
        future.result()
    assert raised.value.indicator == "survey_points"
