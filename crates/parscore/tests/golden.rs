//! Golden cases shared by every interface: `tests/golden/<case>/` holds a scheme, an input and
//! the expected results document. The hand-checked figures of each case (`checks` in
//! `case.json`, from published results or worked by hand) are asserted on their own, so a
//! blessed `expected.json` can never quietly absorb a wrong number.
//!
//! `parscore-columnar`'s tests score each case from columns too, through this file's
//! helpers, which must give the figures of `expected.json` row for row.
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
pub(crate) fn case_dirs() -> Vec<PathBuf> {
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
pub(crate) struct Case {
    pub scheme: Scheme,
    pub rows: Vec<RawRow>,
    pub strict: bool,
    checks: Json,
}

pub(crate) fn case_of(dir: &Path) -> Case {
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

pub(crate) fn expected(dir: &Path) -> Json {
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

pub(crate) fn decimal(value: &Json) -> Option<Decimal> {
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
