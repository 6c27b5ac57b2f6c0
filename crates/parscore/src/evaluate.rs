//! The evaluation of one unit: resolve derived values, score each leaf, sum the tree.

use rust_decimal::Decimal;

use crate::Options;
use crate::error::InputError;
use crate::evaluation::{Evaluation, LeafOutcome, Outcome, Status};
use crate::exact_sum::ExactSum;
use crate::format::NaPolicy;
use crate::inputs::Inputs;
use crate::rounding::RoundingScope;
use crate::rule::{Rule, RuleInput};
use crate::scheme::{Criterion, IndicatorSource, Leaf, Node, Scheme};
use crate::target::{Op, Rhs, check_numbers};
use crate::value::Value;

impl Scheme {
    /// Scores one unit.
    ///
    /// Fails only for inputs that cannot be scored: made for another scheme, a derived rate
    /// whose counts contradict each other, `given` points above the maximum, or (strict mode)
    /// a missing value.
    pub fn evaluate(&self, inputs: &Inputs, options: &Options) -> Result<Evaluation, InputError> {
        if inputs.scheme != *self {
            return Err(InputError::WrongScheme(inputs.scheme.id().to_string()));
        }
        let values = self.resolve(&inputs.values)?;
        let nodes = &self.0.nodes;
        let mut outcomes: Vec<Outcome> = Vec::with_capacity(nodes.len());
        // Nodes are in pre-order, so filling from the end scores every child before its group.
        outcomes.resize_with(nodes.len(), || Outcome {
            points: Decimal::ZERO,
            max_points: Decimal::ZERO,
            leaf: None,
        });
        for index in (0..nodes.len()).rev() {
            let outcome = match &nodes[index].node {
                Node::Leaf(leaf) => self.score_leaf(&nodes[index], leaf, &values, options)?,
                Node::Group { children } => {
                    let points: ExactSum = children.iter().map(|&c| outcomes[c].points).sum();
                    let max_points: ExactSum =
                        children.iter().map(|&c| outcomes[c].max_points).sum();
                    Outcome {
                        // A deduction may reach into its group, which never falls below 0.
                        points: points.max_zero().to_decimal(),
                        max_points: max_points.to_decimal(),
                        leaf: None,
                    }
                }
            };
            outcomes[index] = outcome;
        }
        let points = self
            .0
            .areas
            .iter()
            .map(|&a| outcomes[a].points)
            .sum::<ExactSum>();
        let max_points = self.0.areas.iter().map(|&a| outcomes[a].max_points);
        let (points, max_points) = (
            points.to_decimal(),
            max_points.sum::<ExactSum>().to_decimal(),
        );
        Ok(Evaluation {
            scheme: self.clone(),
            unit: inputs.unit.clone(),
            period: inputs.period.clone(),
            outcomes,
            points,
            max_points,
        })
    }

    /// Input values with derived rates filled in from their counts where not given directly.
    fn resolve(&self, given: &[Option<Value>]) -> Result<Vec<Option<Value>>, InputError> {
        let mut values = given.to_vec();
        for (slot, indicator) in self.indicators().iter().enumerate() {
            if values[slot].is_some() {
                continue;
            }
            let derived = match indicator.source {
                IndicatorSource::Input => continue,
                IndicatorSource::Ratio {
                    numerator,
                    denominator,
                } => derive(given[numerator], given[denominator], |num, den| {
                    Value::ratio(num, den).map(Some)
                }),
                IndicatorSource::Reduction { baseline, current } => {
                    derive(given[baseline], given[current], |baseline, current| {
                        if baseline.is_zero() {
                            Ok(Some(Value::NotApplicable))
                        } else if baseline.is_sign_negative() {
                            Err(format!("a baseline of {baseline} cannot be reduced"))
                        } else {
                            Ok(Some(Value::Ratio {
                                num: baseline - current,
                                den: baseline,
                            }))
                        }
                    })
                }
            };
            values[slot] = derived.map_err(|reason| InputError::InvalidValue {
                indicator: indicator.id.clone(),
                reason,
            })?;
        }
        Ok(values)
    }

    fn score_leaf(
        &self,
        criterion: &Criterion,
        leaf: &Leaf,
        values: &[Option<Value>],
        options: &Options,
    ) -> Result<Outcome, InputError> {
        let max = criterion.max_points;
        let indicator = &self.indicators()[leaf.indicator];
        let reference = leaf.target_slot.and_then(|slot| values[slot]);
        let missing = |reference_missing: bool| -> Result<Outcome, InputError> {
            if options.strict {
                let id = match (reference_missing, leaf.target_slot) {
                    (true, Some(slot)) => &self.indicators()[slot].id,
                    _ => &indicator.id,
                };
                return Err(InputError::Missing {
                    code: criterion.code.clone(),
                    indicator: id.clone(),
                });
            }
            Ok(Outcome {
                points: Decimal::ZERO,
                max_points: max,
                leaf: Some(LeafOutcome {
                    status: Status::Missing,
                    value: values[leaf.indicator],
                    reference,
                    passed: None,
                    margin: None,
                    recoverable: self.points_at_target(leaf, max, reference),
                }),
            })
        };
        let value = match values[leaf.indicator] {
            None => return missing(false),
            Some(Value::NotApplicable) => return Ok(not_applicable(leaf, max, None, reference)),
            Some(value) => value,
        };
        let (passed, margin) = match &leaf.target {
            None => (None, None),
            Some(target) => {
                let rhs = match &target.rhs {
                    Rhs::Number(d) => Value::Number(*d),
                    Rhs::Bool(b) => Value::Bool(*b),
                    Rhs::Indicator(_) => match reference {
                        None => return missing(true),
                        Some(Value::NotApplicable) => {
                            return Ok(not_applicable(leaf, max, Some(value), reference));
                        }
                        Some(r) => r,
                    },
                };
                compare(target.op, value, rhs)
            }
        };
        let Some(input) = rule_input(value) else {
            return Ok(not_applicable(leaf, max, Some(value), reference));
        };
        let mut points =
            leaf.rule
                .points(max, input, passed)
                .map_err(|reason| InputError::Rule {
                    code: criterion.code.clone(),
                    indicator: indicator.id.clone(),
                    reason,
                })?;
        if self.rounding().scope == RoundingScope::Criterion {
            points = self.rounding().round(points);
        }
        let recoverable = (self.points_at_target(leaf, max, reference) - points).max(Decimal::ZERO);
        Ok(Outcome {
            points,
            max_points: max,
            leaf: Some(LeafOutcome {
                status: Status::Scored,
                value: Some(value),
                reference,
                passed,
                margin,
                recoverable,
            }),
        })
    }

    /// The points a leaf earns once its target is met (its maximum when it has no numeric
    /// target to aim at).
    fn points_at_target(&self, leaf: &Leaf, max: Decimal, reference: Option<Value>) -> Decimal {
        let aim = match leaf.target.as_ref().map(|t| (t.op, &t.rhs)) {
            Some((Op::Ge | Op::Gt, Rhs::Number(d))) => Some(Value::Number(*d)),
            Some((Op::Ge | Op::Gt, Rhs::Indicator(_))) => {
                reference.filter(|r| r.as_decimal().is_some())
            }
            _ => None,
        };
        let at_target = match (&leaf.rule, aim) {
            (Rule::Proportional { .. } | Rule::Bands(_), Some(aim)) => {
                rule_input(aim).and_then(|aim| leaf.rule.points(max, aim, Some(true)).ok())
            }
            (Rule::Threshold { pass, .. }, _) => Some(*pass),
            _ => None,
        };
        let points = at_target.unwrap_or(max);
        if self.rounding().scope == RoundingScope::Criterion {
            self.rounding().round(points)
        } else {
            points
        }
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

fn not_applicable(
    leaf: &Leaf,
    max: Decimal,
    value: Option<Value>,
    reference: Option<Value>,
) -> Outcome {
    let points = match leaf.not_applicable {
        NaPolicy::Exclude => Decimal::ZERO,
        NaPolicy::FullPoints => max,
    };
    Outcome {
        points,
        max_points: points,
        leaf: Some(LeafOutcome {
            status: Status::NotApplicable,
            value: value.or(Some(Value::NotApplicable)),
            reference,
            passed: None,
            margin: None,
            recoverable: Decimal::ZERO,
        }),
    }
}

/// A value as a rule reads it; `None` for n/a.
fn rule_input(value: Value) -> Option<RuleInput> {
    match value {
        Value::Bool(b) => Some(RuleInput::Bool(b)),
        other => other.fraction().map(RuleInput::Number),
    }
}

fn compare(op: Op, value: Value, rhs: Value) -> (Option<bool>, Option<Decimal>) {
    match (value.fraction(), rhs.fraction(), value, rhs) {
        (Some(v), Some(t), _, _) => {
            let check = check_numbers(op, v, t);
            (Some(check.passed), Some(check.margin))
        }
        (_, _, Value::Bool(v), Value::Bool(t)) => {
            (Some(if op == Op::Ne { v != t } else { v == t }), None)
        }
        _ => (Some(false), None),
    }
}
