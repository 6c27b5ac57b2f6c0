#!/usr/bin/env python3
"""Dossier records: `parscore records summarize` against polars on the same Parquet file.

Generates a seeded export of dossier records (the built-in profile's Vietnamese headers,
status labels in both languages, dates over 2024 across the Tết and 30/4 holidays, a few bad
rows) as Parquet and as CSV, then times, in the same run:

- parscore on the Parquet file and on the CSV file (wall time of the process, and its peak
  resident memory from /usr/bin/time -v);
- polars computing the same counts with lazy `scan_parquet` + `group_by` + `agg` on the same
  Parquet file (the query's time inside a fresh process, import not counted).

and checks that the counts agree. Usage:

    pip install -r benches/requirements.txt
    python benches/records_vs_polars.py              # 10 million rows
    python benches/records_vs_polars.py --rows 200000  # a quick check

The release binary is built first (`cargo build --release -p parscore-cli`) unless --no-build.
Peak memory is read from GNU time (`/usr/bin/time -v`; Debian/Ubuntu: `apt install time`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
CALENDAR = ROOT / "crates/parscore-records/calendars/vietnam.toml"
AS_OF = dt.date(2024, 12, 31)
YEAR_START = dt.date(2024, 1, 1)

UNITS = [
    "Sở Tư pháp", "Sở Tài chính", "Sở Nội vụ", "Sở Y tế", "Sở Giáo dục và Đào tạo",
    "Sở Xây dựng", "Sở Công Thương", "Sở Nông nghiệp và Môi trường",
    "Sở Khoa học và Công nghệ", "Sở Văn hóa, Thể thao và Du lịch", "Sở Dân tộc và Tôn giáo",
    "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn", "Công an tỉnh",
    "UBND thành phố Lạng Sơn", "UBND huyện Tràng Định", "UBND huyện Văn Lãng",
    "UBND huyện Bình Gia", "UBND huyện Bắc Sơn", "UBND huyện Văn Quan", "UBND huyện Cao Lộc",
    "UBND huyện Lộc Bình", "UBND huyện Chi Lăng", "UBND huyện Đình Lập", "UBND huyện Hữu Lũng",
]

# Status labels as the systems write them, and what each means (the polars side maps these
# exact texts; parscore reads any spelling of its vocabulary).
DONE_UNDECIDED = ["Đã giải quyết", "Hoàn thành", "", "resolved", "Đã trả kết quả"]
DONE_EARLY = ["Trước hạn", "Sớm hạn", "early", "Đã giải quyết trước hạn"]
DONE_ON_TIME = ["Đúng hạn", "on time", "Đã giải quyết đúng hạn"]
DONE_LATE = ["Trễ hạn", "Quá hạn", "late"]
OPEN = ["Đang xử lý", "Đang giải quyết", "in progress", "", "Đang thụ lý"]
WAITING = ["Chờ bổ sung", "waiting for supplements"]
WITHDRAWN = ["Rút hồ sơ", "withdrawn", "Đã rút"]
UNKNOWN = ["Đã huỷ"]
STATUS_KEYS = {
    **{label: "resolved" for label in DONE_UNDECIDED if label},
    **{label: "early" for label in DONE_EARLY},
    **{label: "on_time" for label in DONE_ON_TIME},
    **{label: "late" for label in DONE_LATE},
    **{label: "in_progress" for label in OPEN if label},
    **{label: "waiting" for label in WAITING},
    **{label: "withdrawn" for label in WITHDRAWN},
    "": "none",
}

COLUMNS = {
    "id": "Mã hồ sơ",
    "unit": "Đơn vị",
    "procedure": "Mã thủ tục",
    "received": "Ngày tiếp nhận",
    "due": "Ngày hẹn trả",
    "completed": "Ngày có kết quả",
    "status": "Trạng thái",
    "online": "Hình thức nộp",
    "full_online": "Toàn trình",
    "paid_online": "Thanh toán trực tuyến",
    "digitised": "Số hóa",
}
YES = {"online": ["Trực tuyến"], "full_online": ["x"], "paid_online": ["x"], "digitised": ["x"]}


def generate(rows: int, seed: int) -> pl.DataFrame:
    """A year of dossiers; about 0.2% of them bad in one of four ways."""
    rng = np.random.default_rng(seed)
    weights = rng.pareto(1.2, len(UNITS)) + 1
    unit = rng.choice(len(UNITS), rows, p=weights / weights.sum())
    start = np.datetime64(YEAR_START.isoformat(), "D")
    end = np.datetime64(AS_OF.isoformat(), "D")
    received = start + rng.integers(0, 366, rows).astype("timedelta64[D]")
    term = rng.integers(1, 21, rows)
    due = received + term.astype("timedelta64[D]")
    delay = (rng.random(rows) * (term + 6)).astype(np.int64)
    completed = received + delay.astype("timedelta64[D]")
    u = rng.random(rows)
    withdrawn = u < 0.01
    waiting = (u >= 0.01) & (u < 0.03)
    open_ = ((u >= 0.03) & (u < 0.13)) | (completed > end)
    done = ~(withdrawn | waiting | open_)

    def pick(labels, mask):
        return np.array(labels, dtype=object)[rng.integers(0, len(labels), rows)], mask

    status = np.empty(rows, dtype=object)
    undecided, _ = pick(DONE_UNDECIDED, done)
    early, _ = pick(DONE_EARLY, done)
    on_time, _ = pick(DONE_ON_TIME, done)
    late, _ = pick(DONE_LATE, done)
    labelled = rng.random(rows) < 0.4
    status[:] = undecided
    status = np.where(done & labelled & (completed < due), early, status)
    status = np.where(done & labelled & (completed == due), on_time, status)
    status = np.where(done & labelled & (completed > due), late, status)
    status = np.where(open_, pick(OPEN, open_)[0], status)
    status = np.where(waiting, pick(WAITING, waiting)[0], status)
    status = np.where(withdrawn, pick(WITHDRAWN, withdrawn)[0], status)
    has_completed = done.copy()

    # Bad rows: completed before received, an unknown status, no unit, a result label
    # without a completed date.
    bad = rng.random(rows)
    before = bad < 0.0005
    completed = np.where(before, received - np.timedelta64(2, "D"), completed)
    has_completed |= before
    status = np.where(before, "Đã giải quyết", status)
    unknown = (bad >= 0.0005) & (bad < 0.001)
    status = np.where(unknown, UNKNOWN[0], status)
    no_unit = (bad >= 0.001) & (bad < 0.0015)
    conflict = (bad >= 0.0015) & (bad < 0.002)
    status = np.where(conflict, "Đúng hạn", status)
    has_completed &= ~conflict

    channel = rng.random(rows)
    online = np.where(channel < 0.55, "Trực tuyến", np.where(channel < 0.95, "Trực tiếp", "Bưu chính"))
    full_online = np.where((channel < 0.55) & (rng.random(rows) < 0.6), "x", "")
    pay = rng.random(rows)
    paid_online = np.where(pay < 0.3, "x", np.where(pay < 0.9, "", "Tiền mặt"))
    digitised = np.where(rng.random(rows) < 0.7, "x", "")
    units = np.array(UNITS, dtype=object)[unit]
    frame = pl.DataFrame(
        {
            COLUMNS["id"]: pl.int_range(rows, eager=True),
            COLUMNS["unit"]: pl.Series(units, dtype=pl.String),
            COLUMNS["procedure"]: pl.Series(rng.integers(0, 300, rows)).cast(pl.String),
            COLUMNS["received"]: pl.Series(received).cast(pl.Date),
            COLUMNS["due"]: pl.Series(due).cast(pl.Date),
            COLUMNS["completed"]: pl.Series(completed).cast(pl.Date),
            COLUMNS["status"]: pl.Series(status.astype(str), dtype=pl.String),
            COLUMNS["online"]: pl.Series(online, dtype=pl.String),
            COLUMNS["full_online"]: pl.Series(full_online, dtype=pl.String),
            COLUMNS["paid_online"]: pl.Series(paid_online, dtype=pl.String),
            COLUMNS["digitised"]: pl.Series(digitised, dtype=pl.String),
        }
    )
    return frame.with_columns(
        pl.format("000.00.12.H47-{}", pl.col(COLUMNS["id"]).cast(pl.String).str.zfill(8)).alias(COLUMNS["id"]),
        ("1.00" + pl.col(COLUMNS["procedure"]).str.zfill(4)).alias(COLUMNS["procedure"]),
        pl.when(pl.Series(no_unit)).then(None).otherwise(pl.col(COLUMNS["unit"])).alias(COLUMNS["unit"]),
        pl.when(pl.Series(has_completed)).then(pl.col(COLUMNS["completed"])).otherwise(None).alias(COLUMNS["completed"]),
    )


def write_files(frame: pl.DataFrame, directory: Path) -> tuple[Path, Path]:
    parquet = directory / "dossiers.parquet"
    csv = directory / "dossiers.csv"
    # pyarrow's Parquet, as most exports are written: plain strings, snappy, 1 Mi-row groups.
    table = frame.to_arrow()
    table = table.cast(pa.schema([
        pa.field(f.name, pa.string() if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)
                 or pa.types.is_string_view(f.type) else f.type)
        for f in table.schema
    ]))
    pq.write_table(table, parquet, row_group_size=1 << 20, compression="snappy")
    frame.write_csv(csv, date_format="%d/%m/%Y")
    return parquet, csv


def roll_forward_table() -> pl.DataFrame:
    """Each day of 2024–2025 and the working day a term ending on it runs to (the built-in
    calendar: weekends, holidays, swapped Saturdays)."""
    calendar = tomllib.loads(CALENDAR.read_text())
    off, worked = set(), set()
    for year in calendar["years"]:
        if year["year"] not in (2024, 2025):
            continue
        for holiday in year.get("holidays", []):
            first = dt.date.fromisoformat(holiday.get("date") or holiday["from"])
            last = dt.date.fromisoformat(holiday.get("date") or holiday["to"])
            while first <= last:
                off.add(first)
                first += dt.timedelta(days=1)
        for day in year.get("working_days", []):
            worked.add(dt.date.fromisoformat(day["date"]))

    def working(day):
        return day in worked or (day.weekday() < 5 and day not in off)

    days = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(731)]
    rolled = []
    for day in days:
        end = day
        while not working(end):
            end += dt.timedelta(days=1)
        rolled.append(end)
    return pl.DataFrame({"due": days, "term_end": rolled})


POLARS_QUERY = r'''
import datetime, json, sys, time
import polars as pl
path, roll_path, status_path, yes_path, as_of = sys.argv[1:6]
# Status labels as small integer codes: comparing strings row by row would be slower.
NONE, RESOLVED, EARLY, ON_TIME, LATE, OPEN, WAITING, WITHDRAWN, UNKNOWN, OPEN_OVERDUE = range(10)
CODES = {"none": NONE, "resolved": RESOLVED, "early": EARLY, "on_time": ON_TIME, "late": LATE,
         "in_progress": OPEN, "waiting": WAITING, "withdrawn": WITHDRAWN}
labels = {label: CODES[key] for label, key in json.load(open(status_path)).items()}
yes = json.load(open(yes_path))
roll = pl.read_parquet(roll_path)
term_ends = dict(zip(roll["due"].to_list(), roll["term_end"].to_list()))
as_of = datetime.date.fromisoformat(as_of)
start = time.perf_counter()
C = pl.col
lf = pl.scan_parquet(path).select(
    unit=C("Đơn vị"), received=C("Ngày tiếp nhận"), due=C("Ngày hẹn trả"),
    completed=C("Ngày có kết quả"),
    label=C("Trạng thái").fill_null("").replace_strict(labels, default=UNKNOWN, return_dtype=pl.UInt8),
    online=C("Hình thức nộp").is_in(yes["online"]),
    full_online=C("Toàn trình").is_in(yes["full_online"]),
    paid_online=C("Thanh toán trực tuyến").is_in(yes["paid_online"]),
    digitised=C("Số hóa").is_in(yes["digitised"]),
)
done = C("completed").is_not_null()
label = C("label")
# The rows parscore counts: the others are its bad records.
good = (
    C("unit").is_not_null() & (C("unit") != "") & (label != UNKNOWN)
    & (C("completed").is_null() | (C("completed") >= C("received")))
    & (C("due") >= C("received"))
    & ~(label.is_in([EARLY, ON_TIME, RESOLVED]) & ~done)
    & ~(label.is_in([OPEN, WAITING]) & done)
    & (C("received") <= as_of) & (C("completed").is_null() | (C("completed") <= as_of))
)
status = (
    pl.when(label == NONE).then(pl.when(done).then(pl.lit(RESOLVED, pl.UInt8)).otherwise(pl.lit(OPEN, pl.UInt8)))
    .when((label == LATE) & ~done).then(pl.lit(OPEN_OVERDUE, pl.UInt8))
    .otherwise(label)
)
# A term ending on a day off runs to the next working day (the built-in calendar).
term_end = C("due").replace_strict(term_ends, return_dtype=pl.Date)
lf = lf.filter(good).with_columns(status=status, term_end=term_end)
s = C("status")
timeliness = (
    pl.when(s == RESOLVED).then(
        pl.when(C("completed") < C("due")).then(pl.lit(EARLY, pl.UInt8))
        .when(C("completed") <= C("term_end")).then(pl.lit(ON_TIME, pl.UInt8))
        .otherwise(pl.lit(LATE, pl.UInt8)))
    .when(s.is_in([EARLY, ON_TIME, LATE])).then(s)
)
lf = lf.with_columns(timeliness=timeliness)
t = C("timeliness")
never = (s == WAITING) | t.is_in([EARLY, ON_TIME]).fill_null(False) | (done & (C("completed") <= C("due"))) | (s == WITHDRAWN)
overdue_from = pl.when(~never & (C("completed").is_null() | (C("term_end") < C("completed")))).then(C("term_end"))
# Quarters of 2024: received in, completed in (99: not yet), overdue from (99: not by as_of).
lf = lf.with_columns(
    rq=C("received").dt.quarter(),
    cq=pl.when(done).then(C("completed").dt.quarter()).otherwise(pl.lit(99, pl.Int8)),
    oq=pl.when(overdue_from <= as_of).then(overdue_from.dt.quarter()).otherwise(pl.lit(99, pl.Int8)),
)
received = lf.group_by("unit", C("rq").alias("quarter")).agg(
    received=pl.len(), withdrawn=(s == WITHDRAWN).sum(), online=C("online").sum(),
    full_online=C("full_online").sum(), paid_online=C("paid_online").sum(), digitised=C("digitised").sum())
resolved = lf.filter(t.is_not_null()).group_by("unit", C("cq").alias("quarter")).agg(
    resolved=pl.len(), early=(t == EARLY).sum(), on_time=t.is_in([EARLY, ON_TIME]).sum(), late=(t == LATE).sum())
# In progress at the end of quarter q: received by then and not completed by then.
backlog = lf.filter(s != WITHDRAWN).group_by("unit").agg(
    *[((C("rq") <= q) & (C("cq") > q)).sum().alias(f"pending_{q}") for q in range(1, 5)],
    *[((C("oq") <= q) & (C("cq") > q)).sum().alias(f"overdue_{q}") for q in range(1, 5)])
received, resolved, backlog = pl.collect_all([received, resolved, backlog])
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "received": received.to_dicts(), "resolved": resolved.to_dicts(),
                  "backlog": backlog.to_dicts()}, default=str))
'''


def timed(command: list[str]) -> tuple[float, int, subprocess.CompletedProcess]:
    """Wall seconds, peak resident memory (KiB) and the finished process."""
    time_binary = shutil.which("time") and Path("/usr/bin/time")
    wrapped = ["/usr/bin/time", "-v", *command] if time_binary and time_binary.exists() else command
    start = time.perf_counter()
    process = subprocess.run(wrapped, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", process.stderr)
    return seconds, int(match.group(1)) if match else 0, process


def parscore_summary(binary: Path, path: Path, output: Path, threads: int | None) -> list[str]:
    command = [str(binary), "records", "summarize", "--period", "quarter",
               "--as-of", AS_OF.isoformat(), "--format", "json", "--quiet",
               "--output", str(output), str(path)]
    if threads:
        command[3:3] = ["--threads", str(threads)]
    return command


def compare(parscore: dict, polars: dict) -> list[str]:
    """Every count of every group, parscore against polars; the differences, if any."""
    theirs: dict[tuple[str, int], dict[str, int]] = {}

    def at(unit, quarter):
        return theirs.setdefault((unit, quarter), {})

    for row in polars["received"]:
        group = at(row["unit"], row["quarter"])
        received = row["received"]
        group.update(
            received=received,
            withdrawn=row["withdrawn"],
            online_rate=f"{row['online']}/{received}",
            full_online_rate=f"{row['full_online']}/{received}",
            paid_online_rate=f"{row['paid_online']}/{received}",
            digitised_rate=f"{row['digitised']}/{received}",
        )
    for row in polars["resolved"]:
        at(row["unit"], row["quarter"]).update(
            resolved=row["resolved"], resolved_early=row["early"],
            resolved_on_time=row["on_time"], resolved_late=row["late"])
    for row in polars["backlog"]:
        for q in range(1, 5):
            if row[f"pending_{q}"] or row[f"overdue_{q}"] or (row["unit"], q) in theirs:
                at(row["unit"], q).update(pending=row[f"pending_{q}"], overdue_in_progress=row[f"overdue_{q}"])
    differences = []
    ours = {}
    for group in parscore["groups"]:
        year, quarter = group["period"].split("-Q")
        ours[(group["unit"], int(quarter))] = group
    for key in sorted(set(ours) | set(theirs)):
        mine, other = ours.get(key), theirs.get(key)
        if mine is None or other is None:
            differences.append(f"{key}: only in {'polars' if mine is None else 'parscore'}")
            continue
        for name in ["received", "withdrawn", "resolved", "resolved_early", "resolved_on_time",
                     "resolved_late", "pending", "overdue_in_progress", "online_rate",
                     "full_online_rate", "paid_online_rate", "digitised_rate"]:
            expected = other.get(name, 0 if not name.endswith("_rate") else "n/a")
            if name.endswith("_rate") and expected.endswith("/0"):
                expected = "n/a"
            if mine[name] != expected:
                differences.append(f"{key} {name}: parscore {mine[name]}, polars {expected}")
    return differences


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                cpu = line.split(":", 1)[1].strip()
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB RAM, {platform.system()} {platform.release()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--threads", type=int, help="parscore --threads (default: one per core)")
    parser.add_argument("--dir", type=Path, help="where the files go (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--no-build", action="store_true", help="use the release binary as it is")
    args = parser.parse_args()

    binary = ROOT / "target/release/parscore"
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "parscore-cli"], cwd=ROOT, check=True)
    directory = args.dir or Path(tempfile.mkdtemp(prefix="parscore-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    try:
        started = time.perf_counter()
        frame = generate(args.rows, args.seed)
        parquet, csv = write_files(frame, directory)
        del frame
        print(f"generated {args.rows:,} rows in {time.perf_counter() - started:.1f} s: "
              f"{parquet.stat().st_size / 2**20:.0f} MiB Parquet, {csv.stat().st_size / 2**20:.0f} MiB CSV")
        roll = directory / "roll.parquet"
        roll_forward_table().write_parquet(roll)
        (directory / "status.json").write_text(json.dumps(STATUS_KEYS))
        (directory / "yes.json").write_text(json.dumps(YES))
        query = directory / "polars_query.py"
        query.write_text(POLARS_QUERY)

        results: dict[str, list[tuple[float, int]]] = {"parquet": [], "csv": [], "polars": []}
        summaries: dict[str, dict] = {}
        polars_counts = None
        for run in range(args.runs):
            for name, path in (("parquet", parquet), ("csv", csv)):
                output = directory / f"summary-{name}.json"
                seconds, peak, process = timed(parscore_summary(binary, path, output, args.threads))
                if process.returncode not in (0, 1):
                    print(process.stderr, file=sys.stderr)
                    return 2
                results[name].append((seconds, peak))
                summaries[name] = json.loads(output.read_text())
            seconds, peak, process = timed([sys.executable, str(query), str(parquet), str(roll),
                                            str(directory / "status.json"), str(directory / "yes.json"),
                                            AS_OF.isoformat()])
            if process.returncode != 0:
                print(process.stderr, file=sys.stderr)
                return 2
            polars_counts = json.loads(process.stdout)
            results["polars"].append((polars_counts["seconds"], peak))
            print(f"run {run + 1}: parscore parquet {results['parquet'][-1][0]:.2f} s, "
                  f"csv {results['csv'][-1][0]:.2f} s, polars {results['polars'][-1][0]:.2f} s")

        agree = summaries["parquet"]["groups"] == summaries["csv"]["groups"] and \
            summaries["parquet"]["bad"]["total"] == summaries["csv"]["bad"]["total"]
        differences = compare(summaries["parquet"], polars_counts)
        bad = summaries["parquet"]["bad"]
        median = {name: statistics.median(s for s, _ in runs) for name, runs in results.items()}
        peak = {name: max(p for _, p in runs) for name, runs in results.items()}
        rows = args.rows
        print()
        print(f"machine: {machine()}")
        print(f"records: {rows:,} ({summaries['parquet']['counted']:,} counted, {bad['total']:,} bad: "
              + ", ".join(f"{k['kind']} {k['count']:,}" for k in bad["kinds"]) + f"); "
              f"{len(summaries['parquet']['groups'])} unit × quarter groups")
        print()
        print(f"| run | median wall time ({args.runs} runs) | records/s | peak memory | vs polars |")
        print("|---|---:|---:|---:|---:|")
        for name, label in (("parquet", "parscore, Parquet"), ("csv", "parscore, CSV"),
                            ("polars", "polars `scan_parquet` + `group_by`, Parquet")):
            ratio = median[name] / median["polars"]
            print(f"| {label} | {median[name]:.2f} s | {rows / median[name] / 1e6:.1f} M | "
                  f"{peak[name] / 1024:.0f} MiB | {ratio:.2f}× |")
        print()
        print(f"parscore Parquet and CSV summaries identical: {'yes' if agree else 'NO'}")
        if differences:
            print(f"counts differing from polars: {len(differences)}")
            for line in differences[:20]:
                print("  " + line)
        else:
            print("every count of every unit and quarter agrees with polars")
        return 0 if agree and not differences else 1
    finally:
        if not args.keep and args.dir is None:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
