//! Two sides of results matched unit by unit.

use std::collections::HashMap;

use parscore::{Batch, Decimal, Evaluation, Scheme, UnitResult};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::appraisal::{Lowered, lowered};
use crate::criterion::Change;
use crate::text::unit_key;
use crate::unit::{AreaOf, SideOf, UnitChange};

/// What the two sides are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Two periods (last year and this year, two quarters).
    Periods,
    /// Two rounds of one period: self-assessment (tự đánh giá) and appraisal (thẩm định),
    /// or two rounds of appraisal. Adds the appraisal list.
    Rounds,
}

/// The names of the two sides, as reports head their columns (`Tự đánh giá`, `Thẩm định`;
/// `2024`, `2025`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Labels {
    /// The side before.
    pub before: String,
    /// The side after.
    pub after: String,
}

impl Labels {
    /// Labels of the two sides.
    pub fn new(before: impl Into<String>, after: impl Into<String>) -> Labels {
        Labels {
            before: before.into(),
            after: after.into(),
        }
    }
}

impl Default for Labels {
    fn default() -> Labels {
        Labels::new("before", "after")
    }
}

/// How to compare.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CompareOptions {
    /// The names of the sides.
    pub labels: Labels,
    /// What the sides are; `None` tells it from the periods: rounds when every unit on both
    /// sides has the same period on each, periods otherwise.
    pub kind: Option<Kind>,
}

/// Which scheme scored both sides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemeInfo {
    /// The scheme's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its version.
    pub version: String,
    /// Whether its points are an estimate rather than an official methodology.
    pub estimated: bool,
}

/// Counts and means over the comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareSummary {
    /// Units listed.
    pub units: usize,
    /// Units on both sides.
    pub both: usize,
    /// Units on the side before only.
    pub before_only: usize,
    /// Units on the side after only.
    pub after_only: usize,
    /// Rows that failed, on either side (also those without a unit, which are not listed).
    pub errors: usize,
    /// Units scored on both sides whose reported index rose.
    pub up: usize,
    /// Units scored on both sides whose reported index fell.
    pub down: usize,
    /// Units scored on both sides whose reported index did not move.
    pub same: usize,
    /// The mean index before of the units scored on both sides, rounded as the scheme
    /// reports.
    pub mean_index_before: Option<Decimal>,
    /// The mean index after of the same units.
    pub mean_index_after: Option<Decimal>,
    /// `mean_index_after − mean_index_before`.
    pub mean_delta: Option<Decimal>,
    /// Criteria of the units scored on both sides, by change.
    pub changes: ChangeCounts,
}

/// How many criteria changed each way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ChangeCounts {
    /// Targets met before and missed after.
    pub newly_failed: usize,
    /// Targets missed before and met after.
    pub newly_passed: usize,
    /// Fewer points, no verdict turned.
    pub down: usize,
    /// More points, no verdict turned.
    pub up: usize,
    /// Nothing moved.
    pub same: usize,
}

/// Two sides of results, unit by unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The scheme both sides were scored with.
    pub scheme: SchemeInfo,
    /// Periods or rounds.
    pub kind: Kind,
    /// The names of the sides.
    pub labels: Labels,
    /// One entry per unit, in the order the side before lists them, then the units of the
    /// side after only.
    pub units: Vec<UnitChange>,
    /// Between rounds: every criterion the second round lowered (or found missed), unit by
    /// unit, the largest reduction first; `None` between periods.
    pub appraisal: Option<Vec<Lowered>>,
    /// Counts and means.
    pub summary: CompareSummary,
}

/// Why two sides cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum CompareError {
    /// The sides were scored with different schemes.
    #[error(
        "the two sides were scored with different schemes (`{before}` and `{after}`): \
         compare evaluations of one scheme"
    )]
    SchemeMismatch {
        /// The scheme of the side before.
        before: String,
        /// The scheme of the side after.
        after: String,
    },
    /// A side holds a unit in several periods: which one to compare is not known.
    #[error(
        "`{side}` holds `{unit}` in {} periods ({}): compare one period of each side",
        periods.len(),
        periods.join(", ")
    )]
    Repeated {
        /// The label of the side.
        side: String,
        /// The unit.
        unit: String,
        /// Its periods on that side (`""` for a row without one).
        periods: Vec<String>,
    },
    /// A period asked for has no row.
    #[error("no row is of period `{period}` (the periods are: {})", periods.join(", "))]
    NoPeriod {
        /// The period asked for.
        period: String,
        /// The periods the rows have.
        periods: Vec<String>,
    },
}

/// One row of a side: its unit, period, evaluation (or why it has none) and rank.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    /// The unit; `None` for a row that failed before its unit was known.
    pub unit: Option<&'a str>,
    /// The period; `None` when the row gives none.
    pub period: Option<&'a str>,
    /// The evaluation, or why the row could not be scored.
    pub outcome: Result<&'a Evaluation, String>,
    /// The rank within its side and period.
    pub rank: Option<usize>,
}

impl<'a> From<&'a UnitResult> for Entry<'a> {
    fn from(result: &'a UnitResult) -> Entry<'a> {
        Entry {
            unit: result.unit.as_deref(),
            period: result.period.as_deref(),
            outcome: result.outcome.as_ref().map_err(ToString::to_string),
            rank: result.rank,
        }
    }
}

impl Comparison {
    /// Two batches scored with one scheme: last year's file and this year's, or the
    /// self-assessment and the appraisal.
    pub fn of_batches(
        before: &Batch,
        after: &Batch,
        options: &CompareOptions,
    ) -> Result<Comparison, CompareError> {
        if before.scheme != after.scheme {
            return Err(CompareError::SchemeMismatch {
                before: before.scheme.id().to_string(),
                after: after.scheme.id().to_string(),
            });
        }
        Comparison::new(
            &before.scheme,
            before.results.iter().map(Entry::from),
            after.results.iter().map(Entry::from),
            options,
        )
    }

    /// Two periods of one batch (`2024` and `2025`); ranks are those within each period.
    /// A period without any row is an error naming the periods there are.
    pub fn of_periods(
        batch: &Batch,
        before: &str,
        after: &str,
        options: &CompareOptions,
    ) -> Result<Comparison, CompareError> {
        let periods = {
            let mut periods: Vec<String> = Vec::new();
            for result in &batch.results {
                let period = result.period.clone().unwrap_or_default();
                if !periods.contains(&period) {
                    periods.push(period);
                }
            }
            periods
        };
        let of = |period: &str| -> Result<Vec<Entry<'_>>, CompareError> {
            let entries: Vec<Entry<'_>> = batch
                .results
                .iter()
                .filter(|r| r.period.as_deref() == Some(period))
                .map(Entry::from)
                .collect();
            if entries.is_empty() {
                return Err(CompareError::NoPeriod {
                    period: period.to_string(),
                    periods: periods.clone(),
                });
            }
            Ok(entries)
        };
        let options = CompareOptions {
            kind: options.kind.or(Some(Kind::Periods)),
            ..options.clone()
        };
        Comparison::new(&batch.scheme, of(before)?, of(after)?, &options)
    }

    /// Any two sides of rows scored with `scheme`.
    pub fn new<'a>(
        scheme: &Scheme,
        before: impl IntoIterator<Item = Entry<'a>>,
        after: impl IntoIterator<Item = Entry<'a>>,
        options: &CompareOptions,
    ) -> Result<Comparison, CompareError> {
        let labels = &options.labels;
        let before = Side::of(scheme, &labels.before, before)?;
        let after = Side::of(scheme, &labels.after, after)?;
        let mut keys: Vec<&String> = before.order.iter().collect();
        keys.extend(
            after
                .order
                .iter()
                .filter(|k| !before.units.contains_key(*k)),
        );
        let areas = AreaOf::new(scheme);
        let mut units = Vec::with_capacity(keys.len());
        let mut indices: Vec<(Decimal, Decimal)> = Vec::new();
        for key in keys {
            let (b, a) = (before.units.get(key), after.units.get(key));
            if let (Some(Ok(x)), Some(Ok(y))) =
                (b.map(|s| s.outcome.as_ref()), a.map(|s| s.outcome.as_ref()))
                && let (Some(i), Some(j)) = (x.index(), y.index())
            {
                indices.push((i, j));
            }
            units.push(UnitChange::build(
                key.clone(),
                b.cloned(),
                a.cloned(),
                &areas,
            ));
        }
        let kind = options.kind.unwrap_or_else(|| infer_kind(&units));
        let appraisal = (kind == Kind::Rounds).then(|| lowered(&units));
        let summary = summary(scheme, &units, &indices, before.errors + after.errors);
        Ok(Comparison {
            scheme: SchemeInfo {
                id: scheme.id().to_string(),
                title: scheme.title().to_string(),
                version: scheme.version().to_string(),
                estimated: scheme.estimated(),
            },
            kind,
            labels: labels.clone(),
            units,
            appraisal,
            summary,
        })
    }
}

/// One side's units by name, each with the row to compare.
struct Side<'a> {
    units: HashMap<String, SideOf<'a>>,
    /// The names in the order first met.
    order: Vec<String>,
    errors: usize,
}

impl<'a> Side<'a> {
    /// A unit's scored row; a failed row only when the unit has no scored one (a second row
    /// of a unit and period fails, and the first is the unit's). Several scored rows of one
    /// unit are several periods, which cannot be told apart.
    fn of(
        scheme: &Scheme,
        label: &str,
        entries: impl IntoIterator<Item = Entry<'a>>,
    ) -> Result<Side<'a>, CompareError> {
        let mut side = Side {
            units: HashMap::new(),
            order: Vec::new(),
            errors: 0,
        };
        let mut periods: HashMap<String, Vec<String>> = HashMap::new();
        for entry in entries {
            if let Ok(evaluation) = entry.outcome
                && evaluation.scheme() != scheme
            {
                return Err(CompareError::SchemeMismatch {
                    before: scheme.id().to_string(),
                    after: evaluation.scheme().id().to_string(),
                });
            }
            side.errors += usize::from(entry.outcome.is_err());
            let Some(name) = entry.unit.filter(|u| !u.trim().is_empty()) else {
                continue;
            };
            let key = unit_key(name);
            let period = entry.period.map(unit_key);
            let scored = entry.outcome.is_ok();
            let this = SideOf {
                period: period.clone(),
                outcome: entry.outcome,
                rank: entry.rank,
            };
            if scored {
                periods
                    .entry(key.clone())
                    .or_default()
                    .push(period.unwrap_or_default());
            }
            match side.units.get(&key) {
                None => {
                    side.order.push(key.clone());
                    side.units.insert(key, this);
                }
                Some(held) if held.outcome.is_err() && scored => {
                    side.units.insert(key, this);
                }
                Some(_) => {}
            }
        }
        if let Some((unit, periods)) = periods
            .into_iter()
            .filter(|(_, p)| p.len() > 1)
            .min_by(|x, y| x.0.cmp(&y.0))
        {
            return Err(CompareError::Repeated {
                side: label.to_string(),
                unit,
                periods,
            });
        }
        Ok(side)
    }
}

/// Rounds when every unit on both sides has one period, the same on each; otherwise periods.
fn infer_kind(units: &[UnitChange]) -> Kind {
    let mut both = units
        .iter()
        .filter(|u| u.period_before.is_some() || u.period_after.is_some())
        .filter(|u| u.presence == crate::Presence::Both)
        .peekable();
    if both.peek().is_none() {
        return Kind::Periods;
    }
    if both.all(|u| u.period_before.is_some() && u.period_before == u.period_after) {
        Kind::Rounds
    } else {
        Kind::Periods
    }
}

fn summary(
    scheme: &Scheme,
    units: &[UnitChange],
    indices: &[(Decimal, Decimal)],
    errors: usize,
) -> CompareSummary {
    let count = |presence| units.iter().filter(|u| u.presence == presence).count();
    let moved = |sign: std::cmp::Ordering| {
        units
            .iter()
            .filter(|u| u.delta.is_some_and(|d| d.cmp(&Decimal::ZERO) == sign))
            .count()
    };
    let mean = |pick: fn(&(Decimal, Decimal)) -> Decimal| {
        (!indices.is_empty()).then(|| {
            let sum: Decimal = indices.iter().map(pick).sum();
            scheme
                .rounding()
                .round(sum / Decimal::from(indices.len()))
                .normalize()
        })
    };
    let (mean_before, mean_after) = (mean(|p| p.0), mean(|p| p.1));
    let mut changes = ChangeCounts::default();
    for criterion in units.iter().flat_map(|u| &u.criteria) {
        *match criterion.change {
            Change::NewlyFailed => &mut changes.newly_failed,
            Change::NewlyPassed => &mut changes.newly_passed,
            Change::Down => &mut changes.down,
            Change::Up => &mut changes.up,
            Change::Same => &mut changes.same,
        } += 1;
    }
    CompareSummary {
        units: units.len(),
        both: count(crate::Presence::Both),
        before_only: count(crate::Presence::BeforeOnly),
        after_only: count(crate::Presence::AfterOnly),
        errors,
        up: moved(std::cmp::Ordering::Greater),
        down: moved(std::cmp::Ordering::Less),
        same: moved(std::cmp::Ordering::Equal),
        mean_index_before: mean_before,
        mean_index_after: mean_after,
        mean_delta: mean_before
            .zip(mean_after)
            .map(|(b, a)| (a - b).normalize()),
        changes,
    }
}
