//! Decimals as floats, for the outputs that ask for them (charts, numpy, spreadsheets): the
//! nearest double, as Python's `float(Decimal)` and Rust's parsing of the decimal's text give.

use rust_decimal::Decimal;

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
    let mantissa = d.mantissa();
    let scale = d.scale() as usize;
    // Both are exact as doubles, so the one division rounds once, to the nearest.
    if mantissa.unsigned_abs() < 1 << 53 && scale < EXACT_POWERS.len() {
        return mantissa as f64 / EXACT_POWERS[scale];
    }
    // Rust parses decimal text correctly rounded; a decimal's text always parses.
    d.to_string().parse().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rust_decimal::prelude::ToPrimitive;

    use super::*;

    fn decimal(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn long_quotients_get_the_nearest_double_where_to_f64_misses_it() {
        for (text, nearest) in [
            ("0.3333333333333333333333333333", 0.3333333333333333),
            ("11.111111111111111111111111111", 11.11111111111111),
            ("27.272727272727272727272727273", 27.272727272727273),
            ("-54.545454545454545454545454545", -54.54545454545455),
            ("0.0000000000000000000000000001", 1e-28),
        ] {
            let d = decimal(text);
            assert_ne!(
                d.to_f64(),
                Some(nearest),
                "{text}: to_f64 is right after all"
            );
            assert_eq!(nearest_f64(d), nearest, "{text}");
            assert_eq!(nearest_f64(d), text.parse::<f64>().unwrap(), "{text}");
        }
    }

    #[test]
    fn short_figures_and_whole_numbers() {
        assert_eq!(nearest_f64(decimal("81.33")), 81.33);
        assert_eq!(nearest_f64(decimal("97.20")), 97.2);
        assert_eq!(nearest_f64(decimal("-2.5")), -2.5);
        assert_eq!(nearest_f64(Decimal::ZERO), 0.0);
        assert_eq!(nearest_f64(Decimal::MAX), 7.922816251426434e28);
        assert_eq!(
            nearest_f64(decimal("9007199254740993")),
            9_007_199_254_740_992.0
        );
    }

    proptest! {
        #[test]
        fn any_decimal_is_its_text_parsed(
            mantissa in prop_oneof![-(1i128 << 53)..1i128 << 53, -(1i128 << 96) + 1..1i128 << 96],
            scale in 0u32..=28,
        ) {
            let d = Decimal::from_i128_with_scale(mantissa, scale);
            prop_assert_eq!(nearest_f64(d), d.to_string().parse::<f64>().unwrap());
        }
    }
}
