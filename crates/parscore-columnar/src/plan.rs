//! The scheme compiled for columns: each leaf ([`super::leaf`]) with its integer kernel
//! ([`super::kernel`]), and the tree reduced to the groups that can actually fall below zero.
//! A block of rows is scored one leaf at a time, down the rows ([`super::pass`]).

use rust_decimal::Decimal;

use super::kernel::{Kernel, points_of};
use super::lane::{Cell, Lane, Lanes};
use super::leaf::{LeafPlan, Usual};
use super::memo::Memo;
use super::pass::LeafRows;
use super::tally::Tally;
use parscore::engine::{Leaf, Node, SchemeData, Section, compiled};
use parscore::{IndicatorSource, Options, Part, Rule, Scheme, Status, Value};

pub(super) struct Plan {
    leaves: Vec<LeafPlan>,
    /// Nodes with an accumulator of their own (groups that may fall below zero, and the
    /// nodes that break ties), deepest first: their accumulator, the one of the nearest
    /// such ancestor (0: the areas' total) that they add into, and whether a group's
    /// clamp at 0 comes first.
    folds: Vec<(usize, usize, bool)>,
    /// The bonus and penalties sections: their accumulators, which add into none, and what
    /// they count or take off at most, in point units.
    bonus: Option<(usize, i128)>,
    penalties: Option<(usize, i128)>,
    above_100: bool,
    /// The tie-break nodes: the accumulator each is read from, and how (see [`Key`]).
    keys: Vec<(usize, Key)>,
    accumulators: usize,
    /// The sum of the leaves' maxima.
    max_points: i128,
    /// By indicator slot: every use of it is a leaf that asks only yes, no or missing, so
    /// that a typed yes/no column can be scored from its bits without cells.
    bitwise: Vec<bool>,
    /// By indicator slot: every use of it is a leaf's own value, usually a number, so that
    /// a column of numbers can be handed over as [`Numbers`](super::lane::Numbers).
    numeric: Vec<bool>,
    options: Options,
}

/// How a node's points are read from its accumulator.
#[derive(Clone, Copy)]
enum Key {
    Leaf,
    Group,
    Bonus(i128),
    Penalties(i128),
}

impl Key {
    fn points(self, sum: i128) -> i128 {
        match self {
            Key::Leaf => sum,
            Key::Group => sum.max(0),
            Key::Bonus(cap) => sum.clamp(0, cap),
            Key::Penalties(cap) => sum.max(-cap),
        }
    }
}

/// The scratch a block is scored in, reused from block to block.
#[derive(Default)]
pub(super) struct Block {
    /// Accumulators by row: `accumulator × rows + row`; the first holds each row's total
    /// once the block is scored.
    points: Vec<i128>,
    pub(super) max_points: Vec<i128>,
    /// What the leaves outside the maximum (bonus, penalties) take off theirs, unread.
    spare_max: Vec<i128>,
    /// Each row's bonus counted and penalty points taken off (negated), when the scheme
    /// has them.
    pub(super) bonus: Vec<i128>,
    pub(super) penalties: Vec<i128>,
    /// Each row's points in the tie-break nodes, `row × keys + key`.
    pub(super) keys: Vec<i128>,
    /// Points of each leaf, `leaf × rows + row`, when criteria are wanted; a row marked for
    /// the general path holds whatever its leaves left.
    pub(super) leaf_points: Vec<i128>,
    /// Values by indicator slot for the general scoring of one leaf.
    values: Vec<Option<Value>>,
    /// A memo of each leaf's general scoring.
    memos: Vec<Memo>,
    /// The rows a leaf's dense pass leaves to the full step.
    others: Vec<usize>,
    /// The points of the leaves read from bits, counted.
    tally: Tally,
    /// With coverage: how many leaves of each row are missing, and the points they stand
    /// for (see [`Plan::cover`]).
    pub(super) missing: Vec<u32>,
    pub(super) missing_points: Vec<i128>,
}

impl Block {
    pub(super) fn total(&self, row: usize) -> i128 {
        self.points[row]
    }
}

impl Plan {
    pub(super) fn options(&self) -> Options {
        self.options
    }

    pub(super) fn new(scheme: &Scheme, options: Options) -> Plan {
        let data = compiled(scheme);
        let mut parent = vec![None; data.nodes.len()];
        for &group in &data.groups {
            if let Node::Group { children } = data.nodes[group].node() {
                for &child in children {
                    parent[child] = Some(group);
                }
            }
        }
        // The least a node can add to its parent, children before parents.
        let mut least = vec![Decimal::ZERO; data.nodes.len()];
        let mut clamped = vec![false; data.nodes.len()];
        for node in (0..data.nodes.len()).rev() {
            let criterion = &data.nodes[node];
            least[node] = match criterion.node() {
                Node::Leaf(leaf) => least_points(leaf, criterion.max_points),
                Node::Group { children } => {
                    let sum: Decimal = children.iter().map(|&c| least[c]).sum();
                    clamped[node] = sum < Decimal::ZERO;
                    sum.max(Decimal::ZERO)
                }
            };
        }
        let mut accumulator = vec![0; data.nodes.len()];
        let mut folds = Vec::new();
        let mut accumulators = 1;
        let section = |node| data.section(node).is_some();
        // Pre-order: a parent's accumulator is known before its children's.
        for node in 0..data.nodes.len() {
            let inherited = parent[node].map_or(0, |p| accumulator[p]);
            let tracked = data.tie_break.contains(&node);
            accumulator[node] = if clamped[node] || tracked || section(node) {
                if !section(node) {
                    let group = data.nodes[node].is_group();
                    folds.push((accumulators, inherited, group));
                }
                accumulators += 1;
                accumulators - 1
            } else {
                inherited
            };
        }
        folds.reverse();
        let cap =
            |section: Option<Section>| section.map(|s| (accumulator[s.node], points_of(s.cap)));
        let (bonus, penalties) = (cap(data.bonus), cap(data.penalties));
        let keys = data
            .tie_break
            .iter()
            .map(|&node| {
                let key = match data.section(node) {
                    Some((Part::Bonus, _)) => Key::Bonus(bonus.map_or(0, |b| b.1)),
                    Some(_) => Key::Penalties(penalties.map_or(0, |p| p.1)),
                    None if data.nodes[node].is_group() => Key::Group,
                    None => Key::Leaf,
                };
                (accumulator[node], key)
            })
            .collect();
        let leaves: Vec<LeafPlan> = data
            .leaves
            .iter()
            .map(|&node| LeafPlan::new(data, node, accumulator[node]))
            .collect();
        // Yes/no columns as bits where every use asks only yes, no or missing; float
        // columns as numbers where every use is a leaf's own, usually a number.
        let bitwise = read_only_by(data, &leaves, |leaf| leaf.yes_no_points().is_some());
        let numeric = read_only_by(data, &leaves, |leaf| {
            leaf.usual == Usual::Number && leaf.reference.is_none()
        });
        Plan {
            max_points: leaves.iter().filter(|l| l.counted).map(|l| l.max).sum(),
            leaves,
            bitwise,
            numeric,
            folds,
            bonus,
            penalties,
            above_100: data.above_100,
            keys,
            accumulators,
            options,
        }
    }

    /// Each leaf's maximum in point units, in scheme order.
    pub(super) fn leaf_maxima(&self) -> impl Iterator<Item = i128> + '_ {
        self.leaves.iter().map(|leaf| leaf.max)
    }

    /// Each leaf's status down the first `rows` rows of a block, into `statuses` (a column
    /// per leaf, scheme order), and how many leaves of each row are missing and the points
    /// they stand for (in point units) into `block`: missing or not applicable as a leaf's
    /// value (or the indicator its target names) is, else scored, as [`Scheme::score_leaf`]
    /// settles them. Column by column, so that no row asks each lane how it was decoded; the
    /// rows the general path scores are written over afterwards.
    pub(super) fn cover<'c>(
        &self,
        lanes: &Lanes,
        rows: usize,
        statuses: impl Iterator<Item = &'c mut [Option<Status>]>,
        block: &mut Block,
    ) {
        let of = |cell: &Cell| match cell {
            Cell::Missing => Some(Status::Missing),
            Cell::NotApplicable => Some(Status::NotApplicable),
            _ => None,
        };
        let held = |mask: &super::tally::Mask, row: usize| mask[row / 64] >> (row % 64) & 1 == 1;
        block.missing.clear();
        block.missing.resize(rows, 0);
        block.missing_points.clear();
        block.missing_points.resize(rows, 0);
        for (leaf, column) in self.leaves.iter().zip(statuses) {
            let column = &mut column[..rows];
            // A slot read as bits has no cells decoded: its lane is not looked at.
            if let Some(bits) = &lanes.bits[leaf.value] {
                for (row, status) in column.iter_mut().enumerate() {
                    *status = Some(match held(bits.valid(), row) {
                        true => Status::Scored,
                        false => Status::Missing,
                    });
                }
            } else {
                match lanes.lane(leaf.value, rows) {
                    Lane::Numbers(numbers) => {
                        for (row, status) in column.iter_mut().enumerate() {
                            *status = Some(match held(&numbers.missing, row) {
                                true => Status::Missing,
                                false => Status::Scored,
                            });
                        }
                    }
                    Lane::Cells(cells) => {
                        for (status, cell) in column.iter_mut().zip(cells) {
                            *status = Some(of(cell).unwrap_or(Status::Scored));
                        }
                    }
                }
            }
            if let Some(reference) = leaf.reference {
                for (status, cell) in column.iter_mut().zip(&lanes.cells[reference][..rows]) {
                    if *status == Some(Status::Scored) {
                        *status = Some(of(cell).unwrap_or(Status::Scored));
                    }
                }
            }
            let missing = block.missing.iter_mut().zip(&mut block.missing_points);
            for (status, (count, points)) in column.iter().zip(missing) {
                if *status == Some(Status::Missing) {
                    *count += 1;
                    *points += leaf.max;
                }
            }
        }
    }

    /// How many tie-break points each row has.
    pub(super) fn keys(&self) -> usize {
        self.keys.len()
    }

    /// Whether the indicator in `slot` is only ever asked yes, no or missing: a typed yes/no
    /// column of it is then handed to [`Plan::score`] as bits instead of cells.
    pub(super) fn reads_bits(&self, slot: usize) -> bool {
        self.bitwise[slot]
    }

    /// Whether the indicator in `slot` is only ever a leaf's own value, usually a number
    /// (no target on another indicator, no derived rate): a column that holds numbers or
    /// nothing is then handed to [`Plan::score`] as [`Numbers`](super::lane::Numbers) instead of cells.
    pub(super) fn reads_numbers(&self, slot: usize) -> bool {
        self.numeric[slot]
    }

    /// Scores `rows` rows from their lanes (by indicator slot) into `block`: each row's
    /// total, applicable maximum and, with `criteria`, each leaf's points. A row the kernels
    /// cannot finish exactly is marked in `slow` for the general path.
    ///
    /// A slot with `Some` bits (only one [`Plan::reads_bits`] allows) is read from them; its
    /// cells are not.
    pub(super) fn score(
        &self,
        scheme: &Scheme,
        lanes: &Lanes,
        rows: usize,
        criteria: bool,
        block: &mut Block,
        slow: &mut [bool],
    ) {
        block.points.clear();
        block.points.resize(self.accumulators * rows, 0);
        // Every leaf's maximum, less what a row's leaves do not count.
        block.max_points.clear();
        block.max_points.resize(rows, self.max_points);
        block.spare_max.clear();
        block.spare_max.resize(rows, 0);
        // Not cleared: every leaf writes every row's points, or marks the row for the general
        // path, whose figures are written over them.
        block.leaf_points.resize(
            if criteria {
                self.leaves.len() * rows
            } else {
                0
            },
            0,
        );
        block.values.resize(scheme.indicators().len(), None);
        block.memos.resize_with(self.leaves.len(), Memo::default);
        block.others.resize(rows, 0);
        for (index, leaf) in self.leaves.iter().enumerate() {
            if let (Some(bits), Some((yes, no))) = (&lanes.bits[leaf.value], leaf.yes_no_points()) {
                // `no` for every yes/no held, `yes − no` more for a yes; a missing one
                // scores 0 (and fails a strict row).
                block.tally.add(leaf.accumulator, no, bits.valid());
                block.tally.add(leaf.accumulator, yes - no, &bits.yes());
                if self.options.strict {
                    bits.mark_missing(slow);
                }
                if criteria {
                    bits.keep(yes, no, &mut block.leaf_points[index * rows..][..rows]);
                }
                continue;
            }
            let leaf_rows = LeafRows {
                leaf,
                values: lanes.lane(leaf.value, rows),
                references: leaf.reference.map(|slot| &lanes.cells[slot][..rows]),
                totals: &mut block.points[leaf.accumulator * rows..][..rows],
                max_points: if leaf.counted {
                    &mut block.max_points[..rows]
                } else {
                    &mut block.spare_max[..rows]
                },
                kept: criteria.then(|| &mut block.leaf_points[index * rows..][..rows]),
                slow: &mut *slow,
                memo: &mut block.memos[index],
                scheme,
                buffer: &mut block.values,
                options: self.options,
            };
            let others = &mut block.others[..rows];
            // One loop per kernel, so that none decides its rule per row.
            match &leaf.kernel {
                Kernel::Threshold(kernel) => leaf_rows.score(kernel, others),
                Kernel::YesNo(kernel) => leaf_rows.score(kernel, others),
                Kernel::Order(kernel) => leaf_rows.score_by_order(kernel, others),
                Kernel::Boolean(kernel) => leaf_rows.score(kernel, others),
                Kernel::Bands(kernel) => leaf_rows.score(kernel, others),
                Kernel::Proportional(kernel) => leaf_rows.score(kernel, others),
                Kernel::ProportionalQuotient(kernel) => leaf_rows.score(kernel, others),
                Kernel::Given(kernel) => leaf_rows.score(kernel, others),
                Kernel::Deduction(kernel) => leaf_rows.score(kernel, others),
                Kernel::General => leaf_rows.score_general(),
            }
        }
        block.tally.finish(&mut block.points, rows);
        for &(own, into, group) in &self.folds {
            for row in 0..rows {
                let points = block.points[own * rows + row];
                block.points[into * rows + row] += if group { points.max(0) } else { points };
            }
        }
        block.keys.clear();
        for row in (0..rows).filter(|_| !self.keys.is_empty()) {
            block.keys.extend(
                self.keys
                    .iter()
                    .map(|&(own, key)| key.points(block.points[own * rows + row])),
            );
        }
        self.total(block, rows);
    }

    /// Each row's total: its areas' points with the bonus added and the penalties taken
    /// off, never below 0 and, with a bonus, not above the applicable maximum unless the
    /// scheme lets the index pass 100, as `Scheme::sum_tree` sums them.
    fn total(&self, block: &mut Block, rows: usize) {
        let section =
            |section: Option<(usize, i128)>, key: fn(i128) -> Key, out: &mut Vec<i128>| {
                out.clear();
                if let Some((own, cap)) = section {
                    let sums = &block.points[own * rows..][..rows];
                    out.extend(sums.iter().map(|&sum| key(cap).points(sum)));
                }
            };
        section(self.bonus, Key::Bonus, &mut block.bonus);
        section(self.penalties, Key::Penalties, &mut block.penalties);
        if self.bonus.is_none() && self.penalties.is_none() {
            return;
        }
        for row in 0..rows {
            let extra = block.bonus.get(row).copied().unwrap_or(0)
                + block.penalties.get(row).copied().unwrap_or(0);
            let mut total = (block.points[row] + extra).max(0);
            if self.bonus.is_some() && !self.above_100 {
                total = total.min(block.max_points[row]);
            }
            block.points[row] = total;
        }
    }
}

/// By indicator slot: whether the indicator is a leaf's own value and every leaf reading it
/// is one `reads` accepts, while no leaf compares with it and no derived rate is it or is
/// formed from it.
fn read_only_by(
    data: &SchemeData,
    leaves: &[LeafPlan],
    reads: impl Fn(&LeafPlan) -> bool,
) -> Vec<bool> {
    let mut only = vec![false; data.indicators.len()];
    for leaf in leaves {
        only[leaf.value] = true;
    }
    for leaf in leaves {
        if !reads(leaf) {
            only[leaf.value] = false;
        }
        if let Some(slot) = leaf.reference {
            only[slot] = false;
        }
    }
    for &slot in &data.derived {
        only[slot] = false;
        if let IndicatorSource::Ratio {
            numerator: a,
            denominator: b,
        }
        | IndicatorSource::Reduction {
            baseline: a,
            current: b,
        } = data.indicators[slot].source
        {
            (only[a], only[b]) = (false, false);
        }
    }
    only
}

/// The least points a leaf can give: 0 (missing) or below, as its rule and n/a policy allow.
fn least_points(leaf: &Leaf, max: Decimal) -> Decimal {
    let rule = match &leaf.rule {
        Rule::Threshold { pass, fail } => (*pass).min(*fail),
        Rule::Bands(bands) => bands.iter().map(|b| b.points).min().unwrap_or_default(),
        Rule::Deduction { cap, .. } => max - cap,
        Rule::Proportional(_) | Rule::Boolean => max,
        Rule::Given => Decimal::ZERO,
    };
    rule.min(max).min(Decimal::ZERO)
}
