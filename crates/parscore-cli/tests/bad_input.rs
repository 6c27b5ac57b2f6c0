//! Bad inputs: every row still gets a result, a bad row says where and why, the exit status
//! says how the run went, and nothing panics.

mod common;

use common::{
    BAD_ROWS, BAD_SCHEME, CSV, SCHEME, UNKNOWN_COLUMN, evaluate_json, parscore, result_of, results,
    write_xlsx,
};
use predicates::prelude::*;
use serde_json::Value as Json;

/// The error object of a result, which must be a failed one.
fn error_of(result: &Json) -> &Json {
    assert_eq!(result["status"], "error", "{result}");
    &result["error"]
}

#[test]
fn every_bad_row_is_an_error_result_in_input_order_and_the_rest_are_scored() {
    let (document, code) = evaluate_json(&[BAD_ROWS]);
    assert_eq!(code, 1);
    let rows = results(&document);
    assert_eq!(rows.len(), 7);
    let statuses: Vec<&str> = rows.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(
        statuses,
        ["ok", "error", "error", "error", "error", "error", "ok"]
    );
    let lines: Vec<u64> = rows
        .iter()
        .map(|r| r["source"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [2, 3, 4, 5, 6, 7, 8]);
    assert_eq!(document["summary"]["ok"], 2);
    assert_eq!(document["summary"]["errors"], 5);
    assert_eq!(rows[0]["rank"], 1);
    assert_eq!(rows[6]["rank"], 1, "ranked within its own period");

    // A bad cell names its column and the reason.
    let bad_cell = error_of(&rows[1]);
    assert_eq!(bad_cell["indicator"], "online_full_services_rate");
    assert!(
        bad_cell["message"]
            .as_str()
            .unwrap()
            .contains("`98,7` is ambiguous")
    );
    assert_eq!(rows[1]["unit"], "Chi cục Thủy lợi");
    assert_eq!(rows[1]["period"], "2024");

    // No unit: the row number is the file's line.
    assert_eq!(error_of(&rows[2])["message"], "row 4: no `unit`");
    assert_eq!(rows[2]["unit"], Json::Null);

    // The second of two rows for one unit and period is the error, naming the first.
    assert_eq!(
        error_of(&rows[3])["message"],
        format!("row 5: same unit and period as the row at {BAD_ROWS}:2")
    );
    assert_eq!(rows[3]["unit"], "Chi cục Kiểm lâm");

    // A ragged line fails alone.
    assert_eq!(
        error_of(&rows[4])["message"],
        "row 6: 4 fields, but the header has 6"
    );

    // Counts that cannot be: the reason from the library, with the indicator.
    assert!(
        error_of(&rows[5])["message"]
            .as_str()
            .unwrap()
            .contains("1001/1000 counts more than the whole")
    );
}

#[test]
fn bad_rows_are_listed_on_standard_error_with_their_place() {
    let output = parscore(["evaluate", "--scheme", SCHEME, "--format", "csv", BAD_ROWS])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    // The five bad rows, then the gaps of the two rows scored.
    assert_eq!(lines.len(), 6, "{stderr}");
    assert!(lines[0].starts_with(&format!(
        "parscore: {BAD_ROWS}:3 (unit `Chi cục Thủy lợi`): indicator `online_full_services_rate`: "
    )));
    assert_eq!(lines[1], format!("parscore: {BAD_ROWS}:4: no `unit`"));
    assert!(
        lines[5].starts_with("parscore: criteria without input: 112 in 2 of 2 scored units"),
        "{}",
        lines[5]
    );
    // The CSV on standard output still has every row.
    let csv = String::from_utf8(output.stdout).unwrap();
    assert_eq!(csv.lines().count(), 8);
    // --quiet leaves standard error to failures that stop the run.
    parscore(["evaluate", "--scheme", SCHEME, "--quiet", BAD_ROWS])
        .assert()
        .code(1)
        .stderr("");
}

#[test]
fn a_bad_row_shows_once_as_an_error_in_the_table_and_once_on_standard_error() {
    let output = parscore(["evaluate", "--scheme", SCHEME, BAD_ROWS])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let table = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(table.contains("7 đơn vị: 2 đã chấm, 5 có lỗi"), "{table}");
    let row = table
        .lines()
        .find(|l| l.contains("Chi cục Thủy lợi"))
        .unwrap();
    assert!(row.contains("lỗi: `online_full_services_rate`"), "{row}");
    // The place and the whole reason are said once, on standard error.
    let place = format!("{BAD_ROWS}:3 (unit `Chi cục Thủy lợi`)");
    assert_eq!(table.matches(&place).count(), 0, "{table}");
    assert_eq!(stderr.matches(&place).count(), 1, "{stderr}");
    assert_eq!(table.matches("ambiguous").count(), 0, "{table}");
    assert_eq!(stderr.matches("`98,7` is ambiguous").count(), 1, "{stderr}");
}

#[test]
fn an_unknown_column_stops_the_run_unless_ignored() {
    // A header names a column for every row: a name the scheme does not know is one
    // mistake of the file, reported once at its place, and nothing is scored.
    parscore(["evaluate", "--scheme", SCHEME, UNKNOWN_COLUMN])
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!(
            "{UNKNOWN_COLUMN}:1:53: unknown column \"notes\", not an indicator of {SCHEME}\n\
             parscore: 1 column is not an indicator of {SCHEME}: correct the header, or give \
             --ignore-unknown to skip it\n"
        ));
    let (document, code) = evaluate_json(&["--ignore-unknown", UNKNOWN_COLUMN]);
    assert_eq!(code, 0);
    assert!(results(&document).iter().all(|r| r["status"] == "ok"));
}

#[test]
fn strict_mode_makes_a_missing_value_an_error_for_its_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gap.csv");
    let text = std::fs::read_to_string(common::root().join(CSV)).unwrap();
    std::fs::write(&path, &text).unwrap();
    // Chi cục Thủy lợi has no survey points in the example data.
    let (document, code) = evaluate_json(&[path.to_str().unwrap()]);
    assert_eq!(code, 0);
    let unit = result_of(&document, "Chi cục Thủy lợi", None);
    let survey = unit["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["indicator"] == "survey_points")
        .unwrap();
    assert_eq!(survey["status"], "missing");

    let (document, code) = evaluate_json(&["--strict", path.to_str().unwrap()]);
    assert_eq!(code, 1);
    let unit = result_of(&document, "Chi cục Thủy lợi", None);
    assert_eq!(error_of(unit)["indicator"], "survey_points");
    assert_eq!(document["summary"]["ok"], 4);
}

#[test]
fn duplicates_are_found_across_input_files() {
    let (document, code) = evaluate_json(&[CSV, common::JSON]);
    assert_eq!(code, 1);
    let rows = results(&document);
    assert_eq!(rows.len(), 10);
    assert!(rows[..5].iter().all(|r| r["status"] == "ok"));
    let message = error_of(&rows[5])["message"].as_str().unwrap();
    assert_eq!(
        message,
        format!("row 1: same unit and period as the row at {CSV}:2")
    );
    assert_eq!(rows[5]["source"]["file"], common::JSON);
}

#[test]
fn a_file_that_cannot_be_read_stops_the_run() {
    parscore([
        "evaluate",
        "--scheme",
        SCHEME,
        CSV,
        "examples/data/missing.csv",
    ])
    .assert()
    .code(2)
    .stdout("")
    .stderr(predicate::str::starts_with(
        "parscore: cannot read examples/data/missing.csv: ",
    ));
    parscore(["evaluate", "--scheme", SCHEME, "examples/data"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "parscore: cannot read examples/data: ",
        ));
}

#[test]
fn files_whose_layout_is_unusable_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 5] = [
        (
            "no-unit.csv",
            b"name,period\nA,2024\n",
            "the header has no `unit` column",
        ),
        (
            "twice.csv",
            b"unit,survey_points,survey_points\nA,1,2\n",
            "column `survey_points` appears twice in the header (field 2 and field 3)",
        ),
        (
            "legacy.csv",
            b"unit,period\nS\xf4 A,2024\n",
            "line 2 is not UTF-8 text",
        ),
        ("broken.json", b"[{\"unit\": \"A\",]", "line 1 column 15"),
        ("fake.xlsx", b"not a workbook", "not an Excel workbook"),
    ];
    for (name, bytes, reason) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        parscore(["evaluate", "--scheme", SCHEME])
            .arg(&path)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(format!(
                "parscore: cannot read {}: ",
                path.display()
            )))
            .stderr(predicate::str::contains(reason));
    }
}

#[test]
fn json_rows_that_are_not_objects_fail_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rows.jsonl");
    std::fs::write(
        &path,
        "{\"unit\": \"A\", \"survey_points\": 18}\n\
         {\"unit\": \"B\", \"survey_points\": [18]}\n\
         {\"unit\": \"C\", \n\
         42\n",
    )
    .unwrap();
    let (document, code) = evaluate_json(&[path.to_str().unwrap()]);
    assert_eq!(code, 1);
    let rows = results(&document);
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0]["status"], "ok");
    assert_eq!(
        error_of(&rows[1])["message"],
        "row 2: `survey_points` holds [18], not a value"
    );
    assert_eq!(rows[1]["unit"], "B");
    assert!(
        error_of(&rows[2])["message"]
            .as_str()
            .unwrap()
            .starts_with("row 3: not JSON")
    );
    assert_eq!(rows[2]["source"]["line"], 3);
    assert_eq!(
        error_of(&rows[3])["message"],
        "row 4: each row must be a JSON object"
    );
}

#[test]
fn excel_sheets_are_chosen_by_name_and_a_missing_one_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("units.xlsx");
    write_xlsx(
        &path,
        &[
            ("Notes", vec![vec!["read the other sheet"]]),
            (
                "Năm 2024",
                vec![
                    vec![
                        "unit",
                        "period",
                        "survey_points",
                        "online_full_services_rate",
                    ],
                    vec!["Sở A", "2024", "18.5", "98.7"],
                    vec![],
                    vec!["Sở B", "2024", "=1/0 #DIV/0!", "90"],
                    vec!["Sở C", "2024", "17", "not measured"],
                ],
            ),
        ],
    );
    let file = path.to_str().unwrap();
    let (document, code) = evaluate_json(&["--sheet", "Năm 2024", file]);
    assert_eq!(code, 1);
    let rows = results(&document);
    assert_eq!(rows.len(), 3, "the empty row is no unit");
    // A number typed in Excel reads back as typed, not as its binary double.
    let a = &rows[0];
    let rate = a["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["indicator"] == "online_full_services_rate")
        .unwrap();
    assert_eq!(rate["value"].to_string(), "98.7");
    assert_eq!(a["source"]["sheet"], "Năm 2024");
    assert_eq!(a["source"]["row"], 2);
    // An error cell fails its row and names the cell.
    assert_eq!(
        error_of(&rows[1])["message"],
        "indicator `survey_points`: cell Năm 2024!C4 holds the Excel error #DIV/0!"
    );
    assert_eq!(rows[1]["source"]["row"], 4);
    assert_eq!(error_of(&rows[2])["indicator"], "online_full_services_rate");

    parscore(["evaluate", "--scheme", SCHEME, "--sheet", "2025", file])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::diff(format!(
            "parscore: cannot read {file}: no sheet `2025` (its sheets: Notes, Năm 2024)\n"
        )));
    // The first sheet is read by default: here it has no `unit` column.
    parscore(["evaluate", "--scheme", SCHEME, file])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no `unit` column"));
}

#[test]
fn a_bad_scheme_stops_evaluate_with_file_line_column() {
    parscore(["evaluate", "--scheme", BAD_SCHEME, CSV])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::starts_with(format!(
            "{BAD_SCHEME}:24:1: A.1: "
        )));
}

#[test]
fn a_closed_standard_output_ends_the_run_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    // Enough rows for the output to outgrow the pipe while nobody reads it.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.csv");
    let mut text = String::from("unit,period,survey_points\n");
    for i in 0..50 {
        text.push_str(&format!("Unit {i},2024,{}\n", i % 20));
    }
    std::fs::write(&path, text).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_parscore"))
        .args(["evaluate", "--scheme", SCHEME, "--format", "json"])
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 64];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    // Dropping the read end closes the pipe, as `| head -c 64` does.
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(status.code(), Some(0), "{stderr}");
}
