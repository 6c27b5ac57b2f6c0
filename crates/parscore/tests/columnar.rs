//! Columnar scoring gives, row for row, what the row-by-row evaluation gives: the same
//! points, maxima, reported index, grade, rank, per-criterion points and errors.
#![cfg(feature = "arrow")]

use std::sync::Arc;

use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray};
use parscore::{ColumnarOptions, IndicatorKind, IndicatorSource, Options, RawRow, Scheme};
use proptest::prelude::*;

fn builtin() -> Scheme {
    Scheme::builtin("lang-son-snn-2024").unwrap()
}

/// One generated cell: how it is stored in Arrow, and the same cell as text for a raw row.
#[derive(Debug, Clone)]
enum Cell {
    Null,
    Float(f64),
    Int(i64),
    Bool(bool),
    Text(String),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Float(f) => f.to_string(),
            Cell::Int(i) => i.to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::Text(t) => t.clone(),
        }
    }
}

fn cell(kind: IndicatorKind) -> BoxedStrategy<Cell> {
    let value = match kind {
        IndicatorKind::Percent => prop_oneof![
            (0i64..=10_000).prop_map(|v| Cell::Float(v as f64 / 100.0)),
            (0u32..=500, 1u32..=500).prop_map(|(a, b)| Cell::Text(format!("{}/{}", a.min(b), b))),
            Just(Cell::Float(100.5)),
        ]
        .boxed(),
        IndicatorKind::Count => {
            prop_oneof![(0i64..=200).prop_map(Cell::Int), Just(Cell::Int(-1))].boxed()
        }
        IndicatorKind::Bool => any::<bool>().prop_map(Cell::Bool).boxed(),
        _ => (0i64..=2_500)
            .prop_map(|v| Cell::Float(v as f64 / 100.0))
            .boxed(),
    };
    prop_oneof![8 => value, 1 => Just(Cell::Null), 1 => Just(Cell::Text("n/a".into()))].boxed()
}

/// Columns of the same type throughout, as a frame has them: a percent column mixing floats
/// and text is stored as text.
fn column(cells: &[Cell]) -> ArrayRef {
    let all = |f: fn(&Cell) -> bool| cells.iter().all(|c| matches!(c, Cell::Null) || f(c));
    if all(|c| matches!(c, Cell::Float(_))) {
        Arc::new(Float64Array::from_iter(cells.iter().map(|c| match c {
            Cell::Float(f) => Some(*f),
            _ => None,
        })))
    } else if all(|c| matches!(c, Cell::Int(_))) {
        Arc::new(Int64Array::from_iter(cells.iter().map(|c| match c {
            Cell::Int(i) => Some(*i),
            _ => None,
        })))
    } else if all(|c| matches!(c, Cell::Bool(_))) {
        Arc::new(BooleanArray::from_iter(cells.iter().map(|c| match c {
            Cell::Bool(b) => Some(*b),
            _ => None,
        })))
    } else {
        Arc::new(StringArray::from_iter(cells.iter().map(|c| match c {
            Cell::Null => None,
            other => Some(other.text()),
        })))
    }
}

fn table(rows: usize) -> impl Strategy<Value = (Vec<String>, Vec<Vec<Cell>>)> {
    let scheme = builtin();
    let inputs: Vec<(String, IndicatorKind)> = scheme
        .indicators()
        .iter()
        .filter(|i| i.source == IndicatorSource::Input)
        .map(|i| (i.id.clone(), i.kind))
        .collect();
    let names: Vec<String> = inputs.iter().map(|(id, _)| id.clone()).collect();
    let columns: Vec<_> = inputs
        .iter()
        .map(|(_, kind)| prop::collection::vec(cell(*kind), rows))
        .collect();
    (Just(names), columns)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn columnar_scoring_equals_row_by_row((names, columns) in table(40), threads in 1usize..3, split in 1usize..40) {
        let scheme = builtin();
        let rows = columns[0].len();
        // Units with ties, and two periods, so ranking within periods is exercised.
        let units: Vec<String> = (0..rows).map(|r| format!("unit {}", r % 17)).collect();
        let periods: Vec<String> = (0..rows).map(|r| if r % 3 == 0 { "2025".into() } else { "2024".into() }).collect();
        let raw: Vec<RawRow> = (0..rows)
            .map(|r| RawRow {
                row: r + 1,
                unit: Some(units[r].clone()),
                period: Some(periods[r].clone()),
                cells: names.iter().zip(&columns).map(|(n, c)| (n.clone(), c[r].text())).collect(),
            })
            .collect();
        let expected = scheme.evaluate_rows(&raw, false, &Options::default());

        // Two record batches, split at an arbitrary row.
        let batch = |range: std::ops::Range<usize>| {
            let mut fields: Vec<(String, ArrayRef)> = vec![
                ("unit".into(), Arc::new(StringArray::from(units[range.clone()].to_vec())) as ArrayRef),
                ("period".into(), Arc::new(StringArray::from(periods[range.clone()].to_vec()))),
            ];
            for (name, cells) in names.iter().zip(&columns) {
                fields.push((name.clone(), column(&cells[range.clone()])));
            }
            RecordBatch::try_from_iter(fields).unwrap()
        };
        let batches = [batch(0..split), batch(split..rows)];
        let options = ColumnarOptions { threads: Some(threads), ..ColumnarOptions::default() };
        let figures = scheme.score_batches(&batches, &options).unwrap();

        prop_assert_eq!(figures.len(), rows);
        for (r, result) in expected.results.iter().enumerate() {
            prop_assert_eq!(figures.units[r].as_deref(), Some(units[r].as_str()));
            match &result.outcome {
                Ok(evaluation) => {
                    prop_assert!(figures.error(r).is_none(), "row {r}: {:?}", figures.error(r));
                    prop_assert_eq!(figures.points[r], evaluation.points());
                    prop_assert_eq!(figures.max_points[r], evaluation.max_points());
                    prop_assert_eq!(figures.index[r], evaluation.index_rounded());
                    let grade = figures.grades[r].map(|g| scheme.grades()[g].name.as_str());
                    prop_assert_eq!(grade, evaluation.grade().map(|g| g.name.as_str()));
                    prop_assert_eq!(figures.ranks[r], result.rank);
                    for (column, criterion) in figures.criteria.iter().zip(evaluation.criteria()) {
                        prop_assert_eq!(column[r], criterion.points(), "{}", criterion.code());
                    }
                }
                Err(error) => {
                    prop_assert_eq!(figures.error(r), Some(error));
                    prop_assert_eq!(figures.ranks[r], None);
                }
            }
        }
    }
}

#[test]
fn a_table_without_units_or_with_unreadable_columns_is_refused() {
    let scheme = builtin();
    let no_unit = RecordBatch::try_from_iter([(
        "survey_points",
        Arc::new(Float64Array::from(vec![17.5])) as ArrayRef,
    )])
    .unwrap();
    let error = scheme
        .score_batches(&[no_unit], &ColumnarOptions::default())
        .unwrap_err();
    assert!(error.to_string().contains("no `unit` column"), "{error}");
}

#[test]
fn unknown_columns_fail_each_row_unless_ignored() {
    let scheme = builtin();
    let batch = RecordBatch::try_from_iter([
        (
            "unit",
            Arc::new(StringArray::from(vec!["A", "B"])) as ArrayRef,
        ),
        (
            "survey_pointz",
            Arc::new(Float64Array::from(vec![17.5, 18.0])),
        ),
    ])
    .unwrap();
    let figures = scheme
        .score_batches(std::slice::from_ref(&batch), &ColumnarOptions::default())
        .unwrap();
    assert_eq!(figures.errors.len(), 2);
    assert_eq!(
        figures.error(1).and_then(|e| e.indicator()),
        Some("survey_pointz")
    );
    let ignoring = ColumnarOptions {
        ignore_unknown: true,
        ..ColumnarOptions::default()
    };
    let figures = scheme.score_batches(&[batch], &ignoring).unwrap();
    assert!(figures.errors.is_empty());
    assert_eq!(figures.ranks, [Some(1), Some(1)]);
}
