//! What a compiled scheme holds: indicators resolved to slots, and every area and criterion
//! in one tree, as [`compile`](super::compile) builds them from the file.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::file::{IndicatorKind, NaPolicy, SchemeFile, Ties};
use super::rounding::Rounding;
use super::rule::Rule;
use super::target::Target;
use crate::num::sum::ExactSum;

/// Where an indicator's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndicatorSource {
    /// Given in the input.
    Input,
    /// `numerator / denominator × 100` of two count indicators (slots), unless given directly.
    Ratio {
        /// Slot (position in [`Scheme::indicators`](crate::Scheme::indicators)) of the
        /// `numerator` count.
        numerator: usize,
        /// Slot of the `denominator` count; 0 makes the rate not applicable.
        denominator: usize,
    },
    /// `(baseline − current) / baseline × 100`, unless given directly.
    Reduction {
        /// Slot (position in [`Scheme::indicators`](crate::Scheme::indicators)) of the
        /// `baseline` quantity; 0 makes the reduction not applicable.
        baseline: usize,
        /// Slot of the `current` quantity.
        current: usize,
    },
}

/// A declared indicator (`[[indicators]]`), its derivation resolved to slots.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// The indicator id that criteria, `@id` targets and input columns refer to; letters,
    /// digits and `_`.
    pub id: String,
    /// The human name (`title`); empty when the file gives none.
    pub title: String,
    /// What it measures, and so which values it accepts.
    pub kind: IndicatorKind,
    /// The file's `min`, inclusive; `None` leaves the kind's own lower bound (0 for a
    /// percent, count or points).
    pub min: Option<Decimal>,
    /// The file's `max`, inclusive; `None` leaves the kind's own upper bound (100 for a
    /// percent).
    pub max: Option<Decimal>,
    /// Whether the value is an input or derived from two other indicators.
    pub source: IndicatorSource,
}

/// A criterion's place in the tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// Scored as the sum of its children.
    Group {
        /// The children's nodes (positions in [`SchemeData::nodes`]).
        children: Vec<usize>,
    },
    /// Scored from an indicator.
    Leaf(Leaf),
}

/// A criterion scored from an indicator, compiled.
#[derive(Debug, Clone, PartialEq)]
pub struct Leaf {
    /// The slot of the indicator it scores.
    pub indicator: usize,
    /// How its points are given.
    pub rule: Rule,
    /// What its value must meet, if anything.
    pub target: Option<Target>,
    /// The slot a `@indicator` target compares with.
    pub target_slot: Option<usize>,
    /// What `n/a` gives.
    pub not_applicable: NaPolicy,
    /// The points of a proportional or banded rule at a fixed `>=`/`>` target, worked out
    /// once: every unit's recoverable points ask for them.
    pub points_at_target: Option<Decimal>,
}

/// An area or criterion of a scheme, with its plan details.
#[derive(Debug, Clone, PartialEq)]
pub struct Criterion {
    /// The code, unique across the scheme: `III` for an area, `III.4.1` for a criterion.
    pub code: String,
    /// The short name.
    pub title: String,
    /// The plan's task text (nhiệm vụ); `None` when the file gives none.
    pub task: Option<String>,
    /// The lead unit (đơn vị chủ trì) responsible for the task; `None` when not given.
    pub lead: Option<String>,
    /// The coordinating units (đơn vị phối hợp); `None` when not given.
    pub coordinating: Option<String>,
    /// When the task is due (tiến độ), as the plan words it; `None` when not given.
    pub timeline: Option<String>,
    /// The plan's expected result; `None` when not given.
    pub result: Option<String>,
    /// The most points it can give: a leaf's `max_points`, a group's the sum of its
    /// children's. The scheme's maximum, before any criterion is excluded as not applicable.
    pub max_points: Decimal,
    /// Nesting depth: 0 for an area (or the bonus or penalties section), 1 for its
    /// criteria, and so on.
    pub depth: usize,
    /// Whether it counts in the maximum, or is a bonus or a penalty.
    pub part: Part,
    pub(crate) node: Node,
}

/// The part of a scheme a criterion belongs to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Part {
    /// An area or one of its criteria: counted in the maximum.
    #[default]
    Content,
    /// The `[bonus]` section or one of its criteria: added to the total, outside the
    /// maximum.
    Bonus,
    /// The `[penalties]` section or one of its penalties: taken from the total.
    Penalty,
}

impl Part {
    /// `content`, `bonus` or `penalty`, as the results document writes it.
    pub fn name(self) -> &'static str {
        match self {
            Part::Content => "content",
            Part::Bonus => "bonus",
            Part::Penalty => "penalty",
        }
    }
}

impl Criterion {
    /// Whether it is a group (an area, or a criterion with criteria of its own), scored as
    /// the sum of its children, rather than a leaf scored from an indicator.
    pub fn is_group(&self) -> bool {
        matches!(self.node, Node::Group { .. })
    }

    /// The target of a leaf; `None` for a group or a leaf without one.
    pub fn target(&self) -> Option<&Target> {
        self.leaf()?.target.as_ref()
    }

    /// The rule of a leaf; `None` for a group.
    pub fn rule(&self) -> Option<&Rule> {
        self.leaf().map(|leaf| &leaf.rule)
    }

    /// Its place in the compiled tree, as a scoring engine reads it
    /// ([`engine`](crate::engine)).
    pub fn node(&self) -> &Node {
        &self.node
    }

    pub(crate) fn leaf(&self) -> Option<&Leaf> {
        match &self.node {
            Node::Leaf(leaf) => Some(leaf),
            Node::Group { .. } => None,
        }
    }
}

/// A grade (class) on the index, lower bound inclusive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grade {
    /// The grade as reports print it, e.g. "Tốt".
    pub name: String,
    /// The lowest reported (rounded) index, 0–100, that earns it.
    pub min_index: Decimal,
}

/// A compiled scheme: the file it was compiled from, its indicators resolved to slots and
/// every area and criterion in one tree.
#[derive(Debug)]
pub struct SchemeData {
    /// The file as read.
    pub file: SchemeFile,
    /// The declared indicators, by slot.
    pub indicators: Vec<Indicator>,
    /// Slots of the indicators derived from others (a rate of counts, a reduction).
    pub derived: Vec<usize>,
    /// The slot of each indicator id (in composed form, NFC).
    pub slots: HashMap<String, usize>,
    /// Every area and criterion, in file order (pre-order).
    pub nodes: Vec<Criterion>,
    /// The areas' nodes, in order.
    pub areas: Vec<usize>,
    /// The leaves' nodes, in order.
    pub leaves: Vec<usize>,
    /// The groups' nodes, in order.
    pub groups: Vec<usize>,
    /// The grades, as declared.
    pub grades: Vec<Grade>,
    /// How the index is reported.
    pub rounding: Rounding,
    /// The content's maximum.
    pub max_points: Decimal,
    /// The `[bonus]` group and the most it counts.
    pub bonus: Option<Section>,
    /// The `[penalties]` group and the most it takes off.
    pub penalties: Option<Section>,
    /// Whether the total may pass the applicable maximum (`index_above_100`).
    pub above_100: bool,
    /// How rows of equal reported index are ranked.
    pub ties: Ties,
    /// The nodes whose points break ties, in order.
    pub tie_break: Vec<usize>,
}

impl SchemeData {
    /// The part and cap of a section's group node; `None` for any other node.
    pub fn section(&self, node: usize) -> Option<(Part, ExactSum)> {
        [(Part::Bonus, self.bonus), (Part::Penalty, self.penalties)]
            .into_iter()
            .find_map(|(part, section)| {
                section
                    .filter(|s| s.node == node)
                    .map(|s| (part, ExactSum::of(s.cap)))
            })
    }
}

/// The bonus or penalties section: its group node and its cap.
#[derive(Debug, Clone, Copy)]
pub struct Section {
    /// The group's node.
    pub node: usize,
    /// The most it counts.
    pub cap: Decimal,
}
