//! Where each record came from: its file, its row there, and the line or sheet row a person
//! finds it at.

use std::path::PathBuf;

use parscore_records::{BadRecord, RecordSummary};
use serde_json::{Value as Json, json};

use super::format::RecordFormat;
use crate::input::Place;

/// Line positions kept per file. Only blank lines and line breaks inside quoted cells (blank
/// rows, in a sheet) add one; past this many, the file's later bad records are named by row
/// alone.
const MAX_BREAKS: usize = 1 << 20;

/// One file of records.
#[derive(Debug, Clone)]
pub struct Source {
    pub label: String,
    pub format: RecordFormat,
    /// The sheet read, in a workbook.
    pub sheet: Option<String>,
    /// The records of earlier files: this file's row `r` is row `first_row + r` of the run.
    pub first_row: usize,
    pub records: usize,
    /// From which row on the line (CSV) or sheet row (Excel) is the row plus how much: it
    /// changes after blank lines and quoted line breaks only.
    breaks: Vec<(usize, u64)>,
    /// The first row whose line is not known: past [`MAX_BREAKS`] changes, rows are named
    /// by their number alone.
    lines_unknown_from: Option<usize>,
    /// A columnar file's path and dossier code column, when the codes were not read with
    /// the rest (the summary does not need them): read for the bad records at the end.
    pub unread_ids: Option<(PathBuf, usize)>,
}

impl Source {
    /// Notes that `row` is found at line (or sheet row) `at`; rows are noted in order.
    pub fn found_at(&mut self, row: usize, at: u64) {
        if self.lines_unknown_from.is_some() {
            return;
        }
        let offset = at.saturating_sub(row as u64);
        if self.breaks.last().is_none_or(|(_, o)| *o != offset) {
            if self.breaks.len() >= MAX_BREAKS {
                self.lines_unknown_from = Some(row);
                return;
            }
            self.breaks.push((row, offset));
        }
    }

    fn position(&self, row: usize) -> u64 {
        let at = self.breaks.partition_point(|(from, _)| *from <= row);
        let offset = if at == 0 { 0 } else { self.breaks[at - 1].1 };
        row as u64 + offset
    }

    /// Where a person finds the file's row `row`.
    pub fn place(&self, row: usize) -> Place {
        let file = self.label.clone();
        if self.lines_unknown_from.is_some_and(|from| row >= from) {
            return Place::Row { file, row };
        }
        match self.format {
            RecordFormat::Csv => Place::Line {
                file,
                line: self.position(row),
            },
            RecordFormat::Excel => Place::SheetRow {
                file,
                sheet: self.sheet.clone().unwrap_or_default(),
                row: u32::try_from(self.position(row)).unwrap_or(u32::MAX),
            },
            _ => Place::Row { file, row },
        }
    }
}

/// The files of a run, in order.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    list: Vec<Source>,
}

impl Sources {
    /// The records of every file so far.
    pub fn rows(&self) -> usize {
        self.list.last().map_or(0, |s| s.first_row + s.records)
    }

    /// Starts the next file; its rows run on from the previous file's.
    pub fn begin(&mut self, label: &str, format: RecordFormat, sheet: Option<String>) {
        let first_row = self.rows();
        self.list.push(Source {
            label: label.to_string(),
            format,
            sheet,
            first_row,
            records: 0,
            breaks: Vec::new(),
            lines_unknown_from: None,
            unread_ids: None,
        });
    }

    /// The file being read.
    pub fn current(&mut self) -> &mut Source {
        self.list.last_mut().expect("a file was begun")
    }

    pub fn labels(&self) -> Vec<&str> {
        self.list.iter().map(|s| s.label.as_str()).collect()
    }

    /// The file of a row of the run, and its row there.
    pub fn locate(&self, row: usize) -> Option<(&Source, usize)> {
        let at = self.list.partition_point(|s| s.first_row < row);
        let source = self.list.get(at.checked_sub(1)?)?;
        Some((source, row - source.first_row))
    }

    /// Gives the bad records kept in the summary (and the one that stopped a strict run)
    /// their dossier codes, from the files whose codes were not read with the rest. A code
    /// that cannot be read leaves the record without one.
    pub fn fill_ids<'b>(&self, bad: impl IntoIterator<Item = &'b mut BadRecord>) {
        let mut by_source: Vec<Vec<&mut BadRecord>> =
            self.list.iter().map(|_| Vec::new()).collect();
        for record in bad {
            let at = self.list.partition_point(|s| s.first_row < record.row);
            if let Some(list) = at.checked_sub(1).and_then(|i| by_source.get_mut(i)) {
                list.push(record);
            }
        }
        for (source, records) in self.list.iter().zip(by_source) {
            let Some((path, column)) = &source.unread_ids else {
                continue;
            };
            if records.is_empty() {
                continue;
            }
            let rows: Vec<usize> = records.iter().map(|b| b.row - source.first_row).collect();
            let Ok(ids) = super::arrow::read_ids(path, source.format, *column, &rows) else {
                continue;
            };
            for record in records {
                if let Some(id) = ids.get(&(record.row - source.first_row)) {
                    record.id = Some(id.clone());
                }
            }
        }
    }

    /// [`Sources::fill_ids`] for every bad record a summary keeps.
    pub fn fill_summary_ids(&self, summary: &mut RecordSummary) {
        self.fill_ids(
            summary
                .bad
                .kinds
                .iter_mut()
                .flat_map(|k| k.examples.iter_mut()),
        );
    }

    /// Where a person finds a row of the run: `records.csv:3 (row 2)`, `records.parquet: row
    /// 2`, or `row 2` when no file holds it.
    pub fn place_of(&self, row: usize) -> String {
        match self.locate(row) {
            Some((source, row)) => match source.place(row) {
                place @ Place::Row { .. } => place.to_string(),
                place => format!("{place} (row {row})"),
            },
            None => format!("row {row}"),
        }
    }

    /// A bad record as a person reads it: `records.csv:3 (row 2, B02): message`, or
    /// `records.parquet: row 2 (B02): message`.
    pub fn describe(&self, bad: &BadRecord) -> String {
        let id = bad.id.as_deref();
        let message = self.message(bad);
        match self.locate(bad.row) {
            Some((source, row)) => match source.place(row) {
                place @ Place::Row { .. } => {
                    let id = id.map(|id| format!(" ({id})")).unwrap_or_default();
                    format!("{place}{id}: {message}")
                }
                place => {
                    let id = id.map(|id| format!(", {id}")).unwrap_or_default();
                    format!("{place} (row {row}{id}): {message}")
                }
            },
            None => bad.to_string(),
        }
    }

    /// What is wrong with a bad record; a duplicate names the place of the row that first
    /// gave its code, in whichever file (the core's message gives the row of the run).
    fn message(&self, bad: &BadRecord) -> String {
        match bad.first_row {
            Some(first) => {
                let code = bad
                    .id
                    .as_deref()
                    .map(|id| format!(" {id}"))
                    .unwrap_or_default();
                format!(
                    "dossier code{code} was read before, at {}",
                    self.place_of(first)
                )
            }
            None => bad.message.clone(),
        }
    }

    /// The row of a bad record within its file, and the core's text of it with that row.
    pub fn local(&self, bad: &BadRecord) -> (usize, String) {
        let row = self.locate(bad.row).map_or(bad.row, |(_, row)| row);
        let local = BadRecord {
            row,
            message: self.message(bad),
            ..bad.clone()
        };
        (row, local.to_string())
    }

    /// A bad record as JSON: file, row, the place a person finds it at, code and message;
    /// for a duplicate, the same of the row that first gave its code (`first`).
    pub fn example_json(&self, bad: &BadRecord) -> Json {
        let mut object = self.row_json(bad.row);
        object.insert("id".into(), json!(bad.id));
        object.insert("message".into(), json!(self.message(bad)));
        if let Some(first) = bad.first_row {
            object.insert("first".into(), Json::Object(self.row_json(first)));
        }
        Json::Object(object)
    }

    /// A row of the run as JSON: its file, its row there and the line or sheet row.
    fn row_json(&self, row: usize) -> serde_json::Map<String, Json> {
        let mut object = serde_json::Map::new();
        if let Some((source, row)) = self.locate(row) {
            object.insert("file".into(), json!(source.label));
            object.insert("row".into(), json!(row));
            match source.place(row) {
                Place::Line { line, .. } => {
                    object.insert("line".into(), json!(line));
                }
                Place::SheetRow { sheet, row, .. } => {
                    object.insert("sheet".into(), json!(sheet));
                    object.insert("sheet_row".into(), json!(row));
                }
                _ => {}
            }
        } else {
            object.insert("row".into(), json!(row));
        }
        object
    }

    /// The files as JSON: name, format, sheet and records read.
    pub fn to_json(&self) -> Json {
        Json::Array(
            self.list
                .iter()
                .map(|s| {
                    let mut object = serde_json::Map::new();
                    object.insert("file".into(), json!(s.label));
                    object.insert("format".into(), json!(s.format.name()));
                    if let Some(sheet) = &s.sheet {
                        object.insert("sheet".into(), json!(sheet));
                    }
                    object.insert("records".into(), json!(s.records));
                    Json::Object(object)
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parscore_records::BadKind;

    #[test]
    fn rows_of_several_files_go_back_to_their_file_and_line() {
        let mut sources = Sources::default();
        sources.begin("a.csv", RecordFormat::Csv, None);
        sources.current().found_at(1, 2);
        sources.current().found_at(2, 3);
        sources.current().found_at(3, 6); // after two blank lines
        sources.current().records = 4;
        sources.begin("b.parquet", RecordFormat::Parquet, None);
        sources.current().records = 10;
        assert_eq!(sources.rows(), 14);
        let bad = |row| BadRecord::new(row, Some("H1"), BadKind::UnknownStatus, "x".into());
        assert_eq!(sources.describe(&bad(2)), "a.csv:3 (row 2, H1): x");
        assert_eq!(sources.describe(&bad(4)), "a.csv:7 (row 4, H1): x");
        assert_eq!(sources.describe(&bad(5)), "b.parquet: row 1 (H1): x");
        assert_eq!(sources.local(&bad(14)), (10, "row 10 (H1): x".to_string()));
    }

    #[test]
    fn past_so_many_line_breaks_rows_are_named_by_number() {
        let mut sources = Sources::default();
        sources.begin("a.csv", RecordFormat::Csv, None);
        let source = sources.current();
        // Every record spans two lines: the distance changes at every row.
        for row in 1..=MAX_BREAKS + 10 {
            source.found_at(row, 2 * row as u64);
        }
        assert_eq!(source.place(10).to_string(), "a.csv:20");
        assert_eq!(
            source.place(MAX_BREAKS).to_string(),
            format!("a.csv:{}", 2 * MAX_BREAKS)
        );
        assert_eq!(
            source.place(MAX_BREAKS + 1).to_string(),
            format!("a.csv: row {}", MAX_BREAKS + 1)
        );
    }
}
