//! Hostile tables through the columnar engine: 28 places, a column given twice, a rate and
//! counts that disagree.

use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StringArray};
use parscore::{Decimal, IndicatorSource, InputError, Rule, Scheme};
use parscore_columnar::{ColumnarOptions, ScoreBatches};

fn builtin() -> Scheme {
    Scheme::builtin("lang-son-snn-2024").unwrap()
}

/// Input indicators of the built-in plan scored by a proportional rule.
fn proportional_indicators(scheme: &Scheme) -> Vec<String> {
    let proportional = |c: &&parscore::Criterion| matches!(c.rule(), Some(Rule::Proportional(_)));
    let ids = scheme.leaves().filter(proportional);
    ids.filter_map(|c| scheme.indicator_of(c))
        .filter(|indicator| indicator.source == IndicatorSource::Input)
        .map(|indicator| indicator.id.clone())
        .collect()
}

fn batch(columns: Vec<(&str, Vec<&str>)>) -> RecordBatch {
    RecordBatch::try_from_iter(
        columns
            .into_iter()
            .map(|(name, cells)| (name, Arc::new(StringArray::from(cells)) as ArrayRef)),
    )
    .unwrap()
}

#[test]
fn twenty_eight_decimals_in_a_table_stay_within_bounds() {
    let scheme = builtin();
    let ids = proportional_indicators(&scheme);
    let mut columns = vec![("unit", vec!["A", "B"])];
    for id in &ids {
        columns.push((id.as_str(), vec!["50.00000000000000000000000001", "1e-28"]));
    }
    let options = ColumnarOptions {
        criteria: true,
        ..ColumnarOptions::default()
    };
    let figures = scheme.score_batches(&[batch(columns)], &options).unwrap();
    assert!(figures.errors.is_empty(), "{:?}", figures.errors);
    for row in 0..2 {
        assert!(figures.points[row] <= figures.max_points[row]);
        assert!(figures.index[row].unwrap() <= Decimal::from(100));
    }
}

#[test]
fn a_column_given_twice_is_refused() {
    let scheme = builtin();
    let columns = vec![
        ("unit", vec!["A"]),
        ("survey_points", vec!["1"]),
        ("survey_points", vec!["20"]),
    ];
    let error = scheme
        .score_batches(&[batch(columns)], &ColumnarOptions::default())
        .unwrap_err();
    assert!(
        matches!(&error, InputError::Row { reason, .. } if reason.contains("two columns `survey_points`")),
        "{error}"
    );
}

#[test]
fn a_rate_and_counts_that_disagree_fail_their_row() {
    let scheme = builtin();
    let columns = vec![
        ("unit", vec!["A", "B"]),
        ("dossiers_on_time_rate", vec!["99.5", "90"]),
        ("dossiers_on_time", vec!["900", "900"]),
        ("dossiers_resolved", vec!["1000", "1000"]),
    ];
    let figures = scheme
        .score_batches(&[batch(columns)], &ColumnarOptions::default())
        .unwrap();
    assert_eq!(figures.errors.len(), 1);
    assert_eq!(figures.errors[0].0, 0);
}
