//! The golden cases (`tests/golden/<case>/`) scored from columns: each case's rows as one
//! record batch through `score_batches`, which must give the figures of `expected.json` row
//! for row, as the row-by-row path does.
//!
//! The cases are read by the core's golden tests (included below for their helpers), which
//! run here too.

use arrow_array::Array;
use parscore::Decimal;
use parscore_columnar::{ColumnarOptions, ScoreBatches};
use serde_json::Value as Json;

#[path = "../../parscore/tests/golden.rs"]
mod rows;

use rows::{case_dirs, case_of, decimal, expected};

/// A number of the results document equals a figure, by value.
fn assert_figure(context: &str, field: &str, figure: Option<Decimal>, expected: &Json) {
    assert_eq!(figure, decimal(expected), "{context}: `{field}`");
}

#[test]
fn golden_cases_score_the_same_from_columns() {
    for dir in case_dirs() {
        let case = case_of(&dir);
        let options = ColumnarOptions {
            strict: case.strict,
            criteria: true,
            ..ColumnarOptions::default()
        };
        // A table cannot hold a field for one row alone: a row with a field that is no
        // indicator of the scheme stays out of it, failing as the row-by-row path fails it.
        // Failed rows have no rank, so the others' ranks stay the same.
        let known = |field: &str| case.scheme.indicators().iter().any(|i| i.id == field);
        let expected = expected(&dir);
        let mut results = Vec::new();
        let mut rows = Vec::new();
        for (row, result) in case
            .rows
            .iter()
            .zip(expected["results"].as_array().unwrap())
        {
            match row.cells.iter().find(|(field, _)| !known(field)) {
                Some((field, _)) => assert_eq!(result["error"]["indicator"], **field),
                None => {
                    rows.push(row.clone());
                    results.push(result);
                }
            }
        }
        let figures = case
            .scheme
            .score_batches(&[columns::batch(&rows)], &options)
            .unwrap();
        assert_eq!(figures.len(), results.len(), "{}", dir.display());
        for (r, (row, result)) in rows.iter().zip(results).enumerate() {
            let context = format!("{} row {}", dir.display(), row.row);
            let unit = figures.units.is_valid(r).then(|| figures.units.value(r));
            assert_eq!(unit, result["unit"].as_str(), "{context}");
            if let Some(error) = figures.error(r) {
                // A message quoting its row quotes the table's, which lacks the rows kept out.
                let message = error.to_string().replacen(
                    &format!("row {}:", r + 1),
                    &format!("row {}:", row.row),
                    1,
                );
                let error = serde_json::json!({
                    "message": message,
                    "indicator": error.indicator(),
                    "code": error.code(),
                    "row": row.row,
                });
                assert_eq!(error, result["error"], "{context}");
                continue;
            }
            assert_eq!(result["error"], Json::Null, "{context}");
            assert_figure(
                &context,
                "points",
                Some(figures.points[r]),
                &result["points"],
            );
            let max = Some(figures.max_points[r]);
            assert_figure(&context, "max_points", max, &result["max_points"]);
            assert_figure(&context, "index", figures.index[r], &result["index"]);
            let grade = figures.grades[r].map(|g| case.scheme.grades()[g].name.as_str());
            assert_eq!(grade, result["grade"].as_str(), "{context}");
            let rank = result["rank"].as_u64().map(|rank| rank as usize);
            assert_eq!(figures.ranks[r], rank, "{context}");
            let bonus = figures.bonus.get(r).copied();
            assert_eq!(bonus, decimal(&result["bonus_points"]), "{context}: bonus");
            let penalty = figures.penalties.get(r).copied();
            assert_eq!(
                penalty,
                decimal(&result["penalty_points"]),
                "{context}: penalty"
            );
            let criteria = result["criteria"].as_array().unwrap();
            assert_eq!(figures.criteria.len(), criteria.len(), "{context}");
            for (column, criterion) in figures.criteria.iter().zip(criteria) {
                let context = format!("{context} {}", criterion["code"]);
                assert_figure(&context, "points", column.get(r), &criterion["points"]);
            }
        }
    }
}

/// A case's rows as one record batch, as a frame would hold them.
mod columns {
    use std::sync::Arc;

    use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray};
    use parscore::RawRow;

    /// A `unit` and a `period` column, and a column for every field any row has, in the
    /// order first met; a field a row lacks, or leaves empty, is null there.
    pub fn batch(rows: &[RawRow]) -> RecordBatch {
        let mut names: Vec<&str> = Vec::new();
        for (name, _) in rows.iter().flat_map(|row| &row.cells) {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
        let labels = |label: fn(&RawRow) -> Option<&str>| -> ArrayRef {
            Arc::new(StringArray::from_iter(rows.iter().map(label)))
        };
        let mut fields = vec![
            ("unit", labels(|row| row.unit.as_deref())),
            ("period", labels(|row| row.period.as_deref())),
        ];
        for name in names {
            let cells: Vec<Option<&str>> = rows
                .iter()
                .map(|row| {
                    let cell = row.cells.iter().find(|(field, _)| field == name);
                    cell.map(|(_, text)| text.as_str())
                        .filter(|text| !text.is_empty())
                })
                .collect();
            fields.push((name, typed(&cells)));
        }
        RecordBatch::try_from_iter(fields).unwrap()
    }

    /// The cells as yes/no, whole numbers or floats where every one reads back as its text
    /// (so that a message quoting a cell quotes it alike), else as text.
    fn typed(cells: &[Option<&str>]) -> ArrayRef {
        fn all<T>(
            cells: &[Option<&str>],
            read: impl Fn(&str) -> Option<T>,
        ) -> Option<Vec<Option<T>>> {
            cells
                .iter()
                .map(|cell| match cell {
                    None => Some(None),
                    Some(text) => read(text).map(Some),
                })
                .collect()
        }
        let same = |text: &str, read: String| text == read;
        if let Some(bools) = all(cells, |t| t.parse::<bool>().ok()) {
            Arc::new(BooleanArray::from(bools))
        } else if let Some(ints) = all(cells, |t| {
            t.parse::<i64>().ok().filter(|i| same(t, i.to_string()))
        }) {
            Arc::new(Int64Array::from(ints))
        } else if let Some(floats) = all(cells, |t| {
            t.parse::<f64>().ok().filter(|f| same(t, f.to_string()))
        }) {
            Arc::new(Float64Array::from(floats))
        } else {
            Arc::new(StringArray::from(cells.to_vec()))
        }
    }
}
