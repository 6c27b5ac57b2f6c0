//! Where a streamed run's results go, chunk by chunk: the machine formats written as they
//! come (rendered on every core, written in order), the reports for people gathered — every
//! unit's full evaluation for a batch small enough to show unit by unit, a summary for a
//! larger one.

use std::io::Write;

use parscore::{Batch, Scheme, UnitResult};
use rayon::prelude::*;
use serde_json::Value as Json;

use super::spooled::{self, Spooled};
use super::tally::{Tally, summary_json};
use super::{Decided, Mode, Scored, Settings};
use crate::cli::{Decimals, OutputFormat};
use crate::fail::Failure;
use crate::input::Place;
use crate::output::csv::CsvWriter;
use crate::output::json::{DocumentWriter, LinesWriter};
use crate::output::parquet::{ParquetWriter, Scales};
use crate::output::result_row::{Detail, ResultRow};
use crate::output::summary::BatchSummary;
use crate::output::{self, Rendering};
use crate::run::Run;

/// Rows rendered by one task.
const RENDERED_AT_ONCE: usize = 1024;
/// Rows whose text is held before it is written: enough parts for every core, few enough
/// that a chunk's text (up to a megabyte a row explained) is never held whole.
pub const WRITTEN_AT_ONCE: usize = 8 * RENDERED_AT_ONCE;

/// What becomes of the results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Csv,
    Lines,
    Document,
    Parquet,
    /// A report for people that shows every unit (few enough of them).
    Report,
    /// A report for people that summarises the batch.
    Summary,
}

impl Kind {
    /// The kind for the format; a report's, once the number of rows is known.
    pub fn of(settings: &Settings, rows: Option<usize>) -> Kind {
        match settings.format {
            OutputFormat::Csv => Kind::Csv,
            OutputFormat::Jsonl => Kind::Lines,
            OutputFormat::Json => Kind::Document,
            OutputFormat::Parquet => Kind::Parquet,
            OutputFormat::Table | OutputFormat::Md | OutputFormat::Html | OutputFormat::Xlsx => {
                match rows {
                    Some(rows) if rows > settings.report_units => Kind::Summary,
                    _ => Kind::Report,
                }
            }
        }
    }

    /// What the second pass needs of each chunk.
    pub fn mode(self, settings: &Settings) -> Mode {
        let detail = |detail: Detail| Mode {
            criteria: detail >= Detail::Criteria,
            coverage: true,
            evaluate_all: detail == Detail::Full,
        };
        match self {
            Kind::Csv | Kind::Lines | Kind::Document | Kind::Parquet => detail(settings.detail),
            Kind::Report => detail(Detail::Full),
            Kind::Summary => detail(Detail::Criteria),
        }
    }

    /// The scales the first pass finds, when the output's columns need them before any row
    /// is written (exact decimals in Parquet).
    pub fn scales(self, scheme: &Scheme, settings: &Settings) -> Option<Scales> {
        (self == Kind::Parquet && settings.decimals == Decimals::Exact)
            .then(|| Scales::exact(scheme, settings.detail))
    }
}

/// The rows of a CSV or JSON-lines output of the engine's figures, written before their
/// ranks are known, with where each rank goes (see [`super::spool`]).
pub enum Marking<'s> {
    Csv(CsvWriter<'s>),
    Lines(LinesWriter<'s>),
}

impl<'s> Marking<'s> {
    /// The marking for the output, when its rows can be written on the first pass: CSV
    /// (not shown on a terminal, whose escapes move the text) and JSON lines, below `full`
    /// (whose rows are evaluated in full once, on the second pass).
    pub fn of(kind: Kind, scheme: &'s Scheme, settings: &Settings) -> Option<Marking<'s>> {
        match (kind, settings.detail) {
            (_, Detail::Full) => None,
            (Kind::Csv, detail) if !settings.rendering.terminal => {
                Some(Marking::Csv(CsvWriter::new(scheme, detail)))
            }
            (Kind::Lines, detail) => Some(Marking::Lines(LinesWriter::new(scheme, detail))),
            _ => None,
        }
    }

    /// What a row without a rank holds where its rank goes.
    pub fn unranked(&self) -> &'static [u8] {
        match self {
            Marking::Csv(_) => b"",
            Marking::Lines(_) => b"null",
        }
    }

    /// Renders a row without its rank after what `out` holds; where its rank goes, when it
    /// has one.
    pub fn render_unranked(&self, row: &ResultRow<'_>, out: &mut Vec<u8>) -> Option<usize> {
        let mut marks = Vec::with_capacity(1);
        match self {
            // Never fails: a CSV record is written into memory.
            Marking::Csv(writer) => writer
                .rows_marked(std::slice::from_ref(row), out, &mut marks)
                .ok()?,
            Marking::Lines(writer) => {
                writer.rows_marked(std::slice::from_ref(row), out, &mut marks)
            }
        }
        marks.first().and_then(|&(_, at)| at)
    }

    /// Renders a spooled part with its ranks (`ranks` by the inputs' row, from 0; 0 for
    /// none) after what `out` holds.
    pub fn render_part(
        &self,
        part: &Spooled,
        ranks: &[u32],
        out: &mut Vec<u8>,
    ) -> Result<(), Failure> {
        match self {
            Marking::Csv(writer) => {
                // Every criterion field of the part, made once for it.
                let coded = part.coded();
                match writer.part_fields(&coded, part.figures()) {
                    Some(fields) => self.render_runs(part, ranks, out, |run, out| {
                        writer.rows_of_part(run, &fields, out)
                    }),
                    None => self.render_runs(part, ranks, out, |run, out| writer.rows(run, out)),
                }
            }
            Marking::Lines(writer) => self.render_runs(part, ranks, out, |run, out| {
                writer.rows(run, out);
                Ok(())
            }),
        }
    }

    /// [`Marking::render_part`], each run of rows of the engine's figures written by
    /// `rows`, and the rows rendered on the first pass given their rank.
    fn render_runs(
        &self,
        part: &Spooled,
        ranks: &[u32],
        out: &mut Vec<u8>,
        rows: impl Fn(&[ResultRow<'_>], &mut Vec<u8>) -> Result<(), Failure>,
    ) -> Result<(), Failure> {
        let first = part.first_row().saturating_sub(1);
        let rank = |at: usize| {
            ranks
                .get(first + at)
                .map(|&r| r as usize)
                .filter(|&r| r > 0)
        };
        let mut run = Vec::with_capacity(part.len());
        for (at, row) in part.rows(rank).enumerate() {
            match row {
                spooled::Row::Result(row) => run.push(row),
                spooled::Row::Text(text, rank_at) => {
                    rows(&run, out)?;
                    run.clear();
                    match (rank_at, rank(at)) {
                        (Some(rank_at), Some(rank))
                            if rank_at + self.unranked().len() <= text.len() =>
                        {
                            out.extend_from_slice(&text[..rank_at]);
                            write_usize(out, rank);
                            out.extend_from_slice(&text[rank_at + self.unranked().len()..]);
                        }
                        _ => out.extend_from_slice(text),
                    }
                }
            }
        }
        rows(&run, out)
    }
}

fn write_usize(out: &mut Vec<u8>, n: usize) {
    crate::output::result_row::write_scaled(out, n as i128, 0);
}

/// The line a bad row puts on standard error.
pub fn bad_row(row: &ResultRow<'_>, error: &parscore::InputError) -> String {
    let unit = row
        .unit
        .map(|u| format!(" (unit `{u}`)"))
        .unwrap_or_default();
    format!("{}{unit}: {}", row.place, crate::run::reason(error))
}

/// A sink that writes text as it comes: what renders it on the pool, apart from where it
/// is written.
#[derive(Clone, Copy)]
pub enum TextSink<'a, 's> {
    Csv {
        writer: &'a CsvWriter<'s>,
        terminal: bool,
    },
    Lines(&'a LinesWriter<'s>),
}

impl TextSink<'_, '_> {
    /// The rows' text, rendered on every core, a part at a time, in order, into the buffers
    /// `spare` (text written before) as far as they go. Give at most [`WRITTEN_AT_ONCE`] rows
    /// at a time.
    pub fn render(
        self,
        rows: &[ResultRow<'_>],
        spare: Vec<Vec<u8>>,
    ) -> Result<Vec<Vec<u8>>, Failure> {
        match self {
            TextSink::Csv { writer, .. } => {
                rendered(rows, spare, |part, buffer| writer.rows(part, buffer))
            }
            TextSink::Lines(writer) => rendered(rows, spare, |part, buffer| {
                writer.rows(part, buffer);
                Ok(())
            }),
        }
    }

    /// Writes text of [`TextSink::render`], and gives back its buffers, emptied.
    pub fn write(
        self,
        mut text: Vec<Vec<u8>>,
        out: &mut impl Write,
    ) -> Result<Vec<Vec<u8>>, Failure> {
        for part in &mut text {
            if let TextSink::Csv { terminal: true, .. } = self {
                out.write_all(&output::for_terminal(part))
                    .map_err(write_failure)?;
            } else {
                out.write_all(part).map_err(write_failure)?;
            }
            part.clear();
        }
        Ok(text)
    }
}

pub enum Sink<'s> {
    Csv {
        writer: CsvWriter<'s>,
        terminal: bool,
    },
    Lines(LinesWriter<'s>),
    Document {
        writer: Option<DocumentWriter>,
        detail: Detail,
    },
    Parquet(Box<ParquetWriter>),
    Report {
        results: Vec<UnitResult>,
        places: Vec<Place>,
        format: OutputFormat,
        rendering: Rendering,
    },
    Summary {
        summary: Box<BatchSummary>,
        format: OutputFormat,
        rendering: Rendering,
        report_units: usize,
    },
}

fn write_failure(error: std::io::Error) -> Failure {
    Failure::Write {
        target: "the output".into(),
        error,
    }
}

impl<'s> Sink<'s> {
    pub fn new(
        kind: Kind,
        scheme: &'s Scheme,
        settings: &Settings,
        scales: Option<Scales>,
    ) -> Result<Sink<'s>, Failure> {
        Ok(match kind {
            Kind::Csv => Sink::Csv {
                writer: CsvWriter::new(scheme, settings.detail),
                terminal: settings.rendering.terminal,
            },
            Kind::Lines => Sink::Lines(LinesWriter::new(scheme, settings.detail)),
            Kind::Document => Sink::Document {
                writer: None,
                detail: settings.detail,
            },
            Kind::Parquet => {
                let scales = match (scales, settings.decimals) {
                    (Some(scales), _) => scales,
                    (None, Decimals::Fixed(places)) => {
                        Scales::fixed(scheme, settings.detail, places)
                    }
                    (None, Decimals::Exact) => Scales::exact(scheme, settings.detail),
                };
                Sink::Parquet(Box::new(ParquetWriter::new(
                    scheme,
                    settings.detail,
                    scales,
                )?))
            }
            Kind::Report => Sink::Report {
                results: Vec::new(),
                places: Vec::new(),
                format: settings.format,
                rendering: settings.rendering,
            },
            Kind::Summary => Sink::Summary {
                summary: Box::new(BatchSummary::new(scheme)),
                format: settings.format,
                rendering: settings.rendering,
                report_units: settings.report_units,
            },
        })
    }

    pub fn begin(&mut self, scheme: &Scheme, out: &mut impl Write) -> Result<(), Failure> {
        match self {
            Sink::Csv { writer, terminal } => {
                let mut header = Vec::new();
                writer.header(&mut header)?;
                write_text(out, header, *terminal)
            }
            Sink::Document { writer, detail } => {
                let mut buffer = Vec::new();
                *writer = Some(
                    DocumentWriter::begin(scheme, *detail, &mut buffer).map_err(write_failure)?,
                );
                out.write_all(&buffer).map_err(write_failure)
            }
            _ => Ok(()),
        }
    }

    /// Writes (or gathers) a chunk's results.
    pub fn rows(
        &mut self,
        scheme: &Scheme,
        rows: &[ResultRow<'_>],
        out: &mut impl Write,
    ) -> Result<(), Failure> {
        match self {
            Sink::Csv { .. } | Sink::Lines(_) => {
                if let Some(text) = self.text() {
                    for rows in rows.chunks(WRITTEN_AT_ONCE) {
                        text.write(text.render(rows, Vec::new())?, out)?;
                    }
                }
                Ok(())
            }
            Sink::Document {
                writer: Some(writer),
                ..
            } => {
                let mut buffer = Vec::new();
                for part in rows.chunks(RENDERED_AT_ONCE) {
                    writer
                        .rows(scheme, part, &mut buffer)
                        .map_err(write_failure)?;
                    out.write_all(&buffer).map_err(write_failure)?;
                    buffer.clear();
                }
                Ok(())
            }
            Sink::Parquet(writer) => writer.rows(scheme, rows, out),
            Sink::Summary { summary, .. } => {
                for row in rows {
                    summary.add(scheme, row);
                }
                Ok(())
            }
            Sink::Document { writer: None, .. } | Sink::Report { .. } => Ok(()),
        }
    }

    /// How the sink writes text as it comes (CSV, JSON lines); `None` for the others.
    pub fn text(&self) -> Option<TextSink<'_, 's>> {
        match self {
            Sink::Csv { writer, terminal } => Some(TextSink::Csv {
                writer,
                terminal: *terminal,
            }),
            Sink::Lines(writer) => Some(TextSink::Lines(writer)),
            _ => None,
        }
    }

    /// The Parquet writer, for results spooled as its columns (see `frames`).
    pub fn parquet(&mut self) -> Option<&mut ParquetWriter> {
        match self {
            Sink::Parquet(writer) => Some(writer.as_mut()),
            _ => None,
        }
    }

    /// Keeps what a report that shows every unit needs of a scored chunk.
    pub fn keep(&mut self, scored: Scored<'_>, ranks: &[u32]) {
        let Sink::Report {
            results, places, ..
        } = self
        else {
            return;
        };
        let chunk = scored.chunk;
        for (at, decided) in scored.decided.into_iter().enumerate() {
            let row = scored.start + at;
            let ordinal = scored.first + row;
            let (outcome, rank) = match decided {
                Decided::Failed(error) => (Err(error), None),
                Decided::Evaluated(evaluation) => (
                    Ok(*evaluation),
                    Some(ranks[ordinal] as usize).filter(|&r| r > 0),
                ),
                // A report that shows every unit scores every row in full.
                Decided::Columns => continue,
            };
            results.push(UnitResult {
                row: ordinal + 1,
                unit: chunk.unit(row).map(str::to_string),
                period: chunk.period(row).map(str::to_string),
                outcome,
                rank,
            });
            places.push(chunk.place(row));
        }
    }

    /// Ends the output: the document's summary, the Parquet footer, or the report.
    pub fn end(
        self,
        scheme: &Scheme,
        tally: &Tally,
        records: Option<&Json>,
        out: &mut impl Write,
    ) -> Result<(), Failure> {
        match self {
            Sink::Document {
                writer: Some(writer),
                ..
            } => {
                let mut buffer = Vec::new();
                writer
                    .end(&summary_json(&tally.summary(scheme)), records, &mut buffer)
                    .map_err(write_failure)?;
                out.write_all(&buffer).map_err(write_failure)
            }
            Sink::Parquet(writer) => writer.finish(out),
            Sink::Report {
                results,
                places,
                format,
                rendering,
            } => {
                let run = Run {
                    batch: Batch {
                        scheme: scheme.clone(),
                        results,
                    },
                    places,
                    records: records.cloned(),
                };
                let bytes = output::render(&run, format, rendering)?;
                write_text(
                    out,
                    bytes,
                    rendering.terminal && format == OutputFormat::Csv,
                )
            }
            Sink::Summary {
                summary,
                format,
                rendering,
                report_units,
            } => {
                let bytes = summary.render(scheme, tally, format, rendering, report_units)?;
                out.write_all(&bytes).map_err(write_failure)
            }
            Sink::Csv { .. } | Sink::Lines(_) | Sink::Document { writer: None, .. } => Ok(()),
        }
    }
}

/// The rows rendered by `render` on every core, a part at a time, in order: parts of at most
/// [`RENDERED_AT_ONCE`] rows, and several for each core, so that the cores finish together
/// when the rows are few (a window of rows explained, tens of kilobytes of text each).
///
/// The buffers of `spare` are written into first: text of tens of megabytes in new memory
/// costs the kernel as much as the rendering does, for its pages to be found and cleared.
fn rendered(
    rows: &[ResultRow<'_>],
    mut spare: Vec<Vec<u8>>,
    render: impl Fn(&[ResultRow<'_>], &mut Vec<u8>) -> Result<(), Failure> + Sync,
) -> Result<Vec<Vec<u8>>, Failure> {
    let part = rows
        .len()
        .div_ceil(4 * rayon::current_num_threads())
        .clamp(1, RENDERED_AT_ONCE);
    spare.resize_with(rows.len().div_ceil(part), Vec::new);
    rows.par_chunks(part)
        .zip(spare)
        .map(|(part, mut buffer)| {
            buffer.clear();
            buffer.reserve(part.len() * 256);
            render(part, &mut buffer)?;
            Ok(buffer)
        })
        .collect()
}

/// Text written as it is, or for a terminal with its control characters shown.
fn write_text(out: &mut impl Write, bytes: Vec<u8>, terminal: bool) -> Result<(), Failure> {
    let bytes = if terminal {
        output::for_terminal(&bytes).into_owned()
    } else {
        bytes
    };
    out.write_all(&bytes).map_err(write_failure)
}
