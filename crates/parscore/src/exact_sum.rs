//! Exact sums of points. Decimal addition rounds once a sum needs more than 28 significant
//! digits, which makes a total depend on the order of its terms; this accumulator holds
//! every sum exactly (an i128 at the largest scale among its terms), so every path that sums
//! the same criteria gets the same total, and rounds once when the total is read.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use crate::exact::POW10;

/// The largest magnitude a scheme may give a criterion or a deduction cap, so that no sum of
/// a scheme's points can overflow the accumulator (10^9 at 28 places is 10^37 < 2^127).
pub(crate) const MAX_POINTS: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);

/// `units × 10^-scale`.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ExactSum {
    units: i128,
    scale: u32,
}

impl ExactSum {
    pub fn of(value: Decimal) -> ExactSum {
        ExactSum {
            units: value.mantissa(),
            scale: value.scale(),
        }
    }

    /// `units × 10^-scale`, as the columnar kernels accumulate them.
    #[cfg(feature = "arrow")]
    pub fn from_units(units: i128, scale: u32) -> ExactSum {
        ExactSum { units, scale }
    }

    fn at_scale(self, scale: u32) -> i128 {
        self.units * POW10[(scale - self.scale) as usize]
    }

    fn plus(self, other: ExactSum) -> ExactSum {
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

    pub fn max_zero(self) -> ExactSum {
        if self.units < 0 {
            ExactSum::default()
        } else {
            self
        }
    }

    /// The sum as a decimal, rounded half-even once, to the 96 bits a decimal holds, only
    /// when it has more digits than that.
    pub fn to_decimal(self) -> Decimal {
        const MAX_MANTISSA: i128 = (1 << 96) - 1;
        if self.units.abs() <= MAX_MANTISSA {
            return Decimal::from_i128_with_scale(self.units, self.scale).normalize();
        }
        let mut dropped = 1;
        loop {
            let divisor = POW10[dropped as usize];
            let (quotient, remainder) = (self.units / divisor, (self.units % divisor).abs());
            let half = divisor / 2;
            let up = remainder > half || (remainder == half && quotient % 2 != 0);
            let rounded = if up {
                quotient + self.units.signum()
            } else {
                quotient
            };
            if rounded.abs() <= MAX_MANTISSA {
                return Decimal::from_i128_with_scale(rounded, self.scale - dropped).normalize();
            }
            dropped += 1;
        }
    }
}

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

impl std::iter::Sum for ExactSum {
    fn sum<I: Iterator<Item = ExactSum>>(iter: I) -> ExactSum {
        iter.fold(ExactSum::default(), ExactSum::plus)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn sum(terms: &[Decimal]) -> ExactSum {
        terms.iter().copied().map(ExactSum::of).sum()
    }

    #[test]
    fn sums_exactly_whatever_the_order() {
        let third = dec!(1) / dec!(3);
        let mut terms = vec![
            dec!(12.4),
            third,
            third,
            third,
            dec!(0.0000000000000000000000000001),
        ];
        let forward = sum(&terms);
        terms.reverse();
        assert_eq!(forward, sum(&terms));
        assert_eq!(sum(&[dec!(2.5), dec!(-3)]).max_zero().to_decimal(), dec!(0));
        assert_eq!(sum(&[dec!(1.16), dec!(0.84)]).to_decimal().to_string(), "2");
    }

    #[test]
    fn rounds_half_even_only_when_the_sum_needs_more_than_96_bits() {
        assert_eq!(ExactSum::of(dec!(81.33)).to_decimal(), dec!(81.33));
        // 12.5 + 5 × 10^-28 has 30 digits, one too many: the tie goes to the even 0.
        let tie = sum(&[dec!(12.5), dec!(0.0000000000000000000000000005)]);
        assert_eq!(tie.to_decimal(), dec!(12.5));
        let above = sum(&[dec!(12.5), dec!(0.0000000000000000000000000016)]);
        assert_eq!(above.to_decimal(), dec!(12.500000000000000000000000002));
    }
}
