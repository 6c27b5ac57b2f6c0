//! One unit on both sides: its headline figures, its areas and its criteria.

use std::collections::HashMap;

use parscore::{Decimal, Evaluation, Scheme};
use serde::{Deserialize, Serialize};

use crate::comparison::CompareError;
use crate::criterion::{AreaChange, CriterionChange};

/// On which sides a unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// On both sides (scored or not).
    Both,
    /// Only on the side before.
    BeforeOnly,
    /// Only on the side after.
    AfterOnly,
}

/// One unit on both sides. A side the unit is not on, or whose row failed, has no figures
/// (`None`), and then the unit has no areas or criteria to compare.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitChange {
    /// The unit's name (NFC).
    pub unit: String,
    /// On which sides it is.
    pub presence: Presence,
    /// The period of its row before (`2024`); `None` when the row gives none.
    pub period_before: Option<String>,
    /// The period of its row after.
    pub period_after: Option<String>,
    /// The reported index before, rounded as the scheme reports it.
    pub index_before: Option<Decimal>,
    /// The reported index after.
    pub index_after: Option<Decimal>,
    /// `index_after − index_before`, of the reported indices.
    pub delta: Option<Decimal>,
    /// The grade before.
    pub grade_before: Option<String>,
    /// The grade after.
    pub grade_after: Option<String>,
    /// The rank before, within its side and period (1, 2, 2, 4).
    pub rank_before: Option<usize>,
    /// The rank after.
    pub rank_after: Option<usize>,
    /// Total points before, exact.
    pub points_before: Option<Decimal>,
    /// Total points after, exact.
    pub points_after: Option<Decimal>,
    /// `points_after − points_before`.
    pub points_delta: Option<Decimal>,
    /// The applicable maximum before.
    pub max_points_before: Option<Decimal>,
    /// The applicable maximum after.
    pub max_points_after: Option<Decimal>,
    /// Criteria without input before (scored 0 as missing): a gap, not a failure.
    pub missing_before: Option<usize>,
    /// Criteria without input after.
    pub missing_after: Option<usize>,
    /// Why the row before could not be scored.
    pub error_before: Option<String>,
    /// Why the row after could not be scored.
    pub error_after: Option<String>,
    /// Each area's points on both sides, in scheme order.
    pub areas: Vec<AreaChange>,
    /// Every criterion on both sides, the largest change of points first (verdicts that
    /// turned before other changes of the same size, then scheme order).
    pub criteria: Vec<CriterionChange>,
}

/// What one side says of a unit.
#[derive(Debug, Clone)]
pub(crate) struct SideOf<'a> {
    pub period: Option<String>,
    pub outcome: Result<&'a Evaluation, String>,
    pub rank: Option<usize>,
}

impl UnitChange {
    /// Two evaluations of one unit (or of any two units) under one scheme, without ranks.
    ///
    /// ```
    /// use parscore::{Options, Scheme};
    /// use parscore_compare::UnitChange;
    /// let scheme = Scheme::builtin("lang-son-snn-2024")?;
    /// let mut before = scheme.inputs("Sở A", Some("2023".into()));
    /// before.set_text("survey_points", "15")?;
    /// let mut after = scheme.inputs("Sở A", Some("2024".into()));
    /// after.set_text("survey_points", "17.5")?;
    /// let options = Options::default();
    /// let change = UnitChange::between(
    ///     &scheme.evaluate(&before, &options)?,
    ///     &scheme.evaluate(&after, &options)?,
    /// )?;
    /// assert_eq!(change.points_delta.unwrap().to_string(), "2.5");
    /// assert_eq!(change.criteria[0].change.name(), "up");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn between(before: &Evaluation, after: &Evaluation) -> Result<UnitChange, CompareError> {
        if before.scheme() != after.scheme() {
            return Err(CompareError::SchemeMismatch {
                before: before.scheme().id().to_string(),
                after: after.scheme().id().to_string(),
            });
        }
        fn side(evaluation: &Evaluation) -> SideOf<'_> {
            SideOf {
                period: evaluation.period().map(str::to_string),
                outcome: Ok(evaluation),
                rank: None,
            }
        }
        let areas = AreaOf::new(before.scheme());
        Ok(UnitChange::build(
            crate::text::unit_key(before.unit()),
            Some(side(before)),
            Some(side(after)),
            &areas,
        ))
    }

    pub(crate) fn build<'a>(
        unit: String,
        before: Option<SideOf<'a>>,
        after: Option<SideOf<'a>>,
        areas: &AreaOf,
    ) -> UnitChange {
        let presence = match (&before, &after) {
            (Some(_), None) => Presence::BeforeOnly,
            (None, Some(_)) => Presence::AfterOnly,
            _ => Presence::Both,
        };
        fn scored<'a>(side: &Option<SideOf<'a>>) -> Option<&'a Evaluation> {
            side.as_ref().and_then(|s| s.outcome.as_ref().ok().copied())
        }
        let (b, a) = (scored(&before), scored(&after));
        let index =
            |e: Option<&Evaluation>| e.and_then(|e| e.index_rounded()).map(|i| i.normalize());
        let points = |e: Option<&Evaluation>| e.map(|e| e.points().normalize());
        let difference = |x: Option<Decimal>, y: Option<Decimal>| Some((y? - x?).normalize());
        let (index_before, index_after) = (index(b), index(a));
        let (points_before, points_after) = (points(b), points(a));
        let (area_changes, criteria) = match (b, a) {
            (Some(b), Some(a)) => (
                b.areas()
                    .zip(a.areas())
                    .map(|(x, y)| AreaChange::between(&x, &y))
                    .collect(),
                compared_criteria(b, a, areas),
            ),
            _ => (Vec::new(), Vec::new()),
        };
        let error = |side: &Option<SideOf<'_>>| side.as_ref()?.outcome.as_ref().err().cloned();
        UnitChange {
            unit,
            presence,
            period_before: before.as_ref().and_then(|s| s.period.clone()),
            period_after: after.as_ref().and_then(|s| s.period.clone()),
            index_before,
            index_after,
            delta: difference(index_before, index_after),
            grade_before: b.and_then(|e| e.grade()).map(|g| g.name.clone()),
            grade_after: a.and_then(|e| e.grade()).map(|g| g.name.clone()),
            rank_before: before.as_ref().and_then(|s| s.rank),
            rank_after: after.as_ref().and_then(|s| s.rank),
            points_before,
            points_after,
            points_delta: difference(points_before, points_after),
            max_points_before: b.map(|e| e.max_points().normalize()),
            max_points_after: a.map(|e| e.max_points().normalize()),
            missing_before: b.map(|e| e.missing_summary().0),
            missing_after: a.map(|e| e.missing_summary().0),
            error_before: error(&before),
            error_after: error(&after),
            areas: area_changes,
            criteria,
        }
    }

    /// Whether both sides were scored, so that figures and criteria compare.
    pub fn is_compared(&self) -> bool {
        self.points_before.is_some() && self.points_after.is_some()
    }
}

/// Every criterion of both evaluations, the largest changes first.
fn compared_criteria(
    before: &Evaluation,
    after: &Evaluation,
    areas: &AreaOf,
) -> Vec<CriterionChange> {
    let mut criteria: Vec<CriterionChange> = before
        .criteria()
        .zip(after.criteria())
        .map(|(b, a)| CriterionChange::between(&b, &a, areas.of(b.code())))
        .collect();
    // Stable: equal changes keep the scheme's order.
    criteria.sort_by(|x, y| {
        y.delta
            .abs()
            .cmp(&x.delta.abs())
            .then(x.change.order().cmp(&y.change.order()))
    });
    criteria
}

/// The area each criterion of a scheme belongs to.
pub(crate) struct AreaOf(HashMap<String, String>);

impl AreaOf {
    pub fn new(scheme: &Scheme) -> AreaOf {
        let mut area = "";
        let mut map = HashMap::new();
        for criterion in scheme.criteria() {
            if criterion.depth == 0 {
                area = &criterion.code;
            }
            if !criterion.is_group() {
                map.insert(criterion.code.clone(), area.to_string());
            }
        }
        AreaOf(map)
    }

    fn of(&self, code: &str) -> &str {
        self.0.get(code).map_or("", String::as_str)
    }
}
