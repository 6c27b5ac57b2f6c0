//! Rounding of reported figures: each mode, and the index rounded once from the exact quotient.

use parscore::{Decimal, Rounding, RoundingMode, RoundingScope};
use rust_decimal::dec;

fn with(mode: RoundingMode) -> Rounding {
    Rounding {
        places: 2,
        mode,
        scope: RoundingScope::Report,
    }
}

#[test]
fn each_mode_rounds_its_way() {
    assert_eq!(with(RoundingMode::HalfUp).round(dec!(2.345)), dec!(2.35));
    assert_eq!(with(RoundingMode::HalfEven).round(dec!(2.345)), dec!(2.34));
    assert_eq!(with(RoundingMode::HalfEven).round(dec!(2.355)), dec!(2.36));
    assert_eq!(with(RoundingMode::Down).round(dec!(2.349)), dec!(2.34));
    assert_eq!(with(RoundingMode::HalfUp).round(dec!(81.3333)), dec!(81.33));
    assert_eq!(
        with(RoundingMode::HalfUp).round(dec!(97.2)).to_string(),
        "97.20"
    );
}

#[test]
fn the_index_is_rounded_once_from_the_exact_quotient() {
    let r = with(RoundingMode::HalfUp);
    // 8125 / 10000 × 100 = 81.25 exactly: a true tie, rounded up.
    assert_eq!(r.index(dec!(81.25), dec!(100)), Some(dec!(81.25)));
    assert_eq!(r.index(dec!(8.125), dec!(10)), Some(dec!(81.25)));
    assert_eq!(r.index(dec!(0.8125), dec!(1)).unwrap().to_string(), "81.25");
    assert_eq!(r.index(dec!(1), dec!(3)), Some(dec!(33.33)));
    // 100 × 37484.999…(24 nines) / 300000 = 12.495 − 3.3 × 10^-28: a 28-digit quotient
    // is the tie 12.495, which would round up to 12.50.
    let points = dec!(37484.999999999999999999999999);
    let quotient = points * dec!(100) / dec!(300000);
    assert_eq!(quotient, dec!(12.495));
    assert_eq!(r.index(points, dec!(300000)), Some(dec!(12.49)));
    assert_eq!(
        with(RoundingMode::HalfEven).index(dec!(12.345), dec!(100)),
        Some(dec!(12.34))
    );
    assert_eq!(
        with(RoundingMode::HalfEven).index(dec!(12.355), dec!(100)),
        Some(dec!(12.36))
    );
    assert_eq!(
        with(RoundingMode::Down).index(dec!(2), dec!(3)),
        Some(dec!(66.66))
    );
    assert_eq!(r.index(dec!(-2), dec!(3)), Some(dec!(-66.67)));
    assert_eq!(r.index(dec!(0), dec!(3)), Some(dec!(0.00)));
    assert_eq!(r.index(dec!(1), dec!(-1)), None);
    // A maximum at 28 places with 10 reported places: 40 digits of shift.
    let fine = Rounding { places: 10, ..r };
    let tiny = dec!(0.0000000000000000000000000003);
    assert_eq!(fine.index(dec!(0), tiny), Some(Decimal::new(0, 10)));
    assert_eq!(
        fine.index(dec!(1), dec!(3)).unwrap().to_string(),
        "33.3333333333"
    );
}

/// A criterion rounded to fewer places than its maximum has keeps within it: 0.45 at one
/// place is 0.45, not 0.5, on the row-by-row and the columnar path.
#[test]
fn criterion_rounding_never_passes_the_maximum() {
    let scheme = parscore::Scheme::from_toml(
        r#"
id = "round"
title = "Rounding"
version = "1"
[rounding]
places = 1
apply = "criterion"
[[indicators]]
id = "done"
kind = "bool"
[[areas]]
code = "I"
title = "Khu vực"
[[areas.criteria]]
code = "I.1"
title = "Hoàn thành"
max_points = 0.45
indicator = "done"
rule = { kind = "boolean" }
"#,
    )
    .unwrap();
    let mut inputs = scheme.inputs("Sở Tư pháp", None);
    inputs.set("done", parscore::Value::Bool(true)).unwrap();
    let evaluation = scheme
        .evaluate(&inputs, &parscore::Options::default())
        .unwrap();
    assert_eq!(evaluation.criteria().next().unwrap().points(), dec!(0.45));
    assert_eq!(evaluation.points(), dec!(0.45));
    assert_eq!(evaluation.index(), Some(dec!(100.0)));
}
