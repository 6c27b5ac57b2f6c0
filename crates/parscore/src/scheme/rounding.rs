//! Rounding of reported figures. Arithmetic stays exact; rounding happens where the scheme
//! says: only in reports, or per criterion when an instrument requires it.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::num::exact::POW10;

/// How a tie (or any remainder) is rounded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundingMode {
    /// 2.345 → 2.35 (the usual reading of official tables).
    #[default]
    HalfUp,
    /// 2.345 → 2.34, 2.355 → 2.36 (banker's rounding).
    HalfEven,
    /// Truncation toward zero: 2.349 → 2.34.
    Down,
}

/// Where rounding applies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundingScope {
    /// Exact points throughout; the reported index (and so grade and rank) is rounded.
    #[default]
    Report,
    /// Each criterion's points are rounded before they are summed.
    Criterion,
}

/// A scheme's rounding: decimal places, mode and scope.
///
/// ```
/// use parscore::{Decimal, Rounding, RoundingMode, RoundingScope};
/// let r = Rounding { places: 1, mode: RoundingMode::HalfUp, scope: RoundingScope::Report };
/// assert_eq!(r.round(Decimal::new(8125, 2)), Decimal::new(813, 1));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rounding {
    /// Decimal places of reported figures (the file's `places`, 0 to
    /// [`MAX_PLACES`](Rounding::MAX_PLACES)).
    pub places: u32,
    /// How the remainder is rounded (the file's `mode`).
    pub mode: RoundingMode,
    /// Where rounding applies (the file's `apply`).
    pub scope: RoundingScope,
}

impl Default for Rounding {
    fn default() -> Self {
        Rounding {
            places: 2,
            mode: RoundingMode::HalfUp,
            scope: RoundingScope::Report,
        }
    }
}

impl Rounding {
    /// The most places a scheme may ask for.
    pub const MAX_PLACES: u32 = 10;

    /// `value` rounded to `places` by `mode`, and written with exactly `places` decimals
    /// (97.20, not 97.2), as published.
    pub fn round(&self, value: Decimal) -> Decimal {
        let strategy = match self.mode {
            RoundingMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
            RoundingMode::Down => RoundingStrategy::ToZero,
        };
        let mut rounded = value.round_dp_with_strategy(self.places, strategy);
        // Reported figures carry exactly `places` decimals (97.20, not 97.2), as published.
        rounded.rescale(self.places);
        rounded
    }

    /// The index `points / max × 100` as reported: rounded once, from the exact quotient, to
    /// the scheme's places; `None` when nothing applies (`max ≤ 0`). Rounding a 28-digit
    /// quotient instead would round twice, and a quotient just below a tie (…4999…, rounded
    /// up to …5 at the 28th digit) would then round the wrong way.
    ///
    /// ```
    /// use parscore::{Decimal, Rounding};
    /// let r = Rounding::default();
    /// // 2 / 3 × 100 = 66.666…
    /// assert_eq!(r.index(Decimal::TWO, Decimal::new(3, 0)), Some(Decimal::new(6667, 2)));
    /// assert_eq!(r.index(Decimal::ONE, Decimal::ZERO), None);
    /// ```
    pub fn index(&self, points: Decimal, max: Decimal) -> Option<Decimal> {
        self.index_units(points, max)
            .map(|units| Decimal::from_i128_with_scale(units, self.places))
    }

    /// [`Rounding::index`] in units of `10^-places`, saturated at the largest decimal
    /// mantissa (an index no real scheme reaches).
    #[inline]
    pub fn index_units(&self, points: Decimal, max: Decimal) -> Option<i128> {
        if max <= Decimal::ZERO {
            return None;
        }
        const SATURATED: u128 = (1 << 96) - 1;
        let (num, den) = (
            points.mantissa().unsigned_abs(),
            max.mantissa().unsigned_abs(),
        );
        // points × 100 × 10^places / max = num × 10^shift / den
        let shift = (max.scale() + 2 + self.places) as i32 - points.scale() as i32;
        let (mut quotient, remainder, den) = if shift >= 0 {
            // Up to 28 + 2 + 10 places: beyond 10^38 the table and a u128 stop.
            match POW10
                .get(shift as usize)
                .and_then(|power| num.checked_mul(*power as u128))
            {
                Some(scaled) => (scaled / den, scaled % den, den),
                // One digit at a time: the remainder stays below den < 2^96.
                None => {
                    let (mut q, mut r) = (num / den, num % den);
                    for _ in 0..shift {
                        r *= 10;
                        q = q.saturating_mul(10).saturating_add(r / den);
                        r %= den;
                    }
                    (q, r, den)
                }
            }
        } else {
            match den.checked_mul(POW10[(-shift) as usize] as u128) {
                Some(scaled) => (num / scaled, num % scaled, scaled),
                // A divisor beyond 2^128 against a numerator below 2^96: under a half.
                None => (0, 0, 1),
            }
        };
        let twice = remainder * 2;
        let up = match self.mode {
            RoundingMode::HalfUp => twice >= den && remainder != 0,
            RoundingMode::HalfEven => twice > den || (twice == den && quotient % 2 == 1),
            RoundingMode::Down => false,
        };
        quotient = (quotient + u128::from(up)).min(SATURATED);
        let units = quotient as i128;
        Some(if points.is_sign_negative() {
            -units
        } else {
            units
        })
    }
}
