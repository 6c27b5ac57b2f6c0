//! Rows of an input as the columnar engine takes them, a chunk at a time: the unit, the
//! period and each indicator column the input names, as Arrow columns of the text read (or,
//! from Parquet and Arrow, of the values as typed), with the place of each row and what the
//! reader found wrong with it.

use std::sync::Arc;

use arrow_array::builder::{ArrayBuilder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use parscore::{RawRow, Scheme};

use super::{Place, SourceRow};

/// Rows read and scored at a time: enough for the engine's threads, few enough that a
/// chunk of a wide table stays some tens of megabytes. With every criterion's points a
/// chunk's figures take some 1 KB a row (a 128-bit mantissa and a status for each of 59
/// criteria of the built-in plan): 65,536 rows held 358 MiB at 5M rows, above the 300 the
/// command is to stay under.
pub const CHUNK_ROWS: usize = 32 * 1024;

/// A run of rows of one input, in order.
#[derive(Debug)]
pub struct Chunk {
    /// `unit` and `period` (text: composed, trimmed; null when blank), then one column per
    /// indicator of the scheme the input names.
    pub batch: RecordBatch,
    pub places: Places,
    /// Each row's number as the reader counts it (the line, the sheet row, the object), for
    /// messages that quote it.
    pub numbers: Vec<usize>,
    /// What the reader found wrong with rows, by row in the chunk, in order.
    pub flags: Vec<(usize, Flag)>,
    /// The rows as read, when a row's own order of cells decides which error it reports (a
    /// JSON object names its keys in its own order).
    pub raw: Option<Vec<RawRow>>,
}

/// What is wrong with a row as read, before anything is scored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flag {
    /// Why the row as a whole cannot be used (ragged, not an object, not JSON).
    pub problem: Option<String>,
    /// Cells that hold no value, as column and reason.
    pub bad_cells: Vec<(String, String)>,
    /// The row names a column that is no indicator, or one twice: the row-by-row reading
    /// of its cells says what fails it.
    pub by_row: bool,
}

/// Where each row of a chunk came from.
#[derive(Debug, Clone)]
pub enum Places {
    /// Lines of a CSV or JSON-lines file.
    Lines {
        file: String,
        lines: Vec<u64>,
    },
    /// Consecutive rows of a Parquet or Arrow file, the first one's number given.
    Rows {
        file: String,
        first: usize,
    },
    Listed(Vec<Place>),
}

impl Places {
    pub fn get(&self, row: usize) -> Place {
        match self {
            Places::Lines { file, lines } => Place::Line {
                file: file.clone(),
                line: lines[row],
            },
            Places::Rows { file, first } => Place::Row {
                file: file.clone(),
                row: first + row,
            },
            Places::Listed(places) => places[row].clone(),
        }
    }
}

impl Chunk {
    pub fn len(&self) -> usize {
        self.batch.num_rows()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn text(&self, column: usize) -> &StringArray {
        self.batch.column(column).as_string::<i32>()
    }

    /// The unit of a row; `None` when blank.
    pub fn unit(&self, row: usize) -> Option<&str> {
        let units = self.text(0);
        units.is_valid(row).then(|| units.value(row))
    }

    /// The period of a row; `None` when it gives none.
    pub fn period(&self, row: usize) -> Option<&str> {
        let periods = self.text(1);
        periods.is_valid(row).then(|| periods.value(row))
    }

    /// The chunk without its cells (the unit and period kept, and where each row came
    /// from): what results need of a chunk once it is scored, kept while the next one is.
    pub fn labels(&self) -> Chunk {
        Chunk {
            // A chunk's first two columns are its unit and period.
            batch: self
                .batch
                .project(&[0, 1])
                .unwrap_or_else(|_| self.batch.clone()),
            places: self.places.clone(),
            numbers: self.numbers.clone(),
            flags: self.flags.clone(),
            raw: None,
        }
    }

    pub fn place(&self, row: usize) -> Place {
        self.places.get(row)
    }

    /// What the reader found wrong with a row, if anything.
    pub fn flag(&self, row: usize) -> Option<&Flag> {
        self.flags
            .binary_search_by_key(&row, |(r, _)| *r)
            .ok()
            .map(|at| &self.flags[at].1)
    }

    /// A chunk of rows already read (from JSON, a sheet, or joined to dossier records):
    /// each indicator of the scheme that any row names becomes a column, in the order first
    /// named. The rows are kept, for the errors that their own order of cells decides.
    pub fn from_rows(scheme: &Scheme, rows: Vec<SourceRow>, ignore_unknown: bool) -> Chunk {
        let mut columns = TextColumns::default();
        let mut flags = Vec::new();
        let mut places = Vec::with_capacity(rows.len());
        let mut numbers = Vec::with_capacity(rows.len());
        let mut raw = Vec::with_capacity(rows.len());
        for (i, row) in rows.into_iter().enumerate() {
            columns.next_row();
            let unit = row.raw.unit.as_deref().filter(|u| !u.trim().is_empty());
            columns.unit.append_option(unit);
            columns.period.append_option(row.raw.period.as_deref());
            let mut named: Vec<&str> = Vec::new();
            let mut by_row = false;
            for (name, text) in &row.raw.cells {
                if scheme.indicator(name).is_none() {
                    by_row |= !ignore_unknown;
                    continue;
                }
                if named.contains(&name.as_str()) {
                    by_row = true;
                    continue;
                }
                named.push(name.as_str());
                columns.set(name, text);
            }
            drop(named);
            if row.problem.is_some() || !row.bad_cells.is_empty() || by_row {
                flags.push((
                    i,
                    Flag {
                        problem: row.problem,
                        bad_cells: row.bad_cells,
                        by_row,
                    },
                ));
            }
            places.push(row.place);
            numbers.push(row.raw.row);
            raw.push(row.raw);
        }
        Chunk {
            batch: columns.finish(),
            places: Places::Listed(places),
            numbers,
            flags,
            raw: Some(raw),
        }
    }
}

/// Text columns built a row at a time, each indicator's added when a row first names it.
#[derive(Default)]
struct TextColumns {
    unit: StringBuilder,
    period: StringBuilder,
    names: Vec<String>,
    cells: Vec<StringBuilder>,
    /// The rows begun so far.
    rows: usize,
}

impl TextColumns {
    /// Ends the row before (each column missing a value gets a null) and begins one.
    fn next_row(&mut self) {
        for cells in &mut self.cells {
            while cells.len() < self.rows {
                cells.append_null();
            }
        }
        self.rows += 1;
    }

    fn set(&mut self, name: &str, text: &str) {
        let at = match self.names.iter().position(|n| n == name) {
            Some(at) => at,
            None => {
                self.names.push(name.to_string());
                let mut cells = StringBuilder::new();
                for _ in 1..self.rows {
                    cells.append_null();
                }
                self.cells.push(cells);
                self.cells.len() - 1
            }
        };
        self.cells[at].append_value(text);
    }

    fn finish(mut self) -> RecordBatch {
        self.next_row();
        let mut fields = vec![text_field("unit"), text_field("period")];
        let mut arrays: Vec<ArrayRef> =
            vec![Arc::new(self.unit.finish()), Arc::new(self.period.finish())];
        for (name, mut cells) in self.names.iter().zip(self.cells) {
            fields.push(text_field(name));
            arrays.push(Arc::new(cells.finish()));
        }
        batch(fields, arrays)
    }
}

pub fn text_field(name: &str) -> Field {
    Field::new(name, DataType::Utf8, true)
}

/// The batch of these columns, all of one length.
pub fn batch(fields: Vec<Field>, arrays: Vec<ArrayRef>) -> RecordBatch {
    let rows = arrays.first().map_or(0, |a| a.len());
    RecordBatch::try_new_with_options(
        Arc::new(Schema::new(fields)),
        arrays,
        &arrow_array::RecordBatchOptions::new().with_row_count(Some(rows)),
    )
    .expect("columns of one length, each of its field's type")
}
