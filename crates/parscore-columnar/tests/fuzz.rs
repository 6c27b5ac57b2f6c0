//! The core's fuzzing harness (`crates/parscore/tests/fuzz.rs`, included below, whose
//! properties run here too) through the columnar engine: the same arbitrary scheme text and
//! arbitrary rows as a record batch of text cells through `score_batches`, strict and not.
//!
//! Asserted for every case: no panic, one result per input row, points within `[0, max]`
//! (above the maximum by at most the bonus cap, only when the scheme lets the index pass
//! 100).

use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StringArray};
use parscore::{Decimal, RawRow, Scheme};
use parscore_columnar::{ColumnarOptions, ScoreBatches};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

#[path = "../../parscore/tests/fuzz.rs"]
mod harness;

use harness::{beyond, config, ids, rows, scheme_text, seeded_rows};

fn score_columns(scheme: &Scheme, rows: &[RawRow]) -> Result<(), TestCaseError> {
    let mut names: Vec<String> = vec!["unit".into()];
    for row in rows {
        for (column, _) in &row.cells {
            if !names.contains(column) {
                names.push(column.clone());
            }
        }
    }
    let columns = names.iter().map(|name| {
        let cells: Vec<Option<String>> = rows
            .iter()
            .map(|row| match name.as_str() {
                "unit" => row.unit.clone(),
                _ => row
                    .cells
                    .iter()
                    .find(|(c, _)| c == name)
                    .map(|(_, cell)| cell.clone()),
            })
            .collect();
        (
            name.as_str(),
            Arc::new(StringArray::from(cells)) as ArrayRef,
        )
    });
    let Ok(batch) = RecordBatch::try_from_iter(columns) else {
        return Ok(());
    };
    for strict in [false, true] {
        let options = ColumnarOptions {
            strict,
            ignore_unknown: !strict,
            criteria: true,
            threads: Some(1),
            coverage: true,
        };
        if let Ok(figures) = scheme.score_batches(std::slice::from_ref(&batch), &options) {
            prop_assert_eq!(figures.len(), rows.len());
            for row in 0..figures.len() {
                prop_assert!(figures.points[row] >= Decimal::ZERO);
                prop_assert!(figures.points[row] <= figures.max_points[row] + beyond(scheme));
                if let Some(index) = figures.index[row] {
                    prop_assert!(index <= Decimal::ONE_HUNDRED || scheme.index_above_100());
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// A scheme that loads from any text scores any rows from columns.
    #[test]
    fn any_scheme_text_then_any_rows_from_columns(text in scheme_text(), seed in any::<u64>()) {
        let Ok(scheme) = Scheme::from_text(&text) else {
            return Ok(());
        };
        score_columns(&scheme, &seeded_rows(&scheme, seed))?;
    }

    /// The built-in plan, whose rules are the richest, with any rows from columns.
    #[test]
    fn the_builtin_plan_with_any_rows_from_columns(rows in rows(ids(&Scheme::builtin("lang-son-snn-2024").unwrap()))) {
        score_columns(&Scheme::builtin("lang-son-snn-2024").unwrap(), &rows)?;
    }
}
