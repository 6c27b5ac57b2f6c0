//! The path to a grade and "what if" on a scheme with the official forms beyond the areas'
//! points: a bonus capped, penalties taken off.

use parscore::{Decimal, Options, Scheme, Value};
use parscore_uncertainty::GradePath;

const SCHEME: &str = include_str!("../../parscore/tests/forms.toml");

fn evaluate(values: &[(&str, &str)]) -> parscore::Evaluation {
    let scheme = Scheme::from_toml(SCHEME).unwrap();
    let mut inputs = scheme.inputs("Sở Tư pháp", Some("2024".into()));
    for (id, text) in values {
        inputs.set_text(id, text).unwrap();
    }
    scheme.evaluate(&inputs, &Options::default()).unwrap()
}

#[test]
fn a_path_to_a_grade_counts_the_caps() {
    // 7 + 0 − 2 = 5: Tốt (80) needs 3 more. The bonus gives at most 1 of its 1.5, and a
    // penalty is no fix: only I.1 (3 points to 99%, 9.9) and the bonus can bring points.
    let evaluation = evaluate(&[
        ("on_time", "70"),
        ("initiative", "không"),
        ("reprimands", "4"),
        ("violation", "có"),
    ]);
    let path = evaluation.path_to("Tốt").unwrap();
    assert!(path.reached);
    let codes: Vec<&str> = path.fixes.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["I.1", "TH.1"]);
    // 9.9 + 1 − 2 = 8.9: the bonus's 1.5 counted as its cap, 1.
    assert_eq!(path.points, Decimal::new(89, 1));
    let after = evaluation
        .what_if([
            ("I.1", Value::Number(Decimal::from(99))),
            ("TH.1", Value::Bool(true)),
        ])
        .unwrap()
        .evaluation;
    assert_eq!(after.points(), path.points);
}
