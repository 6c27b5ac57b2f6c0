//! Evaluation speed on the built-in plan: one unit through the general path, and batches.
//! `cargo bench -p parscore --bench evaluate`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use parscore::{Options, Scheme, rows_from_json};

fn example_rows() -> Vec<parscore::RawRow> {
    let text = include_str!("../../../examples/data/units-2024.json");
    rows_from_json(text).expect("example data parses")
}

fn single_unit(c: &mut Criterion) {
    let scheme = Scheme::builtin("lang-son-snn-2024").unwrap();
    let rows = example_rows();
    let inputs = scheme.inputs_from_row(&rows[0], false).unwrap();
    let options = Options::default();
    c.bench_function("evaluate one unit (lang-son-snn-2024)", |b| {
        b.iter(|| scheme.evaluate(black_box(&inputs), &options).unwrap())
    });
    let mut scorer = parscore::Scorer::new(&scheme);
    c.bench_function("score one unit, figures only (Scorer)", |b| {
        b.iter(|| scorer.score(black_box(&inputs), &options).unwrap())
    });
    c.bench_function("parse one row of cells", |b| {
        b.iter(|| scheme.inputs_from_row(black_box(&rows[0]), false).unwrap())
    });
}

criterion_group!(benches, single_unit);
criterion_main!(benches);
