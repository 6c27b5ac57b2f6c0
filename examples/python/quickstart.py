"""Scores the example units on the built-in 2024 plan of Lạng Sơn's Department of Agriculture
and Rural Development, explains the first unit and says what to fix first.

Run: python examples/python/quickstart.py [UNITS.json]
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

import parscore

DATA = Path(__file__).resolve().parents[1] / "data" / "units-2024.json"


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DATA
    # parse_float=Decimal keeps every number exactly as written in the file.
    rows = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)

    scheme = parscore.Scheme.builtin("lang-son-snn-2024")
    results = scheme.evaluate_many(rows)

    print(f"{'rank':<5}{'unit':<30}{'points':>8}{'index':>8}  grade")
    for row in results.ranking():
        assert row.points is not None
        print(f"{row.rank:<5}{row.unit or '?':<30}{row.points:>8.2f}{row.index!s:>8}  {row.grade}")
    for row in results.errors:
        print(f"{'-':<5}{row.unit or '?':<30}  error: {row.error}")
    print(results.summary)
    # The whole results document as JSON text with exact numbers, for a file or a program.
    document = json.loads(results.to_json(), parse_float=Decimal)
    print(f"results document: {len(document['results'])} units, exact points such as "
          f"{document['results'][0].get('points')}")

    first = results[0].evaluation
    if first is None:
        return
    print()
    print(first.explain())

    print("What to fix first:")
    for fix in first.recoverable()[:3]:
        criterion = fix.criterion
        print(f"  +{fix.points:.2f} {fix.code} {fix.title}")
        print(f"      {criterion.explanation}; lead: {criterion.lead or '-'}")

    # One unit from a dict: a rate may be given as counts, and is then compared exactly.
    one = scheme.evaluate({"unit": "Sở A", "dossiers_on_time": 990, "dossiers_resolved": 1000})
    on_time = one.criterion("III.4.1")
    print()
    print(f"990/1000 on time: passed={on_time.passed}, margin={on_time.margin}")


if __name__ == "__main__":
    main()
