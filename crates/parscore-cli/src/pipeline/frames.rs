//! Parquet results written on the first pass, without their ranks, to a temporary file as
//! Arrow IPC; the second pass reads them back, puts each row's rank in, and encodes the
//! Parquet. Like the text spool (module `spool`), this replaces reading, parsing and
//! scoring the inputs a second time with a copy of what the output holds anyway: the file
//! takes the results' columns as Arrow holds them, compressed with LZ4: some 60 bytes a row
//! at `headline`, some 430 at `criteria`. Each part of 4,096 rows is an IPC stream of its
//! own, so that the parts of a chunk are encoded and compressed on every core and read back
//! one by one; the reading runs on a thread of its own, some megabytes ahead of the
//! Parquet encoding, and memory holds a few megabytes of them at a time.
//!
//! The output's decimal columns hold each column's figures at the fewest places that fit
//! all of them, which only the whole first pass knows. Each chunk is spooled at the places
//! that fit the chunk, and raised to the file's on the way back: a
//! multiplication by a power of ten, exact since the file's places are never fewer.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::sync::{Arc, mpsc};

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

/// Bytes of batches read back and handed on together (a chunk of `headline` results, a
/// few batches of every criterion's points), at most a batch more: the encoding takes a
/// core's share of them at a time.
const REPLAYED_AT_ONCE: usize = 4 << 20;

/// Results of the Parquet output whose ranks are not yet known.
pub struct Frames {
    file: BufWriter<File>,
    /// Each chunk's parts, each a stream of its own: their bytes in the file.
    chunks: Vec<Vec<u64>>,
    detail: Detail,
    /// The scales a chunk starts from: the fixed ones, or exact ones holding nothing yet.
    fresh: Scales,
    quiet: bool,
}

/// What the spool gives back, in order.
pub enum Frame<T> {
    /// Batches of results at their chunk's places, the output's columns and then the
    /// message one, as the reading made them ready.
    Batches(Vec<T>),
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
            chunks: Vec::new(),
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
        // LZ4: a quarter of the bytes (the decimals' high bytes are zeros) for little work.
        let options = IpcWriteOptions::default()
            .try_with_compression(Some(CompressionType::LZ4_FRAME))
            .map_err(failure)?;
        // Each part built, encoded and compressed on every core as a stream of its own,
        // written in order.
        let parts = rows
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
                let batch = RecordBatch::try_new(schema.clone(), columns).map_err(failure)?;
                let mut bytes = Vec::new();
                let mut writer =
                    StreamWriter::try_new_with_options(&mut bytes, &schema, options.clone())
                        .map_err(failure)?;
                writer.write(&batch).map_err(failure)?;
                writer.finish().map_err(failure)?;
                drop(writer);
                Ok(bytes)
            })
            .collect::<Result<Vec<_>, Failure>>()?;
        let mut lengths = Vec::with_capacity(parts.len());
        for bytes in parts {
            self.file.write_all(&bytes).map_err(failure)?;
            lengths.push(bytes.len() as u64);
        }
        self.chunks.push(lengths);
        Ok(())
    }

    /// Reads the chunks back in order, some batches at a time, on a thread of its own: each
    /// batch is made ready there by `prepare` while the ones before are handed to `each`
    /// here.
    pub fn replay<T: Send>(
        self,
        prepare: impl FnMut(RecordBatch) -> Result<T, Failure> + Send,
        mut each: impl FnMut(Frame<T>) -> Result<(), Failure>,
    ) -> Result<(), Failure> {
        let mut file = self
            .file
            .into_inner()
            .map_err(|e| failure(e.into_error()))?;
        file.seek(SeekFrom::Start(0)).map_err(failure)?;
        let chunks = self.chunks;
        let (sender, frames) = mpsc::sync_channel::<Result<Frame<T>, Failure>>(1);
        std::thread::scope(|scope| {
            let reading = scope.spawn(move || {
                let read = read_back(file, &chunks, prepare, |frame| sender.send(frame).is_ok());
                if let Err(failure) = read {
                    let _ = sender.send(Err(failure));
                }
            });
            let mut outcome = Ok(());
            for frame in &frames {
                if let Err(failure) = frame.and_then(&mut each) {
                    outcome = Err(failure);
                    break;
                }
            }
            // The reader stops at its next frame once nobody takes it.
            drop(frames);
            if reading.join().is_err() && outcome.is_ok() {
                outcome = Err(failure("the reading of the spool stopped"));
            }
            outcome
        })
    }
}

/// Reads the chunks' parts from `file`, each batch made ready by `prepare`, and hands
/// them to `send` in order until it refuses one.
fn read_back<T>(
    file: File,
    chunks: &[Vec<u64>],
    mut prepare: impl FnMut(RecordBatch) -> Result<T, Failure>,
    mut send: impl FnMut(Result<Frame<T>, Failure>) -> bool,
) -> Result<(), Failure> {
    let mut file = BufReader::with_capacity(1 << 20, file);
    let mut bytes = Vec::new();
    let (mut ready, mut held) = (Vec::new(), 0);
    for parts in chunks {
        for &length in parts {
            bytes.clear();
            (&mut file)
                .take(length)
                .read_to_end(&mut bytes)
                .map_err(failure)?;
            if bytes.len() as u64 != length {
                return Err(failure("the spool ended early"));
            }
            for batch in StreamReader::try_new(&bytes[..], None).map_err(failure)? {
                let batch = batch.map_err(failure)?;
                held += batch.get_array_memory_size();
                ready.push(prepare(batch)?);
                if held >= REPLAYED_AT_ONCE {
                    if !send(Ok(Frame::Batches(std::mem::take(&mut ready)))) {
                        return Ok(());
                    }
                    held = 0;
                }
            }
        }
        if !ready.is_empty() && !send(Ok(Frame::Batches(std::mem::take(&mut ready)))) {
            return Ok(());
        }
        held = 0;
        if !send(Ok(Frame::ChunkEnd)) {
            return Ok(());
        }
    }
    Ok(())
}

/// The lines of a spooled batch's bad rows, in order.
pub fn messages(batch: &RecordBatch) -> impl Iterator<Item = &str> {
    batch
        .column_by_name(MESSAGE)
        .and_then(|column| column.as_string_opt::<i32>())
        .into_iter()
        .flat_map(|messages| messages.iter().flatten())
}
