//! Batch throughput on the built-in plan: a seeded synthetic table of units (rates as values
//! and as counts, some missing, some not applicable, values around each target so that every
//! rule branch runs), scored column by column on one thread and on every core.
//!
//! `cargo bench -p parscore --features arrow --bench batch`

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use parscore::{ColumnarOptions, Scheme};

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
    for threads in [Some(1), None] {
        let options = ColumnarOptions {
            threads,
            ..ColumnarOptions::default()
        };
        let name = threads.map_or("all cores".to_string(), |t| format!("{t} thread"));
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
