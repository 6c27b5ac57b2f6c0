//! One criterion, or one area, on both sides.

use parscore::{CriterionResult, Decimal, GroupResult, Status, Value};
use serde::{Deserialize, Serialize};

use crate::text;

/// How a criterion moved from the side before to the side after.
///
/// A verdict that turned decides (`newly_failed`, `newly_passed`); otherwise the points do
/// (`down`, `up`, `same`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Its target was met before and is missed after.
    NewlyFailed,
    /// Its target was missed before and is met after.
    NewlyPassed,
    /// Fewer points after.
    Down,
    /// More points after.
    Up,
    /// The same points, and no verdict turned.
    Same,
}

impl Change {
    /// The change of a criterion whose verdicts were `before` and `after` (`None`: no target,
    /// or no value) and whose points moved by `delta` (after − before).
    ///
    /// ```
    /// use parscore::Decimal;
    /// use parscore_compare::Change;
    /// assert_eq!(Change::of(Some(true), Some(false), Decimal::new(-58, 2)), Change::NewlyFailed);
    /// assert_eq!(Change::of(None, None, Decimal::ONE), Change::Up);
    /// assert_eq!(Change::of(Some(false), None, Decimal::ZERO), Change::Same);
    /// ```
    pub fn of(before: Option<bool>, after: Option<bool>, delta: Decimal) -> Change {
        match (before, after) {
            (Some(true), Some(false)) => Change::NewlyFailed,
            (Some(false), Some(true)) => Change::NewlyPassed,
            _ if delta < Decimal::ZERO => Change::Down,
            _ if delta > Decimal::ZERO => Change::Up,
            _ => Change::Same,
        }
    }

    /// The change as the JSON writes it: `newly_failed`, `newly_passed`, `up`, `down`,
    /// `same`.
    pub fn name(self) -> &'static str {
        match self {
            Change::NewlyFailed => "newly_failed",
            Change::NewlyPassed => "newly_passed",
            Change::Down => "down",
            Change::Up => "up",
            Change::Same => "same",
        }
    }

    /// Among changes of equal size, the verdicts that turned come first, losses before gains.
    pub(crate) fn order(self) -> u8 {
        match self {
            Change::NewlyFailed => 0,
            Change::NewlyPassed => 1,
            Change::Down => 2,
            Change::Up => 3,
            Change::Same => 4,
        }
    }
}

/// One criterion of a unit on both sides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionChange {
    /// The criterion's code, e.g. `III.4.1`.
    pub code: String,
    /// Its short name.
    pub title: String,
    /// Points before, exact.
    pub points_before: Decimal,
    /// Points after, exact.
    pub points_after: Decimal,
    /// `points_after − points_before`.
    pub delta: Decimal,
    /// Whether the target was met before; `None` without a target or a value.
    pub passed_before: Option<bool>,
    /// Whether the target was met after.
    pub passed_after: Option<bool>,
    /// How it moved.
    pub change: Change,
    /// Scored, missing (no input: 0 points, a gap rather than a failure) or not applicable,
    /// before.
    #[serde(with = "text::status")]
    pub status_before: Status,
    /// The same, after.
    #[serde(with = "text::status")]
    pub status_after: Status,
    /// The value scored before (`"9899/10000"`, `"98.7"`, `true`, `"n/a"`); `None` when
    /// missing.
    #[serde(with = "text::value")]
    pub value_before: Option<Value>,
    /// The value scored after.
    #[serde(with = "text::value")]
    pub value_after: Option<Value>,
    /// The criterion's maximum in the scheme.
    pub max_points: Decimal,
    /// The code of the area it belongs to.
    pub area: String,
    /// The lead unit (đơn vị chủ trì) the scheme names for it.
    pub lead: Option<String>,
}

impl CriterionChange {
    pub(crate) fn between(
        before: &CriterionResult<'_>,
        after: &CriterionResult<'_>,
        area: &str,
    ) -> CriterionChange {
        let delta = after.points() - before.points();
        CriterionChange {
            code: before.code().to_string(),
            title: before.title().to_string(),
            points_before: before.points().normalize(),
            points_after: after.points().normalize(),
            delta: delta.normalize(),
            passed_before: before.passed(),
            passed_after: after.passed(),
            change: Change::of(before.passed(), after.passed(), delta),
            status_before: before.status(),
            status_after: after.status(),
            value_before: before.value(),
            value_after: after.value(),
            max_points: before.criterion().max_points.normalize(),
            area: area.to_string(),
            lead: before.criterion().lead.clone(),
        }
    }
}

/// An area's points on both sides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaChange {
    /// The area's code, e.g. `III`.
    pub code: String,
    /// Its title.
    pub title: String,
    /// Points before, exact.
    pub points_before: Decimal,
    /// Points after, exact.
    pub points_after: Decimal,
    /// `points_after − points_before`.
    pub delta: Decimal,
    /// The applicable maximum before (less the criteria that did not apply).
    pub max_points_before: Decimal,
    /// The applicable maximum after.
    pub max_points_after: Decimal,
}

impl AreaChange {
    pub(crate) fn between(before: &GroupResult<'_>, after: &GroupResult<'_>) -> AreaChange {
        AreaChange {
            code: before.code().to_string(),
            title: before.title().to_string(),
            points_before: before.points().normalize(),
            points_after: after.points().normalize(),
            delta: (after.points() - before.points()).normalize(),
            max_points_before: before.max_points().normalize(),
            max_points_after: after.max_points().normalize(),
        }
    }
}
