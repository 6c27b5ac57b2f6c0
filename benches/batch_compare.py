#!/usr/bin/env python3
"""Batch evaluation of the built-in plan, parscore against its peers, in one run.

Builds a seeded synthetic workload on `lang-son-snn-2024` (every input indicator of the
scheme as a column: yes/no answers, rates as values and as counts, some missing, some not
applicable, values around each target and exactly on it), writes it once as an Arrow IPC
file, and times on that same table, each tool in a fresh process of its own, once per round
after one untimed run, the tools taking turns round after round (so that load from other work
on a shared machine falls on all of them alike):

- parscore from Rust: `score_table --ipc FILE` (the release example), 1 thread and every core;
- parscore from Python: `Scheme.evaluate_frame(pyarrow_table, criteria=False)` (the headline
  figures, as the Rust row), 1 thread and every core; once more with the points of every
  criterion;
- the same 59 criteria in float64 written as a lean numpy user would (blocks of rows, one
  running total, one sort for the ranks), one core;
- the same criteria as polars lazy expressions (`rank("min").over("period")` for the ranks),
  on one thread (`POLARS_MAX_THREADS=1`) and on every core;
- GoRules zen-engine evaluating the same targets and points as a JDM decision, one context
  at a time, on a subset (its rate is extrapolated, and labelled so);
- a read-only floor: one numpy pass over every input column (what reading the input costs).

It then checks the peers against parscore (the numpy and polars versions' totals, pass/fail
verdicts, reported index, grade and rank; zen's totals, index and grade), and prints a table
of medians and ratios and the goals of the batch-evaluation issue with met / not met.

    .venv/bin/python benches/batch_compare.py                     # 1,000,000 rows, 3 rounds
    .venv/bin/python benches/batch_compare.py --rows 20000 --repeat 1   # a quick smoke run

Measure a release build of the extension (`pip install ./bindings/python`, or
`maturin develop --release`); the script says which build it found.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

ROOT = Path(__file__).resolve().parent.parent
SCHEME_ID = "lang-son-snn-2024"
SEED = 2024
UNITS_PER_PERIOD = 500  # a province's units, ranked within each period or scenario
NULL_SHARE = 0.02


# --------------------------------------------------------------------------- the scheme


@dataclass
class Leaf:
    index: int
    code: str
    indicator: str
    max: Decimal
    rule: dict[str, Any]
    op: str | None = None
    rhs: Any = None  # Decimal, bool, or "@indicator"
    na_full: bool = False


@dataclass
class Group:
    code: str
    children: list[tuple[str, Any]]  # ("leaf", index) or ("group", code)


@dataclass
class Spec:
    indicators: dict[str, dict[str, Any]]
    leaves: list[Leaf]
    groups: list[Group]  # children before parents
    areas: list[tuple[str, Any]]
    grades: list[tuple[str, Decimal]]  # highest first
    places: int
    mode: str

    def leaf_pass_is_full(self, leaf: Leaf) -> bool:
        """Whether "target met" is the same as "full points" for this leaf's rule, so that a
        verdict can be read back from points alone."""
        rule = leaf.rule
        kind = rule["kind"]
        if leaf.op is None:
            return False
        if kind == "threshold":
            return Decimal(rule.get("pass_points", leaf.max)) == leaf.max and Decimal(
                rule.get("fail_points", 0)
            ) != leaf.max
        if kind == "proportional":
            return leaf.op == ">=" and leaf.rhs == Decimal(rule.get("full_at", 100))
        if kind == "bands":
            top = rule["bands"][0]
            return leaf.op == ">=" and leaf.rhs == Decimal(top["min"]) and Decimal(top["points"]) == leaf.max
        if kind == "deduction":
            return leaf.op == "==" and leaf.rhs == 0
        if kind == "boolean":
            return leaf.op == "==" and leaf.rhs is True
        return False


def parse_target(text: str | None) -> tuple[str | None, Any]:
    if not text:
        return None, None
    text = text.strip()
    for op in (">=", "<=", "==", "!=", ">", "<"):
        if text.startswith(op):
            rhs = text[len(op):].strip()
            if rhs.startswith("@"):
                return op, rhs
            if rhs in ("true", "false"):
                return op, rhs == "true"
            return op, Decimal(rhs)
    raise ValueError(f"cannot read target {text!r}")


def load_spec(scheme: Any) -> Spec:
    doc = json.loads(scheme.to_json(), parse_float=Decimal)
    indicators = {i["id"]: i for i in doc["indicators"]}
    default_na = doc.get("not_applicable", "exclude")
    leaves: list[Leaf] = []
    groups: list[Group] = []

    def walk(node: dict[str, Any]) -> tuple[str, Any]:
        if "indicator" in node:
            op, rhs = parse_target(node.get("target"))
            leaf = Leaf(
                index=len(leaves),
                code=node["code"],
                indicator=node["indicator"],
                max=Decimal(node["max_points"]),
                rule=node["rule"],
                op=op,
                rhs=rhs,
                na_full=node.get("not_applicable", default_na) == "full_points",
            )
            leaves.append(leaf)
            return ("leaf", leaf.index)
        children = [walk(child) for child in node.get("criteria", [])]
        groups.append(Group(node["code"], children))
        return ("group", node["code"])

    areas = [walk(area) for area in doc["areas"]]
    rounding = doc.get("rounding", {})
    return Spec(
        indicators=indicators,
        leaves=leaves,
        groups=groups,
        areas=areas,
        grades=[(g["name"], Decimal(g["min_index"])) for g in doc["grades"]],
        places=int(rounding.get("places", 2)),
        mode=rounding.get("mode", "half_up"),
    )


def points_of_interest(leaf: Leaf) -> list[float]:
    """The values at which a leaf's points or verdict change: its target, goal posts, bands."""
    marks: set[float] = set()
    if isinstance(leaf.rhs, Decimal):
        marks.add(float(leaf.rhs))
    rule = leaf.rule
    if rule["kind"] == "proportional":
        marks.add(float(rule.get("floor", 0)))
        marks.add(float(rule.get("full_at", 100)))
    if rule["kind"] == "bands":
        marks.update(float(band["min"]) for band in rule["bands"])
    return sorted(marks)


# --------------------------------------------------------------------------- the workload


def _nulls(rng: np.random.Generator, rows: int, share: float = NULL_SHARE) -> np.ndarray:
    return rng.random(rows) < share


def _percent_around(rng: np.random.Generator, rows: int, marks: list[float], exact_share: float = 0.25) -> np.ndarray:
    """Rates to two decimals spread around the marks (±8 points), a share of them exactly on one."""
    centre = np.asarray(marks, dtype=np.float64)[rng.integers(0, len(marks), rows)]
    spread = np.round(rng.uniform(-8.0, 8.0, rows), 2)
    values = np.clip(np.round(centre + spread, 2), 0.0, 100.0)
    exact = rng.random(rows) < exact_share
    return np.where(exact, centre, values)


def make_table(scheme: Any, spec: Spec, rows: int, seed: int = SEED) -> pa.Table:
    """The seeded workload: one column per input indicator of the scheme, discovered from it."""
    rng = np.random.default_rng(seed)
    columns: dict[str, pa.Array] = {}
    index = np.arange(rows)
    unit_names = pa.array([f"unit-{u:03d}" for u in range(UNITS_PER_PERIOD)])
    periods = -(-rows // UNITS_PER_PERIOD)
    period_names = pa.array([f"{2021 + p % 4}-s{p // 4:03d}" for p in range(periods)])
    columns["unit"] = unit_names.take(pa.array(index % UNITS_PER_PERIOD))
    columns["period"] = period_names.take(pa.array(index // UNITS_PER_PERIOD))

    def as_int(values: np.ndarray, null: np.ndarray) -> pa.Array:
        return pa.array(values.astype(np.int64), mask=null)

    def as_float(values: np.ndarray, null: np.ndarray) -> pa.Array:
        return pa.array(values.astype(np.float64), mask=null)

    planned: dict[str, pa.Array] = {}
    for leaf in spec.leaves:
        indicator = spec.indicators[leaf.indicator]
        kind = indicator["kind"]
        marks = points_of_interest(leaf)
        if "numerator" in indicator:
            # A rate from counts: a fifth exactly on a mark (990/1000 for 99%), the rest near.
            num_id, den_id = indicator["numerator"], indicator["denominator"]
            marks = [m for m in marks if m > 0] or [100.0]
            den = rng.integers(1, 5001, rows)
            on_mark = rng.random(rows) < 0.2
            mark = np.asarray(marks, dtype=np.float64)[rng.integers(0, len(marks), rows)]
            den = np.where(on_mark, rng.integers(1, 51, rows) * 100, den)
            rate = np.where(on_mark, mark, np.clip(mark + rng.uniform(-6.0, 3.0, rows), 0.0, 100.0))
            num = np.minimum(np.floor(den * rate / 100.0 + 1e-9), den)
            nothing = rng.random(rows) < 0.03  # nothing received: 0/0, not applicable
            den = np.where(nothing, 0, den)
            num = np.where(nothing, 0, num)
            planned[num_id] = as_int(num, _nulls(rng, rows))
            planned[den_id] = as_int(den, _nulls(rng, rows))
        elif "baseline" in indicator:
            base_id, cur_id = indicator["baseline"], indicator["current"]
            target = float(leaf.rhs) if isinstance(leaf.rhs, Decimal) else 3.0
            base = rng.integers(10, 401, rows)
            on_mark = rng.random(rows) < 0.15
            base = np.where(on_mark, rng.integers(1, 5, rows) * 100, base)
            cut = np.where(
                on_mark,
                base * target / 100.0,
                np.round(base * rng.uniform(-0.02, 0.08, rows)),
            )
            cur = np.maximum(base - cut, 0)
            none = rng.random(rows) < 0.03  # no units in the baseline year: not applicable
            base = np.where(none, 0, base)
            planned[base_id] = as_int(base, _nulls(rng, rows))
            planned[cur_id] = as_int(cur, _nulls(rng, rows))
        elif isinstance(leaf.rhs, str) and leaf.rhs.startswith("@"):
            ref_id = leaf.rhs[1:]
            ref_kind = spec.indicators[ref_id]["kind"]
            equal = rng.random(rows) < 0.25
            if ref_kind == "count":
                ref = rng.integers(20, 201, rows)
                value = np.where(equal, ref, np.maximum(ref + rng.integers(-5, 4, rows), 0))
                planned[ref_id] = as_int(ref, _nulls(rng, rows))
                planned[leaf.indicator] = as_int(value, _nulls(rng, rows))
            else:
                ref = np.round(rng.uniform(80.0, 99.0, rows), 2)
                value = np.where(equal, ref, np.clip(np.round(ref + rng.uniform(-3, 3, rows), 2), 0, 100))
                planned[ref_id] = as_float(ref, _nulls(rng, rows))
                planned[leaf.indicator] = as_float(value, _nulls(rng, rows))
        elif kind == "bool":
            planned[leaf.indicator] = pa.array(rng.random(rows) < 0.9, mask=_nulls(rng, rows))
        elif kind == "percent":
            values = _percent_around(rng, rows, [m for m in marks if m > 0] or [100.0])
            null = _nulls(rng, rows)
            if leaf.na_full:
                # A rate that can be "n/a" (no feedback received): a text column, as read from
                # a sheet, with "n/a" in a tenth of the rows.
                text = pc.cast(pa.array(values), pa.string())
                na = pa.array(rng.random(rows) < 0.1)
                text = pc.if_else(na, pa.scalar("n/a"), text)
                planned[leaf.indicator] = pc.if_else(pa.array(null), pa.scalar(None, pa.string()), text)
            else:
                planned[leaf.indicator] = as_float(values, null)
        elif kind == "count":
            if leaf.rule["kind"] == "bands":
                top = int(max(marks)) + 2
                values = rng.integers(0, top + 1, rows)
            else:  # a count that should be 0 (== 0, deductions): mostly 0
                values = np.where(rng.random(rows) < 0.75, 0, rng.integers(1, 4, rows))
            planned[leaf.indicator] = as_int(values, _nulls(rng, rows))
        elif kind == "points":
            top = int(leaf.max * 100)
            planned[leaf.indicator] = as_float(rng.integers(0, top + 1, rows) / 100.0, _nulls(rng, rows))
        else:  # a plain number
            planned[leaf.indicator] = as_float(
                _percent_around(rng, rows, marks or [0.0]), _nulls(rng, rows)
            )
    for indicator in scheme.indicators:
        if indicator.source != "input":
            continue
        if indicator.id not in planned:
            raise SystemExit(f"the generator has no plan for indicator {indicator.id}")
        columns[indicator.id] = planned[indicator.id]
    table = pa.table(columns)
    return plant_boundary_rows(spec, table)


def full_row(spec: Spec) -> dict[str, Any]:
    """Input values of a unit that meets every target."""
    full: dict[str, Any] = {}
    for leaf in spec.leaves:
        indicator = spec.indicators[leaf.indicator]
        kind = indicator["kind"]
        if "numerator" in indicator:
            full[indicator["numerator"]] = 1000
            full[indicator["denominator"]] = 1000
        elif "baseline" in indicator:
            full[indicator["baseline"]] = 100
            full[indicator["current"]] = 90
        elif isinstance(leaf.rhs, str):
            ref = leaf.rhs[1:]
            full[ref] = 50 if spec.indicators[ref]["kind"] == "count" else 90.0
            full[leaf.indicator] = full[ref]
        elif kind == "bool":
            full[leaf.indicator] = True
        elif kind == "percent":
            full[leaf.indicator] = "100" if leaf.na_full else 100.0
        elif kind == "count":
            full[leaf.indicator] = 5 if leaf.rule["kind"] == "bands" else 0
        elif kind == "points":
            full[leaf.indicator] = float(leaf.max)
    return full


def boundary_rows(spec: Spec) -> list[dict[str, Any]]:
    """Units whose exact index lies on a rounding boundary just below a grade threshold
    (89.995, which the scheme's half-up rounding reports as 90.00, "Xuất sắc"): a float sum of
    the criteria lands a hair to either side of it, and rounds down when it lands below. Every
    criterion is met but for a few yes/no answers (to reach the band), one plain rate that
    loses a few thousandths of a point, and the survey points that make up the rest."""
    full = full_row(spec)
    givens = [leaf for leaf in spec.leaves if leaf.rule["kind"] == "given"]
    rates = [
        leaf
        for leaf in spec.leaves
        if leaf.rule["kind"] == "proportional"
        and not leaf.na_full
        and not isinstance(leaf.rhs, str)
        and spec.indicators[leaf.indicator]["kind"] == "percent"
        and set(spec.indicators[leaf.indicator]) <= {"id", "title", "kind", "min", "max"}
        and Decimal(leaf.rule.get("floor", 0)) == 0
        and Decimal(leaf.rule.get("full_at", 100)) == 100
    ]
    switches = sorted(
        (leaf for leaf in spec.leaves if leaf.rule["kind"] == "threshold" and leaf.rhs is True
         and spec.indicators[leaf.indicator]["kind"] == "bool"),
        key=lambda leaf: -leaf.max,
    )
    if not givens:
        return []
    given = givens[0]
    total_max = sum(leaf.max for leaf in spec.leaves)
    rows: list[dict[str, Any]] = []
    step = Decimal(1).scaleb(-spec.places)
    for _, threshold in spec.grades[:-1]:
        index = threshold - step / 2  # e.g. 89.995
        goal = index * total_max / 100
        for rate in rates[:6]:
            for lost in range(5, 100, 10):  # thousandths of the rate's maximum
                lost_points = rate.max * lost / 1000
                row = dict(full)
                base = total_max - given.max - lost_points
                for switch in switches:  # leave room for the survey points
                    if base - switch.max >= goal - given.max * 3 / 4:
                        row[switch.indicator] = False
                        base -= switch.max
                survey = goal - base
                if not 0 <= survey <= given.max:
                    continue
                row[given.indicator] = float(survey)
                row[rate.indicator] = float(100 - Decimal(lost) / 10)
                rows.append(row)
    return rows


def plant_boundary_rows(spec: Spec, table: pa.Table) -> pa.Table:
    """Writes the boundary units over rows spread through the table (at most 1 in 100)."""
    planted = boundary_rows(spec)
    rows = table.num_rows
    if not planted or rows < 100:
        return table
    count = min(len(planted), rows // 100)
    step = rows // count
    positions = np.arange(count) * step + step // 2
    columns = {}
    for name in table.column_names:
        column = table.column(name).combine_chunks()
        if name in ("unit", "period"):
            columns[name] = column
            continue
        values = [planted[i][name] for i in range(count)]
        patch = pa.array(values, type=column.type)
        # Replace the cells at `positions` with the planted ones.
        source = pa.concat_arrays([column, patch])
        lookup = np.arange(rows)
        lookup[positions] = rows + np.arange(count)
        columns[name] = source.take(pa.array(lookup))
    return pa.table(columns)


# --------------------------------------------------------------------------- the float version


def leaf_floor(leaf: Leaf) -> Decimal:
    """The fewest points a leaf can give (a missing cell gives 0)."""
    rule = leaf.rule
    kind = rule["kind"]
    if kind == "threshold":
        return min(Decimal(0), Decimal(rule.get("pass_points", leaf.max)), Decimal(rule.get("fail_points", 0)))
    if kind == "bands":
        return min([Decimal(0)] + [Decimal(band["points"]) for band in rule["bands"]])
    if kind == "deduction":
        return min(Decimal(0), leaf.max - Decimal(rule["cap"]))
    return Decimal(0)  # proportional, boolean, and given points (an error outside [0, max])


def clamped_groups(spec: Spec) -> set[str]:
    """The groups whose subtotal can fall below zero: only these need their clamp at 0, the
    others add their children straight into their parent's sum."""
    floors: dict[str, Decimal] = {}
    clamped: set[str] = set()
    for group in spec.groups:  # children before parents
        floor = Decimal(0)
        for kind, ref in group.children:
            floor += leaf_floor(spec.leaves[ref]) if kind == "leaf" else floors[ref]
        if floor < 0:
            clamped.add(group.code)
        floors[group.code] = max(floor, Decimal(0))
    return clamped


_COMPARE = {
    ">=": np.greater_equal,
    "<=": np.less_equal,
    ">": np.greater,
    "<": np.less,
    "==": np.equal,
    "!=": np.not_equal,
}


FLOAT_BLOCK = 1 << 16  # rows a block: its float64 temporaries (512 KiB) stay in cache


def float_scores(table: pa.Table, spec: Spec, detail: bool = False, block: int = FLOAT_BLOCK) -> dict[str, Any]:
    """The same criteria in float64 with numpy, written as a lean numpy user would: blocks of
    rows, so that the temporaries stay in cache; in each, every column read once into a
    float64 array (NaN where missing) and each criterion's points added into one running
    total (rates from counts as `num / den * 100`, proportional points clipped, bands as
    steps, missing cells dropping out of the comparisons as NaN); then the index rounded half
    up with `floor(x * 100 + 0.5) / 100`, grades by the thresholds reached, and competition
    ranks within each period (1, 2, 2, 4) from one sort by (period, -index) and running
    maxima. It computes the headline figures, as parscore's `criteria=False` run does: points,
    maximum, index, grade and rank. With `detail`, it also keeps each criterion's points,
    value and verdict, for the checks (untimed)."""
    rows = table.num_rows
    points = np.zeros(rows)
    max_points = np.full(rows, float(sum(leaf.max for leaf in spec.leaves)))
    clamped = clamped_groups(spec)
    with np.errstate(divide="ignore", invalid="ignore"):
        for start in range(0, rows, block):
            stop = min(start + block, rows)
            float_points(table.slice(start, stop - start), spec, clamped, points[start:stop], max_points[start:stop], None)
        index = points / max_points  # NaN where nothing applies
        index *= 100
    scale = 10.0 ** spec.places
    reported = index * scale
    reported += 0.5
    np.floor(reported, out=reported)
    reported /= scale
    # Grades: how many thresholds the index reaches (none for NaN) picks the grade.
    reached = np.zeros(rows, dtype=np.int8)
    for _, threshold in spec.grades:
        reached += reported >= float(threshold)
    grade_of_reached = np.array([-1] + [len(spec.grades) - k for k in range(1, len(spec.grades) + 1)], dtype=np.int8)
    grade = grade_of_reached[reached]
    # Competition ranks within each period (1, 2, 2, 4): one stable sort by (period, -index),
    # as one integer key, the period's code above the hundredths below 100 (NaN after them:
    # not ranked); then, in that order, where each period and each value starts, carried
    # forward by running maxima: a rank is one more than the rows of its period before its
    # value's first. (np.lexsort over the two keys gives the same order, several times slower.)
    period = table.column("period").combine_chunks().dictionary_encode().indices.to_numpy(zero_copy_only=False)
    top = round(100 * scale)
    below = top - np.rint(reported * scale)
    below[np.isnan(below)] = top + 1
    key = period.astype(np.int64)
    key *= top + 2
    key += below.astype(np.int64)
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    sorted_period = period[order]
    starts_value = np.empty(rows, dtype=bool)
    starts_value[:1] = True
    np.not_equal(sorted_key[1:], sorted_key[:-1], out=starts_value[1:])
    starts_period = np.empty(rows, dtype=bool)
    starts_period[:1] = True
    np.not_equal(sorted_period[1:], sorted_period[:-1], out=starts_period[1:])
    position = np.arange(rows, dtype=np.int64)
    first_of_period = np.maximum.accumulate(position * starts_period)
    first_of_value = np.maximum.accumulate(position * starts_value)
    rank = np.empty(rows)
    rank[order] = first_of_value - first_of_period + 1
    rank[np.isnan(reported)] = np.nan  # a unit with no index is not ranked
    out = {"points": points, "max_points": max_points, "index": reported, "grade": grade, "rank": rank}
    if detail:
        # Once more, each criterion's points on their own (their sum, in another order, can
        # differ from the total above in the last place: the total is the one checked).
        kept: dict[str, dict[int, np.ndarray]] = {"leaf_points": {}, "verdicts": {}, "scored": {}, "values": {}}
        with np.errstate(divide="ignore", invalid="ignore"):
            float_points(table, spec, clamped, np.zeros(rows), max_points.copy(), kept)
        out.update(kept)
    return out


def float_points(
    table: pa.Table,
    spec: Spec,
    clamped: set[str],
    points: np.ndarray,
    max_points: np.ndarray,
    kept: dict[str, dict[int, np.ndarray]] | None,
) -> None:
    """Adds the criteria's points of a block of rows into `points` and takes off `max_points`
    the maximum of those that do not apply; with `kept`, keeps each one's points, value and
    verdict there."""
    rows = table.num_rows
    numbers: dict[str, tuple[np.ndarray, np.ndarray | None]] = {}
    switches: dict[tuple[str, bool], np.ndarray] = {}

    def number(name: str) -> tuple[np.ndarray, np.ndarray | None]:
        """(values as float64, NaN where missing or "n/a"; the rows reading "n/a", for text)."""
        if name not in numbers:
            col = table.column(name)
            if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
                na = pc.fill_null(pc.equal(col, "n/a"), False)
                text = pc.if_else(na, pa.scalar(None, col.type), col)
                numbers[name] = (
                    pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False),
                    na.to_numpy(zero_copy_only=False),
                )
            else:
                values = col.to_numpy(zero_copy_only=False)  # ints with nulls come as float64 + NaN
                numbers[name] = (values.astype(np.float64, copy=False), None)
        return numbers[name]

    def answers(name: str, wanted: bool) -> np.ndarray:
        """The rows of a yes/no column answering `wanted` (False where missing)."""
        key = (name, wanted)
        if key not in switches:
            col = table.column(name)
            switches[key] = pc.fill_null(col if wanted else pc.invert(col), False).to_numpy(zero_copy_only=False)
        return switches[key]

    def add_leaf(leaf: Leaf, into: np.ndarray) -> None:
        """Adds the leaf's points into `into`, and takes its maximum off the row's where it is
        not applicable and excluded. Missing and n/a values are NaN, which fails every
        comparison and is zeroed where points are computed from the value."""
        indicator = spec.indicators[leaf.indicator]
        m = float(leaf.max)
        rule = leaf.rule
        kind = rule["kind"]
        if indicator["kind"] == "bool" and (leaf.rhs is None or isinstance(leaf.rhs, bool)) and kind in ("threshold", "boolean"):
            # A yes/no answer: its verdict is the rows answering what the target asks, and a
            # missing answer is in neither those nor the others.
            wanted = True if leaf.op is None else leaf.rhs == (leaf.op == "==")
            passed = answers(leaf.indicator, wanted)
            if kind == "boolean":
                into += answers(leaf.indicator, True) * m
            else:
                into += passed * float(rule.get("pass_points", leaf.max))
                fail = float(rule.get("fail_points", 0))
                if fail:
                    into += answers(leaf.indicator, not wanted) * fail
            if kept is not None:
                yes, no = answers(leaf.indicator, True), answers(leaf.indicator, False)
                kept["verdicts"][leaf.index] = passed
                kept["scored"][leaf.index] = yes | no
                kept["values"][leaf.index] = np.where(yes, 1.0, np.where(no, 0.0, np.nan))
            return
        na: np.ndarray | None
        if "numerator" in indicator:
            n, _ = number(indicator["numerator"])
            d, _ = number(indicator["denominator"])
            v = n / d
            v *= 100
            na = d == 0
            na &= ~np.isnan(n)
            v[na] = np.nan  # n/0 is inf, which would pass >=
        elif "baseline" in indicator:
            b, _ = number(indicator["baseline"])
            c, _ = number(indicator["current"])
            v = b - c
            v /= b
            v *= 100
            na = b == 0
            na &= ~np.isnan(c)
            v[na] = np.nan
        else:
            v, na = number(leaf.indicator)
        rhs: Any = None
        if isinstance(leaf.rhs, str):
            rhs, ref_na = number(leaf.rhs[1:])
            if ref_na is not None:  # n/a in the target's column: n/a unless the value is missing
                ref_na = ref_na & ~np.isnan(v)
                na = ref_na if na is None else na | ref_na
            if kind != "threshold":  # a missing target scores nothing: the value as missing
                v = np.where(np.isnan(rhs), np.nan, v)
        elif isinstance(leaf.rhs, bool):
            rhs = 1.0 if leaf.rhs else 0.0
        elif leaf.rhs is not None:
            rhs = float(leaf.rhs)
        passed = None
        if leaf.op is not None:
            passed = _COMPARE[leaf.op](v, rhs)
            if leaf.op == "!=":  # the one comparison NaN passes
                passed &= ~np.isnan(v)
                if isinstance(leaf.rhs, str):
                    passed &= ~np.isnan(rhs)
        if kind == "threshold":
            assert passed is not None, f"{leaf.code}: a threshold needs a target"
            into += passed * float(rule.get("pass_points", leaf.max))
            fail = float(rule.get("fail_points", 0))
            if fail:
                failed = ~passed & ~np.isnan(v)
                if isinstance(leaf.rhs, str):
                    failed &= ~np.isnan(rhs)
                into += failed * fail
        elif kind == "proportional":
            lo, hi = float(rule.get("floor", 0)), float(rule.get("full_at", 100))
            pts = v - lo
            pts *= m / (hi - lo)
            np.fmax(pts, 0.0, out=pts)  # NaN becomes 0 here
            np.fmin(pts, m, out=pts)
            into += pts
        elif kind == "bands":
            # Steps up the bands in ascending order: each adds its points less the band below.
            below = 0.0
            for band in sorted(rule["bands"], key=lambda band: Decimal(band["min"])):
                into += (v >= float(band["min"])) * (float(band["points"]) - below)
                below = float(band["points"])
        elif kind == "given":
            into += np.nan_to_num(v, nan=0.0)
        elif kind == "deduction":
            pts = v * float(rule["per"])
            np.minimum(pts, float(rule["cap"]), out=pts)
            np.subtract(m, pts, out=pts)
            into += np.nan_to_num(pts, nan=0.0)
        else:
            raise SystemExit(f"the float version has no rule {kind}")
        if na is not None:
            if leaf.na_full:
                into += na * m
            else:
                np.subtract(max_points, na * m, out=max_points)
        if kept is not None:
            scored = ~np.isnan(v)
            if isinstance(leaf.rhs, str):
                scored &= ~np.isnan(rhs)
            kept["scored"][leaf.index] = scored
            kept["values"][leaf.index] = v
            if passed is not None:
                kept["verdicts"][leaf.index] = passed & scored

    def add_node(node: tuple[str, Any], into: np.ndarray) -> None:
        if node[0] == "leaf":
            leaf = spec.leaves[node[1]]
            if kept is not None:
                own = np.zeros(rows)
                add_leaf(leaf, own)
                kept["leaf_points"][leaf.index] = own
                into += own
            else:
                add_leaf(leaf, into)
            return
        group = groups[node[1]]
        if group.code in clamped:
            subtotal = np.zeros(rows)
            for child in group.children:
                add_node(child, subtotal)
            np.maximum(subtotal, 0.0, out=subtotal)
            into += subtotal
        else:
            for child in group.children:
                add_node(child, into)

    groups = {group.code: group for group in spec.groups}
    for area in spec.areas:
        add_node(area, points)


# --------------------------------------------------------------------------- polars


def polars_query(frame: Any, spec: Spec, detail: bool = False) -> Any:
    """The same criteria as polars lazy expressions on the table, in float64 as the numpy
    version computes them: each criterion's rule an expression (`when`/`then` for targets and
    bands, `clip` for proportional points, nulls for missing cells, "n/a" read from text), the
    subtotals `sum_horizontal`, the index rounded half up with `floor(x * 100 + 0.5) / 100`,
    the grade a `when` chain, and competition ranks `rank("min").over("period")`. The query
    selects unit, period and the headline figures (points, maximum, index, grade, rank); with
    `detail`, also each criterion's points (`p{i}`), value (`v{i}`), whether it was scored
    (`s{i}`) and its verdict (`ok{i}`), for the checks."""
    import polars as pl

    schema = frame.collect_schema()
    f64 = pl.Float64

    def number(name: str) -> tuple[Any, Any]:
        """(the column as float64, null where missing or "n/a"; the rows reading "n/a", for text)."""
        col = pl.col(name)
        if schema[name] == pl.String:
            return col.cast(f64, strict=False), (col == "n/a").fill_null(False)
        return col.cast(f64), None

    compare = {
        ">=": lambda a, b: a >= b,
        "<=": lambda a, b: a <= b,
        ">": lambda a, b: a > b,
        "<": lambda a, b: a < b,
        "==": lambda a, b: a == b,
        "!=": lambda a, b: a != b,
    }
    extra: list[Any] = []
    excluded: list[Any] = []  # the maximum a row loses where a criterion does not apply

    def leaf_points(leaf: Leaf) -> Any:
        indicator = spec.indicators[leaf.indicator]
        m = float(leaf.max)
        rule = leaf.rule
        kind = rule["kind"]
        name = leaf.indicator
        i = leaf.index
        if schema.get(name) == pl.Boolean and (leaf.rhs is None or isinstance(leaf.rhs, bool)) and kind in ("threshold", "boolean"):
            col = pl.col(name)
            wanted = True if leaf.op is None else leaf.rhs == (leaf.op == "==")
            passed = (col == wanted).fill_null(False)
            if kind == "boolean":
                pts = pl.when(col.fill_null(False)).then(m).otherwise(0.0)
            else:
                pts = pl.when(passed).then(float(rule.get("pass_points", leaf.max)))
                fail = float(rule.get("fail_points", 0))
                pts = pts.when(col.is_null()).then(0.0).otherwise(fail) if fail else pts.otherwise(0.0)
            if detail:
                extra.extend([
                    pts.alias(f"p{i}"),
                    col.cast(f64).alias(f"v{i}"),
                    col.is_not_null().alias(f"s{i}"),
                    passed.alias(f"ok{i}"),
                ])
            return pts
        if "numerator" in indicator:
            n, _ = number(indicator["numerator"])
            d, _ = number(indicator["denominator"])
            v = n / d * 100
            na = ((d == 0) & n.is_not_null()).fill_null(False)
        elif "baseline" in indicator:
            b, _ = number(indicator["baseline"])
            c, _ = number(indicator["current"])
            v = (b - c) / b * 100
            na = ((b == 0) & c.is_not_null()).fill_null(False)
        else:
            v, na = number(name)
        missing = v.is_null()
        rhs: Any = None
        if isinstance(leaf.rhs, str):
            rhs, ref_na = number(leaf.rhs[1:])
            missing = missing | rhs.is_null()
            if ref_na is not None:  # n/a in the target's column: n/a unless the value is missing
                ref_na = ref_na & v.is_not_null()
                na = ref_na if na is None else na | ref_na
        elif isinstance(leaf.rhs, bool):
            rhs = pl.lit(1.0 if leaf.rhs else 0.0)
        elif leaf.rhs is not None:
            rhs = pl.lit(float(leaf.rhs))
        passed = compare[leaf.op](v, rhs) if leaf.op is not None else None
        if kind == "threshold":
            assert passed is not None, f"{leaf.code}: a threshold needs a target"
            points = pl.when(passed).then(float(rule.get("pass_points", leaf.max))).otherwise(float(rule.get("fail_points", 0)))
        elif kind == "proportional":
            lo, hi = float(rule.get("floor", 0)), float(rule.get("full_at", 100))
            points = ((v - lo) * (m / (hi - lo))).clip(0.0, m)
        elif kind == "bands":
            bands = sorted(rule["bands"], key=lambda band: -Decimal(band["min"]))
            chain: Any = pl
            for band in bands:
                chain = chain.when(v >= float(band["min"])).then(float(band["points"]))
            points = chain.otherwise(0.0)
        elif kind == "given":
            points = v
        elif kind == "deduction":
            points = m - pl.min_horizontal(v * float(rule["per"]), pl.lit(float(rule["cap"])))
        elif kind == "boolean":
            points = pl.when(v == 1.0).then(m).otherwise(0.0)
        else:
            raise SystemExit(f"the polars version has no rule {kind}")
        if na is None:
            pts = pl.when(missing).then(0.0).otherwise(points)
        else:
            pts = pl.when(na).then(m if leaf.na_full else 0.0).when(missing).then(0.0).otherwise(points)
            if not leaf.na_full:
                excluded.append(pl.when(na).then(m).otherwise(0.0))
        if detail:
            scored = ~missing if na is None else ~missing & ~na
            extra.extend([
                pts.alias(f"p{i}"),
                v.alias(f"v{i}"),
                scored.alias(f"s{i}"),
                ((passed.fill_null(False) & scored) if passed is not None else pl.lit(False)).alias(f"ok{i}"),
            ])
        return pts

    clamped = clamped_groups(spec)
    groups = {group.code: group for group in spec.groups}

    def terms(node: tuple[str, Any]) -> list[Any]:
        """The node's points as terms of its parent's sum: a clamped group as one term."""
        if node[0] == "leaf":
            return [leaf_points(spec.leaves[node[1]])]
        group = groups[node[1]]
        inner = [term for child in group.children for term in terms(child)]
        if group.code in clamped:
            return [pl.max_horizontal(pl.sum_horizontal(inner), pl.lit(0.0))]
        return inner

    points = pl.sum_horizontal([term for area in spec.areas for term in terms(area)])
    total_max = float(sum(leaf.max for leaf in spec.leaves))
    max_points = pl.lit(total_max) - pl.sum_horizontal(excluded) if excluded else pl.lit(total_max)
    scale = 10.0 ** spec.places
    grade: Any = pl
    for position, (_, threshold) in enumerate(spec.grades):
        grade = grade.when(pl.col("index") >= float(threshold)).then(pl.lit(position, pl.Int8))
    return (
        frame.select("unit", "period", points.alias("points"), max_points.alias("max_points"), *extra)
        .with_columns(index=pl.when(pl.col("max_points") > 0).then(pl.col("points") / pl.col("max_points") * 100))
        .with_columns(index=(pl.col("index") * scale + 0.5).floor() / scale)
        .with_columns(
            grade=grade.otherwise(None),
            rank=pl.col("index").rank("min", descending=True).over("period"),
        )
    )


def polars_figures(result: Any, spec: Spec) -> dict[str, Any]:
    """A collected detail query as the numpy version's arrays, for the same checks."""
    out: dict[str, Any] = {
        "points": result["points"].to_numpy(),
        "max_points": result["max_points"].to_numpy(),
        "index": result["index"].fill_null(float("nan")).to_numpy(),
        "grade": result["grade"].fill_null(-1).to_numpy(),
        "rank": result["rank"].cast(float).fill_null(float("nan")).to_numpy(),
        "leaf_points": {},
        "verdicts": {},
        "scored": {},
        "values": {},
    }
    for leaf in spec.leaves:
        i = leaf.index
        out["leaf_points"][i] = result[f"p{i}"].to_numpy()
        out["values"][i] = result[f"v{i}"].fill_null(float("nan")).to_numpy()
        out["scored"][i] = result[f"s{i}"].to_numpy()
        if leaf.op is not None:
            out["verdicts"][i] = result[f"ok{i}"].to_numpy()
    return out


# --------------------------------------------------------------------------- zen-engine


def zen_graph(spec: Spec) -> dict[str, Any]:
    """The scheme's targets and points as a JDM decision: one expression node computes each
    criterion's value (rates from counts), points and applicable maximum, the group subtotals,
    the total and the index; a decision table gives the grade."""

    def num(d: Decimal) -> str:
        return format(d.normalize(), "f")

    expressions: list[tuple[str, str]] = []
    for leaf in spec.leaves:
        indicator = spec.indicators[leaf.indicator]
        i = leaf.index
        if "numerator" in indicator:
            n, d = indicator["numerator"], indicator["denominator"]
            value = f"({n} == null or {d} == null) ? null : ({d} == 0 ? 'n/a' : {n} * 100 / {d})"
        elif "baseline" in indicator:
            b, c = indicator["baseline"], indicator["current"]
            value = f"({b} == null or {c} == null) ? null : ({b} == 0 ? 'n/a' : ({b} - {c}) * 100 / {b})"
        else:
            value = leaf.indicator
        expressions.append((f"v{i}", value))
        v = f"$.v{i}"
        m = num(leaf.max)
        rule = leaf.rule
        kind = rule["kind"]
        ref = leaf.rhs[1:] if isinstance(leaf.rhs, str) else None
        if leaf.op is not None:
            rhs = ref if ref else ("true" if leaf.rhs is True else "false" if leaf.rhs is False else num(leaf.rhs))
            passed = f"{v} {leaf.op} {rhs}"
        if kind == "threshold":
            body = f"({passed}) ? {num(Decimal(rule.get('pass_points', leaf.max)))} : {num(Decimal(rule.get('fail_points', 0)))}"
        elif kind == "proportional":
            lo, hi = Decimal(rule.get("floor", 0)), Decimal(rule.get("full_at", 100))
            body = f"{v} <= {num(lo)} ? 0 : ({v} >= {num(hi)} ? {m} : {m} * ({v} - {num(lo)}) / {num(hi - lo)})"
        elif kind == "bands":
            body = "0"
            for band in reversed(rule["bands"]):
                body = f"{v} >= {num(Decimal(band['min']))} ? {num(Decimal(band['points']))} : ({body})"
        elif kind == "given":
            body = v
        elif kind == "deduction":
            body = f"{m} - min([{num(Decimal(rule['per']))} * {v}, {num(Decimal(rule['cap']))}])"
        elif kind == "boolean":
            body = f"{v} == true ? {m} : 0"
        else:
            raise SystemExit(f"no JDM form for rule {kind}")
        na_points = m if leaf.na_full else "0"
        if ref:
            body = f"{ref} == null ? 0 : ({ref} == 'n/a' ? {na_points} : ({body}))"
        points = f"{v} == null ? 0 : ({v} == 'n/a' ? {na_points} : ({body}))"
        na_check = f"{v} == 'n/a'" + (f" or {ref} == 'n/a'" if ref else "")
        maximum = f"{v} == null ? {m} : (({na_check}) ? {na_points} : {m})"
        expressions.append((f"p{i}", points))
        expressions.append((f"m{i}", maximum))

    def ref_of(node: tuple[str, Any]) -> str:
        return f"$.p{node[1]}" if node[0] == "leaf" else f"$.g_{node[1].replace('.', '_')}"

    for group in spec.groups:
        total = " + ".join(ref_of(child) for child in group.children)
        expressions.append((f"g_{group.code.replace('.', '_')}", f"max([0, {total}])"))
    expressions.append(("points", " + ".join(ref_of(area) for area in spec.areas)))
    expressions.append(("max_points", " + ".join(f"$.m{leaf.index}" for leaf in spec.leaves)))
    expressions.append(
        ("index", f"$.max_points > 0 ? round($.points / $.max_points * 100, {spec.places}) : null")
    )
    nodes = [
        {"id": "request", "type": "inputNode", "name": "Request", "position": {"x": 0, "y": 0}, "content": {"schema": ""}},
        {
            "id": "criteria",
            "type": "expressionNode",
            "name": "Criteria",
            "position": {"x": 250, "y": 0},
            "content": {
                "expressions": [{"id": f"e{k}", "key": key, "value": value} for k, (key, value) in enumerate(expressions)],
                "passThrough": False,
                "inputField": None,
                "outputPath": None,
                "executionMode": "single",
            },
        },
        {
            "id": "grades",
            "type": "decisionTableNode",
            "name": "Grade",
            "position": {"x": 500, "y": 0},
            "content": {
                "hitPolicy": "first",
                "passThrough": True,
                "inputField": None,
                "outputPath": None,
                "executionMode": "single",
                "inputs": [{"id": "index", "name": "Index", "field": "index"}],
                "outputs": [{"id": "grade", "name": "Grade", "field": "grade"}],
                "rules": [
                    {"_id": f"r{k}", "index": f">= {num(threshold)}", "grade": json.dumps(name, ensure_ascii=False)}
                    for k, (name, threshold) in enumerate(spec.grades)
                ],
            },
        },
        {"id": "response", "type": "outputNode", "name": "Response", "position": {"x": 750, "y": 0}, "content": {"schema": ""}},
    ]
    edges = [
        {"id": "a", "sourceId": "request", "targetId": "criteria", "type": "edge"},
        {"id": "b", "sourceId": "criteria", "targetId": "grades", "type": "edge"},
        {"id": "c", "sourceId": "grades", "targetId": "response", "type": "edge"},
    ]
    return {"nodes": nodes, "edges": edges}


def zen_contexts(table: pa.Table) -> list[dict[str, Any]]:
    """One context per row: numbers, yes/no, "n/a" and null as JSON has them (a rate typed as
    text becomes a number)."""
    contexts = table.to_pylist()
    text_columns = [f.name for f in table.schema if pa.types.is_string(f.type) and f.name not in ("unit", "period")]
    for context in contexts:
        for name in text_columns:
            cell = context[name]
            if cell is not None and cell != "n/a":
                context[name] = float(cell)
    return contexts


# --------------------------------------------------------------------------- measuring


def status_kib(field_name: str) -> int | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def reset_peak() -> bool:
    """Resets the peak resident size (VmHWM) of this process (Linux ≥ 4.0)."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


def read_ipc(path: str) -> pa.Table:
    # Read into memory (not mapped), so that the loaded input is part of the baseline.
    with pa.OSFile(path) as source:
        return pa.ipc.open_file(source).read_all()


def timed_runs(run: Any, repeat: int) -> tuple[list[float], Any]:
    seconds = []
    result = None
    for _ in range(repeat):
        result = None
        started = time.perf_counter()
        result = run()
        seconds.append(time.perf_counter() - started)
    return seconds, result


def worker(args: argparse.Namespace) -> None:
    """One tool in a process of its own: load the table, reset the peak, run, report JSON."""
    import gc

    out: dict[str, Any] = {"tool": args.worker}
    if args.worker == "zen":
        import zen

        scheme_spec = load_spec(_scheme())
        table = read_ipc(args.ipc).slice(0, args.zen_rows)
        started = time.perf_counter()
        contexts = zen_contexts(table)
        out["prepare_seconds"] = time.perf_counter() - started
        engine = zen.ZenEngine()
        graph = json.dumps(zen_graph(scheme_spec), ensure_ascii=False)
        decision = engine.create_decision(graph)
        decision.evaluate(contexts[0])  # compile once before timing
        rss = status_kib("VmRSS")
        out["hwm_reset"] = reset_peak()

        def run() -> Any:
            return [decision.evaluate(context)["result"] for context in contexts]

        seconds, results = timed_runs(run, args.repeat)
        out["rows"] = len(contexts)
        out["points"] = [r.get("points") for r in results]
        out["max_points"] = [r.get("max_points") for r in results]
        out["index"] = [r.get("index") for r in results]
        out["grade"] = [r.get("grade") for r in results]
        # The other two ways the binding offers, for their rates: async_evaluate (awaited in
        # groups of 1,000) and evaluate_batch; either may spread the work over threads.
        import asyncio

        async def gather() -> None:
            for start in range(0, len(contexts), 1000):
                await asyncio.gather(*[decision.async_evaluate(c) for c in contexts[start:start + 1000]])

        started = time.perf_counter()
        asyncio.run(gather())
        out["async_seconds"] = time.perf_counter() - started
        batch_engine = zen.ZenEngine({"loader": lambda key: graph})
        requests: list[Any] = [{"key": "plan", "context": context} for context in contexts]
        batch_engine.evaluate_batch(requests[:10])
        started = time.perf_counter()
        batch = batch_engine.evaluate_batch(requests)
        out["batch_seconds"] = time.perf_counter() - started
        out["batch_ok"] = sum(1 for r in batch if r.get("success"))
    else:
        table = read_ipc(args.ipc)
        out["rows"] = table.num_rows
        out["input_bytes"] = table.nbytes
        if args.worker == "parscore-python":
            import parscore

            scheme = parscore.Scheme.builtin(SCHEME_ID)
            scheme.evaluate_frame(table.slice(0, 100))  # warm the imports
            out["build"] = extension_build()
            decimals: Any = args.decimals if args.decimals == "exact" or args.decimals == "float" else int(args.decimals)

            def run() -> Any:
                return scheme.evaluate_frame(table, decimals=decimals, criteria=args.criteria)

        elif args.worker == "numpy":
            scheme_spec = load_spec(_scheme())
            float_scores(table.slice(0, 100), scheme_spec)  # warm the imports, as for parscore

            def run() -> Any:
                return float_scores(table, scheme_spec)

        elif args.worker == "polars":
            import polars as pl

            scheme_spec = load_spec(_scheme())
            # polars' own frame of the same table (numbers shared, text converted to its own
            # strings), made before the clock starts as the others' input is loaded.
            started = time.perf_counter()
            frame = pl.from_arrow(table)
            out["prepare_seconds"] = time.perf_counter() - started
            out["polars_threads"] = pl.thread_pool_size()
            query = polars_query(frame.lazy(), scheme_spec)
            polars_query(frame.head(100).lazy(), scheme_spec).collect()  # warm the imports, as for parscore

            def run() -> Any:
                return query.collect()

        elif args.worker == "read-floor":
            arrays = [c.combine_chunks() for c in table.columns]

            def run() -> Any:
                total = 0.0
                for array in arrays:
                    buffers = [b for b in array.buffers() if b is not None]
                    for buffer in buffers:
                        total += float(np.frombuffer(buffer, dtype=np.uint8).sum(dtype=np.uint64))
                return total

        else:
            raise SystemExit(f"unknown worker {args.worker}")
        gc.collect()
        rss = status_kib("VmRSS")
        out["hwm_reset"] = reset_peak()
        # One untimed run first: a process's first run also pays for touching its memory
        # the first time, which the runs after it reuse (the peak still counts it).
        run()
        seconds, result = timed_runs(run, args.repeat)
        if args.worker == "parscore-python":
            out["errors"] = int(pc.sum(pc.equal(result.column("status"), "error")).as_py() or 0)
            if args.decimals == "exact":
                # The checksum score_table prints: points to 12 places, half to even, summed.
                rounded = pc.round(result.column("points"), 12, round_mode="half_to_even")
                out["points_sum"] = str(pc.sum(rounded).as_py())
            out["output_bytes"] = result.nbytes
    peak = status_kib("VmHWM")
    out["seconds"] = seconds
    out["median_seconds"] = statistics.median(seconds)
    out["rows_per_second"] = out["rows"] / out["median_seconds"]
    out["rss_loaded_kib"] = rss
    out["peak_rss_kib"] = peak
    out["threads"] = args.threads
    print(json.dumps(out))


def _scheme() -> Any:
    import parscore

    return parscore.Scheme.builtin(SCHEME_ID)


def extension_build() -> str:
    """"release" or "dev" (an extension with DWARF debug sections is a dev build)."""
    import parscore

    try:
        so = next(Path(parscore.__file__).parent.glob("_parscore*.so"))
    except StopIteration:
        return "unknown"
    try:
        with open(so, "rb") as f:
            header = f.read(64)
            if header[:4] != b"\x7fELF" or header[4] != 2:
                return "unknown"
            shoff = int.from_bytes(header[0x28:0x30], "little")
            shentsize = int.from_bytes(header[0x3A:0x3C], "little")
            shnum = int.from_bytes(header[0x3C:0x3E], "little")
            shstrndx = int.from_bytes(header[0x3E:0x40], "little")
            f.seek(shoff + shstrndx * shentsize)
            entry = f.read(shentsize)
            offset = int.from_bytes(entry[0x18:0x20], "little")
            size = int.from_bytes(entry[0x20:0x28], "little")
            f.seek(offset)
            names = f.read(size)
        del shnum
        return "dev" if b".debug_info" in names else "release"
    except OSError:
        return "unknown"


def run_worker(script_args: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), *script_args]
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def merged(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One tool's rounds as one measurement: every round's time, their median, and the
    highest peak of memory over the loaded input of any round."""
    out = dict(runs[0])
    out["seconds"] = [second for run in runs for second in run["seconds"]]
    out["median_seconds"] = statistics.median(out["seconds"])
    out["rows_per_second"] = out["rows"] / out["median_seconds"]
    measured = [run for run in runs if run.get("peak_rss_kib") is not None and run.get("rss_loaded_kib") is not None]
    if measured:
        highest = max(measured, key=lambda run: run["peak_rss_kib"] - run["rss_loaded_kib"])
        out["peak_rss_kib"] = highest["peak_rss_kib"]
        out["rss_loaded_kib"] = highest["rss_loaded_kib"]
    out["hwm_reset"] = all(run.get("hwm_reset", False) for run in runs)
    return out


def run_rust(binary: Path, ipc: str, threads: int, repeat: int) -> dict[str, Any]:
    done = subprocess.run(
        [str(binary), "--ipc", ipc, "--threads", str(threads), "--repeat", str(repeat), "--warmup", "1"],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"score_table failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def single_unit_estimates() -> dict[str, float]:
    """Criterion's last `cargo bench -p parscore --bench evaluate` results, in nanoseconds
    (and, under "measured", when the newest of them was written)."""
    found: dict[str, Any] = {}
    for path in (ROOT / "target" / "criterion").glob("*/new/estimates.json"):
        try:
            bench = json.loads((path.parent / "benchmark.json").read_text())
            estimates = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        name = bench.get("full_id") or bench.get("title") or path.parent.parent.name
        found[name] = estimates["median"]["point_estimate"]
        written = time.strftime("%Y-%m-%d %H:%M", time.localtime(path.stat().st_mtime))
        found["measured"] = max(found.get("measured", ""), written)
    return found


# --------------------------------------------------------------------------- the checks


@dataclass
class Check:
    lines: list[str] = field(default_factory=list)
    verdict_flips: int = 0
    index_flips: int = 0
    grade_flips: int = 0
    rank_flips: int = 0
    max_points_diff: float = 0.0

    def note(self) -> str:
        return (
            f"max |Δ total| {self.max_points_diff:.1e}; verdicts differ {self.verdict_flips}, "
            f"index {self.index_flips}, grade {self.grade_flips}, rank {self.rank_flips}"
        )


def compare_float(table: pa.Table, spec: Spec, exact: pa.Table, floats: dict[str, Any]) -> Check:
    """A float version (numpy's or polars') against parscore's exact figures (given here as
    float64): totals, verdicts, reported index, grade and rank."""
    check = Check()
    points = exact.column("points").to_numpy()
    check.max_points_diff = float(np.nanmax(np.abs(points - floats["points"])))
    verdict_rows: dict[int, np.ndarray] = {}
    for leaf in spec.leaves:
        if leaf.index not in floats["verdicts"] or not spec.leaf_pass_is_full(leaf):
            continue
        exact_points = exact.column(leaf.code).to_numpy()
        exact_passed = (exact_points == float(leaf.max)) & floats["scored"][leaf.index]
        differ = exact_passed != floats["verdicts"][leaf.index]
        if differ.any():
            verdict_rows[leaf.index] = np.flatnonzero(differ)
            check.verdict_flips += int(differ.sum())
    index = exact.column("index").to_numpy(zero_copy_only=False).astype(np.float64)
    index_differ = ~(np.isclose(index, floats["index"], rtol=0, atol=1e-9) | (np.isnan(index) & np.isnan(floats["index"])))
    check.index_flips = int(index_differ.sum())
    names = {name: position for position, (name, _) in enumerate(spec.grades)}
    grades = np.array([names.get(g, -1) if g is not None else -1 for g in exact.column("grade").to_pylist()])
    grade_differ = grades != floats["grade"]
    check.grade_flips = int(grade_differ.sum())
    ranks = exact.column("rank").to_numpy(zero_copy_only=False).astype(np.float64)
    check.rank_flips = int((~np.isclose(ranks, floats["rank"], equal_nan=True)).sum())

    def counts(leaf: Leaf, row: int) -> str:
        indicator = spec.indicators[leaf.indicator]
        if "numerator" in indicator:
            n = table.column(indicator["numerator"])[row].as_py()
            d = table.column(indicator["denominator"])[row].as_py()
            return f"{n}/{d}"
        return repr(table.column(leaf.indicator)[row].as_py())

    for leaf_index, rows in list(verdict_rows.items())[:4]:
        leaf = spec.leaves[leaf_index]
        for row in rows[:2]:
            check.lines.append(
                f"  {table.column('unit')[row]} {table.column('period')[row]} {leaf.code} "
                f"{leaf.indicator} {leaf.op} {leaf.rhs}: value {counts(leaf, row)}, float computes "
                f"{floats['values'][leaf.index][row]!r} → "
                f"{'met' if floats['verdicts'][leaf.index][row] else 'missed'}; exact → "
                f"{'missed' if floats['verdicts'][leaf.index][row] else 'met'}"
            )
    shown = 0
    for row in np.flatnonzero(grade_differ)[:6]:
        check.lines.append(
            f"  {table.column('unit')[row]} {table.column('period')[row]}: exact index "
            f"{exact.column('index')[row].as_py()} ({exact.column('grade')[row].as_py()}); "
            f"float points {float(floats['points'][row])!r} → index {floats['index'][row]:.2f} "
            f"({spec.grades[floats['grade'][row]][0] if floats['grade'][row] >= 0 else None})"
        )
        shown += 1
    if shown == 0:
        for row in np.flatnonzero(index_differ)[:3]:
            check.lines.append(
                f"  {table.column('unit')[row]} {table.column('period')[row]}: exact index "
                f"{exact.column('index')[row].as_py()}; float points {float(floats['points'][row])!r} "
                f"→ index {floats['index'][row]:.2f}"
            )
    return check


def what_if(scheme: Any, spec: Spec) -> tuple[list[str], int]:
    """A what-if scenario on a rate given as counts: its target moved to the nearest whole
    percentage at which float `num / den * 100` lands below the exact rate whenever the counts
    are exactly on it (29, 57 and 58 among the whole numbers: 57/100 * 100 is
    56.99999999999999). Units exactly on the new target, scored both ways."""
    import parscore

    flipping = [t for t in range(1, 100) if (t / 100) * 100 < t]
    candidates = [
        leaf
        for leaf in spec.leaves
        if "numerator" in spec.indicators[leaf.indicator]
        and leaf.rule["kind"] in ("proportional", "threshold")
        and leaf.op == ">="
        and isinstance(leaf.rhs, Decimal)
        and spec.leaf_pass_is_full(leaf)
    ]
    if not candidates or not flipping:
        return [], 0

    def nearest(leaf: Leaf) -> int:
        return min(flipping, key=lambda t: abs(t - leaf.rhs))

    leaf = min(candidates, key=lambda leaf: abs(nearest(leaf) - leaf.rhs))
    old, new = int(leaf.rhs), nearest(leaf)
    doc = json.loads(scheme.to_json())

    def retarget(node: dict[str, Any]) -> None:
        if node.get("code") == leaf.code:
            node["target"] = f">= {new}"
            if node["rule"]["kind"] == "proportional":
                node["rule"]["full_at"] = new
        for child in node.get("criteria", []):
            retarget(child)

    for area in doc["areas"]:
        retarget(area)
    doc["id"] = f"{doc['id']}-what-if"
    variant = parscore.Scheme.from_json(json.dumps(doc, ensure_ascii=False))
    variant_spec = load_spec(variant)
    indicator = spec.indicators[leaf.indicator]
    base = full_row(variant_spec)
    pairs = [(new * k, 100 * k) for k in (1, 2, 3, 5, 10, 50, 100)]
    rows = [dict(base, unit=f"what-if-{n}/{d}", period="2024", **{indicator["numerator"]: n, indicator["denominator"]: d}) for n, d in pairs]
    names = ["unit", "period"] + [i.id for i in variant.indicators if i.source == "input"]
    small = pa.Table.from_pylist([{name: row.get(name) for name in names} for row in rows])
    exact = variant.evaluate_frame(small, decimals="float")
    floats = float_scores(small, variant_spec, detail=True)
    variant_leaf = variant_spec.leaves[leaf.index]
    lines = [
        f"  what-if: {leaf.code} ({leaf.indicator}) target {old}% → {new}%, units with counts exactly on it:"
    ]
    flips = 0
    for row, (n, d) in enumerate(pairs):
        exact_met = exact.column(leaf.code)[row].as_py() == float(variant_leaf.max)
        float_met = bool(floats["verdicts"][leaf.index][row])
        flips += exact_met != float_met
        lines.append(
            f"    {n}/{d}: float {n} / {d} * 100 = {float(floats['values'][leaf.index][row])!r} → "
            f"{'met' if float_met else 'missed'}, {float(floats['leaf_points'][leaf.index][row])!r} points; "
            f"parscore → {'met' if exact_met else 'missed'}, {exact.column(leaf.code)[row].as_py()!r} points"
        )
    return lines, flips


# --------------------------------------------------------------------------- the report


def fmt_rate(rate: float | None) -> str:
    if rate is None:
        return "–"
    return f"{rate / 1e6:.2f} M/s" if rate >= 1e6 else f"{rate / 1e3:.1f} k/s"


def fmt_ratio(ratio: float) -> str:
    return f"{ratio:.2f}×" if ratio >= 0.1 else f"{ratio:.4f}×"


def fmt_mib(kib: float | None) -> str:
    return "–" if kib is None else f"{kib / 1024:.0f} MiB"


def machine() -> str:
    model = platform.processor() or ""
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo") as info:
            memory = f"{int(info.readline().split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{model}, {os.cpu_count()} cores, {memory} RAM, load average {load}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="rounds: each tool runs once per round")
    parser.add_argument("--zen-rows", type=int, default=20_000, help="at most this many rows for zen-engine (1 in 50 of --rows, at least 1,000; its rate is extrapolated)")
    parser.add_argument("--skip", default="", help="comma-separated: rust, python, numpy, polars, zen, floor")
    parser.add_argument("--no-build", action="store_true", help="use the score_table binary as built")
    parser.add_argument("--keep", help="write the workload's Arrow IPC file here and keep it")
    parser.add_argument("--json", help="also write every measurement to this file")
    parser.add_argument("--markdown", help="also write the table and the goals as Markdown to this file")
    # Worker mode (internal): one tool in a fresh process.
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--ipc", help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--decimals", default="exact", help=argparse.SUPPRESS)
    parser.add_argument("--criteria", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return

    import parscore

    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    cores = os.cpu_count() or 1
    machine_line = machine()
    print(f"machine: {machine_line}")
    print(f"parscore extension: {parscore.__file__} ({extension_build()} build)")
    if extension_build() == "dev":
        print("  warning: a dev build of the extension; build a release one to measure it")
    scheme = parscore.Scheme.builtin(SCHEME_ID)
    spec = load_spec(scheme)

    started = time.perf_counter()
    table = make_table(scheme, spec, args.rows)
    input_bytes = table.nbytes
    print(
        f"workload: {table.num_rows:,} rows × {table.num_columns} columns of {SCHEME_ID} "
        f"({len(spec.leaves)} criteria), {input_bytes / 2**20:.0f} MiB in Arrow, "
        f"built in {time.perf_counter() - started:.1f} s"
    )
    directory = tempfile.TemporaryDirectory(prefix="batch-compare-")
    ipc = args.keep or os.path.join(directory.name, "workload.arrow")
    with pa.OSFile(ipc, "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)

    env_one = dict(os.environ, RAYON_NUM_THREADS="1", OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    # Every tool runs once per round, in a process of its own, and the rounds take turns, so
    # that a spell of load from other work on the machine slows every tool a little instead of
    # one tool a lot: the ratios stay fair on a shared machine.
    jobs: list[tuple[str, str, Any]] = []
    if "rust" not in skip:
        binary = ROOT / "target" / "release" / "examples" / "score_table"
        if not args.no_build:
            subprocess.run(
                ["cargo", "build", "--quiet", "--release", "-p", "parscore-columnar", "--example", "score_table"],
                cwd=ROOT,
                check=True,
            )
        for threads in (1, 0):
            jobs.append((
                f"rust-{threads or 'all'}",
                f"parscore Rust, {'1 thread' if threads else 'all cores'}",
                lambda threads=threads: run_rust(binary, ipc, threads, 1),
            ))
    base = ["--ipc", ipc, "--repeat", "1"]
    if "python" not in skip:
        for threads, env in ((1, env_one), (0, None)):
            jobs.append((
                f"python-{threads or 'all'}",
                f"parscore Python, {'1 thread' if threads else 'all cores'}",
                lambda threads=threads, env=env: run_worker(
                    ["--worker", "parscore-python", *base, "--threads", str(threads)], env
                ),
            ))
        jobs.append((
            "python-all-float",
            "parscore Python, all cores, decimals='float'",
            lambda: run_worker(["--worker", "parscore-python", *base, "--decimals", "float"]),
        ))
        jobs.append((
            "python-all-criteria",
            "parscore Python, all cores, with the points of every criterion",
            lambda: run_worker(["--worker", "parscore-python", *base, "--criteria"]),
        ))
    if "numpy" not in skip:
        jobs.append((
            "numpy",
            "the numpy float version",
            lambda: run_worker(["--worker", "numpy", *base, "--threads", "1"], env_one),
        ))
    if "polars" not in skip:
        # POLARS_MAX_THREADS is read when polars is imported: hence a process per setting.
        for threads, env in ((1, dict(env_one, POLARS_MAX_THREADS="1")), (0, None)):
            jobs.append((
                f"polars-{threads or 'all'}",
                f"polars, {'1 thread' if threads else 'all cores'}",
                lambda threads=threads, env=env: run_worker(
                    ["--worker", "polars", *base, "--threads", str(threads)], env
                ),
            ))
    if "floor" not in skip:
        jobs.append((
            "floor",
            "the read-only floor",
            lambda: run_worker(["--worker", "read-floor", *base, "--threads", "1"], env_one),
        ))
    rounds: dict[str, list[dict[str, Any]]] = {key: [] for key, _, _ in jobs}
    for round_number in range(1, args.repeat + 1):
        for key, label, run in jobs:
            print(f"round {round_number} of {args.repeat}: running {label} …", flush=True)
            rounds[key].append(run())
    results: dict[str, dict[str, Any]] = {key: merged(runs) for key, runs in rounds.items()}
    if "zen" not in skip:
        # zen runs on a subset: 1 in 50 rows (at least 1,000), at most --zen-rows.
        zen_rows = min(args.zen_rows, max(1000, args.rows // 50), args.rows)
        print(f"running zen-engine on {zen_rows:,} rows …", flush=True)
        results["zen"] = run_worker(
            ["--worker", "zen", "--ipc", ipc, "--repeat", "1", "--zen-rows", str(zen_rows), "--threads", "1"],
            env_one,
        )

    # ------------------------------------------------------------- checks (untimed)
    print("checking the peers against parscore …", flush=True)
    exact = scheme.evaluate_frame(table, decimals="float")
    notes: dict[str, str] = {}
    check = None
    if "numpy" not in skip:
        floats = float_scores(table, spec, detail=True)
        check = compare_float(table, spec, exact, floats)
        notes["numpy"] = check.note()
    polars_check = None
    if "polars" not in skip:
        import polars as pl

        detailed = polars_query(pl.from_arrow(table).lazy(), spec, detail=True).collect()
        polars_check = compare_float(table, spec, exact, polars_figures(detailed, spec))
        del detailed
        for key in ("polars-1", "polars-all"):
            if key in results:
                notes[key] = polars_check.note()
        if "polars-all" in results:
            notes["polars-all"] += f"; {results['polars-all']['polars_threads']} threads"
    zen_check = ""
    if "zen" in results:
        z = results["zen"]
        n = z["rows"]
        exact_points = exact.column("points").to_numpy()[:n]
        exact_index = exact.column("index").to_pylist()[:n]
        exact_grade = exact.column("grade").to_pylist()[:n]
        zen_points = np.array([np.nan if p is None else p for p in z["points"]], dtype=np.float64)
        diff = float(np.nanmax(np.abs(zen_points - exact_points))) if n else 0.0
        index_differ = sum(
            1
            for a, b in zip(z["index"], exact_index)
            if (a is None) != (b is None) or (a is not None and b is not None and abs(a - b) > 1e-9)
        )
        grade_differ = sum(1 for a, b in zip(z["grade"], exact_grade) if a != b)
        zen_check = f"max |Δ total| {diff:.1e}, index differs {index_differ}, grade differs {grade_differ} of {n:,}"
        notes["zen"] = (
            f"{n:,} rows, rate extrapolated; async_evaluate {fmt_rate(n / z['async_seconds'])}, "
            f"evaluate_batch {fmt_rate(n / z['batch_seconds'])}; dicts built beforehand "
            f"({z['prepare_seconds']:.2f} s, untimed)"
        )

    # ------------------------------------------------------------- the table
    reference = results.get("rust-1", {}).get("rows_per_second")
    titles = {
        "rust-1": ("parscore Rust score_batches", "1"),
        "rust-all": ("parscore Rust score_batches", str(cores)),
        "python-1": ("parscore Python evaluate_frame(criteria=False)", "1"),
        "python-all": ("parscore Python evaluate_frame(criteria=False)", str(cores)),
        "python-all-float": ("parscore Python evaluate_frame(decimals='float')", str(cores)),
        "python-all-criteria": ("parscore Python evaluate_frame(criteria=True)", str(cores)),
        "numpy": ("numpy float64 (same rules)", "1"),
        "polars-1": ("polars lazy float64 (same rules)", "1"),
        "polars-all": ("polars lazy float64 (same rules)", str(cores)),
        "zen": ("zen-engine JDM decision, evaluate()", "1"),
        "floor": ("read-only floor (numpy pass over the input)", "1"),
    }
    if "rust-1" in results and "python-1" in results:
        same = Decimal(results["rust-1"]["points_sum"]) == Decimal(results["python-1"]["points_sum"])
        notes.setdefault("python-1", "")
        notes["python-1"] = f"same total points as Rust: {'yes' if same else 'NO'}"
    for key in ("rust-1", "rust-all", "python-1", "python-all", "python-all-float", "python-all-criteria"):
        if key in results and results[key].get("errors"):
            notes[key] = (notes.get(key, "") + f"; {results[key]['errors']} error rows").lstrip("; ")
    header = f"{'tool':<50} {'thr':>3} {'rows':>10} {'median s':>9} {'rows/s':>11} {'vs Rust 1t':>10} {'peak Δ mem':>11} {'× input':>7}  notes"
    print()
    print(header)
    print("-" * len(header))
    table_rows = []
    for key, (title, thread_count) in titles.items():
        if key not in results:
            continue
        peak: int | None
        r = results[key]
        rate = r["rows_per_second"]
        ratio = fmt_ratio(rate / reference) if reference else "–"
        peak = None
        if r.get("peak_rss_kib") is not None and r.get("rss_loaded_kib") is not None and r.get("hwm_reset", False):
            peak = max(0, r["peak_rss_kib"] - r["rss_loaded_kib"])
        times_input = f"{peak * 1024 / input_bytes:.2f}" if peak is not None and key != "zen" else "–"
        line = (
            f"{title:<50} {thread_count:>3} {r['rows']:>10,} {r['median_seconds']:>9.3f} {fmt_rate(rate):>11} "
            f"{ratio:>10} {fmt_mib(peak) if key != 'zen' else '–':>11} {times_input:>7}  {notes.get(key, '')}"
        )
        print(line)
        table_rows.append(
            {"key": key, "tool": title, "threads": thread_count, "rows": r["rows"], "median_seconds": r["median_seconds"],
             "rows_per_second": rate, "ratio_vs_rust_1": rate / reference if reference else None,
             "peak_increase_kib": peak, "times_input": times_input, "ratio": ratio, "note": notes.get(key, "")}
        )
    print(f"input table: {input_bytes / 2**20:.0f} MiB (pyarrow Table.nbytes); peak Δ mem is the peak resident "
          "size during the runs above the process with the table loaded")

    if check is not None:
        print()
        print("float64 against exact, on the same table:")
        print(f"  total points: max absolute difference {check.max_points_diff:.3g}")
        print(f"  pass/fail verdicts that differ: {check.verdict_flips}")
        print(f"  reported index (2 places) that differs: {check.index_flips}; grade: {check.grade_flips}; rank: {check.rank_flips}")
        for line in check.lines:
            print(line)
        print(
            "  rates from counts: for this plan's targets (whole percentages) float `num / den * 100` is exactly "
            "the target whenever the counts are; it falls below it for other targets, as in this what-if:"
        )
        what_if_lines, what_if_flips = what_if(scheme, spec)
        for line in what_if_lines:
            print(line)
    if polars_check is not None:
        print()
        print("polars (float64) against exact, on the same table:")
        print(f"  total points: max absolute difference {polars_check.max_points_diff:.3g}")
        print(f"  pass/fail verdicts that differ: {polars_check.verdict_flips}")
        print(
            f"  reported index (2 places) that differs: {polars_check.index_flips}; grade: {polars_check.grade_flips}; "
            f"rank: {polars_check.rank_flips}"
        )
        for line in polars_check.lines:
            print(line)
    if zen_check:
        print()
        print(f"zen-engine against parscore, first {results['zen']['rows']:,} rows: {zen_check}")

    # ------------------------------------------------------------- the goals
    print()
    print("goals (issue: batch evaluation):")

    goals: list[tuple[str, str, str]] = []

    def goal(text: str, met: bool | None, detail: str) -> None:
        state = "n/a" if met is None else ("met" if met else "NOT met")
        goals.append((text, state, detail))
        print(f"  [{state:>7}] {text}: {detail}")

    r1, ra = results.get("rust-1"), results.get("rust-all")
    p1, pa_ = results.get("python-1"), results.get("python-all")
    if r1:
        goal("Rust ≥ 2,000,000 units/s on one core", r1["rows_per_second"] >= 2e6, fmt_rate(r1["rows_per_second"]))
    if r1 and ra:
        speedup = ra["rows_per_second"] / r1["rows_per_second"]
        goal(
            f"Rust scales with the {cores} cores (≥ 0.7 × cores)",
            speedup >= 0.7 * cores if cores > 1 else None,
            f"{speedup:.2f}× on {cores} cores",
        )
    if p1 and r1 and pa_ and ra:
        one = p1["rows_per_second"] / r1["rows_per_second"]
        alls = pa_["rows_per_second"] / ra["rows_per_second"]
        goal("Python evaluate_frame ≥ 70% of Rust", one >= 0.7 and alls >= 0.7, f"{one:.0%} on 1 thread, {alls:.0%} on all cores")
    if "numpy" in results:
        n = results["numpy"]["rows_per_second"]
        parts = []
        met: bool | None = None
        for key, label in (("rust-1", "Rust 1 thread"), ("python-1", "Python 1 thread"), ("python-all", "Python all cores")):
            if key in results:
                ratio = results[key]["rows_per_second"] / n
                parts.append(f"{label} {ratio:.2f}×")
                if key != "python-all":
                    met = (met is not False) and ratio > 1
        if parts:
            goal("faster than numpy float64 on one core", met, ", ".join(parts) + f" the float version ({fmt_rate(n)})")
    if "polars-1" in results or "polars-all" in results:
        parts = []
        for key, against, label in (
            ("rust-1", "polars-1", "Rust 1 thread against polars 1 thread"),
            ("python-1", "polars-1", "Python 1 thread against polars 1 thread"),
            ("rust-all", "polars-all", "Rust all cores against polars all cores"),
            ("python-all", "polars-all", "Python all cores against polars all cores"),
        ):
            if key in results and against in results:
                parts.append(f"{label} {results[key]['rows_per_second'] / results[against]['rows_per_second']:.2f}×")
        if parts:
            goal("ratio to polars, same run", None, ", ".join(parts))
    if check is not None:
        goal(
            "float version wrong at a boundary where parscore is not, shown",
            check.verdict_flips + check.grade_flips + check.index_flips + what_if_flips
            + (polars_check.verdict_flips + polars_check.index_flips if polars_check is not None else 0)
            > 0,
            f"on the plan: {check.verdict_flips} criterion verdicts, {check.index_flips} reported indexes and "
            f"{check.grade_flips} grades differ; in the what-if, {what_if_flips} of {len(what_if_lines) - 1} verdicts"
            + (
                f"; polars: {polars_check.verdict_flips} verdicts, {polars_check.index_flips} indexes and "
                f"{polars_check.grade_flips} grades differ"
                if polars_check is not None
                else ""
            ),
        )
    if "zen" in results and r1:
        z = results["zen"]["rows_per_second"]
        goal("ratio to zen-engine, same run", None, f"parscore Rust 1 thread is {r1['rows_per_second'] / z:.0f}× zen evaluate() ({fmt_rate(z)})")
    for key, label in (("rust-all", "Rust"), ("python-all", "Python")):
        measured = results.get(key)
        if measured and measured.get("hwm_reset") and measured.get("peak_rss_kib") is not None:
            peak = (measured["peak_rss_kib"] - measured["rss_loaded_kib"]) * 1024
            goal(f"{label} peak memory ≤ 2 × input", peak <= 2 * input_bytes, f"{peak / 2**20:.0f} MiB over the loaded input, {peak / input_bytes:.2f} × {input_bytes / 2**20:.0f} MiB")
    single = single_unit_estimates()
    unit: float | None = next((v for k, v in single.items() if k.startswith("evaluate one unit")), None)
    lean: float | None = next((v for k, v in single.items() if k.startswith("score one unit")), None)
    if unit is not None:
        goal(
            "single unit < 10 µs",
            unit < 10_000,
            f"Scheme::evaluate {unit / 1000:.2f} µs" + (f", Scorer {lean / 1000:.2f} µs" if lean else "")
            + f" (criterion median, `cargo bench -p parscore --bench evaluate` of {single['measured']})",
        )
    else:
        goal("single unit < 10 µs", None, "run `cargo bench -p parscore --bench evaluate` first")

    if args.markdown:
        lines = [
            f"Machine: {machine_line} at the start. Workload: {args.rows:,} rows, {input_bytes / 2**20:.0f} MiB in Arrow; "
            f"medians of {args.repeat} runs, the tools taking turns round after round.",
            "",
            "| tool | threads | rows | median s | rows/s | vs Rust, 1 thread | peak memory over the input | × input | notes |",
            "|---|--:|--:|--:|--:|--:|--:|--:|---|",
        ]
        for row in table_rows:
            peak_text = "–" if row["peak_increase_kib"] is None or row["key"] == "zen" else fmt_mib(row["peak_increase_kib"])
            lines.append(
                f"| {row['tool']} | {row['threads']} | {row['rows']:,} | {row['median_seconds']:.3f} | "
                f"{fmt_rate(row['rows_per_second'])} | {row['ratio']} | {peak_text} | {row['times_input']} | "
                f"{row['note'].replace('|', chr(92) + '|')} |"
            )
        lines += ["", "| goal | state | measured |", "|---|---|---|"]
        lines += [f"| {text} | {state} | {detail} |" for text, state, detail in goals]
        Path(args.markdown).write_text("\n".join(lines) + "\n")
    if args.json:
        Path(args.json).write_text(
            json.dumps({"machine": machine_line, "rows": args.rows, "input_bytes": input_bytes, "results": results,
                        "table": table_rows, "single_unit_ns": single}, indent=1, default=str)
        )
    directory.cleanup()


if __name__ == "__main__":
    main()
