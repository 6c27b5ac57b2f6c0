//! Scores a table of units on the built-in plan and prints the throughput: the figure the
//! batch benchmarks quote, in a binary that profilers can run.
//!
//! Two modes:
//!
//! - `score_table [ROWS] [THREADS]` scores the seeded synthetic workload of the criterion
//!   benches (`crates/parscore-columnar/benches/workload.rs`) and prints one line.
//! - `score_table --ipc FILE [--threads N] [--repeat K] [--warmup W] [--criteria]` reads an
//!   Arrow IPC file (Feather v2, uncompressed), as `benches/batch_compare.py` writes it,
//!   scores it W times untimed (0 unless asked) and K times timed, and prints one JSON object:
//!   the time of each timed run, the median, rows per second, and the peak resident memory of
//!   all the runs above what the loaded table holds (Linux: `VmHWM` after resetting it
//!   through `/proc/self/clear_refs`). `--threads 0` (the default) uses every core;
//!   `--criteria` keeps every criterion's points too.
//!
//! Run: `cargo run --release -p parscore-columnar --example score_table -- [ARGS]`

use std::fs::File;
use std::io::BufReader;
use std::time::Instant;

use arrow_array::RecordBatch;
use parscore::{Decimal, Scheme};
use parscore_columnar::{ColumnarOptions, ScoreBatches};

#[path = "../../crates/parscore-columnar/benches/workload.rs"]
mod workload;

const SCHEME: &str = "lang-son-snn-2024";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--ipc") {
        return score_file(&args[1..]);
    }
    let mut args = args.into_iter();
    let rows: usize = args.next().map_or(Ok(100_000), |a| a.parse())?;
    let threads: Option<usize> = args.next().map(|a| a.parse()).transpose()?;
    let scheme = Scheme::builtin(SCHEME)?;
    let table = workload::workload(&scheme, rows);
    let options = ColumnarOptions {
        threads,
        ..ColumnarOptions::default()
    };
    let started = Instant::now();
    let figures = scheme.score_batches(std::slice::from_ref(&table), &options)?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{rows} units in {seconds:.3} s: {:.0} units/s ({} rows failed)",
        rows as f64 / seconds,
        figures.errors.len()
    );
    Ok(())
}

/// `--ipc FILE [--threads N] [--repeat K] [--warmup W] [--criteria]`: scores the file's table
/// and prints JSON.
fn score_file(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let path = args.first().ok_or("--ipc needs a file")?;
    let mut threads = 0usize;
    let mut repeat = 3usize;
    let mut warmup = 0usize;
    let mut criteria = false;
    let mut rest = args[1..].iter();
    while let Some(flag) = rest.next() {
        if flag == "--criteria" {
            criteria = true;
            continue;
        }
        let value = rest.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--threads" => threads = value.parse()?,
            "--repeat" => repeat = value.parse::<usize>()?.max(1),
            "--warmup" => warmup = value.parse()?,
            other => return Err(format!("unknown option {other}").into()),
        }
    }
    let scheme = Scheme::builtin(SCHEME)?;
    let reader = arrow_ipc::reader::FileReader::try_new(BufReader::new(File::open(path)?), None)?;
    let batches = reader.collect::<Result<Vec<RecordBatch>, _>>()?;
    let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
    // The bytes the columns span (an IPC file's arrays share one buffer per batch, so
    // `get_array_memory_size` would count it once per column).
    let input_bytes: usize = batches
        .iter()
        .flat_map(RecordBatch::columns)
        .map(|column| column.to_data().get_slice_memory_size().unwrap_or(0))
        .sum();
    let options = ColumnarOptions {
        threads: (threads > 0).then_some(threads),
        criteria,
        ..ColumnarOptions::default()
    };
    let rss_loaded = status_kib("VmRSS");
    let hwm_reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    for _ in 0..warmup {
        scheme.score_batches(&batches, &options)?;
    }
    let mut seconds = Vec::with_capacity(repeat);
    let mut errors = 0;
    let mut points_sum = Decimal::ZERO;
    for _ in 0..repeat {
        let started = Instant::now();
        let figures = scheme.score_batches(&batches, &options)?;
        seconds.push(started.elapsed().as_secs_f64());
        errors = figures.errors.len();
        // A checksum to compare runs by: each unit's points to 12 places (banker's rounding),
        // summed exactly.
        points_sum = figures.points.iter().map(|p| p.round_dp(12)).sum();
        drop(figures);
    }
    let peak = status_kib("VmHWM");
    let mut sorted = seconds.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    let seconds: Vec<String> = seconds.iter().map(|s| format!("{s:.6}")).collect();
    let kib = |k: Option<u64>| k.map_or("null".to_string(), |k| k.to_string());
    println!(
        "{{\"tool\": \"parscore-rust\", \"rows\": {rows}, \"threads\": {}, \"cores\": {}, \
         \"seconds\": [{}], \"median_seconds\": {median:.6}, \"rows_per_second\": {:.1}, \
         \"errors\": {errors}, \"points_sum\": \"{points_sum}\", \"input_bytes\": {input_bytes}, \
         \"rss_loaded_kib\": {}, \"peak_rss_kib\": {}, \"hwm_reset\": {hwm_reset}}}",
        threads,
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        seconds.join(", "),
        rows as f64 / median,
        kib(rss_loaded),
        kib(peak),
    );
    Ok(())
}

/// A `kB` field of `/proc/self/status` (Linux), in KiB.
fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}
