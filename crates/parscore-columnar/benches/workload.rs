//! The seeded synthetic workload of the batch benchmarks: units on the built-in plan with
//! rates as values and as counts, some missing, values around each target so that every
//! rule branch runs. The same table on every machine.

use std::sync::Arc;

use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray};
use parscore::{IndicatorKind, IndicatorSource, Scheme};

/// A small deterministic generator (SplitMix64): the same table on every machine.
struct Seeded(u64);

impl Seeded {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

pub fn workload(scheme: &Scheme, rows: usize) -> RecordBatch {
    let mut rng = Seeded(2024);
    let mut columns: Vec<(String, ArrayRef)> = vec![
        (
            "unit".into(),
            Arc::new(StringArray::from_iter_values(
                (0..rows).map(|r| format!("unit-{r}")),
            )),
        ),
        (
            "period".into(),
            Arc::new(StringArray::from(vec!["2024"; rows])),
        ),
    ];
    for indicator in scheme.indicators() {
        if indicator.source != IndicatorSource::Input {
            continue;
        }
        let id = indicator.id.as_str();
        let array: ArrayRef = match indicator.kind {
            IndicatorKind::Bool => Arc::new(BooleanArray::from_iter(
                (0..rows).map(|_| (rng.below(50) != 0).then(|| rng.below(10) != 0)),
            )),
            IndicatorKind::Count
                if id.contains("resolved")
                    || id.contains("received")
                    || id.contains("payable")
                    || id.contains("total") =>
            {
                Arc::new(Int64Array::from_iter(
                    (0..rows).map(|_| (rng.below(50) != 0).then(|| rng.below(2_000) as i64)),
                ))
            }
            // Numerators of rates: drawn near their denominators, which the scheme checks.
            IndicatorKind::Count => Arc::new(Int64Array::from_iter(
                (0..rows).map(|_| (rng.below(50) != 0).then(|| rng.below(12) as i64)),
            )),
            // Survey points out of 20, to two decimals.
            IndicatorKind::Points => {
                Arc::new(Float64Array::from_iter((0..rows).map(|_| {
                    (rng.below(50) != 0).then(|| rng.below(2_001) as f64 / 100.0)
                })))
            }
            // Rates around their targets (90–100%), to two decimals.
            _ => Arc::new(Float64Array::from_iter((0..rows).map(|_| {
                (rng.below(50) != 0).then(|| (9_000 + rng.below(1_001)) as f64 / 100.0)
            }))),
        };
        columns.push((id.to_string(), array));
    }
    RecordBatch::try_from_iter(columns).expect("the workload is a valid table")
}
