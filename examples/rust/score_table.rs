//! Scores a seeded synthetic table of units on the built-in plan and prints the throughput:
//! the figure the batch benchmarks quote, in a binary that profilers can run.
//!
//! Run: `cargo run --release -p parscore --features arrow --example score_table -- [ROWS] [THREADS]`

use std::time::Instant;

use parscore::{ColumnarOptions, Scheme};

#[path = "../../crates/parscore/benches/workload.rs"]
mod workload;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let rows: usize = args.next().map_or(Ok(100_000), |a| a.parse())?;
    let threads: Option<usize> = args.next().map(|a| a.parse()).transpose()?;
    let scheme = Scheme::builtin("lang-son-snn-2024")?;
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
