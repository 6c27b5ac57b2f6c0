//! Parquet and Arrow IPC records, a record batch at a time.
//!
//! The header is the schema's field names; only the columns the profile uses are read.
//! Parquet text columns of few distinct values (unit, status, yes/no) are asked for as
//! dictionaries, so that each distinct label is decoded once per page and a record's unit
//! is found by its dictionary key. Parquet row groups are split across threads in contiguous
//! runs, each summarised apart and merged in order: the rows, the order units are first met
//! and the bad records kept are those of one pass over the file. The dossier codes are
//! checked first, in one pass over their column, so that a code read twice is found across
//! the runs.

use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use arrow_array::{ArrayRef, RecordBatch};
use arrow_ipc::reader::{FileReader, StreamReader};
use arrow_schema::{DataType, Field, Schema};

use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder, RowSelection,
};
use parquet::arrow::{ARROW_SCHEMA_META_KEY, ProjectionMask};
use parquet::file::metadata::ParquetMetaData;
use parscore_records::{
    ArrowCells, BatchCounter, DateForm, RecordCell, RecordField, RowReader, Summarizer,
};

use super::format::RecordFormat;
use super::{Ingest, Setup, Stop};
use crate::fail::Failure;
use crate::input::ipc_lengths::beyond_the_file;

/// Rows per record batch.
const BATCH_ROWS: usize = 32 * 1024;

/// Reads a Parquet file.
pub fn read_parquet(ingest: &mut Ingest<'_>, label: &str, path: &Path) -> Result<(), Stop> {
    let fail = |e: &dyn std::fmt::Display| Stop::Failure(Failure::read(label, e));
    let file = File::open(path).map_err(|e| fail(&e))?;
    let metadata =
        ArrowReaderMetadata::load(&file, ArrowReaderOptions::new()).map_err(|e| fail(&e))?;
    ingest.sources.begin(label, RecordFormat::Parquet, None);
    let schema = metadata.schema().clone();
    let header: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    let reader = ingest.setup.reader(label, &header)?;
    // The dossier codes are checked ahead, in one pass over their column, so that the row
    // groups can be counted apart: the parts leave the codes out, unless the profile
    // requires them, and the bad records' codes are read back at the end.
    let mut columns = BatchCounter::columns(&reader, ingest.setup.options.by_sub_unit);
    let id = reader.column(RecordField::Id);
    if !reader.requires(RecordField::Id) {
        columns.retain(|&c| Some(c) != id);
    }
    note_unread_ids(ingest, &reader, &columns, path);
    // Zoned timestamps in the zone the writer gave them, and labels as dictionaries, when the
    // file's schema lets them be read so.
    let zoned = restore_zones(&schema, embedded_schema(metadata.metadata()).as_ref());
    let hinted = BatchCounter::dictionary_schema(zoned.as_ref().unwrap_or(&schema), &reader);
    let metadata = match hinted.or(zoned) {
        Some(hinted) => ArrowReaderMetadata::try_new(
            metadata.metadata().clone(),
            ArrowReaderOptions::new().with_schema(Arc::new(hinted)),
        )
        .unwrap_or(metadata),
        None => metadata,
    };
    let projected = metadata.schema().project(&columns).map_err(|e| fail(&e))?;
    let plan = counter(label, &projected, &columns, &reader, ingest.setup)?;
    let mask = ProjectionMask::roots(metadata.parquet_schema(), columns.iter().copied());
    let groups: Vec<usize> = metadata
        .metadata()
        .row_groups()
        .iter()
        .map(|g| usize::try_from(g.num_rows()).unwrap_or(0))
        .collect();
    let total: usize = groups.iter().sum();
    let parts = split(&groups, ingest.setup.threads);
    let first_row = ingest.sources.current().first_row;
    let duplicates = match id {
        Some(id) => check_codes(ingest, path, &metadata, id, first_row).map_err(|e| fail(&e))?,
        None => Vec::new(),
    };
    let template = ingest.summarizer.part(duplicates.into());
    let failed = AtomicUsize::new(usize::MAX);
    let run_part = |index: usize, part: &Part| -> Result<Summarizer, Stop> {
        let mut summarizer = template.clone();
        let mut reader = reader.clone();
        let file = File::open(path).map_err(|e| fail(&e))?;
        let batches = ParquetRecordBatchReaderBuilder::new_with_metadata(file, metadata.clone())
            .with_row_groups(part.groups.clone())
            .with_projection(mask.clone())
            .with_batch_size(BATCH_ROWS)
            .build()
            .map_err(|e| fail(&e))?;
        let mut row = first_row + part.first_row;
        for batch in batches {
            // An earlier part stopped at a bad record (--strict): this one is not needed.
            if failed.load(Ordering::Relaxed) < index {
                break;
            }
            let batch = batch.map_err(|e| fail(&e))?;
            let counted = plan
                .count(&batch, row, &mut reader, &mut summarizer)
                .map_err(Stop::from_record);
            if counted.is_err() {
                failed.fetch_min(index, Ordering::Relaxed);
            }
            counted?;
            row += batch.num_rows();
        }
        Ok(summarizer)
    };
    let results: Vec<Result<Summarizer, Stop>> = if parts.len() <= 1 {
        parts.iter().map(|part| run_part(0, part)).collect()
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = parts
                .iter()
                .enumerate()
                .map(|(i, part)| {
                    let run_part = &run_part;
                    scope.spawn(move || run_part(i, part))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        Err(Stop::Failure(Failure::read(
                            label,
                            "a reading thread stopped",
                        )))
                    })
                })
                .collect()
        })
    };
    for result in results {
        ingest
            .summarizer
            .merge(result?)
            .map_err(Stop::from_record)?;
    }
    ingest.sources.current().records = total;
    Ok(())
}

/// Checks the dossier code of every row of a Parquet file (from `first_row + 1` on), in
/// order, with the summary's codes so far: the rows whose code was read before, each with
/// the row that first gave it.
fn check_codes(
    ingest: &mut Ingest<'_>,
    path: &Path,
    metadata: &ArrowReaderMetadata,
    column: usize,
    first_row: usize,
) -> Result<Vec<(usize, usize)>, String> {
    let file = File::open(path).map_err(|e| e.to_string())?;
    let batches = ParquetRecordBatchReaderBuilder::new_with_metadata(file, metadata.clone())
        .with_projection(ProjectionMask::roots(metadata.parquet_schema(), [column]))
        .with_batch_size(BATCH_ROWS)
        .build()
        .map_err(|e| e.to_string())?;
    let rows = metadata.metadata().file_metadata().num_rows();
    ingest
        .summarizer
        .reserve_codes(usize::try_from(rows).unwrap_or(0));
    let mut duplicates = Vec::new();
    let mut row = first_row;
    for batch in batches {
        let batch = batch.map_err(|e| e.to_string())?;
        let codes = ArrowCells::new(batch.column(0), 0, Some(DateForm::Iso));
        let batch_codes = (0..batch.num_rows()).filter_map(|i| match codes.cell(i) {
            RecordCell::Text(code) => Some((row + i + 1, code)),
            _ => None,
        });
        duplicates.extend(ingest.summarizer.check_codes(batch_codes));
        row += batch.num_rows();
    }
    Ok(duplicates)
}

/// The Arrow schema a writer such as pyarrow keeps in a Parquet file (`ARROW:schema`), when
/// it holds one that can be read.
fn embedded_schema(metadata: &ParquetMetaData) -> Option<Schema> {
    use base64::Engine;
    let encoded = metadata
        .file_metadata()
        .key_value_metadata()?
        .iter()
        .find(|kv| kv.key == ARROW_SCHEMA_META_KEY)?
        .value
        .as_deref()?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()?;
    // An IPC message, after a continuation marker and its length in newer files.
    let message = match bytes.get(..4) {
        Some([0xFF, 0xFF, 0xFF, 0xFF]) => bytes.get(8..)?,
        _ => &bytes[..],
    };
    let message = arrow_ipc::root_as_message(message).ok()?;
    Some(arrow_ipc::convert::fb_to_schema(
        message.header_as_schema()?,
    ))
}

/// The file's schema with each timestamp in the time zone its writer gave it, where the
/// Parquet reader left it in UTC; `None` when nothing changes.
///
/// Parquet stores a zoned timestamp as an instant adjusted to UTC and the zone only in the
/// embedded Arrow schema. The Parquet reader takes the zone from there only when the units
/// agree: a timestamp in seconds is stored in milliseconds, and nanoseconds in microseconds
/// by older writers, and those came back in UTC, a day early for a dossier received before
/// 07:00 in Hà Nội, where the same column in Arrow IPC counts on its local day.
fn restore_zones(schema: &Schema, embedded: Option<&Schema>) -> Option<Schema> {
    let embedded = embedded?;
    let mut changed = false;
    let fields: Vec<Field> = schema
        .fields()
        .iter()
        .map(|field| {
            let zone = embedded
                .field_with_name(field.name())
                .ok()
                .and_then(|theirs| match theirs.data_type() {
                    DataType::Timestamp(_, Some(zone)) => Some(zone.clone()),
                    _ => None,
                });
            match (field.data_type(), zone) {
                (DataType::Timestamp(unit, ours), Some(zone)) if ours.as_ref() != Some(&zone) => {
                    changed = true;
                    field
                        .as_ref()
                        .clone()
                        .with_data_type(DataType::Timestamp(*unit, Some(zone)))
                }
                _ => field.as_ref().clone(),
            }
        })
        .collect();
    changed.then(|| Schema::new_with_metadata(fields, schema.metadata().clone()))
}

/// Reads an Arrow IPC file or stream, one batch after the other.
pub fn read_ipc(
    ingest: &mut Ingest<'_>,
    label: &str,
    path: &Path,
    format: RecordFormat,
) -> Result<(), Stop> {
    let fail = |e: &dyn std::fmt::Display| Stop::Failure(Failure::read(label, e));
    let open = || -> Result<BufReader<File>, Stop> {
        let file = File::open(path).map_err(|e| fail(&e))?;
        Ok(BufReader::with_capacity(1 << 20, file))
    };
    ingest.sources.begin(label, format, None);
    let stream = matches!(format, RecordFormat::ArrowStream);
    let whole = File::open(path).map_err(|e| fail(&e))?;
    if let Some(why) = beyond_the_file(&whole, stream).map_err(|e| fail(&e))? {
        return Err(fail(&why));
    }
    let schema = match format {
        RecordFormat::ArrowStream => StreamReader::try_new(open()?, None)
            .map_err(|e| fail(&e))?
            .schema(),
        _ => FileReader::try_new(open()?, None)
            .map_err(|e| fail(&e))?
            .schema(),
    };
    let header: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    let mut reader = ingest.setup.reader(label, &header)?;
    let columns = BatchCounter::columns(&reader, ingest.setup.options.by_sub_unit);
    note_unread_ids(ingest, &reader, &columns, path);
    let projected = schema.project(&columns).map_err(|e| fail(&e))?;
    let plan = counter(label, &projected, &columns, &reader, ingest.setup)?;
    let batches: Box<dyn Iterator<Item = Result<RecordBatch, arrow_schema::ArrowError>>> =
        match format {
            RecordFormat::ArrowStream => Box::new(
                StreamReader::try_new(open()?, Some(columns.clone())).map_err(|e| fail(&e))?,
            ),
            _ => {
                Box::new(FileReader::try_new(open()?, Some(columns.clone())).map_err(|e| fail(&e))?)
            }
        };
    let mut row = ingest.sources.current().first_row;
    for batch in batches {
        let batch = batch.map_err(|e| fail(&e))?;
        let rows = batch.num_rows();
        let counted = plan
            .count(&batch, row, &mut reader, &mut ingest.summarizer)
            .map_err(Stop::from_record);
        ingest.sources.current().records += rows;
        counted?;
        row += rows;
    }
    Ok(())
}

/// The dossier codes of some rows (from 1) of a file whose code column was not read with the
/// rest, by row.
pub fn read_ids(
    path: &Path,
    format: RecordFormat,
    column: usize,
    rows: &[usize],
) -> Result<HashMap<usize, String>, String> {
    let mut wanted: Vec<usize> = rows.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    let mut ids = HashMap::new();
    let mut keep = |row: usize, array: &ArrayRef, i: usize| {
        let text = match ArrowCells::new(array, 0, Some(DateForm::Iso)).cell(i) {
            RecordCell::Text(text) => text.trim().to_string(),
            _ => String::new(),
        };
        if !text.is_empty() {
            ids.insert(row, text);
        }
    };
    let file = File::open(path).map_err(|e| e.to_string())?;
    match format {
        RecordFormat::Parquet => {
            let builder =
                ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| e.to_string())?;
            let mask = ProjectionMask::roots(builder.parquet_schema(), [column]);
            // Only the pages that hold the rows wanted are decoded.
            let selection = RowSelection::from_consecutive_ranges(
                wanted.iter().map(|&row| row - 1..row),
                builder.metadata().file_metadata().num_rows() as usize,
            );
            let batches = builder
                .with_projection(mask)
                .with_row_selection(selection)
                .build()
                .map_err(|e| e.to_string())?;
            let mut next = wanted.iter();
            for batch in batches {
                let batch = batch.map_err(|e| e.to_string())?;
                for i in 0..batch.num_rows() {
                    if let Some(&row) = next.next() {
                        keep(row, batch.column(0), i);
                    }
                }
            }
        }
        _ => {
            let reader = BufReader::with_capacity(1 << 20, file);
            let batches: Box<dyn Iterator<Item = Result<RecordBatch, arrow_schema::ArrowError>>> =
                match format {
                    RecordFormat::ArrowStream => Box::new(
                        StreamReader::try_new(reader, Some(vec![column]))
                            .map_err(|e| e.to_string())?,
                    ),
                    _ => Box::new(
                        FileReader::try_new(reader, Some(vec![column]))
                            .map_err(|e| e.to_string())?,
                    ),
                };
            let mut next = wanted.iter().peekable();
            let mut first = 1;
            for batch in batches {
                let batch = batch.map_err(|e| e.to_string())?;
                let end = first + batch.num_rows();
                while let Some(&&row) = next.peek() {
                    if row >= end {
                        break;
                    }
                    keep(row, batch.column(0), row - first);
                    next.next();
                }
                if next.peek().is_none() {
                    break;
                }
                first = end;
            }
        }
    }
    Ok(ids)
}

/// Notes the dossier code column when it is not read with the rest, for the bad records'
/// codes to be read afterwards.
fn note_unread_ids(ingest: &mut Ingest<'_>, reader: &RowReader, columns: &[usize], path: &Path) {
    if let Some(id) = reader.column(RecordField::Id)
        && !columns.contains(&id)
    {
        ingest.sources.current().unread_ids = Some((path.to_path_buf(), id));
    }
}

/// The counter of a file's batches, which hold its header `columns` as `schema` has them.
fn counter(
    label: &str,
    schema: &arrow_schema::Schema,
    columns: &[usize],
    reader: &RowReader,
    setup: &Setup,
) -> Result<BatchCounter, Stop> {
    BatchCounter::new(schema, columns, reader, setup.options.by_sub_unit)
        .map_err(|e| Stop::Failure(Failure::read(label, e)))
}

/// A contiguous run of row groups, read by one thread.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Part {
    groups: Vec<usize>,
    /// The rows of the row groups before it.
    first_row: usize,
}

/// Row groups in up to `threads` contiguous runs of about as many rows each.
fn split(rows: &[usize], threads: usize) -> Vec<Part> {
    let total: usize = rows.iter().sum();
    let parts = threads.clamp(1, rows.len().max(1));
    let mut result: Vec<Part> = Vec::new();
    let mut before = 0;
    for (group, &n) in rows.iter().enumerate() {
        // The part a row group falls in: by the middle of its rows.
        let middle = before + n / 2;
        let index = (middle * parts)
            .checked_div(total)
            .map_or(0, |i| i.min(parts - 1));
        let parts_so_far = result.len();
        match result.last_mut() {
            Some(part) if parts_so_far > index => part.groups.push(group),
            _ => result.push(Part {
                groups: vec![group],
                first_row: before,
            }),
        }
        before += n;
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_groups_split_into_runs_of_about_as_many_rows() {
        let parts = split(&[100, 100, 100, 100], 2);
        assert_eq!(
            parts,
            [
                Part {
                    groups: vec![0, 1],
                    first_row: 0
                },
                Part {
                    groups: vec![2, 3],
                    first_row: 200
                }
            ]
        );
        assert_eq!(split(&[100], 4).len(), 1);
        assert_eq!(split(&[], 4).len(), 0);
        let uneven = split(&[500, 10, 10, 480], 2);
        assert_eq!(uneven[0].groups, [0]);
        assert_eq!(uneven[1].groups, [1, 2, 3]);
        assert_eq!(uneven[1].first_row, 500);
    }
}
