//! The float nearest a decimal, for those who ask for one.

use proptest::prelude::*;
use rust_decimal::prelude::ToPrimitive;

use parscore::{Decimal, nearest_f64};

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
    // Halfway between two doubles goes to the even one; the least bit beyond it, up.
    let (even, odd) = (4_503_599_627_370_496.0, 4_503_599_627_370_497.0);
    assert_eq!(nearest_f64(decimal("4503599627370496.5")), even);
    assert_eq!(nearest_f64(decimal("4503599627370496.5000000000001")), odd);
    assert_eq!(
        nearest_f64(decimal("-4503599627370496.5000000000001")),
        -odd
    );
    // Just above the half between 1 and the next double, by less than the 61 bits of the
    // quotient show: only the remainder tells.
    assert_eq!(
        nearest_f64(decimal("1.0000000000000001110223024626")),
        1.0000000000000002
    );
    assert_eq!(nearest_f64(decimal("1.0000000000000001110223024625")), 1.0);
    // A zero with its sign set (by either path: a double's or the quotient's) is 0.
    for scale in [2, 28] {
        let mut zero = Decimal::new(0, scale);
        zero.set_sign_negative(true);
        assert_eq!(nearest_f64(zero).to_bits(), 0f64.to_bits(), "{zero}");
    }
}

proptest! {
    #[test]
    fn long_quotients_are_their_text_parsed(
        mantissa in prop_oneof![
            -(1i128 << 96) + 1..1i128 << 96,
            (1i128 << 53)..(1i128 << 60),
            (0i128..1_000_000).prop_map(|tail| 10i128.pow(27) + tail),
        ],
        scale in 0u32..=28,
    ) {
        let d = Decimal::from_i128_with_scale(mantissa, scale);
        prop_assert_eq!(nearest_f64(d), d.to_string().parse::<f64>().unwrap(), "{}", d);
    }

    #[test]
    fn any_decimal_is_its_text_parsed(
        mantissa in prop_oneof![-(1i128 << 53)..1i128 << 53, -(1i128 << 96) + 1..1i128 << 96],
        scale in 0u32..=28,
    ) {
        let d = Decimal::from_i128_with_scale(mantissa, scale);
        prop_assert_eq!(nearest_f64(d), d.to_string().parse::<f64>().unwrap());
    }
}
