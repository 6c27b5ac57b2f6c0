//! Sheets are read by the cells they hold: a stray cell at XFD1048576, merged cells,
//! formulas saved without their values, Vietnamese text in NFD and numbers typed with a
//! decimal comma, through the scheme reader and the template reader. Before, one far cell
//! made the reader build the rectangle up to it (half a terabyte at XFD1048576) and abort.

use std::io::Write;

use parscore::{Options, Scheme};
use parscore_workbook::sheet_cells::{SheetCell, Workbook, column_letters};
use parscore_workbook::{
    Layout, TemplateOptions, read_scheme, read_template, write_scheme, write_template,
};

/// A cell of hand-written sheet XML.
#[derive(Debug, Clone)]
enum Xml {
    Text(String),
    Number(String),
    Bool(bool),
    /// A formula saved without its value, as a program that does not compute them leaves.
    Uncomputed(&'static str),
}

struct SheetXml {
    name: String,
    cells: Vec<(u32, u32, Xml)>,
    merged: Vec<&'static str>,
}

fn builtin() -> Scheme {
    Scheme::builtin("lang-son-snn-2024").unwrap()
}

/// A workbook's sheets and cells, as the one sheet reader reads them.
fn sheets_of(bytes: &[u8]) -> Vec<SheetXml> {
    let mut book = Workbook::open(bytes).unwrap();
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let cells = book
                .rows(&name)
                .unwrap()
                .into_iter()
                .flat_map(|row| {
                    let at = row.row;
                    row.cells.into_iter().map(move |(column, cell)| {
                        let xml = match cell {
                            SheetCell::Text(t) | SheetCell::Date(t) => Xml::Text(t),
                            SheetCell::Number(n) => match n.strip_suffix('%') {
                                Some(p) => {
                                    Xml::Number(format!("{}", p.parse::<f64>().unwrap() / 100.0))
                                }
                                None => Xml::Number(n),
                            },
                            SheetCell::Bool(b) => Xml::Bool(b),
                            SheetCell::Error(e) => panic!("{e}"),
                        };
                        (at, column, xml)
                    })
                })
                .collect();
            SheetXml {
                name,
                cells,
                merged: Vec::new(),
            }
        })
        .collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The sheets zipped by hand into a workbook, their cells in row and column order.
fn xlsx(sheets: &[SheetXml]) -> Vec<u8> {
    let head = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let package = "http://schemas.openxmlformats.org/package/2006/relationships";
    let mut types = String::new();
    let mut listed = String::new();
    let mut links = String::new();
    let mut parts = Vec::new();
    for (i, sheet) in sheets.iter().enumerate() {
        let n = i + 1;
        types += &format!(
            r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        );
        listed += &format!(
            r#"<sheet name="{}" sheetId="{n}" r:id="rId{n}"/>"#,
            escape(&sheet.name)
        );
        links += &format!(
            r#"<Relationship Id="rId{n}" Type="{relations}/worksheet" Target="worksheets/sheet{n}.xml"/>"#
        );
        let mut cells = sheet.cells.clone();
        cells.sort_by_key(|(row, column, _)| (*row, *column));
        let mut data = String::new();
        let mut open = None;
        for (row, column, cell) in cells {
            if open != Some(row) {
                if open.is_some() {
                    data += "</row>";
                }
                data += &format!(r#"<row r="{}">"#, row + 1);
                open = Some(row);
            }
            let at = format!("{}{}", column_letters(column), row + 1);
            data += &match cell {
                Xml::Text(t) => format!(
                    r#"<c r="{at}" t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#,
                    escape(&t)
                ),
                Xml::Number(n) => format!(r#"<c r="{at}"><v>{n}</v></c>"#),
                Xml::Bool(b) => format!(r#"<c r="{at}" t="b"><v>{}</v></c>"#, u8::from(b)),
                Xml::Uncomputed(f) => format!(r#"<c r="{at}"><f>{f}</f></c>"#),
            };
        }
        if open.is_some() {
            data += "</row>";
        }
        let merged = if sheet.merged.is_empty() {
            String::new()
        } else {
            let each: String = sheet
                .merged
                .iter()
                .map(|r| format!(r#"<mergeCell ref="{r}"/>"#))
                .collect();
            format!(
                r#"<mergeCells count="{}">{each}</mergeCells>"#,
                sheet.merged.len()
            )
        };
        parts.push((
            format!("xl/worksheets/sheet{n}.xml"),
            format!(r#"{head}<worksheet xmlns="{main}"><sheetData>{data}</sheetData>{merged}</worksheet>"#),
        ));
    }
    parts.extend([
        (
            "[Content_Types].xml".to_string(),
            format!(r#"{head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{types}</Types>"#),
        ),
        (
            "_rels/.rels".to_string(),
            format!(r#"{head}<Relationships xmlns="{package}"><Relationship Id="rId1" Type="{relations}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
        ),
        (
            "xl/workbook.xml".to_string(),
            format!(r#"{head}<workbook xmlns="{main}" xmlns:r="{relations}"><sheets>{listed}</sheets></workbook>"#),
        ),
        (
            "xl/_rels/workbook.xml.rels".to_string(),
            format!(r#"{head}<Relationships xmlns="{package}">{links}</Relationships>"#),
        ),
    ]);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn sheet<'a>(sheets: &'a mut [SheetXml], name: &str) -> &'a mut SheetXml {
    sheets.iter_mut().find(|s| s.name == name).unwrap()
}

/// Where a text stands in a sheet.
fn find(sheet: &SheetXml, text: &str) -> (u32, u32) {
    sheet
        .cells
        .iter()
        .find(|(_, _, cell)| matches!(cell, Xml::Text(t) if t == text))
        .map(|(row, column, _)| (*row, *column))
        .unwrap_or_else(|| panic!("no `{text}` in {}", sheet.name))
}

fn nfd(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfd().collect()
}

#[test]
fn a_scheme_workbook_rebuilt_by_hand_reads_as_written() {
    let scheme = builtin();
    let read = read_scheme(&xlsx(&sheets_of(&write_scheme(&scheme).unwrap()))).unwrap();
    assert_eq!(read.to_toml().unwrap(), scheme.to_toml().unwrap());
}

#[test]
fn a_stray_far_cell_merged_cells_and_nfd_text_leave_a_scheme_as_it_was() {
    let scheme = builtin();
    let mut sheets = sheets_of(&write_scheme(&scheme).unwrap());
    // A note at the sheet's last cell, beside the settings, where no setting is read.
    sheet(&mut sheets, "Thông tin")
        .cells
        .push((1_048_575, 16_383, Xml::Text("ghi chú".into())));
    // The title cells merged with their right neighbours, as a person formats a sheet.
    let criteria = sheet(&mut sheets, "Tiêu chí");
    criteria.merged.push("Z1:AB2");
    // Every text of the criteria in NFD, as some Vietnamese keyboards type it.
    for (_, _, cell) in &mut criteria.cells {
        if let Xml::Text(text) = cell {
            *text = nfd(text);
        }
    }
    let read = read_scheme(&xlsx(&sheets)).unwrap();
    assert_eq!(read.to_toml().unwrap(), scheme.to_toml().unwrap());
}

#[test]
fn a_stray_far_cell_among_the_criteria_is_a_problem_at_its_row() {
    let mut sheets = sheets_of(&write_scheme(&builtin()).unwrap());
    sheet(&mut sheets, "Tiêu chí")
        .cells
        .push((1_048_575, 16_383, Xml::Text("x".into())));
    let error = read_scheme(&xlsx(&sheets)).unwrap_err();
    let rows: Vec<_> = error
        .problems()
        .iter()
        .map(|p| p.place.row_number())
        .collect();
    assert!(
        !rows.is_empty() && rows.iter().all(|row| *row == Some(1_048_576)),
        "{error}"
    );
}

#[test]
fn a_maximum_saved_as_a_formula_without_its_value_is_refused_at_its_cell() {
    let mut sheets = sheets_of(&write_scheme(&builtin()).unwrap());
    let criteria = sheet(&mut sheets, "Tiêu chí");
    let (row, _) = find(criteria, "KS.1");
    let column = criteria
        .cells
        .iter()
        .find(|(r, _, cell)| *r == row && matches!(cell, Xml::Number(n) if n == "20"))
        .map(|(_, c, _)| *c)
        .expect("KS.1 is worth 20");
    criteria.cells.retain(|(r, c, _)| (*r, *c) != (row, column));
    criteria.cells.push((row, column, Xml::Uncomputed("10+10")));
    let error = read_scheme(&xlsx(&sheets)).unwrap_err();
    let problem = &error.problems()[0];
    assert_eq!(problem.place.cell, Some((row, column as u16)), "{error}");
    assert!(problem.to_string().contains("never computed"), "{error}");
}

#[test]
fn a_template_with_far_cells_merged_cells_nfd_names_decimal_commas_and_formulas() {
    let scheme = builtin();
    let options = TemplateOptions {
        layout: Layout::Table,
        units: vec![
            "Sở Nội vụ".into(),
            "UBND huyện Cao Lộc".into(),
            "Sở Y tế".into(),
        ],
        period: Some("2024".into()),
    };
    let mut sheets = sheets_of(&write_template(&scheme, &options).unwrap());
    let table = sheet(&mut sheets, "Nhập liệu");
    let (first, unit_column) = find(table, "Sở Nội vụ");
    let survey = find(table, "survey_points").1;
    // The first unit's name in NFD, its survey points typed as text with a decimal comma;
    // the third unit's a formula never computed.
    for (row, column, cell) in &mut table.cells {
        if (*row, *column) == (first, unit_column) {
            *cell = Xml::Text(nfd("Sở Nội vụ"));
        }
    }
    table
        .cells
        .retain(|(row, column, _)| *column != survey || *row < first);
    table.cells.push((first, survey, Xml::Text("17,25".into())));
    table
        .cells
        .push((first + 1, survey, Xml::Number("18".into())));
    table
        .cells
        .push((first + 2, survey, Xml::Uncomputed("16+1")));
    // A heading merged over the empty cells beside it, and a note at the last cell.
    table.merged.push("A1:B1");
    table
        .cells
        .push((1_048_575, 16_383, Xml::Text("ghi chú".into())));
    let bytes = xlsx(&sheets);

    let filled = read_template(&bytes, &scheme).unwrap();
    let units: Vec<&str> = filled
        .iter()
        .map(|f| f.raw.unit.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(&units[..3], ["Sở Nội vụ", "UBND huyện Cao Lộc", "Sở Y tế"]);
    let survey_of = |f: &parscore_workbook::FilledRow| {
        f.raw
            .cells
            .iter()
            .find(|(id, _)| id == "survey_points")
            .map(|(_, v)| v.clone())
    };
    assert_eq!(survey_of(&filled[0]).as_deref(), Some("17.25"));
    assert_eq!(survey_of(&filled[1]).as_deref(), Some("18"));
    assert!(
        filled[2]
            .bad_cells
            .iter()
            .any(|(id, why)| id == "survey_points" && why.contains("never computed")),
        "{:?}",
        filled[2]
    );
    // The far note is a row of its own, with a problem (a value in a column without a
    // header), never a reason to read the sheet's rectangle.
    let far = filled.last().unwrap();
    assert_eq!(far.raw.row, 1_048_576);
    assert!(far.problem.is_some(), "{far:?}");
    let rows: Vec<_> = filled.iter().map(|f| f.raw.clone()).collect();
    let batch = scheme.evaluate_rows(&rows, true, &Options::default());
    assert_eq!(batch.results.len(), rows.len());
}
