//! Excel inputs: the first sheet (or a named one), a header row, then one row per unit; or,
//! when that sheet has no `unit` header, a filled template of the scheme (see
//! [`super::template`]).
//!
//! `.xlsx`, `.xlsm` and `.xlsb` sheets stream cell by cell, so that memory follows the
//! cells a sheet holds, not the rectangle from A1 to its farthest cell. `.xls` and `.ods`
//! sheets are read whole by calamine (an `.xls` sheet is at most 65,536 × 256 cells).

use std::collections::HashMap;
use std::io::{Cursor, Read, Seek};

use calamine::{Data, DataRef, Reader, Sheets, Xlsb, Xlsx, open_workbook_auto_from_rs};

use super::columns::{Column, Naming};
use super::percent_cells::PercentFormat;
use super::sheet_rows::{SheetRow, SheetRows};
use super::table::{Cell, Header};
use super::{FileRows, Place, ReadOptions};
use crate::fail::Failure;

pub fn read(file: &str, bytes: Vec<u8>, options: &ReadOptions) -> Result<FileRows, Failure> {
    let workbook = open_workbook_auto_from_rs(Cursor::new(bytes.as_slice()))
        .map_err(|e| Failure::read(file, format!("not an Excel workbook ({e})")))?;
    let sheet = choose_sheet(file, workbook.sheet_names(), options.sheet.as_deref())?;
    let unreadable =
        |e: &dyn std::fmt::Display| Failure::read(file, format!("sheet `{sheet}`: {e}"));
    let mut cells = SheetRows::default();
    match workbook {
        Sheets::Xlsx(mut book) => {
            xlsx_cells(&mut book, &sheet, &mut cells).map_err(|e| unreadable(&e))?
        }
        Sheets::Xlsb(mut book) => {
            xlsb_cells(&mut book, &sheet, &mut cells).map_err(|e| unreadable(&e))?
        }
        mut other => {
            let range = other.worksheet_range(&sheet).map_err(|e| unreadable(&e))?;
            let (top, left) = range.start().unwrap_or_default();
            for (i, j, data) in range.used_cells() {
                let (row, column) = (top + i as u32, left + j as u32);
                let data = data_ref(data);
                cells.push(
                    row,
                    column,
                    cell(&data, PercentFormat::default(), &sheet, column, row),
                );
            }
        }
    }
    let rows = cells.finish(&sheet);
    // A template's first rows are titles (an area's name, `Đơn vị`) with its ids below them,
    // or a form per unit: no `unit` header where a table of inputs has it.
    if let Some(scheme) = &options.scheme
        && !names_unit(&rows)
        && super::template::is_template(&rows)
        && let Some(filled) = super::template::read(file, &bytes, scheme, options)?
    {
        return Ok(filled);
    }
    rows_of(file, &sheet, rows, options)
}

/// Whether the first row with a value, the header of a table of inputs, has a `unit` column.
fn names_unit(rows: &[SheetRow]) -> bool {
    rows.iter()
        .find(|row| !row.cells.iter().all(|(_, cell)| cell.is_blank()))
        .is_some_and(|header| {
            header.cells.iter().any(|(_, cell)| {
                matches!(cell, Cell::Text(name) | Cell::Value(name) if super::names::name(name) == "unit")
            })
        })
}

fn choose_sheet(file: &str, names: Vec<String>, wanted: Option<&str>) -> Result<String, Failure> {
    match wanted {
        Some(wanted) => names.iter().find(|n| *n == wanted).cloned().ok_or_else(|| {
            Failure::read(
                file,
                format!("no sheet `{wanted}` (its sheets: {})", names.join(", ")),
            )
        }),
        None => names
            .first()
            .cloned()
            .ok_or_else(|| Failure::read(file, "the workbook has no sheet")),
    }
}

/// The cells of an `.xlsx` or `.xlsm` sheet, read in two passes over its XML: the number
/// formats of the cells that show a percentage, then the values, with the formulas that
/// have none.
fn xlsx_cells<RS: Read + Seek>(
    book: &mut Xlsx<RS>,
    sheet: &str,
    into: &mut SheetRows,
) -> Result<(), calamine::XlsxError> {
    let mut percent: HashMap<(u32, u32), PercentFormat> = HashMap::new();
    {
        let mut reader = book.worksheet_cells_reader(sheet)?;
        let palette: Vec<PercentFormat> = reader
            .styles()
            .iter()
            .map(PercentFormat::of_style)
            .collect();
        if palette.iter().any(|p| *p != PercentFormat::default()) {
            while let Some((row, column, style)) = reader.next_style_id()? {
                if let Some(&format) = palette
                    .get(style)
                    .filter(|f| **f != PercentFormat::default())
                {
                    percent.insert((row, column), format);
                }
            }
        }
    }
    let mut reader = book.worksheet_cells_reader(sheet)?;
    while let Some(record) = reader.next_cell_with_formula_metadata()? {
        let (row, column) = record.pos;
        let cell = match (&record.value, &record.formula) {
            // A program that writes formulas without calculating them leaves no value; read
            // as empty, the cell would be a missing value and its row "ok".
            (DataRef::Empty, Some(_)) => Cell::Bad(format!(
                "cell {sheet}!{}{} holds a formula whose value was never computed: open \
                 and save the workbook in Excel (which computes it), or type the value",
                column_letters(column as usize),
                row as u64 + 1
            )),
            (DataRef::Empty, None) => continue,
            (value, _) => {
                let format = percent.get(&(row, column)).copied().unwrap_or_default();
                cell(value, format, sheet, column, row)
            }
        };
        into.push(row, column, cell);
    }
    Ok(())
}

/// The cells of an `.xlsb` sheet; its number formats are not read, as with `.xls`.
fn xlsb_cells<RS: Read + Seek>(
    book: &mut Xlsb<RS>,
    sheet: &str,
    into: &mut SheetRows,
) -> Result<(), calamine::XlsbError> {
    let mut reader = book.worksheet_cells_reader(sheet)?;
    while let Some(found) = reader.next_cell()? {
        let (row, column) = found.get_position();
        let value = found.get_value();
        if *value != DataRef::Empty {
            into.push(
                row,
                column,
                cell(value, PercentFormat::default(), sheet, column, row),
            );
        }
    }
    Ok(())
}

/// The header (the first row with a value) and the rows under it.
fn rows_of(
    file: &str,
    sheet: &str,
    rows: Vec<SheetRow>,
    options: &ReadOptions,
) -> Result<FileRows, Failure> {
    let mut rows = rows
        .into_iter()
        .filter(|row| !row.cells.iter().all(|(_, cell)| cell.is_blank()));
    let Some(header_row) = rows.next() else {
        return Ok(FileRows::empty(file));
    };
    let header_number = header_row.row as u64 + 1;
    if let Some(problem) = header_row.problem {
        return Err(Failure::read(file, format!("the header row: {problem}")));
    }
    let mut names = Vec::with_capacity(header_row.cells.len());
    for (column, cell) in header_row.cells {
        match cell {
            Cell::Text(name) | Cell::Value(name) => names.push((column as usize, name)),
            Cell::Bad(reason) => return Err(Failure::read(file, format!("the header: {reason}"))),
        }
    }
    let header = Header::new(
        file,
        names,
        Box::new(|i| format!("column {}", column_letters(i))),
        options.decimal,
    )?;
    let columns = header
        .value_columns()
        .map(|(i, name)| Column {
            name: name.to_string(),
            place: format!("{file}: {sheet}!{}{header_number}", column_letters(i)),
            naming: Naming::Header,
        })
        .collect();
    let rows = rows
        .map(|row| {
            // Excel numbers rows from 1.
            let number = row.row + 1;
            let place = Place::SheetRow {
                file: file.to_string(),
                sheet: sheet.to_string(),
                row: number,
            };
            let cells = row
                .cells
                .into_iter()
                .map(|(column, cell)| (column as usize, cell))
                .collect();
            header.row(number as usize, place, cells, row.problem)
        })
        .collect();
    Ok(FileRows {
        file: file.to_string(),
        columns,
        rows,
    })
}

fn data_ref(data: &Data) -> DataRef<'_> {
    match data {
        Data::Int(i) => DataRef::Int(*i),
        Data::Float(f) => DataRef::Float(*f),
        Data::String(s) => DataRef::SharedString(s),
        Data::Bool(b) => DataRef::Bool(*b),
        Data::DateTime(d) => DataRef::DateTime(*d),
        Data::DateTimeIso(s) => DataRef::DateTimeIso(s.clone()),
        Data::DurationIso(s) => DataRef::DurationIso(s.clone()),
        Data::Error(e) => DataRef::Error(e.clone()),
        Data::Empty => DataRef::Empty,
    }
}

/// A cell's text as a person typed it: a number formatted as a percentage as it shows.
/// `row` and `column` count from 0.
fn cell(data: &DataRef<'_>, percent: PercentFormat, sheet: &str, column: u32, row: u32) -> Cell {
    match data {
        DataRef::Empty => Cell::Text(String::new()),
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text(s.to_string()),
        // Excel stores every number as a binary double, so 98.7 arrives as the double nearest
        // 98.7. Rust prints a double as the shortest text that reads back to the same double,
        // which gives back "98.7" as typed, not 98.70000000000000284…; the decimal then
        // stays exact from here on.
        DataRef::Float(f) => Cell::Value(percent.text(*f).unwrap_or_else(|| f.to_string())),
        DataRef::Int(i) => Cell::Value(i.to_string()),
        DataRef::Bool(b) => Cell::Value(b.to_string()),
        DataRef::DateTime(date) => {
            let (y, m, d, ..) = date.to_ymd_hms_milli();
            Cell::Value(format!("{y:04}-{m:02}-{d:02}"))
        }
        DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => Cell::Value(text.clone()),
        DataRef::Error(error) => Cell::Bad(format!(
            "cell {sheet}!{}{} holds the Excel error {error}",
            column_letters(column as usize),
            row as u64 + 1
        )),
    }
}

/// Excel's column name of a 0-based column: A … Z, AA …
pub fn column_letters(mut column: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (column % 26) as u8);
        if column < 26 {
            break;
        }
        column = column / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_as_excel_does() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(51), "AZ");
        assert_eq!(column_letters(52), "BA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn typed_numbers_read_back_as_typed() {
        let plain = PercentFormat::default();
        let read = |data: DataRef<'_>, format| cell(&data, format, "S", 0, 0);
        assert_eq!(
            read(DataRef::Float(98.7), plain),
            Cell::Value("98.7".into())
        );
        assert_eq!(
            read(DataRef::Float(2024.0), plain),
            Cell::Value("2024".into())
        );
        assert_eq!(read(DataRef::Float(0.1), plain), Cell::Value("0.1".into()));
        assert_eq!(
            read(DataRef::SharedString("98,7"), plain),
            Cell::Text("98,7".into())
        );
        assert_eq!(
            cell(
                &DataRef::Error(calamine::CellErrorType::Div0),
                plain,
                "Sheet1",
                2,
                4
            ),
            Cell::Bad("cell Sheet1!C5 holds the Excel error #DIV/0!".into())
        );
        let percent = PercentFormat::of("0.0%");
        assert_eq!(
            read(DataRef::Float(0.987), percent),
            Cell::Value("98.7%".into())
        );
    }
}
