//! What the Markdown and HTML reports show, gathered once: the headline, each unit's areas,
//! failing targets by lead unit and recoverable points, the errors and the provenance.
//! Figures are already rounded for reading.

use parscore::{Decimal, Evaluation, RoundingMode, RoundingScope, Scheme, Status};

use super::figures;
use crate::run::{Run, reason};

/// Units shown in detail; a larger batch gets the summary table only, and says so.
pub const DETAIL_LIMIT: usize = 20;

/// Recoverable points listed per unit.
const RECOVERABLE_LIMIT: usize = 10;

/// The contents of a report.
pub struct ReportData {
    pub scheme: SchemeInfo,
    pub units: usize,
    pub ok: usize,
    pub errors: usize,
    pub mean_index: Option<String>,
    /// Units per grade, in the scheme's grade order.
    pub grades: Vec<(String, usize)>,
    pub rows: Vec<UnitRow>,
    /// Empty when the batch is larger than [`DETAIL_LIMIT`].
    pub details: Vec<UnitDetail>,
    /// Rows that failed: place and reason.
    pub failures: Vec<FailedRow>,
}

/// Which methodology produced the points, and how far to trust them.
pub struct SchemeInfo {
    pub id: String,
    pub title: String,
    pub version: String,
    pub estimated: bool,
    pub provenance: String,
    pub max_points: String,
    pub rounding: String,
    /// Grade names with their lowest index.
    pub grades: Vec<(String, String)>,
}

/// One line of the summary table.
pub struct UnitRow {
    pub rank: String,
    pub unit: String,
    pub period: String,
    pub points: String,
    pub max_points: String,
    pub index: String,
    pub grade: String,
    /// `ok`, or `error`.
    pub status: &'static str,
    /// The anchor of the unit's details, when shown.
    pub anchor: Option<String>,
}

/// A failed row, for the errors section.
pub struct FailedRow {
    pub unit: String,
    pub place: String,
    pub reason: String,
}

/// One unit's page of the report.
pub struct UnitDetail {
    pub anchor: String,
    pub unit: String,
    pub period: Option<String>,
    pub index: String,
    pub grade: String,
    pub points: String,
    pub max_points: String,
    /// `rank 4 of 5` within the unit's period.
    pub rank: Option<String>,
    pub areas: Vec<AreaBar>,
    pub failing: Vec<LeadGroup>,
    pub recoverable: Vec<RecoverableLine>,
    /// Criteria scored 0 for want of a value: code, title, indicator id.
    pub missing: Vec<(String, String, String)>,
}

/// An area's points and lost points. The exact figures size the chart; the text shows
/// them rounded.
pub struct AreaBar {
    pub code: String,
    pub title: String,
    pub points: Decimal,
    pub lost: Decimal,
    pub max: Decimal,
    pub points_text: String,
    pub lost_text: String,
    pub max_text: String,
    pub index_text: String,
}

/// The failing targets that one lead unit answers for.
pub struct LeadGroup {
    pub lead: String,
    pub targets: Vec<FailingTarget>,
}

/// A target that was checked and missed.
pub struct FailingTarget {
    pub code: String,
    pub title: String,
    pub value: String,
    pub target: String,
    pub margin: String,
    pub lost: String,
    pub timeline: String,
}

/// Points that meeting one target would gain.
pub struct RecoverableLine {
    pub points: String,
    pub code: String,
    pub title: String,
    pub lead: String,
}

impl ReportData {
    pub fn new(run: &Run) -> ReportData {
        let batch = &run.batch;
        let scheme = &batch.scheme;
        let summary = batch.summary();
        let show_details = batch.results.len() <= DETAIL_LIMIT;
        let mut rows = Vec::new();
        let mut details = Vec::new();
        let mut failures = Vec::new();
        for (i, result) in batch.results.iter().enumerate() {
            let unit = result.unit.clone().unwrap_or_else(|| "?".into());
            let period = result.period.clone().unwrap_or_default();
            match &result.outcome {
                Ok(evaluation) => {
                    let anchor = show_details.then(|| format!("unit-{}", i + 1));
                    rows.push(UnitRow {
                        rank: result.rank.map_or_else(|| "-".into(), |r| r.to_string()),
                        unit,
                        period,
                        points: figures::points(scheme, evaluation.points()),
                        max_points: figures::points(scheme, evaluation.max_points()),
                        index: figures::index(evaluation),
                        grade: figures::grade(evaluation).to_string(),
                        status: "ok",
                        anchor: anchor.clone(),
                    });
                    if let Some(anchor) = anchor {
                        let rank = result.rank.map(|r| {
                            let ranked = batch
                                .results
                                .iter()
                                .filter(|other| {
                                    other.rank.is_some() && other.period == result.period
                                })
                                .count();
                            format!("rank {r} of {ranked}")
                        });
                        details.push(UnitDetail::new(evaluation, anchor, rank));
                    }
                }
                Err(error) => {
                    rows.push(UnitRow {
                        rank: "-".into(),
                        unit: unit.clone(),
                        period,
                        points: String::new(),
                        max_points: String::new(),
                        index: String::new(),
                        grade: String::new(),
                        status: "error",
                        anchor: None,
                    });
                    failures.push(FailedRow {
                        unit,
                        place: run.places[i].to_string(),
                        reason: reason(error),
                    });
                }
            }
        }
        ReportData {
            scheme: SchemeInfo::new(scheme),
            units: summary.units,
            ok: summary.ok,
            errors: summary.errors,
            mean_index: summary.mean_index.map(|m| m.to_string()),
            grades: summary.grades,
            rows,
            details,
            failures,
        }
    }

    /// Whether the details were left out for the size of the batch.
    pub fn details_omitted(&self) -> bool {
        self.units > DETAIL_LIMIT
    }

    /// `Xuất sắc 4, Tốt 0, Khá 1`.
    pub fn grade_counts(&self) -> String {
        self.grades
            .iter()
            .map(|(name, n)| format!("{name} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The largest applicable maximum of any area shown: the length of a full bar, one
    /// scale for every unit so that their charts compare.
    pub fn chart_scale(&self) -> Decimal {
        self.details
            .iter()
            .flat_map(|d| d.areas.iter().map(|a| a.max))
            .max()
            .unwrap_or(Decimal::ZERO)
    }

    /// Whether any row has a period, so that the period column is worth a place.
    pub fn has_periods(&self) -> bool {
        self.rows.iter().any(|r| !r.period.is_empty())
    }
}

impl SchemeInfo {
    fn new(scheme: &Scheme) -> SchemeInfo {
        let rounding = scheme.rounding();
        SchemeInfo {
            id: scheme.id().to_string(),
            title: scheme.title().to_string(),
            version: scheme.version().to_string(),
            estimated: scheme.estimated(),
            provenance: scheme.provenance().trim().to_string(),
            max_points: figures::points(scheme, scheme.max_points()),
            rounding: format!(
                "{} decimal places, {}, applied to {}",
                rounding.places,
                match rounding.mode {
                    RoundingMode::HalfUp => "half up",
                    RoundingMode::HalfEven => "half to even",
                    RoundingMode::Down => "down",
                },
                match rounding.scope {
                    RoundingScope::Report => "the reported index",
                    RoundingScope::Criterion => "each criterion's points",
                }
            ),
            grades: scheme
                .grades()
                .iter()
                .map(|g| (g.name.clone(), g.min_index.normalize().to_string()))
                .collect(),
        }
    }
}

impl UnitDetail {
    fn new(evaluation: &Evaluation, anchor: String, rank: Option<String>) -> UnitDetail {
        let scheme = evaluation.scheme();
        let areas = evaluation
            .areas()
            .map(|area| {
                let lost = area.max_points() - area.points();
                AreaBar {
                    code: area.code().to_string(),
                    title: area.title().to_string(),
                    points: area.points(),
                    lost,
                    max: area.max_points(),
                    points_text: figures::points(scheme, area.points()),
                    lost_text: figures::points(scheme, lost),
                    max_text: figures::points(scheme, area.max_points()),
                    index_text: scheme
                        .rounding()
                        .index(area.points(), area.max_points())
                        .map_or_else(|| "n/a".into(), |i| i.to_string()),
                }
            })
            .collect();
        let mut failing: Vec<LeadGroup> = Vec::new();
        for c in evaluation.failed_targets() {
            let lead = c
                .criterion()
                .lead
                .clone()
                .unwrap_or_else(|| "(no lead unit in the scheme)".into());
            let target = FailingTarget {
                code: c.code().to_string(),
                title: c.title().to_string(),
                value: figures::value(c.value()),
                target: c.target().map(ToString::to_string).unwrap_or_default(),
                margin: figures::margin(c.margin()),
                lost: figures::points(scheme, c.lost_points()),
                timeline: c.criterion().timeline.clone().unwrap_or_default(),
            };
            // Groups keep the order in which the scheme first names each lead unit.
            match failing.iter_mut().find(|g| g.lead == lead) {
                Some(group) => group.targets.push(target),
                None => failing.push(LeadGroup {
                    lead,
                    targets: vec![target],
                }),
            }
        }
        let recoverable = evaluation
            .recoverable()
            .into_iter()
            .take(RECOVERABLE_LIMIT)
            .map(|r| RecoverableLine {
                points: figures::points(scheme, r.points),
                code: r.criterion.code().to_string(),
                title: r.criterion.title().to_string(),
                lead: r.criterion.criterion().lead.clone().unwrap_or_default(),
            })
            .collect();
        let missing = evaluation
            .criteria()
            .filter(|c| c.status() == Status::Missing)
            .map(|c| {
                (
                    c.code().to_string(),
                    c.title().to_string(),
                    c.indicator().id.clone(),
                )
            })
            .collect();
        UnitDetail {
            anchor,
            unit: evaluation.unit().to_string(),
            period: evaluation.period().map(str::to_string),
            index: figures::index(evaluation),
            grade: figures::grade(evaluation).to_string(),
            points: figures::points(scheme, evaluation.points()),
            max_points: figures::points(scheme, evaluation.max_points()),
            rank,
            areas,
            failing,
            recoverable,
            missing,
        }
    }

    /// What to say when no checked target failed: missing values may still hide failures.
    pub fn no_failing_note(&self) -> String {
        match self.missing.len() {
            0 => "Every target checked was met.".into(),
            n => format!(
                "No target checked was missed, but {n} {} no value (listed below).",
                if n == 1 {
                    "criterion has"
                } else {
                    "criteria have"
                }
            ),
        }
    }

    /// `Sở NN&PTNT (2024)`.
    pub fn heading(&self) -> String {
        match &self.period {
            Some(period) => format!("{} ({period})", self.unit),
            None => self.unit.clone(),
        }
    }
}
