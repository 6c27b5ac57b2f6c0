//! The checks that make a study trustworthy: no uncertainty collapses to the exact index; a
//! unit far above a threshold keeps its grade; the shares of an additive model are its
//! closed form; the same seed gives the same results on any number of threads; and every
//! sample, written out as a scheme, scores to the study's figures in the core.

use parscore::{Batch, Decimal, Options, Scheme, SchemeError, rows_from_json};
use parscore_uncertainty::{Level, Model, Settings, Study};
use proptest::prelude::*;

fn builtin() -> Scheme {
    Scheme::builtin("lang-son-snn-2024").unwrap()
}

/// Units of the built-in plan: one meets every target, the others miss some, one is NFD.
fn batch(scheme: &Scheme) -> Batch {
    let mut lines = Vec::new();
    // Rates given directly, so their counts are left out.
    let counted: Vec<usize> = scheme
        .indicators()
        .iter()
        .flat_map(|i| match i.source {
            parscore::IndicatorSource::Input => vec![],
            parscore::IndicatorSource::Ratio {
                numerator,
                denominator,
            } => vec![numerator, denominator],
            parscore::IndicatorSource::Reduction { baseline, current } => vec![baseline, current],
        })
        .collect();
    let perfect: Vec<String> = scheme
        .indicators()
        .iter()
        .enumerate()
        .filter(|(slot, _)| !counted.contains(slot))
        .map(|(_, i)| {
            let value = match i.kind {
                parscore::IndicatorKind::Bool => "true",
                parscore::IndicatorKind::Points => "19.5",
                parscore::IndicatorKind::Count if i.id == "law_monitoring_activities" => "3",
                parscore::IndicatorKind::Count => "0",
                _ => "100",
            };
            format!("\"{}\": \"{value}\"", i.id)
        })
        .collect();
    lines.push(format!(
        "{{\"unit\": \"Sở Tốt\", \"period\": \"2024\", {}}}",
        perfect.join(", ")
    ));
    lines.push(
        r#"{"unit": "So\u0300 Tư pha\u0301p", "period": "2024", "survey_points": "16,85", "dossiers_on_time": 9899, "dossiers_resolved": 10000}"#
            .replace("16,85", "16.85"),
    );
    lines.push(r#"{"unit": "Sở B", "period": "2024", "survey_points": 12, "dossiers_on_time": 2, "dossiers_resolved": 3, "reports_on_time": "có"}"#.into());
    lines.push(r#"{"unit": "Sở C", "period": "2024", "survey_points": 25}"#.into());
    lines.push(r#"{"unit": "Sở D", "period": "2025", "survey_points": 18}"#.into());
    let rows = rows_from_json(&lines.join("\n")).unwrap();
    scheme.evaluate_rows(&rows, false, &Options::default())
}

fn settings(samples: usize, seed: u64) -> Settings {
    Settings {
        samples,
        seed,
        threads: Some(1),
        sensitivity: Some(Level::Areas),
    }
}

#[test]
fn no_uncertainty_collapses_to_the_exact_index() {
    let scheme = builtin();
    let batch = batch(&scheme);
    let model = Model::weights(&scheme, Decimal::ZERO);
    assert!(model.is_certain());
    let results = Study::new(&batch, &model, settings(40, 1))
        .unwrap()
        .run()
        .unwrap();
    assert_eq!(results.units.len(), batch.results.len());
    for (unit, row) in results.units.iter().zip(&batch.results) {
        let Ok(evaluation) = &row.outcome else {
            assert!(unit.error.as_deref().unwrap().contains("given points"));
            assert_eq!(unit.p50, None);
            continue;
        };
        let index = evaluation.index_rounded();
        assert_eq!(unit.index, index);
        assert_eq!((unit.p05, unit.p50, unit.p95), (index, index, index));
        let grade = evaluation.grade().unwrap().name.clone();
        for (name, probability) in &unit.grades {
            assert_eq!(*probability, if *name == grade { 1.0 } else { 0.0 });
        }
        assert_eq!((unit.rank_p05, unit.rank_p95), (row.rank, row.rank));
    }
    // Nothing varies, so nothing explains any variance.
    assert!(results.variance_share.iter().all(|s| s.first.is_none()));
}

#[test]
fn a_unit_far_above_a_threshold_keeps_its_grade() {
    let scheme = builtin();
    let batch = batch(&scheme);
    let model = Model::weights(&scheme, Decimal::from(30));
    let results = Study::new(&batch, &model, settings(300, 2))
        .unwrap()
        .run()
        .unwrap();
    let perfect = &results.units[0];
    assert!(perfect.index.unwrap() > Decimal::from(95));
    assert_eq!(perfect.grades[0], ("Xuất sắc".to_string(), 1.0));
    assert_eq!((perfect.rank_p05, perfect.rank_p95), (Some(1), Some(1)));
    assert_eq!(perfect.ranks.as_deref().unwrap()[0], 1.0);
    // The others do vary, and their grades' probabilities add up to 1.
    let other = &results.units[1];
    assert!(other.p05 < other.p95, "{other:?}");
    let sum: f64 = other.grades.iter().map(|(_, p)| p).sum();
    assert!((sum - 1.0).abs() < 1e-9);
    // A name typed decomposed is stored composed, as every reader stores it.
    assert_eq!(other.unit.as_deref(), Some("Sò Tư pháp"));
}

/// Three `given` criteria of 10 points whose values vary uniformly over ranges of 10, 5 and
/// 2 points: the index is their sum over 30, so each one's share of its variance is its
/// range squared over the sum of the ranges squared (uniform variance is range² / 12), and
/// without interactions its total share is its first-order share.
#[test]
fn shares_of_an_additive_model_are_its_closed_form() {
    let mut text =
        String::from("id = \"additive\"\ntitle = \"T\"\nversion = \"1\"\n[rounding]\nplaces = 4\n");
    for i in 1..=3 {
        text += &format!("[[indicators]]\nid = \"x{i}\"\nkind = \"points\"\n");
    }
    text += "[[areas]]\ncode = \"A\"\ntitle = \"A\"\n";
    for i in 1..=3 {
        text += &format!(
            "[[areas.criteria]]\ncode = \"A.{i}\"\ntitle = \"x{i}\"\nindicator = \"x{i}\"\n\
             max_points = 10\nrule = {{ kind = \"given\" }}\n"
        );
    }
    let scheme = Scheme::from_toml(&text).unwrap();
    let rows = rows_from_json(r#"{"unit": "U", "x1": 5, "x2": 5, "x3": 5}"#).unwrap();
    let batch = scheme.evaluate_rows(&rows, false, &Options::default());
    let model = Model::from_toml(
        &scheme,
        r#"
        [[inputs]]
        indicator = "x1"
        range = [0, 10]
        [[inputs]]
        indicator = "x2"
        range = [2.5, 7.5]
        [[inputs]]
        indicator = "x3"
        range = [4, 6]
        "#,
    )
    .unwrap();
    let results = Study::new(&batch, &model, settings(4_000, 3))
        .unwrap()
        .run()
        .unwrap();
    let squares = [100.0, 25.0, 4.0];
    let sum: f64 = squares.iter().sum();
    assert_eq!(results.variance_share.len(), 3);
    for (share, square) in results.variance_share.iter().zip(squares) {
        let expected = square / sum;
        let (first, se) = (share.first.unwrap(), share.first_se.unwrap());
        let (total, total_se) = (share.total.unwrap(), share.total_se.unwrap());
        assert!(se > 0.0 && se < 0.05, "{share:?}");
        assert!(
            (first - expected).abs() < 4.0 * se + 0.005,
            "{share:?} vs {expected}"
        );
        assert!(
            (total - expected).abs() < 4.0 * total_se + 0.005,
            "{share:?} vs {expected}"
        );
    }
    assert_eq!(results.variance_share[0].code, "x1");
}

#[test]
fn the_same_seed_gives_the_same_results_on_any_number_of_threads() {
    let scheme = builtin();
    let batch = batch(&scheme);
    let model = Model::from_toml(
        &scheme,
        r#"
        [weights]
        distribution = "dirichlet"
        concentration = 50
        [[inputs]]
        indicator = "survey_points"
        range = [10, 20]
        [methods]
        not_applicable = ["exclude", "full_points"]
        rounding = [{ places = 2 }, { places = 1, apply = "criterion" }]
        "#,
    )
    .unwrap();
    let run = |threads| {
        let settings = Settings {
            threads: Some(threads),
            ..settings(64, 42)
        };
        Study::new(&batch, &model, settings).unwrap().run().unwrap()
    };
    let one = run(1);
    assert_eq!(one, run(4));
    assert_ne!(
        one,
        Study::new(&batch, &model, settings(64, 43))
            .unwrap()
            .run()
            .unwrap()
    );
    assert!(one.variance_share.iter().any(|s| s.code == "survey_points"));
    assert!(one.variance_share.iter().any(|s| s.code == "rounding"));
    // The results read back from their JSON to equal results: every exact figure, every
    // probability's double, the grades in their order (a pickle in Python relies on it).
    let json = serde_json::to_string(&one).unwrap();
    let back: parscore_uncertainty::Results = serde_json::from_str(&json).unwrap();
    assert_eq!(back, one);
}

#[test]
fn model_files_refuse_unknown_keys_and_codes_with_their_place() {
    let scheme = builtin();
    let problem = |text: &str| match Model::from_toml(&scheme, text) {
        Err(SchemeError::Syntax {
            location, message, ..
        }) => (location.map(|l| l.line), message),
        Err(SchemeError::Invalid { problems }) => (
            problems[0].location.map(|l| l.line),
            problems[0].to_string(),
        ),
        other => panic!("{other:?}"),
    };
    let (line, message) = problem("[weights]\nspred = 20\n");
    assert_eq!(line, Some(2));
    assert!(message.contains("unknown field `spred`"), "{message}");
    let (line, message) = problem("[weights]\nfixed = [\"KS\", \"IX\"]\n");
    assert_eq!(line, Some(2));
    assert!(
        message.contains("`IX` is not an area or criterion"),
        "{message}"
    );
    let (line, message) = problem("[[inputs]]\nindicator = \"survey_points\"\nrange = [0, 25]\n");
    assert_eq!(line, Some(3));
    assert!(message.contains("range [0, 25]"), "{message}");
    let (_, message) = problem("[[inputs]]\nindicator = \"reports_on_time\"\nmargin = 1\n");
    assert!(message.contains("yes/no"), "{message}");
    let (_, message) = problem("[uncertainty.weights]\nspread = 120\n");
    assert!(message.contains("spread 120"), "{message}");
    // A code written in NFD is the code in NFC.
    assert!(Model::from_toml(&scheme, "[weights]\nfixed = [\"KS\"]\n").is_ok());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// A sample written out as a scheme and inputs, scored by the core, gives the study's
    /// index for every unit: the fast path is the core's scoring of each sample.
    #[test]
    fn every_sample_is_a_scheme_the_core_scores_the_same(
        seed in any::<u64>(),
        spread in 0u32..60,
        switch in any::<bool>(),
        survey in any::<bool>(),
    ) {
        let scheme = builtin();
        let batch = batch(&scheme);
        let mut text = format!("[weights]\nspread = {spread}\n");
        if survey {
            text += "[[inputs]]\nindicator = \"survey_points\"\nrange = [5, 20]\nplaces = 3\n";
            text += "[[inputs]]\nindicator = \"dossiers_on_time_rate\"\nmargin = 2.5\n";
        }
        if switch {
            text += "[methods]\nnot_applicable = [\"exclude\", \"full_points\"]\n";
            text += "rounding = [{ places = 2 }, { places = 3, mode = \"half_even\", apply = \"criterion\" }]\n";
        }
        let model = Model::from_toml(&scheme, &text).unwrap();
        let study = Study::new(&batch, &model, settings(8, seed)).unwrap();
        for n in [0, 5] {
            let (sample_scheme, inputs) = study.sample(n).unwrap();
            let expected: Vec<Option<Decimal>> = inputs
                .iter()
                .map(|i| sample_scheme.evaluate(i, &Options::default()).unwrap().index_rounded())
                .collect();
            prop_assert_eq!(study.sample_indices(n).unwrap(), expected);
            // The total is kept within the rounding of the factors.
            let drift = (sample_scheme.max_points() - scheme.max_points()).abs();
            prop_assert!(drift < Decimal::new(1, 3), "{}", drift);
        }
    }
}

/// Criteria that do not apply to a unit leave its maximum, or give it full points, sample by
/// sample as the core does, whichever policy each sample draws; units whose points have
/// many places (a rate of 2/3) too.
#[test]
fn criteria_that_do_not_apply_are_scored_per_sample_as_the_core_scores_them() {
    let scheme = builtin();
    let rows = rows_from_json(
        r#"
        {"unit": "Sở A", "period": "2024", "survey_points": 17.25, "reports_on_time": "không áp dụng", "units_inspected_rate": "n/a", "dossiers_on_time": 2, "dossiers_resolved": 3}
        {"unit": "Sò B", "period": "2024", "survey_points": 12, "par_news_posted": "kad", "tasks_plan_completion_rate": "n/a", "social_media_outreach": "x"}
        {"unit": "Sở C", "period": "2024", "tasks_plan_completion_rate": 99.5, "par_initiatives_applied": "có"}
        "#,
    )
    .unwrap();
    let batch = scheme.evaluate_rows(&rows, false, &Options::default());
    let errors: Vec<String> = batch
        .results
        .iter()
        .filter_map(|r| r.outcome.as_ref().err().map(ToString::to_string))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let not_applicable = |row: usize| {
        batch.results[row]
            .outcome
            .as_ref()
            .unwrap()
            .criteria()
            .filter(|c| c.status() == parscore::Status::NotApplicable)
            .count()
    };
    assert!(not_applicable(0) >= 2 && not_applicable(1) >= 2);
    for text in [
        "[weights]\nspread = 35\n[methods]\nnot_applicable = [\"exclude\", \"full_points\"]\n",
        "[weights]\ndistribution = \"dirichlet\"\nconcentration = 10\nkeep = \"areas\"\n",
    ] {
        let model = Model::from_toml(&scheme, text).unwrap();
        let study = Study::new(&batch, &model, settings(12, 5)).unwrap();
        for n in 0..12 {
            let (sample_scheme, inputs) = study.sample(n).unwrap();
            let expected: Vec<Option<Decimal>> = inputs
                .iter()
                .map(|i| {
                    let evaluation = sample_scheme.evaluate(i, &Options::default()).unwrap();
                    evaluation.index_rounded()
                })
                .collect();
            assert_eq!(
                study.sample_indices(n).unwrap(),
                expected,
                "{text}: sample {n}"
            );
        }
    }
}

/// A deduction that takes more than its criterion's maximum holds its area at 0: the study
/// sums such a sample up the tree as the core does.
#[test]
fn groups_held_at_zero_by_deductions_are_summed_as_the_core_sums_them() {
    let scheme = Scheme::from_toml(
        r#"
        id = "penalties"
        title = "T"
        version = "1"
        [rounding]
        places = 3
        apply = "criterion"
        [[indicators]]
        id = "violations"
        kind = "count"
        [[indicators]]
        id = "done"
        kind = "bool"
        [[indicators]]
        id = "rate"
        kind = "percent"
        [[areas]]
        code = "A"
        title = "Kỷ luật"
        [[areas.criteria]]
        code = "A.1"
        title = "Vi phạm"
        indicator = "violations"
        max_points = 1
        rule = { kind = "deduction", per = 0.75, cap = 3 }
        [[areas.criteria]]
        code = "A.2"
        title = "Hoàn thành"
        indicator = "done"
        max_points = 1.5
        target = "== true"
        rule = { kind = "threshold" }
        [[areas]]
        code = "B"
        title = "Tỷ lệ"
        [[areas.criteria]]
        code = "B.1"
        title = "Tỷ lệ"
        indicator = "rate"
        max_points = 2.5
        rule = { kind = "proportional" }
        "#,
    )
    .unwrap();
    let rows = rows_from_json(
        r#"
        {"unit": "Sở A", "violations": 4, "done": "x", "rate": "2/3"}
        {"unit": "Sở B", "violations": 1, "done": "không", "rate": 97.5}
        {"unit": "Sở C", "violations": 2, "done": "có", "rate": "n/a"}
        "#,
    )
    .unwrap();
    let batch = scheme.evaluate_rows(&rows, false, &Options::default());
    assert_eq!(batch.ok_count(), 3);
    let model = Model::from_toml(
        &scheme,
        "[weights]\nspread = 45\n[[inputs]]\nindicator = \"rate\"\nmargin = 3\n",
    )
    .unwrap();
    let study = Study::new(&batch, &model, settings(20, 9)).unwrap();
    for n in 0..20 {
        let (sample_scheme, inputs) = study.sample(n).unwrap();
        let expected: Vec<Option<Decimal>> = inputs
            .iter()
            .map(|i| {
                let evaluation = sample_scheme.evaluate(i, &Options::default()).unwrap();
                evaluation.index_rounded()
            })
            .collect();
        assert_eq!(study.sample_indices(n).unwrap(), expected, "sample {n}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever text a model file holds, reading it never panics; a model that reads runs,
    /// and its figures keep their order and bounds.
    #[test]
    fn any_model_text_is_read_or_refused_and_runs(
        text in prop_oneof![
            ".{0,200}",
            proptest::collection::vec(prop_oneof![
                Just("[weights]\n".to_string()),
                "spread = -?[0-9]{1,3}(\\.[0-9])?\n",
                Just("distribution = \"dirichlet\"\n".to_string()),
                "concentration = [0-9]{1,3}\n",
                Just("keep = \"areas\"\n".to_string()),
                Just("vary = \"areas\"\n".to_string()),
                Just("fixed = [\"KS\", \"Ⅲ\", \"III\"]\n".to_string()),
                Just("[[inputs]]\nindicator = \"survey_points\"\n".to_string()),
                "range = \\[[0-9]{1,2}, [0-9]{1,2}\\]\n",
                "margin = [0-9]{1,2}\n",
                Just("[[inputs]]\nindicator = \"dossiers_on_time_rate\"\nmargin = 5\n".to_string()),
                Just("[methods]\nnot_applicable = [\"full_points\", \"exclude\"]\n".to_string()),
                Just("rounding = [{ places = 0 }, { places = 3, apply = \"criterion\" }]\n".to_string()),
            ], 0..8).prop_map(|parts| parts.concat()),
        ],
    ) {
        let scheme = builtin();
        if let Ok(model) = Model::from_toml(&scheme, &text) {
            let batch = batch(&scheme);
            let results = Study::new(&batch, &model, settings(6, 1)).unwrap().run().unwrap();
            prop_assert_eq!(results.units.len(), batch.results.len());
            for unit in results.units.iter().filter(|u| u.error.is_none()) {
                prop_assert!(unit.p05 <= unit.p50 && unit.p50 <= unit.p95);
                prop_assert!(unit.p05.unwrap() >= Decimal::ZERO);
                prop_assert!(unit.p95.unwrap() <= Decimal::ONE_HUNDRED);
                let sum: f64 = unit.grades.iter().map(|(_, p)| p).sum();
                prop_assert!((sum - 1.0).abs() < 1e-9);
            }
        }
    }
}

/// A golden case's scheme and its inputs, scored.
fn golden(case: &str) -> (Scheme, Batch) {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/golden");
    let text = std::fs::read_to_string(format!("{root}/{case}/scheme.toml")).unwrap();
    let scheme = Scheme::from_toml(&text).unwrap();
    let input = std::fs::read_to_string(format!("{root}/{case}/input.json")).unwrap();
    let rows = rows_from_json(&input).unwrap();
    let batch = scheme.evaluate_rows(&rows, false, &Options::default());
    (scheme, batch)
}

const WITH_SECTIONS: [&str; 3] = ["bonus-capped", "bonus-above-100", "penalties-capped"];

#[test]
fn bonus_and_penalties_without_uncertainty_collapse_to_the_cores_index() {
    for case in WITH_SECTIONS {
        let (scheme, batch) = golden(case);
        assert!(batch.ok_count() > 2, "{case}");
        let model = Model::weights(&scheme, Decimal::ZERO);
        let results = Study::new(&batch, &model, settings(12, 3))
            .unwrap()
            .run()
            .unwrap();
        for (unit, row) in results.units.iter().zip(&batch.results) {
            let Ok(evaluation) = &row.outcome else {
                continue;
            };
            let index = evaluation.index_rounded();
            assert_eq!(unit.index, index, "{case}: {:?}", unit.unit);
            assert_eq!(
                (unit.p05, unit.p50, unit.p95),
                (index, index, index),
                "{case}"
            );
            assert_eq!(
                (unit.rank_p05, unit.rank_p95),
                (row.rank, row.rank),
                "{case}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// With bonus and penalty points, each sample's index is the core's on the sample
    /// written out as a scheme: the caps of the sections and of the total are applied per
    /// sample, as the core applies them, under any rounding and not-applicable choice.
    #[test]
    fn bonus_and_penalties_are_capped_per_sample_as_the_core_caps_them(
        seed in any::<u64>(),
        spread in 0u32..90,
        switch in any::<bool>(),
        case in 0usize..3,
    ) {
        let (scheme, batch) = golden(WITH_SECTIONS[case]);
        let mut text = format!("[weights]\nspread = {spread}\n");
        text += "[[inputs]]\nindicator = \"survey_points\"\nrange = [0, 4]\n";
        if switch {
            text += "[methods]\nnot_applicable = [\"exclude\", \"full_points\"]\n";
            text += "rounding = [{ places = 2 }, { places = 1, mode = \"down\", apply = \"criterion\" }]\n";
        }
        let model = Model::from_toml(&scheme, &text).unwrap();
        let study = Study::new(&batch, &model, settings(6, seed)).unwrap();
        for n in 0..6 {
            let (sample_scheme, inputs) = study.sample(n).unwrap();
            let expected: Vec<Option<Decimal>> = inputs
                .iter()
                .map(|i| sample_scheme.evaluate(i, &Options::default()).unwrap().index_rounded())
                .collect();
            prop_assert_eq!(study.sample_indices(n).unwrap(), expected, "sample {}", n);
        }
        let results = study.run().unwrap();
        prop_assert_eq!(results.units.len(), batch.results.len());
    }
}

#[test]
fn a_rank_policy_or_an_input_that_feeds_a_section_is_refused_not_misread() {
    // Its sampled ranks would follow the plain index: refused, naming what it lacks.
    let (scheme, batch) = golden("ranking-tie-break");
    let model = Model::weights(&scheme, Decimal::TEN);
    let error = Study::new(&batch, &model, settings(10, 1)).err().unwrap();
    assert!(
        matches!(&error, parscore_uncertainty::Error::Unsupported(what) if what.contains("[ranking]")),
        "{error}"
    );
    // Bonus points are scored once per choice: an input that feeds them cannot vary.
    let (scheme, batch) = golden("bonus-capped");
    match Model::from_toml(
        &scheme,
        "[[inputs]]\nindicator = \"awards\"\nrange = [0, 3]\nplaces = 0\n",
    ) {
        Ok(model) => {
            let error = Study::new(&batch, &model, settings(10, 1)).err().unwrap();
            assert!(
                matches!(&error, parscore_uncertainty::Error::Unsupported(what) if what.contains("awards")),
                "{error}"
            );
        }
        // Or the model itself refuses it, naming the indicator.
        Err(error) => assert!(error.to_string().contains("awards"), "{error}"),
    }
}

/// A period of more units than samples has its rank quantiles selected from the samples'
/// ranks rather than counted over every rank of the period; both give the same ranks.
#[test]
fn a_period_larger_than_the_samples_keeps_each_units_rank() {
    let scheme = builtin();
    let lines: Vec<String> = (0..45)
        .map(|i| {
            format!(
                r#"{{"unit": "Sở {i:02}", "period": "2024", "survey_points": "{},5", "reports_on_time": "x"}}"#,
                i % 20
            )
            .replace(",5", ".5")
        })
        .collect();
    let rows = rows_from_json(&lines.join("\n")).unwrap();
    let batch = scheme.evaluate_rows(&rows, false, &Options::default());
    for (samples, model) in [
        (3, Model::weights(&scheme, Decimal::ZERO)),
        (100, Model::weights(&scheme, Decimal::ZERO)),
    ] {
        let results = Study::new(&batch, &model, settings(samples, 1))
            .unwrap()
            .run()
            .unwrap();
        for (unit, row) in results.units.iter().zip(&batch.results) {
            assert_eq!(
                (unit.rank_p05, unit.rank_p95),
                (row.rank, row.rank),
                "{samples}"
            );
            assert!(row.rank.is_some());
        }
    }
}
