//! Golden comparisons: `tests/golden/<case>/compare.json` names a scheme, its inputs (one with
//! `periods`, else two: before and after) and the figures worked by hand (its README says
//! how); `expected.json` is the whole comparison document, which the command's JSON must
//! also be. The hand-worked figures are asserted on their own, so a blessed `expected.json`
//! can never quietly absorb a wrong number.
//!
//! `PARSCORE_BLESS=1 cargo test -p parscore-compare --test golden` rewrites `expected.json`.

use std::path::{Path, PathBuf};

use parscore::{Batch, Options, Scheme, rows_from_json};
use parscore_compare::{CompareOptions, Comparison, Labels};
use serde_json::Value as Json;

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(golden_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("compare.json").exists())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 2, "compare cases missing");
    dirs
}

fn batch(dir: &Path, scheme: &Scheme, input: &str) -> Batch {
    let rows = rows_from_json(&read(&dir.join(input))).unwrap();
    scheme.evaluate_rows(&rows, false, &Options::default())
}

fn comparison(dir: &Path) -> (Json, Json) {
    let spec: Json = serde_json::from_str(&read(&dir.join("compare.json"))).unwrap();
    let scheme = Scheme::from_text(&read(&dir.join(spec["scheme"].as_str().unwrap()))).unwrap();
    let inputs: Vec<&str> = spec["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_str().unwrap())
        .collect();
    let pair = |key: &str| {
        spec[key]
            .as_array()
            .map(|p| Labels::new(p[0].as_str().unwrap(), p[1].as_str().unwrap()))
    };
    let comparison = match (pair("periods"), inputs.as_slice()) {
        (Some(periods), [input]) => Comparison::of_periods(
            &batch(dir, &scheme, input),
            &periods.before,
            &periods.after,
            &CompareOptions {
                labels: pair("labels").unwrap_or_else(|| periods.clone()),
                kind: None,
            },
        ),
        (None, [before, after]) => Comparison::of_batches(
            &batch(dir, &scheme, before),
            &batch(dir, &scheme, after),
            &CompareOptions {
                labels: pair("labels").expect("two files name their sides"),
                kind: None,
            },
        ),
        _ => panic!("{}: one input with periods, or two", dir.display()),
    }
    .unwrap();
    (
        serde_json::to_value(&comparison).unwrap(),
        spec["checks"].clone(),
    )
}

/// A checked value equals the document's: JSON as written.
fn check_field(context: &str, key: &str, expected: &Json, actual: &Json) {
    assert_eq!(actual, expected, "{context}: `{key}`");
}

fn check(dir: &Path, document: &Json, checks: &Json) {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    for key in ["kind", "labels", "appraisal"] {
        if key == "appraisal" && checks[key].is_array() {
            let actual = document[key].as_array().expect("an appraisal list");
            let expected = checks[key].as_array().unwrap();
            assert_eq!(actual.len(), expected.len(), "{name}: appraisal entries");
            for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
                for (field, value) in e.as_object().unwrap() {
                    check_field(&format!("{name} appraisal[{i}]"), field, value, &a[field]);
                }
            }
        } else {
            check_field(&name, key, &checks[key], &document[key]);
        }
    }
    for (field, value) in checks["summary"].as_object().unwrap() {
        check_field(
            &format!("{name} summary"),
            field,
            value,
            &document["summary"][field],
        );
    }
    let units = document["units"].as_array().unwrap();
    let expected_units = checks["units"].as_array().unwrap();
    let names: Vec<&Json> = units.iter().map(|u| &u["unit"]).collect();
    let expected_names: Vec<&Json> = expected_units.iter().map(|u| &u["unit"]).collect();
    assert_eq!(
        names, expected_names,
        "{name}: one entry per unit, in order"
    );
    for (unit, checks) in units.iter().zip(expected_units) {
        let context = format!("{name} {}", unit["unit"]);
        for (field, value) in checks.as_object().unwrap() {
            match field.as_str() {
                "criteria_order" => {
                    let codes: Vec<&Json> = unit["criteria"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|c| &c["code"])
                        .collect();
                    let expected: Vec<&Json> = value.as_array().unwrap().iter().collect();
                    assert_eq!(codes, expected, "{context}: criteria, largest change first");
                }
                "criteria" => {
                    for (code, fields) in value.as_object().unwrap() {
                        let criterion = unit["criteria"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .find(|c| c["code"] == *code)
                            .unwrap_or_else(|| panic!("{context}: no criterion {code}"));
                        for (key, expected) in fields.as_object().unwrap() {
                            check_field(
                                &format!("{context} {code}"),
                                key,
                                expected,
                                &criterion[key],
                            );
                        }
                    }
                }
                "areas" => {
                    for (code, delta) in value.as_object().unwrap() {
                        let area = unit["areas"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .find(|a| a["code"] == *code)
                            .unwrap_or_else(|| panic!("{context}: no area {code}"));
                        check_field(&format!("{context} {code}"), "delta", delta, &area["delta"]);
                    }
                }
                "error_after_contains" => {
                    let error = unit["error_after"].as_str().unwrap_or_default();
                    assert!(
                        error.contains(value.as_str().unwrap()),
                        "{context}: {error}"
                    );
                }
                _ => check_field(&context, field, value, &unit[field]),
            }
        }
    }
}

#[test]
fn every_golden_comparison_gives_its_hand_worked_figures_and_its_document() {
    for dir in cases() {
        let (document, checks) = comparison(&dir);
        check(&dir, &document, &checks);
        let expected_path = dir.join("expected.json");
        if std::env::var_os("PARSCORE_BLESS").is_some() {
            let mut text = serde_json::to_string_pretty(&document).unwrap();
            text.push('\n');
            std::fs::write(&expected_path, text).unwrap();
            continue;
        }
        let expected: Json = serde_json::from_str(&read(&expected_path)).unwrap();
        assert_eq!(document, expected, "{}: expected.json", dir.display());
    }
}

#[test]
fn the_document_reads_back_to_the_same_comparison() {
    for dir in cases() {
        let (document, _) = comparison(&dir);
        let back: Comparison = serde_json::from_value(document.clone()).unwrap();
        assert_eq!(serde_json::to_value(&back).unwrap(), document);
    }
}
