//! A leaf criterion compiled for the columns: the slots it reads, its target and kernel, its
//! points in point units; what a row's cells settle before its rule is applied (missing, n/a,
//! the target), and the row-by-row scoring it falls back on.

use super::kernel::{Kernel, points_of};
use super::lane::Cell;
use super::target::{Compared, Test, compare};
use parscore::engine::{Node, SchemeData, compiled};
use parscore::{IndicatorKind, NaPolicy, Op, Options, Part, RoundingScope, Scheme, Value};

/// A leaf criterion as the kernels score it.
pub(super) struct LeafPlan {
    node: usize,
    /// The indicator slot of its value.
    pub(super) value: usize,
    /// The indicator slot its target names, if it names one.
    pub(super) reference: Option<usize>,
    pub(super) test: Test,
    pub(super) kernel: Kernel,
    pub(super) max: i128,
    /// Points and applicable maximum when the criterion does not apply.
    not_applicable: i128,
    /// Where its points are added (see `Plan::clamps`).
    pub(super) accumulator: usize,
    pub(super) usual: Usual,
    /// Whether its maximum counts in the unit's (not a bonus or a penalty).
    pub(super) counted: bool,
}

/// The cell a leaf's indicator usually holds, which its kernel's dense pass scores.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Usual {
    /// `Cell::Bool`: a yes/no indicator.
    YesNo,
    /// `Cell::Counts`: a rate or reduction derived from counts.
    Counts,
    /// `Cell::Number`: any other indicator.
    Number,
}

/// What a leaf's value and target settle before its rule is applied.
pub(super) enum Verdict {
    /// Figures already known (missing, n/a), or `None`: the row needs the general path.
    Done(Option<(i128, i128)>),
    /// Whether the target passed (`None`: no target).
    Passed(Option<bool>),
}

impl LeafPlan {
    /// The leaf at `node`, adding into `accumulator`. Criterion-level rounding, or a target
    /// or rule the lanes cannot hold, leaves it to the general scoring.
    pub(super) fn new(data: &SchemeData, node: usize, accumulator: usize) -> LeafPlan {
        let criterion = &data.nodes[node];
        let Node::Leaf(leaf) = criterion.node() else {
            unreachable!("leaves are leaf nodes")
        };
        let max = points_of(criterion.max_points);
        let usual = if data.indicators[leaf.indicator].kind == IndicatorKind::Bool {
            Usual::YesNo
        } else if data.derived.contains(&leaf.indicator) {
            Usual::Counts
        } else {
            Usual::Number
        };
        let compiled = (data.rounding.scope != RoundingScope::Criterion)
            .then(|| {
                let test = Test::of(leaf)?;
                let kernel = Kernel::of(leaf, criterion.max_points, &test, usual == Usual::YesNo)?;
                Some((test, kernel))
            })
            .flatten();
        let (test, kernel) = compiled.unwrap_or((Test::None, Kernel::General));
        LeafPlan {
            node,
            value: leaf.indicator,
            reference: leaf.target_slot,
            test,
            kernel,
            max,
            not_applicable: match leaf.not_applicable {
                NaPolicy::Exclude => 0,
                NaPolicy::FullPoints => max,
            },
            accumulator,
            usual,
            counted: criterion.part == Part::Content,
        }
    }

    /// The points of a yes and of a no, for a leaf that asks nothing else of its value (a
    /// missing one scores 0 of its maximum, or fails the row when strict).
    pub(super) fn yes_no_points(&self) -> Option<(i128, i128)> {
        if self.reference.is_some() || self.usual != Usual::YesNo {
            return None;
        }
        match &self.kernel {
            Kernel::YesNo(kernel) => Some(kernel.points()),
            Kernel::Boolean(kernel) => Some((kernel.max(), 0)),
            _ => None,
        }
    }

    /// Settles missing and n/a values and checks the target.
    #[inline(always)]
    pub(super) fn verdict(
        &self,
        value: Cell,
        reference: Option<Cell>,
        options: Options,
    ) -> Verdict {
        let missing = || Verdict::Done((!options.strict).then_some((0, self.max)));
        let not_applicable = || Verdict::Done(Some((self.not_applicable, self.not_applicable)));
        match value {
            Cell::Missing => return missing(),
            Cell::NotApplicable => return not_applicable(),
            _ => {}
        }
        Verdict::Passed(match (&self.test, value) {
            (Test::Reference(op), value) => match reference {
                Some(Cell::NotApplicable) => return not_applicable(),
                Some(Cell::Missing) | None => return missing(),
                Some(reference) => match compare(value, reference) {
                    Compared::Order(order) => Some(op.holds(order)),
                    Compared::Bools(v, t) => Some((v == t) != (*op == Op::Ne)),
                    Compared::Unlike => Some(false),
                    Compared::TooLarge => return Verdict::Done(None),
                },
            },
            (test, Cell::Number(v)) => test.number(v),
            (test, Cell::Bool(b)) => test.bool(b),
            (test, Cell::Counts { num, den }) => test.counts(num, den),
            (Test::None, _) => None,
            _ => Some(false),
        })
    }

    /// The leaf scored as the row-by-row evaluation scores it; `None` when it fails (the row
    /// then takes the general path, which reports the error).
    pub(super) fn general(
        &self,
        scheme: &Scheme,
        value: Cell,
        reference: Option<Cell>,
        values: &mut [Option<Value>],
        options: Options,
    ) -> Option<(i128, i128)> {
        let Node::Leaf(leaf) = compiled(scheme).nodes[self.node].node() else {
            return None;
        };
        values[self.value] = value.value();
        if let (Some(slot), Some(reference)) = (self.reference, reference) {
            values[slot] = reference.value();
        }
        let scored = scheme.score_leaf(self.node, leaf, values, &options);
        values[self.value] = None;
        if let Some(slot) = self.reference {
            values[slot] = None;
        }
        scored
            .ok()
            .map(|s| (points_of(s.points), points_of(s.max_points)))
    }
}
