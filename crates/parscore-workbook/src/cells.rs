//! Reading sheets: each cell as what a person sees in it, and header rows matched by name.

use parscore::text::{fold, nfc};

use crate::error::{Place, WorkbookError};
use crate::sheet_cells::{SheetCell, Workbook};

/// A cell as a person sees it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Empty,
    /// Text, NFC and trimmed (a trailing space typed by hand is no part of a name).
    Text(String),
    /// A number as the decimal it was typed as; a cell formatted as a percentage as it shows,
    /// with its `%` (`98.7%`).
    Number(String),
    Bool(bool),
    /// No value, and why, in words that follow "holds": an Excel error value (`the Excel
    /// error #DIV/0!`: a formula that failed), or a formula saved without its value.
    Error(String),
}

impl Cell {
    /// The cell's text; empty for an empty cell and an error.
    pub fn text(&self) -> &str {
        match self {
            Cell::Text(text) | Cell::Number(text) => text,
            Cell::Bool(true) => "true",
            Cell::Bool(false) => "false",
            Cell::Empty | Cell::Error(_) => "",
        }
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, Cell::Empty) || matches!(self, Cell::Text(t) if t.is_empty())
    }

    fn of(cell: SheetCell) -> Cell {
        match cell {
            SheetCell::Text(text) => Cell::Text(nfc(text.trim()).into_owned()),
            SheetCell::Number(number) => Cell::Number(number),
            SheetCell::Bool(b) => Cell::Bool(b),
            SheetCell::Date(date) => Cell::Text(date),
            SheetCell::Error(reason) => Cell::Error(reason),
        }
    }
}

/// A workbook opened from bytes.
pub(crate) struct Book(Workbook);

impl Book {
    pub fn open(bytes: &[u8]) -> Result<Book, WorkbookError> {
        Workbook::open(bytes).map(Book)
    }

    pub fn sheet_names(&self) -> Vec<String> {
        self.0.sheet_names()
    }

    /// A sheet by the cells it holds. A row or cell the workbook writes twice is refused:
    /// which writing is meant cannot be told.
    pub fn sheet(&mut self, name: &str) -> Result<Sheet, WorkbookError> {
        let mut rows = Vec::new();
        for row in self.0.rows(name)? {
            if let Some(problem) = row.problem {
                return Err(WorkbookError::Unreadable(problem));
            }
            let cells = row
                .cells
                .into_iter()
                .map(|(column, cell)| (column, Cell::of(cell)))
                .collect();
            rows.push((row.row, cells));
        }
        // One past the last column that holds anything, at most the 65,536 columns a reader
        // can name (Excel has 16,384).
        let end = rows
            .iter()
            .filter_map(|(_, cells): &(u32, Vec<(u32, Cell)>)| cells.last().map(|(c, _)| c + 1))
            .max()
            .unwrap_or(0);
        Ok(Sheet {
            name: name.to_string(),
            rows,
            columns: u16::try_from(end).unwrap_or(u16::MAX),
        })
    }
}

/// One sheet's cells: the rows that hold any, in order, each with its cells by column.
pub(crate) struct Sheet {
    pub name: String,
    rows: Vec<(u32, Vec<(u32, Cell)>)>,
    columns: u16,
}

impl Sheet {
    /// One past the last row that holds anything.
    pub fn rows(&self) -> u32 {
        self.rows.last().map_or(0, |(row, _)| row + 1)
    }

    /// One past the last column that holds anything.
    pub fn columns(&self) -> u16 {
        self.columns
    }

    /// The rows from `start` on that hold a cell, in order: a sheet is walked by the rows
    /// it holds, not by the numbers up to its last.
    pub fn rows_from(&self, start: u32) -> impl Iterator<Item = u32> + '_ {
        let first = self.rows.partition_point(|(row, _)| *row < start);
        self.rows[first..].iter().map(|(row, _)| *row)
    }

    pub fn place(&self, row: u32, column: u16) -> Place {
        Place::cell(&self.name, row, column)
    }

    fn row_cells(&self, row: u32) -> &[(u32, Cell)] {
        match self.rows.binary_search_by_key(&row, |(r, _)| *r) {
            Ok(at) => &self.rows[at].1,
            Err(_) => &[],
        }
    }

    /// The cell at a 0-based row and column.
    pub fn cell(&self, row: u32, column: u16) -> Cell {
        let cells = self.row_cells(row);
        match cells.binary_search_by_key(&u32::from(column), |(c, _)| *c) {
            Ok(at) => cells[at].1.clone(),
            Err(_) => Cell::Empty,
        }
    }

    /// Whether a row holds nothing in its first `columns` columns.
    pub fn row_is_empty(&self, row: u32, columns: u16) -> bool {
        self.row_cells(row)
            .iter()
            .take_while(|(column, _)| *column < u32::from(columns))
            .all(|(_, cell)| cell.is_empty())
    }
}

/// A column of a sheet a reader knows: the names its header may have (folded on matching,
/// so case, diacritics and Unicode form do not matter), the first being the one written.
pub(crate) struct Column<F> {
    pub field: F,
    pub names: &'static [&'static str],
}

/// Whether header text names a column of notes, which readers leave alone.
pub(crate) fn is_notes(header: &str) -> bool {
    let folded = fold(header);
    ["ghi chu", "note", "notes"]
        .iter()
        .any(|n| folded == *n || folded.starts_with(&format!("{n} ")))
}

/// The field whose names include this header text.
pub(crate) fn field_of<F: Copy>(columns: &[Column<F>], header: &str) -> Option<F> {
    // Header rows are searched cell by cell up to the sheet's last column: an empty cell,
    // most of a row that a far cell widens, must cost nothing.
    if header.trim().is_empty() {
        return None;
    }
    let folded = fold(header);
    columns
        .iter()
        .find(|c| c.names.iter().any(|n| fold(n) == folded))
        .map(|c| c.field)
}

/// The position of a word of a vocabulary given as `(value, names)`: the names folded, the
/// first the one written.
pub(crate) fn word_of<T: Copy>(words: &[(T, &[&str])], text: &str) -> Option<T> {
    let folded = fold(text);
    words
        .iter()
        .find(|(_, names)| names.iter().any(|n| fold(n) == folded))
        .map(|(value, _)| *value)
}

/// The names of a vocabulary as a person reads them in a message: `a`, `b` or `c`.
pub(crate) fn spellings<T>(words: &[(T, &[&str])]) -> String {
    let names: Vec<String> = words.iter().map(|(_, n)| format!("`{}`", n[0])).collect();
    match names.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}
