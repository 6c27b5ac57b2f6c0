//! The list an appraisal council works from: between a unit's self-assessment (tự đánh giá)
//! and the appraisal (thẩm định), every criterion whose points were lowered, with both
//! figures and the lead unit. Lowered points call for an explanation (giải trình) from the
//! unit; a target that turned to missed with the points unchanged is listed too, without one.

use parscore::{Decimal, Value};
use serde::{Deserialize, Serialize};

use crate::criterion::{Change, CriterionChange};
use crate::text;
use crate::unit::UnitChange;

/// A criterion the appraisal took points from (or whose target it found missed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lowered {
    /// The unit.
    pub unit: String,
    /// The criterion's code.
    pub code: String,
    /// Its short name.
    pub title: String,
    /// The lead unit (đơn vị chủ trì) the scheme names for it.
    pub lead: Option<String>,
    /// Points of the first round (the self-assessment), exact.
    pub points_before: Decimal,
    /// Points of the second round (the appraisal), exact.
    pub points_after: Decimal,
    /// `points_after − points_before`: negative when lowered.
    pub delta: Decimal,
    /// The value of the first round.
    #[serde(with = "text::value")]
    pub value_before: Option<Value>,
    /// The value of the second round.
    #[serde(with = "text::value")]
    pub value_after: Option<Value>,
    /// Whether the target was met in each round.
    pub passed_before: Option<bool>,
    /// See `passed_before`.
    pub passed_after: Option<bool>,
    /// Whether the unit owes an explanation (giải trình): the points were lowered.
    pub explanation_due: bool,
}

/// The criteria lowered (or newly failed) of every unit, units in order, the largest
/// reduction of each unit first.
pub(crate) fn lowered(units: &[UnitChange]) -> Vec<Lowered> {
    units
        .iter()
        .flat_map(|unit| {
            unit.criteria
                .iter()
                .filter(|c| c.delta < Decimal::ZERO || c.change == Change::NewlyFailed)
                .map(|c| entry(&unit.unit, c))
        })
        .collect()
}

fn entry(unit: &str, c: &CriterionChange) -> Lowered {
    Lowered {
        unit: unit.to_string(),
        code: c.code.clone(),
        title: c.title.clone(),
        lead: c.lead.clone(),
        points_before: c.points_before,
        points_after: c.points_after,
        delta: c.delta,
        value_before: c.value_before,
        value_after: c.value_after,
        passed_before: c.passed_before,
        passed_after: c.passed_after,
        explanation_due: c.delta < Decimal::ZERO,
    }
}
