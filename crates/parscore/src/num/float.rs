//! Decimals as floats, for the outputs that ask for them (charts, numpy, spreadsheets): the
//! nearest double, as Python's `float(Decimal)` and Rust's parsing of the decimal's text give.

use rust_decimal::Decimal;

use crate::num::exact::powers;

/// The powers of ten a double holds exactly.
const EXACT_POWERS: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The double nearest to a decimal (ties to even).
///
/// `Decimal::to_f64` is not always that: it adds the whole and fractional parts in floating
/// point, one unit in the last place off for about one figure in twenty of 28 places.
///
/// ```
/// use parscore::{Decimal, nearest_f64};
/// let ninth: Decimal = "11.111111111111111111111111111".parse()?; // 100/9
/// assert_eq!(nearest_f64(ninth), 11.11111111111111);
/// # Ok::<(), rust_decimal::Error>(())
/// ```
pub fn nearest_f64(d: Decimal) -> f64 {
    let (magnitude, scale) = (d.mantissa().unsigned_abs(), d.scale());
    let nearest = match EXACT_POWERS.get(scale as usize) {
        // Both are exact as doubles, so the one division rounds once, to the nearest.
        Some(power) if magnitude < 1 << 53 => magnitude as f64 / power,
        _ => quotient_f64(magnitude, scale),
    };
    // A decimal zero may carry a sign (`set_sign_negative`); its double is plain 0.
    if d.is_sign_negative() && magnitude != 0 {
        -nearest
    } else {
        nearest
    }
}

/// 5^0 … 5^28.
const POW5: [i128; 29] = powers(5);

/// `magnitude × 10^-scale` (`0 < magnitude < 2^96`, `scale ≤ 28`) rounded once to the nearest
/// double, in integers: the long figures of the outputs (28-place quotients) would otherwise
/// be written out as text and parsed.
///
/// `10^scale = 5^scale × 2^scale`, and a power of two only moves the exponent. The quotient
/// by `5^scale` is taken with the dividend shifted up to 127 bits, so that it keeps at least
/// 61 (`5^28 < 2^66`); a remainder sets its lowest bit, which lies below the 53 a double
/// keeps and is not a half, so that converting it rounds as the exact quotient would.
fn quotient_f64(magnitude: u128, scale: u32) -> f64 {
    let shift = magnitude.leading_zeros() - 1;
    let dividend = magnitude << shift;
    let divisor = POW5[scale as usize] as u128;
    let (quotient, remainder) = (dividend / divisor, dividend % divisor);
    let sticky = quotient | u128::from(remainder != 0);
    // 2^-(shift + scale), at most 2^-154: a double's exponent holds it, and the product is
    // exact.
    let power = f64::from_bits(u64::from(1023 - shift - scale) << 52);
    sticky as f64 * power
}
