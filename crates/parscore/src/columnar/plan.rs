//! The scheme compiled for columns: each leaf's target and rule resolved once to integers in
//! lane units (10^-9) and points in units of 10^-28, and the tree reduced to the groups that
//! can actually fall below zero. A block of rows is then scored one leaf at a time, down the
//! rows, with no decimal arithmetic for the usual rules.
//!
//! Whatever a kernel cannot do exactly in integers — a rate from counts between proportional
//! goal posts (a quotient), criterion-level rounding, a figure that would overflow — it
//! leaves to the general scoring of the leaf or of the whole row, so every path gives the
//! same figures by construction.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use super::lane::{Cell, Lane, Lanes, ONE, PLACES, set_bits, units_of};
use super::tally::Tally;
use crate::Options;
use crate::num::exact::{POW10, Scaled, mul_i128};
use crate::num::fraction::quotient_units;
use crate::scheme::file::NaPolicy;
use crate::scheme::rounding::RoundingScope;
use crate::scheme::rule::Rule;
use crate::scheme::target::{Op, Rhs};
use crate::scheme::{IndicatorKind, IndicatorSource, Leaf, Node, Scheme, SchemeData};
use crate::value::Value;

/// Places of the points the kernels add: every decimal's own scale fits under it.
pub(super) const POINT_PLACES: u32 = 28;

/// A decimal in point units (`|d| ≤ 10^9`, as the scheme's validation guarantees).
pub(super) fn points_of(d: Decimal) -> i128 {
    d.mantissa() * POW10[(POINT_PLACES - d.scale()) as usize]
}

/// Lane units to point units.
const LANE_TO_POINTS: i128 = POW10[(POINT_PLACES - PLACES) as usize];

pub(super) struct Plan {
    leaves: Vec<LeafPlan>,
    /// Groups that may fall below zero, deepest first: their accumulator, and the one of the
    /// nearest such ancestor (0: the unit's total) that they add into once clamped.
    clamps: Vec<(usize, usize)>,
    accumulators: usize,
    /// The sum of the leaves' maxima.
    max_points: i128,
    /// By indicator slot: every use of it is a leaf that asks only yes, no or missing, so
    /// that a typed yes/no column can be scored from its bits without cells.
    bitwise: Vec<bool>,
    /// By indicator slot: every use of it is a leaf's own value, usually a number, so that
    /// a column of numbers can be handed over as [`Numbers`].
    numeric: Vec<bool>,
    options: Options,
}

struct LeafPlan {
    node: usize,
    value: usize,
    reference: Option<usize>,
    test: Test,
    kernel: Kernel,
    max: i128,
    /// Points and applicable maximum when the criterion does not apply.
    not_applicable: i128,
    accumulator: usize,
    usual: Usual,
}

/// The cell a leaf's indicator usually holds, which its kernel's dense pass scores.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Usual {
    /// `Cell::Bool`: a yes/no indicator.
    YesNo,
    /// `Cell::Counts`: a rate or reduction derived from counts.
    Counts,
    /// `Cell::Number`: any other indicator.
    Number,
}

/// How a leaf's target is checked.
enum Test {
    None,
    /// A number passes when `(lo..=hi).contains(v) == inside`; counts compare by `op`.
    Number {
        op: Op,
        units: i64,
        lo: i64,
        hi: i64,
        inside: bool,
    },
    Bool {
        op: Op,
        want: bool,
    },
    Reference(Op),
}

/// How a leaf's points are computed from its value.
enum Kernel {
    Threshold {
        pass: i128,
        fail: i128,
    },
    Boolean,
    /// `(min, points)`, highest `min` first.
    Bands(Vec<(i64, i128)>),
    /// Between the posts, `(v − floor) × factor` in point units when that is exact (the
    /// span's reciprocal terminates), else the rule's quotient `(v − floor) × max / span`
    /// as its decimal division rounds it ([`quotient_units`]).
    Proportional {
        floor: i64,
        full_at: i64,
        factor: Option<u128>,
        max: Scaled,
    },
    Given {
        max: i64,
    },
    /// `max − min(v × per, cap)`.
    Deduction {
        per: i128,
        cap: i128,
    },
    /// The general scoring of the leaf, row by row.
    General,
}

/// The scratch a block is scored in, reused from block to block.
#[derive(Default)]
pub(super) struct Block {
    /// Accumulators by row: `accumulator × rows + row`.
    points: Vec<i128>,
    pub(super) max_points: Vec<i128>,
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
        let data = &scheme.0;
        let mut parent = vec![None; data.nodes.len()];
        for &group in &data.groups {
            if let Node::Group { children } = &data.nodes[group].node {
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
            least[node] = match &criterion.node {
                Node::Leaf(leaf) => least_points(leaf, criterion.max_points),
                Node::Group { children } => {
                    let sum: Decimal = children.iter().map(|&c| least[c]).sum();
                    clamped[node] = sum < Decimal::ZERO;
                    sum.max(Decimal::ZERO)
                }
            };
        }
        let mut accumulator = vec![0; data.nodes.len()];
        let mut clamps = Vec::new();
        let mut accumulators = 1;
        // Pre-order: a parent's accumulator is known before its children's.
        for node in 0..data.nodes.len() {
            let inherited = parent[node].map_or(0, |p| accumulator[p]);
            accumulator[node] = if clamped[node] {
                clamps.push((accumulators, inherited));
                accumulators += 1;
                accumulators - 1
            } else {
                inherited
            };
        }
        clamps.reverse();
        let criterion_rounding = data.rounding.scope == RoundingScope::Criterion;
        let leaves: Vec<LeafPlan> = data
            .leaves
            .iter()
            .map(|&node| {
                let criterion = &data.nodes[node];
                let Node::Leaf(leaf) = &criterion.node else {
                    unreachable!("leaves are leaf nodes")
                };
                let max = points_of(criterion.max_points);
                let (test, kernel) = match (test_of(leaf), kernel_of(leaf, criterion.max_points)) {
                    (Some(test), Some(kernel)) if !criterion_rounding => (test, kernel),
                    _ => (Test::None, Kernel::General),
                };
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
                    accumulator: accumulator[node],
                    usual: if data.indicators[leaf.indicator].kind == IndicatorKind::Bool {
                        Usual::YesNo
                    } else if data.derived.contains(&leaf.indicator) {
                        Usual::Counts
                    } else {
                        Usual::Number
                    },
                }
            })
            .collect();
        // Yes/no columns as bits where every use asks only yes, no or missing; float
        // columns as numbers where every use is a leaf's own, usually a number.
        let bitwise = read_only_by(data, &leaves, |leaf| leaf.yes_no_points().is_some());
        let numeric = read_only_by(data, &leaves, |leaf| {
            leaf.usual == Usual::Number && leaf.reference.is_none()
        });
        Plan {
            max_points: leaves.iter().map(|leaf| leaf.max).sum(),
            leaves,
            bitwise,
            numeric,
            clamps,
            accumulators,
            options,
        }
    }

    /// Whether the indicator in `slot` is only ever asked yes, no or missing: a typed yes/no
    /// column of it is then handed to [`Plan::score`] as bits instead of cells.
    pub(super) fn reads_bits(&self, slot: usize) -> bool {
        self.bitwise[slot]
    }

    /// Whether the indicator in `slot` is only ever a leaf's own value, usually a number
    /// (no target on another indicator, no derived rate): a column that holds numbers or
    /// nothing is then handed to [`Plan::score`] as [`Numbers`] instead of cells.
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
        let options = self.options;
        for (index, leaf) in self.leaves.iter().enumerate() {
            if let (Some(bits), Some((yes, no))) = (&lanes.bits[leaf.value], leaf.yes_no_points()) {
                // `no` for every yes/no held, `yes − no` more for a yes; a missing one
                // scores 0 (and fails a strict row).
                block.tally.add(leaf.accumulator, no, bits.valid());
                block.tally.add(leaf.accumulator, yes - no, &bits.yes());
                if options.strict {
                    bits.mark_missing(slow);
                }
                if criteria {
                    bits.keep(yes, no, &mut block.leaf_points[index * rows..][..rows]);
                }
                continue;
            }
            let values = lanes.lane(leaf.value, rows);
            let references = leaf.reference.map(|slot| &lanes.cells[slot][..rows]);
            let points = &mut block.points[leaf.accumulator * rows..][..rows];
            let max_points = &mut block.max_points[..rows];
            let mut leaf_points = criteria.then(|| &mut block.leaf_points[index * rows..][..rows]);
            let memo = &mut block.memos[index];
            let values_buffer = &mut block.values;
            let others = &mut block.others[..rows];
            macro_rules! general {
                ($row:expr) => {{
                    let (value, reference) = (values.cell($row), references.map(|r| r[$row]));
                    memo.get(value, reference, || {
                        leaf.general(scheme, value, reference, values_buffer, options)
                    })
                }};
            }
            let shortfall =
                |figures: Option<(i128, i128)>| figures.map(|(p, max)| (p, leaf.max - max));
            // Every cell a rule may meet, row by row: missing, n/a, counts, references, and
            // what the dense pass below leaves.
            macro_rules! each_row {
                ($rows:expr, $quotient:expr, |$value:ident, $passed:ident| $points:expr) => {
                    for row in $rows {
                        macro_rules! step {
                            ($cell:expr, $verdict:expr) => {{
                                let ($value, $passed) = ($cell, $verdict);
                                // Points, and how far the applicable maximum falls
                                // short of the leaf's: a literal 0 for the usual step, so
                                // that its row skips the maximum.
                                match $points {
                                    Step::Points(points) => Some((points, 0)),
                                    Step::Slow => None,
                                    Step::General => shortfall(general!(row)),
                                    Step::Memo(cell) => {
                                        shortfall(memo.get(cell, None, || $quotient(cell)))
                                    }
                                    Step::Quotient(cell) => shortfall($quotient(cell)),
                                }
                            }};
                        }
                        let figures = match (values.cell(row), references) {
                            (Cell::Number(v), None) => step!(Cell::Number(v), leaf.test.number(v)),
                            (Cell::Bool(b), None) => step!(Cell::Bool(b), leaf.test.bool(b)),
                            (value, _) => {
                                match leaf.verdict(value, references.map(|r| r[row]), options) {
                                    Verdict::Done(figures) => shortfall(figures),
                                    Verdict::Passed(passed) => step!(value, passed),
                                }
                            }
                        };
                        match figures {
                            Some((p, shortfall)) => {
                                points[row] += p;
                                if shortfall != 0 {
                                    max_points[row] -= shortfall;
                                }
                                if let Some(leaf_points) = leaf_points.as_deref_mut() {
                                    leaf_points[row] = p;
                                }
                            }
                            None => slow[row] = true,
                        }
                    }
                };
            }
            // One loop per kernel, so that none decides its rule per row. Against a fixed
            // target, the leaf's usual cells (a number or a rate of counts, or a yes/no) are
            // scored first, down every row: `$dense` gives the points of a cell, or `None`
            // when the full step must take it. The rows it leaves are listed and scored by
            // `each_row`.
            macro_rules! dense {
                ($cells:expr, |$cell:pat_param| $dense:expr) => {{
                    let mut listed = 0;
                    // `$keep` keeps a leaf's points, when asked to, in a loop of its own so
                    // that the usual one does not test for it row by row.
                    macro_rules! pass {
                        (|$row:ident, $p:ident| $keep:expr) => {
                            let totals = points.iter_mut().zip($cells);
                            for ($row, (total, $cell)) in totals.enumerate() {
                                let dense: Option<i128> = $dense;
                                match dense {
                                    Some($p) => {
                                        *total += $p;
                                        $keep;
                                    }
                                    None => {
                                        others[listed] = $row;
                                        listed += 1;
                                    }
                                }
                            }
                        };
                    }
                    match leaf_points.as_deref_mut() {
                        Some(kept) => {
                            pass!(|row, p| kept[row] = p);
                        }
                        None => {
                            pass!(|_row, _p| ());
                        }
                    }
                    listed
                }};
            }
            macro_rules! kernel {
                (|$cell:ident| $dense:expr, |$value:ident, $passed:ident| $points:expr) => {
                    kernel!(|$cell| $dense, no_quotient, |$value, $passed| $points)
                };
                (|$cell:ident| $dense:expr, $quotient:expr, |$value:ident, $passed:ident| $points:expr) => {
                    if references.is_some() {
                        each_row!(0..rows, $quotient, |$value, $passed| $points)
                    } else {
                        // A loop for each usual kind of cell, so that neither carries the
                        // other's arithmetic (and registers): its other cells are listed.
                        let listed = match values {
                            // Every row scored as a number, without asking what it
                            // holds; then each missing row, scored as whatever number its
                            // slot holds, is taken back (the pass is pure: the same figure)
                            // and listed, unless the pass listed it already.
                            Lane::Numbers(numbers) => {
                                let units = &numbers.units[..rows];
                                let cells = units.iter().map(|&units| Cell::Number(units));
                                let mut listed = dense!(cells, |ref $cell| $dense);
                                for (word, &missing) in numbers.missing.iter().enumerate() {
                                    for bit in set_bits(missing) {
                                        let row = word * 64 + bit;
                                        let $cell = &Cell::Number(units[row]);
                                        let dense: Option<i128> = $dense;
                                        if let Some(p) = dense {
                                            points[row] -= p;
                                            others[listed] = row;
                                            listed += 1;
                                        }
                                    }
                                }
                                listed
                            }
                            Lane::Cells(cells) if leaf.usual == Usual::Counts => {
                                dense!(cells, |$cell| match $cell {
                                    Cell::Counts { .. } => $dense,
                                    _ => None,
                                })
                            }
                            Lane::Cells(cells) => dense!(cells, |$cell| match $cell {
                                Cell::Number(_) | Cell::Bool(_) => $dense,
                                _ => None,
                            }),
                        };
                        each_row!(
                            others[..listed].iter().copied(),
                            $quotient,
                            |$value, $passed| $points
                        )
                    }
                };
            }
            match &leaf.kernel {
                Kernel::Threshold { pass, fail } => {
                    let (pass, fail) = (*pass, *fail);
                    let threshold = |passed: Option<bool>| {
                        if passed == Some(true) { pass } else { fail }
                    };
                    if let (Some(references), Test::Reference(op)) = (references, &leaf.test) {
                        // Numbers against numbers, by their order; anything else in full.
                        let by_order = [Ordering::Less, Ordering::Equal, Ordering::Greater]
                            .map(|order| threshold(Some(op.holds(order))));
                        let Lane::Cells(values) = values else {
                            unreachable!("a leaf with a reference reads cells (reads_numbers)")
                        };
                        let cells = values.iter().zip(references);
                        let listed = dense!(cells, |(value, reference)| match (value, reference) {
                            (&Cell::Number(v), &Cell::Number(r)) => {
                                Some(by_order[order_index(v.cmp(&r))])
                            }
                            _ => None,
                        });
                        each_row!(
                            others[..listed].iter().copied(),
                            no_quotient,
                            |_value, passed| Step::Points(threshold(passed))
                        )
                    } else if leaf.usual == Usual::YesNo {
                        let (yes, no) = (
                            threshold(leaf.test.bool(true)),
                            threshold(leaf.test.bool(false)),
                        );
                        kernel!(
                            |cell| match *cell {
                                Cell::Bool(b) => Some(if b { yes } else { no }),
                                _ => None,
                            },
                            |_value, passed| { Step::Points(threshold(passed)) }
                        )
                    } else {
                        let (lo, hi, inside) = leaf.test.span();
                        kernel!(
                            |cell| match *cell {
                                Cell::Number(v) => Some(if (lo..=hi).contains(&v) == inside {
                                    pass
                                } else {
                                    fail
                                }),
                                Cell::Counts { num, den } => {
                                    Some(threshold(leaf.test.counts(num, den)))
                                }
                                _ => None,
                            },
                            |_value, passed| Step::Points(threshold(passed))
                        )
                    }
                }
                Kernel::Boolean => kernel!(
                    |cell| match *cell {
                        Cell::Bool(b) => Some(if b { leaf.max } else { 0 }),
                        _ => None,
                    },
                    |value, _passed| match value {
                        Cell::Bool(true) => Step::Points(leaf.max),
                        Cell::Bool(false) => Step::Points(0),
                        _ => Step::Slow,
                    }
                ),
                Kernel::Bands(bands) => {
                    let band = |v: i64| {
                        bands
                            .iter()
                            .find(|(min, _)| v >= *min)
                            .map_or(0, |(_, points)| *points)
                    };
                    // A rate of counts, against each band's minimum scaled by its denominator.
                    let band_of_counts = |num: i64, den: i64| {
                        let scaled = percent_units(num);
                        bands
                            .iter()
                            .find(|(min, _)| scaled >= i128::from(*min) * i128::from(den))
                            .map_or(0, |(_, points)| *points)
                    };
                    kernel!(
                        |cell| match *cell {
                            Cell::Number(v) => Some(band(v)),
                            Cell::Counts { num, den } => Some(band_of_counts(num, den)),
                            _ => None,
                        },
                        |value, _passed| match value {
                            Cell::Number(v) => Step::Points(band(v)),
                            Cell::Counts { num, den } => Step::Points(band_of_counts(num, den)),
                            _ => Step::Slow,
                        }
                    )
                }
                Kernel::Proportional {
                    floor,
                    full_at,
                    factor,
                    max,
                } => {
                    let (floor, full_at) = (*floor, *full_at);
                    let span = i128::from(full_at) - i128::from(floor);
                    // A rate from counts, against the posts scaled by its denominator: the
                    // points at or beyond them, else how far it is above the floor (in lane
                    // units times `den`) and `den`.
                    let counts = |num: i64, den: i64| {
                        let (scaled, den) = (percent_units(num), i128::from(den));
                        let floor = i128::from(floor) * den;
                        if scaled <= floor {
                            Ok(0)
                        } else if scaled >= i128::from(full_at) * den {
                            Ok(leaf.max)
                        } else {
                            Err((scaled - floor, den))
                        }
                    };
                    // (num × 100 / den − floor) × max / span, from what `counts` gives.
                    let between = |above: i128, den: i128| {
                        quotient_units(
                            mul_i128(above, max.mantissa)?,
                            mul_i128(den, span)?,
                            max.scale,
                        )
                    };
                    // (v − floor) × max / span, all in lane units, or for a rate from counts
                    // as `between` gives it.
                    let quotient = |value: Cell| {
                        let points = match value {
                            Cell::Number(v) => quotient_units(
                                mul_i128(i128::from(v) - i128::from(floor), max.mantissa)?,
                                span,
                                max.scale,
                            ),
                            Cell::Counts { num, den } => counts(num, den)
                                .err()
                                .and_then(|(above, den)| between(above, den)),
                            _ => None,
                        };
                        Some((points?, leaf.max))
                    };
                    let counts_step = |value: Cell| match value {
                        Cell::Counts { num, den } => {
                            counts(num, den).map_or(Step::Quotient(value), Step::Points)
                        }
                        _ => Step::General,
                    };
                    // The points of a rate of counts in the dense pass, its quotient
                    // included: rates of counts rarely repeat, so it is not memoised.
                    let counts_dense = |num: i64, den: i64| match counts(num, den) {
                        Ok(points) => Some(points),
                        Err((above, den)) => between(above, den),
                    };
                    match *factor {
                        // Exact between the posts, and the full points at `full_at` (span ×
                        // factor is the maximum): one clamp and a product, no branch.
                        Some(factor) => {
                            // Unsigned: a u64 times a u128 is two multiplications, where
                            // an i128 product is three.
                            let dense = |v: i64| {
                                // At most `full_at − floor`, which fits a u64 even where
                                // it does not fit an i64, so the wrapped difference is exact.
                                let above = v.max(floor).min(full_at).wrapping_sub(floor) as u64;
                                (u128::from(above) * factor) as i128
                            };
                            kernel!(
                                |cell| match *cell {
                                    Cell::Number(v) => Some(dense(v)),
                                    Cell::Counts { num, den } => counts_dense(num, den),
                                    _ => None,
                                },
                                quotient,
                                |value, _passed| match value {
                                    Cell::Number(v) => Step::Points(dense(v)),
                                    other => counts_step(other),
                                }
                            )
                        }
                        // Between the posts, a quotient.
                        None => {
                            let ends = |v: i64| {
                                if v <= floor {
                                    Some(0)
                                } else if v >= full_at {
                                    Some(leaf.max)
                                } else {
                                    None
                                }
                            };
                            kernel!(
                                |cell| match *cell {
                                    // Numbers repeat (rates to two decimals): their quotients
                                    // are memoised.
                                    Cell::Number(v) => ends(v).or_else(|| {
                                        Some(memo.get(*cell, None, || quotient(*cell))?.0)
                                    }),
                                    Cell::Counts { num, den } => counts_dense(num, den),
                                    _ => None,
                                },
                                quotient,
                                |value, _passed| match value {
                                    Cell::Number(v) =>
                                        ends(v).map_or(Step::Memo(value), Step::Points),
                                    other => counts_step(other),
                                }
                            )
                        }
                    }
                }
                Kernel::Given { max } => {
                    let given = |v: i64| {
                        (0..=*max)
                            .contains(&v)
                            .then(|| i128::from(v) * LANE_TO_POINTS)
                    };
                    kernel!(
                        |cell| match *cell {
                            Cell::Number(v) => given(v),
                            _ => None,
                        },
                        |value, _passed| match value {
                            Cell::Number(v) => given(v).map_or(Step::Slow, Step::Points),
                            _ => Step::General,
                        }
                    )
                }
                Kernel::Deduction { per, cap } => {
                    let deduct = |v: i64| {
                        (v >= 0).then(|| {
                            let deducted = i128::from(v)
                                .checked_mul(*per)
                                .map_or(*cap, |d| d.min(*cap));
                            leaf.max - deducted
                        })
                    };
                    kernel!(
                        |cell| match *cell {
                            Cell::Number(v) => deduct(v),
                            _ => None,
                        },
                        |value, _passed| match value {
                            Cell::Number(v) => deduct(v).map_or(Step::General, Step::Points),
                            _ => Step::General,
                        }
                    )
                }
                Kernel::General => {
                    for row in 0..rows {
                        match general!(row) {
                            Some((p, max)) => {
                                points[row] += p;
                                max_points[row] -= leaf.max - max;
                                if let Some(leaf_points) = leaf_points.as_deref_mut() {
                                    leaf_points[row] = p;
                                }
                            }
                            None => slow[row] = true,
                        }
                    }
                }
            }
        }
        block.tally.finish(&mut block.points, rows);
        for &(own, into) in &self.clamps {
            for row in 0..rows {
                let points = block.points[own * rows + row].max(0);
                block.points[into * rows + row] += points;
            }
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

/// `num × 100` in lane units: a rate of counts' numerator, to compare with lane units
/// multiplied by its denominator (both fit an `i128`: counts are `i64`s).
fn percent_units(num: i64) -> i128 {
    i128::from(num) * 100 * i128::from(ONE)
}

/// An order as an index into `[less, equal, greater]`.
fn order_index(order: Ordering) -> usize {
    (order as i8 + 1) as usize
}

/// The quotient of kernels that never ask for one.
fn no_quotient(_: Cell) -> Option<(i128, i128)> {
    None
}

/// What a leaf's value and target settle before its rule is applied.
enum Verdict {
    /// Figures already known (missing, n/a), or `None`: the row needs the general path.
    Done(Option<(i128, i128)>),
    /// Whether the target passed (`None`: no target).
    Passed(Option<bool>),
}

/// What a rule made of one value.
enum Step {
    Points(i128),
    /// Figures that take decimal arithmetic: looked up in the leaf's memo, computed from the
    /// cell by the kernel's quotient on a miss. For a number, which repeats (rates to two
    /// decimals).
    Memo(Cell),
    /// Figures computed from the cell by the kernel's quotient each time: for a rate of
    /// counts, which rarely repeats, so that a memo would only cost its lookup.
    Quotient(Cell),
    /// The row needs the general path (an error to report).
    Slow,
    /// The leaf's general scoring computes this one (a quotient, an unusual value).
    General,
}

/// Recent results of a leaf's general scoring, by its cells. The general scoring is a pure
/// function of them, and real columns repeat their values (rates to two decimals, the same
/// yes/no and target), so most rows find their figures here instead of in decimal arithmetic.
/// A leaf's cells, and its figures for them (`None`: the row takes the general path).
type Memoised = (Cell, Option<Cell>, Option<(i128, i128)>);

#[derive(Default)]
pub(super) struct Memo {
    /// Allocated on first use: most leaves never need it.
    entries: Vec<Option<Memoised>>,
}

impl Memo {
    const SIZE: usize = 4096;

    #[inline]
    fn get(
        &mut self,
        value: Cell,
        reference: Option<Cell>,
        compute: impl FnOnce() -> Option<(i128, i128)>,
    ) -> Option<(i128, i128)> {
        if self.entries.is_empty() {
            self.entries.resize(Memo::SIZE, None);
        }
        let slot =
            (hash(value) ^ reference.map_or(0, |r| hash(r).rotate_left(17))) as usize % Memo::SIZE;
        match self.entries[slot] {
            Some((v, r, figures)) if v == value && r == reference => figures,
            _ => {
                let figures = compute();
                self.entries[slot] = Some((value, reference, figures));
                figures
            }
        }
    }
}

/// A cheap, well-spread hash of a cell (a multiply and a fold).
fn hash(cell: Cell) -> u64 {
    let (a, b) = match cell {
        Cell::Missing => (1, 0),
        Cell::NotApplicable => (2, 0),
        Cell::Bool(b) => (3, u64::from(b)),
        Cell::Number(v) => (v as u64, 4),
        Cell::Counts { num, den } => (num as u64, den as u64),
    };
    let mixed = (a ^ b.rotate_left(32)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    mixed ^ (mixed >> 29)
}

impl LeafPlan {
    /// The points of a yes and of a no, for a leaf that asks nothing else of its value (a
    /// missing one scores 0 of its maximum, or fails the row when strict).
    fn yes_no_points(&self) -> Option<(i128, i128)> {
        if self.reference.is_some() || self.usual != Usual::YesNo {
            return None;
        }
        match self.kernel {
            Kernel::Threshold { pass, fail } => {
                let points = |b| {
                    if self.test.bool(b) == Some(true) {
                        pass
                    } else {
                        fail
                    }
                };
                Some((points(true), points(false)))
            }
            Kernel::Boolean => Some((self.max, 0)),
            _ => None,
        }
    }

    /// Settles missing and n/a values and checks the target.
    #[inline(always)]
    fn verdict(&self, value: Cell, reference: Option<Cell>, options: Options) -> Verdict {
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
    fn general(
        &self,
        scheme: &Scheme,
        value: Cell,
        reference: Option<Cell>,
        values: &mut [Option<Value>],
        options: Options,
    ) -> Option<(i128, i128)> {
        let Node::Leaf(leaf) = &scheme.0.nodes[self.node].node else {
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

impl Test {
    /// Whether a number passes a target that is not another indicator.
    #[inline(always)]
    fn number(&self, v: i64) -> Option<bool> {
        match *self {
            Test::None => None,
            Test::Number { lo, hi, inside, .. } => Some((lo..=hi).contains(&v) == inside),
            Test::Bool { .. } | Test::Reference(_) => Some(false),
        }
    }

    /// Whether a rate of counts `num / den × 100` passes a target that is not another
    /// indicator, by cross-multiplication.
    #[inline(always)]
    fn counts(&self, num: i64, den: i64) -> Option<bool> {
        match *self {
            Test::None => None,
            Test::Number { op, units, .. } => {
                Some(op.holds(percent_units(num).cmp(&(i128::from(units) * i128::from(den)))))
            }
            Test::Bool { .. } | Test::Reference(_) => Some(false),
        }
    }

    /// `(lo, hi, inside)`: a number passes when `(lo..=hi).contains(v) == inside`, as
    /// [`Test::number`] decides it, so that a kernel can test without matching the test.
    fn span(&self) -> (i64, i64, bool) {
        match *self {
            Test::Number { lo, hi, inside, .. } => (lo, hi, inside),
            // Nothing passes.
            Test::None | Test::Bool { .. } | Test::Reference(_) => (1, 0, true),
        }
    }

    /// Whether a yes/no passes a target that is not another indicator.
    #[inline(always)]
    fn bool(&self, b: bool) -> Option<bool> {
        match *self {
            Test::None => None,
            Test::Bool { op, want } => Some((b == want) != (op == Op::Ne)),
            Test::Number { .. } | Test::Reference(_) => Some(false),
        }
    }
}

enum Compared {
    Order(Ordering),
    Bools(bool, bool),
    Unlike,
    TooLarge,
}

/// Two cells compared exactly, as `score::passes` compares their values.
fn compare(a: Cell, b: Cell) -> Compared {
    let fraction = |cell: Cell| match cell {
        Cell::Number(v) => Some((i128::from(v), i128::from(ONE))),
        Cell::Counts { num, den } => Some((i128::from(num) * 100, i128::from(den))),
        _ => None,
    };
    match (a, b) {
        (Cell::Bool(a), Cell::Bool(b)) => Compared::Bools(a, b),
        _ => match (fraction(a), fraction(b)) {
            (Some((an, ad)), Some((bn, bd))) => match (an.checked_mul(bd), bn.checked_mul(ad)) {
                (Some(x), Some(y)) => Compared::Order(x.cmp(&y)),
                _ => Compared::TooLarge,
            },
            _ => Compared::Unlike,
        },
    }
}

fn test_of(leaf: &Leaf) -> Option<Test> {
    Some(match &leaf.target {
        None => Test::None,
        Some(target) => match &target.rhs {
            Rhs::Number(d) => {
                let units = units_of(*d)?;
                // A target at the very end of the lanes' range is left to the general path.
                let (lo, hi, inside) = match target.op {
                    Op::Ge => (units, i64::MAX, true),
                    Op::Gt => (units.checked_add(1)?, i64::MAX, true),
                    Op::Le => (i64::MIN, units, true),
                    Op::Lt => (i64::MIN, units.checked_sub(1)?, true),
                    Op::Eq => (units, units, true),
                    Op::Ne => (units, units, false),
                };
                Test::Number {
                    op: target.op,
                    units,
                    lo,
                    hi,
                    inside,
                }
            }
            Rhs::Bool(want) => Test::Bool {
                op: target.op,
                want: *want,
            },
            Rhs::Indicator(_) => Test::Reference(target.op),
        },
    })
}

/// The integer kernel of a rule, when its figures are exact in lane and point units.
fn kernel_of(leaf: &Leaf, max: Decimal) -> Option<Kernel> {
    Some(match &leaf.rule {
        Rule::Threshold { pass, fail } => Kernel::Threshold {
            pass: points_of(*pass),
            fail: points_of(*fail),
        },
        Rule::Boolean => Kernel::Boolean,
        Rule::Bands(bands) => Kernel::Bands(
            bands
                .iter()
                .map(|band| Some((units_of(band.min)?, points_of(band.points))))
                .collect::<Option<_>>()?,
        ),
        Rule::Proportional(posts) => {
            // (v − floor) × max / span = units × 10^-9 × max × reciprocal: exact in point
            // units when max × reciprocal has at most 19 places, and then representable as
            // a decimal (as the row path computes it) when below 2^96 at those places.
            let factor = posts.reciprocal().and_then(|reciprocal| {
                let product = Scaled::of(max).times(Scaled::of(reciprocal))?;
                let places = product.scale + PLACES;
                let fits = places <= POINT_PLACES
                    && max
                        .mantissa()
                        .checked_mul(POW10[(places - max.scale()) as usize])?
                        < 1 << 96;
                let factor = product.mantissa * POW10[(POINT_PLACES - places) as usize];
                // The maximum is not negative, so neither is the factor.
                fits.then(|| u128::try_from(factor).ok()).flatten()
            });
            Kernel::Proportional {
                floor: units_of(posts.floor())?,
                full_at: units_of(posts.full_at())?,
                factor,
                max: Scaled::of(max),
            }
        }
        Rule::Given => Kernel::Given {
            max: units_of(max)?,
        },
        Rule::Deduction { per, cap } => {
            let per = Scaled::of(*per);
            Kernel::Deduction {
                per: per.mantissa
                    * *POW10.get((POINT_PLACES - PLACES).checked_sub(per.scale)? as usize)?,
                cap: points_of(*cap),
            }
        }
    })
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
