//! Excel inputs: the first sheet (or a named one), a header row, then one row per unit; or,
//! when that sheet has no `unit` header, a filled template of the scheme (see
//! [`super::template`]).
//!
//! Sheets are read by the cells they hold, through the workbook crate's one reader of
//! sheets (`parscore_workbook::sheet_cells`), which schemes and templates share.

use parscore_workbook::WorkbookError;
use parscore_workbook::sheet_cells::{SheetCell, SheetRow, Workbook, column_letters};

use super::columns::{Column, Naming};
use super::table::{Cell, Header};
use super::{FileRows, Place, ReadOptions};
use crate::fail::Failure;

pub fn read(file: &str, bytes: Vec<u8>, options: &ReadOptions) -> Result<FileRows, Failure> {
    let message = |error: WorkbookError| match error {
        WorkbookError::Unreadable(reason) => reason,
        other => other.to_string(),
    };
    let mut workbook = Workbook::open(&bytes)
        .map_err(|e| Failure::read(file, format!("not an Excel workbook ({})", message(e))))?;
    let sheet = choose_sheet(file, workbook.sheet_names(), options.sheet.as_deref())?;
    let rows: Vec<SheetRow<Cell>> = workbook
        .rows(&sheet)
        .map_err(|e| Failure::read(file, message(e)))?
        .into_iter()
        .map(|row| row.map(|row, column, found| cell(found, &sheet, row, column)))
        .collect();
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
fn names_unit(rows: &[SheetRow<Cell>]) -> bool {
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

/// The header (the first row with a value) and the rows under it.
fn rows_of(
    file: &str,
    sheet: &str,
    rows: Vec<SheetRow<Cell>>,
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
        Box::new(|i| format!("column {}", column_letters(i as u32))),
        options.decimal,
    )?;
    let columns = header
        .value_columns()
        .map(|(i, name)| Column {
            name: name.to_string(),
            place: format!(
                "{file}: {sheet}!{}{header_number}",
                column_letters(i as u32)
            ),
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

/// A cell as the command reads it: text under the decimal mark, typed values as they are,
/// and what holds no value named at its cell. `row` and `column` count from 0.
fn cell(found: SheetCell, sheet: &str, row: u32, column: u32) -> Cell {
    match found {
        SheetCell::Text(text) => Cell::Text(text),
        SheetCell::Number(value) | SheetCell::Date(value) => Cell::Value(value),
        SheetCell::Bool(b) => Cell::Value(b.to_string()),
        SheetCell::Error(reason) => Cell::Bad(format!(
            "cell {sheet}!{}{} holds {reason}",
            column_letters(column),
            row as u64 + 1
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_holds_no_value_is_named_at_its_cell() {
        let error = SheetCell::Error("the Excel error #DIV/0!".into());
        assert_eq!(
            cell(error, "Sheet1", 4, 2),
            Cell::Bad("cell Sheet1!C5 holds the Excel error #DIV/0!".into())
        );
        assert_eq!(
            cell(SheetCell::Text("98,7".into()), "S", 0, 0),
            Cell::Text("98,7".into())
        );
        assert_eq!(
            cell(SheetCell::Bool(true), "S", 0, 0),
            Cell::Value("true".into())
        );
    }
}
