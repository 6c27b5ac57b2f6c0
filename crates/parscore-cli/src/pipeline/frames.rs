//! Parquet results written on the first pass, without their ranks, to a temporary file as
//! Arrow IPC; the second pass reads them back, puts each row's rank in, and encodes the
//! Parquet. Like the text spool (module `spool`), this replaces reading, parsing and
//! scoring the inputs a second time with a copy of what the output holds anyway: the file
//! takes the results' columns as Arrow holds them, compressed with LZ4: some 60 bytes a row
//! at `headline`, some 430 at `criteria`; memory holds a batch of them at a time.
//!
//! The output's decimal columns hold each column's figures at the fewest places that fit
//! all of them, which only the whole first pass knows. Each chunk is spooled as a stream of
//! its own, at the places that fit the chunk, and raised to the file's on the way back: a
//! multiplication by a power of ten, exact since the file's places are never fewer.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom};
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{ArrayRef, RecordBatch, StringArray};
use arrow_ipc::CompressionType;
use arrow_ipc::reader::StreamReader;
use arrow_ipc::writer::{IpcWriteOptions, StreamWriter};
use arrow_schema::{DataType, Field, Schema};
use parscore::Scheme;
use rayon::prelude::*;

use super::sink::bad_row;
use crate::fail::Failure;
use crate::output::parquet::{BATCH_ROWS, Layout, Scales};
use crate::output::result_row::{Detail, ResultRow};

/// The spool's last column: the line a bad row puts on standard error, so that it comes
/// out in the order of the rows, as the rows are written.
const MESSAGE: &str = "message";

/// Rows of a spooled batch: as many as the Parquet writer is handed at a time, so that its
/// pages are cut where a run that scores twice cuts them.
const PART_ROWS: usize = BATCH_ROWS;

/// Results of the Parquet output whose ranks are not yet known.
pub struct Frames {
    file: BufWriter<File>,
    /// Each chunk's stream: its bytes in the file.
    streams: Vec<u64>,
    detail: Detail,
    /// The scales a chunk starts from: the fixed ones, or exact ones holding nothing yet.
    fresh: Scales,
    quiet: bool,
}

/// What the spool gives back, in order.
pub enum Frame {
    /// Results at their chunk's places, the output's columns and then the message one.
    Batch(RecordBatch),
    /// The end of a chunk: where today's writer may close a row group.
    ChunkEnd,
}

fn failure(error: impl std::fmt::Display) -> Failure {
    Failure::Write {
        target: format!(
            "a temporary file in {} (TMPDIR chooses the folder)",
            std::env::temp_dir().display()
        ),
        error: io::Error::other(error.to_string()),
    }
}

impl Frames {
    /// A spool in a temporary file (removed when closed), for results at `detail` whose
    /// decimal columns start from `fresh`.
    pub fn new(detail: Detail, fresh: Scales, quiet: bool) -> Result<Frames, Failure> {
        let file = tempfile::tempfile().map_err(failure)?;
        Ok(Frames {
            file: BufWriter::with_capacity(1 << 20, file),
            streams: Vec::new(),
            detail,
            fresh,
            quiet,
        })
    }

    /// The scales that hold a chunk's figures, found on every core.
    pub fn scales(&self, scheme: &Scheme, rows: &[ResultRow<'_>]) -> Scales {
        rows.par_chunks(PART_ROWS)
            .map(|part| {
                let mut found = self.fresh.clone();
                for row in part {
                    found.observe(scheme, &row.outcome);
                }
                found
            })
            .reduce(
                || self.fresh.clone(),
                |mut found, part| {
                    found.widen(&part);
                    found
                },
            )
    }

    /// Adds a chunk's results, whose figures `scales` hold (from [`Frames::fresh`]).
    pub fn push(
        &mut self,
        scheme: &Scheme,
        scales: Scales,
        rows: &[ResultRow<'_>],
    ) -> Result<(), Failure> {
        let layout = Layout::new(scheme, self.detail, scales)?;
        let mut fields = layout.schema().fields().to_vec();
        fields.push(Arc::new(Field::new(MESSAGE, DataType::Utf8, true)));
        let schema = Arc::new(Schema::new(fields));
        let start = self.file.stream_position().map_err(failure)?;
        // LZ4: a quarter of the bytes (the decimals' high bytes are zeros) for little work.
        let options = IpcWriteOptions::default()
            .try_with_compression(Some(CompressionType::LZ4_FRAME))
            .map_err(failure)?;
        let mut writer = StreamWriter::try_new_with_options(&mut self.file, &schema, options)
            .map_err(failure)?;
        // Built on every core, written in order.
        let batches = rows
            .par_chunks(PART_ROWS)
            .map(|part| {
                let batch = layout.batch(scheme, part)?;
                let messages: StringArray = part
                    .iter()
                    .map(|row| match (self.quiet, row.outcome.error()) {
                        (false, Some(error)) => Some(bad_row(row, error)),
                        _ => None,
                    })
                    .collect();
                let mut columns = batch.columns().to_vec();
                columns.push(Arc::new(messages) as ArrayRef);
                RecordBatch::try_new(schema.clone(), columns).map_err(failure)
            })
            .collect::<Result<Vec<_>, Failure>>()?;
        for batch in &batches {
            writer.write(batch).map_err(failure)?;
        }
        writer.finish().map_err(failure)?;
        drop(writer);
        let end = self.file.stream_position().map_err(failure)?;
        self.streams.push(end - start);
        Ok(())
    }

    /// Reads the chunks back in order, a batch at a time, handing each to `each`.
    pub fn replay(self, mut each: impl FnMut(Frame) -> Result<(), Failure>) -> Result<(), Failure> {
        let mut file = self
            .file
            .into_inner()
            .map_err(|e| failure(e.into_error()))?;
        file.seek(SeekFrom::Start(0)).map_err(failure)?;
        let mut file = BufReader::with_capacity(1 << 20, file);
        let mut start = 0;
        for length in self.streams {
            // Each stream from its own start, whatever its reader left unread of the last.
            file.seek(SeekFrom::Start(start)).map_err(failure)?;
            start += length;
            let stream = (&mut file).take(length);
            for batch in StreamReader::try_new(stream, None).map_err(failure)? {
                each(Frame::Batch(batch.map_err(failure)?))?;
            }
            each(Frame::ChunkEnd)?;
        }
        Ok(())
    }
}

/// The lines of a spooled batch's bad rows, in order.
pub fn messages(batch: &RecordBatch) -> impl Iterator<Item = &str> {
    batch
        .column_by_name(MESSAGE)
        .and_then(|column| column.as_string_opt::<i32>())
        .into_iter()
        .flat_map(|messages| messages.iter().flatten())
}
