//! Columnar scoring gives, row for row, what the row-by-row evaluation gives: the same
//! points, maxima, reported index, grade, rank, per-criterion points and errors.
#[path = "../../parscore/tests/support/mod.rs"]
mod support;

use std::sync::Arc;

use arrow_array::{
    Array, ArrayRef, BooleanArray, Decimal128Array, Float64Array, Int64Array, RecordBatch,
    StringArray,
};
use parscore::{Decimal, IndicatorKind, IndicatorSource, Options, RawRow, Scheme};
use parscore_columnar::{ColumnarOptions, ScoreBatches};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use support::{Cell, cell, scheme_file};

fn builtin() -> Scheme {
    Scheme::builtin("lang-son-snn-2024").unwrap()
}

/// A scheme with a criterion for each kernel and each way out of one: goal posts whose span
/// does not terminate, bands and thresholds on rates of counts, a target on another
/// indicator, a deduction, given points, a yes/no, n/a for full points, negative fail
/// points (so groups clamp at zero), bounded numbers.
const KERNELS: &str = r#"
id = "kernels"
title = "Every kernel"
version = "1"
estimated = true
provenance = "Constructed for the columnar tests."

[rounding]
places = 2
mode = "half_up"
apply = "report"

[[grades]]
name = "A"
min_index = 90

[[grades]]
name = "B"
min_index = 50

[[grades]]
name = "C"
min_index = 0

[[indicators]]
id = "received"
title = "received"
kind = "count"

[[indicators]]
id = "online"
title = "online"
kind = "count"

[[indicators]]
id = "online_rate"
title = "online rate"
kind = "percent"
numerator = "online"
denominator = "received"

[[indicators]]
id = "units_2021"
title = "units 2021"
kind = "count"

[[indicators]]
id = "units"
title = "units"
kind = "count"

[[indicators]]
id = "reduction"
title = "reduction"
kind = "percent"
baseline = "units_2021"
current = "units"

[[indicators]]
id = "quota"
title = "quota"
kind = "count"

[[indicators]]
id = "staff"
title = "staff"
kind = "count"

[[indicators]]
id = "score"
title = "score"
kind = "number"
min = 0
max = 10

[[indicators]]
id = "survey"
title = "survey"
kind = "points"

[[indicators]]
id = "flag"
title = "flag"
kind = "bool"

[[indicators]]
id = "rate"
title = "rate"
kind = "percent"

[[indicators]]
id = "late"
title = "late"
kind = "count"

[[areas]]
code = "A"
title = "A"
max_points = 10

[[areas.criteria]]
code = "A.1"
title = "A.1"
max_points = 6

[[areas.criteria.criteria]]
code = "A.1.1"
title = "A.1.1"
indicator = "online_rate"
max_points = 2
target = ">= 80"
rule = { kind = "proportional", floor = 20, full_at = 80 }

[[areas.criteria.criteria]]
code = "A.1.2"
title = "A.1.2"
indicator = "online_rate"
max_points = 1.5
rule = { kind = "bands", bands = [{ min = 90, points = 1.5 }, { min = 50, points = 0.5 }] }

[[areas.criteria.criteria]]
code = "A.1.3"
title = "A.1.3"
indicator = "reduction"
max_points = 1
target = ">= 3"
rule = { kind = "threshold", pass_points = 1, fail_points = 0.25 }

[[areas.criteria.criteria]]
code = "A.1.4"
title = "A.1.4"
indicator = "rate"
max_points = 1.5
target = ">= 95"
rule = { kind = "proportional", full_at = 80 }
not_applicable = "full_points"

[[areas.criteria]]
code = "A.2"
title = "A.2"
indicator = "staff"
max_points = 1
target = "<= @quota"
rule = { kind = "threshold" }

[[areas.criteria]]
code = "A.3"
title = "A.3"
indicator = "flag"
max_points = 1
target = "== true"
rule = { kind = "boolean" }

[[areas.criteria]]
code = "A.4"
title = "A.4"
indicator = "late"
max_points = 2
rule = { kind = "deduction", per = 0.75, cap = 3 }

[[areas]]
code = "B"
title = "B"
max_points = 26.333

[[areas.criteria]]
code = "B.1"
title = "B.1"
indicator = "survey"
max_points = 20
rule = { kind = "given" }

[[areas.criteria]]
code = "B.2"
title = "B.2"
indicator = "score"
max_points = 5
target = "!= 0"
rule = { kind = "bands", bands = [{ min = 9, points = 5 }, { min = 5, points = 2.25 }] }

[[areas.criteria]]
code = "B.3"
title = "B.3"
indicator = "rate"
max_points = 0.333
target = "> 99.5"
rule = { kind = "proportional", floor = 0, full_at = 100 }

[[areas.criteria]]
code = "B.4"
title = "B.4"
indicator = "rate"
max_points = 0.5
target = "> 99.5"
rule = { kind = "threshold" }

[[areas.criteria]]
code = "B.5"
title = "B.5"
indicator = "rate"
max_points = 0.25
target = "< 99.5"
rule = { kind = "threshold" }

[[areas.criteria]]
code = "B.6"
title = "B.6"
indicator = "late"
max_points = 0.25
target = "== 0"
rule = { kind = "threshold" }
"#;

fn kernels(apply: &str) -> Scheme {
    Scheme::from_toml(&KERNELS.replace("apply = \"report\"", &format!("apply = \"{apply}\"")))
        .unwrap()
}

/// A table: the names of its columns, and each column's cells with whether its floats are
/// stored as Arrow decimals.
type Table = (Vec<String>, Vec<(Vec<Cell>, bool)>);

/// Columns of the same type throughout, as a frame has them: a percent column mixing floats
/// and text is stored as text; a column of floats as floats or, with `decimal`, as Arrow
/// decimals.
fn column(cells: &[Cell], decimal: bool) -> ArrayRef {
    let all = |f: fn(&Cell) -> bool| cells.iter().all(|c| matches!(c, Cell::Null) || f(c));
    if let Some(units) = decimal_units(cells, decimal) {
        Arc::new(
            Decimal128Array::from(units)
                .with_precision_and_scale(20, 4)
                .unwrap(),
        )
    } else if all(|c| matches!(c, Cell::Float(_))) {
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

/// The units of 10^-4 of a column [`column`] stores as Arrow decimals: asked to, and every
/// cell a float exact at 4 places or null.
fn decimal_units(cells: &[Cell], decimal: bool) -> Option<Vec<Option<i128>>> {
    if !decimal {
        return None;
    }
    cells
        .iter()
        .map(|c| match c {
            Cell::Null => Some(None),
            Cell::Float(f) => {
                let units = (f * 1e4).round();
                (units / 1e4 == *f).then_some(Some(units as i128))
            }
            _ => None,
        })
        .collect()
}

/// Each cell as the text of a raw row, as [`column`] stores it: a decimal column holds a
/// quarter as 0.2500, which is what a message about it quotes.
fn stored_text(cells: &[Cell], decimal: bool) -> Vec<String> {
    match decimal_units(cells, decimal) {
        Some(units) => units
            .into_iter()
            .map(|u| {
                u.map_or(String::new(), |u| {
                    Decimal::from_i128_with_scale(u, 4).to_string()
                })
            })
            .collect(),
        None => cells.iter().map(Cell::text).collect(),
    }
}

/// A table for a scheme: a column per indicator (derived rates too, mostly empty), each
/// with its cells and whether floats are stored as decimals.
fn table(scheme: &Scheme, rows: usize) -> impl Strategy<Value = Table> + use<> {
    let names: Vec<String> = scheme.indicators().iter().map(|i| i.id.clone()).collect();
    let columns: Vec<_> = scheme
        .indicators()
        .iter()
        .map(|indicator| (prop::collection::vec(cell(indicator), rows), any::<bool>()))
        .collect();
    (Just(names), columns)
}

/// A random valid scheme (every kind of rule, derived rates, targets on other indicators,
/// nested groups, rounding of each criterion) and a table of `rows` rows for it.
fn random_scheme_and_table(rows: usize) -> impl Strategy<Value = (Scheme, Table)> {
    scheme_file()
        .prop_map(|file| Scheme::from_file(file).expect("generated schemes are valid"))
        .prop_flat_map(move |scheme| (Just(scheme.clone()), table(&scheme, rows)))
}

/// A table of typed columns only (floats, integers, yes/no; no text), each with nulls at its
/// own rate — none, few or many — so that a long table's validity bits come in whole words
/// with and without nulls. Derived rates are left to their counts.
fn typed_table(scheme: &Scheme, rows: usize) -> impl Strategy<Value = Table> + use<> {
    let names: Vec<String> = scheme.indicators().iter().map(|i| i.id.clone()).collect();
    let columns: Vec<_> = scheme
        .indicators()
        .iter()
        .map(|indicator| {
            let value = match indicator.kind {
                _ if indicator.source != IndicatorSource::Input => Just(Cell::Null).boxed(),
                IndicatorKind::Percent => (0i64..=10_000)
                    .prop_map(|v| Cell::Float(v as f64 / 100.0))
                    .boxed(),
                IndicatorKind::Count => (0i64..=200).prop_map(Cell::Int).boxed(),
                IndicatorKind::Bool => any::<bool>().prop_map(Cell::Bool).boxed(),
                _ => (0i64..=2_500)
                    .prop_map(|v| Cell::Float(v as f64 / 100.0))
                    .boxed(),
            };
            let null_percent = prop_oneof![Just(0u32), Just(1), Just(30)];
            (null_percent, any::<bool>()).prop_flat_map(move |(rate, decimal)| {
                let cell = (value.clone(), 0u32..100)
                    .prop_map(move |(v, draw)| if draw < rate { Cell::Null } else { v });
                (prop::collection::vec(cell, rows), Just(decimal))
            })
        })
        .collect();
    (Just(names), columns)
}

/// Scores the table both ways and compares every figure of every row.
fn agree(
    scheme: &Scheme,
    names: &[String],
    columns: &[(Vec<Cell>, bool)],
    threads: usize,
    split: usize,
    strict: bool,
) -> Result<(), TestCaseError> {
    let rows = columns[0].0.len();
    let split = split.min(rows);
    // Units with ties, and two periods, so ranking within periods is exercised.
    let units: Vec<String> = (0..rows).map(|r| format!("unit {}", r % 17)).collect();
    // Some labels padded as a sheet may pad them (in one batch only when `split` says so),
    // so that both the kept and the trimmed labels are read.
    let given: Vec<String> = units
        .iter()
        .enumerate()
        .map(|(r, unit)| match (r % 7, split % 2) {
            (3, 0) => format!(" {unit}\t"),
            (5, 0) => format!("\u{3000}{unit}"),
            _ => unit.clone(),
        })
        .collect();
    let periods: Vec<String> = (0..rows)
        .map(|r| {
            if r % 3 == 0 {
                "2025".into()
            } else {
                "2024".into()
            }
        })
        .collect();
    // The rows before `split` are stored as a batch of their own (see below), the others as
    // a slice of the whole.
    let texts: Vec<Vec<String>> = columns
        .iter()
        .map(|(cells, decimal)| {
            let mut texts = stored_text(&cells[..split], *decimal);
            texts.extend(stored_text(cells, *decimal).drain(split..));
            texts
        })
        .collect();
    let raw: Vec<RawRow> = (0..rows)
        .map(|r| RawRow {
            row: r + 1,
            unit: Some(units[r].clone()),
            period: Some(periods[r].clone()),
            cells: names
                .iter()
                .zip(&texts)
                .map(|(n, texts)| (n.clone(), texts[r].clone()))
                .collect(),
        })
        .collect();
    let expected = scheme.evaluate_rows(&raw, false, &Options { strict });

    // Two record batches, split at an arbitrary row.
    let batch = |range: std::ops::Range<usize>| {
        let mut fields: Vec<(String, ArrayRef)> = vec![
            (
                "unit".into(),
                Arc::new(StringArray::from(given[range.clone()].to_vec())) as ArrayRef,
            ),
            (
                "period".into(),
                Arc::new(StringArray::from(periods[range.clone()].to_vec())),
            ),
        ];
        for (name, (cells, decimal)) in names.iter().zip(columns) {
            fields.push((name.clone(), column(&cells[range.clone()], *decimal)));
        }
        RecordBatch::try_from_iter(fields).unwrap()
    };
    // The second batch is a slice, so its columns start at an offset into their buffers
    // and validity bits, as a sliced frame's do.
    let batches = [batch(0..split), batch(0..rows).slice(split, rows - split)];
    // Each row read on its own, as the engine reads it, evaluates to the row-by-row result.
    let mut r = 0;
    for part in &batches {
        let each = scheme.batch_rows(part, false).unwrap();
        for i in 0..part.num_rows() {
            let evaluated = each
                .inputs(i)
                .and_then(|inputs| scheme.evaluate(&inputs, &Options { strict }));
            prop_assert_eq!(&evaluated, &expected.results[r].outcome, "row {}", r);
            r += 1;
        }
    }
    for criteria in [true, false] {
        // Coverage with the criteria or without them.
        let coverage = criteria != split.is_multiple_of(3);
        let options = ColumnarOptions {
            threads: Some(threads),
            strict,
            criteria,
            coverage,
            ..ColumnarOptions::default()
        };
        let figures = scheme.score_batches(&batches, &options).unwrap();
        prop_assert_eq!(figures.len(), rows);
        prop_assert_eq!(
            figures.criteria.len(),
            if criteria { scheme.leaves().count() } else { 0 }
        );
        prop_assert_eq!(
            figures.statuses.len(),
            if coverage { scheme.leaves().count() } else { 0 }
        );
        prop_assert_eq!(figures.missing.len(), if coverage { rows } else { 0 });
        for (r, result) in expected.results.iter().enumerate() {
            prop_assert_eq!(figures.units.value(r), units[r].as_str());
            prop_assert_eq!(figures.periods.value(r), periods[r].as_str());
            match &result.outcome {
                Ok(evaluation) => {
                    prop_assert!(
                        figures.error(r).is_none(),
                        "row {r}: {:?}",
                        figures.error(r)
                    );
                    prop_assert_eq!(figures.points[r], evaluation.points(), "row {}", r);
                    prop_assert_eq!(figures.max_points[r], evaluation.max_points());
                    prop_assert_eq!(figures.index[r], evaluation.index_rounded());
                    let grade = figures.grades[r].map(|g| scheme.grades()[g].name.as_str());
                    prop_assert_eq!(grade, evaluation.grade().map(|g| g.name.as_str()));
                    prop_assert_eq!(figures.ranks[r], result.rank);
                    prop_assert_eq!(figures.bonus.get(r).copied(), evaluation.bonus_points());
                    prop_assert_eq!(
                        figures.penalties.get(r).copied(),
                        evaluation.penalty_points()
                    );
                    for (column, criterion) in figures.criteria.iter().zip(evaluation.criteria()) {
                        prop_assert_eq!(
                            column.get(r),
                            Some(criterion.points()),
                            "{}",
                            criterion.code()
                        );
                    }
                    for (column, criterion) in figures.statuses.iter().zip(evaluation.criteria()) {
                        prop_assert_eq!(
                            column[r],
                            Some(criterion.status()),
                            "row {} {}",
                            r,
                            criterion.code()
                        );
                    }
                    if coverage {
                        let (count, points) = evaluation.missing_summary();
                        prop_assert_eq!(figures.missing[r] as usize, count, "row {}", r);
                        prop_assert_eq!(figures.missing_points[r], points, "row {}", r);
                    }
                }
                Err(error) => {
                    prop_assert_eq!(figures.error(r), Some(error));
                    prop_assert_eq!(figures.ranks[r], None);
                    for column in [&figures.bonus, &figures.penalties] {
                        prop_assert!(column.get(r).is_none_or(|d| d.is_zero()));
                    }
                    for column in &figures.criteria {
                        prop_assert_eq!(column.get(r), Some(Decimal::ZERO));
                    }
                    for column in &figures.statuses {
                        prop_assert_eq!(column[r], None);
                    }
                    if coverage {
                        prop_assert_eq!(figures.missing[r], 0);
                        prop_assert_eq!(figures.missing_points[r], Decimal::ZERO);
                    }
                }
            }
        }
        // Each criterion's column at the fewest places that hold all its points.
        for (leaf, column) in figures.criteria.iter().enumerate() {
            let places = expected
                .results
                .iter()
                .filter_map(|result| result.outcome.as_ref().ok())
                .map(|evaluation| {
                    evaluation
                        .criteria()
                        .nth(leaf)
                        .unwrap()
                        .points()
                        .normalize()
                        .scale()
                })
                .max()
                .unwrap_or(0);
            prop_assert_eq!(column.scale(), places, "criterion {}", leaf);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn columnar_scoring_equals_row_by_row((names, columns) in table(&builtin(), 40), threads in 1usize..3, split in 1usize..40, strict in proptest::bool::weighted(0.2)) {
        agree(&builtin(), &names, &columns, threads, split, strict)?;
    }

    #[test]
    fn long_typed_columns_equal_row_by_row((names, columns) in typed_table(&builtin(), 700), split in 0usize..200, strict in proptest::bool::weighted(0.2)) {
        agree(&builtin(), &names, &columns, 1, split, strict)?;
    }

    #[test]
    fn every_kernel_equals_the_general_scoring((names, columns) in table(&kernels("report"), 60), split in 0usize..60, strict in proptest::bool::weighted(0.2)) {
        agree(&kernels("report"), &names, &columns, 1, split, strict)?;
    }

    #[test]
    fn criterion_rounding_equals_the_general_scoring((names, columns) in table(&kernels("criterion"), 30), strict in proptest::bool::weighted(0.2)) {
        agree(&kernels("criterion"), &names, &columns, 2, 30, strict)?;
    }
}

proptest! {
    // Schemes are small and cheap to score: many of them.
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_schemes_score_the_same_by_columns_and_by_rows((scheme, (names, columns)) in random_scheme_and_table(24), split in 0usize..24, strict in proptest::bool::weighted(0.2)) {
        agree(&scheme, &names, &columns, 1, split, strict)?;
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

#[test]
fn clean_labels_come_back_as_the_input_column_and_others_are_read_one_by_one() {
    let scheme = builtin();
    // Three runs of rows per batch (a run is 8,192 rows), so that kept labels are joined
    // across runs.
    let rows = 20_000;
    let labels = |padded: Option<usize>| {
        StringArray::from_iter_values((0..rows).map(|r| match padded {
            Some(p) if p == r => format!(" unit {r} "),
            _ => format!("unit {r}"),
        }))
    };
    let batch = |units: &StringArray| {
        RecordBatch::try_from_iter([
            ("unit", Arc::new(units.clone()) as ArrayRef),
            (
                "survey_points",
                Arc::new(Float64Array::from(vec![17.5; rows])),
            ),
        ])
        .unwrap()
    };
    let expected: Vec<String> = (0..rows).map(|r| format!("unit {r}")).collect();
    let options = ColumnarOptions {
        threads: Some(2),
        ..ColumnarOptions::default()
    };

    let clean = labels(None);
    let figures = scheme.score_batches(&[batch(&clean)], &options).unwrap();
    // The input's own buffer, not a copy.
    assert_eq!(figures.units.values().as_ptr(), clean.values().as_ptr());
    assert!(
        figures
            .units
            .iter()
            .eq(expected.iter().map(|u| Some(u.as_str())))
    );

    // One padded label in the last run: that run's labels are trimmed one by one; the batch
    // is joined from its runs, and a clean second batch follows it whole.
    let padded = labels(Some(rows - 3));
    let figures = scheme
        .score_batches(&[batch(&padded), batch(&clean)], &options)
        .unwrap();
    let both = expected.iter().chain(&expected).map(|u| Some(u.as_str()));
    assert!(figures.units.iter().eq(both));
    assert_eq!(figures.periods.len(), 2 * rows);
    assert_eq!(figures.periods.null_count(), 2 * rows);
}

#[test]
fn a_percentage_for_an_indicator_that_is_no_percent_fails_its_row_as_row_by_row() {
    let scheme = builtin();
    let batch = RecordBatch::try_from_iter([
        (
            "unit",
            Arc::new(StringArray::from(vec!["A", "B"])) as ArrayRef,
        ),
        (
            "units_total",
            Arc::new(StringArray::from(vec!["50%", "50"])),
        ),
        (
            "survey_points",
            Arc::new(StringArray::from(vec!["12", "12.5%"])),
        ),
    ])
    .unwrap();
    let figures = scheme
        .score_batches(&[batch], &ColumnarOptions::default())
        .unwrap();
    let raw = |unit: &str, total: &str, survey: &str| RawRow {
        row: 0,
        unit: Some(unit.into()),
        period: None,
        cells: vec![
            ("units_total".into(), total.into()),
            ("survey_points".into(), survey.into()),
        ],
    };
    let rows = [raw("A", "50%", "12"), raw("B", "50", "12.5%")];
    for (r, row) in rows.iter().enumerate() {
        let expected = scheme.inputs_from_row(row, false).unwrap_err();
        assert_eq!(figures.error(r), Some(&expected), "row {r}");
    }
}

/// `TieKeys` kept from the engine's figures, or from full evaluations, orders rows of equal
/// reported index as the engine ranked them: a row ranks above another exactly when it
/// orders `Greater`, and shares its rank when `Equal`.
#[test]
fn tie_keys_order_rows_as_the_engine_ranks_them() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/golden/ranking-exact-ties/scheme.toml"
    );
    let scheme = Scheme::from_toml(&std::fs::read_to_string(path).unwrap()).unwrap();
    let rates = [90.0, 87.0, 87.5, 87.425, 87.0, 87.0, 86.25, 85.0];
    let survey = [17.4, 17.3, 16.9, 17.0, 17.2, 17.2, 17.8, 16.8];
    let batch = RecordBatch::try_from_iter([
        (
            "unit",
            Arc::new(StringArray::from_iter_values(
                (0..rates.len()).map(|i| format!("u{i}")),
            )) as ArrayRef,
        ),
        (
            "on_time_rate",
            Arc::new(Float64Array::from(rates.to_vec())) as ArrayRef,
        ),
        (
            "survey_points",
            Arc::new(Float64Array::from(survey.to_vec())) as ArrayRef,
        ),
    ])
    .unwrap();
    let figures = scheme
        .score_batches(std::slice::from_ref(&batch), &ColumnarOptions::default())
        .unwrap();
    assert!(parscore_columnar::TieKeys::of(&builtin()).is_none());
    let mut from_figures = parscore_columnar::TieKeys::of(&scheme).expect("exact ties");
    let mut from_evaluations = parscore_columnar::TieKeys::of(&scheme).expect("exact ties");
    let rows = scheme.batch_rows(&batch, true).unwrap();
    for row in 0..figures.len() {
        from_figures.push_figures(&figures, row);
        let inputs = rows.inputs(row).unwrap();
        from_evaluations.push_evaluation(&scheme.evaluate(&inputs, &Options::default()).unwrap());
    }
    assert_eq!(from_figures.len(), rates.len());
    let mut tied = 0;
    for a in 0..rates.len() {
        for b in 0..rates.len() {
            if figures.index[a] != figures.index[b] {
                continue;
            }
            let order = from_figures.order(a, b);
            assert_eq!(order, from_evaluations.order(a, b), "rows {a} and {b}");
            let (ra, rb) = (figures.ranks[a].unwrap(), figures.ranks[b].unwrap());
            assert_eq!(
                order,
                rb.cmp(&ra),
                "rows {a} (rank {ra}) and {b} (rank {rb})"
            );
            tied += usize::from(a != b);
        }
    }
    assert!(tied > 0, "no two rows of equal reported index");
}

/// The golden ranking cases' units as a batch of text columns, split in two halves ranked
/// apart and then together.
fn golden_batch(case: &str) -> (Scheme, RecordBatch) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/golden")
        .join(case);
    let scheme =
        Scheme::from_toml(&std::fs::read_to_string(dir.join("scheme.toml")).unwrap()).unwrap();
    let text = std::fs::read_to_string(dir.join("input.json")).unwrap();
    let rows: Vec<serde_json::Map<String, serde_json::Value>> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut names: Vec<String> = Vec::new();
    for row in &rows {
        for name in row.keys() {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
    }
    let columns = names.iter().map(|name| {
        let cells: StringArray = rows
            .iter()
            .map(|row| {
                row.get(name).map(|v| match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
            })
            .collect();
        (name.as_str(), Arc::new(cells) as ArrayRef)
    });
    (scheme, RecordBatch::try_from_iter(columns).unwrap())
}

#[test]
fn rows_scored_apart_rank_again_as_one_run_ranks_them() {
    for case in ["ranking-tie-break", "ranking-exact-ties"] {
        let (scheme, batch) = golden_batch(case);
        let options = ColumnarOptions::default();
        let whole = scheme
            .score_batches(std::slice::from_ref(&batch), &options)
            .unwrap();
        let half = batch.num_rows() / 2;
        let parts = [
            batch.slice(0, half),
            batch.slice(half, batch.num_rows() - half),
        ];
        let mut periods = Vec::new();
        let (mut index, mut points, mut max_points, mut keys) = (vec![], vec![], vec![], vec![]);
        let mut apart = Vec::new();
        for part in &parts {
            let figures = scheme
                .score_batches(std::slice::from_ref(part), &options)
                .unwrap();
            periods.extend(figures.periods.iter().map(|p| p.map(str::to_owned)));
            index.extend(figures.index.iter().copied());
            points.extend(figures.points.iter().copied());
            max_points.extend(figures.max_points.iter().copied());
            keys.extend(figures.tie_keys.iter().copied());
            apart.extend(figures.ranks.iter().copied());
        }
        let periods: Vec<Option<&str>> = periods.iter().map(Option::as_deref).collect();
        let rows = parscore::RankRows {
            periods: &periods,
            index: &index,
            points: &points,
            max_points: &max_points,
            tie_keys: &keys,
        };
        assert_ne!(
            apart, whole.ranks,
            "{case}: the halves alone rank otherwise"
        );
        assert_eq!(scheme.rank_rows(&rows).unwrap(), whole.ranks, "{case}");
        // A column short of a row is refused, not read past its end.
        let short = if keys.is_empty() {
            parscore::RankRows {
                points: &points[1..],
                ..rows
            }
        } else {
            parscore::RankRows {
                tie_keys: &keys[1..],
                ..rows
            }
        };
        assert!(scheme.rank_rows(&short).is_err(), "{case}");
    }
}

/// The unit labels `score_batches` gives for a `unit` column alone.
fn unit_labels(units: ArrayRef) -> Vec<Option<String>> {
    let batch = RecordBatch::try_from_iter([("unit", units)]).unwrap();
    let figures = builtin()
        .score_batches(&[batch], &ColumnarOptions::default())
        .unwrap();
    let labels = figures.units.iter();
    labels.map(|l| l.map(str::to_owned)).collect()
}

#[test]
fn clean_text_labels_of_a_sliced_column_are_kept_as_given() {
    let column = StringArray::from(vec!["A", "Sở Nội vụ", "B"]);
    let batch = RecordBatch::try_from_iter([("unit", Arc::new(column.slice(1, 2)) as ArrayRef)]);
    let figures = builtin()
        .score_batches(&[batch.unwrap()], &ColumnarOptions::default())
        .unwrap();
    // A slice of the same buffer, not a copy.
    assert_eq!(figures.units.values().as_ptr(), column.values().as_ptr());
    assert_eq!(
        unit_labels(Arc::new(column.slice(1, 2))),
        [Some("Sở Nội vụ".into()), Some("B".into())]
    );
}

#[test]
fn padded_empty_and_missing_labels_are_read_one_by_one() {
    let column = StringArray::from(vec![
        Some(" A\t"),
        Some("\u{a0}B"),
        Some(" "),
        None,
        Some("C"),
    ]);
    assert_eq!(
        unit_labels(Arc::new(column)),
        [
            Some("A".into()),
            Some("B".into()),
            None,
            None,
            Some("C".into())
        ]
    );
    let numbers = Int64Array::from(vec![Some(2024), None]);
    assert_eq!(unit_labels(Arc::new(numbers)), [Some("2024".into()), None]);
}
