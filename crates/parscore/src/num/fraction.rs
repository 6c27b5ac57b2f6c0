//! Exact rational view of a numeric value, so that a rate given as counts is compared
//! without ever being divided. Held as i128 integers: comparisons and products of the
//! figures a scheme sees are a few machine instructions, and anything that would overflow
//! falls back to `Decimal` arithmetic.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use crate::num::exact::{POW10, Scaled, digits_beyond_96_bits, mul_i128};

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

    /// `num / den × 100`: a percentage given as counts (`den > 0`), or a reduction
    /// (`baseline − current` over `baseline`, which may have decimals).
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
            // … = (num × 100) / den × 10^-(a − b) when a ≥ b, as a difference of decimals
            // always has (its scale is the larger of its terms'): exact without widening.
            None if num.scale >= den.scale => Fraction {
                num: num.mantissa * 100,
                den: den.mantissa,
                scale: num.scale - den.scale,
            },
            // Counts are whole and a reduction's numerator has its denominator's places at
            // least: only a hand-made value reaches this.
            None => Fraction::whole(nearest_decimal(
                num.mantissa * 100,
                den.mantissa,
                num.scale as i32 - den.scale as i32,
            )),
        }
    }

    /// The decimal value: exact when it terminates within 28 places and 96 bits, otherwise
    /// the quotient rounded as `Decimal` division rounds it (or, where no decimal holds the
    /// parts, to the nearest decimal of as many places as fit). Never saturated: a figure
    /// beyond what a decimal holds does not arise from values within the limits
    /// ([`crate::limits`]).
    pub fn to_decimal(self) -> Decimal {
        if self.den != 1
            && let Some((mantissa, scale)) = decimal_quotient(self.num, self.den, self.scale)
        {
            return Decimal::from_i128_with_scale(mantissa, scale).normalize();
        }
        let num = (Scaled {
            mantissa: self.num,
            scale: self.scale,
        })
        .to_decimal();
        if self.den == 1
            && let Some(d) = num
        {
            return d;
        }
        let divided = num
            .zip(Decimal::try_from_i128_with_scale(self.den, 0).ok())
            .and_then(|(num, den)| num.checked_div(den));
        match divided {
            Some(quotient) => quotient.normalize(),
            None => nearest_decimal(self.num, self.den, self.scale as i32),
        }
    }

    /// `num × 10^(to − scale)` for `to ≥ scale`.
    fn widen(self, to: u32) -> Option<i128> {
        mul_i128(self.num, *POW10.get((to - self.scale) as usize)?)
    }

    /// Exact comparison by cross-multiplication; only when a product would overflow i128
    /// does it compare the 28-digit quotients instead.
    #[inline]
    pub fn cmp_exact(self, other: Fraction) -> Ordering {
        // Two decimals at one scale, as a value and the bound it is checked against mostly are.
        if self.den == other.den && self.scale == other.scale {
            return self.num.cmp(&other.num);
        }
        self.cmp_widened(other)
    }

    fn cmp_widened(self, other: Fraction) -> Ordering {
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

    /// `self × factor`, exactly; `None` when the product does not fit.
    pub fn scale(self, factor: Decimal) -> Option<Fraction> {
        let factor = Scaled::of(factor);
        let num = mul_i128(self.num, factor.mantissa)?;
        let scale = self.scale + factor.scale;
        if scale <= 38 {
            return Some(Fraction {
                num,
                den: self.den,
                scale,
            });
        }
        // Places beyond what the powers of ten reach: the divisor takes them if it can.
        let den = mul_i128(self.den, *POW10.get((scale - 38) as usize)?)?;
        Some(Fraction {
            num,
            den,
            scale: 38,
        })
    }

    /// `self − value`, exactly; `None` when the difference does not fit.
    pub fn minus(self, value: Decimal) -> Option<Fraction> {
        let value = Scaled::of(value);
        let scale = self.scale.max(value.scale);
        let a = self.widen(scale)?;
        let b = mul_i128(value.mantissa, *POW10.get((scale - value.scale) as usize)?)?;
        Some(Fraction {
            num: a.checked_sub(mul_i128(b, self.den)?)?,
            den: self.den,
            scale,
        })
    }

    /// `self / divisor` for a positive divisor, exactly; `None` when the parts do not fit.
    pub fn divide(self, divisor: Decimal) -> Option<Fraction> {
        // (n / d / 10^s) / (m / 10^t) = (n × 10^t) / (d × m) / 10^s
        let divisor = Scaled::of(divisor);
        Some(Fraction {
            num: mul_i128(self.num, POW10[divisor.scale as usize])?,
            den: mul_i128(self.den, divisor.mantissa)?,
            scale: self.scale,
        })
    }
}

const MAX_MANTISSA: u128 = (1 << 96) - 1;

/// `num / den × 10^-scale` exactly as `Decimal` division of the dividend `num × 10^-scale`
/// by the integer `den` gives it, as `(mantissa, scale)`, in integers.
///
/// That division keeps the most places (up to 28) whose digits fit 96 bits and rounds the
/// rest half to even. Its long division scales the quotient up to nine digits at a time
/// and, when a step's last digits carry it past 96 bits, rounds back from that overflow;
/// a quotient within 10^9 of such a carry is left to the decimal route (`None`), as is a
/// dividend or divisor beyond 96 bits.
fn decimal_quotient(num: i128, den: i128, scale: u32) -> Option<(i128, u32)> {
    let (magnitude, den) = (num.unsigned_abs(), u128::try_from(den).ok()?);
    if magnitude > MAX_MANTISSA || den == 0 || den > MAX_MANTISSA || scale > 28 {
        return None;
    }
    // A remainder by multiplying back: u128 division and remainder are two library calls.
    let whole = magnitude / den;
    let (mut quotient, mut rest, mut places) = (whole, magnitude - whole * den, scale);
    // Long division, as many digits at a time as a u128 holds (at least nine: both the
    // quotient and the rest stay below 2^96).
    let up = loop {
        if places == 28 || rest == 0 {
            let twice = rest * 2;
            break twice > den || (twice == den && quotient % 2 == 1);
        }
        let free = rest.leading_zeros().min(quotient.leading_zeros()) - 1;
        let digits = (free as usize * 3 / 10).min((28 - places) as usize);
        let power = POW10[digits] as u128;
        let widened = rest * power;
        let more = widened / den;
        let left = widened - more * den;
        let next = quotient * power + more;
        if next <= MAX_MANTISSA {
            (quotient, rest, places) = (next, left, places + digits as u32);
            continue;
        }
        // Fewer places: drop the digits that do not fit.
        let dropped = digits_beyond_96_bits(next, digits)?;
        // Within 10^9 of the carry at one digit fewer (dropped ≤ 10: the bound fits a u128).
        if next < (MAX_MANTISSA + 1 + 1_000_000_000) * POW10[dropped - 1] as u128 {
            return None;
        }
        let divisor = POW10[dropped] as u128;
        let (digits_dropped, half) = (next % divisor, divisor / 2);
        quotient = next / divisor;
        places += (digits - dropped) as u32;
        break digits_dropped > half
            || (digits_dropped == half && (left != 0 || quotient % 2 == 1));
    };
    quotient += u128::from(up);
    if quotient > MAX_MANTISSA {
        return None;
    }
    let mantissa = quotient as i128;
    Some((if num < 0 { -mantissa } else { mantissa }, places))
}

/// [`decimal_quotient`] in units of `10^-28`, the figure [`Fraction::to_decimal`] gives for
/// `num / den × 10^-scale`, without building the decimal.
pub fn quotient_units(num: i128, den: i128, scale: u32) -> Option<i128> {
    if let Some(units) = quotient_at_28_places(num, den, scale) {
        return Some(units);
    }
    let (mantissa, places) = decimal_quotient(num, den, scale)?;
    mul_i128(mantissa, POW10[(28 - places) as usize])
}

/// The largest whole part whose quotient fits 96 bits at `k` more places, by `k`.
const WHOLE_AT_MOST: [u128; 29] = {
    let mut at_most = [0; 29];
    let mut k = 0;
    while k < 29 {
        at_most[k] = MAX_MANTISSA / POW10[k] as u128;
        k += 1;
    }
    at_most
};

/// [`quotient_units`] for a quotient whose 28 places fit 96 bits and a divisor below 2^64 —
/// the points of a rate between goal posts — in three divisions: the whole part, then 19
/// and up to 9 places, each of which a u64 remainder times a power of ten keeps within a
/// u128. `None` for any other quotient.
///
/// `Decimal` division keeps 28 places whenever they fit, so its figure is then simply the
/// quotient at 28 places rounded half to even: no digits dropped, no carry to round back
/// from.
fn quotient_at_28_places(num: i128, den: i128, scale: u32) -> Option<i128> {
    let magnitude = num.unsigned_abs();
    let den = u64::try_from(den).ok().filter(|&d| d > 0)?;
    if magnitude > MAX_MANTISSA || scale > 28 {
        return None;
    }
    let places = 28 - scale as usize;
    // Each step divides a remainder below `den` widened by at most 10^19, so that its
    // quotient is below 10^19 and it and the remainder fit a u64: the products are single
    // 64 × 64-bit multiplications.
    let step = |rest: u64, digits: usize| {
        let widened = u128::from(rest) * POW10[digits] as u128;
        let quotient = (widened / u128::from(den)) as u64;
        (
            quotient,
            (widened - u128::from(quotient) * u128::from(den)) as u64,
        )
    };
    let whole = magnitude / u128::from(den);
    if whole > WHOLE_AT_MOST[places] {
        return None;
    }
    let rest = (magnitude - whole * u128::from(den)) as u64;
    let (first, second) = (places.min(19), places.saturating_sub(19));
    let (high, rest) = step(rest, first);
    let (low, rest) = step(rest, second);
    let quotient =
        (whole * POW10[first] as u128 + u128::from(high)) * POW10[second] as u128 + u128::from(low);
    let twice = u128::from(rest) * 2;
    let den = u128::from(den);
    let quotient = quotient + u128::from(twice > den || (twice == den && quotient % 2 == 1));
    if quotient > MAX_MANTISSA {
        return None;
    }
    let units = quotient as i128;
    Some(if num < 0 { -units } else { units })
}

/// `num / den × 10^-scale` (`den > 0`; `scale` may be negative) as the nearest decimal: as many places, up to 28,
/// as fit 96 bits, rounded half to even. For figures the integer and `Decimal` routes cannot
/// take (parts beyond 96 bits, more than 28 places); the largest decimal only for a figure
/// beyond every decimal, which values within the limits never give.
pub(crate) fn nearest_decimal(num: i128, den: i128, scale: i32) -> Decimal {
    let (n, d) = (num.unsigned_abs(), den.unsigned_abs().max(1));
    let (whole, rest) = (n / d, n % d);
    for places in (0..=28).rev() {
        if let Some(units) = rounded_units(whole, rest, d, scale, places)
            && units <= MAX_MANTISSA
        {
            let units = units as i128;
            return Decimal::from_i128_with_scale(if num < 0 { -units } else { units }, places)
                .normalize();
        }
    }
    if num < 0 { Decimal::MIN } else { Decimal::MAX }
}

/// `(whole + rest / d) × 10^(places − scale)` rounded half to even, `rest < d`; `None` when
/// it does not fit a u128.
fn rounded_units(whole: u128, rest: u128, d: u128, scale: i32, places: u32) -> Option<u128> {
    let places = places as i32;
    if places < scale {
        // Dropping digits of the whole part: beyond 10^38 every whole part is below half.
        let Some(&power) = POW10.get((scale - places) as usize) else {
            return Some(0);
        };
        let power = power as u128;
        let (units, dropped, half) = (whole / power, whole % power, power / 2);
        let up = dropped > half || (dropped == half && (rest != 0 || units % 2 == 1));
        return Some(units + u128::from(up));
    }
    let digits = places - scale;
    let mut units = whole.checked_mul(*POW10.get(digits as usize)? as u128)?;
    let mut rest = rest;
    for place in (0..digits).rev() {
        let (digit, left) = times_ten(rest, d);
        units = units.checked_add(digit * POW10[place as usize] as u128)?;
        rest = left;
    }
    // 2 × rest against d, without doubling past 128 bits.
    let up = rest > d - rest || (rest == d - rest && units % 2 == 1);
    units.checked_add(u128::from(up))
}

/// The next digit of `rest / d` and what is left: `(10 × rest) / d` and `(10 × rest) % d`
/// for `rest < d ≤ 2^127`, also where `10 × rest` passes 128 bits.
fn times_ten(rest: u128, d: u128) -> (u128, u128) {
    if let Some(ten) = rest.checked_mul(10) {
        return (ten / d, ten % d);
    }
    // 10 × rest = 5 × (2 × rest), with 2 × rest < 2^128 and every partial sum below 2d.
    let twice = rest << 1;
    let (mut digit, twice) = if twice >= d {
        (5, twice - d)
    } else {
        (0, twice)
    };
    let mut left = 0u128;
    for _ in 0..5 {
        left += twice;
        if left >= d {
            left -= d;
            digit += 1;
        }
    }
    (digit, left)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::dec;

    /// `Decimal` division, the figure [`decimal_quotient`] must reproduce.
    fn divided(num: i128, den: i128, scale: u32) -> Decimal {
        Decimal::from_i128_with_scale(num, scale) / Decimal::from_i128_with_scale(den, 0)
    }

    fn agrees(num: i128, den: i128, scale: u32) -> Result<(), TestCaseError> {
        if let Some((mantissa, places)) = decimal_quotient(num, den, scale) {
            let expected = divided(num, den, scale);
            let got = Decimal::from_i128_with_scale(mantissa, places);
            prop_assert_eq!(got, expected, "{} / {} at {}", num, den, scale);
            prop_assert_eq!(
                got.scale().max(expected.scale()),
                places.max(expected.scale())
            );
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        #[test]
        fn integer_quotients_are_decimal_quotients(
            num in prop_oneof![0i128..=1_000_000_000, 0i128..=(1 << 96) - 1],
            den in prop_oneof![1i128..=10_000, 1i128..=1 << 40, 1i128..=(1 << 96) - 1],
            scale in 0u32..=28,
            negative in any::<bool>(),
        ) {
            agrees(if negative { -num } else { num }, den, scale)?;
        }

        /// The three-division route gives the 28-place figure of `Decimal` division, and
        /// takes the quotients of rates between goal posts.
        #[test]
        fn quotients_at_28_places_are_decimal_quotients(
            num in prop_oneof![0i128..=1_000_000_000_000_000_000, 0i128..=(1 << 96) - 1],
            // Powers of two beyond 2^28 make ties at the 28th place.
            den in prop_oneof![
                1i128..=1 << 20,
                1i128..=1 << 50,
                (1i128 << 63)..=(1 << 64) - 1,
                (29u32..64).prop_map(|k| 1i128 << k),
            ],
            scale in 0u32..=28,
            negative in any::<bool>(),
        ) {
            let num = if negative { -num } else { num };
            if let Some(units) = quotient_at_28_places(num, den, scale) {
                let expected = divided(num, den, scale);
                prop_assert_eq!(Decimal::from_i128_with_scale(units, 28), expected);
                prop_assert_eq!(Some(units), decimal_quotient(num, den, scale)
                    .and_then(|(m, places)| mul_i128(m, POW10[(28 - places) as usize])));
            } else {
                // Only a quotient too large for 28 places, or a divisor beyond 64 bits.
                prop_assert!(den >> 64 != 0 || divided(num, den, scale).abs() >= Decimal::from(7));
            }
        }

        /// Exact halves at the 28th place: `(2t + 1) / 2 × 10^-28`.
        #[test]
        fn ties_at_the_28th_place_go_to_even(
            t in 0i128..=1_000_000_000_000_000_000,
            c in 1i128..=1000,
            scale in 13u32..=28,
        ) {
            let (num, den) = ((2 * t + 1) * c, 2 * POW10[(28 - scale) as usize] * c);
            let units = quotient_at_28_places(num, den, scale);
            prop_assert_eq!(units, Some(t + t % 2));
            prop_assert_eq!(Decimal::from_i128_with_scale(t + t % 2, 28), divided(num, den, scale));
        }

        /// Quotients whose digits end near 96 bits, where `Decimal` division carries and
        /// rounds back: ours either agrees or leaves them to it.
        #[test]
        fn quotients_at_the_edge_of_96_bits_agree_or_defer(
            top in (1i128 << 95)..=(1i128 << 96) - 1,
            den in prop_oneof![1i128..=20, 1i128..=1 << 34, 1i128..=1 << 70],
            scale in 0u32..=28,
        ) {
            agrees(top, den, scale)?;
            agrees(top / 7, den, scale)?;
        }
    }

    proptest! {
        /// The nearest decimal is the quotient `Decimal` division gives, wherever the integer
        /// route reproduces it; also past 96 bits and 28 places.
        #[test]
        fn nearest_decimals_are_decimal_quotients(
            num in prop_oneof![0i128..=1_000_000_000, 0i128..=(1 << 96) - 1],
            den in prop_oneof![1i128..=10_000, 1i128..=(1 << 96) - 1],
            scale in 0u32..=28,
            negative in any::<bool>(),
        ) {
            let num = if negative { -num } else { num };
            if let Some((mantissa, places)) = decimal_quotient(num, den, scale) {
                prop_assert_eq!(
                    nearest_decimal(num, den, scale as i32),
                    Decimal::from_i128_with_scale(mantissa, places)
                );
            }
            // The same figure with its parts widened past 96 bits and 28 places.
            let wide = nearest_decimal(num * 1_000_000, den * 1_000_000, scale as i32);
            prop_assert_eq!(wide, nearest_decimal(num, den, scale as i32));
            let deep = nearest_decimal(num * 1000, den, scale as i32 + 3);
            prop_assert_eq!(deep, nearest_decimal(num, den, scale as i32));
        }

        #[test]
        fn digits_past_128_bits_are_long_division(
            den in (1u128 << 120)..(1u128 << 127),
            rest in any::<u128>(),
        ) {
            let rest = rest % den;
            let (digit, left) = times_ten(rest, den);
            // 10 × rest = digit × den + left, as (high, low) halves of 256 bits.
            prop_assert!(digit < 10 && left < den);
            let wide = |x: u128, k: u128| {
                let high = ((x >> 64) * k + (((x & u64::MAX as u128) * k) >> 64)) >> 64;
                (high, x.wrapping_mul(k))
            };
            let (high, low) = wide(den, digit);
            let (low, carry) = low.overflowing_add(left);
            prop_assert_eq!((high + u128::from(carry), low), wide(rest, 10));
        }
    }

    #[test]
    fn figures_of_more_than_28_places_are_rounded_not_saturated() {
        // 2.32 × 10^-28, 2.5 × 10^-28 (a tie, to even) and 3.5 × 10^-28.
        let tiny = |units| {
            Fraction {
                num: units,
                den: 1,
                scale: 30,
            }
            .to_decimal()
        };
        assert_eq!(tiny(232), dec!(0.0000000000000000000000000002));
        assert_eq!(tiny(250), dec!(0.0000000000000000000000000002));
        assert_eq!(tiny(350), dec!(0.0000000000000000000000000004));
        assert_eq!(tiny(-351), dec!(-0.0000000000000000000000000004));
        // 1/3 with a divisor beyond 96 bits, and a figure of 40 places.
        let third = Fraction {
            num: 1 << 100,
            den: 3 << 100,
            scale: 0,
        }
        .to_decimal();
        assert_eq!(third, dec!(0.3333333333333333333333333333));
        let long = Fraction {
            num: 123_456_789,
            den: 1,
            scale: 40,
        }
        .to_decimal();
        assert_eq!(long, dec!(0.0000000000000000000000000000));
        assert_eq!(nearest_decimal(5, 1, -2), dec!(500));
    }

    #[test]
    fn integer_quotients_cover_the_usual_rates() {
        // 2/3, 1/7 of points at the scales the kernels see, and a whole 96-bit dividend.
        for (num, den, scale) in [
            (2, 3, 0),
            (1000, 7, 2),
            (9_899_000, 3_000, 4),
            ((1 << 96) - 1, 3, 0),
            ((1 << 96) - 1, 3, 28),
            // Ties at the 28th place, to even: 0 and 2 × 10^-28.
            (1, 2, 28),
            (3, 2, 28),
            (-3, 20, 27),
        ] {
            let (mantissa, places) = decimal_quotient(num, den, scale).unwrap();
            assert_eq!(
                Decimal::from_i128_with_scale(mantissa, places),
                divided(num, den, scale)
            );
        }
        {
            // 4.5 / 18 and 2 / 3 at 28 places; a tie at the 28th, to even.
            assert_eq!(
                quotient_at_28_places(45, 18, 1),
                Some(2_500_000_000_000_000_000_000_000_000)
            );
            assert_eq!(
                quotient_at_28_places(2, 3, 0),
                Some(6_666_666_666_666_666_666_666_666_667)
            );
            assert_eq!(quotient_at_28_places(1, 2, 28), Some(0));
            assert_eq!(quotient_at_28_places(80, 1, 0), None);
            assert_eq!(quotient_at_28_places(1, 0, 0), None);
        }
        assert_eq!(decimal_quotient(1, 0, 0), None);
        assert_eq!(decimal_quotient(1 << 97, 3, 0), None);
    }

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
            third
                .scale(dec!(3))
                .unwrap()
                .cmp_exact(Fraction::whole(dec!(1))),
            Ordering::Equal
        );
    }

    #[test]
    fn arithmetic_stays_exact() {
        let v = Fraction::whole(dec!(70));
        let points = v.minus(dec!(50)).unwrap().scale(dec!(4)).unwrap();
        assert_eq!(points.divide(dec!(40)).unwrap().to_decimal(), dec!(2));
        let rate = Fraction::percent(dec!(7), dec!(100))
            .minus(dec!(2.5))
            .unwrap();
        assert_eq!(rate.to_decimal(), dec!(4.5));
    }
}
