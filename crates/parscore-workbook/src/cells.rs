//! Reading sheets: each cell as what a person sees in it, and header rows matched by name.

use std::io::Cursor;

use calamine::{Data, Range, Reader, Sheets, StyleRange, open_workbook_auto_from_rs};
use parscore::text::{fold, nfc};

use crate::error::{Place, WorkbookError};
use crate::percent_cells::PercentFormat;

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
}

/// A workbook opened from bytes.
pub(crate) struct Book(Sheets<Cursor<Vec<u8>>>);

impl Book {
    pub fn open(bytes: &[u8]) -> Result<Book, WorkbookError> {
        open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
            .map(Book)
            .map_err(|e| WorkbookError::Unreadable(e.to_string()))
    }

    pub fn sheet_names(&self) -> Vec<String> {
        self.0.sheet_names()
    }

    pub fn sheet(&mut self, name: &str) -> Result<Sheet, WorkbookError> {
        let range = self
            .0
            .worksheet_range(name)
            .map_err(|e| WorkbookError::Unreadable(format!("sheet `{name}`: {e}")))?;
        // Only `.xlsx` and `.xlsm` workbooks give number formats; the others' numbers read
        // as plain numbers.
        let styles = self
            .0
            .worksheet_style(name)
            .map_err(|e| WorkbookError::Unreadable(format!("sheet `{name}`: {e}")))?;
        // A formula saved without its value (by a program that writes formulas without
        // computing them) has no value to read: read as empty, it would be a value missing
        // from a row that looks filled in. A workbook whose formulas cannot be read has none
        // that tell.
        let formulas = self.0.worksheet_formula(name).ok();
        Ok(Sheet {
            name: name.to_string(),
            range,
            styles,
            formulas,
        })
    }
}

/// One sheet's cells, their number formats and their formulas.
pub(crate) struct Sheet {
    pub name: String,
    range: Range<Data>,
    styles: StyleRange,
    formulas: Option<Range<String>>,
}

impl Sheet {
    /// The last cell that holds anything, a value or a formula.
    fn end(&self) -> Option<(u32, u32)> {
        let formulas = self.formulas.as_ref().and_then(Range::end);
        match (self.range.end(), formulas) {
            (Some((r, c)), Some((fr, fc))) => Some((r.max(fr), c.max(fc))),
            (end, None) | (None, end) => end,
        }
    }

    /// One past the last row that holds anything.
    pub fn rows(&self) -> u32 {
        self.end().map_or(0, |(row, _)| row + 1)
    }

    /// One past the last column that holds anything.
    pub fn columns(&self) -> u16 {
        self.end().map_or(0, |(_, column)| {
            u16::try_from(column + 1).unwrap_or(u16::MAX)
        })
    }

    pub fn place(&self, row: u32, column: u16) -> Place {
        Place::cell(&self.name, row, column)
    }

    /// The cell at a 0-based row and column.
    pub fn cell(&self, row: u32, column: u16) -> Cell {
        let at = (row, u32::from(column));
        let uncomputed = || {
            let formula = self.formulas.as_ref()?.get_value(at)?;
            (!formula.is_empty()).then(|| {
                Cell::Error(
                    "a formula whose value was never computed (open and save the workbook in \
                     Excel)"
                        .into(),
                )
            })
        };
        let Some(data) = self.range.get_value(at) else {
            return uncomputed().unwrap_or(Cell::Empty);
        };
        match data {
            Data::Empty => uncomputed().unwrap_or(Cell::Empty),
            Data::String(s) => Cell::Text(nfc(s.trim()).into_owned()),
            // Excel keeps every number as a double; its shortest text is the number typed.
            Data::Float(f) => {
                let percent = self
                    .styles
                    .get((row, u32::from(column)))
                    .map_or_else(PercentFormat::default, PercentFormat::of_style);
                Cell::Number(percent.text(*f).unwrap_or_else(|| f.to_string()))
            }
            Data::Int(i) => Cell::Number(i.to_string()),
            Data::Bool(b) => Cell::Bool(*b),
            Data::DateTime(date) => {
                let (y, m, d, ..) = date.to_ymd_hms_milli();
                Cell::Text(format!("{y:04}-{m:02}-{d:02}"))
            }
            Data::DateTimeIso(text) | Data::DurationIso(text) => Cell::Text(text.clone()),
            Data::Error(error) => Cell::Error(format!("the Excel error {error}")),
        }
    }

    /// Whether a row holds nothing in its first `columns` columns.
    pub fn row_is_empty(&self, row: u32, columns: u16) -> bool {
        (0..columns).all(|c| self.cell(row, c).is_empty())
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
