//! How one leaf is scored, by every path alike (one unit, a batch, the columnar engine's
//! general step): derived values formed from their counts, the target checked exactly, the
//! rule's points, the criterion's status.

use rust_decimal::Decimal;

use crate::Options;
use crate::error::InputError;
use crate::num::fraction::Fraction;
use crate::scheme::file::NaPolicy;
use crate::scheme::rounding::RoundingScope;
use crate::scheme::rule::{Rule, RuleInput};
use crate::scheme::target::{Op, Rhs};
use crate::scheme::{IndicatorSource, Leaf, Scheme};
use crate::value::Value;

/// How a criterion was scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Scored from its value.
    Scored,
    /// No input: 0 points, still counted in the maximum.
    Missing,
    /// The criterion does not apply: excluded from the maximum, or given full points.
    NotApplicable,
}

impl Status {
    /// The status as reports and the results document write it: `scored`, `missing` or
    /// `not_applicable`.
    pub fn name(self) -> &'static str {
        match self {
            Status::Scored => "scored",
            Status::Missing => "missing",
            Status::NotApplicable => "not_applicable",
        }
    }
}

/// A leaf's verdict and points, before any detail is added.
#[derive(Debug, Clone, Copy)]
pub struct LeafScore {
    /// Scored, missing or not applicable.
    pub status: Status,
    /// The indicator's value, as resolved.
    pub value: Option<Value>,
    /// The value of the indicator an `@indicator` target compares with.
    pub reference: Option<Value>,
    /// Whether the target was met; `None` without a target or a value.
    pub passed: Option<bool>,
    /// The points given.
    pub points: Decimal,
    /// The applicable maximum: 0 for an excluded criterion.
    pub max_points: Decimal,
}

impl Scheme {
    /// Fills derived rates in from their counts, in place, where not given directly. A rate
    /// given directly and also through both its counts (as numbers) must agree with them
    /// exactly: when it does not, which one is meant cannot be told, and the row is refused
    /// naming both.
    pub(crate) fn resolve(&self, values: &mut [Option<Value>]) -> Result<(), InputError> {
        for &slot in &self.0.derived {
            let indicator = &self.0.indicators[slot];
            let (a, b) = match indicator.source {
                IndicatorSource::Input => continue,
                IndicatorSource::Ratio {
                    numerator,
                    denominator,
                } => (numerator, denominator),
                IndicatorSource::Reduction { baseline, current } => (baseline, current),
            };
            let refuse = |reason| InputError::InvalidValue {
                indicator: indicator.id.clone(),
                reason,
            };
            let derived = match indicator.source {
                IndicatorSource::Reduction { .. } => derive(values[a], values[b], reduction),
                _ => derive(values[a], values[b], |num, den| {
                    Value::ratio(num, den).map(Some)
                }),
            };
            let counted = matches!(
                (values[a], values[b]),
                (Some(Value::Number(_)), Some(Value::Number(_)))
            );
            match (values[slot], derived) {
                (None, derived) => values[slot] = derived.map_err(refuse)?,
                (Some(given), Ok(Some(formed))) if counted && !agree(given, formed) => {
                    let (a, b) = (&self.0.indicators[a].id, &self.0.indicators[b].id);
                    return Err(refuse(format!(
                        "given as {given} and through its counts `{a}` and `{b}` as {formed}: \
                         give one or the other"
                    )));
                }
                (Some(_), Err(reason)) if counted => return Err(refuse(reason)),
                _ => {}
            }
        }
        Ok(())
    }

    /// Scores the leaf at `node` from resolved values.
    pub fn score_leaf(
        &self,
        node: usize,
        leaf: &Leaf,
        values: &[Option<Value>],
        options: &Options,
    ) -> Result<LeafScore, InputError> {
        let criterion = &self.0.nodes[node];
        let max = criterion.max_points;
        let reference = leaf.target_slot.and_then(|slot| values[slot]);
        let value = values[leaf.indicator];
        let verdict = |status, passed, points, max_points| LeafScore {
            status,
            value,
            reference,
            passed,
            points,
            max_points,
        };
        let not_applicable = || {
            let points = match leaf.not_applicable {
                NaPolicy::Exclude => Decimal::ZERO,
                NaPolicy::FullPoints => max,
            };
            verdict(Status::NotApplicable, None, points, points)
        };
        let missing = |slot: usize| {
            if options.strict {
                return Err(InputError::Missing {
                    code: criterion.code.clone(),
                    indicator: self.0.indicators[slot].id.clone(),
                });
            }
            Ok(verdict(Status::Missing, None, Decimal::ZERO, max))
        };
        let value = match value {
            None => return missing(leaf.indicator),
            Some(Value::NotApplicable) => return Ok(not_applicable()),
            Some(value) => value,
        };
        // Read once: the target and the rule both compare it.
        let Some(input) = RuleInput::of(value) else {
            return Ok(not_applicable());
        };
        let passed = match &leaf.target {
            None => None,
            Some(target) => {
                let rhs = match &target.rhs {
                    Rhs::Number(d) => RuleInput::Number(Fraction::whole(*d)),
                    Rhs::Bool(b) => RuleInput::Bool(*b),
                    Rhs::Indicator(_) => match reference.map(RuleInput::of) {
                        Some(Some(rhs)) => rhs,
                        // An n/a reference.
                        Some(None) => return Ok(not_applicable()),
                        None => return missing(leaf.target_slot.unwrap_or(leaf.indicator)),
                    },
                };
                Some(passes(target.op, input, rhs))
            }
        };
        let mut points =
            leaf.rule
                .points(max, input, passed)
                .map_err(|reason| InputError::Rule {
                    code: criterion.code.clone(),
                    indicator: self.0.indicators[leaf.indicator].id.clone(),
                    reason,
                })?;
        if self.0.rounding.scope == RoundingScope::Criterion {
            // A maximum with more places than the rounding (0.45 at 1 place) must not round
            // past itself, nor a deduction past its cap: points stay within the rule's range.
            let least = match leaf.rule {
                Rule::Deduction { cap, .. } => max - cap,
                _ => Decimal::ZERO,
            };
            points = self.0.rounding.round(points).min(max).max(least.min(max));
        }
        Ok(verdict(Status::Scored, passed, points, max))
    }
}

/// `(baseline − current) / baseline` as counts; 0 makes it not applicable. The difference
/// must be exact: one that needs more digits than a decimal holds is refused, not rounded.
fn reduction(baseline: Decimal, current: Decimal) -> Result<Option<Value>, String> {
    if baseline.is_zero() {
        return Ok(Some(Value::NotApplicable));
    }
    if baseline.is_sign_negative() {
        return Err(format!("a baseline of {baseline} cannot be reduced"));
    }
    let difference = baseline
        .checked_sub(current)
        .filter(|d| d.checked_add(current) == Some(baseline))
        .ok_or_else(|| {
            format!("{baseline} − {current} needs more digits than a value holds exactly")
        })?;
    Ok(Some(Value::Ratio {
        num: difference,
        den: baseline,
    }))
}

/// Whether a rate given directly is the one its counts form: equal as numbers (`99` and
/// `990/1000`), or both not applicable.
fn agree(given: Value, formed: Value) -> bool {
    match (given.fraction(), formed.fraction()) {
        (Some(given), Some(formed)) => given.cmp_exact(formed) == std::cmp::Ordering::Equal,
        _ => given == formed,
    }
}

fn derive(
    a: Option<Value>,
    b: Option<Value>,
    make: impl FnOnce(Decimal, Decimal) -> Result<Option<Value>, String>,
) -> Result<Option<Value>, String> {
    match (a, b) {
        (Some(Value::NotApplicable), _) | (_, Some(Value::NotApplicable)) => {
            Ok(Some(Value::NotApplicable))
        }
        (Some(Value::Number(a)), Some(Value::Number(b))) => make(a, b),
        _ => Ok(None),
    }
}

/// Whether `value op rhs` holds, exactly; a yes/no against a number never does.
fn passes(op: Op, value: RuleInput, rhs: RuleInput) -> bool {
    match (value, rhs) {
        (RuleInput::Bool(v), RuleInput::Bool(t)) => (v == t) != (op == Op::Ne),
        (RuleInput::Number(v), RuleInput::Number(t)) => op.holds(v.cmp_exact(t)),
        _ => false,
    }
}
