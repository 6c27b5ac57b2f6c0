//! `parscore template` writes the workbook a department fills in; `evaluate` reads it back
//! filled, without a flag, in either layout, and scores it exactly as the same data given as
//! CSV: Vietnamese names typed decomposed, `có` and `x` for yes, decimals as numbers, as
//! percentages and as text with a decimal comma.

mod common;

use std::collections::HashMap;
use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader, Xlsx};
use common::{CSV, SCHEME, normalized, parscore, without_sources};
use parscore::{IndicatorKind, Scheme};
use predicates::prelude::*;
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use serde_json::Value as Json;

/// A unit as the CSV file gives it: its name, its period and its (id, text) cells.
type Unit = (String, String, Vec<(String, String)>);

/// The example units as the CSV file gives them.
fn units() -> Vec<Unit> {
    let text = std::fs::read_to_string(common::root().join(CSV)).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            let ids = header[2..].iter().map(|s| s.to_string());
            let values = cells[2..].iter().map(|s| s.to_string());
            (
                cells[0].to_string(),
                cells[1].to_string(),
                ids.zip(values).collect(),
            )
        })
        .collect()
}

/// A name as a keyboard that writes decomposed Unicode (NFD) types it: its letters with a
/// tone mark as a base letter and combining marks.
fn decomposed(text: &str) -> String {
    text.replace('ở', "ơ\u{309}")
        .replace('ụ', "u\u{323}")
        .replace('ồ', "ô\u{300}")
        .replace('ủ', "u\u{309}")
        .replace('ú', "u\u{301}")
}

/// A cell typed as a person types it in Vietnamese Excel: `có`, `x` or a ticked box for
/// yes; numbers as numbers, some rates as percentages, some decimals as text with a comma
/// (a cell formatted as text, as the self-assessment form's are).
fn type_in(sheet: &mut Worksheet, row: u32, column: u16, text: &str, turn: usize, percent: bool) {
    match text {
        "" => {}
        "true" => {
            match turn % 4 {
                0 => sheet.write_string(row, column, "có"),
                1 => sheet.write_string(row, column, "x"),
                2 => sheet.write_string(row, column, "co\u{301}"),
                _ => sheet.write_boolean(row, column, true),
            }
            .unwrap();
        }
        "false" => {
            sheet.write_string(row, column, "không").unwrap();
        }
        "n/a" => {
            sheet.write_string(row, column, "N/A").unwrap();
        }
        number if number.contains('.') && turn.is_multiple_of(3) => {
            sheet
                .write_string(row, column, number.replace('.', ","))
                .unwrap();
        }
        number if percent && turn % 3 == 1 => {
            // Excel keeps 41.2% as the double nearest 0.412.
            let fraction =
                number.parse::<parscore::Decimal>().unwrap() / parscore::Decimal::ONE_HUNDRED;
            let fraction: f64 = fraction.to_string().parse().unwrap();
            sheet
                .write_number_with_format(
                    row,
                    column,
                    fraction,
                    &Format::new().set_num_format("0.0%"),
                )
                .unwrap();
        }
        number => {
            sheet
                .write_number(row, column, number.parse::<f64>().unwrap())
                .unwrap();
        }
    }
}

/// The cells of a sheet of a workbook.
fn cells(path: &Path, sheet: &str) -> Vec<Vec<Data>> {
    let bytes = std::fs::read(path).unwrap();
    let mut book = Xlsx::new(Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range(sheet).unwrap();
    let (rows, columns) = range.end().map_or((0, 0), |(r, c)| (r + 1, c + 1));
    (0..rows)
        .map(|r| {
            (0..columns)
                .map(|c| range.get_value((r, c)).cloned().unwrap_or(Data::Empty))
                .collect()
        })
        .collect()
}

fn sheet_names(path: &Path) -> Vec<String> {
    Xlsx::new(Cursor::new(std::fs::read(path).unwrap()))
        .unwrap()
        .sheet_names()
}

/// Copies what a template shows into a sheet being filled in.
fn copy(sheet: &mut Worksheet, cells: &[Vec<Data>]) {
    for (r, row) in cells.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            match cell {
                Data::String(s) => {
                    sheet.write_string(r as u32, c as u16, s).unwrap();
                }
                Data::Float(f) => {
                    sheet.write_number(r as u32, c as u16, *f).unwrap();
                }
                _ => {}
            }
        }
    }
}

fn is_percent(scheme: &Scheme, id: &str) -> bool {
    scheme
        .indicator(id)
        .is_some_and(|i| i.kind == IndicatorKind::Percent)
}

/// `evaluate --format json` of the inputs, without the sources (a line, a sheet row).
fn scored(args: &[&str]) -> (Json, i32) {
    let mut all = vec!["evaluate", "--scheme", SCHEME, "--format", "json", "-q"];
    all.extend_from_slice(args);
    let output = parscore(&all).output().unwrap();
    let document: Json = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&output.stderr));
    });
    (
        normalized(&without_sources(&document)),
        output.status.code().unwrap(),
    )
}

#[test]
fn a_filled_table_scores_as_the_same_csv() {
    let scheme = Scheme::builtin(SCHEME).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("nhap-lieu.xlsx");
    let names: Vec<String> = units().iter().map(|(u, ..)| u.clone()).collect();
    parscore([
        "template",
        "--scheme",
        SCHEME,
        "-o",
        template.to_str().unwrap(),
        "--units",
        &names.join(","),
        "--period",
        "2024",
    ])
    .assert()
    .code(0)
    .stdout("");
    assert_eq!(sheet_names(&template), ["Nhập liệu", "Hướng dẫn"]);
    let shown = cells(&template, "Nhập liệu");
    assert_eq!(shown[1][0], Data::String("Đơn vị".into()));
    assert_eq!(shown[3][0], Data::String("Sở NN&PTNT".into()));
    assert_eq!(shown[3][1], Data::String("2024".into()));
    // The ids in the row under the titles: where each indicator's values go.
    let column: HashMap<String, u16> = shown[2]
        .iter()
        .enumerate()
        .filter_map(|(c, d)| match d {
            Data::String(s) => Some((s.clone(), c as u16)),
            _ => None,
        })
        .collect();

    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Nhập liệu").unwrap();
    copy(sheet, &shown[..3]);
    for (i, (unit, period, values)) in units().iter().enumerate() {
        let row = 3 + i as u32;
        let unit = if i.is_multiple_of(2) {
            decomposed(unit)
        } else {
            unit.clone()
        };
        sheet.write_string(row, 0, &unit).unwrap();
        if i.is_multiple_of(2) {
            sheet
                .write_number(row, 1, period.parse::<f64>().unwrap())
                .unwrap();
        } else {
            sheet.write_string(row, 1, period).unwrap();
        }
        for (n, (id, text)) in values.iter().enumerate() {
            type_in(sheet, row, column[id], text, i + n, is_percent(&scheme, id));
        }
    }
    let filled = dir.path().join("đã-điền.xlsx");
    book.save(&filled).unwrap();

    let from_template = scored(&[filled.to_str().unwrap()]);
    assert_eq!(from_template, scored(&[CSV]));
    assert_eq!(from_template.1, 0);
    // The same data as Vietnamese Excel writes it in CSV: `;`, decimal commas, `x`.
    assert_eq!(
        from_template,
        scored(&["--decimal", ",", "examples/data/units-2024-vi.csv"])
    );
    // Each row's source is its sheet row.
    let output = parscore([
        "evaluate",
        "--scheme",
        SCHEME,
        "--format",
        "json",
        filled.to_str().unwrap(),
    ])
    .output()
    .unwrap();
    let document: Json = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        document["results"][0]["source"],
        serde_json::json!({"file": filled.to_str().unwrap(), "sheet": "Nhập liệu", "row": 4})
    );
    assert_eq!(document["results"][0]["unit"], "Sở NN&PTNT");
}

#[test]
fn filled_self_assessment_forms_score_as_the_same_csv() {
    let scheme = Scheme::builtin(SCHEME).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("tu-danh-gia.xlsx");
    let units = units();
    let names: Vec<String> = units.iter().map(|(u, ..)| u.clone()).collect();
    parscore([
        "template",
        "--scheme",
        SCHEME,
        "--per-unit",
        "-o",
        template.to_str().unwrap(),
        "--units",
        &names.join(","),
        "--period",
        "2024",
    ])
    .assert()
    .code(0);
    let sheets = sheet_names(&template);
    assert_eq!(sheets.len(), units.len() + 1, "{sheets:?}");
    assert_eq!(sheets.last().map(String::as_str), Some("Hướng dẫn"));

    let mut book = Workbook::new();
    for (i, (sheet_name, (_, _, values))) in sheets.iter().zip(&units).enumerate() {
        let form = cells(&template, sheet_name);
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name).unwrap();
        copy(sheet, &form);
        let values: HashMap<&str, &str> = values
            .iter()
            .map(|(id, text)| (id.as_str(), text.as_str()))
            .collect();
        for (r, row) in form.iter().enumerate() {
            // The indicator id in column H, the value in column E.
            if let Some(Data::String(id)) = row.get(7)
                && let Some(text) = values.get(id.as_str())
            {
                type_in(sheet, r as u32, 4, text, i + r, is_percent(&scheme, id));
            }
        }
    }
    let filled = dir.path().join("phieu.xlsx");
    book.save(&filled).unwrap();
    let from_forms = scored(&[filled.to_str().unwrap()]);
    assert_eq!(from_forms.1, 0);
    assert_eq!(from_forms, scored(&[CSV]));
    // `--sheet` reads one unit's form.
    let (one, code) = scored(&["--sheet", &sheets[2], filled.to_str().unwrap()]);
    assert_eq!(code, 0);
    let results = one["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["unit"], names[2].as_str());
}

#[test]
fn a_bad_cell_fails_its_row_at_its_cell_and_the_others_are_scored() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("nhap-lieu.xlsx");
    parscore([
        "template",
        "--scheme",
        SCHEME,
        "-o",
        template.to_str().unwrap(),
    ])
    .assert()
    .code(0);
    let shown = cells(&template, "Nhập liệu");
    let survey = shown[2]
        .iter()
        .position(|d| *d == Data::String("survey_points".into()))
        .unwrap() as u16;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Nhập liệu").unwrap();
    copy(sheet, &shown[..3]);
    sheet.write_string(3, 0, "Sở Tư pháp").unwrap();
    sheet
        .write_formula(
            3,
            survey,
            rust_xlsxwriter::Formula::new("=1/0").set_result("#DIV/0!"),
        )
        .unwrap();
    sheet.write_string(4, 0, "Sở Y tế").unwrap();
    sheet.write_string(4, survey, "16,85").unwrap();
    // Twelve thousand, or twelve? Refused at its cell, never guessed.
    sheet.write_string(5, 0, "Sở Xây dựng").unwrap();
    sheet.write_string(5, survey, "12.000").unwrap();
    let filled = dir.path().join("filled.xlsx");
    book.save(&filled).unwrap();
    let file = filled.to_str().unwrap();
    let column = rust_xlsxwriter::utility::column_number_to_name(survey);
    parscore(["evaluate", "--scheme", SCHEME, "--format", "csv", file])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "parscore: {file}: Nhập liệu row 4 (unit `Sở Tư pháp`): indicator `survey_points`: \
             cell Nhập liệu!{column}4 holds the Excel error #DIV/0!"
        )))
        .stderr(predicate::str::contains(format!(
            "parscore: {file}: Nhập liệu row 6 (unit `Sở Xây dựng`): indicator \
             `survey_points`: cell Nhập liệu!{column}6: `12.000` could be"
        )))
        .stdout(predicate::str::contains(",Sở Y tế,,ok,"));
}

#[test]
fn a_blank_template_reads_as_no_rows_and_mistakes_of_the_command_line_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("trống.xlsx");
    let file = template.to_str().unwrap();
    parscore(["template", "--scheme", SCHEME, "--per-unit", "-o", file])
        .assert()
        .code(0);
    assert_eq!(sheet_names(&template), ["Tự đánh giá", "Hướng dẫn"]);
    parscore(["evaluate", "--scheme", SCHEME, file])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("the inputs hold no rows"));
    parscore([
        "template",
        "--scheme",
        SCHEME,
        "--units",
        "Sở A,Sở A",
        "-o",
        file,
    ])
    .assert()
    .code(2)
    .stderr("parscore: --units names `Sở A` twice\n");
    let csv = dir.path().join("nhap-lieu.csv");
    parscore(["template", "--scheme", SCHEME, "-o", csv.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("name it .xlsx"));
    assert!(!csv.exists());
    // Never over the scheme it is made from.
    let scheme = dir.path().join("scheme.xlsx");
    parscore(["scheme", "show", SCHEME, "-o", scheme.to_str().unwrap()])
        .assert()
        .code(0);
    parscore([
        "template",
        "--scheme",
        scheme.to_str().unwrap(),
        "-o",
        scheme.to_str().unwrap(),
    ])
    .assert()
    .code(2)
    .stderr(predicate::str::contains("is the scheme"));
}

/// A workbook of one sheet, `Sheet1`, whose `<sheetData>` is the XML given, zipped by hand:
/// what a program that writes formulas without computing them leaves.
fn write_sheet_xml(path: &Path, sheet_data: &str) {
    use std::io::Write;
    let xml = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let package = "http://schemas.openxmlformats.org/package/2006/relationships";
    let parts = [
        (
            "[Content_Types].xml",
            format!(
                r#"{xml}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#
            ),
        ),
        (
            "_rels/.rels",
            format!(
                r#"{xml}<Relationships xmlns="{package}"><Relationship Id="rId1" Type="{relations}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/workbook.xml",
            format!(
                r#"{xml}<workbook xmlns="{main}" xmlns:r="{relations}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"{xml}<Relationships xmlns="{package}"><Relationship Id="rId1" Type="{relations}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(
                r#"{xml}<worksheet xmlns="{main}"><sheetData>{sheet_data}</sheetData></worksheet>"#
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

#[test]
fn a_formula_saved_without_its_value_fails_its_row_rather_than_reading_as_missing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tinh-bang-chuong-trinh.xlsx");
    let text =
        |at: &str, text: &str| format!(r#"<c r="{at}" t="inlineStr"><is><t>{text}</t></is></c>"#);
    write_sheet_xml(
        &path,
        &format!(
            r#"<row r="1">{}{}</row><row r="2">{}<c r="B2"><f>16+1</f></c></row><row r="3">{}<c r="B3"><v>17</v></c></row>"#,
            text("A1", "Đơn vị"),
            text("B1", "Điểm điều tra xã hội học (khảo sát)"),
            text("A2", "Sở Y tế"),
            text("A3", "Sở Nội vụ"),
        ),
    );
    let file = path.to_str().unwrap();
    let (document, code) = scored(&[file]);
    assert_eq!(code, 1);
    let results = document["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(
        results[0]["error"]["message"],
        "indicator `survey_points`: cell Sheet1!B2 holds a formula whose value was never \
         computed: open and save the workbook in Excel (which computes it), or type the value"
    );
    assert_eq!(results[1]["status"], "ok");
}
