//! A sheet read by the cells it holds, never by the rectangle around them: one stray cell
//! at XFD1048576 costs one cell, where a grid from A1 would take half a terabyte. The one
//! reader of sheets, for schemes, templates and the command's inputs alike.
//!
//! `.xlsx`, `.xlsm` and `.xlsb` sheets stream cell by cell. `.xls` and `.ods` sheets are
//! read whole by calamine (an `.xls` sheet is at most 65,536 × 256 cells), then kept by
//! their cells the same way.
//!
//! A workbook's XML names each row; one written twice (by a faulty program, or a file
//! mended by hand) would have its second half overwrite the first in a grid, and a unit
//! vanish. Here each writing of the row stays a row of its own, and both are marked.

use std::collections::HashMap;
use std::io::{Cursor, Read, Seek};

use calamine::{Data, DataRef, Reader, Sheets, Xlsb, Xlsx, open_workbook_auto_from_rs};

use crate::error::WorkbookError;
use crate::percent_cells::PercentFormat;

/// A cell that holds something, as the workbook stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SheetCell {
    /// Text, as stored (not trimmed, not normalised).
    Text(String),
    /// A number as the shortest text that reads back to it (Excel stores 98.7 as the double
    /// nearest it, and this gives back `98.7`), or an integer; a cell formatted as a
    /// percentage as it shows, with its `%` (`98.7%`).
    Number(String),
    /// A boolean cell.
    Bool(bool),
    /// A date (`2024-03-31`) or a date, time or duration the workbook stores as ISO text.
    Date(String),
    /// No value, and why, in words that follow "holds": `the Excel error #DIV/0!`, or a
    /// formula saved without its value.
    Error(String),
}

/// What a formula saved without its computed value holds, in words that follow "holds".
pub const UNCOMPUTED: &str = "a formula whose value was never computed: open and save the \
                              workbook in Excel (which computes it), or type the value";

/// A row of a sheet: its cells by column, and what is wrong with it, if anything. A reader
/// turns its cells into its own with [`SheetRow::map`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow<C = SheetCell> {
    /// The row as the sheet's XML numbers it, from 0.
    pub row: u32,
    /// Its cells by column (from 0), in column order; empty cells are not kept.
    pub cells: Vec<(u32, C)>,
    /// Why the row cannot be trusted as a whole: it, or one of its cells, is written twice.
    pub problem: Option<String>,
}

impl SheetRow {
    /// The same row with each cell read by `read(row, column, cell)`.
    pub fn map<D>(self, mut read: impl FnMut(u32, u32, SheetCell) -> D) -> SheetRow<D> {
        let row = self.row;
        SheetRow {
            row,
            cells: self
                .cells
                .into_iter()
                .map(|(column, cell)| (column, read(row, column, cell)))
                .collect(),
            problem: self.problem,
        }
    }
}

/// A workbook opened from its bytes, whose sheets are read by their cells.
pub struct Workbook(Sheets<Cursor<Vec<u8>>>);

impl Workbook {
    /// Opens `.xlsx`, `.xlsm`, `.xlsb`, `.xls` or `.ods` bytes.
    pub fn open(bytes: &[u8]) -> Result<Workbook, WorkbookError> {
        open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
            .map(Workbook)
            .map_err(|e| WorkbookError::Unreadable(e.to_string()))
    }

    /// The sheets' names, in the workbook's order.
    pub fn sheet_names(&self) -> Vec<String> {
        self.0.sheet_names()
    }

    /// The rows of a sheet that hold a cell, in the sheet's order; a row written twice is
    /// there twice, each with the problem.
    pub fn rows(&mut self, sheet: &str) -> Result<Vec<SheetRow>, WorkbookError> {
        let unreadable =
            |e: &dyn std::fmt::Display| WorkbookError::Unreadable(format!("sheet `{sheet}`: {e}"));
        let mut rows = Rows::default();
        match &mut self.0 {
            Sheets::Xlsx(book) => xlsx_cells(book, sheet, &mut rows).map_err(|e| unreadable(&e))?,
            Sheets::Xlsb(book) => xlsb_cells(book, sheet, &mut rows).map_err(|e| unreadable(&e))?,
            other => {
                let range = other.worksheet_range(sheet).map_err(|e| unreadable(&e))?;
                let (top, left) = range.start().unwrap_or_default();
                for (i, j, data) in range.used_cells() {
                    if let Some(cell) = cell(&data_ref(data), PercentFormat::default()) {
                        rows.push(top + i as u32, left + j as u32, cell);
                    }
                }
            }
        }
        Ok(rows.finish(sheet))
    }
}

/// The cells of an `.xlsx` or `.xlsm` sheet, read in two passes over its XML: the number
/// formats of the cells that show a percentage, then the values, with the formulas that
/// have none.
fn xlsx_cells<RS: Read + Seek>(
    book: &mut Xlsx<RS>,
    sheet: &str,
    into: &mut Rows,
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
        let read = match (&record.value, &record.formula) {
            // A program that writes formulas without calculating them leaves no value; read
            // as empty, the cell would be a missing value and its row "ok".
            (DataRef::Empty, Some(_)) => Some(SheetCell::Error(UNCOMPUTED.into())),
            (value, _) => cell(
                value,
                percent.get(&(row, column)).copied().unwrap_or_default(),
            ),
        };
        if let Some(read) = read {
            into.push(row, column, read);
        }
    }
    Ok(())
}

/// The cells of an `.xlsb` sheet; its number formats are not read, as with `.xls`.
fn xlsb_cells<RS: Read + Seek>(
    book: &mut Xlsb<RS>,
    sheet: &str,
    into: &mut Rows,
) -> Result<(), calamine::XlsbError> {
    let mut reader = book.worksheet_cells_reader(sheet)?;
    while let Some(found) = reader.next_cell()? {
        let (row, column) = found.get_position();
        if let Some(read) = cell(found.get_value(), PercentFormat::default()) {
            into.push(row, column, read);
        }
    }
    Ok(())
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

/// A cell as a person sees it; `None` for an empty one.
fn cell(data: &DataRef<'_>, percent: PercentFormat) -> Option<SheetCell> {
    Some(match data {
        DataRef::Empty => return None,
        DataRef::String(s) => SheetCell::Text(s.clone()),
        DataRef::SharedString(s) => SheetCell::Text(s.to_string()),
        // Rust prints a double as the shortest text that reads back to the same double: the
        // number typed, from which the decimal stays exact.
        DataRef::Float(f) => SheetCell::Number(percent.text(*f).unwrap_or_else(|| f.to_string())),
        DataRef::Int(i) => SheetCell::Number(i.to_string()),
        DataRef::Bool(b) => SheetCell::Bool(*b),
        DataRef::DateTime(date) => {
            let (y, m, d, ..) = date.to_ymd_hms_milli();
            SheetCell::Date(format!("{y:04}-{m:02}-{d:02}"))
        }
        DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => SheetCell::Date(text.clone()),
        DataRef::Error(error) => SheetCell::Error(format!("the Excel error {error}")),
    })
}

/// Excel's name of a 0-based column: A … Z, AA … (past XFD too, for a cell no spreadsheet
/// program writes).
pub fn column_letters(mut column: u32) -> String {
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

/// Rows being gathered from a stream of cells.
#[derive(Debug, Default)]
struct Rows {
    /// Each stretch of cells of one row, in stream order.
    runs: Vec<Run>,
    /// The last stretch of each row seen.
    seen: HashMap<u32, usize>,
}

#[derive(Debug)]
struct Run {
    row: u32,
    cells: Vec<(u32, SheetCell)>,
    /// The row, or a cell of it, is written twice in the sheet.
    twice: Option<Twice>,
}

#[derive(Debug, Clone, Copy)]
enum Twice {
    Row,
    Cell(u32),
}

impl Rows {
    /// Adds a cell at its position (row and column from 0).
    fn push(&mut self, row: u32, column: u32, cell: SheetCell) {
        if let Some(run) = self.runs.last_mut().filter(|run| run.row == row) {
            // Cells come in column order; only one that does not is looked for among the
            // others.
            let in_order = run.cells.last().is_none_or(|(c, _)| *c < column);
            if in_order || !run.cells.iter().any(|(c, _)| *c == column) {
                run.cells.push((column, cell));
            } else if run.twice.is_none() {
                run.twice = Some(Twice::Cell(column));
            }
            return;
        }
        let mut run = Run {
            row,
            cells: vec![(column, cell)],
            twice: None,
        };
        if let Some(&earlier) = self.seen.get(&row) {
            self.runs[earlier].twice = Some(Twice::Row);
            run.twice = Some(Twice::Row);
        }
        self.seen.insert(row, self.runs.len());
        self.runs.push(run);
    }

    /// The rows in the sheet's order; `sheet` names the cells in messages.
    fn finish(self, sheet: &str) -> Vec<SheetRow> {
        let mut runs = self.runs;
        runs.sort_by_key(|run| run.row);
        runs.into_iter()
            .map(|mut run| {
                run.cells.sort_by_key(|(column, _)| *column);
                let number = run.row as u64 + 1;
                let problem = run.twice.map(|twice| match twice {
                    Twice::Row => format!(
                        "the workbook writes row {number} of sheet `{sheet}` twice, so two \
                         rows claim this number: open the file in Excel and save it again, \
                         then check the row"
                    ),
                    Twice::Cell(column) => format!(
                        "the workbook writes cell {sheet}!{}{number} twice: open the file in \
                         Excel and save it again, then check the row",
                        column_letters(column)
                    ),
                });
                SheetRow {
                    row: run.row,
                    cells: run.cells,
                    problem,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> SheetCell {
        SheetCell::Text(s.into())
    }

    #[test]
    fn columns_are_lettered_as_excel_does() {
        let letters: Vec<String> = [0, 25, 26, 51, 52, 701, 702, 16_383]
            .into_iter()
            .map(column_letters)
            .collect();
        assert_eq!(letters, ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD"]);
    }

    #[test]
    fn typed_numbers_read_back_as_typed() {
        let plain = PercentFormat::default();
        let read = |data: DataRef<'_>, format| cell(&data, format).unwrap();
        assert_eq!(
            read(DataRef::Float(98.7), plain),
            SheetCell::Number("98.7".into())
        );
        assert_eq!(
            read(DataRef::Float(2024.0), plain),
            SheetCell::Number("2024".into())
        );
        assert_eq!(read(DataRef::SharedString("98,7"), plain), text("98,7"));
        assert_eq!(
            read(DataRef::Error(calamine::CellErrorType::Div0), plain),
            SheetCell::Error("the Excel error #DIV/0!".into())
        );
        assert_eq!(
            read(DataRef::Float(0.987), PercentFormat::of("0.0%")),
            SheetCell::Number("98.7%".into())
        );
        assert_eq!(cell(&DataRef::Empty, plain), None);
    }

    #[test]
    fn cells_gather_into_rows_in_sheet_order() {
        let mut rows = Rows::default();
        rows.push(4, 2, text("c"));
        rows.push(4, 0, text("a"));
        rows.push(1, 16_383, text("far"));
        let rows = rows.finish("S");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].row, 1);
        assert_eq!(rows[0].cells, [(16_383, text("far"))]);
        assert_eq!(rows[1].cells, [(0, text("a")), (2, text("c"))]);
        assert!(rows.iter().all(|r| r.problem.is_none()));
    }

    #[test]
    fn a_row_written_twice_stays_two_rows_both_marked() {
        let mut rows = Rows::default();
        rows.push(0, 0, text("unit"));
        rows.push(2, 0, text("Sở A"));
        rows.push(3, 0, text("Sở B"));
        rows.push(2, 0, text("Sở C"));
        let rows = rows.finish("S");
        let units: Vec<(u32, &SheetCell, bool)> = rows
            .iter()
            .map(|r| (r.row, &r.cells[0].1, r.problem.is_some()))
            .collect();
        assert_eq!(
            units,
            [
                (0, &text("unit"), false),
                (2, &text("Sở A"), true),
                (2, &text("Sở C"), true),
                (3, &text("Sở B"), false),
            ]
        );
        assert!(
            rows[1]
                .problem
                .as_ref()
                .unwrap()
                .contains("row 3 of sheet `S` twice")
        );
    }

    #[test]
    fn a_cell_written_twice_marks_its_row() {
        let mut rows = Rows::default();
        rows.push(1, 0, text("Sở A"));
        rows.push(1, 1, text("1"));
        rows.push(1, 1, text("2"));
        let rows = rows.finish("S");
        assert_eq!(rows[0].cells.len(), 2);
        assert!(
            rows[0]
                .problem
                .as_ref()
                .unwrap()
                .contains("cell S!B2 twice")
        );
    }
}
