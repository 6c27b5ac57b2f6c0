//! Exact integer arithmetic of a sample: points as `units × 10^-scale` in i128, sums that
//! rescale only when a term needs more places, and the index rounded once from the exact
//! quotient, as [`Rounding::index`](parscore::Rounding::index) rounds it.

use parscore::{Decimal, RoundingMode};

/// 10^0 … 10^38.
pub(crate) const POW10: [i128; 39] = {
    let mut table = [1i128; 39];
    let mut i = 1;
    while i < 39 {
        table[i] = table[i - 1] * 10;
        i += 1;
    }
    table
};

/// The places of a weight factor: `r = units × 10^-6`.
pub(crate) const FACTOR_PLACES: u32 = 6;
/// A factor of 1.
pub(crate) const ONE: i64 = 1_000_000;

/// An exact sum `units × 10^-scale`; `None` once it no longer fits 38 digits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Sum {
    pub units: i128,
    pub scale: u32,
}

impl Sum {
    pub fn of(d: Decimal) -> Sum {
        Sum {
            units: d.mantissa(),
            scale: d.scale(),
        }
    }

    /// `self + units × 10^-scale`.
    pub fn plus(self, units: i128, scale: u32) -> Option<Sum> {
        if units == 0 {
            return Some(self);
        }
        if scale == self.scale {
            return Some(Sum {
                units: self.units.checked_add(units)?,
                scale,
            });
        }
        let to = scale.max(self.scale);
        Some(Sum {
            units: widen(self.units, to - self.scale)?.checked_add(widen(units, to - scale)?)?,
            scale: to,
        })
    }

    pub fn add(self, other: Sum) -> Option<Sum> {
        self.plus(other.units, other.scale)
    }

    /// `self × factor × 10^-FACTOR_PLACES`.
    pub fn times(self, factor: i64) -> Option<Sum> {
        Some(Sum {
            units: self.units.checked_mul(i128::from(factor))?,
            scale: self.scale + FACTOR_PLACES,
        })
    }

    /// Whether `self > other`; `None` when aligning their scales overflows.
    pub fn exceeds(self, other: Sum) -> Option<bool> {
        let difference = self.add(Sum {
            units: other.units.checked_neg()?,
            scale: other.scale,
        })?;
        Some(difference.units > 0)
    }

    /// Never above `cap`: a criterion's rounded points stay within its maximum, as the
    /// core keeps them. Kept as is when aligning the scales overflows.
    pub fn at_most(self, cap: Sum) -> Sum {
        if self.exceeds(cap) == Some(true) {
            cap
        } else {
            self
        }
    }

    /// Never below `floor`: a deduction's rounded points stay above its cap, as the core
    /// keeps them. Kept as is when aligning the scales overflows.
    pub fn at_least(self, floor: Sum) -> Sum {
        if floor.exceeds(self) == Some(true) {
            floor
        } else {
            self
        }
    }

    /// Never below 0, as a group's points.
    pub fn max_zero(self) -> Sum {
        if self.units < 0 { Sum::default() } else { self }
    }

    /// Rounded to `places` by `mode` (a criterion's points with `apply = "criterion"`).
    pub fn round(self, places: u32, mode: RoundingMode) -> Sum {
        if places >= self.scale {
            return self;
        }
        let divisor = POW10[(self.scale - places) as usize];
        let (quotient, remainder) = (self.units / divisor, self.units % divisor);
        let up = round_up(
            quotient.unsigned_abs(),
            remainder.unsigned_abs(),
            divisor as u128,
            mode,
        );
        let magnitude = quotient.abs() + i128::from(up);
        Sum {
            units: if self.units < 0 {
                -magnitude
            } else {
                magnitude
            },
            scale: places,
        }
    }

    /// The exact decimal, when it fits one.
    #[cfg(test)]
    pub fn to_decimal(self) -> Option<Decimal> {
        let (mut units, mut scale) = (self.units, self.scale);
        while scale > 28 || units.unsigned_abs() >= 1 << 96 {
            if scale == 0 || units % 10 != 0 {
                return None;
            }
            units /= 10;
            scale -= 1;
        }
        Some(Decimal::from_i128_with_scale(units, scale).normalize())
    }
}

fn widen(units: i128, places: u32) -> Option<i128> {
    units.checked_mul(*POW10.get(places as usize)?)
}

fn round_up(quotient: u128, remainder: u128, divisor: u128, mode: RoundingMode) -> bool {
    let twice = remainder * 2;
    match mode {
        RoundingMode::HalfUp => remainder != 0 && twice >= divisor,
        RoundingMode::HalfEven => twice > divisor || (twice == divisor && quotient % 2 == 1),
        RoundingMode::Down => false,
    }
}

/// The index `points / max × 100` in units of `10^-places`, rounded once from the exact
/// quotient; `None` when nothing applies (`max ≤ 0`), or, as `Some(Err(()))`, when the
/// quotient needs more than 38 digits.
pub(crate) fn index_units(
    points: Sum,
    max: Sum,
    places: u32,
    mode: RoundingMode,
) -> Option<Result<i128, ()>> {
    if max.units <= 0 {
        return None;
    }
    Some(quotient_units(points, max, places, mode).ok_or(()))
}

fn quotient_units(points: Sum, max: Sum, places: u32, mode: RoundingMode) -> Option<i128> {
    let (num, den) = (points.units.unsigned_abs(), max.units.unsigned_abs());
    // points × 100 × 10^places / max = num × 10^shift / den
    let shift = (max.scale + 2 + places) as i64 - i64::from(points.scale);
    let widened = usize::try_from(shift)
        .ok()
        .and_then(|shift| POW10.get(shift))
        .and_then(|&p| num.checked_mul(p as u128));
    let (quotient, remainder, den) =
        if let Some(widened) = widened.filter(|_| den <= u128::MAX / 10) {
            // One division instead of a digit at a time: the same quotient, and it fails only
            // where the digits would (a remainder × 10 that cannot overflow, a quotient that fits).
            let q = widened / den;
            (q, widened - q * den, den)
        } else if shift >= 0 {
            let (mut q, mut r) = (num / den, num % den);
            for _ in 0..shift {
                r = r.checked_mul(10)?;
                q = q.checked_mul(10)?.checked_add(r / den)?;
                r %= den;
            }
            (q, r, den)
        } else {
            let den = den.checked_mul(*POW10.get((-shift) as usize)? as u128)?;
            (num / den, num % den, den)
        };
    let units =
        i128::try_from(quotient + u128::from(round_up(quotient, remainder, den, mode))).ok()?;
    Some(if points.units < 0 { -units } else { units })
}

#[cfg(test)]
mod tests {
    use super::*;
    use parscore::Rounding;
    use proptest::prelude::*;

    proptest! {
        /// The index from exact sums is the one the core reports.
        #[test]
        fn the_index_is_the_cores(
            points in 0i64..10_000_000_000,
            points_scale in 0u32..=10,
            max in 1i64..10_000_000_000,
            max_scale in 0u32..=10,
            places in 0u32..=4,
            mode in prop_oneof![Just(RoundingMode::HalfUp), Just(RoundingMode::HalfEven), Just(RoundingMode::Down)],
        ) {
            let (p, m) = (Decimal::new(points, points_scale), Decimal::new(max, max_scale));
            let rounding = Rounding { places, mode, ..Rounding::default() };
            let expected = rounding.index(p, m).map(|d| d.mantissa());
            let mine = index_units(Sum::of(p), Sum::of(m), places, mode).map(|r| r.unwrap());
            prop_assert_eq!(mine, expected);
        }

        #[test]
        fn rounding_a_sum_is_the_cores(
            units in -10_000_000_000i64..10_000_000_000,
            scale in 0u32..=8,
            places in 0u32..=4,
            mode in prop_oneof![Just(RoundingMode::HalfUp), Just(RoundingMode::HalfEven), Just(RoundingMode::Down)],
        ) {
            let d = Decimal::new(units, scale);
            let rounding = Rounding { places, mode, ..Rounding::default() };
            prop_assert_eq!(Sum::of(d).round(places, mode).to_decimal(), Some(rounding.round(d).normalize()));
        }
    }
}
