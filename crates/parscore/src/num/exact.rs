//! Exact decimal arithmetic on the i128 mantissa and scale of a `Decimal`: comparisons and
//! products that fit are done in plain integers, which is several times cheaper than
//! `Decimal`'s own 96-bit routines, and give the same values. Anything that does not fit
//! returns `None` (or falls back to `Decimal`), so no result is ever rounded here.

use std::cmp::Ordering;

use rust_decimal::Decimal;

/// 10^0 … 10^38: every power of ten an i128 holds.
pub const POW10: [i128; 39] = powers(10);

/// `base^0 … base^(N − 1)`, for tables built at compile time.
pub(crate) const fn powers<const N: usize>(base: i128) -> [i128; N] {
    let mut table = [1i128; N];
    let mut i = 1;
    while i < N {
        table[i] = table[i - 1] * base;
        i += 1;
    }
    table
}

const MAX_MANTISSA: i128 = (1 << 96) - 1;

/// A decimal read from its digits (`98.7`, `1e-3`), or `None` when it is none or cannot be
/// held without rounding: more digits than a decimal holds must never round away silently.
pub(crate) fn parse_exact(text: &str) -> Option<Decimal> {
    if text.contains(['e', 'E']) {
        Decimal::from_scientific(text).ok()
    } else {
        Decimal::from_str_exact(text).ok()
    }
}

/// The fewest of `n`'s last digits, from 1 to `at_most`, to drop so that the rest fits a
/// decimal's 96 bits. `n / 10^k < 2^96` exactly when `n < 2^96 × 10^k`, so comparisons find
/// it where dividing for each `k` took a u128 division; from 10 digits on any u128 fits
/// (`2^128 / 10^10 < 2^96`), and below that the bound fits a u128.
pub(crate) fn digits_beyond_96_bits(n: u128, at_most: usize) -> Option<usize> {
    (1..=at_most).find(|&k| k >= 10 || n < (1 << 96) * POW10[k] as u128)
}

/// `a × b` if it fits an i128. Checking the operands' bit lengths first keeps the usual case
/// to one multiply instruction; i128's own `checked_mul` is a library call.
#[inline]
pub fn mul_i128(a: i128, b: i128) -> Option<i128> {
    if a.unsigned_abs().leading_zeros() + b.unsigned_abs().leading_zeros() >= 130 {
        Some(a.wrapping_mul(b))
    } else {
        a.checked_mul(b)
    }
}

/// `mantissa × 10^-scale` with the scale of a `Decimal` (0–28) or of a product of two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scaled {
    /// The digits, as an integer.
    pub mantissa: i128,
    /// How many of them are places.
    pub scale: u32,
}

impl Scaled {
    /// The digits and places of a decimal.
    #[inline]
    pub fn of(d: Decimal) -> Scaled {
        Scaled {
            mantissa: d.mantissa(),
            scale: d.scale(),
        }
    }

    /// `self × other`, exactly, if the product has at most [`Scaled::PRODUCT_PLACES`]
    /// places and fits an i128 at that many; `None` otherwise, and the caller takes the
    /// general route.
    pub fn times(self, other: Scaled) -> Option<Scaled> {
        let scale = self.scale + other.scale;
        let mantissa = mul_i128(self.mantissa, other.mantissa)?;
        let room = POW10[Scaled::PRODUCT_PLACES.checked_sub(scale)? as usize];
        mul_i128(mantissa, room)?;
        Some(Scaled { mantissa, scale })
    }

    /// Places a product may have: what 28 places leave beside the 9 of a lane's value, for
    /// the columnar kernels, which take a product times a lane's value to 10^-28 (a maximum
    /// of 18 places over goal posts 2^20 apart would otherwise ask for 29, and goal posts
    /// 10^-10 apart a factor beyond i128).
    pub const PRODUCT_PLACES: u32 = 19;

    /// The mantissa at a larger scale, if it fits.
    fn at(self, scale: u32) -> Option<i128> {
        POW10
            .get((scale - self.scale) as usize)
            .and_then(|p| mul_i128(self.mantissa, *p))
    }

    /// Exact comparison; `None` only if rescaling would overflow i128.
    pub fn checked_cmp(self, other: Scaled) -> Option<Ordering> {
        if self.scale == other.scale {
            return Some(self.mantissa.cmp(&other.mantissa));
        }
        let scale = self.scale.max(other.scale);
        Some(self.at(scale)?.cmp(&other.at(scale)?))
    }

    /// The exact decimal, if it has at most 28 places (after dropping trailing zeros) and
    /// fits 96 bits.
    pub fn to_decimal(self) -> Option<Decimal> {
        let (mut mantissa, mut scale) = (self.mantissa, self.scale);
        while scale > 28 || mantissa.abs() > MAX_MANTISSA {
            if scale == 0 || mantissa % 10 != 0 {
                return None;
            }
            mantissa /= 10;
            scale -= 1;
        }
        Some(Decimal::from_i128_with_scale(mantissa, scale))
    }
}

/// Exact comparison of two decimals.
pub(crate) fn cmp(a: Decimal, b: Decimal) -> Ordering {
    Scaled::of(a)
        .checked_cmp(Scaled::of(b))
        .unwrap_or_else(|| a.cmp(&b))
}

/// `1 / d` when it is a terminating decimal (d's only prime factors are 2 and 5), so that
/// dividing by `d` can be a product.
pub(crate) fn reciprocal(d: Decimal) -> Option<Decimal> {
    if d <= Decimal::ZERO {
        return None;
    }
    let one = Scaled::of(Decimal::ONE);
    (0..=28u32).find_map(|places| {
        let numerator = one.at(places + d.scale())?;
        let Scaled { mantissa, .. } = Scaled::of(d);
        (numerator % mantissa == 0)
            .then(|| Decimal::from_i128_with_scale(numerator / mantissa, places))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::dec;

    proptest! {
        #[test]
        fn digits_beyond_96_bits_are_those_division_finds(
            n in prop_oneof![any::<u128>(), (1u128 << 96)..(1u128 << 110)],
            at_most in 1usize..=38,
        ) {
            let divided = (1..=at_most).find(|&k| n / (POW10[k] as u128) < 1 << 96);
            prop_assert_eq!(digits_beyond_96_bits(n, at_most), divided);
        }
    }

    #[test]
    fn compares_and_multiplies_exactly() {
        assert_eq!(cmp(dec!(99), dec!(99.00)), Ordering::Equal);
        assert_eq!(cmp(dec!(98.99), dec!(99)), Ordering::Less);
        assert_eq!(cmp(dec!(-1), dec!(0.5)), Ordering::Less);
        assert_eq!(mul_i128(i128::MAX / 2, 3), None);
        assert_eq!(mul_i128(-7, 6), Some(-42));
    }

    #[test]
    fn reciprocals_exist_for_powers_of_two_and_five_only() {
        assert_eq!(reciprocal(dec!(80)), Some(dec!(0.0125)));
        assert_eq!(reciprocal(dec!(50)), Some(dec!(0.02)));
        assert_eq!(reciprocal(dec!(2.5)), Some(dec!(0.4)));
        assert_eq!(reciprocal(dec!(90)), None);
        assert_eq!(reciprocal(dec!(0)), None);
    }
}
