//! Golden cases shared by every interface: `tests/golden/<case>/` holds a scheme, an input and
//! the expected results document. The hand-checked figures of each case (`checks` in
//! `case.json`, from published results or worked by hand) are asserted on their own, so a
//! blessed `expected.json` can never quietly absorb a wrong number.
//!
//! With Arrow, each case is also scored from columns (`Scheme::score_batches`), which must
//! give the figures of `expected.json` row for row.
//!
//! `PARSCORE_BLESS=1 cargo test -p parscore --test golden` rewrites `expected.json`.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use parscore::{Decimal, Options, RawRow, Scheme, rows_from_json};
use serde_json::Value as Json;

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The golden case directories, in order.
fn case_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(golden_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("case.json").exists())
        .collect();
    dirs.sort();
    assert!(
        dirs.len() >= 6,
        "golden cases missing from {}",
        golden_dir().display()
    );
    dirs
}

/// A golden case as `case.json` describes it.
struct Case {
    scheme: Scheme,
    rows: Vec<RawRow>,
    strict: bool,
    checks: Json,
}

fn case_of(dir: &Path) -> Case {
    let case: Json = serde_json::from_str(&read(&dir.join("case.json"))).unwrap();
    let scheme = match case["scheme"].as_str().unwrap() {
        s if s.starts_with("builtin:") => Scheme::builtin(&s["builtin:".len()..]).unwrap(),
        file => Scheme::from_text(&read(&dir.join(file))).unwrap(),
    };
    Case {
        scheme,
        rows: rows_from_json(&read(&dir.join(case["input"].as_str().unwrap()))).unwrap(),
        strict: case["strict"].as_bool().unwrap_or(false),
        checks: case["checks"].clone(),
    }
}

fn expected(dir: &Path) -> Json {
    serde_json::from_str(&read(&dir.join("expected.json"))).unwrap()
}

fn run_case(dir: &Path) -> Json {
    let case = case_of(dir);
    let options = Options {
        strict: case.strict,
    };
    let batch = case.scheme.evaluate_rows(&case.rows, false, &options);
    let document = batch.report().to_json();
    check_figures(dir, &case.checks, &document);
    document
}

fn decimal(value: &Json) -> Option<Decimal> {
    match value {
        Json::Number(n) => Decimal::from_str(&n.to_string())
            .or_else(|_| Decimal::from_scientific(&n.to_string()))
            .ok(),
        Json::String(s) => Decimal::from_str(s).ok(),
        _ => None,
    }
}

/// A checked field equals the document's: numbers by decimal value, the rest as JSON.
fn assert_field(context: &str, field: &str, expected: &Json, actual: &Json) {
    let same = match (decimal(expected), decimal(actual)) {
        (Some(e), Some(a)) if expected.is_string() && actual.is_number() => e == a,
        _ => expected == actual,
    };
    assert!(
        same,
        "{context}: `{field}` is {actual}, expected {expected}"
    );
}

fn find<'a>(list: &'a Json, code: &str, context: &str) -> &'a Json {
    list.as_array()
        .and_then(|items| items.iter().find(|item| item["code"] == code))
        .unwrap_or_else(|| panic!("{context}: no node {code}"))
}

fn check_figures(dir: &Path, checks: &Json, document: &Json) {
    let results = document["results"].as_array().unwrap();
    let checks = checks
        .as_array()
        .expect("every case has hand-checked figures");
    assert!(!checks.is_empty(), "{}: no checks", dir.display());
    for check in checks {
        let context = format!("{} {check}", dir.display());
        let result = results
            .iter()
            .find(|r| {
                ["unit", "period", "row"]
                    .iter()
                    .all(|k| check.get(k).is_none_or(|v| r.get(k) == Some(v)))
            })
            .unwrap_or_else(|| panic!("{context}: no such result"));
        for (field, expected) in check.as_object().unwrap() {
            match field.as_str() {
                "unit" | "period" | "row" => {}
                "error_indicator" => {
                    assert_field(&context, field, expected, &result["error"]["indicator"])
                }
                "error_code" => assert_field(&context, field, expected, &result["error"]["code"]),
                "criteria" => {
                    for (code, fields) in expected.as_object().unwrap() {
                        let criterion = find(&result["criteria"], code, &context);
                        for (name, value) in fields.as_object().unwrap() {
                            let context = format!("{context} {code}");
                            assert_field(&context, name, value, &criterion[name]);
                        }
                    }
                }
                "groups" => {
                    for (code, points) in expected.as_object().unwrap() {
                        let group = find(&result["groups"], code, &context);
                        let context = format!("{context} {code}");
                        assert_field(&context, "points", points, &group["points"]);
                    }
                }
                _ => assert_field(&context, field, expected, &result[field]),
            }
        }
    }
}

#[test]
fn golden_cases_match_their_expected_results() {
    let bless = std::env::var_os("PARSCORE_BLESS").is_some();
    for dir in case_dirs() {
        let document = run_case(&dir);
        if bless {
            let text = serde_json::to_string_pretty(&document).unwrap() + "\n";
            std::fs::write(dir.join("expected.json"), text).unwrap();
            continue;
        }
        assert_eq!(
            document,
            expected(&dir),
            "{}: results differ from expected.json (rerun with PARSCORE_BLESS=1 after checking why)",
            dir.display()
        );
    }
}

/// A number of the results document equals a figure, by value.
#[cfg(feature = "arrow")]
fn assert_figure(context: &str, field: &str, figure: Option<Decimal>, expected: &Json) {
    assert_eq!(figure, decimal(expected), "{context}: `{field}`");
}

#[cfg(feature = "arrow")]
#[test]
fn golden_cases_score_the_same_from_columns() {
    use arrow_array::Array;
    use parscore::ColumnarOptions;

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
#[cfg(feature = "arrow")]
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
