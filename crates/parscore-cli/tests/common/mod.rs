//! What the integration tests share: running the binary from the repository root, the
//! example data, and reading outputs.
#![allow(dead_code)] // each test file uses its own part of these helpers

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value as Json;

pub const SCHEME: &str = "lang-son-snn-2024";
pub const CSV: &str = "examples/data/units-2024.csv";
pub const JSON: &str = "examples/data/units-2024.json";
pub const XLSX: &str = "examples/data/units-2024.xlsx";
pub const BAD_ROWS: &str = "examples/data/bad/bad-rows.csv";
pub const UNKNOWN_COLUMN: &str = "examples/data/bad/unknown-column.csv";
pub const BAD_SCHEME: &str = "examples/data/bad/bad-scheme.toml";

/// The repository root, where the documented commands run.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `parscore ARGS…`, run from the repository root.
pub fn parscore<I, S>(args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let mut command = Command::new(env!("CARGO_BIN_EXE_parscore"));
    command.current_dir(root()).args(args);
    command
}

/// `parscore evaluate --scheme lang-son-snn-2024 --format json INPUTS…` as JSON, with its
/// exit code.
pub fn evaluate_json(extra: &[&str]) -> (Json, i32) {
    let mut args = vec![
        "evaluate", "--scheme", SCHEME, "--format", "json", "--quiet",
    ];
    args.extend_from_slice(extra);
    let output = parscore(&args).output().expect("parscore runs");
    let code = output.status.code().expect("parscore exits");
    let document = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (document, code)
}

/// The result objects of a results document.
pub fn results(document: &Json) -> &Vec<Json> {
    document["results"].as_array().expect("results is an array")
}

/// The result of the row of `unit` (and `period`, when given).
pub fn result_of<'a>(document: &'a Json, unit: &str, period: Option<&str>) -> &'a Json {
    results(document)
        .iter()
        .find(|r| r["unit"] == unit && period.is_none_or(|p| r["period"] == p))
        .unwrap_or_else(|| panic!("no result for {unit}"))
}

/// A JSON value with numbers in one form (`97.20` and `97.2` alike), so that documents
/// compare by value and not by how their digits were written.
pub fn normalized(value: &Json) -> Json {
    match value {
        Json::Number(n) => {
            let text = n.to_string();
            let text = if text.contains('.') {
                text.trim_end_matches('0').trim_end_matches('.').to_string()
            } else {
                text
            };
            let text = if text == "-0" { "0".to_string() } else { text };
            Json::Number(text.parse().expect("a number stays a number"))
        }
        Json::Array(items) => Json::Array(items.iter().map(normalized).collect()),
        Json::Object(fields) => Json::Object(
            fields
                .iter()
                .map(|(k, v)| (k.clone(), normalized(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The document without the CLI's `source` of each result, which names the input file.
pub fn without_sources(document: &Json) -> Json {
    let mut document = document.clone();
    if let Some(Json::Array(results)) = document.get_mut("results") {
        for result in results {
            if let Json::Object(fields) = result {
                fields.shift_remove("source");
            }
        }
    }
    document
}

/// Writes rows of cells to a sheet of a new workbook: numbers for cells that read as
/// numbers, booleans for `true`/`false`, text otherwise, nothing for empty cells.
pub fn write_xlsx(path: &Path, sheets: &[(&str, Vec<Vec<&str>>)]) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                if text.is_empty() {
                    continue;
                }
                if let Some(formula) = text.strip_prefix('=') {
                    // A formula whose cached result is an Excel error such as #DIV/0!.
                    let (formula, result) = formula.split_once(' ').unwrap();
                    let formula = rust_xlsxwriter::Formula::new(formula).set_result(result);
                    sheet.write_formula(r, c, formula).unwrap();
                } else if *text == "true" || *text == "false" {
                    sheet.write_boolean(r, c, *text == "true").unwrap();
                } else if let Ok(n) = text.parse::<f64>() {
                    sheet.write_number(r, c, n).unwrap();
                } else {
                    sheet.write_string(r, c, *text).unwrap();
                }
            }
        }
    }
    workbook.save(path).unwrap();
}
