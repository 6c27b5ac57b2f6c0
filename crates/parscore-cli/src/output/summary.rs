//! The reports for people on a batch too large to show unit by unit (more units than
//! `--report-units`): what the batch looks like as a whole, counted as the results stream
//! past — the distribution of the index, the grades, the best and the worst units, the
//! criteria most often failed and most often without input, a sample of the bad rows — in
//! memory that does not grow with the batch.

use parscore::{Decimal, Rule, Scheme, Status};

use super::lang::{Label, Lang};
use super::report_data::SchemeInfo;
use super::result_row::ResultRow;
use super::{Rendering, html, markdown, table, xlsx};
use crate::cli::OutputFormat;
use crate::fail::Failure;
use crate::pipeline::tally::Tally;
use crate::run::reason;

/// Units listed among the best and among the worst.
pub const LISTED_UNITS: usize = 10;
/// Criteria listed among the most often failed.
pub const LISTED_CRITERIA: usize = 15;
/// Bad rows listed (all of them are on standard error).
pub const LISTED_ERRORS: usize = 20;
/// Ranges of the index's distribution: ten points each.
const BINS: usize = 10;

/// What the summary counts, row by row.
#[derive(Debug, Clone)]
pub struct BatchSummary {
    /// Scored units per range of their reported index (the last range takes 100).
    bins: [usize; BINS],
    /// Scored units with no index (no criterion applies).
    no_index: usize,
    best: Vec<Listed>,
    worst: Vec<Listed>,
    /// Per leaf criterion: units failing its target, and units without its input.
    failing: Vec<usize>,
    missing: Vec<usize>,
    /// Per leaf: whether it can fail (a target, or a yes/no rule), and its maximum.
    can_fail: Vec<bool>,
    maxima: Vec<Decimal>,
    /// What the `[bonus]` and `[penalties]` sections gave the scored units.
    bonus: SectionCount,
    penalties: SectionCount,
    errors: Vec<ListedError>,
}

/// The points one bonus or penalty section gave a batch's units.
#[derive(Debug, Clone, Copy, Default)]
struct SectionCount {
    /// Units given any of its points.
    units: usize,
    total: Decimal,
    largest: Decimal,
}

impl SectionCount {
    fn add(&mut self, points: Option<Decimal>) {
        if let Some(points) = points.filter(|p| !p.is_zero()) {
            self.units += 1;
            // A section's points are capped below 10^9 and a batch has fewer than 2^64
            // units: the sum stays far inside a decimal's 28 digits.
            self.total += points;
            self.largest = self.largest.max(points);
        }
    }
}

/// A unit among the best or the worst.
#[derive(Debug, Clone)]
pub struct Listed {
    pub row: usize,
    pub unit: String,
    pub period: Option<String>,
    pub index: Decimal,
    pub grade: Option<usize>,
    pub rank: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct ListedError {
    pub place: String,
    pub unit: String,
    pub reason: String,
}

impl BatchSummary {
    pub fn new(scheme: &Scheme) -> BatchSummary {
        let leaves: Vec<_> = scheme.leaves().collect();
        BatchSummary {
            bins: [0; BINS],
            no_index: 0,
            best: Vec::new(),
            worst: Vec::new(),
            failing: vec![0; leaves.len()],
            missing: vec![0; leaves.len()],
            can_fail: leaves
                .iter()
                .map(|c| c.target().is_some() || matches!(c.rule(), Some(Rule::Boolean)))
                .collect(),
            maxima: leaves.iter().map(|c| c.max_points).collect(),
            bonus: SectionCount::default(),
            penalties: SectionCount::default(),
            errors: Vec::new(),
        }
    }

    pub fn add(&mut self, scheme: &Scheme, row: &ResultRow<'_>) {
        let Some(headline) = row.outcome.headline(scheme) else {
            if self.errors.len() < LISTED_ERRORS
                && let Some(error) = row.outcome.error()
            {
                self.errors.push(ListedError {
                    place: row.place.to_string(),
                    unit: row.unit.unwrap_or("?").to_string(),
                    reason: reason(error),
                });
            }
            return;
        };
        self.bonus.add(headline.bonus);
        self.penalties.add(headline.penalties);
        for (leaf, criterion) in row.outcome.criteria().into_iter().enumerate() {
            let Some((points, status)) = criterion else {
                continue;
            };
            match status {
                Status::Missing => self.missing[leaf] += 1,
                // Failing targets, as the reports for each unit count them: scored, with
                // points lost, against a target or a yes/no.
                Status::Scored if self.can_fail[leaf] && points.decimal() < self.maxima[leaf] => {
                    self.failing[leaf] += 1;
                }
                _ => {}
            }
        }
        let Some(index) = headline.index else {
            self.no_index += 1;
            return;
        };
        let bin = (index / Decimal::TEN)
            .floor()
            .to_string()
            .parse::<usize>()
            .unwrap_or(0)
            .min(BINS - 1);
        self.bins[bin] += 1;
        let listed = || Listed {
            row: row.row,
            unit: row.unit.unwrap_or("?").to_string(),
            period: row.period.map(str::to_string),
            index,
            grade: headline.grade,
            rank: row.rank,
        };
        // Highest first, then lowest first; ties in input order.
        if self.best.len() < LISTED_UNITS || index > self.best[LISTED_UNITS - 1].index {
            let at = self.best.partition_point(|l| l.index >= index);
            self.best.insert(at, listed());
            self.best.truncate(LISTED_UNITS);
        }
        if self.worst.len() < LISTED_UNITS || index < self.worst[LISTED_UNITS - 1].index {
            let at = self.worst.partition_point(|l| l.index <= index);
            self.worst.insert(at, listed());
            self.worst.truncate(LISTED_UNITS);
        }
    }

    /// The report in `format`.
    pub fn render(
        &self,
        scheme: &Scheme,
        tally: &Tally,
        format: OutputFormat,
        rendering: Rendering,
        limit: usize,
    ) -> Result<Vec<u8>, Failure> {
        let data = SummaryData::new(self, scheme, tally, rendering.lang, limit);
        Ok(match format {
            OutputFormat::Md => markdown::render_summary(&data).into_bytes(),
            OutputFormat::Html => html::render_summary(&data).into_bytes(),
            OutputFormat::Xlsx => xlsx::render_summary(&data, scheme)?,
            _ => table::render_summary(&data, rendering.width).into_bytes(),
        })
    }
}

/// A summarised report's contents, written for its language.
pub struct SummaryData {
    pub lang: Lang,
    pub scheme: SchemeInfo,
    pub units: usize,
    pub ok: usize,
    pub errors: usize,
    pub limit: usize,
    pub mean_index: Option<String>,
    pub grades: Vec<(String, usize)>,
    pub gap_units: usize,
    pub gap_criteria: usize,
    /// Each range of the index: its label, units and share of the scored units.
    pub distribution: Vec<Bin>,
    pub best: Vec<UnitLine>,
    pub worst: Vec<UnitLine>,
    pub failing: Vec<CriterionLine>,
    /// The scheme's bonus and penalty sections, those it has, in that order.
    pub sections: Vec<SectionLine>,
    pub listed_errors: Vec<ListedError>,
}

/// What a bonus or penalty section gave the batch, its figures written for the language.
pub struct SectionLine {
    /// The section's code and title, as the scheme names it (`TR Điểm trừ`).
    pub title: String,
    /// Scored units given any of its points, and their share of the scored units.
    pub units: usize,
    pub share: String,
    /// Its points over the batch, exact, and the most it gave one unit.
    pub total: Decimal,
    pub largest: Decimal,
}

pub struct Bin {
    pub range: String,
    pub units: usize,
    /// The share of the scored units, as text (`12,5%`), and as a fraction of the largest
    /// bin, for a bar.
    pub share: String,
    pub bar: Decimal,
}

pub struct UnitLine {
    pub unit: String,
    pub period: String,
    pub index: String,
    pub grade: String,
    pub rank: String,
}

pub struct CriterionLine {
    pub code: String,
    pub title: String,
    pub lead: String,
    pub failing: usize,
    pub failing_share: String,
    pub missing: usize,
}

impl SummaryData {
    fn new(
        counted: &BatchSummary,
        scheme: &Scheme,
        tally: &Tally,
        lang: Lang,
        limit: usize,
    ) -> SummaryData {
        let summary = tally.summary(scheme);
        let share = |n: usize| {
            if summary.ok == 0 {
                return lang.number("0");
            }
            let percent = Decimal::from(n) * Decimal::ONE_HUNDRED / Decimal::from(summary.ok);
            format!(
                "{}%",
                lang.number(&percent.round_dp(1).normalize().to_string())
            )
        };
        let most = counted.bins.iter().copied().max().unwrap_or(0).max(1);
        let mut distribution: Vec<Bin> = counted
            .bins
            .iter()
            .enumerate()
            .map(|(i, &units)| {
                let (low, high) = (i * 10, i * 10 + 10);
                Bin {
                    range: lang.range(low, high, i == BINS - 1),
                    units,
                    share: share(units),
                    bar: Decimal::from(units) / Decimal::from(most),
                }
            })
            .rev()
            .collect();
        if counted.no_index > 0 {
            distribution.push(Bin {
                range: lang.label(Label::NoIndex).to_string(),
                units: counted.no_index,
                share: share(counted.no_index),
                bar: Decimal::ZERO,
            });
        }
        let grades = scheme.grades();
        let line = |listed: &Listed| UnitLine {
            unit: listed.unit.clone(),
            period: listed.period.clone().unwrap_or_default(),
            index: lang.number(&listed.index.to_string()),
            grade: listed
                .grade
                .map_or("-".to_string(), |g| grades[g].name.clone()),
            rank: listed.rank.map_or("-".to_string(), |r| r.to_string()),
        };
        let leaves: Vec<_> = scheme.leaves().collect();
        let mut order: Vec<usize> = (0..leaves.len())
            .filter(|&leaf| counted.failing[leaf] > 0)
            .collect();
        // Most failed first; ties in scheme order.
        order.sort_by_key(|&leaf| std::cmp::Reverse(counted.failing[leaf]));
        let failing = order
            .into_iter()
            .take(LISTED_CRITERIA)
            .map(|leaf| CriterionLine {
                code: leaves[leaf].code.clone(),
                title: leaves[leaf].title.clone(),
                lead: leaves[leaf].lead.clone().unwrap_or_default(),
                failing: counted.failing[leaf],
                failing_share: share(counted.failing[leaf]),
                missing: counted.missing[leaf],
            })
            .collect();
        let sections = [
            (scheme.bonus(), counted.bonus),
            (scheme.penalties(), counted.penalties),
        ]
        .into_iter()
        .filter_map(|(section, count)| {
            let (section, _) = section?;
            Some(SectionLine {
                title: format!("{} {}", section.code, section.title),
                units: count.units,
                share: share(count.units),
                total: count.total.normalize(),
                largest: count.largest.normalize(),
            })
        })
        .collect();
        SummaryData {
            lang,
            scheme: SchemeInfo::new(scheme, lang),
            units: summary.units,
            ok: summary.ok,
            errors: summary.errors,
            limit,
            mean_index: summary.mean_index.map(|m| lang.number(&m.to_string())),
            grades: summary.grades,
            gap_units: summary.missing_units,
            gap_criteria: summary.missing_criteria,
            distribution,
            best: counted.best.iter().map(line).collect(),
            worst: counted.worst.iter().map(line).collect(),
            failing,
            sections,
            listed_errors: counted.errors.clone(),
        }
    }

    pub fn label(&self, label: Label) -> &'static str {
        self.lang.label(label)
    }

    /// `Xuất sắc 4, Tốt 0, Khá 1`.
    pub fn grade_counts(&self) -> String {
        self.grades
            .iter()
            .map(|(name, n)| format!("{name} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// What the headline says of the batch's gaps, when any unit has one.
    pub fn gaps_line(&self) -> Option<String> {
        (self.gap_units > 0).then(|| {
            self.lang
                .batch_gaps(self.gap_units, self.ok, self.gap_criteria)
        })
    }

    /// Whether any unit listed has a period, so that the period column is worth a place.
    pub fn has_periods(&self) -> bool {
        self.best
            .iter()
            .chain(&self.worst)
            .any(|u| !u.period.is_empty())
    }

    /// Points as readers of the language write them (`45,5`).
    pub fn points(&self, points: Decimal) -> String {
        self.lang.number(&points.to_string())
    }

    /// The bad rows not listed.
    pub fn unlisted_errors(&self) -> usize {
        self.errors.saturating_sub(self.listed_errors.len())
    }
}
