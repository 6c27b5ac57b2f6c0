//! What the Markdown and HTML reports show, gathered once: the headline, the units by rank,
//! each unit's areas, failing targets by lead unit, recoverable points and gaps, the errors
//! and the provenance. Figures are already rounded and written for the report's language.

use parscore::{
    Decimal, Evaluation, Part, RoundingMode, RoundingScope, Scheme, Status, Ties, UnitResult,
};

use super::figures;
use super::lang::{Label, Lang, RoundingWords, ScopeWords};
use crate::run::{Run, reason};

/// Units shown in detail; a larger batch gets the summary table only, and says so.
pub const DETAIL_LIMIT: usize = 20;

/// Recoverable points listed per unit.
const RECOVERABLE_LIMIT: usize = 10;

/// The contents of a report.
pub struct ReportData {
    pub lang: Lang,
    pub scheme: SchemeInfo,
    pub units: usize,
    pub ok: usize,
    pub errors: usize,
    pub mean_index: Option<String>,
    /// Units per grade, in the scheme's grade order.
    pub grades: Vec<(String, usize)>,
    /// Units with criteria without input, and those criteria in all.
    pub gap_units: usize,
    pub gap_criteria: usize,
    /// The units by rank within each period (periods in input order), failed rows last in
    /// their period.
    pub rows: Vec<UnitRow>,
    /// In the order of `rows`; empty when the batch is larger than [`DETAIL_LIMIT`].
    pub details: Vec<UnitDetail>,
    /// Rows that failed: place and reason, in input order.
    pub failures: Vec<FailedRow>,
    /// Whether the scheme gives bonus points, takes penalty points: the units table then
    /// has a column for each.
    pub bonus: bool,
    pub penalties: bool,
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
    /// `Xuất sắc từ 90`, one per grade.
    pub grades: Vec<String>,
    /// The bonus, penalties and rank policy the scheme sets, each a label and its rule in
    /// words.
    pub forms: Vec<(Label, String)>,
}

/// One line of the units table.
pub struct UnitRow {
    pub rank: String,
    pub unit: String,
    pub period: String,
    pub points: String,
    pub max_points: String,
    pub index: String,
    pub grade: String,
    /// `1 (20,00)`: criteria without input and their points; empty for a failed row.
    pub gaps: String,
    /// The bonus points counted and the penalty points taken off; empty for a failed row
    /// or a scheme without them.
    pub bonus: String,
    pub penalty: String,
    pub failed: bool,
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
    /// `xếp hạng 4/5` within the unit's period.
    pub rank: Option<String>,
    /// `55 tiêu chí chưa có số liệu (68,50 điểm)`, when the unit has gaps.
    pub gaps_line: Option<String>,
    pub areas: Vec<AreaBar>,
    pub failing: Vec<LeadGroup>,
    pub recoverable: Vec<RecoverableLine>,
    /// Criteria scored 0 for want of a value.
    pub gaps: Vec<Gap>,
    /// The bonus and penalties sections, when the scheme has them.
    pub sections: Vec<SectionDetail>,
}

/// A bonus or penalties section of one unit: its total and each of its criteria.
pub struct SectionDetail {
    /// The section's title and code: `Điểm thưởng (TH)`.
    pub title: String,
    /// `1,50 (tối đa 2,00)`: what the section counts, at most its cap.
    pub total: String,
    pub items: Vec<SectionItem>,
}

/// A bonus criterion or a penalty of one unit.
pub struct SectionItem {
    pub code: String,
    pub title: String,
    pub value: String,
    /// Points given (a bonus) or taken off (a penalty, negative).
    pub points: String,
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

/// A criterion that lost points against its target or its yes/no.
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

/// A criterion without input.
pub struct Gap {
    pub code: String,
    pub title: String,
    pub indicator: String,
    pub max_points: String,
}

/// Positions of `results` by rank within each period, periods in the order they first
/// appear; failed rows after the ranked ones of their period, in input order.
pub fn rank_order(results: &[UnitResult]) -> Vec<usize> {
    let mut periods: Vec<Option<&str>> = Vec::new();
    for result in results {
        let period = result.period.as_deref();
        if !periods.contains(&period) {
            periods.push(period);
        }
    }
    let mut order: Vec<usize> = (0..results.len()).collect();
    order.sort_by_key(|&i| {
        let result = &results[i];
        let period = periods.iter().position(|p| *p == result.period.as_deref());
        (period, result.rank.unwrap_or(usize::MAX), i)
    });
    order
}

impl ReportData {
    pub fn new(run: &Run, lang: Lang) -> ReportData {
        let batch = &run.batch;
        let scheme = &batch.scheme;
        let summary = batch.summary();
        let show_details = batch.results.len() <= DETAIL_LIMIT;
        let mut rows = Vec::new();
        let mut details = Vec::new();
        for i in rank_order(&batch.results) {
            let result = &batch.results[i];
            let unit = result.unit.clone().unwrap_or_else(|| "?".into());
            let period = result.period.clone().unwrap_or_default();
            let Ok(evaluation) = &result.outcome else {
                rows.push(UnitRow {
                    rank: "-".into(),
                    unit,
                    period,
                    points: String::new(),
                    max_points: String::new(),
                    index: String::new(),
                    grade: String::new(),
                    gaps: String::new(),
                    bonus: String::new(),
                    penalty: String::new(),
                    failed: true,
                    anchor: None,
                });
                continue;
            };
            let anchor = show_details.then(|| format!("unit-{}", i + 1));
            let (gap_count, gap_points) = evaluation.missing_summary();
            rows.push(UnitRow {
                rank: result.rank.map_or_else(|| "-".into(), |r| r.to_string()),
                unit,
                period,
                points: figures::points(scheme, evaluation.points(), lang),
                max_points: figures::points(scheme, evaluation.max_points(), lang),
                index: figures::index(evaluation, lang),
                grade: figures::grade(evaluation).to_string(),
                gaps: if gap_count == 0 {
                    "0".into()
                } else {
                    format!(
                        "{gap_count} ({})",
                        figures::points(scheme, gap_points, lang)
                    )
                },
                bonus: evaluation
                    .bonus_points()
                    .map(|b| figures::points(scheme, b, lang))
                    .unwrap_or_default(),
                penalty: evaluation
                    .penalty_points()
                    .map(|p| figures::points(scheme, p, lang))
                    .unwrap_or_default(),
                failed: false,
                anchor: anchor.clone(),
            });
            if let Some(anchor) = anchor {
                let rank = result.rank.map(|r| {
                    let ranked = batch
                        .results
                        .iter()
                        .filter(|other| other.rank.is_some() && other.period == result.period)
                        .count();
                    lang.rank_of(r, ranked)
                });
                details.push(UnitDetail::new(evaluation, anchor, rank, lang));
            }
        }
        let failures = batch
            .results
            .iter()
            .zip(&run.places)
            .filter_map(|(result, place)| {
                let error = result.outcome.as_ref().err()?;
                Some(FailedRow {
                    unit: result.unit.clone().unwrap_or_else(|| "?".into()),
                    place: place.to_string(),
                    reason: reason(error),
                })
            })
            .collect();
        ReportData {
            lang,
            scheme: SchemeInfo::new(scheme, lang),
            units: summary.units,
            ok: summary.ok,
            errors: summary.errors,
            mean_index: summary.mean_index.map(|m| lang.number(&m.to_string())),
            grades: summary.grades,
            gap_units: summary.missing_units,
            gap_criteria: summary.missing_criteria,
            rows,
            details,
            failures,
            bonus: scheme.bonus().is_some(),
            penalties: scheme.penalties().is_some(),
        }
    }

    /// A label in the report's language.
    pub fn label(&self, label: Label) -> &'static str {
        self.lang.label(label)
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

    /// What the headline says of the batch's gaps, when any unit has one.
    pub fn gaps_line(&self) -> Option<String> {
        match self.details.as_slice() {
            [only] => only.gaps_line.clone(),
            _ => (self.gap_units > 0).then(|| {
                self.lang
                    .batch_gaps(self.gap_units, self.ok, self.gap_criteria)
            }),
        }
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

    /// The status of a row in the units table.
    pub fn status(&self, row: &UnitRow) -> &'static str {
        self.label(if row.failed {
            Label::StatusError
        } else {
            Label::StatusOk
        })
    }
}

impl SchemeInfo {
    fn new(scheme: &Scheme, lang: Lang) -> SchemeInfo {
        let rounding = scheme.rounding();
        SchemeInfo {
            id: scheme.id().to_string(),
            title: scheme.title().to_string(),
            version: scheme.version().to_string(),
            estimated: scheme.estimated(),
            provenance: scheme.provenance().trim().to_string(),
            max_points: figures::points(scheme, scheme.max_points(), lang),
            rounding: lang.rounding(
                rounding.places,
                match rounding.mode {
                    RoundingMode::HalfUp => RoundingWords::HalfUp,
                    RoundingMode::HalfEven => RoundingWords::HalfEven,
                    RoundingMode::Down => RoundingWords::Down,
                },
                match rounding.scope {
                    RoundingScope::Report => ScopeWords::Report,
                    RoundingScope::Criterion => ScopeWords::Criterion,
                },
            ),
            grades: scheme
                .grades()
                .iter()
                .map(|g| lang.grade_from(&g.name, &g.min_index.normalize().to_string()))
                .collect(),
            forms: scheme_forms(scheme, lang),
        }
    }
}

/// The scheme's bonus, penalties and rank policy, each a label and its rule in words.
pub fn scheme_forms(scheme: &Scheme, lang: Lang) -> Vec<(Label, String)> {
    let cap = |cap| figures::points(scheme, cap, lang);
    let mut forms = Vec::new();
    if let Some((_, bonus)) = scheme.bonus() {
        let rule = lang.bonus_rule(&cap(bonus), scheme.index_above_100());
        forms.push((Label::BonusPoints, rule));
    }
    if let Some((_, penalty)) = scheme.penalties() {
        forms.push((Label::PenaltyPoints, lang.penalty_rule(&cap(penalty))));
    }
    let tie_break: Vec<String> = scheme.tie_break().map(|c| c.code.clone()).collect();
    if scheme.ties() == Ties::Exact || !tie_break.is_empty() {
        let rule = lang.tie_rule(scheme.ties() == Ties::Exact, &tie_break);
        forms.push((Label::Ties, rule));
    }
    forms
}

/// The bonus and penalties sections of one unit.
fn sections(evaluation: &Evaluation, lang: Lang) -> Vec<SectionDetail> {
    let scheme = evaluation.scheme();
    let points = |d| figures::points(scheme, d, lang);
    let parts = [
        (Part::Bonus, scheme.bonus(), evaluation.bonus_points()),
        (
            Part::Penalty,
            scheme.penalties(),
            evaluation.penalty_points(),
        ),
    ];
    parts
        .into_iter()
        .filter_map(|(part, section, counted)| {
            let ((group, cap), counted) = (section?, counted?);
            Some(SectionDetail {
                title: format!("{} ({})", group.title, group.code),
                total: lang.at_most(&points(counted), &points(cap)),
                items: evaluation
                    .criteria()
                    .filter(|c| c.criterion().part == part)
                    .map(|c| SectionItem {
                        code: c.code().to_string(),
                        title: c.title().to_string(),
                        value: figures::value(c.value(), lang),
                        points: match c.status() {
                            Status::Scored => points(c.points()),
                            Status::Missing => lang.label(Label::Missing).into(),
                            Status::NotApplicable => lang.label(Label::NotApplicable).into(),
                        },
                    })
                    .collect(),
            })
        })
        .collect()
}

impl UnitDetail {
    fn new(
        evaluation: &Evaluation,
        anchor: String,
        rank: Option<String>,
        lang: Lang,
    ) -> UnitDetail {
        let scheme = evaluation.scheme();
        let points = |d| figures::points(scheme, d, lang);
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
                    points_text: points(area.points()),
                    lost_text: points(lost),
                    max_text: points(area.max_points()),
                    index_text: scheme
                        .rounding()
                        .index(area.points(), area.max_points())
                        .map_or_else(
                            || lang.label(Label::NotApplicable).into(),
                            |i| lang.number(&i.to_string()),
                        ),
                }
            })
            .collect();
        let mut failing: Vec<LeadGroup> = Vec::new();
        for c in evaluation.failed_targets() {
            let lead = c
                .criterion()
                .lead
                .clone()
                .unwrap_or_else(|| lang.label(Label::NoLeadUnit).into());
            let target = FailingTarget {
                code: c.code().to_string(),
                title: c.title().to_string(),
                value: figures::value(c.value(), lang),
                target: c.target().map(ToString::to_string).unwrap_or_default(),
                margin: figures::margin(c.margin(), lang),
                lost: points(c.lost_points()),
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
                points: points(r.points),
                code: r.criterion.code().to_string(),
                title: r.criterion.title().to_string(),
                lead: r.criterion.criterion().lead.clone().unwrap_or_default(),
            })
            .collect();
        let gaps = evaluation
            .missing()
            .map(|c| Gap {
                code: c.code().to_string(),
                title: c.title().to_string(),
                indicator: c.indicator().id.clone(),
                max_points: points(c.max_points()),
            })
            .collect();
        let (gap_count, gap_points) = evaluation.missing_summary();
        UnitDetail {
            anchor,
            unit: evaluation.unit().to_string(),
            period: evaluation.period().map(str::to_string),
            index: figures::index(evaluation, lang),
            grade: figures::grade(evaluation).to_string(),
            points: points(evaluation.points()),
            max_points: points(evaluation.max_points()),
            rank,
            gaps_line: (gap_count > 0).then(|| lang.gaps(gap_count, &points(gap_points))),
            areas,
            failing,
            recoverable,
            gaps,
            sections: sections(evaluation, lang),
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
