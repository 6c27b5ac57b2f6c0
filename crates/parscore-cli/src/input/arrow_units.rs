//! Parquet and Arrow IPC inputs: one row per unit, read a record batch at a time. The
//! schema's field names are the header, checked as a CSV header is (composed, trimmed, each
//! once, a `unit` column); typed columns go to the engine as they are (numbers, decimals,
//! yes/no), and text columns are read as text cells are everywhere: composed, under the
//! decimal mark. Only the unit, the period and the indicators' columns are read.

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufReader, Seek, SeekFrom};
use std::sync::Arc;

use arrow_array::builder::StringBuilder;
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use arrow_ipc::reader::{FileReader, StreamReader};
use arrow_schema::{ArrowError, DataType, SchemaRef};
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parscore::text::nfc;

use super::chunk::{CHUNK_ROWS, Chunk, Flag, Places, batch};
use super::columns::{Column, Naming};
use super::decimal_mark::DecimalMark;
use super::ipc_lengths::beyond_the_file;
use super::names;
use super::table::Header;
use crate::fail::Failure;

/// The columnar file formats of unit inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrowFormat {
    Parquet,
    /// The Arrow IPC file format (`.arrow`, Feather v2).
    IpcFile,
    /// The Arrow IPC stream format (`.arrows`).
    IpcStream,
}

impl ArrowFormat {
    /// The IPC format the first bytes say (the file format starts with `ARROW1`).
    pub fn ipc(magic: &[u8]) -> ArrowFormat {
        if magic.starts_with(b"ARROW1") {
            ArrowFormat::IpcFile
        } else {
            ArrowFormat::IpcStream
        }
    }
}

type Batches = Box<dyn Iterator<Item = Result<RecordBatch, ArrowError>> + Send>;

/// A Parquet or Arrow input being read.
pub struct ArrowChunks {
    file: String,
    header: Header,
    /// The schema as the file names it, for the places of its columns.
    names: Vec<String>,
    batches: Batches,
    /// The unit's and period's columns in the batches read, then each indicator's (field
    /// in the file, position in the batches read, name).
    unit: usize,
    period: Option<usize>,
    read: Vec<(usize, String)>,
    /// A batch being cut into chunks, and where the next chunk starts in it.
    pending: Option<(RecordBatch, usize)>,
    /// The file's row of the next row, from 1.
    next_row: usize,
    chunk_rows: usize,
}

impl ArrowChunks {
    /// Opens the file and checks its header; `known` says which names are indicators (only
    /// their columns are read).
    pub fn open(
        file: &str,
        opened: File,
        format: ArrowFormat,
        decimal: DecimalMark,
        known: &dyn Fn(&str) -> bool,
    ) -> Result<ArrowChunks, Failure> {
        unwound(file, || {
            ArrowChunks::open_checked(file, opened, format, decimal, known)
        })
    }

    fn open_checked(
        file: &str,
        opened: File,
        format: ArrowFormat,
        decimal: DecimalMark,
        known: &dyn Fn(&str) -> bool,
    ) -> Result<ArrowChunks, Failure> {
        let fail = |e: &dyn std::fmt::Display| Failure::read(file, e);
        if let ArrowFormat::IpcFile | ArrowFormat::IpcStream = format {
            let stream = matches!(format, ArrowFormat::IpcStream);
            if let Some(why) = beyond_the_file(&opened, stream).map_err(|e| fail(&e))? {
                return Err(fail(&why));
            }
        }
        // The schema first, then the reader of the columns wanted.
        let mut parquet = None;
        let schema: SchemaRef = match format {
            ArrowFormat::Parquet => {
                let builder = ParquetRecordBatchReaderBuilder::try_new(
                    opened.try_clone().map_err(|e| fail(&e))?,
                )
                .map_err(|e| fail(&e))?;
                let schema = builder.schema().clone();
                parquet = Some(builder);
                schema
            }
            ArrowFormat::IpcFile => {
                FileReader::try_new(BufReader::new(again(&opened).map_err(|e| fail(&e))?), None)
                    .map_err(|e| fail(&e))?
                    .schema()
            }
            ArrowFormat::IpcStream => {
                StreamReader::try_new(BufReader::new(again(&opened).map_err(|e| fail(&e))?), None)
                    .map_err(|e| fail(&e))?
                    .schema()
            }
        };
        let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
        let header = Header::new(
            file,
            names.iter().cloned().enumerate().collect(),
            Box::new(|i| format!("column {}", i + 1)),
            decimal,
        )?;
        let (unit, period) = header.keys();
        let wanted: Vec<(usize, String)> = header
            .value_columns()
            .filter(|(_, name)| known(name))
            .map(|(i, name)| (i, name.to_string()))
            .collect();
        for &(i, ref name) in &wanted {
            let data_type = schema.field(i).data_type();
            if !holds_values(data_type) {
                return Err(Failure::read(
                    file,
                    format!(
                        "column `{name}` holds {data_type} values, which are not numbers, text \
                         or yes/no"
                    ),
                ));
            }
        }
        let mut projection: Vec<usize> = std::iter::once(unit)
            .chain(period)
            .chain(wanted.iter().map(|(i, _)| *i))
            .collect();
        projection.sort_unstable();
        let at = |field: usize| projection.binary_search(&field).unwrap_or(0);
        let batches: Batches = match (format, parquet) {
            (ArrowFormat::Parquet, Some(builder)) => {
                let mask =
                    ProjectionMask::roots(builder.parquet_schema(), projection.iter().copied());
                Box::new(
                    builder
                        .with_projection(mask)
                        .with_batch_size(CHUNK_ROWS)
                        .build()
                        .map_err(|e| fail(&e))?,
                )
            }
            (ArrowFormat::IpcStream, _) => Box::new(
                StreamReader::try_new(
                    BufReader::new(again(&opened).map_err(|e| fail(&e))?),
                    Some(projection.clone()),
                )
                .map_err(|e| fail(&e))?,
            ),
            _ => Box::new(
                FileReader::try_new(
                    BufReader::new(again(&opened).map_err(|e| fail(&e))?),
                    Some(projection.clone()),
                )
                .map_err(|e| fail(&e))?,
            ),
        };
        Ok(ArrowChunks {
            file: file.to_string(),
            unit: at(unit),
            period: period.map(at),
            read: wanted.into_iter().map(|(i, name)| (at(i), name)).collect(),
            header,
            names,
            batches,
            pending: None,
            next_row: 1,
            chunk_rows: CHUNK_ROWS,
        })
    }

    /// Reads at most this many rows a chunk.
    pub fn with_chunk_rows(mut self, rows: usize) -> ArrowChunks {
        self.chunk_rows = rows.max(1);
        self
    }

    /// The columns other than `unit` and `period`, each at its place, for the column check.
    pub fn columns(&self) -> Vec<Column> {
        self.header
            .value_columns()
            .map(|(i, name)| Column {
                name: name.to_string(),
                place: format!("{}: column {} (`{}`)", self.file, i + 1, self.names[i]),
                naming: Naming::Header,
            })
            .collect()
    }

    /// The next chunk of rows; `None` after the last.
    pub fn next_chunk(&mut self) -> Result<Option<Chunk>, Failure> {
        let file = self.file.clone();
        unwound(&file, || self.next_chunk_read())
    }

    fn next_chunk_read(&mut self) -> Result<Option<Chunk>, Failure> {
        let (batch, start) = loop {
            match self.pending.take() {
                Some((batch, start)) if start < batch.num_rows() => break (batch, start),
                _ => match self.batches.next() {
                    None => return Ok(None),
                    Some(batch) => {
                        let batch = batch.map_err(|e| Failure::read(&self.file, e))?;
                        self.pending = Some((batch, 0));
                    }
                },
            }
        };
        let rows = (batch.num_rows() - start).min(self.chunk_rows);
        self.pending = Some((batch.clone(), start + rows));
        let part = batch.slice(start, rows);
        let first = self.next_row;
        self.next_row += rows;
        let fail = |e: ArrowError| Failure::read(&self.file, e);
        let units = labels(part.column(self.unit), names::name_of).map_err(fail)?;
        let periods = match self.period {
            Some(period) => labels(part.column(period), names::period_of).map_err(fail)?,
            None => Arc::new(StringArray::new_null(rows)),
        };
        let mut fields = vec![
            super::chunk::text_field("unit"),
            super::chunk::text_field("period"),
        ];
        let mut arrays = vec![units, periods];
        let mut bad: Vec<Vec<(String, String)>> = vec![Vec::new(); rows];
        for (at, name) in &self.read {
            let column = part.column(*at);
            let read = match is_text(column.data_type()) {
                true => cells(column, name, self.header.decimal(), &mut bad).map_err(fail)?,
                false => column.clone(),
            };
            fields.push(arrow_schema::Field::new(
                name,
                read.data_type().clone(),
                true,
            ));
            arrays.push(read);
        }
        let flags = bad
            .into_iter()
            .enumerate()
            .filter(|(_, cells)| !cells.is_empty())
            .map(|(row, bad_cells)| {
                (
                    row,
                    Flag {
                        problem: None,
                        bad_cells,
                        by_row: false,
                    },
                )
            })
            .collect();
        Ok(Some(Chunk {
            batch: batch_of(fields, arrays),
            places: Places::Rows {
                file: self.file.clone(),
                first,
            },
            numbers: (first..first + rows).collect(),
            flags,
            raw: None,
        }))
    }
}

/// The file again from its start.
fn again(file: &File) -> std::io::Result<File> {
    let mut file = file.try_clone()?;
    file.seek(SeekFrom::Start(0))?;
    Ok(file)
}

fn batch_of(fields: Vec<arrow_schema::Field>, arrays: Vec<ArrayRef>) -> RecordBatch {
    batch(fields, arrays)
}

/// Whether the engine reads values from a column of this type.
fn holds_values(data_type: &DataType) -> bool {
    is_text(data_type)
        || matches!(
            data_type,
            DataType::Null
                | DataType::Boolean
                | DataType::Int8
                | DataType::Int16
                | DataType::Int32
                | DataType::Int64
                | DataType::UInt8
                | DataType::UInt16
                | DataType::UInt32
                | DataType::UInt64
                | DataType::Float16
                | DataType::Float32
                | DataType::Float64
                | DataType::Decimal32(..)
                | DataType::Decimal64(..)
                | DataType::Decimal128(..)
                | DataType::Decimal256(..)
        )
}

fn is_text(data_type: &DataType) -> bool {
    match data_type {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => true,
        DataType::Dictionary(_, values) => is_text(values),
        _ => false,
    }
}

/// A column as text (a number as Arrow writes it), each label put in one form by `form`;
/// null when blank. The column itself when every label already is in that form.
fn labels(
    column: &ArrayRef,
    form: impl for<'t> Fn(&'t str) -> Cow<'t, str>,
) -> Result<ArrayRef, ArrowError> {
    let text = arrow_cast::cast(column, &DataType::Utf8)?;
    let text = text.as_string::<i32>();
    let kept = (0..text.len()).all(|i| {
        !text.is_valid(i)
            || matches!(form(text.value(i)), Cow::Borrowed(l) if l.len() == text.value(i).len() && !l.is_empty())
    });
    if kept {
        return Ok(Arc::new(text.clone()));
    }
    let mut labels = StringBuilder::with_capacity(text.len(), text.value_data().len());
    for i in 0..text.len() {
        let label = text.is_valid(i).then(|| form(text.value(i)));
        labels.append_option(label.as_deref().filter(|l| !l.is_empty()));
    }
    Ok(Arc::new(labels.finish()))
}

/// A text column's cells as text cells are read everywhere (composed, under the decimal
/// mark); a cell that reads two ways is null, and noted in `bad` by row.
fn cells(
    column: &ArrayRef,
    name: &str,
    decimal: DecimalMark,
    bad: &mut [Vec<(String, String)>],
) -> Result<ArrayRef, ArrowError> {
    let text = arrow_cast::cast(column, &DataType::Utf8)?;
    let text = text.as_string::<i32>();
    let read = |cell: &str| -> Result<Option<String>, String> {
        let composed = nfc(cell);
        match decimal.canonical(&composed)? {
            Cow::Borrowed(_) if matches!(composed, Cow::Borrowed(_)) => Ok(None),
            read => Ok(Some(read.into_owned())),
        }
    };
    let changed =
        (0..text.len()).any(|i| text.is_valid(i) && !matches!(read(text.value(i)), Ok(None)));
    if !changed {
        return Ok(Arc::new(text.clone()));
    }
    let mut cells = StringBuilder::with_capacity(text.len(), text.value_data().len());
    for (i, bad) in bad.iter_mut().enumerate().take(text.len()) {
        if !text.is_valid(i) {
            cells.append_null();
            continue;
        }
        match read(text.value(i)) {
            Ok(None) => cells.append_value(text.value(i)),
            Ok(Some(read)) => cells.append_value(read),
            Err(reason) => {
                bad.push((name.to_string(), reason));
                cells.append_null();
            }
        }
    }
    Ok(Arc::new(cells.finish()))
}

/// Runs a reading of `file` by the Parquet or Arrow library, whose decoders may panic on a
/// damaged file (a length in the file beyond its buffers) instead of returning an error: the
/// panic becomes the file's error, and not an internal error of the run. Its record in
/// [`crate::guard`] is taken, since it was a damaged file and not a bug of the run.
fn unwound<T>(file: &str, read: impl FnOnce() -> Result<T, Failure>) -> Result<T, Failure> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|payload| {
        let seen = crate::guard::panicked_elsewhere().map(|internal| internal.message);
        let message = seen
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(Failure::read(
            file,
            format!("the file is damaged: its reader stopped ({message})"),
        ))
    })
}
