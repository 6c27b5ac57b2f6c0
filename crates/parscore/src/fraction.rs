//! Exact rational view of a numeric value, so that a rate given as counts is compared
//! without ever being divided.

use std::cmp::Ordering;

use rust_decimal::Decimal;

/// `num / den` with `den > 0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fraction {
    pub num: Decimal,
    pub den: Decimal,
}

impl Fraction {
    pub fn whole(value: Decimal) -> Self {
        Fraction {
            num: value,
            den: Decimal::ONE,
        }
    }

    /// The decimal value, exact whenever the quotient terminates within 28 digits.
    pub fn to_decimal(self) -> Decimal {
        if self.den == Decimal::ONE {
            return self.num;
        }
        self.num
            .checked_div(self.den)
            .unwrap_or(Decimal::MAX)
            .normalize()
    }

    /// Exact comparison by cross-multiplication; only when a product would overflow 96 bits
    /// (counts beyond 10^13 or so) does it compare the 28-digit quotients instead.
    pub fn cmp_exact(self, other: Fraction) -> Ordering {
        if self.den == other.den {
            return self.num.cmp(&other.num);
        }
        match (
            self.num.checked_mul(other.den),
            other.num.checked_mul(self.den),
        ) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => self.to_decimal().cmp(&other.to_decimal()),
        }
    }

    /// `self × factor`, kept as a fraction when the multiplication fits.
    pub fn scale(self, factor: Decimal) -> Fraction {
        match self.num.checked_mul(factor) {
            Some(num) => Fraction { num, den: self.den },
            None => Fraction::whole(self.to_decimal().saturating_mul(factor)),
        }
    }

    /// `self − value`, exact as a fraction.
    pub fn minus(self, value: Decimal) -> Fraction {
        match value
            .checked_mul(self.den)
            .and_then(|v| self.num.checked_sub(v))
        {
            Some(num) => Fraction { num, den: self.den },
            None => Fraction::whole(self.to_decimal().saturating_sub(value)),
        }
    }

    /// `self / divisor` for a positive divisor.
    pub fn divide(self, divisor: Decimal) -> Fraction {
        match self.den.checked_mul(divisor) {
            Some(den) => Fraction { num: self.num, den },
            None => Fraction::whole(self.to_decimal() / divisor),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn compares_counts_without_rounding() {
        let ninety_nine = Fraction::whole(dec!(99));
        let passes = Fraction {
            num: dec!(99000),
            den: dec!(1000),
        };
        let fails = Fraction {
            num: dec!(989900),
            den: dec!(10000),
        };
        assert_eq!(passes.cmp_exact(ninety_nine), Ordering::Equal);
        assert_eq!(fails.cmp_exact(ninety_nine), Ordering::Less);
    }

    #[test]
    fn a_third_is_below_its_rounded_decimal() {
        let third = Fraction {
            num: dec!(1),
            den: dec!(3),
        };
        assert_eq!(
            third.cmp_exact(Fraction::whole(dec!(0.3333333333))),
            Ordering::Greater
        );
        assert_eq!(
            third.scale(dec!(3)).cmp_exact(Fraction::whole(dec!(1))),
            Ordering::Equal
        );
    }
}
