//! Text from the inputs is shown, never run: control characters reach a terminal as visible
//! escapes, and a cell a spreadsheet would run as a formula is quoted in CSV and written as
//! text in Excel.

mod common;

use calamine::{Data, Reader};
use common::{SCHEME, parscore};

/// A unit name that recolours the terminal, rings its bell and moves the cursor home.
const ESCAPING: &str = "Chi cục \u{1b}[31mĐỏ\u{7}\u{1b}[H";
const SHOWN: &str = "Chi cục \\u{1b}[31mĐỏ\\u{7}\\u{1b}[H";

/// Units a spreadsheet would run as formulas.
const FORMULAS: [&str; 4] = [
    "=HYPERLINK(\"http://example.invalid\",\"Sở NN&PTNT\")",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
];

/// No byte of a control character other than the line breaks of the text itself.
fn assert_no_control(text: &str, what: &str) {
    let raw: Vec<char> = text
        .chars()
        .filter(|c| c.is_control() && *c != '\n')
        .collect();
    assert!(raw.is_empty(), "{what} holds {raw:?}:\n{text}");
}

#[test]
fn control_characters_from_the_inputs_are_shown_on_a_terminal_not_run() {
    let dir = tempfile::tempdir().unwrap();
    let units = dir.path().join("units.csv");
    // One good row with the name, one bad row with it (its message names the unit), one
    // bad value that quotes the cell.
    std::fs::write(
        &units,
        format!(
            "unit,period,survey_points\n\
             \"{ESCAPING}\",2024,\"17,5\"\n\
             \"{ESCAPING}\",2023,18\n\
             Sở Nội vụ,2024,\"\u{1b}]0;pwned\u{7}\"\n"
        ),
    )
    .unwrap();
    for lang in ["vi", "en"] {
        let output = parscore(["evaluate", "--scheme", SCHEME, "--lang", lang])
            .arg(&units)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        let table = String::from_utf8(output.stdout).unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_no_control(&table, "the table");
        assert_no_control(&stderr, "standard error");
        assert!(table.contains(SHOWN), "{table}");
        assert!(stderr.contains(SHOWN), "{stderr}");
        assert!(stderr.contains("\\u{1b}]0;pwned\\u{7}"), "{stderr}");
    }
    for format in ["md", "html"] {
        let output = parscore(["evaluate", "--scheme", SCHEME, "-q", "-f", format])
            .arg(&units)
            .output()
            .unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        assert_no_control(&text, format);
    }
    let output = parscore([
        "explain", "--scheme", SCHEME, "--unit", ESCAPING, "--period", "2023",
    ])
    .arg(&units)
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert_no_control(&text, "explain");
    assert!(text.starts_with(SHOWN), "{text}");

    // Dossier records: the unit column of an export.
    let records = dir.path().join("hồ-sơ.csv");
    std::fs::write(
        &records,
        format!(
            "Mã hồ sơ,Đơn vị,Ngày tiếp nhận,Ngày hẹn trả,Ngày có kết quả,Trạng thái\n\
             H01,\"{ESCAPING}\",09/01/2024,30/01/2024,27/01/2024,Đúng hạn\n\
             H02,\"{ESCAPING}\",10/01/2024,17/01/2024,,Đã huỷ\n"
        ),
    )
    .unwrap();
    let output = parscore(["records", "summarize"])
        .arg(&records)
        .output()
        .unwrap();
    let table = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_no_control(&table, "the records table");
    assert_no_control(&stderr, "the bad records");
    assert!(table.contains(SHOWN), "{table}");
}

#[test]
fn cells_that_would_run_as_formulas_are_quoted_in_csv_and_text_in_excel() {
    let dir = tempfile::tempdir().unwrap();
    let units = dir.path().join("units.csv");
    let mut text = String::from("unit,period,survey_points\n");
    for (i, unit) in FORMULAS.iter().enumerate() {
        text.push_str(&format!("\"{}\",2024,1{i}\n", unit.replace('"', "\"\"")));
    }
    std::fs::write(&units, text).unwrap();

    let output = parscore(["evaluate", "--scheme", SCHEME, "-q", "-f", "csv"])
        .arg(&units)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    let mut seen = 0;
    for (record, unit) in reader.records().zip(FORMULAS) {
        let record = record.unwrap();
        assert_eq!(&record[2], format!("'{unit}"));
        for cell in record.iter() {
            let first = cell.chars().next();
            let number = cell.parse::<f64>().is_ok();
            assert!(
                !matches!(first, Some('=' | '@' | '\t' | '\r'))
                    && (number || !matches!(first, Some('+' | '-'))),
                "{cell}"
            );
        }
        seen += 1;
    }
    assert_eq!(seen, FORMULAS.len());

    let workbook = dir.path().join("kết-quả.xlsx");
    parscore(["evaluate", "--scheme", SCHEME, "-q", "-o"])
        .arg(&workbook)
        .arg(&units)
        .assert()
        .success();
    let mut workbook = calamine::open_workbook_auto(&workbook).unwrap();
    let formulas = workbook.worksheet_formula("Kết quả").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no formula in the workbook"
    );
    let results = workbook.worksheet_range("Kết quả").unwrap();
    let mut names: Vec<String> = (1..results.height())
        .map(|r| match results.get((r, 2)) {
            Some(Data::String(text)) => text.clone(),
            other => panic!("{other:?} is not text"),
        })
        .collect();
    names.sort();
    let mut expected: Vec<String> = FORMULAS.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(names, expected);

    // A records export's unit, in the summary's CSV.
    let records = dir.path().join("hồ-sơ.csv");
    std::fs::write(
        &records,
        "Mã hồ sơ,Đơn vị,Ngày tiếp nhận,Ngày hẹn trả,Ngày có kết quả,Trạng thái\n\
         H01,=1+1,09/01/2024,30/01/2024,27/01/2024,Đúng hạn\n",
    )
    .unwrap();
    let output = parscore(["records", "summarize", "-f", "csv"])
        .arg(&records)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.lines().nth(1).unwrap().starts_with("'=1+1,"), "{text}");
}

#[test]
fn on_a_terminal_every_format_shows_control_characters_as_escapes() {
    // `script` gives the command a terminal for its standard output, as a person has.
    let has_script = std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_script {
        eprintln!("skipped: no `script` to run the command on a terminal");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let units = dir.path().join("units.csv");
    std::fs::write(
        &units,
        format!("unit,period,survey_points\n\"{ESCAPING}\u{9b}2J\",2024,17\n"),
    )
    .unwrap();
    for format in ["table", "csv", "json", "md"] {
        let command = format!(
            "{} evaluate --scheme {SCHEME} -q -f {format} {}",
            env!("CARGO_BIN_EXE_parscore"),
            units.display()
        );
        let output = std::process::Command::new("script")
            .args(["-qec", &command, "/dev/null"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{format}");
        // The terminal itself ends lines with `\r\n`.
        let text = String::from_utf8(output.stdout).unwrap().replace('\r', "");
        assert_no_control(&text, format);
        assert!(text.contains("Chi cục"), "{format}: {text}");
    }
}
