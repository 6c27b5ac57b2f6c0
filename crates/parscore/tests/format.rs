//! The scheme file format is public: a file using every key loads, evaluates as documented,
//! and is written back with every key in place.

use parscore::{Options, Scheme, Status};

const EVERY_KEY: &str = include_str!("../../../tests/schemes/every-key.toml");

const KEYS: &[&str] = &[
    "id",
    "title",
    "version",
    "estimated",
    "provenance",
    "not_applicable",
    "[rounding]",
    "places",
    "mode",
    "apply",
    "[[grades]]",
    "name",
    "min_index",
    "[[indicators]]",
    "kind",
    "numerator",
    "denominator",
    "baseline",
    "current",
    "min",
    "max",
    "[[areas]]",
    "[[areas.criteria]]",
    "[[areas.criteria.criteria]]",
    "code",
    "task",
    "indicator",
    "max_points",
    "target",
    "rule",
    "floor",
    "full_at",
    "pass_points",
    "fail_points",
    "bands",
    "points",
    "lead",
    "coordinating",
    "timeline",
    "result",
    "evidence",
    "[bonus]",
    "[[bonus.criteria]]",
    "cap",
    "index_above_100",
    "[penalties]",
    "[[penalties.criteria]]",
    "per",
    "[ranking]",
    "ties",
    "tie_break",
];

#[test]
fn every_key_loads_and_is_written_back() {
    let scheme = Scheme::from_toml(EVERY_KEY).unwrap();
    for text in [scheme.to_toml().unwrap(), scheme.to_json().unwrap()] {
        for key in KEYS {
            let bare = key.trim_matches(['[', ']']);
            let found = text.contains(&format!("{bare} ="))
                || text.contains(&format!("\"{bare}\":"))
                || (key.starts_with('[')
                    && (text.contains(key)
                        || text.contains(&format!("\"{}\":", bare.rsplit('.').next().unwrap()))));
            assert!(found, "`{key}` missing from\n{text}");
        }
    }
    assert_eq!(
        Scheme::from_toml(&scheme.to_toml().unwrap())
            .unwrap()
            .file(),
        scheme.file()
    );
}

#[test]
fn criterion_rounding_half_even_applies_before_sums() -> Result<(), Box<dyn std::error::Error>> {
    let scheme = Scheme::from_toml(EVERY_KEY).unwrap();
    let mut inputs = scheme.inputs("A", None);
    // 50/100 online: 1 × (50 − 20) / (80 − 20) = 0.5 exactly → half-even at 1 place keeps 0.5;
    // 12 → 11.5 units is impossible (counts), so the reduction is 1/12 = 8.33% ≥ 3 → 1 point;
    // a score of 7 falls in the 0.45 band, rounded half-even to 0.4 before summing.
    inputs
        .set_text("online", "50")?
        .set_text("received", "100")?
        .set_text("units_2021", "12")?
        .set_text("units", "11")?
        .set_text("score", "7")?;
    let evaluation = scheme.evaluate(&inputs, &Options::default())?;
    let points: Vec<String> = evaluation
        .criteria()
        .map(|c| c.points().normalize().to_string())
        .collect();
    // The bonus and the penalty have no input: missing, nothing added or taken off.
    assert_eq!(points, ["0.5", "1", "0.4", "0", "0"]);
    assert_eq!(evaluation.points().to_string(), "1.9");
    assert_eq!(evaluation.missing_summary().0, 2);
    assert_eq!(evaluation.grade().map(|g| g.name.as_str()), Some("Khá"));

    // No reduction: fail_points 0.25, not 0 — rounded half-even at 1 place to 0.2.
    inputs.set_text("units", "12")?;
    let evaluation = scheme.evaluate(&inputs, &Options::default())?;
    assert_eq!(
        evaluation
            .criterion("A.1.2")
            .unwrap()
            .points()
            .normalize()
            .to_string(),
        "0.2"
    );

    // The scheme default is full points when not applicable; A.1.1 overrides it with exclude.
    inputs
        .set_text("received", "0")?
        .set_text("online", "0")?
        .set_text("score", "n/a")?;
    let evaluation = scheme.evaluate(&inputs, &Options::default())?;
    let a11 = evaluation.criterion("A.1.1").unwrap();
    assert_eq!(
        (a11.status(), a11.max_points().to_string()),
        (Status::NotApplicable, "0".into())
    );
    let a2 = evaluation.criterion("A.2").unwrap();
    assert_eq!(
        (a2.status(), a2.points().normalize().to_string()),
        (Status::NotApplicable, "1".into())
    );
    assert_eq!(evaluation.max_points().to_string(), "2");

    // The bonus (0.5 at most) passes the maximum, as `index_above_100` lets it; a
    // reprimand takes 0.5 off.
    inputs
        .set_text("initiative", "có")?
        .set_text("reprimands", "1")?;
    let evaluation = scheme.evaluate(&inputs, &Options::default())?;
    assert_eq!(
        evaluation.bonus_points().map(|b| b.to_string()),
        Some("0.5".into())
    );
    assert_eq!(
        evaluation.penalty_points().map(|p| p.to_string()),
        Some("0.5".into())
    );
    Ok(())
}

#[test]
fn number_indicators_respect_their_declared_range() {
    let scheme = Scheme::from_toml(EVERY_KEY).unwrap();
    let mut inputs = scheme.inputs("A", None);
    let error = inputs.set_text("score", "10.5").unwrap_err();
    assert_eq!(error.indicator(), Some("score"));
    assert!(error.to_string().contains("outside [0, 10]"), "{error}");
}
