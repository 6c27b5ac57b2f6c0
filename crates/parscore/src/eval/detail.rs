//! The full evaluation of one unit: the shared scoring of [`crate::eval::scorer`], plus for every
//! criterion its margin and the points meeting its target would recover.

use rust_decimal::Decimal;

use super::leaf::{LeafScore, Status};
use super::result::{Evaluation, LeafOutcome, Outcome};
use crate::Options;
use crate::error::InputError;
use crate::input::Inputs;
use crate::num::sum::ExactSum;
use crate::scheme::rounding::RoundingScope;
use crate::scheme::rule::{Rule, RuleInput};
use crate::scheme::target::{Op, Rhs, margin};
use crate::scheme::{Criterion, Leaf, Node, Part, Scheme};
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
        let mut values = inputs.values.clone();
        self.resolve(&mut values)?;
        let nodes = &self.0.nodes;
        let mut points = vec![ExactSum::default(); nodes.len()];
        let mut max_points = vec![ExactSum::default(); nodes.len()];
        let mut outcomes: Vec<Outcome> = Vec::with_capacity(nodes.len());
        let mut leaves = Vec::with_capacity(self.0.leaves.len());
        let (mut missing, mut missing_points) = (0, ExactSum::default());
        for (node, criterion) in nodes.iter().enumerate() {
            let Node::Leaf(leaf) = &criterion.node else {
                outcomes.push(Outcome {
                    points: Decimal::ZERO,
                    max_points: Decimal::ZERO,
                });
                continue;
            };
            let score = self.score_leaf(node, leaf, &values, options)?;
            points[node] = ExactSum::of(score.points);
            max_points[node] = ExactSum::of(score.max_points);
            if score.status == Status::Missing {
                missing += 1;
                missing_points = missing_points + max_points[node];
            }
            outcomes.push(Outcome {
                points: score.points,
                max_points: score.max_points,
            });
            // Leaves are numbered in node order, as this loop meets them.
            leaves.push(self.detail(leaf, criterion, &score));
        }
        let (total, max_total) = self.sum_tree(&mut points, &mut max_points);
        for &group in &self.0.groups {
            outcomes[group].points = points[group].to_decimal();
            outcomes[group].max_points = max_points[group].to_decimal();
        }
        // A bonus criterion recovers no more than the room its section's cap leaves.
        if let Some(bonus) = self.0.bonus {
            let room = bonus.cap - outcomes[bonus.node].points;
            let parts = self.0.leaves.iter().map(|&node| nodes[node].part);
            for (leaf, part) in leaves.iter_mut().zip(parts) {
                if part == Part::Bonus {
                    leaf.recoverable = leaf.recoverable.min(room);
                }
            }
        }
        Ok(Evaluation {
            scheme: self.clone(),
            unit: inputs.unit.clone(),
            period: inputs.period.clone(),
            outcomes: outcomes.into(),
            leaves: leaves.into(),
            points: total.to_decimal(),
            max_points: max_total.to_decimal(),
            missing: (missing, missing_points.to_decimal()),
        })
    }

    /// What a report adds to a leaf's score: the margin and the recoverable points. A
    /// penalty recovers nothing: it is an event of the year, not a target to meet.
    fn detail(&self, leaf: &Leaf, criterion: &Criterion, score: &LeafScore) -> LeafOutcome {
        let max = criterion.max_points;
        let margin = match (score.status, score.value, &leaf.target) {
            (Status::Scored, Some(value), Some(target)) => {
                let rhs = match &target.rhs {
                    Rhs::Number(d) => Some(*d),
                    Rhs::Bool(_) => None,
                    Rhs::Indicator(_) => score.reference.and_then(|r| r.as_decimal()),
                };
                (value.as_decimal().zip(rhs)).map(|(v, t)| margin(target.op, v, t))
            }
            _ => None,
        };
        let recoverable = match score.status {
            _ if criterion.part == Part::Penalty => Decimal::ZERO,
            Status::NotApplicable => Decimal::ZERO,
            Status::Scored | Status::Missing => (self.points_at_target(leaf, max, score.reference)
                - score.points)
                .max(Decimal::ZERO),
        };
        LeafOutcome {
            status: score.status,
            value: match score.status {
                Status::NotApplicable => score.value.or(Some(Value::NotApplicable)),
                _ => score.value,
            },
            reference: score.reference,
            passed: score.passed,
            margin,
            recoverable,
        }
    }

    /// The points a leaf earns once its target is met (its maximum when it has no numeric
    /// target to aim at).
    fn points_at_target(&self, leaf: &Leaf, max: Decimal, reference: Option<Value>) -> Decimal {
        let aim = match leaf.target.as_ref().map(|t| (t.op, &t.rhs)) {
            Some((Op::Ge | Op::Gt, Rhs::Indicator(_))) => {
                reference.filter(|r| r.fraction().is_some())
            }
            _ => None,
        };
        let at_target = match (&leaf.rule, aim) {
            (Rule::Proportional(_) | Rule::Bands(_), Some(aim)) => {
                RuleInput::of(aim).and_then(|aim| leaf.rule.points(max, aim, Some(true)).ok())
            }
            (Rule::Threshold { pass, .. }, _) => Some(*pass),
            _ => leaf.points_at_target,
        };
        let points = at_target.unwrap_or(max);
        if self.rounding().scope == RoundingScope::Criterion {
            self.rounding().round(points).min(max)
        } else {
            points
        }
    }
}
