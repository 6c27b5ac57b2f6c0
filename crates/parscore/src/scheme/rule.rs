//! Scoring rules: how a leaf turns its value into points, in the forms official instruments use.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use crate::num::exact;
use crate::num::fraction::Fraction;
use crate::value::Value;

/// One band of a `bands` rule: values at or above `min` (and below the previous band) earn
/// `points`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Band {
    /// The band's lower bound, inclusive, in the indicator's unit.
    pub min: Decimal,
    /// The points a value in the band earns.
    pub points: Decimal,
}

/// The goal posts of a proportional rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Goalposts {
    floor: Decimal,
    full_at: Decimal,
    /// `1 / (full_at − floor)` when it terminates, so that scoring multiplies instead of
    /// dividing (the product is the same exact decimal).
    reciprocal: Option<Decimal>,
}

impl Goalposts {
    /// Rate × maximum: 0 at 0%, the maximum at 100%.
    pub const PLAIN: Goalposts = Goalposts {
        floor: Decimal::ZERO,
        full_at: Decimal::ONE_HUNDRED,
        reciprocal: Some(Decimal::from_parts(1, 0, 0, false, 2)),
    };

    /// Goal posts with `floor < full_at`.
    pub fn new(floor: Decimal, full_at: Decimal) -> Option<Goalposts> {
        (floor < full_at).then(|| Goalposts {
            floor,
            full_at,
            reciprocal: exact::reciprocal(full_at - floor),
        })
    }

    /// The value at or below which the rule gives 0 (0 by default).
    pub fn floor(&self) -> Decimal {
        self.floor
    }

    /// The value at or above which the rule gives the maximum (100 by default).
    pub fn full_at(&self) -> Decimal {
        self.full_at
    }

    /// `1 / (full_at − floor)`, when it terminates.
    pub fn reciprocal(&self) -> Option<Decimal> {
        self.reciprocal
    }

    /// `max × (v − floor) / (full_at − floor)` for `floor < v < full_at`: a product when the
    /// span's reciprocal terminates, one division otherwise; exact when it fits 28 places,
    /// else rounded there. Kept within `[0, max]`, where the exact figure lies. `None` only
    /// for figures beyond every decimal, which values within the limits never give.
    pub(crate) fn between(&self, max: Decimal, v: Fraction) -> Option<Decimal> {
        let span = self.full_at - self.floor;
        let exact = v
            .minus(self.floor)
            .and_then(|d| d.scale(max))
            .and_then(|scaled| match self.reciprocal {
                Some(reciprocal) => scaled.scale(reciprocal),
                None => scaled.divide(span),
            });
        let points = match exact {
            Some(points) => points.to_decimal(),
            // Parts beyond i128 (a rate of counts against goal posts of 28 places): the
            // figures at a decimal's precision.
            None => v
                .to_decimal()
                .checked_sub(self.floor)?
                .checked_mul(max)?
                .checked_div(span)?,
        };
        Some(points.clamp(Decimal::ZERO, max))
    }
}

/// A validated rule of a leaf.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// Target met → `pass`, else `fail`.
    Threshold {
        /// Points when the target is met (`pass_points`, default the maximum).
        pass: Decimal,
        /// Points when it is not (`fail_points`, default 0).
        fail: Decimal,
    },
    /// "Tỷ lệ × Điểm tối đa" with goal posts: 0 at or below `floor`, the maximum at or above
    /// `full_at`, linear between.
    Proportional(Goalposts),
    /// Bands ordered by `min`, highest first; below every band → 0.
    Bands(Vec<Band>),
    /// `true` → the maximum, `false` → 0.
    Boolean,
    /// The value is the points (a survey or appraisal result).
    Given,
    /// The maximum less `per` for each occurrence, at most `cap` in all.
    Deduction {
        /// Points taken off for each occurrence counted.
        per: Decimal,
        /// The most points taken off in all; above the maximum, it reaches into the group.
        cap: Decimal,
    },
}

impl Rule {
    /// A short name as written in scheme files.
    pub fn kind(&self) -> &'static str {
        match self {
            Rule::Threshold { .. } => "threshold",
            Rule::Proportional(_) => "proportional",
            Rule::Bands(_) => "bands",
            Rule::Boolean => "boolean",
            Rule::Given => "given",
            Rule::Deduction { .. } => "deduction",
        }
    }

    /// Points for a value, given whether the target passed. The value has already been
    /// checked against the indicator's kind; what is left to refuse is a `given` value
    /// outside `[0, max]`.
    pub(crate) fn points(
        &self,
        max: Decimal,
        value: RuleInput,
        passed: Option<bool>,
    ) -> Result<Decimal, String> {
        Ok(match (self, value) {
            (Rule::Threshold { pass, fail }, _) => {
                if passed == Some(true) {
                    *pass
                } else {
                    *fail
                }
            }
            (Rule::Proportional(posts), RuleInput::Number(v)) => {
                if v.cmp_exact(Fraction::whole(posts.floor)) != Ordering::Greater {
                    Decimal::ZERO
                } else if v.cmp_exact(Fraction::whole(posts.full_at)) != Ordering::Less {
                    max
                } else {
                    posts.between(max, v).ok_or_else(|| {
                        format!("{} is beyond what can be computed exactly", v.to_decimal())
                    })?
                }
            }
            (Rule::Bands(bands), RuleInput::Number(v)) => bands
                .iter()
                .find(|band| v.cmp_exact(Fraction::whole(band.min)) != Ordering::Less)
                .map_or(Decimal::ZERO, |band| band.points),
            (Rule::Boolean, RuleInput::Bool(b)) => {
                if b {
                    max
                } else {
                    Decimal::ZERO
                }
            }
            (Rule::Given, RuleInput::Number(v)) => {
                let points = v.to_decimal();
                if points.is_sign_negative() || points > max {
                    return Err(format!(
                        "given points {} lie outside [0, {}]",
                        points.normalize(),
                        max.normalize()
                    ));
                }
                points
            }
            // A yes is one occurrence (a penalty on a yes/no indicator).
            (Rule::Deduction { per, cap }, RuleInput::Bool(yes)) => {
                max - if yes { (*per).min(*cap) } else { Decimal::ZERO }
            }
            (Rule::Deduction { per, cap }, RuleInput::Number(v)) => {
                // A product beyond i128 is beyond every cap: counts are whole, so it is at
                // least 2^127 × 10^-28, and a cap at most 10^9.
                let deducted = match v.scale(*per) {
                    Some(product) if product.cmp_exact(Fraction::whole(*cap)) == Ordering::Less => {
                        product.to_decimal().min(*cap)
                    }
                    _ => *cap,
                };
                max - deducted
            }
            (rule, value) => {
                return Err(format!("a {} rule cannot score {value:?}", rule.kind()));
            }
        })
    }
}

/// A value as a rule sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum RuleInput {
    Number(Fraction),
    Bool(bool),
}

impl RuleInput {
    /// A value as a rule reads it; `None` for n/a.
    pub(crate) fn of(value: Value) -> Option<RuleInput> {
        match value {
            Value::Bool(b) => Some(RuleInput::Bool(b)),
            other => other.fraction().map(RuleInput::Number),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn number(d: Decimal) -> RuleInput {
        RuleInput::Number(Fraction::whole(d))
    }

    #[test]
    fn threshold_gives_pass_or_fail_points() {
        let rule = Rule::Threshold {
            pass: dec!(2),
            fail: dec!(0.5),
        };
        assert_eq!(
            rule.points(dec!(2), number(dec!(1)), Some(true)),
            Ok(dec!(2))
        );
        assert_eq!(
            rule.points(dec!(2), number(dec!(1)), Some(false)),
            Ok(dec!(0.5))
        );
    }

    #[test]
    fn proportional_is_rate_times_max_with_goal_posts() {
        let plain = Rule::Proportional(Goalposts::new(dec!(0), dec!(100)).unwrap());
        assert_eq!(plain.points(dec!(2), number(dec!(75)), None), Ok(dec!(1.5)));
        assert_eq!(plain.points(dec!(2), number(dec!(100)), None), Ok(dec!(2)));
        let posts = Rule::Proportional(Goalposts::new(dec!(50), dec!(90)).unwrap());
        assert_eq!(posts.points(dec!(4), number(dec!(50)), None), Ok(dec!(0)));
        assert_eq!(posts.points(dec!(4), number(dec!(70)), None), Ok(dec!(2)));
        assert_eq!(posts.points(dec!(4), number(dec!(95)), None), Ok(dec!(4)));
        let counts = RuleInput::Number(Fraction::percent(dec!(70), dec!(100)));
        assert_eq!(posts.points(dec!(4), counts, None), Ok(dec!(2)));
    }

    #[test]
    fn bands_are_lower_inclusive() {
        let rule = Rule::Bands(vec![
            Band {
                min: dec!(99),
                points: dec!(2),
            },
            Band {
                min: dec!(95),
                points: dec!(1),
            },
        ]);
        assert_eq!(rule.points(dec!(2), number(dec!(99)), None), Ok(dec!(2)));
        assert_eq!(rule.points(dec!(2), number(dec!(98.99)), None), Ok(dec!(1)));
        assert_eq!(rule.points(dec!(2), number(dec!(95)), None), Ok(dec!(1)));
        assert_eq!(rule.points(dec!(2), number(dec!(94.9)), None), Ok(dec!(0)));
    }

    #[test]
    fn boolean_given_and_deduction() {
        assert_eq!(
            Rule::Boolean.points(dec!(3), RuleInput::Bool(true), None),
            Ok(dec!(3))
        );
        assert_eq!(
            Rule::Boolean.points(dec!(3), RuleInput::Bool(false), None),
            Ok(dec!(0))
        );
        assert_eq!(
            Rule::Given.points(dec!(20), number(dec!(16.85)), None),
            Ok(dec!(16.85))
        );
        assert!(
            Rule::Given
                .points(dec!(20), number(dec!(20.5)), None)
                .is_err()
        );
        let rule = Rule::Deduction {
            per: dec!(0.25),
            cap: dec!(1),
        };
        assert_eq!(rule.points(dec!(1), number(dec!(0)), None), Ok(dec!(1)));
        assert_eq!(rule.points(dec!(1), number(dec!(2)), None), Ok(dec!(0.5)));
        assert_eq!(rule.points(dec!(1), number(dec!(9)), None), Ok(dec!(0)));
    }
}
