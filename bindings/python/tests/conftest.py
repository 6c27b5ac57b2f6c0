"""Shared fixtures: the built-in scheme, the example units and the golden cases."""

from __future__ import annotations

import importlib
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import parscore

REPO = Path(__file__).resolve().parents[3]
GOLDEN = REPO / "tests" / "golden"
EXAMPLES = REPO / "examples" / "data"
BUILTIN = "lang-son-snn-2024"


def read_rows(path: Path) -> list[Any]:
    """Rows of a JSON array or of JSON lines, numbers kept exact as Decimal."""
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("["):
        rows: list[Any] = json.loads(text, parse_float=Decimal)
        return rows
    return [json.loads(line, parse_float=Decimal) for line in text.splitlines() if line.strip()]


def load_document(path: Path) -> Any:
    """A results document as `to_dict()` gives it: decimals as Decimal, counts as int."""
    return json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)


@pytest.fixture(scope="session")
def scheme() -> parscore.Scheme:
    return parscore.Scheme.builtin(BUILTIN)


@pytest.fixture(scope="session")
def example_rows() -> list[Any]:
    return read_rows(EXAMPLES / "units-2024.json")


@pytest.fixture()
def unit_values(example_rows: list[Any]) -> dict[str, Any]:
    """The first example unit, a fresh copy per test."""
    return dict(example_rows[0])


def engine(module: str, package: str) -> Any:
    """Imports a distributed engine's module, or skips the test saying which package is
    missing; with PARSCORE_REQUIRE_ENGINES=1 (as CI sets it) a missing engine fails."""
    if os.environ.get("PARSCORE_REQUIRE_ENGINES") == "1":
        return importlib.import_module(module)
    return pytest.importorskip(
        module, reason=f"{package} is not installed (pip install {package}; CI installs it)"
    )


@pytest.fixture(scope="session")
def scattered(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """600 units in 12 periods, scattered through 4 CSV files (see scattered_units)."""
    import scattered_units

    return scattered_units.write_files(tmp_path_factory.mktemp("scattered"), 600, 12)
