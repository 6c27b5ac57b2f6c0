//! A leaf's target in lane units, and the comparisons it makes: a number against a range, a
//! rate of counts by cross-multiplication, a yes/no, or two cells against each other.

use std::cmp::Ordering;

use super::lane::{Cell, ONE, units_of};
use parscore::engine::Leaf;
use parscore::{Op, Rhs};

/// How a leaf's target is checked.
#[derive(Clone, Copy)]
pub(super) enum Test {
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

impl Test {
    /// The test of a leaf's target, when its number fits the lanes.
    pub(super) fn of(leaf: &Leaf) -> Option<Test> {
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

    /// Whether a number passes a target that is not another indicator.
    #[inline(always)]
    pub(super) fn number(&self, v: i64) -> Option<bool> {
        match *self {
            Test::None => None,
            Test::Number { lo, hi, inside, .. } => Some((lo..=hi).contains(&v) == inside),
            Test::Bool { .. } | Test::Reference(_) => Some(false),
        }
    }

    /// Whether a rate of counts `num / den × 100` passes a target that is not another
    /// indicator, by cross-multiplication.
    #[inline(always)]
    pub(super) fn counts(&self, num: i64, den: i64) -> Option<bool> {
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
    pub(super) fn span(&self) -> (i64, i64, bool) {
        match *self {
            Test::Number { lo, hi, inside, .. } => (lo, hi, inside),
            // Nothing passes.
            Test::None | Test::Bool { .. } | Test::Reference(_) => (1, 0, true),
        }
    }

    /// Whether a yes/no passes a target that is not another indicator.
    #[inline(always)]
    pub(super) fn bool(&self, b: bool) -> Option<bool> {
        match *self {
            Test::None => None,
            Test::Bool { op, want } => Some((b == want) != (op == Op::Ne)),
            Test::Number { .. } | Test::Reference(_) => Some(false),
        }
    }
}

/// Two cells compared exactly.
pub(super) enum Compared {
    Order(Ordering),
    Bools(bool, bool),
    Unlike,
    /// A product beyond `i128`: the general path compares them.
    TooLarge,
}

/// Two cells compared exactly, as `score::passes` compares their values.
pub(super) fn compare(a: Cell, b: Cell) -> Compared {
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

/// `num × 100` in lane units: a rate of counts' numerator, to compare with lane units
/// multiplied by its denominator (both fit an `i128`: counts are `i64`s).
pub(super) fn percent_units(num: i64) -> i128 {
    i128::from(num) * 100 * i128::from(ONE)
}
