//! Batch throughput on the built-in plan: a seeded synthetic table of units (rates as values
//! and as counts, some missing, some not applicable, values around each target so that every
//! rule branch runs), scored column by column on one thread and on every core, and once
//! more keeping the points of every criterion.
//!
//! `cargo bench -p parscore-columnar --bench batch`

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use parscore::Scheme;
use parscore_columnar::{ColumnarOptions, ScoreBatches};

#[path = "workload.rs"]
mod workload;
use workload::workload;

fn batch(c: &mut Criterion) {
    let scheme = Scheme::builtin("lang-son-snn-2024").unwrap();
    let rows = 100_000;
    let table = workload(&scheme, rows);
    let mut group = c.benchmark_group("score_batches lang-son-snn-2024");
    group.throughput(Throughput::Elements(rows as u64));
    group.sample_size(10);
    for (threads, criteria) in [(Some(1), false), (None, false), (Some(1), true)] {
        let options = ColumnarOptions {
            threads,
            criteria,
            ..ColumnarOptions::default()
        };
        let name = threads.map_or("all cores".to_string(), |t| format!("{t} thread"))
            + if criteria {
                ", points per criterion"
            } else {
                ""
            };
        group.bench_function(name, |b| {
            b.iter(|| {
                scheme
                    .score_batches(black_box(std::slice::from_ref(&table)), &options)
                    .unwrap()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, batch);
criterion_main!(benches);
