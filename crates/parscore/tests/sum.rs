//! Exact sums of decimals: in any order the same figure, made a decimal as `Decimal` would.

use parscore::{Decimal, ExactSum};
use rust_decimal::dec;

fn sum(terms: &[Decimal]) -> ExactSum {
    terms.iter().copied().map(ExactSum::of).sum()
}

#[test]
fn sums_exactly_whatever_the_order() {
    let third = dec!(1) / dec!(3);
    let mut terms = vec![
        dec!(12.4),
        third,
        third,
        third,
        dec!(0.0000000000000000000000000001),
    ];
    let forward = sum(&terms);
    terms.reverse();
    assert_eq!(forward, sum(&terms));
    assert_eq!(sum(&[dec!(2.5), dec!(-3)]).max_zero().to_decimal(), dec!(0));
    assert_eq!(sum(&[dec!(1.16), dec!(0.84)]).to_decimal().to_string(), "2");
}

#[test]
fn drops_trailing_zeros_as_normalize_does() {
    for (units, scale) in [
        (0, 5),
        (1, 0),
        (100, 0),
        (1_000, 2),
        (12_345_000, 28),
        (85_500_000_000_000_000_000_000_000, 26),
        (10i128.pow(27), 28),
        ((1 << 96) - 1, 28),
        (-4_200, 3),
    ] {
        let decimal = Decimal::from_i128_with_scale(units, scale);
        let mine = ExactSum::of(decimal).to_decimal();
        let normalized = decimal.normalize();
        assert_eq!(
            (mine.mantissa(), mine.scale()),
            (normalized.mantissa(), normalized.scale())
        );
    }
}

#[test]
fn rounds_half_even_only_when_the_sum_needs_more_than_96_bits() {
    assert_eq!(ExactSum::of(dec!(81.33)).to_decimal(), dec!(81.33));
    // 12.5 + 5 × 10^-28 has 30 digits, one too many: the tie goes to the even 0.
    let tie = sum(&[dec!(12.5), dec!(0.0000000000000000000000000005)]);
    assert_eq!(tie.to_decimal(), dec!(12.5));
    let above = sum(&[dec!(12.5), dec!(0.0000000000000000000000000016)]);
    assert_eq!(above.to_decimal(), dec!(12.500000000000000000000000002));
}
