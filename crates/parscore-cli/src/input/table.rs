//! What CSV files and spreadsheets share: a header row naming the columns, then one row per
//! unit.

use std::borrow::Cow;
use std::collections::HashMap;

use parscore::RawRow;

use super::closest::closest;
use super::decimal_mark::DecimalMark;
use super::{Place, SourceRow, names};
use crate::fail::Failure;

/// A cell as read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Text as a person typed it: read under the decimal mark, in NFC.
    Text(String),
    /// A value the file stores typed (an Excel number, date or boolean), already written
    /// as the core reads it: no decimal mark applies to it.
    Value(String),
    /// The cell holds something that is no value (an Excel error, a formula never
    /// computed); the reason names the cell.
    Bad(String),
}

impl Cell {
    pub fn is_blank(&self) -> bool {
        matches!(self, Cell::Text(text) | Cell::Value(text) if text.trim().is_empty())
    }
}

/// The column names of a file, with the positions of `unit` and `period`. Columns are
/// held by position and only when named, so that a sheet with one cell far out in column
/// XFD costs one name, not sixteen thousand.
pub struct Header {
    /// The named columns: position and name (NFC, trimmed), by position.
    names: Vec<(usize, String)>,
    /// How many columns the header row spans, empty ones included.
    width: usize,
    unit: usize,
    period: Option<usize>,
    /// How the file names a column position to a person: `field 7` in CSV, `column G` in
    /// Excel.
    column_label: Box<dyn Fn(usize) -> String + Send + Sync>,
    decimal: DecimalMark,
}

impl Header {
    /// Checks the header: every name once (in NFC, trimmed), and a `unit` column. `names`
    /// are the header's cells by position, in order.
    pub fn new(
        file: &str,
        names: Vec<(usize, String)>,
        column_label: Box<dyn Fn(usize) -> String + Send + Sync>,
        decimal: DecimalMark,
    ) -> Result<Header, Failure> {
        let width = names.last().map_or(0, |(i, _)| i + 1);
        let names: Vec<(usize, String)> = names
            .into_iter()
            .map(|(i, n)| (i, names::name(&n)))
            .filter(|(_, n)| !n.is_empty())
            .collect();
        let mut first: HashMap<&str, usize> = HashMap::new();
        for (i, name) in &names {
            if let Some(&j) = first.get(name.as_str()) {
                return Err(Failure::read(
                    file,
                    format!(
                        "column `{name}` appears twice in the header ({} and {})",
                        column_label(j),
                        column_label(*i)
                    ),
                ));
            }
            first.insert(name, *i);
        }
        let unit = first.get("unit").copied().ok_or_else(|| {
            let hint = closest("unit", names.iter().map(|(_, n)| n.as_str()))
                .map(|n| format!("; is `{n}` meant to be `unit`?"))
                .unwrap_or_default();
            Failure::read(
                file,
                format!(
                    "the header has no `unit` column (the first row names the columns: \
                     unit, period, then one indicator id per column){hint}"
                ),
            )
        })?;
        let period = first.get("period").copied();
        Ok(Header {
            names,
            width,
            unit,
            period,
            column_label,
            decimal,
        })
    }

    /// How many fields the header row has, empty ones included.
    pub fn width(&self) -> usize {
        self.width
    }

    /// The columns that should name indicators (all but `unit` and `period`): position
    /// and name.
    pub fn value_columns(&self) -> impl Iterator<Item = (usize, &str)> {
        self.names
            .iter()
            .filter(|(i, _)| *i != self.unit && Some(*i) != self.period)
            .map(|(i, n)| (*i, n.as_str()))
    }

    /// The positions of the `unit` column and of the `period` column, if any.
    pub fn keys(&self) -> (usize, Option<usize>) {
        (self.unit, self.period)
    }

    /// How a person finds the column at this position (`field 7`, `column G`).
    pub fn label(&self, column: usize) -> String {
        (self.column_label)(column)
    }

    /// The header's decimal mark.
    pub fn decimal(&self) -> DecimalMark {
        self.decimal
    }

    /// Whether the column at this position holds the unit or the period.
    pub fn is_key(&self, column: usize) -> bool {
        column == self.unit || Some(column) == self.period
    }

    /// The name of the column at this position, when the header names it.
    pub fn name_at(&self, column: usize) -> Option<&str> {
        self.names
            .binary_search_by_key(&column, |(i, _)| *i)
            .ok()
            .map(|at| self.names[at].1.as_str())
    }

    /// The source row of a line of cells, given by position (in any order, blank ones may
    /// be left out); `problem` is one the reader already found.
    pub fn row(
        &self,
        number: usize,
        place: Place,
        cells: Vec<(usize, Cell)>,
        mut problem: Option<String>,
    ) -> SourceRow {
        // Sized once: a row of a wide sheet grown cell by cell kept twice its cells' room.
        let mut raw = RawRow {
            row: number,
            cells: Vec::with_capacity(cells.len()),
            ..RawRow::default()
        };
        let mut bad_cells = Vec::new();
        let mut note = |reason: String| {
            problem.get_or_insert(reason);
        };
        for (i, cell) in cells {
            let is_unit = i == self.unit;
            if is_unit || Some(i) == self.period {
                match cell {
                    Cell::Bad(reason) => note(reason),
                    Cell::Text(text) | Cell::Value(text) if is_unit => {
                        raw.unit = Some(names::name(&text));
                    }
                    Cell::Text(text) | Cell::Value(text) => {
                        raw.period = Some(names::period(&text)).filter(|p| !p.is_empty());
                    }
                }
                continue;
            }
            let Some(name) = self.name_at(i) else {
                match cell {
                    Cell::Bad(reason) => note(reason),
                    // Exports often end rows with empty columns; only a value there is a
                    // mistake.
                    Cell::Text(text) | Cell::Value(text) if !text.trim().is_empty() => {
                        note(format!(
                            "`{}` in {}, which has no name in the header",
                            text.trim(),
                            (self.column_label)(i)
                        ));
                    }
                    Cell::Text(_) | Cell::Value(_) => {}
                }
                continue;
            };
            let text = match cell {
                Cell::Bad(reason) => {
                    bad_cells.push((name.to_string(), reason));
                    continue;
                }
                Cell::Value(text) => text,
                Cell::Text(text) => {
                    let text = names::cell(text);
                    match self.decimal.canonical(&text) {
                        Ok(Cow::Borrowed(_)) => text,
                        Ok(Cow::Owned(read)) => read,
                        Err(reason) => {
                            bad_cells.push((name.to_string(), reason));
                            continue;
                        }
                    }
                }
            };
            raw.cells.push((name.to_string(), text));
        }
        SourceRow {
            place,
            raw,
            problem,
            bad_cells,
        }
    }
}
