"""A local Ray cluster of 2 CPUs scores a Dataset exactly as one process does:
`parscore.ray.evaluate` every column, ranks included, on units whose periods are scattered
through every block, read with `parscore.ray.read_csv` (which keeps `n/a`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import parscore
import scattered_units

from conftest import engine

pa = pytest.importorskip("pyarrow")
ray = engine("ray", "ray")
engine("ray.data", "ray")
import parscore.ray  # noqa: E402  (after the engine, which it needs)


@pytest.fixture(scope="module")
def cluster() -> Any:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


def scored(scheme: parscore.Scheme, paths: list[Path], **settings: Any) -> Any:
    units = parscore.ray.read_csv([str(p) for p in paths], override_num_blocks=8)
    result = parscore.ray.evaluate(scheme, units, **settings)
    table = pa.concat_tables(ray.get(result.to_arrow_refs()))
    assert table.column("row").to_pylist() == list(range(1, table.num_rows + 1))
    return table.drop_columns(["row"])


@pytest.mark.parametrize("ranking", ["reported", "tie-break"])
def test_evaluate_equals_one_process(cluster: Any, scattered: list[Path], ranking: str) -> None:
    scheme = (
        parscore.Scheme.builtin("lang-son-snn-2024")
        if ranking == "reported"
        else scattered_units.ranking_scheme()
    )
    one = scheme.evaluate_frame(scattered_units.read_whole(scattered), decimals=10)
    assert scattered_units.differences(one, scored(scheme, scattered)) == {}


def test_pyarrows_default_reader_loses_not_applicable(cluster: Any, scattered: list[Path]) -> None:
    """What `read_csv` guards against: `ray.data.read_csv` as it is reads `n/a` as null."""
    blocks = ray.get(ray.data.read_csv([str(p) for p in scattered]).to_arrow_refs())
    # Each block typed from its own rows, and `n/a` gone: a missing value.
    rates = [block.column("feedback_handled_rate") for block in blocks]
    assert all("n/a" not in rate.to_pylist() for rate in rates)
    assert sum(rate.null_count for rate in rates) > 0
    units = parscore.ray.read_csv([str(p) for p in scattered])
    kept = pa.concat_tables(ray.get(units.to_arrow_refs())).column("feedback_handled_rate")
    assert "n/a" in kept.to_pylist()
    assert set(kept.to_pylist()) - {None, "n/a"}  # the rates themselves, as text


def test_no_ranks_and_fixed_scale(cluster: Any, scattered: list[Path]) -> None:
    scheme = parscore.Scheme.builtin("lang-son-snn-2024")
    table = scored(scheme, scattered, rank=False, decimals=4)
    assert table.column("rank").null_count == table.num_rows
    assert table.schema.field("index").type == pa.decimal128(38, 4)
    with pytest.raises(ValueError, match="fixed scale"):
        parscore.ray.evaluate(scheme, ray.data.from_items([{"unit": "a"}]), decimals=None)  # type: ignore[arg-type]
