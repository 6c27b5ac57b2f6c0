//! The speed goal of the uncertainty analysis, measured side by side with its yardstick:
//! 10,000 samples of 60 units of the built-in plan (600,000 exact evaluations) against the
//! columnar engine scoring 600,000 rows (`score_batches`, the figures alone), both on one
//! thread. The goal: the study takes at most twice as long. The study with a sensitivity
//! analysis by area is measured too, at 1,000 samples.
//!
//! `cargo bench -p parscore-uncertainty --bench sensitivity`

use std::hint::black_box;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use parscore::{Options, RawRow, Scheme};
use parscore_columnar::{ColumnarOptions, ScoreBatches};
use parscore_uncertainty::{Level, Model, Settings, Study};

#[path = "../../parscore-columnar/benches/workload.rs"]
mod workload;
use workload::workload;

const UNITS: usize = 60;
const SAMPLES: usize = 10_000;

/// The first rows of the table as the rows a file reader gives.
fn rows(table: &RecordBatch, count: usize) -> Vec<RawRow> {
    (0..count)
        .map(|row| {
            let mut raw = RawRow {
                row: row + 1,
                ..RawRow::default()
            };
            for (field, column) in table.schema().fields().iter().zip(table.columns()) {
                if column.is_null(row) {
                    continue;
                }
                let text = match column.data_type() {
                    DataType::Utf8 => column.as_string::<i32>().value(row).to_string(),
                    DataType::Float64 => {
                        column.as_primitive::<Float64Type>().value(row).to_string()
                    }
                    DataType::Int64 => column.as_primitive::<Int64Type>().value(row).to_string(),
                    DataType::Boolean => column.as_boolean().value(row).to_string(),
                    other => panic!("the workload has no {other} column"),
                };
                match field.name().as_str() {
                    "unit" => raw.unit = Some(text),
                    "period" => raw.period = Some(text),
                    name => raw.cells.push((name.to_string(), text)),
                }
            }
            raw
        })
        .collect()
}

fn sensitivity(c: &mut Criterion) {
    let scheme = Scheme::builtin("lang-son-snn-2024").unwrap();
    let evaluations = UNITS * SAMPLES;
    let table = workload(&scheme, evaluations);
    let rows = rows(&table, UNITS);
    let batch = scheme.evaluate_rows(&rows, false, &Options::default());
    let model = Model::default_for(&scheme);

    let mut group = c.benchmark_group("600,000 exact evaluations, 1 thread");
    group.throughput(Throughput::Elements(evaluations as u64));
    group.sample_size(10);
    let columnar = ColumnarOptions {
        threads: Some(1),
        ..ColumnarOptions::default()
    };
    group.bench_function("score_batches of 600,000 rows", |b| {
        b.iter(|| {
            scheme
                .score_batches(black_box(std::slice::from_ref(&table)), &columnar)
                .unwrap()
        })
    });
    let uncertainty = Study::new(
        &batch,
        &model,
        Settings {
            samples: SAMPLES,
            seed: 2024,
            threads: Some(1),
            sensitivity: None,
        },
    )
    .unwrap();
    group.bench_function("study of 60 units × 10,000 samples", |b| {
        b.iter(|| black_box(&uncertainty).run().unwrap())
    });
    group.finish();

    let mut group = c.benchmark_group("sensitivity by area, 1 thread");
    group.sample_size(10);
    let by_area = Study::new(
        &batch,
        &model,
        Settings {
            samples: 1_000,
            seed: 2024,
            threads: Some(1),
            sensitivity: Some(Level::Areas),
        },
    )
    .unwrap();
    group.bench_function("study of 60 units × 1,000 samples, 9 area factors", |b| {
        b.iter(|| black_box(&by_area).run().unwrap())
    });
    group.finish();
}

criterion_group!(benches, sensitivity);
criterion_main!(benches);
