//! What an evaluation yields: points at every level, and per criterion the value, target,
//! verdict, margin and the reason, all traceable to the scheme node that produced them.

use rust_decimal::Decimal;

use super::leaf::Status;
use super::scorer::index_of;
use crate::input::Inputs;
use crate::num::sum::ExactSum;
use crate::scheme::rule::Rule;
use crate::scheme::target::Target;
use crate::scheme::{Criterion, Grade, Indicator, Node, Part, Scheme};
use crate::value::Value;

/// The outcome of one scheme node (area, group or leaf), stored by node index.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Outcome {
    pub points: Decimal,
    /// The applicable maximum: 0 for an excluded criterion.
    pub max_points: Decimal,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LeafOutcome {
    pub status: Status,
    pub value: Option<Value>,
    /// The value the target compared with, when it is another indicator's.
    pub reference: Option<Value>,
    pub passed: Option<bool>,
    pub margin: Option<Decimal>,
    pub recoverable: Decimal,
}

/// The evaluation of one unit in one period.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub(crate) scheme: Scheme,
    pub(crate) unit: String,
    pub(crate) period: Option<String>,
    /// Points of every node, by node: leaves and groups alike.
    pub(crate) outcomes: Box<[Outcome]>,
    /// What each leaf made of its value, by leaf (in the order of the scheme's leaves), apart
    /// from the nodes' points, so that a group carries no empty leaf part.
    pub(crate) leaves: Box<[LeafOutcome]>,
    pub(crate) points: Decimal,
    pub(crate) max_points: Decimal,
    /// [`Evaluation::missing_summary`], counted while the leaves are scored: read later it
    /// would visit every leaf again, most of them no longer in the processor's cache.
    pub(crate) missing: (usize, Decimal),
}

impl Evaluation {
    /// The scheme that scored the unit.
    pub fn scheme(&self) -> &Scheme {
        &self.scheme
    }

    /// The unit's name, as its inputs gave it.
    pub fn unit(&self) -> &str {
        &self.unit
    }

    /// The period the inputs were for (e.g. `2024`); `None` when they gave none.
    pub fn period(&self) -> Option<&str> {
        self.period.as_deref()
    }

    /// Total points, exact: the areas' points, with the bonus added and the penalties taken
    /// off (see [`Scheme::bonus`]), never below 0.
    pub fn points(&self) -> Decimal {
        self.points
    }

    /// The applicable maximum: the scheme's maximum less every excluded criterion.
    pub fn max_points(&self) -> Decimal {
        self.max_points
    }

    /// Points / applicable maximum × 100, exact to 28 digits; `None` when nothing applies.
    pub fn index(&self) -> Option<Decimal> {
        index_of(self.points, self.max_points)
    }

    /// The index rounded as the scheme reports it, once, from the exact quotient
    /// ([`Rounding::index`](crate::Rounding::index)); grades and ranks use this figure.
    pub fn index_rounded(&self) -> Option<Decimal> {
        self.scheme.rounding().index(self.points, self.max_points)
    }

    /// The grade of the rounded index ([`Evaluation::index_rounded`]); `None` when the
    /// scheme has no grades, the index is below every grade, or nothing applies.
    pub fn grade(&self) -> Option<&Grade> {
        self.index_rounded().and_then(|i| self.scheme.grade_of(i))
    }

    /// Every leaf criterion, in scheme order.
    pub fn criteria(&self) -> impl Iterator<Item = CriterionResult<'_>> {
        let leaves = self.scheme.0.leaves.iter().zip(&self.leaves);
        leaves.map(|(&node, leaf)| CriterionResult {
            scheme: &self.scheme,
            criterion: &self.scheme.0.nodes[node],
            outcome: &self.outcomes[node],
            leaf,
        })
    }

    /// The leaf criterion with this code.
    pub fn criterion(&self, code: &str) -> Option<CriterionResult<'_>> {
        self.criteria().find(|c| c.code() == code)
    }

    /// Every area and sub-group, in scheme order.
    pub fn groups(&self) -> impl Iterator<Item = GroupResult<'_>> {
        self.scheme.0.groups.iter().map(|&i| GroupResult {
            criterion: &self.scheme.0.nodes[i],
            outcome: &self.outcomes[i],
        })
    }

    /// The areas (top-level groups), in scheme order; the bonus and penalties sections
    /// aside.
    pub fn areas(&self) -> impl Iterator<Item = GroupResult<'_>> {
        self.scheme.0.areas.iter().map(|&i| GroupResult {
            criterion: &self.scheme.0.nodes[i],
            outcome: &self.outcomes[i],
        })
    }

    /// The bonus points counted (điểm thưởng): the bonus criteria's points, at most the
    /// section's cap; `None` when the scheme gives no bonus.
    pub fn bonus_points(&self) -> Option<Decimal> {
        let section = self.scheme.0.bonus?;
        Some(self.outcomes[section.node].points)
    }

    /// The penalty points taken off (điểm trừ), as a positive figure, at most the section's
    /// cap; `None` when the scheme has no penalties.
    pub fn penalty_points(&self) -> Option<Decimal> {
        let section = self.scheme.0.penalties?;
        Some(-self.outcomes[section.node].points)
    }

    /// Criteria that lost points against their target or their yes/no: a target checked and
    /// missed (a `>= 99` at 98.99, a `== 0` with deductions), and a yes/no criterion
    /// answered "No", whose `boolean` rule has no target to miss. Criteria without input are
    /// gaps ([`Evaluation::missing`]), not failures; one that does not apply lost nothing; a
    /// bonus not earned or a penalty is no target.
    ///
    /// ```
    /// use parscore::{Options, Scheme};
    /// let scheme = Scheme::builtin("lang-son-snn-2024")?;
    /// let mut inputs = scheme.inputs("Sở A", None);
    /// inputs.set_text("dossiers_on_time_rate", "98.99")?.set_text("reports_on_time", "không")?;
    /// let evaluation = scheme.evaluate(&inputs, &Options::default())?;
    /// let failed: Vec<_> = evaluation.failed_targets().map(|c| c.code().to_string()).collect();
    /// assert!(failed.contains(&"III.4.1".to_string()));
    /// assert_eq!(failed.len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn failed_targets(&self) -> impl Iterator<Item = CriterionResult<'_>> {
        self.criteria().filter(|c| {
            let answered_no = c.target().is_none()
                && matches!(c.criterion().rule(), Some(Rule::Boolean))
                && c.value() == Some(Value::Bool(false));
            c.criterion().part == Part::Content
                && c.status() == Status::Scored
                && c.lost_points() > Decimal::ZERO
                && (c.passed() == Some(false) || answered_no)
        })
    }

    /// Criteria scored 0 for lack of input (status `missing`), in scheme order.
    pub fn missing(&self) -> impl Iterator<Item = CriterionResult<'_>> {
        self.criteria().filter(|c| c.status() == Status::Missing)
    }

    /// How many criteria had no input, and the points they stand for (their maxima, all
    /// counted as lost): what a report must show beside the index so that a gap is never read
    /// as a failure.
    ///
    /// ```
    /// use parscore::{Decimal, Options, Scheme};
    /// let scheme = Scheme::builtin("lang-son-snn-2024")?;
    /// let mut inputs = scheme.inputs("Sở A", None);
    /// inputs.set_text("survey_points", "17")?;
    /// let evaluation = scheme.evaluate(&inputs, &Options::default())?;
    /// let (count, points) = evaluation.missing_summary();
    /// assert_eq!(count, scheme.leaves().count() - 1);
    /// assert_eq!(points, scheme.max_points() - Decimal::from(20));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn missing_summary(&self) -> (usize, Decimal) {
        self.missing
    }

    /// Points that meeting each target (or supplying a missing value that meets it) would
    /// gain, largest first; ties keep scheme order.
    pub fn recoverable(&self) -> Vec<Recoverable<'_>> {
        let mut list: Vec<Recoverable<'_>> = self
            .criteria()
            .filter(|c| c.recoverable() > Decimal::ZERO)
            .map(|c| Recoverable {
                points: c.recoverable(),
                criterion: c,
            })
            .collect();
        list.sort_by_key(|r| std::cmp::Reverse(r.points));
        list
    }

    /// The inputs as far as scoring read them: each leaf's value and each `@indicator`
    /// target's reference, any other indicator missing. Evaluated again they give this
    /// evaluation; a what-if analysis changes some of them first.
    pub fn inputs(&self) -> Inputs {
        let scheme = &self.scheme;
        let mut values = vec![None; scheme.indicators().len()];
        for (&node, outcome) in scheme.0.leaves.iter().zip(&self.leaves) {
            if let Node::Leaf(leaf) = &scheme.0.nodes[node].node {
                values[leaf.indicator] = values[leaf.indicator].or(outcome.value);
                if let Some(slot) = leaf.target_slot {
                    values[slot] = values[slot].or(outcome.reference);
                }
            }
        }
        Inputs {
            scheme: scheme.clone(),
            unit: self.unit.clone(),
            period: self.period.clone(),
            values,
        }
    }

    /// Whether points that leaves gain add to the total as they are: no bonus or penalty
    /// section caps them, and no group's deductions hold it at 0.
    pub fn gains_add_up(&self) -> bool {
        let data = &self.scheme.0;
        data.bonus.is_none()
            && data.penalties.is_none()
            && data
                .groups
                .iter()
                .all(|&group| match &data.nodes[group].node {
                    Node::Group { children } => {
                        let raw: ExactSum = children
                            .iter()
                            .map(|&c| ExactSum::of(self.outcomes[c].points))
                            .sum();
                        raw >= ExactSum::default()
                    }
                    Node::Leaf(_) => true,
                })
    }

    /// The exact total after giving the leaves at these positions (in the order of
    /// [`Evaluation::criteria`]) these points, summed up the tree as scoring sums it: groups
    /// never below 0, the sections' caps, the total's bounds.
    pub fn total_with(&self, leaf_points: impl IntoIterator<Item = (usize, Decimal)>) -> ExactSum {
        let data = &self.scheme.0;
        let mut points: Vec<ExactSum> = self
            .outcomes
            .iter()
            .map(|o| ExactSum::of(o.points))
            .collect();
        let mut most: Vec<ExactSum> = (self.outcomes.iter())
            .map(|o| ExactSum::of(o.max_points))
            .collect();
        for (leaf, value) in leaf_points {
            points[data.leaves[leaf]] = ExactSum::of(value);
        }
        self.scheme.sum_tree(&mut points, &mut most).0
    }
}

/// One leaf criterion's result.
#[derive(Debug, Clone, Copy)]
pub struct CriterionResult<'a> {
    pub(crate) scheme: &'a Scheme,
    pub(crate) criterion: &'a Criterion,
    pub(crate) outcome: &'a Outcome,
    pub(crate) leaf: &'a LeafOutcome,
}

impl<'a> CriterionResult<'a> {
    /// The scheme node: code, title, task, lead unit, timeline, …
    pub fn criterion(&self) -> &'a Criterion {
        self.criterion
    }

    /// The criterion's code, e.g. `III.4.1`.
    pub fn code(&self) -> &'a str {
        &self.criterion.code
    }

    /// The criterion's short name.
    pub fn title(&self) -> &'a str {
        &self.criterion.title
    }

    /// The indicator it scores.
    pub fn indicator(&self) -> &'a Indicator {
        let leaf = self.criterion.leaf().expect("criterion results are leaves");
        &self.scheme.indicators()[leaf.indicator]
    }

    /// The value scored (a derived rate as computed from its counts, `n/a` for a criterion
    /// that does not apply); `None` when the value is missing.
    pub fn value(&self) -> Option<Value> {
        self.leaf.value
    }

    /// The criterion's target; `None` when it has none.
    pub fn target(&self) -> Option<&'a Target> {
        self.criterion.target()
    }

    /// The value of the indicator a `@indicator` target compared with; `None` for any other
    /// target, or when that indicator has no value.
    pub fn reference(&self) -> Option<Value> {
        self.leaf.reference
    }

    /// Whether the target was met; `None` without a target or a value.
    pub fn passed(&self) -> Option<bool> {
        self.leaf.passed
    }

    /// Signed distance on the passing side of a numeric target, in the indicator's unit:
    /// `value − target` for `>=` and `>`, `target − value` for `<=` and `<`,
    /// `−|value − target|` for `==`; a negative margin is a miss (`-0.01` for 98.99%
    /// against `>= 99`). `None` without a numeric target, or unless scored.
    pub fn margin(&self) -> Option<Decimal> {
        self.leaf.margin
    }

    /// Points earned, exact (rounded to the scheme's places only with
    /// `apply = "criterion"`).
    pub fn points(&self) -> Decimal {
        self.outcome.points
    }

    /// The applicable maximum (0 when excluded as not applicable).
    pub fn max_points(&self) -> Decimal {
        self.outcome.max_points
    }

    /// Applicable maximum less points.
    pub fn lost_points(&self) -> Decimal {
        self.outcome.max_points - self.outcome.points
    }

    /// What meeting the target (or supplying a missing value that meets it) would add; 0
    /// when nothing can be gained or the criterion does not apply.
    pub fn recoverable(&self) -> Decimal {
        self.leaf.recoverable
    }

    /// Whether it was scored, missing or not applicable.
    pub fn status(&self) -> Status {
        self.leaf.status
    }
}

/// An area's or sub-group's subtotal.
#[derive(Debug, Clone, Copy)]
pub struct GroupResult<'a> {
    pub(crate) criterion: &'a Criterion,
    pub(crate) outcome: &'a Outcome,
}

impl<'a> GroupResult<'a> {
    /// The scheme node of the area or group.
    pub fn criterion(&self) -> &'a Criterion {
        self.criterion
    }

    /// The group's code, e.g. `III`.
    pub fn code(&self) -> &'a str {
        &self.criterion.code
    }

    /// The group's title.
    pub fn title(&self) -> &'a str {
        &self.criterion.title
    }

    /// The sum of its children's points, never below 0; for the bonus section at most its
    /// cap, and for the penalties section what it takes off, negated (at most its cap).
    pub fn points(&self) -> Decimal {
        self.outcome.points
    }

    /// The applicable maximum: its children's, less every excluded criterion (for the bonus
    /// section, at most its cap; 0 for the penalties section).
    pub fn max_points(&self) -> Decimal {
        self.outcome.max_points
    }

    /// Points / applicable maximum × 100, exact to 28 digits (not rounded); `None` when
    /// nothing in the group applies.
    pub fn index(&self) -> Option<Decimal> {
        index_of(self.outcome.points, self.outcome.max_points)
    }
}

/// Points a criterion could recover.
#[derive(Debug, Clone, Copy)]
pub struct Recoverable<'a> {
    /// The criterion to fix.
    pub criterion: CriterionResult<'a>,
    /// The points meeting its target would add to the unit's total.
    pub points: Decimal,
}
