//! Unit inputs as Vietnamese offices write them: decimal commas, names in either Unicode
//! form, headers typed by hand, workbooks from other programs. Each file is read the one way
//! it can be, or refused at its place; nothing is read wrong in silence.

mod common;

use std::io::Write;
use std::path::Path;

use common::{
    CSV, SCHEME, evaluate_json, normalized, parscore, result_of, results, without_sources,
    write_xlsx,
};
use predicates::prelude::*;
use serde_json::Value as Json;

/// The Vietnamese Excel CSV example: `;`, decimal commas, thousands points, NFD names.
const VI_CSV: &str = "examples/data/units-2024-vi.csv";

fn error_message(result: &Json) -> &str {
    assert_eq!(result["status"], "error", "{result}");
    result["error"]["message"].as_str().unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// A workbook of one sheet, `Sheet1`, whose `<sheetData>` is the XML given, zipped by hand:
/// for sheets no spreadsheet program writes.
fn write_sheet_xml(path: &Path, sheet_data: &str) {
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData></worksheet>"#
            ),
        ),
    ];
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

/// An inline-string cell of hand-written sheet XML.
fn text_cell(at: &str, text: &str) -> String {
    format!(r#"<c r="{at}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// The header row of hand-written sheets: unit, period, survey points.
fn header_row() -> String {
    format!(
        r#"<row r="1">{}{}{}</row>"#,
        text_cell("A1", "unit"),
        text_cell("B1", "period"),
        text_cell("C1", "survey_points")
    )
}

/// `parscore ARGS…` under a cap on its address space, so that a reader that sizes its work
/// by a sheet's extent instead of its cells fails here instead of passing on a large machine.
fn parscore_within(megabytes: u64, args: &[&str]) -> assert_cmd::Command {
    let mut shell = assert_cmd::Command::new("sh");
    shell
        .current_dir(common::root())
        .arg("-c")
        .arg("ulimit -v \"$0\" && exec \"$@\"")
        .arg((megabytes * 1024).to_string())
        .arg(env!("CARGO_BIN_EXE_parscore"))
        .args(args);
    shell
}

// Issue 22, item 3: one stray cell far out in a sheet.

#[test]
fn a_stray_cell_at_xfd1048576_costs_one_cell_not_the_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("đơn vị.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "unit").unwrap();
    sheet.write_string(0, 1, "period").unwrap();
    sheet.write_string(0, 2, "survey_points").unwrap();
    sheet.write_string(1, 0, "Sở Nội vụ").unwrap();
    sheet.write_number(1, 1, 2024).unwrap();
    sheet.write_number(1, 2, 18.5).unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    workbook.save(&path).unwrap();
    let file = path.to_str().unwrap();

    let output = parscore_within(
        512,
        &[
            "evaluate", "--scheme", SCHEME, "--format", "json", "--quiet", file,
        ],
    )
    .output()
    .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let document: Json = serde_json::from_slice(&output.stdout).unwrap();
    let rows = results(&document);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["unit"], "Sở Nội vụ");
    assert_eq!(rows[0]["status"], "ok");
    assert_eq!(rows[1]["source"]["row"], 1_048_576);
    assert_eq!(
        error_message(&rows[1]),
        "row 1048576: `x` in column XFD, which has no name in the header"
    );
}

#[test]
fn a_cell_past_column_xfd_is_read_by_its_cell_not_its_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("units.xlsx");
    let far = "ZZZZZ";
    write_sheet_xml(
        &path,
        &format!(
            r#"{}<row r="2">{}<c r="B2"><v>2024</v></c><c r="C2"><v>17.2</v></c></row><row r="3">{}</row>"#,
            header_row(),
            text_cell("A2", "Chi cục Kiểm lâm"),
            text_cell(&format!("{far}3"), "ghi chú"),
        ),
    );
    let file = path.to_str().unwrap();
    let output = parscore_within(
        512,
        &[
            "evaluate", "--scheme", SCHEME, "--format", "json", "--quiet", file,
        ],
    )
    .output()
    .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let document: Json = serde_json::from_slice(&output.stdout).unwrap();
    let rows = results(&document);
    assert_eq!(rows[0]["status"], "ok");
    assert_eq!(
        error_message(&rows[1]),
        format!("row 3: `ghi chú` in column {far}, which has no name in the header")
    );
}

// Issue 22, item 5: what a workbook's XML may hold that no grid shows.

#[test]
fn an_excel_row_written_twice_is_an_error_of_both_writings() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("units.xlsx");
    write_sheet_xml(
        &path,
        &format!(
            r#"{}<row r="2">{}<c r="B2"><v>2024</v></c><c r="C2"><v>18</v></c></row><row r="3">{}<c r="B3"><v>2024</v></c><c r="C3"><v>17</v></c></row><row r="2">{}<c r="B2"><v>2024</v></c><c r="C2"><v>16</v></c></row>"#,
            header_row(),
            text_cell("A2", "Sở Tư pháp"),
            text_cell("A3", "Sở Y tế"),
            text_cell("A2", "Sở Xây dựng"),
        ),
    );
    let (document, code) = evaluate_json(&[path.to_str().unwrap()]);
    assert_eq!(code, 1);
    let rows = results(&document);
    let units: Vec<(&str, &str, u64)> = rows
        .iter()
        .map(|r| {
            (
                r["unit"].as_str().unwrap(),
                r["status"].as_str().unwrap(),
                r["source"]["row"].as_u64().unwrap(),
            )
        })
        .collect();
    // Before, the second writing of row 2 replaced the first: Sở Tư pháp was gone.
    assert_eq!(
        units,
        [
            ("Sở Tư pháp", "error", 2),
            ("Sở Xây dựng", "error", 2),
            ("Sở Y tế", "ok", 3),
        ]
    );
    assert!(error_message(&rows[0]).contains("the workbook writes row 2 of sheet `Sheet1` twice"));
}

#[test]
fn a_formula_never_computed_is_an_error_of_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("units.xlsx");
    write_sheet_xml(
        &path,
        &format!(
            r#"{}<row r="2">{}<c r="B2"><v>2024</v></c><c r="C2"><f>SUM(D2:E2)</f></c></row><row r="3">{}<c r="B3"><v>2024</v></c><c r="C3"><f>16+1</f><v>17</v></c></row>"#,
            header_row(),
            text_cell("A2", "Sở Tư pháp"),
            text_cell("A3", "Sở Y tế"),
        ),
    );
    let (document, code) = evaluate_json(&[path.to_str().unwrap()]);
    assert_eq!(code, 1);
    let rows = results(&document);
    // Before, the cell read as missing and the row was "ok", scored 0 for it.
    assert_eq!(rows[0]["error"]["indicator"], "survey_points");
    assert!(
        error_message(&rows[0])
            .contains("cell Sheet1!C2 holds a formula whose value was never computed"),
        "{}",
        rows[0]
    );
    // A formula saved with its value reads as the value.
    assert_eq!(rows[1]["status"], "ok");
}

#[test]
fn a_unit_typed_composed_and_decomposed_is_one_unit() {
    let dir = tempfile::tempdir().unwrap();
    let composed = "Sở Tư pháp";
    let decomposed = "So\u{31b}\u{309} Tu\u{31b} pha\u{301}p";
    assert_ne!(composed, decomposed);
    let file = write(
        dir.path(),
        "units.csv",
        &format!("unit,period,survey_points\n{composed},2024,18\n{decomposed},2024,17\n"),
    );
    let (document, code) = evaluate_json(&[&file]);
    assert_eq!(code, 1);
    let rows = results(&document);
    assert_eq!(rows[0]["unit"], composed);
    assert_eq!(rows[1]["unit"], composed, "stored composed");
    assert_eq!(
        error_message(&rows[1]),
        format!("row 3: same unit and period as the row at {file}:2")
    );
    // `explain --unit` finds the unit typed either way.
    parscore(["explain", "--scheme", SCHEME, "--unit", decomposed, &file])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(composed));
}

#[test]
fn a_period_written_2024_0_is_the_period_2024() {
    let dir = tempfile::tempdir().unwrap();
    let csv = write(
        dir.path(),
        "units.csv",
        "unit,period,survey_points\nSở Y tế,2024.0,18\n",
    );
    let json = write(
        dir.path(),
        "units.json",
        r#"[{"unit": "Sở Y tế", "period": 2024.0, "survey_points": 17},
            {"unit": "Sở Tư pháp", "period": 2024, "survey_points": 18}]"#,
    );
    let xlsx = dir.path().join("units.xlsx");
    write_xlsx(
        &xlsx,
        &[(
            "Sheet1",
            vec![
                vec!["unit", "period", "survey_points"],
                vec!["Sở Tư pháp", "2024", "16"],
            ],
        )],
    );
    let (document, code) = evaluate_json(&[&csv, &json, xlsx.to_str().unwrap()]);
    assert_eq!(code, 1);
    let rows = results(&document);
    assert!(rows.iter().all(|r| r["period"] == "2024"), "{rows:?}");
    assert_eq!(
        error_message(&rows[1]),
        format!("row 1: same unit and period as the row at {csv}:2")
    );
    assert!(error_message(&rows[3]).starts_with("row 2: same unit and period as the row at "));
    // Both units are ranked in the one period.
    assert_eq!(rows[0]["rank"], 1);
    assert_eq!(rows[2]["rank"], 1);
}

// Issue 22, item 8: an unclosed quote.

#[test]
fn an_unclosed_quote_is_named_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "units.csv",
        "unit;period;survey_points\nSở Y tế;2024;18\n\"Sở Tư pháp;2024;17\nSở Xây dựng;2024;16\n",
    );
    parscore(["evaluate", "--scheme", SCHEME, &file])
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!(
            "parscore: cannot read {file}: line 3, character 1: a quote opens a cell here and \
             is never closed, so the rest of the file would be that one cell; close it, or \
             write a quote inside a cell as two (\"\")\n"
        ));
}

#[test]
fn a_quote_closed_lines_later_is_pointed_at() {
    let dir = tempfile::tempdir().unwrap();
    // The stray quote on line 2 is closed on line 4: three lines read as one row, whose
    // field count happens to be right.
    let file = write(
        dir.path(),
        "units.csv",
        "unit,period,survey_points\n\"Sở Y tế,2024,18\nSở Tư pháp,2024,17\nSở Xây dựng\",2024,16\n\
         Sở Nội vụ,2024,\"15\nSở Tài chính\",2024,14\n",
    );
    let (document, code) = evaluate_json(&[&file]);
    assert_eq!(code, 1);
    let rows = results(&document);
    assert_eq!(
        error_message(&rows[0]),
        "row 2: its unit or period runs inside quotes from line 2 to line 4: is a closing \
         quote missing?"
    );
    assert_eq!(
        error_message(&rows[1]),
        "row 5: 5 fields, but the header has 3; this row runs inside quotes from line 5 to \
         line 6: is a closing quote missing?"
    );
}

// Issue 23: decimal commas.

#[test]
fn the_vietnamese_excel_csv_scores_as_the_plain_one_under_decimal_comma() {
    let (vietnamese, code) = evaluate_json(&["--decimal", ",", VI_CSV]);
    assert_eq!(code, 0, "{vietnamese}");
    let (plain, _) = evaluate_json(&[CSV]);
    assert_eq!(
        normalized(&without_sources(&vietnamese)),
        normalized(&without_sources(&plain))
    );
    // Without the flag, a decimal comma is refused, never guessed.
    let (refused, code) = evaluate_json(&[VI_CSV]);
    assert_eq!(code, 1);
    let unit = result_of(&refused, "Chi cục Thủy lợi", None);
    assert!(
        error_message(unit).contains("`62,5` is ambiguous"),
        "{unit}"
    );
}

#[test]
fn under_decimal_comma_what_reads_two_ways_is_refused_and_counts_still_read() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "units.csv",
        "unit;period;survey_points;online_full_services_rate;dossiers_on_time_rate\n\
         Sở Y tế;2024;17,5;98,7%;987/1000\n\
         Sở Tư pháp;2024;1,234,5;98,7;1.000/1.200\n\
         Sở Xây dựng;2024;17.5;n/a;x\n",
    );
    let (document, code) = evaluate_json(&["--decimal", ",", &file]);
    assert_eq!(code, 1);
    let rows = results(&document);
    let value = |row: &Json, indicator: &str| {
        row["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["indicator"] == indicator)
            .unwrap()["value"]
            .to_string()
    };
    assert_eq!(value(&rows[0], "survey_points"), "17.5");
    assert_eq!(value(&rows[0], "online_full_services_rate"), "98.7");
    assert_eq!(value(&rows[0], "dossiers_on_time_rate"), "\"987/1000\"");
    assert_eq!(rows[1]["error"]["indicator"], "survey_points");
    assert!(
        error_message(&rows[1])
            .contains("`1,234,5` is not a number under --decimal , (more than one decimal comma)")
    );
    assert!(
        error_message(&rows[2])
            .contains("`17.5` is not a number under --decimal , (a point separates thousands"),
        "{}",
        rows[2]
    );
    parscore(["evaluate", "--scheme", SCHEME, "--decimal", ";", &file])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "the decimal mark is `.` (98.7) or `,` (98,7)",
        ));
}

#[test]
fn excel_numbers_are_numbers_whatever_the_decimal_mark() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("units.xlsx");
    write_xlsx(
        &path,
        &[(
            "Sheet1",
            vec![
                vec![
                    "unit",
                    "period",
                    "survey_points",
                    "online_full_services_rate",
                ],
                vec!["Sở Y tế", "2024", "17.5", "98,7"],
            ],
        )],
    );
    let (document, code) = evaluate_json(&["--decimal", ",", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{document}");
    let unit = result_of(&document, "Sở Y tế", None);
    let criteria = unit["criteria"].as_array().unwrap();
    let value = |indicator: &str| {
        criteria
            .iter()
            .find(|c| c["indicator"] == indicator)
            .unwrap()["value"]
            .to_string()
    };
    // The number cell 17.5 is a number; the text cell `98,7` reads under the mark.
    assert_eq!(value("survey_points"), "17.5");
    assert_eq!(value("online_full_services_rate"), "98.7");
}

// Issue 23: header messages.

#[test]
fn a_misspelt_header_is_one_error_at_its_place_and_stops_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "units.csv",
        "unit,period,dossiers_on_tme,dossiers_resolved,ghi chú\n\
         Sở Y tế,2024,990,1000,\n\
         Sở Tư pháp,2024,980,1000,gọi lại\n",
    );
    parscore(["evaluate", "--scheme", SCHEME, &file])
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!(
            "{file}:1:13: unknown column \"dossiers_on_tme\"; did you mean \"dossiers_on_time\"?\n\
             {file}:1:47: unknown column \"ghi chú\", not an indicator of {SCHEME}\n\
             parscore: 2 columns are not indicators of {SCHEME}: correct the header, or give \
             --ignore-unknown to skip them\n"
        ));
    // Skipped, the columns are named once, not once per row.
    parscore([
        "evaluate",
        "--scheme",
        SCHEME,
        "--ignore-unknown",
        "-f",
        "csv",
        &file,
    ])
    .assert()
    .code(0)
    // Named once, then the one line on the criteria left without input.
    .stderr(predicate::str::starts_with(format!(
        "parscore: warning: {file}: ignored 2 columns that are not indicators of {SCHEME}: \
             \"dossiers_on_tme\" (did you mean \"dossiers_on_time\"?), \"ghi chú\"\n\
             parscore: criteria without input:"
    )));
}

#[test]
fn unknown_columns_are_placed_in_sheets_and_json_keys_named_once() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("units.xlsx");
    write_xlsx(
        &xlsx,
        &[(
            "Năm 2024",
            vec![
                vec![],
                vec!["unit", "period", "", "survey_point"],
                vec!["Sở Y tế", "2024", "", "17"],
            ],
        )],
    );
    let xlsx = xlsx.to_str().unwrap().to_string();
    parscore(["evaluate", "--scheme", SCHEME, &xlsx])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(format!(
            "{xlsx}: Năm 2024!D2: unknown column \"survey_point\"; did you mean \"survey_points\"?\n"
        )));
    // JSON objects each name their own keys: an unknown key fails the objects that have
    // it, as in the Rust and Python interfaces, and is named once when skipped.
    let json = write(
        dir.path(),
        "units.jsonl",
        "{\"unit\": \"Sở Y tế\", \"survey_points\": 17}\n\
         {\"unit\": \"Sở Tư pháp\", \"sruvey_points\": 17}\n\
         {\"unit\": \"Sở Nội vụ\", \"sruvey_points\": 16}\n",
    );
    let (document, code) = evaluate_json(&[&json]);
    assert_eq!(code, 1);
    assert_eq!(results(&document)[1]["error"]["indicator"], "sruvey_points");
    parscore([
        "evaluate",
        "--scheme",
        SCHEME,
        "--ignore-unknown",
        "-f",
        "json",
        &json,
    ])
    .assert()
    .code(0)
    .stderr(predicate::str::starts_with(format!(
        "parscore: warning: {json}: ignored 1 key that is not an indicator of {SCHEME}: \
             \"sruvey_points\" (did you mean \"survey_points\"?)\n\
             parscore: criteria without input:"
    )));
}

#[test]
fn headers_are_composed_and_trimmed_and_then_must_be_unique() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "units.csv",
        " unit ;period; survey_points\nSở Y tế;2024;17\n",
    );
    let (document, code) = evaluate_json(&[&file]);
    assert_eq!(code, 0, "{document}");
    let twice = write(
        dir.path(),
        "twice.csv",
        "unit,survey_points, survey_points \nSở Y tế,17,18\n",
    );
    parscore(["evaluate", "--scheme", SCHEME, &twice])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "column `survey_points` appears twice in the header (field 2 and field 3)",
        ));
}

#[test]
fn a_json_key_given_twice_is_an_error_of_its_row() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "units.json",
        r#"[{"unit": "Sở Y tế", "survey_points": 17, "survey_points": 12},
            {"unit": "Sở Tư pháp", "survey_points": 18}]"#,
    );
    let (document, code) = evaluate_json(&[&file]);
    assert_eq!(code, 1);
    let rows = results(&document);
    assert_eq!(rows[0]["unit"], "Sở Y tế");
    assert_eq!(
        error_message(&rows[0]),
        "row 1: key `survey_points` appears twice in this object; which value is meant?"
    );
    assert_eq!(rows[1]["status"], "ok");
}

#[test]
fn a_sheet_of_merged_cells_nfd_names_decimal_commas_and_a_far_cell_is_read_by_its_cells() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("đơn vị.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "unit").unwrap();
    sheet.write_string(0, 1, "period").unwrap();
    sheet.write_string(0, 2, "survey_points").unwrap();
    // "Sở Nội vụ" decomposed (NFD), as some keyboards type it.
    sheet
        .write_string(1, 0, "So\u{31b}\u{309} No\u{323}\u{302}i vu\u{323}")
        .unwrap();
    sheet.write_number(1, 1, 2024).unwrap();
    sheet.write_string(1, 2, "17,25").unwrap();
    // The same unit, composed, in another period; a note merged over cells beside the table.
    sheet.write_string(2, 0, "Sở Nội vụ").unwrap();
    sheet.write_number(2, 1, 2025).unwrap();
    sheet.write_number(2, 2, 18.5).unwrap();
    sheet
        .merge_range(4, 4, 6, 6, "", &rust_xlsxwriter::Format::new())
        .unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    workbook.save(&path).unwrap();
    let file = path.to_str().unwrap();

    let output = parscore_within(
        512,
        &[
            "evaluate",
            "--scheme",
            SCHEME,
            "--format",
            "json",
            "--quiet",
            "--decimal",
            ",",
            file,
        ],
    )
    .output()
    .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let document: Json = serde_json::from_slice(&output.stdout).unwrap();
    let rows = results(&document);
    assert_eq!(rows.len(), 3, "{document}");
    assert_eq!(rows[0]["unit"], "Sở Nội vụ");
    assert_eq!(rows[0]["status"], "ok");
    assert_eq!(rows[1]["unit"], "Sở Nội vụ");
    assert_eq!(rows[1]["status"], "ok");
    assert_eq!(rows[2]["source"]["row"], 1_048_576);
}
