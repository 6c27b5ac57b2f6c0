//! What a compiled scheme holds: indicators resolved to slots, and every area and criterion
//! in one tree, as [`compile`](super::compile) builds them from the file.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::file::{IndicatorKind, NaPolicy, SchemeFile};
use super::rounding::Rounding;
use super::rule::Rule;
use super::target::Target;

/// Where an indicator's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndicatorSource {
    /// Given in the input.
    Input,
    /// `numerator / denominator × 100` of two count indicators (slots), unless given directly.
    Ratio {
        numerator: usize,
        denominator: usize,
    },
    /// `(baseline − current) / baseline × 100`, unless given directly.
    Reduction { baseline: usize, current: usize },
}

/// A declared indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub id: String,
    pub title: String,
    pub kind: IndicatorKind,
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
    pub source: IndicatorSource,
}

/// A criterion's place in the tree.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Group { children: Vec<usize> },
    Leaf(Leaf),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Leaf {
    pub indicator: usize,
    pub rule: Rule,
    pub target: Option<Target>,
    /// The slot a `@indicator` target compares with.
    pub target_slot: Option<usize>,
    pub not_applicable: NaPolicy,
    /// The points of a proportional or banded rule at a fixed `>=`/`>` target, worked out
    /// once: every unit's recoverable points ask for them.
    pub points_at_target: Option<Decimal>,
}

/// An area or criterion of a scheme, with its plan details.
#[derive(Debug, Clone, PartialEq)]
pub struct Criterion {
    pub code: String,
    pub title: String,
    pub task: Option<String>,
    pub lead: Option<String>,
    pub coordinating: Option<String>,
    pub timeline: Option<String>,
    pub result: Option<String>,
    pub max_points: Decimal,
    /// 0 for an area.
    pub depth: usize,
    pub(crate) node: Node,
}

impl Criterion {
    pub fn is_group(&self) -> bool {
        matches!(self.node, Node::Group { .. })
    }

    /// The target of a leaf.
    pub fn target(&self) -> Option<&Target> {
        match &self.node {
            Node::Leaf(leaf) => leaf.target.as_ref(),
            Node::Group { .. } => None,
        }
    }

    /// The rule of a leaf.
    pub fn rule(&self) -> Option<&Rule> {
        match &self.node {
            Node::Leaf(leaf) => Some(&leaf.rule),
            Node::Group { .. } => None,
        }
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
    pub name: String,
    pub min_index: Decimal,
}

#[derive(Debug)]
pub(crate) struct SchemeData {
    pub file: SchemeFile,
    pub indicators: Vec<Indicator>,
    /// Slots of the indicators derived from others (a rate of counts, a reduction).
    pub derived: Vec<usize>,
    pub slots: HashMap<String, usize>,
    /// Every area and criterion, in file order (pre-order).
    pub nodes: Vec<Criterion>,
    pub areas: Vec<usize>,
    pub leaves: Vec<usize>,
    pub groups: Vec<usize>,
    pub grades: Vec<Grade>,
    pub rounding: Rounding,
    pub max_points: Decimal,
}
