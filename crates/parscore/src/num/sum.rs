//! Exact sums of points. Decimal addition rounds once a sum needs more than 28 significant
//! digits, which makes a total depend on the order of its terms; this accumulator holds
//! every sum exactly (an i128 at the largest scale among its terms), so every path that sums
//! the same criteria gets the same total, and rounds once when the total is read. A scheme's
//! points add up to at most [`MAX_POINTS`](crate::limits::MAX_POINTS): 10^9 at 28 places is
//! 10^37 < 2^127, so no sum overflows.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use crate::num::exact::{POW10, digits_beyond_96_bits};
use crate::num::trailing_zeros::without_trailing_zeros;

/// A sum of points that never rounds: `units × 10^-scale` in an i128, at the largest scale
/// among its terms. Analyses that add points up (the path to a grade) compare and read their
/// totals as scoring does.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExactSum {
    units: i128,
    scale: u32,
}

impl ExactSum {
    /// The sum of one term.
    pub fn of(value: Decimal) -> ExactSum {
        ExactSum {
            units: value.mantissa(),
            scale: value.scale(),
        }
    }

    /// `units × 10^-scale`, as the columnar kernels accumulate them.
    #[inline]
    pub fn from_units(units: i128, scale: u32) -> ExactSum {
        ExactSum { units, scale }
    }

    fn at_scale(self, scale: u32) -> i128 {
        self.units * POW10[(scale - self.scale) as usize]
    }

    fn plus(self, other: ExactSum) -> ExactSum {
        // A sum starts from zero at scale 0, and zero terms are common (missed criteria):
        // neither needs rescaling. The scale is only where the units are counted; the value
        // (and the decimal read back, without trailing zeros) is the same.
        if self.units == 0 {
            return other;
        }
        if other.units == 0 {
            return self;
        }
        if self.scale == other.scale {
            return ExactSum {
                units: self.units + other.units,
                scale: self.scale,
            };
        }
        let scale = self.scale.max(other.scale);
        ExactSum {
            units: self.at_scale(scale) + other.at_scale(scale),
            scale,
        }
    }

    /// The sum, or 0 when it is negative (a group's points).
    pub fn max_zero(self) -> ExactSum {
        if self.units < 0 {
            ExactSum::default()
        } else {
            self
        }
    }

    /// The sum as a decimal, rounded half-even once, to the 96 bits a decimal holds, only
    /// when it has more digits than that; without trailing zeros.
    #[inline]
    pub fn to_decimal(self) -> Decimal {
        let magnitude = self.units.unsigned_abs();
        let (mantissa, scale) = if magnitude <= MAX_MANTISSA {
            (magnitude, self.scale)
        } else {
            // The fewest digits to drop, one more if rounding up carries past 96 bits.
            let mut dropped = digits_beyond_96_bits(magnitude, self.scale as usize)
                .unwrap_or(self.scale as usize);
            loop {
                let divisor = POW10[dropped] as u128;
                let quotient = magnitude / divisor;
                let (remainder, half) = (magnitude - quotient * divisor, divisor / 2);
                let up = remainder > half || (remainder == half && quotient % 2 == 1);
                let rounded = quotient + u128::from(up);
                if rounded <= MAX_MANTISSA || dropped == self.scale as usize {
                    break (rounded.min(MAX_MANTISSA), self.scale - dropped as u32);
                }
                dropped += 1;
            }
        };
        let (mantissa, zeros) = without_trailing_zeros(mantissa, scale);
        let scale = scale - zeros;
        let units = mantissa as i128;
        Decimal::from_i128_with_scale(if self.units < 0 { -units } else { units }, scale)
    }
}

const MAX_MANTISSA: u128 = (1 << 96) - 1;

impl PartialEq for ExactSum {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for ExactSum {}

impl PartialOrd for ExactSum {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ExactSum {
    fn cmp(&self, other: &Self) -> Ordering {
        let scale = self.scale.max(other.scale);
        self.at_scale(scale).cmp(&other.at_scale(scale))
    }
}

impl std::ops::Add for ExactSum {
    type Output = ExactSum;

    fn add(self, other: ExactSum) -> ExactSum {
        self.plus(other)
    }
}

impl std::iter::Sum for ExactSum {
    fn sum<I: Iterator<Item = ExactSum>>(iter: I) -> ExactSum {
        iter.fold(ExactSum::default(), ExactSum::plus)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn to_decimal_rounds_and_normalizes_as_decimal_would(
            units in proptest::prop_oneof![
                -(10i128.pow(12))..10i128.pow(12),
                -(1i128 << 96)..(1i128 << 96),
                -(10i128.pow(37))..10i128.pow(37),
            ],
            zeros in 0u32..=20,
            scale in 0u32..=28,
        ) {
            let units = units.checked_mul(POW10[zeros as usize]).unwrap_or(units);
            // Sums stay below 10^11 points (MAX_POINTS per criterion, a few hundred of them).
            let digits = units.unsigned_abs().checked_ilog10().unwrap_or(0) + 1;
            let scale = scale.max(digits.saturating_sub(11)).min(28);
            proptest::prop_assume!(digits <= scale + 11);
            let mine = ExactSum { units, scale }.to_decimal();
            // The reference: the old loop, one digit at a time, then Decimal's normalize.
            let mut dropped = 0;
            let expected = loop {
                let divisor = POW10[dropped as usize];
                let (quotient, remainder) = (units / divisor, (units % divisor).abs());
                let half = divisor / 2;
                let up = dropped > 0 && (remainder > half || (remainder == half && quotient % 2 != 0));
                let rounded = if up { quotient + units.signum() } else { quotient };
                if rounded.abs() < 1 << 96 {
                    break Decimal::from_i128_with_scale(rounded, scale - dropped).normalize();
                }
                dropped += 1;
            };
            proptest::prop_assert_eq!((mine.mantissa(), mine.scale()), (expected.mantissa(), expected.scale()));
        }
    }
}
