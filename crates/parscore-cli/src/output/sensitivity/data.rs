//! What every output of a study shows, gathered: the units with their places and gaps, the
//! grades with their thresholds, the factors with their titles, and the figures written for
//! a reader.

use parscore::{Decimal, Scheme};
use parscore_uncertainty::{UnitUncertainty, VarianceShare};

use super::Analysis;
use crate::input::Place;
use crate::output::lang::{Label, Lang};
use crate::output::report_data::rank_order;

/// One unit of the study, with what the batch knows of it.
pub struct Row<'a> {
    pub unit: &'a UnitUncertainty,
    pub place: &'a Place,
    /// Criteria without input and the points they stand for; `None` for a failed row.
    pub missing: Option<(usize, Decimal)>,
}

/// A factor: its share of the variance of the index, and of the rank.
pub struct Factor<'a> {
    pub code: &'a str,
    pub index: &'a VarianceShare,
    pub rank: Option<&'a VarianceShare>,
}

impl<'a> Analysis<'a> {
    pub fn scheme(&self) -> &'a Scheme {
        &self.run.batch.scheme
    }

    /// The units in input order.
    pub fn rows(&self) -> Vec<Row<'a>> {
        let run = self.run;
        self.results
            .units
            .iter()
            .zip(&run.places)
            .zip(&run.batch.results)
            .map(|((unit, place), result)| Row {
                unit,
                place,
                missing: result.outcome.as_ref().ok().map(|e| e.missing_summary()),
            })
            .collect()
    }

    /// The units by rank within each period, failed rows last in their period.
    pub fn ranked(&self) -> Vec<Row<'a>> {
        let mut rows: Vec<Option<Row<'a>>> = self.rows().into_iter().map(Some).collect();
        rank_order(&self.run.batch.results)
            .into_iter()
            .filter_map(|i| rows.get_mut(i).and_then(Option::take))
            .collect()
    }

    /// Whether any unit has a period.
    pub fn has_periods(&self) -> bool {
        self.results.units.iter().any(|u| u.period.is_some())
    }

    /// The grades, highest first, with the lowest index that earns each.
    pub fn grades(&self) -> Vec<(&'a str, Decimal)> {
        let mut grades: Vec<(&str, Decimal)> = self
            .scheme()
            .grades()
            .iter()
            .map(|g| (g.name.as_str(), g.min_index))
            .collect();
        grades.sort_by_key(|g| std::cmp::Reverse(g.1));
        grades
    }

    /// Each factor with its shares of the index's and the rank's variance.
    pub fn factors(&self) -> Vec<Factor<'a>> {
        let results = self.results;
        results
            .variance_share
            .iter()
            .map(|index| Factor {
                code: &index.code,
                index,
                rank: results
                    .rank_variance_share
                    .iter()
                    .find(|r| r.code == index.code),
            })
            .collect()
    }

    /// How many units were scored, and how many rows failed.
    pub fn counts(&self) -> (usize, usize) {
        let failed = self
            .results
            .units
            .iter()
            .filter(|u| u.error.is_some())
            .count();
        (self.results.units.len() - failed, failed)
    }
}

/// What a factor is, in words: an area's or criterion's title, an indicator's, or the
/// methodological choice.
pub fn factor_title(scheme: &Scheme, code: &str, lang: Lang) -> String {
    if let Some(criterion) = scheme.criterion(code) {
        return criterion.title.clone();
    }
    if let Some(indicator) = scheme.indicator(code) {
        return indicator.title.clone();
    }
    match code {
        "not_applicable" => lang.label(Label::NotApplicableChoice).into(),
        "rounding" => lang.label(Label::RoundingChoice).into(),
        _ => String::new(),
    }
}

/// An exact figure of the study (an index, a quantile) as the reader's language writes it;
/// `-` when there is none.
pub fn figure(d: Option<Decimal>, lang: Lang) -> String {
    d.map_or_else(|| "-".into(), |d| lang.number(&d.to_string()))
}

/// A rank, or `-`.
pub fn rank(r: Option<usize>) -> String {
    r.map_or_else(|| "-".into(), |r| r.to_string())
}

/// A rank's range over the samples: `2–4`, or `3` when it never moves.
pub fn rank_range(unit: &UnitUncertainty) -> String {
    match (unit.rank_p05, unit.rank_p95) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a}–{b}"),
        _ => "-".into(),
    }
}
