//! What parscore accepts, so that every figure it computes is exact or rounded only where a
//! scheme says (see `docs/limits.md`).
//!
//! A value or a scheme number lies below [`MAX_MAGNITUDE`] in magnitude and has at most
//! [`MAX_PLACES`] decimals; a scheme's points add up to at most [`MAX_POINTS`]. Within
//! these, sums of points are held exactly, comparisons are exact, and a product or quotient
//! that needs more than 28 places is rounded half to even at the 28th (the precision of a
//! decimal) — never saturated, never a panic. Anything beyond them is refused where it is
//! read, with the place named: a cell by [`Value::parse`](crate::Value::parse),
//! [`Value::from_f64`](crate::Value::from_f64) and [`Inputs::set`](crate::Inputs::set), a
//! scheme number when the scheme is compiled.

use rust_decimal::Decimal;

/// Every value and scheme number lies strictly below 10^15 in magnitude: a count of a
/// quadrillion dossiers, or a sum of money in đồng beyond Vietnam's yearly GDP, is a typo or
/// a corrupted file, not a measurement.
pub const MAX_MAGNITUDE: Decimal = Decimal::from_parts(2_764_472_320, 232_830, 0, false, 0);

/// Decimals a value or scheme number may have: the 28 a decimal holds. More are refused,
/// never rounded away.
pub const MAX_PLACES: u32 = 28;

/// The most points a scheme may hold: its criteria's maxima and deduction caps add up to at
/// most 10^9, so that no sum of points can overflow.
pub const MAX_POINTS: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);

/// Why `value` is beyond the limits, if it is.
pub(crate) fn too_large(value: Decimal) -> Option<String> {
    (value.abs() >= MAX_MAGNITUDE).then(|| {
        format!(
            "{} is too large: values lie below 10^15 (1,000,000,000,000,000) in magnitude",
            value.normalize()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limits_are_the_powers_of_ten_they_say() {
        assert_eq!(MAX_MAGNITUDE, Decimal::from(10i64.pow(15)));
        assert_eq!(MAX_POINTS, Decimal::from(10i64.pow(9)));
        assert!(too_large(Decimal::from(10i64.pow(15) - 1)).is_none());
        assert!(too_large(-Decimal::from(10i64.pow(15))).is_some());
    }
}
