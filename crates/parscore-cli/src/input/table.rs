//! What CSV files and spreadsheets share: a header row naming the columns, then one row per
//! unit.

use std::collections::HashMap;

use parscore::RawRow;

use super::{Place, SourceRow};
use crate::fail::Failure;

/// A cell as read from a file: its text, or why it has none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    /// The cell holds something that is no value (an Excel error); the reason names the cell.
    Bad(String),
}

impl Cell {
    pub fn is_blank(&self) -> bool {
        matches!(self, Cell::Text(text) if text.trim().is_empty())
    }
}

/// The column names of a file, with the positions of `unit` and `period`.
pub struct Header {
    names: Vec<String>,
    unit: usize,
    period: Option<usize>,
    /// How the file names a column position to a person: `field 7` in CSV, `G` in Excel.
    column_label: Box<dyn Fn(usize) -> String>,
}

impl Header {
    /// Checks the header: every name once, and a `unit` column.
    pub fn new(
        file: &str,
        names: Vec<String>,
        column_label: Box<dyn Fn(usize) -> String>,
    ) -> Result<Header, Failure> {
        let names: Vec<String> = names.into_iter().map(|n| n.trim().to_string()).collect();
        let mut first: HashMap<&str, usize> = HashMap::new();
        for (i, name) in names.iter().enumerate() {
            if name.is_empty() {
                continue;
            }
            if let Some(&j) = first.get(name.as_str()) {
                return Err(Failure::read(
                    file,
                    format!(
                        "column `{name}` appears twice in the header ({} and {})",
                        column_label(j),
                        column_label(i)
                    ),
                ));
            }
            first.insert(name, i);
        }
        let unit = first.get("unit").copied().ok_or_else(|| {
            Failure::read(
                file,
                "the header has no `unit` column (the first row names the columns: \
                 unit, period, then one indicator id per column)",
            )
        })?;
        let period = first.get("period").copied();
        Ok(Header {
            names,
            unit,
            period,
            column_label,
        })
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// The source row of a line of cells; `problem` is one the reader already found.
    pub fn row(
        &self,
        number: usize,
        place: Place,
        cells: Vec<Cell>,
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
        for (i, cell) in cells.into_iter().enumerate() {
            let name = self.names.get(i).map_or("", String::as_str);
            let text = match cell {
                Cell::Text(text) => text,
                Cell::Bad(reason)
                    if name.is_empty() || i == self.unit || Some(i) == self.period =>
                {
                    note(reason);
                    continue;
                }
                Cell::Bad(reason) => {
                    bad_cells.push((name.to_string(), reason));
                    continue;
                }
            };
            if i == self.unit {
                raw.unit = Some(text.trim().to_string());
            } else if Some(i) == self.period {
                raw.period = Some(text.trim().to_string()).filter(|p| !p.is_empty());
            } else if name.is_empty() {
                // Exports often end rows with empty columns; only a value there is a mistake.
                if !text.trim().is_empty() {
                    note(format!(
                        "`{}` in {}, which has no name in the header",
                        text.trim(),
                        (self.column_label)(i)
                    ));
                }
            } else {
                raw.cells.push((name.to_string(), text));
            }
        }
        SourceRow {
            place,
            raw,
            problem,
            bad_cells,
        }
    }
}
