"""Units whose periods are scattered through several CSV files, as an engine reads them.

The distributed tests and `benches/engines_compare.py` score this data on Spark, Ray and Dask
and compare every column with one process. Each period's units are spread over every file
(and so over every batch, block and partition), in Vietnamese: unit and period names with
diacritics, some written decomposed (NFD), yes/no as `có`/`không`/`x`, `n/a` for a rate
with nothing to count, empty cells for missing values. Some rows are bad: a value that is no
number, a value out of range, a row without a unit, and a unit repeated within its period in
another file (once in the other Unicode form), which one process refuses as a repeat.
"""

from __future__ import annotations

import csv
import random
import unicodedata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[3]
TEMPLATES = REPO / "examples" / "data" / "units-2024.csv"


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def _percent(rng: random.Random, low: int, high: int) -> str:
    tenths = rng.randint(low * 10, high * 10)
    return f"{tenths // 10}.{tenths % 10}" if tenths % 10 else str(tenths // 10)


def rows(units: int, periods: int, seed: int = 28) -> tuple[list[str], list[list[str]]]:
    """The header and `units` rows (plus the repeats), shuffled, every cell as text."""
    rng = random.Random(seed)
    with TEMPLATES.open(encoding="utf-8", newline="") as file:
        reader = csv.reader(file)
        header = next(reader)
        templates = list(reader)
    column = {name: i for i, name in enumerate(header)}
    labels = [f"Kỳ đánh giá {p + 1:03d}" for p in range(periods)]
    out: list[list[str]] = []
    for u in range(units):
        row = list(templates[u % len(templates)])
        period = labels[u % periods]
        unit = f"Đơn vị số {u // periods + 1} — Phòng Tư pháp"
        # A tenth of the labels decomposed: one unit and one period whichever form is typed.
        row[column["unit"]] = _nfd(unit) if rng.random() < 0.1 else unit
        row[column["period"]] = _nfd(period) if rng.random() < 0.1 else period
        cents = rng.randint(1200, 2000)
        row[column["survey_points"]] = f"{cents // 100}.{cents % 100:02d}"
        resolved = rng.randint(200, 5000)
        row[column["dossiers_resolved"]] = str(resolved)
        row[column["dossiers_on_time"]] = str(resolved - rng.randint(0, resolved // 40))
        row[column["disbursement_rate"]] = _percent(rng, 30, 100)
        row[column["online_full_services_rate"]] = _percent(rng, 80, 100)
        row[column["tthc_online_payment_rate"]] = _percent(rng, 40, 100)
        row[column["reports_on_time"]] = rng.choice(["có", "không", "x", "true", ""])
        row[column["par_news_posted"]] = rng.choice(["có", "không"])
        for rate in ("feedback_handled_rate", "feedback_answers_published_rate"):
            if rng.random() < 0.15:
                row[column[rate]] = "n/a"  # nothing to count: not applicable, never missing
        if rng.random() < 0.05:
            row[column["training_plan_completion_rate"]] = ""  # missing
        out.append(row)
    bad = max(1, units // 200)
    for k in range(bad):
        row = out[rng.randrange(units)]
        kind = k % 3
        if kind == 0:
            row[column["survey_points"]] = "abc"
        elif kind == 1:
            row[column["disbursement_rate"]] = "101"
        else:
            row[column["unit"]] = ""
    for k in range(bad):
        repeat = list(out[rng.randrange(units)])
        if k % 2:
            repeat[column["unit"]] = _nfd(unicodedata.normalize("NFC", repeat[column["unit"]]))
        repeat[column["survey_points"]] = "19.99"
        out.append(repeat)
    rng.shuffle(out)
    return header, out


def write_files(
    directory: Path, units: int, periods: int, files: int = 4, seed: int = 28
) -> list[Path]:
    """The rows written to `files` CSV files of about equal length, named in their order."""
    header, table = rows(units, periods, seed)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    size = -(-len(table) // files)
    for f in range(files):
        path = directory / f"units-{f + 1}.csv"
        with path.open("w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(header)
            writer.writerows(table[f * size : (f + 1) * size])
        paths.append(path)
    return paths


def read_whole(paths: list[Path]) -> Any:
    """The files read in their order as one table, every cell as text, `n/a` kept: what one
    process scores."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    with paths[0].open(encoding="utf-8", newline="") as file:
        names = next(csv.reader(file))
    options = pcsv.ConvertOptions(
        column_types={name: pa.string() for name in names},
        null_values=[""],
        strings_can_be_null=True,
    )
    return pa.concat_tables(pcsv.read_csv(path, convert_options=options) for path in paths)


def ranking_scheme() -> Any:
    """The built-in scheme with a `[ranking]` that breaks ties: exact ties, then more points
    in area VIII, then in area II."""
    import parscore

    text = parscore.Scheme.builtin("lang-son-snn-2024").to_toml()
    return parscore.Scheme.from_toml(
        text + '\n[ranking]\nties = "exact"\ntie_break = ["VIII", "II"]\n'
    )


def differences(one: Any, got: Any) -> dict[str, int]:
    """How many rows differ in each of `one`'s columns (`got` in the same row order); empty
    when every column is equal, values and types alike."""
    found = {}
    if got.num_rows != one.num_rows:
        found["(rows)"] = abs(got.num_rows - one.num_rows)
    for field in one.schema:
        if field.name not in got.schema.names:
            found[field.name] = one.num_rows
            continue
        column = got.column(field.name)
        if column.type != field.type:
            found[f"{field.name} ({column.type} for {field.type})"] = one.num_rows
            continue
        mine, theirs = one.column(field.name).to_pylist(), column.to_pylist()
        wrong = sum(a != b for a, b in zip(mine, theirs))
        if wrong:
            found[field.name] = wrong
    return found
