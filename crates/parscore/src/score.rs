//! The lean scoring every path shares: derived values, each leaf's verdict and points, and
//! exact sums up the tree. [`Scheme::evaluate`] adds margins, reasons and recoverable points
//! on top; [`Scorer`] stops here, for batches where only the figures are wanted.

use rust_decimal::Decimal;

use crate::Options;
use crate::error::InputError;
use crate::evaluation::Status;
use crate::exact_sum::ExactSum;
use crate::format::NaPolicy;
use crate::fraction::Fraction;
use crate::rounding::RoundingScope;
use crate::rule::RuleInput;
use crate::scheme::{IndicatorSource, Leaf, Node, Scheme};
use crate::target::{Op, Rhs};
use crate::value::Value;

/// A leaf's verdict and points, before any detail is added.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LeafScore {
    pub status: Status,
    pub value: Option<Value>,
    pub reference: Option<Value>,
    pub passed: Option<bool>,
    pub points: Decimal,
    /// The applicable maximum: 0 for an excluded criterion.
    pub max_points: Decimal,
}

impl Scheme {
    /// Fills derived rates in from their counts, in place, where not given directly.
    pub(crate) fn resolve(&self, values: &mut [Option<Value>]) -> Result<(), InputError> {
        for &slot in &self.0.derived {
            if values[slot].is_some() {
                continue;
            }
            let indicator = &self.0.indicators[slot];
            let derived = match indicator.source {
                IndicatorSource::Input => continue,
                IndicatorSource::Ratio {
                    numerator,
                    denominator,
                } => derive(values[numerator], values[denominator], |num, den| {
                    Value::ratio(num, den).map(Some)
                }),
                IndicatorSource::Reduction { baseline, current } => {
                    derive(values[baseline], values[current], |baseline, current| {
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
        Ok(())
    }

    /// Scores the leaf at `node` from resolved values.
    pub(crate) fn score_leaf(
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
        let Some(input) = rule_input(value) else {
            return Ok(not_applicable());
        };
        let passed = match &leaf.target {
            None => None,
            Some(target) => {
                let rhs = match &target.rhs {
                    Rhs::Number(d) => RuleInput::Number(Fraction::whole(*d)),
                    Rhs::Bool(b) => RuleInput::Bool(*b),
                    Rhs::Indicator(_) => match reference.map(rule_input) {
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
            points = self.0.rounding.round(points);
        }
        Ok(verdict(Status::Scored, passed, points, max))
    }

    /// Sums every group from its children, in place (leaves already filled), and returns the
    /// unit's points and applicable maximum. A group never falls below 0.
    pub(crate) fn sum_tree(
        &self,
        points: &mut [ExactSum],
        max_points: &mut [ExactSum],
    ) -> (ExactSum, ExactSum) {
        // Pre-order: every child comes after its group, so the reverse sees children first.
        for &group in self.0.groups.iter().rev() {
            if let Node::Group { children } = &self.0.nodes[group].node {
                points[group] = children
                    .iter()
                    .map(|&c| points[c])
                    .sum::<ExactSum>()
                    .max_zero();
                max_points[group] = children.iter().map(|&c| max_points[c]).sum();
            }
        }
        let areas = &self.0.areas;
        (
            areas.iter().map(|&a| points[a]).sum(),
            areas.iter().map(|&a| max_points[a]).sum(),
        )
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

/// A value as a rule reads it; `None` for n/a.
pub(crate) fn rule_input(value: Value) -> Option<RuleInput> {
    match value {
        Value::Bool(b) => Some(RuleInput::Bool(b)),
        other => other.fraction().map(RuleInput::Number),
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

/// The headline figures of one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Score {
    pub points: Decimal,
    pub max_points: Decimal,
}

impl Score {
    /// Points / applicable maximum × 100; `None` when nothing applies.
    pub fn index(&self) -> Option<Decimal> {
        crate::evaluation::index_of(self.points, self.max_points)
    }
}

/// Scores units to their figures alone (total, applicable maximum, points per criterion),
/// reusing its buffers from one unit to the next. What [`Scheme::evaluate`] returns beyond
/// that — margins, reasons, recoverable points — is left out, and so is its cost.
///
/// ```
/// use parscore::{Scheme, Options, Scorer};
/// let scheme = Scheme::builtin("lang-son-snn-2024")?;
/// let mut inputs = scheme.inputs("A", None);
/// inputs.set_text("survey_points", "17")?;
/// let mut scorer = Scorer::new(&scheme);
/// let score = scorer.score(&inputs, &Options::default())?;
/// let full = scheme.evaluate(&inputs, &Options::default())?;
/// assert_eq!(score.points, full.points());
/// assert_eq!(scorer.leaf_points().len(), scheme.leaves().count());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Scorer {
    scheme: Scheme,
    values: Vec<Option<Value>>,
    points: Vec<ExactSum>,
    max_points: Vec<ExactSum>,
    leaf_points: Vec<Decimal>,
}

impl Scorer {
    pub fn new(scheme: &Scheme) -> Scorer {
        Scorer {
            scheme: scheme.clone(),
            values: Vec::with_capacity(scheme.indicators().len()),
            points: vec![ExactSum::default(); scheme.0.nodes.len()],
            max_points: vec![ExactSum::default(); scheme.0.nodes.len()],
            leaf_points: vec![Decimal::ZERO; scheme.0.leaves.len()],
        }
    }

    /// Scores one unit's inputs.
    pub fn score(
        &mut self,
        inputs: &crate::Inputs,
        options: &Options,
    ) -> Result<Score, InputError> {
        if inputs.scheme != self.scheme {
            return Err(InputError::WrongScheme(inputs.scheme.id().to_string()));
        }
        self.score_values(&inputs.values, options)
    }

    /// Scores one unit from its values by indicator slot (the scheme's indicator order),
    /// as a columnar reader produces them.
    pub fn score_values(
        &mut self,
        values: &[Option<Value>],
        options: &Options,
    ) -> Result<Score, InputError> {
        let scheme = &self.scheme;
        self.values.clear();
        self.values.extend_from_slice(values);
        self.values.resize(scheme.0.indicators.len(), None);
        scheme.resolve(&mut self.values)?;
        for (i, &node) in scheme.0.leaves.iter().enumerate() {
            let Node::Leaf(leaf) = &scheme.0.nodes[node].node else {
                continue;
            };
            let score = scheme.score_leaf(node, leaf, &self.values, options)?;
            self.leaf_points[i] = score.points;
            self.points[node] = ExactSum::of(score.points);
            self.max_points[node] = ExactSum::of(score.max_points);
        }
        let (points, max_points) = scheme.sum_tree(&mut self.points, &mut self.max_points);
        Ok(Score {
            points: points.to_decimal(),
            max_points: max_points.to_decimal(),
        })
    }

    /// The points of each leaf of the last unit scored, in scheme order.
    pub fn leaf_points(&self) -> &[Decimal] {
        &self.leaf_points
    }

    pub fn scheme(&self) -> &Scheme {
        &self.scheme
    }
}
