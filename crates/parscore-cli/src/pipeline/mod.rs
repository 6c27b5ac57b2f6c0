//! `evaluate` at batch scale: the inputs read a chunk at a time (a thread a chunk ahead),
//! each chunk scored by the columnar engine (on every core) and written in input order, in
//! memory that follows the chunk and not the batch. While the pool scores a window of
//! headline figures, this thread puts away what is kept of the window before (see
//! `overlapped`): the stages run side by side instead of each waiting for the other.
//!
//! Ranks within a period need every unit of the period, so a run takes two passes. The
//! first reads and scores every chunk and keeps what ranking needs (a fingerprint of each
//! row's unit and period, its period's number and its index: 16 bytes a row); rows whose
//! fingerprints meet are compared by their text in a reading of their own. Each row's rank
//! then goes into its result on the second pass (4 bytes a row kept for it), in one of two
//! ways:
//!
//! - CSV and JSON lines of the engine's figures (`headline`, `criteria`) are kept on the
//!   first pass, without their ranks, in a temporary file (module `spool`): the figures in
//!   binary, a third of their text (module `spooled`); the second pass renders them with
//!   their ranks on every core while the rows before are written. Reading and scoring the
//!   inputs again would cost several times that.
//! - Parquet of the engine's figures is likewise written on the first pass, as Arrow
//!   record batches without their ranks (module `frames`), and encoded on the second with
//!   its ranks, the spool read back on a thread of its own while the pool encodes.
//! - Everything else (the results document; rows
//!   evaluated in full, tens of kilobytes of text a row; reports for people; and any run
//!   where a unit and period are given twice, whose later rows fail) reads and scores each
//!   chunk again on the second pass, with everything the output carries, and writes it with
//!   its ranks. The first pass then scores for the reported index alone, and rows evaluated
//!   in full are evaluated, written and dropped [`EVALUATED_AT_ONCE`] at a time.
//!
//! A scheme whose `[ranking]` breaks ties of the reported index (by the exact index, by the
//! points of some criteria) has those figures kept too.
//!
//! Every row gets a result, and each result is the one the row-by-row path gives: a row the
//! reader found wrong keeps its place with its error, decided here as
//! [`Run::evaluate`](crate::run::Run::evaluate) decides it; a row of a JSON object, whose
//! cells come in its own order, takes the row-by-row path when it fails, so that its error
//! is the one its order gives.

mod frames;
pub mod keys;
mod progress;
mod sink;
pub mod sources;
mod spool;
mod spooled;
pub mod tally;

use std::collections::HashMap;
use std::io::Write;
use std::ops::Range;

use arrow_array::RecordBatch;
use parscore::{Evaluation, InputError, Options, Scheme, Summary};
use parscore_columnar::{BatchRows, ColumnarOptions, Figures, ScoreBatches};
use rayon::prelude::*;
use serde_json::Value as Json;

use crate::cli::{Decimals, OutputFormat};
use crate::fail::Failure;
use crate::input::Place;
use crate::input::chunk::Chunk;
use crate::output::parquet::Scales;
use crate::output::result_row::{Detail, Outcome, ResultRow};
use crate::output::{Destination, Rendering};
use frames::{Frame, Frames};
use keys::{Keys, Twice};
pub use progress::Progress;
use sink::{Marking, Sink, TextSink};
pub use sources::Sources;
use spool::Spool;
use spooled::Spooled;
use tally::Tally;

/// How a run is scored and written.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub strict: bool,
    pub ignore_unknown: bool,
    /// No bad rows nor the line on criteria without input on standard error.
    pub quiet: bool,
    pub format: OutputFormat,
    pub detail: Detail,
    pub decimals: Decimals,
    /// Beyond this many units the reports for people are summarised.
    pub report_units: usize,
    pub rendering: Rendering,
}

/// How a run went.
#[derive(Debug)]
pub struct Finished {
    pub summary: Summary,
}

/// Scores every row of the sources and writes the results to `destination`: whole, or
/// not at all when the run fails (see [`Destination`]).
pub fn evaluate(
    scheme: &Scheme,
    sources: &mut Sources,
    settings: &Settings,
    records: Option<&Json>,
    destination: Destination,
) -> Result<Finished, Failure> {
    let mut finished = None;
    destination.write_through(|out| {
        finished = Some(evaluate_into(scheme, sources, settings, records, out)?);
        Ok(())
    })?;
    finished.ok_or_else(|| Failure::read("the inputs", "the run ended without its results"))
}

/// Scores every row of the sources and writes the results to `out`.
pub fn evaluate_into(
    scheme: &Scheme,
    sources: &mut Sources,
    settings: &Settings,
    records: Option<&Json>,
    out: &mut dyn Write,
) -> Result<Finished, Failure> {
    let rows = RowScorer {
        scheme,
        options: Options {
            strict: settings.strict,
        },
        ignore_unknown: settings.ignore_unknown,
    };
    let mut progress = Progress::default();
    progress.reading();

    // The first pass: what ranking needs, and what the Parquet output's scales need.
    let mut keys = Keys::new(
        scheme.rounding().places,
        parscore_columnar::TieKeys::of(scheme),
    );
    let sink_kind = sink::Kind::of(settings, None);
    let mut scales = sink_kind.scales(scheme, settings);
    // CSV and JSON lines of the engine's figures are written on this pass, their ranks put
    // in on the next (see `spool`).
    let marking = Marking::of(sink_kind, scheme, settings);
    // A temporary folder that cannot hold the spool costs the second reading, not the run.
    let mut unspooled = None;
    let criteria = settings.detail >= Detail::Criteria;
    let mut spool = match marking.as_ref().map(|_| Spool::new(criteria)) {
        Some(Ok(spool)) => Some(spool),
        Some(Err(error)) => {
            unspooled = Some(error);
            None
        }
        None => None,
    };
    // Parquet of the engine's figures likewise, as Arrow record batches (see `frames`).
    let mut frames = match (sink_kind, settings.detail) {
        (sink::Kind::Parquet, detail) if detail != Detail::Full => {
            let fresh = match settings.decimals {
                Decimals::Exact => Scales::exact(scheme, detail),
                Decimals::Fixed(places) => Scales::fixed(scheme, detail, places),
            };
            match Frames::new(detail, fresh, settings.quiet) {
                Ok(frames) => Some(frames),
                Err(error) => {
                    unspooled = Some(error);
                    None
                }
            }
        }
        _ => None,
    };
    let mut tally = Tally::new(scheme);
    let survey = match &marking {
        Some(_) => sink_kind.mode(settings),
        None if frames.is_some() => sink_kind.mode(settings),
        None => Mode {
            criteria: scales.as_ref().is_some_and(|s| s.wants_criteria()),
            coverage: scales.is_some(),
            evaluate_all: scales.as_ref().is_some_and(|s| s.wants_evaluations()),
        },
    };
    // What is kept of a window once it is scored, on this thread and in the order of the
    // rows: run while the pool scores the next window (see `overlapped`).
    let mut after = |scored: Scored<'_>| -> Result<(), Failure> {
        if let (Some(marking), Some(writing)) = (&marking, &mut spool) {
            let results = scored.results(None);
            tally.add_all(scheme, &results);
            let render = |row: &ResultRow<'_>, out: &mut Vec<u8>| marking.render_unranked(row, out);
            if let Err(error) = writing.push(&results, settings.quiet, render) {
                unspooled = Some(error);
                spool = None;
            }
        }
        // The scales of a chunk spooled are found with it.
        let mut observed = false;
        if let Some(writing) = &mut frames {
            let results = scored.results(None);
            tally.add_all(scheme, &results);
            let found = writing.scales(scheme, &results);
            if let Err(error) = writing.push(scheme, found.clone(), &results) {
                // Figures too wide for Parquet are refused by the second pass, in the
                // file's terms: no warning for them.
                if !matches!(error, Failure::Usage(_)) {
                    unspooled = Some(error);
                }
                frames = None;
            }
            if let Some(scales) = &mut scales {
                scales.widen(&found);
                observed = true;
            }
        }
        for at in 0..scored.len() {
            let row = scored.start + at;
            keys.push(
                scored.chunk.unit(row),
                scored.chunk.period(row),
                scored.index(at),
            );
            if let Some(ties) = keys.ties() {
                scored.push_ties(at, ties);
            }
            if let (Some(scales), false) = (&mut scales, observed) {
                scales.observe(scheme, &scored.outcome(at));
            }
        }
        Ok(())
    };
    let mut first = 0;
    // The window scored last, kept until the next one is being scored: only when a window's
    // figures are small (every criterion's points of a chunk take some 30 MB, and a second
    // one held would take the run at 5M rows over its memory).
    let overlap = !survey.criteria || survey.evaluate_all;
    let mut pending: Option<(Chunk, Unattached)> = None;
    let read = sources.pass(|chunk| {
        for window in survey.windows(chunk.len()) {
            if !overlap {
                after(rows.score(chunk, first, window, None, survey)?)?;
                continue;
            }
            let before = pending.take();
            let scored = overlapped(
                || rows.score(chunk, first, window, None, survey),
                || match before {
                    Some((chunk, scored)) => after(scored.attach(&chunk)),
                    None => Ok(()),
                },
            )?;
            // Its cells are not kept: a chunk of text cells takes tens of megabytes.
            pending = Some((chunk.labels(), scored.detach()));
        }
        first += chunk.len();
        progress.advance(chunk.len());
        Ok(())
    });
    // The last window's, and that of a window whose next one failed to be read.
    if let Some((chunk, scored)) = pending.take() {
        after(scored.attach(&chunk))?;
    }
    read?;
    let total = keys.rows();

    // Units and periods given twice, told by their text.
    let shared = keys.shared();
    let twice = if shared.is_empty() {
        HashMap::new()
    } else {
        let mut twice = Twice::default();
        let mut first = 0;
        sources.pass(|chunk| {
            for row in 0..chunk.len() {
                if let (true, Some(unit)) = (shared.contains(&(first + row)), chunk.unit(row)) {
                    twice.note(first + row, unit, chunk.period(row), chunk.place(row));
                }
            }
            first += chunk.len();
            Ok(())
        })?;
        twice.finish()
    };
    let ranks = keys.ranks(&twice);
    if total == 0 {
        progress.message("warning: the inputs hold no rows");
    }
    if let (Some(error), false) = (&unspooled, settings.quiet) {
        progress.message(&format!(
            "warning: {error}; the inputs are read and scored a second time instead"
        ));
    }
    // Rows given twice fail: what the first pass wrote of them does not stand.
    let spool = spool.filter(|_| twice.is_empty());
    let frames = frames.filter(|_| twice.is_empty());

    // The second pass: each chunk scored again, written with its ranks.
    let kind = sink::Kind::of(settings, Some(total));
    let mode = kind.mode(settings);
    progress.scoring(total);
    let mut sink = Sink::new(kind, scheme, settings, scales)?;
    {
        // Small: the text of a part (larger) goes to the output without a copy here.
        let mut out = std::io::BufWriter::with_capacity(64 << 10, out);
        let write = |e: std::io::Error| Failure::Write {
            target: "the output".into(),
            error: e,
        };
        sink.begin(scheme, &mut out)?;
        if let (Some(spool), Some(marking)) = (spool, &marking) {
            // Parts decoded and rendered on every core while the ones before are written.
            let render = |parts: &[Vec<u8>]| {
                parts
                    .par_iter()
                    .map(|bytes| {
                        let part = Spooled::decode(bytes).ok_or_else(spool::damaged)?;
                        let mut text = Vec::with_capacity(bytes.len() * 4);
                        marking.render_part(&part, &ranks, &mut text)?;
                        let rows = part.len();
                        Ok((text, part.messages, rows))
                    })
                    .collect::<Result<Vec<_>, Failure>>()
            };
            let mut write_parts = |rendered: Rendered, out: &mut dyn Write| {
                for (text, messages, rows) in rendered {
                    out.write_all(&text).map_err(write)?;
                    for (_, message) in &messages {
                        progress.message(message);
                    }
                    progress.advance(rows);
                }
                Ok::<(), Failure>(())
            };
            let mut written: Option<Rendered> = None;
            spool.replay(4 * rayon::current_num_threads(), |parts| {
                let mut made = None;
                let mut wrote = Ok(());
                rayon::in_place_scope(|pool| {
                    pool.spawn(|_| made = Some(render(parts)));
                    if let Some(rendered) = written.take() {
                        wrote = write_parts(rendered, &mut out);
                    }
                });
                wrote?;
                written = made.transpose()?;
                Ok(())
            })?;
            if let Some(rendered) = written {
                write_parts(rendered, &mut out)?;
            }
            sink.end(scheme, &tally, records, &mut out)?;
            out.flush().map_err(write)?;
            drop(progress);
            return Ok(Finished {
                summary: tally.summary(scheme),
            });
        }
        if let (Some(frames), Some(writer)) = (frames, sink.parquet()) {
            // Each batch read back, its lines for standard error taken and its ranks put in
            // on the spool's thread, while the one before is encoded here.
            let layout = writer.layout().clone();
            let mut first = 0;
            let ready = |batch: RecordBatch| {
                let rows = batch.num_rows();
                let messages: Vec<String> = frames::messages(&batch).map(String::from).collect();
                let ranked = ranks
                    .get(first..first + rows)
                    .ok_or_else(|| Failure::read("the spool", "more rows than were scored"))?;
                first += rows;
                Ok((layout.restate(&batch, ranked)?, messages))
            };
            frames.replay(ready, |frame| match frame {
                Frame::Batches(batches) => {
                    let batches: Vec<RecordBatch> = batches
                        .into_iter()
                        .map(|(batch, messages)| {
                            for message in &messages {
                                progress.message(message);
                            }
                            batch
                        })
                        .collect();
                    writer.write_all(&batches)?;
                    progress.advance(batches.iter().map(RecordBatch::num_rows).sum());
                    Ok(())
                }
                Frame::ChunkEnd => writer.written(&mut out),
            })?;
            sink.end(scheme, &tally, records, &mut out)?;
            out.flush().map_err(write)?;
            drop(progress);
            return Ok(Finished {
                summary: tally.summary(scheme),
            });
        }
        // Counted again, with the rows given twice failed.
        tally = Tally::new(scheme);
        let mut first = 0;
        // Rows evaluated in full and written as text: each window is scored and rendered on
        // the pool while the text of the one before is written here.
        if let Some(text) = sink.text().filter(|_| mode.evaluate_all) {
            let mut written: Option<Text> = None;
            // The buffers of the text written two windows before, emptied.
            let mut spare = Vec::new();
            sources.pass(|chunk| {
                for window in mode.windows(chunk.len()) {
                    let mut made = None;
                    let mut wrote = Ok(Vec::new());
                    let buffers = std::mem::take(&mut spare);
                    rayon::in_place_scope(|pool| {
                        pool.spawn(|_| {
                            let scored = rows.score(chunk, first, window, Some(&twice), mode);
                            made = Some(scored.and_then(|scored| {
                                let results = scored.results(Some(&ranks));
                                let quiet = settings.quiet;
                                Text::of(text, scheme, &results, buffers, &mut tally, quiet)
                            }));
                        });
                        if let Some(written) = written.take() {
                            wrote = written.write(text, &mut out, &progress);
                        }
                    });
                    spare = wrote?;
                    written = made.transpose()?;
                }
                first += chunk.len();
                progress.advance(chunk.len());
                Ok(())
            })?;
            if let Some(written) = written {
                written.write(text, &mut out, &progress)?;
            }
        } else {
            sources.pass(|chunk| {
                for window in mode.windows(chunk.len()) {
                    let scored = rows.score(chunk, first, window, Some(&twice), mode)?;
                    let results = scored.results(Some(&ranks));
                    tally.add_all(scheme, &results);
                    for result in &results {
                        if let (false, Some(error)) = (settings.quiet, result.outcome.error()) {
                            progress.message(&sink::bad_row(result, error));
                        }
                    }
                    sink.rows(scheme, &results, &mut out)?;
                    drop(results);
                    sink.keep(scored, &ranks);
                }
                first += chunk.len();
                progress.advance(chunk.len());
                Ok(())
            })?;
        }
        sink.end(scheme, &tally, records, &mut out)?;
        out.flush().map_err(write)?;
    }
    drop(progress);
    Ok(Finished {
        summary: tally.summary(scheme),
    })
}

/// Runs `score` on the pool while `here` runs on this thread: the rows of one window are
/// scored while what is kept of the window before is settled. `here`'s failure comes
/// first, as it would have had the two run one after the other.
fn overlapped<T: Send>(
    score: impl FnOnce() -> Result<T, Failure> + Send,
    here: impl FnOnce() -> Result<(), Failure>,
) -> Result<T, Failure> {
    let mut scored = None;
    let done = rayon::in_place_scope(|pool| {
        pool.spawn(|_| scored = Some(score()));
        here()
    });
    done?;
    // The scope returns once its task has run (a panic in it crosses the scope).
    scored.unwrap_or_else(|| Err(Failure::read("the inputs", "a window was not scored")))
}

/// Rows evaluated in full, written and dropped at a time. A row's full evaluation and its
/// text take tens of kilobytes (some 25 KB of JSON lines, explained): a whole chunk of them
/// would hold gigabytes, where this many keep a pass in some tens of megabytes and still
/// give every core work.
pub const EVALUATED_AT_ONCE: usize = 2048;

/// What a pass needs of each chunk.
#[derive(Debug, Clone, Copy)]
pub struct Mode {
    /// Every criterion's points.
    pub criteria: bool,
    /// Every criterion's status and the criteria without input.
    pub coverage: bool,
    /// The full evaluation of every row scored, instead of the engine's figures.
    pub evaluate_all: bool,
}

impl Mode {
    /// The parts of a chunk of `rows` rows scored and written one after the other: the whole
    /// chunk for the engine's figures (a few hundred bytes a row), at most
    /// [`EVALUATED_AT_ONCE`] rows when each row is evaluated in full.
    pub fn windows(self, rows: usize) -> impl Iterator<Item = Range<usize>> {
        let size = if self.evaluate_all {
            EVALUATED_AT_ONCE
        } else {
            rows.max(1)
        };
        (0..rows)
            .step_by(size)
            .map(move |start| start..(start + size).min(rows))
    }
}

/// How a row ends, before it is written.
pub enum Decided {
    Failed(InputError),
    /// The engine's figures.
    Columns,
    Evaluated(Box<Evaluation>),
}

/// Rows of a chunk scored: the chunk's rows from `start`, one for each of `decided`.
pub struct Scored<'c> {
    chunk: &'c Chunk,
    /// The chunk's first row in the inputs, from 0.
    first: usize,
    /// The chunk's row of the first row scored.
    start: usize,
    figures: Option<Figures>,
    decided: Vec<Decided>,
}

/// Rows scored, apart from the chunk they were scored from (see [`Scored::detach`]).
pub struct Unattached {
    first: usize,
    start: usize,
    figures: Option<Figures>,
    decided: Vec<Decided>,
}

impl Unattached {
    /// The rows as scored from `chunk`, which must be the chunk they were detached from.
    fn attach(self, chunk: &Chunk) -> Scored<'_> {
        Scored {
            chunk,
            first: self.first,
            start: self.start,
            figures: self.figures,
            decided: self.decided,
        }
    }
}

impl<'c> Scored<'c> {
    /// What was scored, to be kept while its chunk is handed on.
    fn detach(self) -> Unattached {
        Unattached {
            first: self.first,
            start: self.start,
            figures: self.figures,
            decided: self.decided,
        }
    }

    fn len(&self) -> usize {
        self.decided.len()
    }

    /// The outcome of the `row`th row scored (of the chunk's row `start + row`).
    fn outcome(&self, row: usize) -> Outcome<'_> {
        match &self.decided[row] {
            Decided::Failed(error) => Outcome::Failed(error),
            Decided::Evaluated(evaluation) => Outcome::Evaluated(evaluation),
            Decided::Columns => match &self.figures {
                Some(figures) => Outcome::Columns { figures, row },
                None => unreachable!("rows are left to the engine only when it scored them"),
            },
        }
    }

    /// A scored row's reported index.
    fn index(&self, row: usize) -> Option<parscore::Decimal> {
        match &self.decided[row] {
            Decided::Failed(_) => None,
            Decided::Evaluated(evaluation) => evaluation.index_rounded(),
            Decided::Columns => self.figures.as_ref().and_then(|f| f.index[row]),
        }
    }

    /// Notes what ranks a row beyond its index.
    fn push_ties(&self, row: usize, ties: &mut parscore_columnar::TieKeys) {
        match (&self.decided[row], &self.figures) {
            (Decided::Evaluated(evaluation), _) => ties.push_evaluation(evaluation),
            (Decided::Columns, Some(figures)) => ties.push_figures(figures, row),
            _ => ties.push_unranked(),
        }
    }

    /// Each row's result, with its rank once `ranks` are known.
    fn results(&self, ranks: Option<&[u32]>) -> Vec<ResultRow<'_>> {
        (0..self.len())
            .map(|at| {
                let outcome = self.outcome(at);
                let row = self.start + at;
                let rank = match (outcome, ranks) {
                    (Outcome::Failed(_), _) | (_, None) => None,
                    (_, Some(ranks)) => Some(ranks[self.first + row] as usize).filter(|&r| r > 0),
                };
                ResultRow {
                    row: self.first + row + 1,
                    place: std::borrow::Cow::Owned(self.chunk.place(row)),
                    unit: self.chunk.unit(row),
                    period: self.chunk.period(row),
                    outcome,
                    rank,
                }
            })
            .collect()
    }
}

/// Spooled parts rendered: each one's text, lines for standard error, and rows.
type Rendered = Vec<(Vec<u8>, Vec<(usize, String)>, usize)>;

/// A window's text, rendered, with the lines of its bad rows for standard error.
struct Text {
    parts: Vec<Vec<u8>>,
    messages: Vec<String>,
}

impl Text {
    /// The rows' text, rendered by `sink` into the buffers `spare` as far as they go, each
    /// row counted in `tally`, with the lines of the bad rows unless `quiet`.
    fn of(
        sink: TextSink<'_, '_>,
        scheme: &Scheme,
        rows: &[ResultRow<'_>],
        spare: Vec<Vec<u8>>,
        tally: &mut Tally,
        quiet: bool,
    ) -> Result<Text, Failure> {
        // Counted on every core: a row evaluated in full finds its headline anew.
        tally.add_all(scheme, rows);
        let mut messages = Vec::new();
        for row in rows {
            if let (false, Some(error)) = (quiet, row.outcome.error()) {
                messages.push(sink::bad_row(row, error));
            }
        }
        let parts = sink.render(rows, spare)?;
        Ok(Text { parts, messages })
    }

    fn write(
        self,
        sink: TextSink<'_, '_>,
        out: &mut impl Write,
        progress: &Progress,
    ) -> Result<Vec<Vec<u8>>, Failure> {
        for message in &self.messages {
            progress.message(message);
        }
        sink.write(self.parts, out)
    }
}

/// Decides each row's result as the row-by-row path decides it.
struct RowScorer<'s> {
    scheme: &'s Scheme,
    options: Options,
    ignore_unknown: bool,
}

/// What settles a row before the engine.
enum Settled {
    Failed(InputError),
    /// The row-by-row reading of its cells decides.
    ByRow,
}

impl RowScorer<'_> {
    /// Scores the rows `rows` of a chunk whose first row is row `first` of the inputs (from
    /// 0); `twice` gives the rows that repeat an earlier row's unit and period, once known.
    /// The engine scores whole chunks: a part of one is only evaluated row by row.
    fn score<'c>(
        &self,
        chunk: &'c Chunk,
        first: usize,
        rows: Range<usize>,
        twice: Option<&HashMap<usize, Place>>,
        mode: Mode,
    ) -> Result<Scored<'c>, Failure> {
        let start = rows.start;
        let settled: Vec<Option<Settled>> = rows
            .clone()
            .map(|row| self.settle(chunk, row, twice.and_then(|t| t.get(&(first + row)))))
            .collect();
        let label = || chunk.places.get(0).file().to_string();
        if mode.evaluate_all {
            let each = match chunk.raw {
                Some(_) => None,
                None => Some(
                    self.batch_rows(&chunk.batch)
                        .map_err(|e| Failure::read(label(), e))?,
                ),
            };
            let decided = settled
                .into_par_iter()
                .enumerate()
                .map(|(at, settled)| match settled {
                    Some(Settled::Failed(error)) => Decided::Failed(error),
                    _ => self.by_row(chunk, start + at, each.as_ref()),
                })
                .collect();
            return Ok(Scored {
                chunk,
                first,
                start,
                figures: None,
                decided,
            });
        }
        let figures = self
            .scheme
            .score_batches(
                std::slice::from_ref(&chunk.batch),
                &ColumnarOptions {
                    strict: self.options.strict,
                    ignore_unknown: true,
                    threads: None,
                    criteria: mode.criteria,
                    coverage: mode.coverage,
                },
            )
            .map_err(|e| Failure::read(label(), e))?;
        let mut errors = figures.errors.iter().peekable();
        let mut decided = Vec::with_capacity(chunk.len());
        for (row, settled) in settled.into_iter().enumerate() {
            let engine_error = match errors.peek() {
                Some((r, _)) if *r == row => errors.next().map(|(_, e)| e),
                _ => None,
            };
            decided.push(match (settled, engine_error) {
                (Some(Settled::Failed(error)), _) => Decided::Failed(error),
                (Some(Settled::ByRow), _) => self.by_row(chunk, row, None),
                // A row in its own order of cells may fail otherwise than in the table's.
                (None, Some(_)) if chunk.raw.is_some() => self.by_row(chunk, row, None),
                (None, Some(error)) => Decided::Failed(error.clone()),
                (None, None) => Decided::Columns,
            });
        }
        debug_assert!(rows == (0..chunk.len()), "the engine scores whole chunks");
        Ok(Scored {
            chunk,
            first,
            start,
            figures: Some(figures),
            decided,
        })
    }

    fn batch_rows<'b>(&'b self, batch: &RecordBatch) -> Result<BatchRows<'b>, InputError> {
        self.scheme.batch_rows(batch, true)
    }

    /// What fails a row before its cells are scored, in the order the row-by-row path
    /// checks it: the reader's problem with it, its unit and period given before, a cell
    /// that holds no value, no unit.
    fn settle(&self, chunk: &Chunk, row: usize, first: Option<&Place>) -> Option<Settled> {
        let number = chunk.numbers[row];
        let flag = chunk.flag(row);
        if let Some(problem) = flag.and_then(|f| f.problem.as_ref()) {
            return Some(Settled::Failed(InputError::Row {
                row: number,
                reason: problem.clone(),
            }));
        }
        if let Some(first) = first {
            return Some(Settled::Failed(InputError::Row {
                row: number,
                reason: format!("same unit and period as the row at {first}"),
            }));
        }
        for (column, reason) in flag.map_or(&[][..], |f| &f.bad_cells[..]) {
            match self.scheme.indicator(column) {
                Some(_) => {
                    return Some(Settled::Failed(InputError::InvalidValue {
                        indicator: column.clone(),
                        reason: reason.clone(),
                    }));
                }
                None if self.ignore_unknown => {}
                None => return Some(Settled::Failed(self.scheme.unknown_indicator(column))),
            }
        }
        if chunk.unit(row).is_none() {
            return Some(Settled::Failed(InputError::Row {
                row: number,
                reason: "no `unit`".into(),
            }));
        }
        flag.filter(|f| f.by_row).map(|_| Settled::ByRow)
    }

    /// A row read and evaluated on its own: from the row as read when the chunk keeps it,
    /// else as the engine reads the chunk's row.
    fn by_row(&self, chunk: &Chunk, row: usize, each: Option<&BatchRows<'_>>) -> Decided {
        let inputs = match (&chunk.raw, each) {
            (Some(raw), _) => self.scheme.inputs_from_row(&raw[row], self.ignore_unknown),
            (None, Some(each)) => each.inputs(row),
            (None, None) => match self.batch_rows(&chunk.batch) {
                Ok(each) => each.inputs(row),
                Err(error) => Err(error),
            },
        };
        match inputs.and_then(|inputs| self.scheme.evaluate(&inputs, &self.options)) {
            Ok(evaluation) => Decided::Evaluated(Box::new(evaluation)),
            Err(error) => Decided::Failed(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::chunk::CHUNK_ROWS;

    #[test]
    fn rows_evaluated_in_full_are_held_a_bounded_part_of_a_chunk_at_a_time() {
        let full = Mode {
            criteria: true,
            coverage: true,
            evaluate_all: true,
        };
        let rows = CHUNK_ROWS + 5;
        let windows: Vec<Range<usize>> = full.windows(rows).collect();
        assert!(windows.iter().all(|w| w.len() <= EVALUATED_AT_ONCE));
        const { assert!(EVALUATED_AT_ONCE * 16 <= CHUNK_ROWS) };
        // Every row once, in order.
        let covered: Vec<usize> = windows.into_iter().flatten().collect();
        assert_eq!(covered, (0..rows).collect::<Vec<_>>());
    }

    #[test]
    fn the_engine_scores_a_chunk_whole() {
        let columns = Mode {
            criteria: true,
            coverage: true,
            evaluate_all: false,
        };
        let windows: Vec<Range<usize>> = columns.windows(CHUNK_ROWS).collect();
        assert_eq!(windows.len(), 1);
        assert_eq!(windows[0], 0..CHUNK_ROWS);
        assert_eq!(columns.windows(0).count(), 0);
    }
}
