//! What every fuzz target checks of what it scored: one result per row, points within
//! bounds at every node, and every output rendered without a panic.

use std::sync::{Arc, OnceLock};

use arrow_array::{ArrayRef, RecordBatch, StringArray};
use parscore::{Decimal, Evaluation, Options, RawRow, Rule, Scheme};
use parscore_columnar::{ColumnarOptions, ScoreBatches};

/// The built-in plan, loaded once.
pub fn builtin() -> &'static Scheme {
    static SCHEME: OnceLock<Scheme> = OnceLock::new();
    SCHEME.get_or_init(|| Scheme::builtin("lang-son-snn-2024").expect("the built-in plan loads"))
}

/// How far a unit's total may pass its maximum: the bonus cap when the scheme lets the
/// index pass 100, else nothing.
fn beyond(scheme: &Scheme) -> Decimal {
    match scheme.bonus() {
        Some((_, cap)) if scheme.index_above_100() => cap,
        _ => Decimal::ZERO,
    }
}

/// Points within bounds at every node, and every output of one evaluation: a penalties
/// section within `[-cap, 0]`, the unit above its maximum only as its bonus allows.
pub fn check(evaluation: &Evaluation) {
    let scheme = evaluation.scheme();
    for c in evaluation.criteria() {
        let least = match c.criterion().rule() {
            Some(Rule::Deduction { cap, .. }) => (c.max_points() - cap).min(Decimal::ZERO),
            _ => Decimal::ZERO,
        };
        assert!(
            c.points() <= c.max_points(),
            "{}: {} of {}",
            c.code(),
            c.points(),
            c.max_points()
        );
        assert!(
            c.points() >= least,
            "{}: {} of {}",
            c.code(),
            c.points(),
            c.max_points()
        );
        c.explanation();
    }
    for g in evaluation.groups() {
        let least = match scheme.penalties() {
            Some((section, cap)) if section.code == g.code() => -cap,
            _ => Decimal::ZERO,
        };
        assert!(
            g.points() >= least && g.points() <= g.max_points(),
            "{}",
            g.code()
        );
    }
    assert!(evaluation.points() >= Decimal::ZERO);
    assert!(evaluation.points() <= evaluation.max_points() + beyond(scheme));
    if let Some(index) = evaluation.index_rounded() {
        assert!(
            index <= Decimal::ONE_HUNDRED || scheme.index_above_100(),
            "{index}"
        );
    }
    evaluation.explain();
    evaluation.recoverable();
    evaluation.missing_summary();
    serde_json::to_string(&evaluation.to_json()).expect("an evaluation is JSON");
}

/// Rows through the row path, its outputs and the columnar path.
pub fn score(scheme: &Scheme, rows: &[RawRow]) {
    for strict in [false, true] {
        let batch = scheme.evaluate_rows(rows, true, &Options { strict });
        assert_eq!(batch.results.len(), rows.len());
        for result in &batch.results {
            if let Ok(evaluation) = &result.outcome {
                check(evaluation);
            }
        }
        serde_json::to_string(&batch.report()).expect("a report is JSON");
        batch.summary();
    }
    let mut names = vec!["unit".to_string()];
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
                    .map(|(_, v)| v.clone()),
            })
            .collect();
        (
            name.as_str(),
            Arc::new(StringArray::from(cells)) as ArrayRef,
        )
    });
    if let Ok(batch) = RecordBatch::try_from_iter(columns) {
        let options = ColumnarOptions {
            ignore_unknown: true,
            criteria: true,
            threads: Some(1),
            ..ColumnarOptions::default()
        };
        if let Ok(figures) = scheme.score_batches(&[batch], &options) {
            assert_eq!(figures.len(), rows.len());
            for row in 0..figures.len() {
                assert!(figures.points[row] >= Decimal::ZERO);
                assert!(figures.points[row] <= figures.max_points[row] + beyond(scheme));
            }
        }
    }
}

/// A scheme that loaded: an empty unit and a unit of every indicator at one cell.
pub fn exercise(scheme: &Scheme) {
    let rows: Vec<RawRow> = [
        "",
        "1e-28",
        "50.00000000000000000000000001",
        "1/3",
        "có",
        "n/a",
    ]
    .iter()
    .enumerate()
    .map(|(i, cell)| RawRow {
        row: i + 1,
        unit: Some(format!("u{i}")),
        period: None,
        cells: scheme
            .indicators()
            .iter()
            .map(|indicator| (indicator.id.clone(), cell.to_string()))
            .collect(),
    })
    .collect();
    score(scheme, &rows);
    scheme.to_toml().ok();
    scheme.to_json().ok();
}

pub mod cells;
pub mod command;
