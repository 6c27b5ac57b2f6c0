//! Exact rational view of a numeric value, so that a rate given as counts is compared
//! without ever being divided. Held as i128 integers: comparisons and products of the
//! figures a scheme sees are a few machine instructions, and anything that would overflow
//! falls back to `Decimal` arithmetic.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use crate::exact::{POW10, Scaled, mul_i128};

/// `num / den × 10^-scale`, with `den > 0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fraction {
    num: i128,
    den: i128,
    scale: u32,
}

impl Fraction {
    pub fn whole(value: Decimal) -> Self {
        Fraction {
            num: value.mantissa(),
            den: 1,
            scale: value.scale(),
        }
    }

    /// `num / den × 100`: a percentage given as counts (`den > 0`).
    pub fn percent(num: Decimal, den: Decimal) -> Self {
        let (num, den) = (Scaled::of(num), Scaled::of(den));
        // num/10^a × 100 / (den/10^b) = (num × 100 × 10^b) / den × 10^-a
        let widened =
            mul_i128(num.mantissa, 100).and_then(|n| mul_i128(n, POW10[den.scale as usize]));
        match widened {
            Some(n) => Fraction {
                num: n,
                den: den.mantissa,
                scale: num.scale,
            },
            None => {
                let value = Decimal::from_i128_with_scale(num.mantissa, num.scale)
                    .saturating_mul(Decimal::ONE_HUNDRED)
                    / Decimal::from_i128_with_scale(den.mantissa, den.scale);
                Fraction::whole(value)
            }
        }
    }

    /// The decimal value: exact when it terminates within 28 digits, otherwise the quotient
    /// rounded as `Decimal` division rounds.
    pub fn to_decimal(self) -> Decimal {
        if self.den == 1
            && let Some(d) = (Scaled {
                mantissa: self.num,
                scale: self.scale,
            })
            .to_decimal()
        {
            return d;
        }
        let num = match (Scaled {
            mantissa: self.num,
            scale: self.scale,
        })
        .to_decimal()
        {
            Some(d) => d,
            None => return saturate(self.num),
        };
        match Decimal::try_from_i128_with_scale(self.den, 0) {
            Ok(den) => num.checked_div(den).unwrap_or(Decimal::MAX).normalize(),
            Err(_) => Decimal::ZERO,
        }
    }

    /// `num × 10^(to − scale)` for `to ≥ scale`.
    fn widen(self, to: u32) -> Option<i128> {
        mul_i128(self.num, *POW10.get((to - self.scale) as usize)?)
    }

    /// Exact comparison by cross-multiplication; only when a product would overflow i128
    /// does it compare the 28-digit quotients instead.
    pub fn cmp_exact(self, other: Fraction) -> Ordering {
        let scale = self.scale.max(other.scale);
        let cross = self
            .widen(scale)
            .zip(other.widen(scale))
            .and_then(|(a, b)| {
                if self.den == other.den {
                    Some(a.cmp(&b))
                } else {
                    Some(mul_i128(a, other.den)?.cmp(&mul_i128(b, self.den)?))
                }
            });
        cross.unwrap_or_else(|| self.to_decimal().cmp(&other.to_decimal()))
    }

    /// `self × factor`.
    pub fn scale(self, factor: Decimal) -> Fraction {
        let factor = Scaled::of(factor);
        match mul_i128(self.num, factor.mantissa) {
            Some(num) if self.scale + factor.scale <= 38 => Fraction {
                num,
                den: self.den,
                scale: self.scale + factor.scale,
            },
            _ => Fraction::whole(
                self.to_decimal()
                    .saturating_mul(Decimal::from_i128_with_scale(factor.mantissa, factor.scale)),
            ),
        }
    }

    /// `self − value`.
    pub fn minus(self, value: Decimal) -> Fraction {
        let value = Scaled::of(value);
        let scale = self.scale.max(value.scale);
        let difference = self.widen(scale).and_then(|a| {
            let b = mul_i128(value.mantissa, *POW10.get((scale - value.scale) as usize)?)?;
            a.checked_sub(mul_i128(b, self.den)?)
        });
        match difference {
            Some(num) => Fraction {
                num,
                den: self.den,
                scale,
            },
            None => Fraction::whole(
                self.to_decimal()
                    .saturating_sub(Decimal::from_i128_with_scale(value.mantissa, value.scale)),
            ),
        }
    }

    /// `self / divisor` for a positive divisor.
    pub fn divide(self, divisor: Decimal) -> Fraction {
        // (n / d / 10^s) / (m / 10^t) = (n × 10^t) / (d × m) / 10^s
        let divisor = Scaled::of(divisor);
        let divided = mul_i128(self.num, POW10[divisor.scale as usize])
            .zip(mul_i128(self.den, divisor.mantissa));
        match divided {
            Some((num, den)) => Fraction {
                num,
                den,
                scale: self.scale,
            },
            None => Fraction::whole(
                self.to_decimal() / Decimal::from_i128_with_scale(divisor.mantissa, divisor.scale),
            ),
        }
    }
}

/// What no decimal can hold, as the nearest decimal.
fn saturate(num: i128) -> Decimal {
    if num < 0 { Decimal::MIN } else { Decimal::MAX }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn compares_counts_without_rounding() {
        let ninety_nine = Fraction::whole(dec!(99));
        let passes = Fraction::percent(dec!(990), dec!(1000));
        let fails = Fraction::percent(dec!(9899), dec!(10000));
        assert_eq!(passes.cmp_exact(ninety_nine), Ordering::Equal);
        assert_eq!(fails.cmp_exact(ninety_nine), Ordering::Less);
        assert_eq!(fails.to_decimal(), dec!(98.99));
    }

    #[test]
    fn a_third_is_above_its_rounded_decimal() {
        let third = Fraction::percent(dec!(1), dec!(300));
        assert_eq!(
            third.cmp_exact(Fraction::whole(dec!(0.3333333333))),
            Ordering::Greater
        );
        assert_eq!(
            third.scale(dec!(3)).cmp_exact(Fraction::whole(dec!(1))),
            Ordering::Equal
        );
    }

    #[test]
    fn arithmetic_stays_exact() {
        let v = Fraction::whole(dec!(70));
        let points = v.minus(dec!(50)).scale(dec!(4)).divide(dec!(40));
        assert_eq!(points.to_decimal(), dec!(2));
        let rate = Fraction::percent(dec!(7), dec!(100)).minus(dec!(2.5));
        assert_eq!(rate.to_decimal(), dec!(4.5));
    }
}
