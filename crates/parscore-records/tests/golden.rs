//! Golden record files: `tests/records/<case>/` holds `records.csv`, `case.json` (profile,
//! options, and the figures checked by hand, as its README explains) and `expected.json`, the
//! whole summary. The hand-checked figures are asserted on their own, so a blessed
//! `expected.json` can never quietly absorb a wrong number.
//!
//! `PARSCORE_BLESS=1 cargo test -p parscore-records --test golden` rewrites `expected.json`.

use std::path::{Path, PathBuf};

use parscore_records::{
    Calendar, Date, PeriodKind, Profile, RecordError, RecordSummary, ResolvedBy, Summarizer,
    SummaryOptions,
};
use serde_json::Value as Json;

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/records")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn options(case: &Json) -> SummaryOptions {
    let given = &case["options"];
    SummaryOptions {
        period: given["period"]
            .as_str()
            .map(|p| PeriodKind::parse(p).unwrap())
            .unwrap_or_default(),
        as_of: given["as_of"].as_str().map(|d| Date::parse(d).unwrap()),
        by_sub_unit: given["by_sub_unit"].as_bool().unwrap_or(false),
        resolved_by: match given["resolved_by"].as_str() {
            Some("received") => ResolvedBy::Received,
            _ => ResolvedBy::Completed,
        },
        ..SummaryOptions::default()
    }
}

/// Reads the case's CSV (plain: no quoted commas) through its profile into a summary.
fn run(dir: &Path, case: &Json, strict: bool) -> Result<RecordSummary, RecordError> {
    let profile = match case["profile"].as_str().unwrap() {
        "builtin" => Profile::builtin(),
        file => Profile::from_toml(&read(&dir.join(file))).unwrap(),
    };
    let mut calendar = Calendar::vietnam();
    if let Some(file) = case["calendar"].as_str() {
        calendar = calendar.with_toml(&read(&dir.join(file))).unwrap();
    }
    let text = read(&dir.join("records.csv"));
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let mut reader = profile.reader(&header).unwrap();
    let options = SummaryOptions {
        strict,
        ..options(case)
    };
    let mut summarizer = Summarizer::new(options, calendar);
    for (i, line) in lines.enumerate() {
        let cells: Vec<&str> = line.split(',').collect();
        summarizer.push_read(reader.read(i + 1, &cells))?;
    }
    summarizer.finish()
}

fn label(group: &Json) -> String {
    match group["sub_unit"].as_str() {
        Some(sub) => format!("{} / {sub}", group["unit"].as_str().unwrap()),
        None => group["unit"].as_str().unwrap().to_string(),
    }
}

fn check_figures(dir: &Path, case: &Json, document: &Json) {
    let checks = case["checks"].as_array().expect("hand-checked figures");
    assert!(!checks.is_empty(), "{}: no checks", dir.display());
    let groups = document["groups"].as_array().unwrap();
    for check in checks {
        let context = format!("{} {check}", dir.display());
        let fields = check.as_object().unwrap();
        if let Some(code) = check.get("bad") {
            let kind = document["bad"]["kinds"]
                .as_array()
                .unwrap()
                .iter()
                .find(|k| &k["kind"] == code)
                .unwrap_or_else(|| panic!("{context}: no bad records of that kind"));
            assert_eq!(kind["count"], check["count"], "{context}");
            assert_eq!(kind["rows"], check["rows"], "{context}");
        } else if let Some(unit) = check.get("unit") {
            let group = groups
                .iter()
                .find(|g| label(g) == unit.as_str().unwrap() && g["period"] == check["period"])
                .unwrap_or_else(|| panic!("{context}: no such group"));
            for (field, expected) in fields {
                if field != "unit" {
                    assert_eq!(&group[field], expected, "{context}: `{field}`");
                }
            }
        } else {
            for (field, expected) in fields {
                let actual = match field.as_str() {
                    "bad_total" => document["bad"]["total"].clone(),
                    "groups" => Json::from(groups.len()),
                    _ => document[field].clone(),
                };
                assert_eq!(&actual, expected, "{context}: `{field}`");
            }
        }
    }
}

#[test]
fn record_cases_match_their_hand_checked_figures_and_expected_summaries() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("case.json").exists())
        .collect();
    dirs.sort();
    assert!(
        dirs.len() >= 3,
        "record cases missing from {}",
        cases_dir().display()
    );
    let bless = std::env::var_os("PARSCORE_BLESS").is_some();
    for dir in dirs {
        let case: Json = serde_json::from_str(&read(&dir.join("case.json"))).unwrap();
        let summary = run(&dir, &case, false).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let document = summary.to_json();
        check_figures(&dir, &case, &document);
        match (run(&dir, &case, true), case["strict_error"].as_str()) {
            (Err(error), Some(expected)) => assert_eq!(error.to_string(), expected),
            (Ok(strict), None) => assert_eq!(strict.groups, summary.groups),
            (outcome, expected) => panic!(
                "{}: strict run gave {outcome:?}, expected error {expected:?}",
                dir.display()
            ),
        }
        let expected_path = dir.join("expected.json");
        if bless {
            let text = serde_json::to_string_pretty(&document).unwrap() + "\n";
            std::fs::write(&expected_path, text).unwrap();
            continue;
        }
        let expected: Json = serde_json::from_str(&read(&expected_path)).unwrap();
        assert_eq!(
            document,
            expected,
            "{}: summary differs from expected.json (rerun with PARSCORE_BLESS=1 after checking why)",
            dir.display()
        );
    }
}
