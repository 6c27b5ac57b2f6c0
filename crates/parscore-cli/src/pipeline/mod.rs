//! `evaluate` at batch scale: the inputs read a chunk at a time, each chunk scored by the
//! columnar engine (on every core) and written before the next is read, results in input
//! order, in memory that follows the chunk and not the batch.
//!
//! Ranks within a period need every unit of the period, so the inputs are read twice. The
//! first pass scores each chunk for its reported index alone and keeps what ranking needs
//! (a fingerprint of each row's unit and period, its period's number and its index: 16
//! bytes a row); rows whose fingerprints meet are compared by their text in a reading of
//! their own. The second pass reads and scores each chunk again, with everything the output
//! carries, and writes it with its ranks (4 bytes a row). Scoring again costs less than
//! keeping what a second pass would need: a row's figures take from 84 bytes (headline) to
//! some kilobytes (every criterion explained), and the columnar engine scores a million
//! rows in well under a second. A scheme whose `[ranking]` breaks ties of the reported index
//! (by the exact index, by the points of some criteria) has those figures kept too.
//!
//! Every row gets a result, and each result is the one the row-by-row path gives: a row the
//! reader found wrong keeps its place with its error, decided here as
//! [`Run::evaluate`](crate::run::Run::evaluate) decides it; a row of a JSON object, whose
//! cells come in its own order, takes the row-by-row path when it fails, so that its error
//! is the one its order gives.

pub mod keys;
mod progress;
mod sink;
pub mod sources;
pub mod tally;

use std::collections::HashMap;
use std::io::Write;

use arrow_array::RecordBatch;
use parscore::{
    BatchRows, ColumnarOptions, Evaluation, Figures, InputError, Options, Scheme, Summary,
};
use rayon::prelude::*;
use serde_json::Value as Json;

use crate::cli::{Decimals, OutputFormat};
use crate::fail::Failure;
use crate::input::Place;
use crate::input::chunk::Chunk;
use crate::output::result_row::{Detail, Outcome, ResultRow};
use crate::output::{Destination, Rendering};
use crate::run::reason;
use keys::{Keys, Twice};
pub use progress::Progress;
use sink::Sink;
pub use sources::Sources;
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
    let mut keys = Keys::new(scheme.rounding().places, parscore::TieKeys::of(scheme));
    let sink_kind = sink::Kind::of(settings, None);
    let mut scales = sink_kind.scales(scheme, settings);
    let survey = Mode {
        criteria: scales.as_ref().is_some_and(|s| s.wants_criteria()),
        coverage: scales.is_some(),
        evaluate_all: scales.as_ref().is_some_and(|s| s.wants_evaluations()),
    };
    let mut first = 0;
    sources.pass(|chunk| {
        let scored = rows.score(chunk, first, None, survey)?;
        for row in 0..chunk.len() {
            let index = scored.index(row);
            keys.push(chunk.unit(row), chunk.period(row), index);
            if let Some(ties) = keys.ties() {
                scored.push_ties(row, ties);
            }
            if let Some(scales) = &mut scales {
                scales.observe(scheme, &scored.outcome(row));
            }
        }
        first += chunk.len();
        progress.advance(chunk.len());
        Ok(())
    })?;
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

    // The second pass: each chunk scored again, written with its ranks.
    let kind = sink::Kind::of(settings, Some(total));
    let mode = kind.mode(settings);
    progress.scoring(total);
    let mut tally = Tally::new(scheme);
    let mut sink = Sink::new(kind, scheme, settings, scales)?;
    {
        let mut out = std::io::BufWriter::with_capacity(1 << 20, out);
        let write = |e: std::io::Error| Failure::Write {
            target: "the output".into(),
            error: e,
        };
        sink.begin(scheme, &mut out)?;
        let mut first = 0;
        sources.pass(|chunk| {
            let scored = rows.score(chunk, first, Some(&twice), mode)?;
            let results = scored.results(&ranks);
            for result in &results {
                tally.add(scheme, result);
                if let (false, Some(error)) = (settings.quiet, result.outcome.error()) {
                    let unit = result
                        .unit
                        .map(|u| format!(" (unit `{u}`)"))
                        .unwrap_or_default();
                    progress.message(&format!("{}{unit}: {}", result.place, reason(error)));
                }
            }
            sink.rows(scheme, &results, &mut out)?;
            drop(results);
            sink.keep(scored, &ranks);
            first += chunk.len();
            progress.advance(chunk.len());
            Ok(())
        })?;
        sink.end(scheme, &tally, records, &mut out)?;
        out.flush().map_err(write)?;
    }
    drop(progress);
    Ok(Finished {
        summary: tally.summary(scheme),
    })
}

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

/// How a row ends, before it is written.
pub enum Decided {
    Failed(InputError),
    /// The engine's figures.
    Columns,
    Evaluated(Box<Evaluation>),
}

/// A chunk scored.
pub struct Scored<'c> {
    chunk: &'c Chunk,
    /// The chunk's first row in the inputs, from 0.
    first: usize,
    figures: Option<Figures>,
    decided: Vec<Decided>,
}

impl<'c> Scored<'c> {
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
    fn push_ties(&self, row: usize, ties: &mut parscore::TieKeys) {
        match (&self.decided[row], &self.figures) {
            (Decided::Evaluated(evaluation), _) => ties.push_evaluation(evaluation),
            (Decided::Columns, Some(figures)) => ties.push_figures(figures, row),
            _ => ties.push_unranked(),
        }
    }

    /// Each row's result, with its rank.
    fn results(&self, ranks: &[u32]) -> Vec<ResultRow<'_>> {
        (0..self.chunk.len())
            .map(|row| {
                let outcome = self.outcome(row);
                let rank = match outcome {
                    Outcome::Failed(_) => None,
                    _ => Some(ranks[self.first + row] as usize).filter(|&r| r > 0),
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
    /// Scores a chunk whose first row is row `first` of the inputs (from 0); `twice` gives
    /// the rows that repeat an earlier row's unit and period, once known.
    fn score<'c>(
        &self,
        chunk: &'c Chunk,
        first: usize,
        twice: Option<&HashMap<usize, Place>>,
        mode: Mode,
    ) -> Result<Scored<'c>, Failure> {
        let settled: Vec<Option<Settled>> = (0..chunk.len())
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
                .map(|(row, settled)| match settled {
                    Some(Settled::Failed(error)) => Decided::Failed(error),
                    _ => self.by_row(chunk, row, each.as_ref()),
                })
                .collect();
            return Ok(Scored {
                chunk,
                first,
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
        Ok(Scored {
            chunk,
            first,
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
