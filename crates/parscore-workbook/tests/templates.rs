//! Templates filled in as a person fills them in Excel read back, and score exactly as the
//! same data given as CSV.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use parscore::text::nfc;
use parscore::{Batch, Decimal, Options, RawRow, Scheme};
use parscore_workbook::{Layout, TemplateOptions, read_template, write_template};
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use unicode_normalization::UnicodeNormalization;

const UNITS: &str = include_str!("../../../examples/data/units-2024.csv");

fn scheme() -> Scheme {
    Scheme::builtin("lang-son-snn-2024").unwrap()
}

/// The example units as the command reads the CSV file: a row per unit.
fn csv_rows() -> Vec<RawRow> {
    let mut reader = csv::Reader::from_reader(UNITS.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader
        .records()
        .enumerate()
        .map(|(i, record)| {
            let record = record.unwrap();
            let mut row = RawRow {
                row: i + 2,
                ..RawRow::default()
            };
            for (name, cell) in header.iter().zip(record.iter()) {
                match name.as_str() {
                    "unit" => row.unit = Some(cell.to_string()),
                    "period" => row.period = Some(cell.to_string()),
                    _ => row.cells.push((name.clone(), cell.to_string())),
                }
            }
            row
        })
        .collect()
}

fn score(rows: &[RawRow]) -> Batch {
    scheme().evaluate_rows(rows, false, &Options::default())
}

/// Both batches, row numbers aside (a CSV line and a sheet row differ), are the same.
fn assert_same(mut from_workbook: Batch, from_csv: Batch) {
    assert_eq!(from_workbook.results.len(), from_csv.results.len());
    for (w, c) in from_workbook.results.iter_mut().zip(&from_csv.results) {
        assert!(c.outcome.is_ok(), "{:?}", c.outcome);
        w.row = c.row;
    }
    // The results document holds every figure of every row: equal documents, equal scores.
    let (w, c) = (
        from_workbook.report().to_json(),
        from_csv.report().to_json(),
    );
    if w != c {
        let (w, c) = (
            serde_json::to_string_pretty(&w).unwrap(),
            serde_json::to_string_pretty(&c).unwrap(),
        );
        let line = w
            .lines()
            .zip(c.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        let around = |text: &str| {
            text.lines()
                .skip(line.saturating_sub(8))
                .take(12)
                .collect::<Vec<_>>()
                .join("\n")
        };
        panic!(
            "the workbook's results differ:\n{}\n---\n{}",
            around(&w),
            around(&c)
        );
    }
    assert_eq!(from_workbook, from_csv);
}

/// A cell as a person types it in Vietnamese Excel: `có`, `x`, `không` for yes and no,
/// numbers as numbers (Excel keeps 92,3 typed in a Vietnamese locale as the number 92.3),
/// some rates typed with `%` (Excel keeps 0.923 formatted as a percentage).
fn type_in(sheet: &mut Worksheet, row: u32, column: u16, text: &str, turn: usize, percent: bool) {
    let percent_format = Format::new().set_num_format("0.0%");
    match text {
        "" => {}
        "true" => {
            match turn % 3 {
                0 => sheet.write_string(row, column, "có"),
                1 => sheet.write_string(row, column, "x"),
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
        number => {
            let value: f64 = number.parse().unwrap();
            if percent && turn.is_multiple_of(2) {
                // Excel keeps 92.3% as the double nearest 0.923 (not 92.3 / 100 in floats,
                // which is 0.9229999999999999).
                let fraction = number.parse::<Decimal>().unwrap() / Decimal::ONE_HUNDRED;
                let fraction: f64 = fraction.to_string().parse().unwrap();
                sheet
                    .write_number_with_format(row, column, fraction, &percent_format)
                    .unwrap();
            } else {
                sheet.write_number(row, column, value).unwrap();
            }
        }
    }
}

/// The cells of a sheet of a workbook, as text (what a copy of the template shows).
fn cells(bytes: &[u8], sheet: &str) -> Vec<Vec<Data>> {
    let mut book = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
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

fn decomposed(text: &str) -> String {
    text.nfd().collect()
}

#[test]
fn a_filled_table_scores_as_the_same_csv() {
    let scheme = scheme();
    let template = write_template(&scheme, &TemplateOptions::default()).unwrap();
    let header = cells(&template, "Nhập liệu");
    let ids: HashMap<String, u16> = header[2]
        .iter()
        .enumerate()
        .filter_map(|(c, d)| match d {
            Data::String(s) => Some((s.clone(), c as u16)),
            _ => None,
        })
        .collect();
    let percent = |id: &str| scheme.indicator(id).unwrap().kind == parscore::IndicatorKind::Percent;

    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Nhập liệu").unwrap();
    copy(sheet, &header[..3]);
    let rows = csv_rows();
    for (i, row) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        let unit = row.unit.as_deref().unwrap();
        // Unit names typed in either Unicode form.
        let unit = if i % 2 == 0 {
            decomposed(unit)
        } else {
            unit.to_string()
        };
        sheet.write_string(r, 0, &unit).unwrap();
        sheet.write_number(r, 1, 2024.0).unwrap();
        for (n, (id, text)) in row.cells.iter().enumerate() {
            type_in(sheet, r, ids[id], text, i + n, percent(id));
        }
    }
    let filled = book.save_to_buffer().unwrap();

    let read = read_template(&filled, &scheme).unwrap();
    assert_eq!(read.len(), rows.len());
    assert!(
        read.iter()
            .all(|r| r.problem.is_none() && r.bad_cells.is_empty())
    );
    assert_eq!(read[0].place.to_string(), "Nhập liệu!A4");
    assert_eq!(read[0].raw.unit.as_deref(), Some("Sở NN&PTNT"));
    let raw: Vec<RawRow> = read.into_iter().map(|r| r.raw).collect();
    assert_same(score(&raw), score(&rows));
}

#[test]
fn headers_by_title_alone_read_as_by_id() {
    let scheme = scheme();
    let rows = csv_rows();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Tên đơn vị").unwrap();
    sheet.write_string(0, 1, "Kỳ").unwrap();
    for (c, (id, _)) in rows[0].cells.iter().enumerate() {
        let title = &scheme.indicator(id).unwrap().title;
        // Some headers as `Title [id]`, some as the title in upper case.
        let header = if c.is_multiple_of(2) {
            format!("{title} [{id}]")
        } else {
            title.to_uppercase()
        };
        sheet.write_string(0, c as u16 + 2, &header).unwrap();
    }
    for (i, row) in rows.iter().enumerate() {
        let r = 1 + i as u32;
        sheet
            .write_string(r, 0, row.unit.as_deref().unwrap())
            .unwrap();
        sheet.write_string(r, 1, "2024").unwrap();
        for (c, (_, text)) in row.cells.iter().enumerate() {
            type_in(sheet, r, c as u16 + 2, text, i + c, false);
        }
    }
    let read = read_template(&book.save_to_buffer().unwrap(), &scheme).unwrap();
    let raw: Vec<RawRow> = read.into_iter().map(|r| r.raw).collect();
    assert_same(score(&raw), score(&rows));
}

#[test]
fn filled_self_assessment_forms_score_as_the_same_csv() {
    let scheme = scheme();
    let rows = csv_rows();
    let units: Vec<String> = rows.iter().map(|r| r.unit.clone().unwrap()).collect();
    let options = TemplateOptions {
        layout: Layout::PerUnit,
        units: units.clone(),
        period: Some("2024".into()),
    };
    let template = write_template(&scheme, &options).unwrap();
    let names = Xlsx::new(Cursor::new(template.clone()))
        .unwrap()
        .sheet_names();
    assert_eq!(names.len(), units.len() + 1, "{names:?}");
    assert_eq!(names.last().map(String::as_str), Some("Hướng dẫn"));

    let mut book = Workbook::new();
    for (i, (name, row)) in names.iter().zip(&rows).enumerate() {
        let form = cells(&template, name);
        let sheet = book.add_worksheet();
        sheet.set_name(name).unwrap();
        copy(sheet, &form);
        let values: HashMap<&str, &str> = row
            .cells
            .iter()
            .map(|(id, text)| (id.as_str(), text.as_str()))
            .collect();
        for (r, cells) in form.iter().enumerate() {
            if let Some(Data::String(id)) = cells.get(7)
                && let Some(text) = values.get(id.as_str())
            {
                let percent = scheme
                    .indicator(id)
                    .is_some_and(|i| i.kind == parscore::IndicatorKind::Percent);
                type_in(sheet, r as u32, 4, text, i + r, percent);
            }
        }
    }
    let filled = book.save_to_buffer().unwrap();
    let read = read_template(&filled, &scheme).unwrap();
    assert_eq!(read.len(), rows.len());
    assert_eq!(read[0].place.to_string(), format!("{}!B2", names[0]));
    for (r, unit) in read.iter().zip(&units) {
        assert_eq!(r.raw.unit.as_deref(), Some(nfc(unit).as_ref()));
        assert_eq!(r.raw.period.as_deref(), Some("2024"));
        assert!(r.problem.is_none(), "{:?}", r.problem);
    }
    let raw: Vec<RawRow> = read.into_iter().map(|r| r.raw).collect();
    assert_same(score(&raw), score(&rows));
}

#[test]
fn every_input_indicator_has_a_column_and_a_form_row() {
    let scheme = scheme();
    let inputs: Vec<&str> = scheme
        .indicators()
        .iter()
        .filter(|i| i.source == parscore::IndicatorSource::Input)
        .map(|i| i.id.as_str())
        .collect();
    let table = write_template(&scheme, &TemplateOptions::default()).unwrap();
    let header = cells(&table, "Nhập liệu");
    let mut columns: Vec<&str> = header[2][2..]
        .iter()
        .map(|d| match d {
            Data::String(s) => s.as_str(),
            _ => "",
        })
        .collect();
    columns.sort_unstable();
    let mut expected = inputs.clone();
    expected.sort_unstable();
    assert_eq!(columns, expected);
    // The first area's band and the first title.
    assert!(matches!(&header[0][2], Data::String(s) if s.starts_with("I. ")));
    let form = write_template(
        &scheme,
        &TemplateOptions {
            layout: Layout::PerUnit,
            ..TemplateOptions::default()
        },
    )
    .unwrap();
    let rows = cells(&form, "Tự đánh giá");
    let mut ids: Vec<&str> = rows
        .iter()
        .filter_map(|r| match r.get(7) {
            Some(Data::String(s)) if s != "Mã chỉ tiêu" => Some(s.as_str()),
            _ => None,
        })
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, expected);
    // A blank form reads as no unit at all.
    assert_eq!(read_template(&form, &scheme).unwrap(), vec![]);
}

#[test]
fn indicators_that_share_a_title_read_by_their_ids() {
    let scheme = Scheme::from_toml(
        r#"
id = "twins"
title = "Twins"
version = "1"
[[indicators]]
id = "a"
title = "Tỷ lệ hoàn thành"
kind = "percent"
[[indicators]]
id = "b"
title = "Tỷ lệ hoàn thành"
kind = "percent"
[[areas]]
code = "I"
title = "Khu vực"
[[areas.criteria]]
code = "I.1"
title = "A"
indicator = "a"
max_points = 1
rule = { kind = "proportional" }
[[areas.criteria]]
code = "I.2"
title = "B"
indicator = "b"
max_points = 1
rule = { kind = "proportional" }
"#,
    )
    .unwrap();
    let template = write_template(&scheme, &TemplateOptions::default()).unwrap();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    copy(sheet, &cells(&template, "Nhập liệu")[..3]);
    sheet.write_string(3, 0, "Sở Tư pháp").unwrap();
    sheet.write_number(3, 2, 40.0).unwrap();
    sheet.write_number(3, 3, 60.0).unwrap();
    let rows = read_template(&book.save_to_buffer().unwrap(), &scheme).unwrap();
    assert_eq!(
        rows[0].raw.cells,
        [
            ("a".to_string(), "40".to_string()),
            ("b".to_string(), "60".to_string())
        ]
    );
    // By title alone, the column is refused, naming both.
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Đơn vị").unwrap();
    sheet.write_string(0, 1, "Tỷ lệ hoàn thành").unwrap();
    let error = read_template(&book.save_to_buffer().unwrap(), &scheme).unwrap_err();
    assert!(error.to_string().contains("a, b"), "{error}");
    assert_eq!(error.problems()[0].place.to_string(), "Sheet1!B1");
}

#[test]
fn excel_errors_stay_with_their_row() {
    let scheme = scheme();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "unit").unwrap();
    sheet.write_string(0, 1, "survey_points").unwrap();
    sheet.write_string(1, 0, "Sở A").unwrap();
    sheet.write_formula(1, 1, "=1/0").unwrap();
    sheet.set_formula_result(1, 1, "#DIV/0!");
    sheet.write_string(2, 0, "Sở B").unwrap();
    sheet.write_number(2, 1, 17.5).unwrap();
    let rows = read_template(&book.save_to_buffer().unwrap(), &scheme).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0].bad_cells,
        [(
            "survey_points".to_string(),
            "cell Sheet1!B2 holds the Excel error #DIV/0!".to_string()
        )]
    );
    assert!(rows[1].bad_cells.is_empty());
    assert_eq!(
        rows[1].raw.cells,
        [("survey_points".to_string(), "17.5".to_string())]
    );
}

#[test]
fn numbers_typed_as_text_read_with_either_mark_and_never_two_ways() {
    // The form's value cells are text cells, and its notes say "ghi 98,7 hoặc 98.7": a
    // Vietnamese analyst types 98,7 and 12.000 (twelve thousand) as text.
    let scheme = scheme();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, header) in [
        "Đơn vị",
        "survey_points",
        "dossiers_on_time_rate",
        "dossiers_on_time",
        "online_full_services_rate",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *header).unwrap();
    }
    for (r, cells) in [
        ["Sở A", "16,85", "98,7%", "12", "0,5"],
        ["Sở B", "17.5", "98.7", "12.000", "n/a"],
        ["Sở C", "1,5/3", "x", "", "1.234,5"],
    ]
    .iter()
    .enumerate()
    {
        for (c, text) in cells.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, *text).unwrap();
        }
    }
    let rows = read_template(&book.save_to_buffer().unwrap(), &scheme).unwrap();
    let cell = |row: usize, id: &str| {
        rows[row]
            .raw
            .cells
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, text)| text.clone())
    };
    assert_eq!(cell(0, "survey_points").as_deref(), Some("16.85"));
    assert_eq!(cell(0, "dossiers_on_time_rate").as_deref(), Some("98.7%"));
    assert_eq!(cell(0, "online_full_services_rate").as_deref(), Some("0.5"));
    assert_eq!(cell(1, "survey_points").as_deref(), Some("17.5"));
    assert_eq!(cell(1, "online_full_services_rate").as_deref(), Some("n/a"));
    assert!(rows[0].bad_cells.is_empty(), "{:?}", rows[0].bad_cells);
    // Twelve thousand, or twelve? Refused at its cell, never read as 12.
    assert_eq!(cell(1, "dossiers_on_time"), None);
    assert_eq!(rows[1].bad_cells.len(), 1);
    let (id, reason) = &rows[1].bad_cells[0];
    assert_eq!(id, "dossiers_on_time");
    assert!(reason.starts_with("cell Sheet1!D3: `12.000`"), "{reason}");
    assert_eq!(cell(2, "survey_points").as_deref(), Some("1.5/3"));
    assert_eq!(cell(2, "dossiers_on_time_rate").as_deref(), Some("x"));
    assert_eq!(rows[2].bad_cells[0].0, "online_full_services_rate");
}

/// A scheme with bonus and penalty points: its templates have a place for every input of the
/// sections, and the filled forms read back as rows that score.
#[test]
fn templates_of_a_scheme_with_bonus_and_penalties_read_back() {
    let scheme = Scheme::from_toml(include_str!("../../../tests/schemes/every-key.toml")).unwrap();
    for layout in [Layout::Table, Layout::PerUnit] {
        let options = TemplateOptions {
            layout,
            units: vec!["Sở Tư pháp".into()],
            period: Some("2024".into()),
        };
        let template = write_template(&scheme, &options).unwrap();
        let mut book: Xlsx<_> =
            calamine::open_workbook_from_rs(Cursor::new(template.clone())).unwrap();
        let text: String = book
            .sheet_names()
            .iter()
            .map(|name| {
                let range = book.worksheet_range(name).unwrap();
                range
                    .cells()
                    .map(|(_, _, cell)| format!("{cell} "))
                    .collect::<String>()
            })
            .collect();
        for id in ["initiative", "reprimands"] {
            assert!(text.contains(id), "{layout:?}: {id}");
        }
        let rows = read_template(&template, &scheme).unwrap();
        let raw: Vec<RawRow> = rows.into_iter().map(|row| row.raw).collect();
        let batch = scheme.evaluate_rows(&raw, false, &Options::default());
        assert_eq!(batch.results.len(), 1, "{layout:?}");
    }
}
