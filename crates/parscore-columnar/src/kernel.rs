//! The rules as integer kernels: each leaf's rule compiled once to integers in lane units
//! (10^-9) and points in units of 10^-28, and its arithmetic for the two passes that score a
//! leaf down a block (see [`super::pass`]). The dense pass asks a kernel for the points of the
//! leaf's usual cell alone; the full step asks it what its rule makes of any value once
//! missing and n/a are settled and the target is checked.
//!
//! Whatever a kernel cannot do exactly in integers — a quotient between proportional goal
//! posts, a figure that would overflow — it leaves to a quotient or to the general scoring of
//! the leaf or of the whole row, so every path gives the same figures by construction.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use super::lane::{Cell, PLACES, units_of};
use super::memo::Memo;
use super::target::{Test, percent_units};
use parscore::Rule;
use parscore::engine::{Leaf, POW10, Scaled, mul_i128, quotient_units};

/// Places of the points the kernels add: every decimal's own scale fits under it.
pub(super) const POINT_PLACES: u32 = 28;

/// A decimal in point units (`|d| ≤ 10^9`, as the scheme's validation guarantees).
pub(super) fn points_of(d: Decimal) -> i128 {
    d.mantissa() * POW10[(POINT_PLACES - d.scale()) as usize]
}

/// Lane units to point units.
const LANE_TO_POINTS: i128 = POW10[(POINT_PLACES - PLACES) as usize];

/// A rule's arithmetic in the two passes. The dense pass asks for the points of its leaf's
/// usual cell — a number, a rate of counts or a yes/no — from the arithmetic alone, `None`
/// when the full step must take the row; it is pure, so a row it scores twice gets the same
/// figure. The full step asks what the rule makes of a value whose missing and n/a are
/// settled and whose target is checked (`passed`; `None`: no target): every cell a leaf may
/// hold can reach it.
pub(super) trait Arithmetic {
    fn dense(&self, cell: Cell, memo: &mut Memo) -> Option<i128>;

    fn step(&self, value: Cell, passed: Option<bool>) -> Step;

    /// The figures of a [`Step::Memo`] or [`Step::Quotient`] of this rule: none for a rule
    /// that never asks for one.
    fn quotient(&self, _value: Cell) -> Option<(i128, i128)> {
        None
    }
}

/// What a rule made of one value.
pub(super) enum Step {
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

/// The kernel a leaf's points are computed by.
pub(super) enum Kernel {
    /// Against a fixed target: a number or a rate of counts.
    Threshold(Threshold),
    /// A threshold on a yes/no indicator.
    YesNo(YesNo),
    /// A threshold against another indicator.
    Order(Order),
    Boolean(Boolean),
    Bands(Bands),
    /// Proportional points whose factor is exact in point units.
    Proportional(Proportional),
    /// Proportional points that are a quotient between the posts.
    ProportionalQuotient(ProportionalQuotient),
    Given(Given),
    Deduction(Deduction),
    /// The general scoring of the leaf, row by row.
    General,
}

impl Kernel {
    /// The integer kernel of a leaf's rule, when its figures are exact in lane and point
    /// units; `yes_no` when its indicator is a yes/no.
    pub(super) fn of(leaf: &Leaf, max: Decimal, test: &Test, yes_no: bool) -> Option<Kernel> {
        Some(match &leaf.rule {
            Rule::Threshold { pass, fail } => {
                let points = PassFail {
                    pass: points_of(*pass),
                    fail: points_of(*fail),
                };
                match *test {
                    Test::Reference(op) if leaf.target_slot.is_some() => Kernel::Order(Order {
                        points,
                        by_order: [Ordering::Less, Ordering::Equal, Ordering::Greater]
                            .map(|order| points.of(Some(op.holds(order)))),
                    }),
                    _ if yes_no => Kernel::YesNo(YesNo {
                        points,
                        yes: points.of(test.bool(true)),
                        no: points.of(test.bool(false)),
                    }),
                    _ => {
                        let (lo, hi, inside) = test.span();
                        Kernel::Threshold(Threshold {
                            points,
                            lo,
                            hi,
                            inside,
                            test: *test,
                        })
                    }
                }
            }
            Rule::Boolean => Kernel::Boolean(Boolean {
                max: points_of(max),
            }),
            Rule::Bands(bands) => Kernel::Bands(Bands {
                bands: bands
                    .iter()
                    .map(|band| Some((units_of(band.min)?, points_of(band.points))))
                    .collect::<Option<_>>()?,
            }),
            Rule::Proportional(posts) => {
                // (v − floor) × max / span = units × 10^-9 × max × reciprocal: exact in point
                // units when max × reciprocal has at most 19 places, and then representable
                // as a decimal (as the row path computes it) when below 2^96 at those places.
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
                let (floor, full_at) = (units_of(posts.floor())?, units_of(posts.full_at())?);
                let posts = Posts {
                    floor,
                    full_at,
                    span: i128::from(full_at) - i128::from(floor),
                    max: Scaled::of(max),
                    full: points_of(max),
                };
                match factor {
                    Some(factor) => Kernel::Proportional(Proportional { posts, factor }),
                    None => Kernel::ProportionalQuotient(ProportionalQuotient { posts }),
                }
            }
            Rule::Given => Kernel::Given(Given {
                max: units_of(max)?,
            }),
            Rule::Deduction { per, cap } => {
                let per = Scaled::of(*per);
                Kernel::Deduction(Deduction {
                    per: per.mantissa
                        * *POW10.get((POINT_PLACES - PLACES).checked_sub(per.scale)? as usize)?,
                    cap: points_of(*cap),
                    max: points_of(max),
                })
            }
        })
    }
}

/// The points of a threshold, by its target's verdict.
#[derive(Clone, Copy)]
pub(super) struct PassFail {
    pass: i128,
    fail: i128,
}

impl PassFail {
    #[inline(always)]
    fn of(self, passed: Option<bool>) -> i128 {
        if passed == Some(true) {
            self.pass
        } else {
            self.fail
        }
    }
}

/// A threshold against a fixed target, for a number or a rate of counts.
pub(super) struct Threshold {
    points: PassFail,
    /// The target as [`Test::span`] gives it, so that a number is tested without matching
    /// the test.
    lo: i64,
    hi: i64,
    inside: bool,
    test: Test,
}

impl Arithmetic for Threshold {
    #[inline(always)]
    fn step(&self, _value: Cell, passed: Option<bool>) -> Step {
        Step::Points(self.points.of(passed))
    }

    #[inline(always)]
    fn dense(&self, cell: Cell, _memo: &mut Memo) -> Option<i128> {
        let PassFail { pass, fail } = self.points;
        match cell {
            Cell::Number(v) => Some(if (self.lo..=self.hi).contains(&v) == self.inside {
                pass
            } else {
                fail
            }),
            Cell::Counts { num, den } => Some(self.points.of(self.test.counts(num, den))),
            _ => None,
        }
    }
}

/// A threshold on a yes/no.
pub(super) struct YesNo {
    points: PassFail,
    yes: i128,
    no: i128,
}

impl YesNo {
    /// The points of a yes and of a no.
    pub(super) fn points(&self) -> (i128, i128) {
        (self.yes, self.no)
    }
}

impl Arithmetic for YesNo {
    #[inline(always)]
    fn step(&self, _value: Cell, passed: Option<bool>) -> Step {
        Step::Points(self.points.of(passed))
    }

    #[inline(always)]
    fn dense(&self, cell: Cell, _memo: &mut Memo) -> Option<i128> {
        match cell {
            Cell::Bool(b) => Some(if b { self.yes } else { self.no }),
            _ => None,
        }
    }
}

/// A threshold against another indicator. Its dense pass reads two cells, the value and the
/// one it is compared with, so it has a pass of its own ([`super::pass`]).
pub(super) struct Order {
    points: PassFail,
    /// The points by `[less, equal, greater]`.
    by_order: [i128; 3],
}

impl Order {
    /// Two numbers scored by their order; anything else is left to the full step.
    #[inline(always)]
    pub(super) fn by_order(&self, value: Cell, reference: Cell) -> Option<i128> {
        match (value, reference) {
            (Cell::Number(v), Cell::Number(r)) => {
                Some(self.by_order[(v.cmp(&r) as i8 + 1) as usize])
            }
            _ => None,
        }
    }
}

impl Arithmetic for Order {
    /// A value alone is never enough: [`Order::by_order`] reads the pair.
    fn dense(&self, _cell: Cell, _memo: &mut Memo) -> Option<i128> {
        None
    }

    #[inline(always)]
    fn step(&self, _value: Cell, passed: Option<bool>) -> Step {
        Step::Points(self.points.of(passed))
    }
}

/// The maximum for a yes, nothing for a no.
pub(super) struct Boolean {
    max: i128,
}

impl Boolean {
    /// The points of a yes.
    pub(super) fn max(&self) -> i128 {
        self.max
    }
}

impl Arithmetic for Boolean {
    #[inline(always)]
    fn step(&self, value: Cell, _passed: Option<bool>) -> Step {
        match value {
            Cell::Bool(true) => Step::Points(self.max),
            Cell::Bool(false) => Step::Points(0),
            _ => Step::Slow,
        }
    }

    #[inline(always)]
    fn dense(&self, cell: Cell, _memo: &mut Memo) -> Option<i128> {
        match cell {
            Cell::Bool(b) => Some(if b { self.max } else { 0 }),
            _ => None,
        }
    }
}

/// The points of the first band the value reaches.
pub(super) struct Bands {
    /// `(min, points)`, highest `min` first.
    bands: Vec<(i64, i128)>,
}

impl Bands {
    #[inline(always)]
    fn number(&self, v: i64) -> i128 {
        self.bands
            .iter()
            .find(|(min, _)| v >= *min)
            .map_or(0, |(_, points)| *points)
    }

    /// A rate of counts, against each band's minimum scaled by its denominator.
    #[inline(always)]
    fn counts(&self, num: i64, den: i64) -> i128 {
        let scaled = percent_units(num);
        self.bands
            .iter()
            .find(|(min, _)| scaled >= i128::from(*min) * i128::from(den))
            .map_or(0, |(_, points)| *points)
    }
}

impl Arithmetic for Bands {
    #[inline(always)]
    fn step(&self, value: Cell, _passed: Option<bool>) -> Step {
        match value {
            Cell::Number(v) => Step::Points(self.number(v)),
            Cell::Counts { num, den } => Step::Points(self.counts(num, den)),
            _ => Step::Slow,
        }
    }

    #[inline(always)]
    fn dense(&self, cell: Cell, _memo: &mut Memo) -> Option<i128> {
        match cell {
            Cell::Number(v) => Some(self.number(v)),
            Cell::Counts { num, den } => Some(self.counts(num, den)),
            _ => None,
        }
    }
}

/// The goal posts of proportional points in lane units, and what both of its kernels do
/// alike: rates of counts, and the quotient.
struct Posts {
    floor: i64,
    full_at: i64,
    /// `full_at − floor`.
    span: i128,
    max: Scaled,
    /// The maximum in point units.
    full: i128,
}

impl Posts {
    /// A rate from counts, against the posts scaled by its denominator: the points at or
    /// beyond them, else how far it is above the floor (in lane units times `den`) and `den`.
    #[inline(always)]
    fn counts(&self, num: i64, den: i64) -> Result<i128, (i128, i128)> {
        let (scaled, den) = (percent_units(num), i128::from(den));
        let floor = i128::from(self.floor) * den;
        if scaled <= floor {
            Ok(0)
        } else if scaled >= i128::from(self.full_at) * den {
            Ok(self.full)
        } else {
            Err((scaled - floor, den))
        }
    }

    /// `(num × 100 / den − floor) × max / span`, from what [`Posts::counts`] gives.
    fn between(&self, above: i128, den: i128) -> Option<i128> {
        quotient_units(
            mul_i128(above, self.max.mantissa)?,
            mul_i128(den, self.span)?,
            self.max.scale,
        )
    }

    /// The points of a rate of counts in the dense pass, its quotient included: rates of
    /// counts rarely repeat, so it is not memoised.
    #[inline(always)]
    fn counts_dense(&self, num: i64, den: i64) -> Option<i128> {
        match self.counts(num, den) {
            Ok(points) => Some(points),
            Err((above, den)) => self.between(above, den),
        }
    }

    /// The full step of a value other than a number.
    #[inline(always)]
    fn counts_step(&self, value: Cell) -> Step {
        match value {
            Cell::Counts { num, den } => self
                .counts(num, den)
                .map_or(Step::Quotient(value), Step::Points),
            _ => Step::General,
        }
    }

    /// `(v − floor) × max / span`, all in lane units, or for a rate from counts as
    /// [`Posts::between`] gives it.
    fn quotient(&self, value: Cell) -> Option<(i128, i128)> {
        let points = match value {
            Cell::Number(v) => quotient_units(
                mul_i128(i128::from(v) - i128::from(self.floor), self.max.mantissa)?,
                self.span,
                self.max.scale,
            ),
            Cell::Counts { num, den } => self
                .counts(num, den)
                .err()
                .and_then(|(above, den)| self.between(above, den)),
            _ => None,
        };
        Some((points?, self.full))
    }
}

/// Proportional points exact between the posts, and the full points at `full_at` (span ×
/// factor is the maximum): one clamp and a product, no branch.
pub(super) struct Proportional {
    posts: Posts,
    /// The points of one lane unit above the floor.
    factor: u128,
}

impl Proportional {
    /// Unsigned: a u64 times a u128 is two multiplications, where an i128 product is three.
    #[inline(always)]
    fn number(&self, v: i64) -> i128 {
        let Posts { floor, full_at, .. } = self.posts;
        // At most `full_at − floor`, which fits a u64 even where it does not fit an i64, so
        // the wrapped difference is exact.
        let above = v.max(floor).min(full_at).wrapping_sub(floor) as u64;
        (u128::from(above) * self.factor) as i128
    }
}

impl Arithmetic for Proportional {
    #[inline(always)]
    fn step(&self, value: Cell, _passed: Option<bool>) -> Step {
        match value {
            Cell::Number(v) => Step::Points(self.number(v)),
            other => self.posts.counts_step(other),
        }
    }

    fn quotient(&self, value: Cell) -> Option<(i128, i128)> {
        self.posts.quotient(value)
    }

    #[inline(always)]
    fn dense(&self, cell: Cell, _memo: &mut Memo) -> Option<i128> {
        match cell {
            Cell::Number(v) => Some(self.number(v)),
            Cell::Counts { num, den } => self.posts.counts_dense(num, den),
            _ => None,
        }
    }
}

/// Proportional points that are a quotient between the posts.
pub(super) struct ProportionalQuotient {
    posts: Posts,
}

impl ProportionalQuotient {
    /// The points at or beyond the posts.
    #[inline(always)]
    fn ends(&self, v: i64) -> Option<i128> {
        if v <= self.posts.floor {
            Some(0)
        } else if v >= self.posts.full_at {
            Some(self.posts.full)
        } else {
            None
        }
    }
}

impl Arithmetic for ProportionalQuotient {
    #[inline(always)]
    fn step(&self, value: Cell, _passed: Option<bool>) -> Step {
        match value {
            Cell::Number(v) => self.ends(v).map_or(Step::Memo(value), Step::Points),
            other => self.posts.counts_step(other),
        }
    }

    fn quotient(&self, value: Cell) -> Option<(i128, i128)> {
        self.posts.quotient(value)
    }

    #[inline(always)]
    fn dense(&self, cell: Cell, memo: &mut Memo) -> Option<i128> {
        match cell {
            // Numbers repeat (rates to two decimals): their quotients are memoised.
            Cell::Number(v) => match self.ends(v) {
                Some(points) => Some(points),
                None => memo
                    .get(cell, None, || self.posts.quotient(cell))
                    .map(|(p, _)| p),
            },
            Cell::Counts { num, den } => self.posts.counts_dense(num, den),
            _ => None,
        }
    }
}

/// The value itself as points, within `0..=max`.
pub(super) struct Given {
    /// In lane units.
    max: i64,
}

impl Given {
    #[inline(always)]
    fn number(&self, v: i64) -> Option<i128> {
        (0..=self.max)
            .contains(&v)
            .then(|| i128::from(v) * LANE_TO_POINTS)
    }
}

impl Arithmetic for Given {
    #[inline(always)]
    fn step(&self, value: Cell, _passed: Option<bool>) -> Step {
        match value {
            Cell::Number(v) => self.number(v).map_or(Step::Slow, Step::Points),
            _ => Step::General,
        }
    }

    #[inline(always)]
    fn dense(&self, cell: Cell, _memo: &mut Memo) -> Option<i128> {
        match cell {
            Cell::Number(v) => self.number(v),
            _ => None,
        }
    }
}

/// `max − min(v × per, cap)`.
pub(super) struct Deduction {
    per: i128,
    cap: i128,
    max: i128,
}

impl Deduction {
    #[inline(always)]
    fn number(&self, v: i64) -> Option<i128> {
        (v >= 0).then(|| {
            let deducted = i128::from(v)
                .checked_mul(self.per)
                .map_or(self.cap, |d| d.min(self.cap));
            self.max - deducted
        })
    }
}

impl Arithmetic for Deduction {
    #[inline(always)]
    fn step(&self, value: Cell, _passed: Option<bool>) -> Step {
        match value {
            Cell::Number(v) => self.number(v).map_or(Step::General, Step::Points),
            _ => Step::General,
        }
    }

    #[inline(always)]
    fn dense(&self, cell: Cell, _memo: &mut Memo) -> Option<i128> {
        match cell {
            Cell::Number(v) => self.number(v),
            _ => None,
        }
    }
}
