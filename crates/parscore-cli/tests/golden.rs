//! The cross-interface golden cases under `tests/golden/<case>/`: the command's JSON must be
//! the expected results document of each case (apart from `source`, which only the command
//! knows), and its exit status must say whether any row failed.

mod common;

use std::path::Path;

use assert_cmd::Command;
use common::{normalized, root, without_sources};
use serde_json::Value as Json;

#[test]
fn every_golden_case_gives_its_expected_document() {
    let golden = root().join("tests/golden");
    let mut cases: Vec<_> = std::fs::read_dir(&golden)
        .unwrap_or_else(|e| panic!("{}: {e}", golden.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.join("case.json").is_file())
        .collect();
    cases.sort();
    assert!(
        !cases.is_empty(),
        "no golden case under {}: the test would pass on nothing",
        golden.display()
    );
    let failures: Vec<String> = cases.iter().filter_map(|case| check(case).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} golden cases differ:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

fn check(case: &Path) -> Result<(), String> {
    let name = case.file_name().unwrap().to_string_lossy().into_owned();
    let read = |file: &str| -> Json {
        let text = std::fs::read_to_string(case.join(file))
            .unwrap_or_else(|e| panic!("{name}/{file}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}/{file}: {e}"))
    };
    let spec = read("case.json");
    let expected = read("expected.json");
    let field = |key: &str| {
        spec[key]
            .as_str()
            .unwrap_or_else(|| panic!("{name}/case.json has no `{key}`"))
            .to_string()
    };
    let scheme = field("scheme");
    let scheme = scheme
        .strip_prefix("builtin:")
        .unwrap_or(&scheme)
        .to_string();
    let mut command = Command::new(env!("CARGO_BIN_EXE_parscore"));
    command.current_dir(case).args([
        "evaluate", "--scheme", &scheme, "--format", "json", "--quiet",
    ]);
    if spec["strict"] == true {
        command.arg("--strict");
    }
    if spec["ignore_unknown"] == true {
        command.arg("--ignore-unknown");
    }
    command.arg(field("input"));
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let actual: Json = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("{name}: stdout is not JSON ({e}); stderr:\n{stderr}"))?;
    let errors = expected["summary"]["errors"].as_u64().unwrap_or(0);
    let code = if errors > 0 { 1 } else { 0 };
    if output.status.code() != Some(code) {
        return Err(format!(
            "{name}: exit status {:?}, expected {code}; stderr:\n{stderr}",
            output.status.code()
        ));
    }
    let actual = normalized(&without_sources(&actual));
    let expected = normalized(&expected);
    match first_difference(&actual, &expected, "") {
        None => Ok(()),
        Some(difference) => Err(format!("{name}: {difference}")),
    }
}

/// Where two documents first differ, as a path and both values.
fn first_difference(actual: &Json, expected: &Json, path: &str) -> Option<String> {
    match (actual, expected) {
        (Json::Object(a), Json::Object(e)) => {
            let keys_a: Vec<&String> = a.keys().collect();
            let keys_e: Vec<&String> = e.keys().collect();
            if keys_a != keys_e {
                return Some(format!("{path}: keys {keys_a:?}, expected {keys_e:?}"));
            }
            a.iter()
                .find_map(|(k, v)| first_difference(v, &e[k], &format!("{path}.{k}")))
        }
        (Json::Array(a), Json::Array(e)) if a.len() == e.len() => a
            .iter()
            .zip(e)
            .enumerate()
            .find_map(|(i, (a, e))| first_difference(a, e, &format!("{path}[{i}]"))),
        _ if actual == expected => None,
        _ => Some(format!("{path}: {actual}, expected {expected}")),
    }
}
