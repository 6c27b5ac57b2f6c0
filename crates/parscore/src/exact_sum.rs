//! Exact sums of points. Decimal addition rounds once a sum needs more than 28 significant
//! digits, which makes a total depend on the order of its terms; a fixed-point accumulator
//! at 28 decimal places holds every point value exactly, so every path that sums the same
//! criteria gets the same total.

use rust_decimal::Decimal;

const PLACES: u32 = 28;

/// The largest magnitude a scheme may give a criterion or a deduction cap, so that no sum of
/// a scheme's points can overflow the accumulator (2^127 ≈ 1.7 × 10^38 units of 10^-28).
pub(crate) const MAX_POINTS: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);

/// A sum of decimals in units of 10^-28.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct ExactSum(i128);

impl ExactSum {
    pub fn of(value: Decimal) -> ExactSum {
        // |value| < MAX_POINTS × (criteria count) keeps this far inside i128.
        let scale = value.scale();
        ExactSum(value.mantissa() * 10i128.pow(PLACES - scale))
    }

    pub fn add(self, value: Decimal) -> ExactSum {
        ExactSum(self.0 + ExactSum::of(value).0)
    }

    pub fn max_zero(self) -> ExactSum {
        ExactSum(self.0.max(0))
    }

    /// The sum as a decimal, rounded half-even once, to the 96 bits a decimal holds, when it
    /// has more digits than that.
    pub fn to_decimal(self) -> Decimal {
        const MAX_MANTISSA: i128 = (1 << 96) - 1;
        let mut dropped = 0;
        loop {
            let divisor = 10i128.pow(dropped);
            let (quotient, remainder) = (self.0 / divisor, (self.0 % divisor).abs());
            let half = divisor / 2;
            let up = dropped > 0 && (remainder > half || (remainder == half && quotient % 2 != 0));
            let rounded = if up {
                quotient + self.0.signum()
            } else {
                quotient
            };
            if rounded.abs() <= MAX_MANTISSA {
                return Decimal::from_i128_with_scale(rounded, PLACES - dropped).normalize();
            }
            dropped += 1;
        }
    }
}

impl std::iter::Sum<Decimal> for ExactSum {
    fn sum<I: Iterator<Item = Decimal>>(iter: I) -> ExactSum {
        iter.fold(ExactSum::default(), ExactSum::add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn sums_exactly_whatever_the_order() {
        let third = dec!(1) / dec!(3);
        let terms = [
            dec!(12.4),
            third,
            third,
            third,
            dec!(0.0000000000000000000000000001),
        ];
        let forward: ExactSum = terms.iter().copied().sum();
        let backward: ExactSum = terms.iter().rev().copied().sum();
        assert_eq!(forward, backward);
        assert_eq!(
            ExactSum::default()
                .add(dec!(2.5))
                .add(dec!(-3))
                .max_zero()
                .to_decimal(),
            dec!(0)
        );
    }

    #[test]
    fn rounds_half_even_only_when_the_sum_needs_more_than_28_digits() {
        assert_eq!(ExactSum::of(dec!(81.33)).to_decimal(), dec!(81.33));
        // 12.5 + 5 × 10^-28 has 30 digits, one too many: the tie goes to the even 0.
        let tie = ExactSum::of(dec!(12.5)).add(dec!(0.0000000000000000000000000005));
        assert_eq!(tie.to_decimal(), dec!(12.5));
        let above = ExactSum::of(dec!(12.5)).add(dec!(0.0000000000000000000000000016));
        assert_eq!(above.to_decimal(), dec!(12.500000000000000000000000002));
    }
}
