//! Targets as a plan writes them: every form parsed and printed back, malformed ones refused.

use parscore::{Rhs, Target};
use rust_decimal::dec;

#[test]
fn parses_and_prints_every_form() {
    for text in [
        ">= 99",
        "> 0",
        "== 0",
        "== true",
        "!= false",
        "<= @quota",
        "< 2.5",
    ] {
        let target: Target = text.parse().unwrap();
        assert_eq!(target.to_string(), text);
    }
    let t: Target = ">=99%".parse().unwrap();
    assert_eq!(t.rhs, Rhs::Number(dec!(99)));
}

#[test]
fn rejects_malformed_targets() {
    assert!("99".parse::<Target>().unwrap_err().contains("operator"));
    assert!(
        ">= abc"
            .parse::<Target>()
            .unwrap_err()
            .contains("not a number")
    );
    assert!(
        ">= true"
            .parse::<Target>()
            .unwrap_err()
            .contains("only be compared")
    );
    assert!(
        ">= @"
            .parse::<Target>()
            .unwrap_err()
            .contains("not an indicator")
    );
}
