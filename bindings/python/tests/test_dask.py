"""A real Dask cluster of worker processes scores a partitioned frame exactly as one process
does. Ranks are per call, so per partition; every other column must be equal."""

from __future__ import annotations

from typing import Any

import pytest

import parscore

from conftest import EXAMPLES

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client() -> Any:
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    ) as cluster, distributed.Client(cluster) as client:
        yield client


def test_map_partitions_equals_one_process(client: Any, scheme: parscore.Scheme) -> None:
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
