//! Excel inputs: the first sheet (or a named one), a header row, then one row per unit.

use std::io::Cursor;

use calamine::{Data, Reader, open_workbook_auto_from_rs};

use super::percent_cells::PercentFormat;
use super::table::{Cell, Header};
use super::{Place, SourceRow};
use crate::fail::Failure;

pub fn read(file: &str, bytes: Vec<u8>, sheet: Option<&str>) -> Result<Vec<SourceRow>, Failure> {
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| Failure::read(file, format!("not an Excel workbook ({e})")))?;
    let names = workbook.sheet_names();
    let sheet = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| *n == wanted)
            .cloned()
            .ok_or_else(|| {
                Failure::read(
                    file,
                    format!("no sheet `{wanted}` (its sheets: {})", names.join(", ")),
                )
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| Failure::read(file, "the workbook has no sheet"))?,
    };
    let range = workbook
        .worksheet_range(&sheet)
        .map_err(|e| Failure::read(file, format!("sheet `{sheet}`: {e}")))?;
    // Number formats: only `.xlsx` and `.xlsm` workbooks give them (the others an empty
    // range, whose cells read as plain numbers).
    let styles = workbook
        .worksheet_style(&sheet)
        .map_err(|e| Failure::read(file, format!("sheet `{sheet}`: {e}")))?;
    let Some((first_row, first_column)) = range.start() else {
        return Ok(Vec::new());
    };
    let mut rows = range.rows();
    let Some(header) = rows.next() else {
        return Ok(Vec::new());
    };
    let header_names = header
        .iter()
        .map(|data| match data {
            Data::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect();
    // Columns are named as Excel names them, counting from the sheet's corner, not from the
    // used range's.
    let offset = first_column as usize;
    let header = Header::new(
        file,
        header_names,
        Box::new(move |i| format!("column {}", column_letters(offset + i))),
    )?;
    let mut result = Vec::new();
    for (i, row) in rows.enumerate() {
        // The header is the range's first row; Excel numbers rows from 1.
        let number = first_row + i as u32 + 2;
        let cells: Vec<Cell> = row
            .iter()
            .enumerate()
            .map(|(j, data)| {
                let percent = styles
                    .get((number - 1, (offset + j) as u32))
                    .map_or_else(PercentFormat::default, PercentFormat::of_style);
                cell(data, percent, &sheet, offset + j, number)
            })
            .collect();
        if cells.iter().all(Cell::is_blank) {
            continue;
        }
        let place = Place::SheetRow {
            file: file.to_string(),
            sheet: sheet.clone(),
            row: number,
        };
        result.push(header.row(number as usize, place, cells, None));
    }
    Ok(result)
}

/// A cell's text as a person typed it: a number formatted as a percentage as it shows.
fn cell(data: &Data, percent: PercentFormat, sheet: &str, column: usize, row: u32) -> Cell {
    match data {
        Data::Empty => Cell::Text(String::new()),
        Data::String(s) => Cell::Text(s.clone()),
        // Excel stores every number as a binary double, so 98.7 arrives as the double nearest
        // 98.7. Rust prints a double as the shortest text that reads back to the same double,
        // which gives back "98.7" as typed, not 98.70000000000000284…; the decimal then
        // stays exact from here on.
        Data::Float(f) => Cell::Text(percent.text(*f).unwrap_or_else(|| f.to_string())),
        Data::Int(i) => Cell::Text(i.to_string()),
        Data::Bool(b) => Cell::Text(b.to_string()),
        Data::DateTime(date) => {
            let (y, m, d, ..) = date.to_ymd_hms_milli();
            Cell::Text(format!("{y:04}-{m:02}-{d:02}"))
        }
        Data::DateTimeIso(text) | Data::DurationIso(text) => Cell::Text(text.clone()),
        Data::Error(error) => Cell::Bad(format!(
            "cell {sheet}!{}{row} holds the Excel error {error}",
            column_letters(column)
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
        assert_eq!(
            cell(&Data::Float(98.7), plain, "S", 0, 1),
            Cell::Text("98.7".into())
        );
        assert_eq!(
            cell(&Data::Float(2024.0), plain, "S", 0, 1),
            Cell::Text("2024".into())
        );
        assert_eq!(
            cell(&Data::Float(0.1), plain, "S", 0, 1),
            Cell::Text("0.1".into())
        );
        assert_eq!(
            cell(
                &Data::Error(calamine::CellErrorType::Div0),
                plain,
                "Sheet1",
                2,
                5
            ),
            Cell::Bad("cell Sheet1!C5 holds the Excel error #DIV/0!".into())
        );
        let percent = PercentFormat::of("0.0%");
        assert_eq!(
            cell(&Data::Float(0.987), percent, "S", 0, 1),
            Cell::Text("98.7%".into())
        );
    }
}
