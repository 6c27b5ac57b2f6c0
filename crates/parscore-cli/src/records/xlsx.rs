//! Excel records: `.xlsx` cells streamed from the sheet's XML, one row at a time (`.xls`,
//! `.xlsb` and `.ods` are read as a whole sheet). Date cells arrive as dates, whatever the
//! cell's display format; numbers as the shortest text that is the same double.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use calamine::{Data, DataRef, Reader, Xlsx, open_workbook, open_workbook_auto};
use parscore_records::{Date, RecordCell, RowReader, TypedDates};

use super::format::RecordFormat;
use super::{Ingest, Stop};
use crate::fail::Failure;

pub fn read(
    ingest: &mut Ingest<'_>,
    label: &str,
    path: &Path,
    sheet: Option<&str>,
) -> Result<(), Stop> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let streamable = !matches!(extension.as_deref(), Some("xls" | "xlsb" | "ods"));
    if streamable {
        let mut workbook: Xlsx<BufReader<File>> = open_workbook(path)
            .map_err(|e| Failure::read(label, format!("not an Excel workbook ({e})")))?;
        let name = choose_sheet(label, workbook.sheet_names(), sheet)?;
        let mut rows = SheetRows::new(ingest, label, &name);
        let mut cells = workbook
            .worksheet_cells_reader(&name)
            .map_err(|e| Failure::read(label, format!("sheet `{name}`: {e}")))?;
        let mut current = None;
        while let Some(cell) = cells
            .next_cell()
            .map_err(|e| Failure::read(label, format!("sheet `{name}`: {e}")))?
        {
            let (row, column) = cell.get_position();
            if current != Some(row) {
                if let Some(done) = current {
                    rows.end_row(done)?;
                }
                current = Some(row);
            }
            rows.set(column as usize, cell.get_value());
        }
        if let Some(done) = current {
            rows.end_row(done)?;
        }
        return Ok(());
    }
    let mut workbook = open_workbook_auto(path)
        .map_err(|e| Failure::read(label, format!("not an Excel workbook ({e})")))?;
    let name = choose_sheet(label, workbook.sheet_names(), sheet)?;
    let range = workbook
        .worksheet_range(&name)
        .map_err(|e| Failure::read(label, format!("sheet `{name}`: {e}")))?;
    let Some((first_row, first_column)) = range.start() else {
        ingest
            .sources
            .begin(label, RecordFormat::Excel, Some(name.clone()));
        return Ok(());
    };
    let mut rows = SheetRows::new(ingest, label, &name);
    for (i, row) in range.rows().enumerate() {
        for (j, data) in row.iter().enumerate() {
            rows.set(first_column as usize + j, &data_ref(data));
        }
        rows.end_row(first_row + i as u32)?;
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

fn choose_sheet(label: &str, names: Vec<String>, wanted: Option<&str>) -> Result<String, Failure> {
    match wanted {
        Some(wanted) => names.iter().find(|n| *n == wanted).cloned().ok_or_else(|| {
            Failure::read(
                label,
                format!("no sheet `{wanted}` (its sheets: {})", names.join(", ")),
            )
        }),
        None => names
            .first()
            .cloned()
            .ok_or_else(|| Failure::read(label, "the workbook has no sheet")),
    }
}

/// What a cell holds, for the row reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Empty,
    Text,
    /// A date cell: its days since 1970-01-01 (its text holds it as ISO too).
    Days(i32),
}

/// Rows of a sheet as they stream: the first non-blank row is the header, each later
/// non-blank row a record. Cell buffers are reused from row to row.
struct SheetRows<'i, 's> {
    ingest: &'i mut Ingest<'s>,
    label: String,
    reader: Option<(RowReader, TypedDates)>,
    texts: Vec<String>,
    kinds: Vec<Kind>,
    rows: usize,
}

impl<'i, 's> SheetRows<'i, 's> {
    fn new(ingest: &'i mut Ingest<'s>, label: &str, sheet: &str) -> Self {
        ingest
            .sources
            .begin(label, RecordFormat::Excel, Some(sheet.to_string()));
        SheetRows {
            ingest,
            label: label.to_string(),
            reader: None,
            texts: Vec::new(),
            kinds: Vec::new(),
            rows: 0,
        }
    }

    fn set(&mut self, column: usize, data: &DataRef<'_>) {
        if column >= self.kinds.len() {
            self.kinds.resize(column + 1, Kind::Empty);
            self.texts.resize_with(column + 1, String::new);
        }
        let text = &mut self.texts[column];
        text.clear();
        use std::fmt::Write;
        let kind = match data {
            DataRef::Empty => Kind::Empty,
            DataRef::String(s) => {
                text.push_str(s);
                Kind::Text
            }
            DataRef::SharedString(s) => {
                text.push_str(s);
                Kind::Text
            }
            // The shortest text that reads back to the same double: the number as typed.
            DataRef::Float(f) => {
                let _ = write!(text, "{f}");
                Kind::Text
            }
            DataRef::Int(i) => {
                let _ = write!(text, "{i}");
                Kind::Text
            }
            DataRef::Bool(b) => {
                text.push_str(if *b { "true" } else { "false" });
                Kind::Text
            }
            DataRef::DateTime(date) if date.is_datetime() => {
                let (y, m, d, ..) = date.to_ymd_hms_milli();
                match Date::from_ymd(i32::from(y), u32::from(m), u32::from(d)) {
                    Some(day) => {
                        let _ = write!(text, "{day}");
                        Kind::Days(day.days_since_epoch())
                    }
                    // A time of day alone, or a year Excel cannot hold: its serial, which
                    // the date reader refuses with the reason.
                    None => {
                        let _ = write!(text, "{}", date.as_f64());
                        Kind::Text
                    }
                }
            }
            DataRef::DateTime(duration) => {
                let _ = write!(text, "{}", duration.as_f64());
                Kind::Text
            }
            DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
                text.push_str(s);
                Kind::Text
            }
            // The error's text (`#N/A`) makes the row bad where a value was needed.
            DataRef::Error(error) => {
                let _ = write!(text, "{error}");
                Kind::Text
            }
        };
        self.kinds[column] = kind;
    }

    fn is_blank(&self) -> bool {
        self.kinds
            .iter()
            .zip(&self.texts)
            .all(|(kind, text)| *kind == Kind::Empty || text.trim().is_empty())
    }

    /// The row (0-based, as calamine counts) is complete.
    fn end_row(&mut self, sheet_row: u32) -> Result<(), Stop> {
        let blank = self.is_blank();
        let result = if blank {
            Ok(())
        } else {
            self.take_row(sheet_row)
        };
        self.kinds.fill(Kind::Empty);
        result
    }

    fn take_row(&mut self, sheet_row: u32) -> Result<(), Stop> {
        let Some((reader, typed)) = &mut self.reader else {
            let header: Vec<&str> = self
                .kinds
                .iter()
                .zip(&self.texts)
                .map(|(kind, text)| if *kind == Kind::Empty { "" } else { text })
                .collect();
            let reader = self.ingest.setup.reader(&self.label, &header)?;
            let typed = TypedDates::new(&reader);
            self.reader = Some((reader, typed));
            return Ok(());
        };
        self.rows += 1;
        let source = self.ingest.sources.current();
        source.records = self.rows;
        // Excel numbers rows from 1.
        source.found_at(self.rows, u64::from(sheet_row) + 1);
        let row = source.first_row + self.rows;
        let (kinds, texts) = (&self.kinds, &self.texts);
        let read = typed.read(reader, row, |c| match kinds.get(c) {
            Some(Kind::Text) => RecordCell::Text(&texts[c]),
            Some(Kind::Days(days)) if typed.is_date_column(c) => RecordCell::Days(*days),
            Some(Kind::Days(_)) => RecordCell::Text(&texts[c]),
            Some(Kind::Empty) | None => RecordCell::Null,
        });
        self.ingest
            .summarizer
            .push_read(read)
            .map_err(Stop::from_record)
    }
}
