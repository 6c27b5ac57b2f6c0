//! Batches: many units scored with one compiled scheme, ranked within each period.

use crate::Options;
use crate::error::InputError;
use rust_decimal::Decimal;

use crate::eval::rank::{TieBreak, competition_ranks};
use crate::eval::result::Evaluation;
use crate::input::{Inputs, RawRow};
use crate::scheme::{Scheme, Ties};

/// One input row's result. A bad row keeps its place with its error.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitResult {
    /// 1-based row number: the position in the batch, or the source row of a [`RawRow`].
    pub row: usize,
    /// The unit's name; `None` for a row that failed before its unit was known (or has none).
    pub unit: Option<String>,
    /// The period the row is for (e.g. `2024`); `None` when it gives none. Ranks are
    /// within a period.
    pub period: Option<String>,
    /// The unit's evaluation, or why the row could not be read or scored.
    pub outcome: Result<Evaluation, InputError>,
    /// Competition rank within the period (1, 2, 2, 4), by the reported index.
    pub rank: Option<usize>,
}

/// The results of a batch, one per input row, in input order.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// The scheme that scored every row.
    pub scheme: Scheme,
    /// One result per input row, in input order, bad rows included.
    pub results: Vec<UnitResult>,
}

impl Scheme {
    /// Scores every row; a row that failed to parse, or fails to score, keeps its place with
    /// its error, and the others are scored and ranked.
    ///
    /// ```
    /// use parscore::{Scheme, Options};
    /// let scheme = Scheme::builtin("lang-son-snn-2024")?;
    /// let mut a = scheme.inputs("A", None);
    /// a.set_text("survey_points", "18")?;
    /// let rows = vec![Ok(a), Err(parscore::InputError::UnknownIndicator("x".into()))];
    /// let batch = scheme.evaluate_batch(rows, &Options::default());
    /// assert_eq!(batch.results.len(), 2);
    /// assert_eq!(batch.results[0].rank, Some(1));
    /// assert!(batch.results[1].outcome.is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn evaluate_batch(
        &self,
        rows: impl IntoIterator<Item = Result<Inputs, InputError>>,
        options: &Options,
    ) -> Batch {
        let results = rows
            .into_iter()
            .enumerate()
            .map(|(i, row)| {
                let (unit, period) = match &row {
                    Ok(inputs) => (Some(inputs.unit.clone()), inputs.period.clone()),
                    Err(_) => (None, None),
                };
                UnitResult {
                    row: i + 1,
                    unit,
                    period,
                    outcome: row.and_then(|inputs| self.evaluate(&inputs, options)),
                    rank: None,
                }
            })
            .collect();
        let mut batch = Batch {
            scheme: self.clone(),
            results,
        };
        batch.rank();
        batch
    }
}

impl Scheme {
    /// Scores rows of cells as read from a file (see [`Scheme::inputs_from_row`]): a row
    /// that cannot be read keeps its unit, period and row number with its error. Columns that
    /// are not indicators of the scheme fail their row unless `ignore_unknown`.
    ///
    /// ```
    /// use parscore::{Options, Scheme, rows_from_json};
    /// let scheme = Scheme::builtin("lang-son-snn-2024")?;
    /// let rows = rows_from_json(r#"
    ///     {"unit": "Sở A", "period": "2024", "dossiers_on_time": 990, "dossiers_resolved": 1000}
    ///     {"unit": "Sở B", "period": "2024", "dossiers_on_time": "x"}
    ///     {"unit": "Sở C", "period": "2024", "note": "checked"}
    /// "#)?;
    /// let batch = scheme.evaluate_rows(&rows, false, &Options::default());
    /// assert!(batch.results[0].outcome.is_ok());
    /// assert_eq!(batch.results[1].unit.as_deref(), Some("Sở B")); // kept with its error
    /// assert!(batch.results[1].outcome.is_err());
    /// assert!(batch.results[2].outcome.is_err()); // `note` is not an indicator…
    /// let lenient = scheme.evaluate_rows(&rows, true, &Options::default());
    /// assert!(lenient.results[2].outcome.is_ok()); // …unless unknown columns are ignored
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn evaluate_rows<'r>(
        &self,
        rows: impl IntoIterator<Item = &'r RawRow>,
        ignore_unknown: bool,
        options: &Options,
    ) -> Batch {
        let rows: Vec<&RawRow> = rows.into_iter().collect();
        let inputs = rows
            .iter()
            .map(|row| self.inputs_from_row(row, ignore_unknown));
        let mut batch = self.evaluate_batch(inputs, options);
        for (result, row) in batch.results.iter_mut().zip(&rows) {
            result.row = row.row;
            if result.unit.is_none() {
                result.unit = row.unit.clone().filter(|u| !u.trim().is_empty());
                result.period = row.period.clone();
            }
        }
        batch
    }
}

impl Batch {
    /// Competition ranking by reported index within each period: ties share a rank and the
    /// next rank skips (1, 2, 2, 4). The scheme's `[ranking]` may order units of equal
    /// reported index by their exact index and by the points of its tie-break nodes; only
    /// units equal by all of them share a rank. Units without an index are not ranked.
    fn rank(&mut self) {
        // Every reported index carries the scheme's places: its mantissa orders it.
        let indices: Vec<Option<i128>> = self
            .results
            .iter()
            .map(|r| Some(r.outcome.as_ref().ok()?.index_rounded()?.mantissa()))
            .collect();
        let scheme = &self.scheme;
        let evaluations = || self.results.iter().map(|r| r.outcome.as_ref().ok());
        let (mut points, mut max_points, mut keys) = (Vec::new(), Vec::new(), Vec::new());
        if TieBreak::needed(scheme) {
            for evaluation in evaluations() {
                points.push(evaluation.map_or(Decimal::ZERO, Evaluation::points));
                max_points.push(evaluation.map_or(Decimal::ONE, Evaluation::max_points));
                keys.extend(
                    scheme
                        .0
                        .tie_break
                        .iter()
                        .map(|&node| evaluation.map_or(Decimal::ZERO, |e| e.outcomes[node].points)),
                );
            }
        }
        let tie = TieBreak {
            exact: scheme.0.ties == Ties::Exact,
            points: &points,
            max_points: &max_points,
            keys: &keys,
            width: scheme.0.tie_break.len(),
        };
        let periods = self.results.iter().zip(&indices);
        let ranks = competition_ranks(
            periods.map(|(r, index)| index.map(|_| r.period.as_deref())),
            |row| indices[row].unwrap_or_default(),
            TieBreak::needed(scheme).then_some(&tie),
        );
        for (result, rank) in self.results.iter_mut().zip(ranks) {
            result.rank = rank;
        }
    }

    /// How many rows were scored.
    pub fn ok_count(&self) -> usize {
        self.results.iter().filter(|r| r.outcome.is_ok()).count()
    }

    /// How many rows failed with an error.
    pub fn error_count(&self) -> usize {
        self.results.len() - self.ok_count()
    }
}
