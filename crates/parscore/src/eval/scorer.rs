//! The figures of a unit and nothing more: its points, applicable maximum and each leaf's
//! points, summed exactly up the tree. [`Scheme::evaluate`] adds margins, reasons and
//! recoverable points on top; [`Scorer`] stops here, for batches where only the figures are
//! wanted.

use rust_decimal::Decimal;

use crate::Options;
use crate::error::InputError;
use crate::eval::leaf::Status;
use crate::input::{Inputs, fit};
use crate::num::sum::ExactSum;
use crate::scheme::{Node, Part, Scheme};
use crate::value::Value;

impl Scheme {
    /// Sums every group from its children, in place (leaves already filled), and returns the
    /// unit's total and applicable maximum. A group never falls below 0; the bonus section
    /// counts at most its cap, the penalties section takes off at most its cap (its points
    /// are what it takes off, negated). The total is the areas' points with the bonus added
    /// and the penalties taken off, never below 0, and with a bonus never above the
    /// applicable maximum unless the scheme lets the index pass 100.
    pub(crate) fn sum_tree(
        &self,
        points: &mut [ExactSum],
        max_points: &mut [ExactSum],
    ) -> (ExactSum, ExactSum) {
        let data = &self.0;
        // Pre-order: every child comes after its group, so the reverse sees children first.
        for &group in data.groups.iter().rev() {
            if let Node::Group { children } = &data.nodes[group].node {
                let sum: ExactSum = children.iter().map(|&c| points[c]).sum();
                let most: ExactSum = children.iter().map(|&c| max_points[c]).sum();
                (points[group], max_points[group]) = match data.section(group) {
                    Some((Part::Bonus, cap)) => (sum.max_zero().min(cap), most.min(cap)),
                    Some((_, cap)) => (sum.max(ExactSum::of(-cap.to_decimal())), most),
                    None => (sum.max_zero(), most),
                };
            }
        }
        let areas = &data.areas;
        let content: ExactSum = areas.iter().map(|&a| points[a]).sum();
        let max: ExactSum = areas.iter().map(|&a| max_points[a]).sum();
        let sections = [data.bonus, data.penalties];
        if sections.iter().all(Option::is_none) {
            return (content, max);
        }
        let extra: ExactSum = sections.iter().flatten().map(|s| points[s.node]).sum();
        let total = (content + extra).max_zero();
        if data.bonus.is_some() && !data.above_100 {
            return (total.min(max), max);
        }
        (total, max)
    }
}

/// Points / maximum × 100 to 28 digits. Points never exceed their maximum (at most 10^9),
/// so the product always fits.
pub(crate) fn index_of(points: Decimal, max: Decimal) -> Option<Decimal> {
    (max > Decimal::ZERO).then(|| {
        points
            .checked_mul(Decimal::ONE_HUNDRED)
            .and_then(|hundredfold| hundredfold.checked_div(max))
            .unwrap_or(Decimal::ZERO)
            .normalize()
    })
}

/// The headline figures of one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Score {
    /// Total points, exact.
    pub points: Decimal,
    /// The applicable maximum: the scheme's maximum less every excluded criterion.
    pub max_points: Decimal,
}

impl Score {
    /// Points / applicable maximum × 100; `None` when nothing applies.
    pub fn index(&self) -> Option<Decimal> {
        index_of(self.points, self.max_points)
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
    leaf_statuses: Vec<Status>,
}

impl Scorer {
    /// A scorer for units of `scheme`, its buffers sized once.
    pub fn new(scheme: &Scheme) -> Scorer {
        Scorer {
            scheme: scheme.clone(),
            values: Vec::with_capacity(scheme.indicators().len()),
            points: vec![ExactSum::default(); scheme.0.nodes.len()],
            max_points: vec![ExactSum::default(); scheme.0.nodes.len()],
            leaf_points: vec![Decimal::ZERO; scheme.0.leaves.len()],
            leaf_statuses: vec![Status::Missing; scheme.0.leaves.len()],
        }
    }

    /// Scores one unit's inputs.
    pub fn score(&mut self, inputs: &Inputs, options: &Options) -> Result<Score, InputError> {
        if inputs.scheme != self.scheme {
            return Err(InputError::WrongScheme(inputs.scheme.id().to_string()));
        }
        // Checked when they were set.
        self.values.clear();
        self.values.extend_from_slice(&inputs.values);
        self.score_checked(options)
    }

    /// Scores one unit from its values by indicator slot (the scheme's indicator order),
    /// as a columnar reader produces them: one per indicator, each checked as
    /// [`Inputs::set`] checks it (its kind, its range, the [limits](crate::limits)).
    pub fn score_values(
        &mut self,
        values: &[Option<Value>],
        options: &Options,
    ) -> Result<Score, InputError> {
        let scheme = &self.scheme;
        let indicators = scheme.indicators();
        if values.len() != indicators.len() {
            return Err(InputError::Row {
                row: 0,
                reason: format!(
                    "{} values for the {} indicators of scheme `{}`",
                    values.len(),
                    indicators.len(),
                    scheme.id()
                ),
            });
        }
        self.values.clear();
        for (indicator, value) in indicators.iter().zip(values) {
            self.values
                .push(value.map(|v| fit(indicator, v)).transpose()?);
        }
        self.score_checked(options)
    }

    /// Scores the values in `self.values`, already checked against their indicators.
    fn score_checked(&mut self, options: &Options) -> Result<Score, InputError> {
        let scheme = &self.scheme;
        scheme.resolve(&mut self.values)?;
        for (i, &node) in scheme.0.leaves.iter().enumerate() {
            let Node::Leaf(leaf) = &scheme.0.nodes[node].node else {
                continue;
            };
            let score = scheme.score_leaf(node, leaf, &self.values, options)?;
            self.leaf_points[i] = score.points;
            self.leaf_statuses[i] = score.status;
            self.points[node] = ExactSum::of(score.points);
            self.max_points[node] = ExactSum::of(score.max_points);
        }
        let (points, max_points) = scheme.sum_tree(&mut self.points, &mut self.max_points);
        Ok(Score {
            points: points.to_decimal(),
            max_points: max_points.to_decimal(),
        })
    }

    /// The points of a node (a group's as summed) of the last unit scored.
    pub fn node_points(&self, node: usize) -> Decimal {
        self.points[node].to_decimal()
    }

    /// The points of each leaf of the last unit scored, in scheme order.
    pub fn leaf_points(&self) -> &[Decimal] {
        &self.leaf_points
    }

    /// The status of each leaf of the last unit scored, in scheme order (for the columnar
    /// engine's coverage figures).
    pub fn leaf_statuses(&self) -> &[Status] {
        &self.leaf_statuses
    }

    /// The scheme it scores with.
    pub fn scheme(&self) -> &Scheme {
        &self.scheme
    }
}
