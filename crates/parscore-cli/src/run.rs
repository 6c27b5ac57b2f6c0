//! Scoring the rows read from the inputs: one result per row, in input order, with the place
//! each row came from.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::io::IsTerminal;

use std::borrow::Cow;

use parscore::{Batch, InputError, Inputs, Options, Report, Scheme};
use serde_json::{Map, Value as Json};

use crate::input::{Place, SourceRow};
use crate::output::result_row::{Outcome, ResultRow};

/// Rows at or above this count show a progress bar, when standard error is a terminal.
const PROGRESS_FROM_ROWS: usize = 2_000;

/// How rows become inputs.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions {
    pub strict: bool,
    pub ignore_unknown: bool,
}

/// A scored batch and where each of its rows came from.
#[derive(Debug)]
pub struct Run {
    pub batch: Batch,
    /// The place of each result, by position.
    pub places: Vec<Place>,
    /// What the dossier records gave (`evaluate --records`): files, counts, bad records.
    pub records: Option<Json>,
}

impl Run {
    /// Scores every row. A row that cannot be read, or repeats an earlier row's unit and
    /// period, becomes an error result; the others are scored and ranked.
    pub fn evaluate(scheme: &Scheme, rows: Vec<SourceRow>, options: RunOptions) -> Run {
        let progress = progress_bar(rows.len());
        let mut first_seen: HashMap<(String, Option<String>), Place> = HashMap::new();
        // Lazy, so that the core scores each row as it is pulled and the bar moves with both.
        let inputs = rows.iter().map(|row| {
            if let Some(bar) = &progress {
                bar.inc(1);
            }
            inputs_of(scheme, row, options, &mut first_seen)
        });
        let mut batch = scheme.evaluate_batch(
            inputs,
            &Options {
                strict: options.strict,
            },
        );
        if let Some(bar) = progress {
            bar.finish_and_clear();
        }
        // The core cannot know whose a row was when it failed before becoming inputs; the
        // reader does, and the result should say it.
        for (result, row) in batch.results.iter_mut().zip(&rows) {
            if result.unit.is_none() {
                result.unit = row.raw.unit.clone().filter(|u| !u.trim().is_empty());
                result.period = row.raw.period.clone();
            }
        }
        Run {
            batch,
            places: rows.into_iter().map(|row| row.place).collect(),
            records: None,
        }
    }

    /// Each row that failed, by position, with where it is, whose it is and why, as a person
    /// reads it: ``units.csv:4 (unit `Sở A`): indicator `x`: …``.
    pub fn errors(&self) -> impl Iterator<Item = (usize, String)> + '_ {
        self.batch
            .results
            .iter()
            .zip(&self.places)
            .enumerate()
            .filter_map(|(i, (result, place))| {
                let error = result.outcome.as_ref().err()?;
                let unit = result
                    .unit
                    .as_deref()
                    .map(|u| format!(" (unit `{u}`)"))
                    .unwrap_or_default();
                Some((i, format!("{place}{unit}: {}", reason(error))))
            })
    }

    /// Each result as the outputs write it.
    pub fn rows(&self) -> Vec<ResultRow<'_>> {
        self.batch
            .results
            .iter()
            .zip(&self.places)
            .map(|(result, place)| ResultRow {
                row: result.row,
                place: Cow::Borrowed(place),
                unit: result.unit.as_deref(),
                period: result.period.as_deref(),
                outcome: match &result.outcome {
                    Ok(evaluation) => Outcome::Evaluated(evaluation),
                    Err(error) => Outcome::Failed(error),
                },
                rank: result.rank,
            })
            .collect()
    }

    /// The results document: the core's, each result with its `source`, and what the
    /// dossier records gave, if any; written a result at a time.
    pub fn write_document(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        use crate::output::json::DocumentWriter;
        use crate::output::result_row::Detail;
        let scheme = &self.batch.scheme;
        let mut buffer = Vec::new();
        let mut document = DocumentWriter::begin(scheme, Detail::Full, &mut buffer)?;
        for rows in self.rows().chunks(256) {
            document.rows(scheme, rows, &mut buffer)?;
            out.write_all(&buffer)?;
            buffer.clear();
        }
        let summary = self.batch.report().summary_json();
        document.end(&summary, self.records.as_ref(), &mut buffer)?;
        out.write_all(&buffer)?;
        out.flush()
    }

    /// One entry of the results document: the core's, with its `source` (file and line,
    /// object or sheet row) after its `row`.
    pub fn result_json(&self, i: usize) -> Json {
        let mut result = Report::result_json(&self.batch.results[i]);
        if let Json::Object(fields) = &mut result {
            let mut with_source = Map::new();
            for (key, value) in std::mem::take(fields) {
                let after_row = key == "row";
                with_source.insert(key, value);
                if after_row {
                    with_source.insert("source".into(), self.places[i].to_json());
                }
            }
            *fields = with_source;
        }
        result
    }
}

/// An input error without the row number the place already gives.
pub fn reason(error: &InputError) -> String {
    match error {
        InputError::Row { reason, .. } => reason.clone(),
        other => other.to_string(),
    }
}

fn inputs_of(
    scheme: &Scheme,
    row: &SourceRow,
    options: RunOptions,
    first_seen: &mut HashMap<(String, Option<String>), Place>,
) -> Result<Inputs, InputError> {
    let raw = &row.raw;
    // Every row with a unit claims its unit and period, even a bad one: a second row for the
    // same unit is a mistake whichever of the two is broken.
    let first = raw
        .unit
        .as_deref()
        .map(str::trim)
        .filter(|unit| !unit.is_empty())
        .and_then(|unit| {
            let key = (unit.to_string(), raw.period.clone());
            match first_seen.entry(key) {
                Entry::Occupied(entry) => Some(entry.get().clone()),
                Entry::Vacant(entry) => {
                    entry.insert(row.place.clone());
                    None
                }
            }
        });
    if let Some(reason) = &row.problem {
        return Err(InputError::Row {
            row: raw.row,
            reason: reason.clone(),
        });
    }
    if let Some(first) = first {
        return Err(InputError::Row {
            row: raw.row,
            reason: format!("same unit and period as the row at {first}"),
        });
    }
    for (column, reason) in &row.bad_cells {
        match scheme.indicator(column) {
            Some(_) => {
                return Err(InputError::InvalidValue {
                    indicator: column.clone(),
                    reason: reason.clone(),
                });
            }
            None if options.ignore_unknown => {}
            None => return Err(scheme.unknown_indicator(column)),
        }
    }
    scheme.inputs_from_row(raw, options.ignore_unknown)
}

fn progress_bar(rows: usize) -> Option<indicatif::ProgressBar> {
    if rows < PROGRESS_FROM_ROWS || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(rows as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{msg} {wide_bar} {pos}/{len} rows, {eta} left")
    {
        bar.set_style(style);
    }
    bar.set_message("scoring");
    Some(bar)
}
