//! Input an attacker or an unlucky user would give: figures at the edge of what a decimal
//! holds, values given twice, spellings that read wrong. Each is scored exactly or refused
//! with its place named, through every path that scores a unit.

use parscore::{Decimal, InputError, Inputs, Options, Rule, Scheme, Scorer, Value, rows_from_json};

fn builtin() -> Scheme {
    Scheme::builtin("lang-son-snn-2024").unwrap()
}

/// Indicators of the built-in plan scored by a proportional rule.
fn proportional_indicators(scheme: &Scheme) -> Vec<String> {
    scheme
        .leaves()
        .filter(|c| matches!(c.rule(), Some(Rule::Proportional(_))))
        .map(|c| scheme.indicator_of(c).unwrap().id.clone())
        .filter(|id| scheme.indicator(id).unwrap().source == parscore::IndicatorSource::Input)
        .collect()
}

/// Every leaf and group within its bounds: a leaf at most its maximum (at least 0, or its
/// maximum less its cap for a deduction), a group and the unit within `[0, max]`.
fn assert_within_bounds(evaluation: &parscore::Evaluation) {
    for c in evaluation.criteria() {
        let least = match c.criterion().rule() {
            Some(Rule::Deduction { cap, .. }) => (c.max_points() - cap).min(Decimal::ZERO),
            _ => Decimal::ZERO,
        };
        assert!(
            c.points() >= least && c.points() <= c.max_points(),
            "{}: {} of {}",
            c.code(),
            c.points(),
            c.max_points()
        );
    }
    for g in evaluation.groups() {
        assert!(
            g.points() >= Decimal::ZERO && g.points() <= g.max_points(),
            "{}",
            g.code()
        );
    }
    assert!(evaluation.points() >= Decimal::ZERO);
    assert!(evaluation.points() <= evaluation.max_points());
}

#[test]
fn twenty_eight_decimals_are_scored_exactly_by_every_path() {
    let scheme = builtin();
    let ids = proportional_indicators(&scheme);
    let mut inputs = scheme.inputs("Sở A", Some("2024".into()));
    for id in &ids {
        inputs
            .set_text(id, "50.00000000000000000000000001")
            .unwrap();
    }
    inputs.set_text("survey_points", "1e-28").unwrap();
    let evaluation = scheme.evaluate(&inputs, &Options::default()).unwrap();
    assert_within_bounds(&evaluation);
    // Half of each proportional criterion's maximum, and 10^-28 of a survey point: nothing
    // near the 2,126,764,882.50 of 100 a saturated product gave.
    let index = evaluation.index_rounded().unwrap();
    assert!(index < Decimal::from(60), "{index}");
    let plain = |c: &parscore::CriterionResult<'_>| {
        matches!(c.criterion().rule(), Some(Rule::Proportional(posts))
            if posts.floor().is_zero() && posts.full_at() == Decimal::ONE_HUNDRED)
    };
    for c in evaluation
        .criteria()
        .filter(|c| ids.contains(&c.indicator().id) && plain(c))
    {
        let half = c.max_points() / Decimal::TWO;
        assert!(
            (c.points() - half).abs() < Decimal::new(1, 27),
            "{}: {}",
            c.code(),
            c.points()
        );
    }
    // The figures alone, a batch, its document, the explanation: the same, without a panic.
    let score = Scorer::new(&scheme)
        .score(&inputs, &Options::default())
        .unwrap();
    assert_eq!(score.points, evaluation.points());
    let batch = scheme.evaluate_batch([Ok(inputs)], &Options::default());
    let text = serde_json::to_string(&batch.report()).unwrap();
    assert!(text.contains("\"status\":\"ok\""));
    assert!(!evaluation.explain().is_empty());
    assert!(!evaluation.recoverable().is_empty());
    assert_eq!(batch.summary().ok, 1);
}

const TINY: &str = r#"
id = "tiny"
title = "Tiny points"
version = "1"

[[indicators]]
id = "rate"
kind = "percent"

[[indicators]]
id = "done"
kind = "count"

[[indicators]]
id = "total"
kind = "count"

[[indicators]]
id = "share"
kind = "percent"
numerator = "done"
denominator = "total"

[[areas]]
code = "A"
title = "A"

[[areas.criteria]]
code = "A.1"
title = "Rate"
indicator = "rate"
max_points = 1e-28
rule = { kind = "proportional", floor = 0.0000000000000000000000000001, full_at = 99.9999999999999999999999999 }

[[areas.criteria]]
code = "A.2"
title = "Share"
indicator = "share"
max_points = 2.3333333333333333333333333333
rule = { kind = "proportional", floor = 0.0000000000000000000000000003 }
"#;

#[test]
fn a_scheme_of_tiny_points_is_scored_without_saturating() {
    let scheme = Scheme::from_toml(TINY).unwrap();
    for (rate, done, total) in [
        ("50.00000000000000000000000001", "1", "3"),
        ("99.99999999999999999999999989", "2", "3"),
        (
            "0.0000000000000000000000000002",
            "999999999999999",
            "999999999999999",
        ),
    ] {
        let mut inputs = scheme.inputs("A", None);
        inputs.set_text("rate", rate).unwrap();
        inputs.set_text("done", done).unwrap();
        inputs.set_text("total", total).unwrap();
        let evaluation = scheme.evaluate(&inputs, &Options::default()).unwrap();
        assert_within_bounds(&evaluation);
        assert!(evaluation.index_rounded().unwrap() <= Decimal::from(100));
        evaluation.explain();
    }
}

#[test]
fn values_beyond_the_limits_are_too_large_not_saturated() {
    let scheme = builtin();
    let mut inputs = scheme.inputs("A", None);
    for (id, cell) in [
        ("survey_points", "79228162514264337593543950335"),
        ("dossiers_resolved", "1e20"),
        ("dossiers_resolved", "1000000000000000"),
    ] {
        let error = inputs.set_text(id, cell).unwrap_err();
        assert!(error.to_string().contains("too large"), "{cell}: {error}");
        assert_eq!(error.indicator(), Some(id));
    }
    assert!(Value::from_f64(1e300).unwrap_err().contains("too large"));
    // Built by hand, a value is checked as a cell is.
    let huge = Value::Number(Decimal::MAX);
    assert!(inputs.set("survey_points", huge).is_err());
}

#[test]
fn counts_built_by_hand_are_checked_as_counts_read_from_text() {
    let scheme = builtin();
    let mut inputs = scheme.inputs("A", None);
    for (num, den, why) in [
        (1, 0, "no denominator"),
        (5, 3, "more than the whole"),
        (-1, 3, "negative"),
    ] {
        let ratio = Value::Ratio {
            num: Decimal::from(num),
            den: Decimal::from(den),
        };
        let error = inputs.set("dossiers_on_time_rate", ratio).unwrap_err();
        assert!(error.to_string().contains(why), "{num}/{den}: {error}");
    }
}

#[test]
fn the_scorer_checks_values_and_their_number() {
    let scheme = builtin();
    let mut scorer = Scorer::new(&scheme);
    let mut values = vec![None; scheme.indicators().len()];
    let slot = scheme
        .indicators()
        .iter()
        .position(|i| i.id == "online_full_services_rate")
        .unwrap();
    values[slot] = Some(Value::Number(Decimal::from(150)));
    let error = scorer
        .score_values(&values, &Options::default())
        .unwrap_err();
    assert!(error.to_string().contains("outside [0, 100]"), "{error}");
    values[slot] = None;
    assert!(
        scorer
            .score_values(&values[1..], &Options::default())
            .is_err()
    );
    values.push(None);
    assert!(scorer.score_values(&values, &Options::default()).is_err());
}

#[test]
fn a_rate_and_counts_that_disagree_are_refused_naming_both() {
    let scheme = builtin();
    let mut inputs = scheme.inputs("A", None);
    inputs
        .set_text("dossiers_on_time_rate", "99.5")
        .unwrap()
        .set_text("dossiers_on_time", "900")
        .unwrap()
        .set_text("dossiers_resolved", "1000")
        .unwrap();
    let error = scheme.evaluate(&inputs, &Options::default()).unwrap_err();
    let message = error.to_string();
    for name in [
        "dossiers_on_time_rate",
        "dossiers_on_time",
        "dossiers_resolved",
    ] {
        assert!(message.contains(name), "{message}");
    }
    assert!(
        Scorer::new(&scheme)
            .score(&inputs, &Options::default())
            .is_err()
    );
    // The same rate given both ways is no contradiction.
    inputs.set_text("dossiers_on_time_rate", "90").unwrap();
    assert!(scheme.evaluate(&inputs, &Options::default()).is_ok());
}

#[test]
fn cells_that_read_wrong_are_refused() {
    let scheme = builtin();
    let mut inputs = scheme.inputs("A", None);
    let percent = inputs.set_text("dossiers_received", "50%").unwrap_err();
    assert!(
        percent.to_string().contains("a count is not a percentage"),
        "{percent}"
    );
    assert!(inputs.set_text("dossiers_on_time_rate", "50%").is_ok());
    let grouped = inputs.set_text("dossiers_received", "1_000").unwrap_err();
    assert!(
        grouped.to_string().contains("digit separators"),
        "{grouped}"
    );
    assert!(Value::parse("1_000").is_err());
}

#[test]
fn a_key_given_twice_in_a_json_row_fails_that_row() {
    let error =
        rows_from_json(r#"{"unit": "A", "survey_points": 1, "survey_points": 20}"#).unwrap_err();
    assert!(
        matches!(&error, InputError::Row { row: 1, reason } if reason.contains("`survey_points` is given twice")),
        "{error}"
    );
    // The same key in its two Unicode forms is one key.
    let twice = "[{\"unit\": \"A\", \"Sở\": 1, \"So\u{31b}\u{309}\": 2}]";
    assert!(rows_from_json(twice).is_err());
    // A byte-order mark before the array is no row.
    let rows = rows_from_json("\u{feff}[{\"unit\": \"A\"}]").unwrap();
    assert_eq!(rows.len(), 1);
}

#[test]
fn text_is_read_in_its_composed_form() {
    let scheme = builtin();
    let decomposed = "So\u{31b}\u{309} Tu\u{31b} pha\u{301}p";
    let inputs = scheme.inputs(decomposed, Some("2024".into()));
    assert_eq!(inputs.unit(), "Sở Tư pháp");
    let yes_no = scheme
        .indicators()
        .iter()
        .find(|i| i.kind == parscore::IndicatorKind::Bool)
        .unwrap();
    let rows = rows_from_json(&format!(
        "{{\"unit\": \"{decomposed}\", \"survey_points\": \"17\", \"{}\": \"co\u{301}\"}}",
        yes_no.id
    ))
    .unwrap();
    assert_eq!(rows[0].unit.as_deref(), Some("Sở Tư pháp"));
    let batch = scheme.evaluate_rows(&rows, false, &Options::default());
    let evaluation = batch.results[0].outcome.as_ref().unwrap();
    assert_eq!(evaluation.unit(), "Sở Tư pháp");
}

#[test]
fn an_unknown_id_names_the_closest_indicator() {
    let scheme = builtin();
    let mut inputs: Inputs = scheme.inputs("A", None);
    let error = inputs.set_text("dossiers_on_tme", "1").unwrap_err();
    assert_eq!(
        error.to_string(),
        "`dossiers_on_tme` is not an indicator of this scheme; did you mean `dossiers_on_time`?"
    );
    assert_eq!(error.indicator(), Some("dossiers_on_tme"));
    let far = inputs.set_text("budget", "1").unwrap_err();
    assert_eq!(far, InputError::UnknownIndicator("budget".into()));
    assert_eq!(scheme.closest_indicator("survey_points"), None);
}

#[test]
fn ids_written_decomposed_in_a_scheme_match_either_form() {
    use unicode_normalization::UnicodeNormalization;
    let text = TINY
        .replace("id = \"rate\"", "id = \"tỷ_lệ\"")
        .replace("indicator = \"rate\"", "indicator = \"tỷ_lệ\"");
    let decomposed: String = text.nfd().collect();
    let scheme = Scheme::from_toml(&decomposed).unwrap();
    assert!(scheme.indicator("tỷ_lệ").is_some());
    let nfd_id: String = "tỷ_lệ".nfd().collect();
    assert!(scheme.indicator(&nfd_id).is_some());
    let mut inputs = scheme.inputs("A", Some("2024".into()));
    inputs.set_text(&nfd_id, "50").unwrap();
    assert_eq!(scheme.closest_indicator("ty_le"), Some("tỷ_lệ"));
}
