//! Invariants that hold for every scheme and every input: points stay within their bounds,
//! a better input never scores less, a batch equals its units one by one, a scheme written out
//! reads back the same, and no text — scheme or cell — can make the library panic.

mod support;

use parscore::{
    Decimal, Indicator, IndicatorKind, Inputs, Options, Rhs, Rounding, RoundingMode, RoundingScope,
    Scheme, Status, Value,
};
use proptest::prelude::*;
use support::{Cell, cell, scheme_file};

fn builtin() -> Scheme {
    Scheme::builtin("lang-son-snn-2024").unwrap()
}

fn decimal(units: i64, scale: u32) -> Decimal {
    Decimal::new(units, scale)
}

/// Inputs for every input indicator of a scheme; `Err` where a cell is refused.
fn inputs(scheme: Scheme) -> impl Strategy<Value = Result<Inputs, parscore::InputError>> {
    let indicators: Vec<Indicator> = scheme
        .indicators()
        .iter()
        .filter(|i| i.source == parscore::IndicatorSource::Input)
        .cloned()
        .collect();
    let cells: Vec<_> = indicators.iter().map(cell).collect();
    cells.prop_map(move |cells| {
        let mut inputs = scheme.inputs("unit", None);
        for (indicator, cell) in indicators.iter().zip(cells) {
            let id = &indicator.id;
            if !matches!(cell, Cell::Null) {
                inputs.set_text(id, &cell.text())?;
            }
        }
        Ok(inputs)
    })
}

fn generated() -> impl Strategy<Value = (Scheme, Result<Inputs, parscore::InputError>)> {
    scheme_file()
        .prop_map(|file| Scheme::from_file(file).expect("generated schemes are valid"))
        .prop_flat_map(|scheme| (Just(scheme.clone()), inputs(scheme)))
}

fn check_bounds(scheme: &Scheme, inputs: &Inputs) -> Result<(), TestCaseError> {
    let Ok(evaluation) = scheme.evaluate(inputs, &Options::default()) else {
        return Ok(());
    };
    // Only a bonus that may pass the maximum takes the total above it, by its cap at most.
    let beyond = match scheme.bonus() {
        Some((_, cap)) if scheme.index_above_100() => cap,
        _ => Decimal::ZERO,
    };
    prop_assert!(evaluation.points() >= Decimal::ZERO);
    prop_assert!(evaluation.points() <= evaluation.max_points() + beyond);
    prop_assert!(evaluation.max_points() <= scheme.max_points());
    // The gap counted while scoring is the criteria without input, and their maxima.
    let missing: Vec<_> = evaluation.missing().collect();
    let (count, points) = evaluation.missing_summary();
    prop_assert_eq!(count, missing.len());
    prop_assert_eq!(
        points,
        missing.iter().map(|c| c.max_points()).sum::<Decimal>()
    );
    let penalties = scheme.penalties();
    for group in evaluation.groups() {
        // The penalties section's points are what it takes off, negated, at most its cap.
        let least = match penalties {
            Some((section, cap)) if section.code == group.code() => -cap,
            _ => Decimal::ZERO,
        };
        prop_assert!(group.points() >= least, "{}", group.code());
        prop_assert!(group.points() <= group.max_points(), "{}", group.code());
    }
    if let Some((_, cap)) = scheme.bonus() {
        prop_assert!(
            evaluation
                .bonus_points()
                .is_some_and(|b| b >= Decimal::ZERO && b <= cap)
        );
    }
    if let Some((_, cap)) = penalties {
        prop_assert!(
            evaluation
                .penalty_points()
                .is_some_and(|p| p >= Decimal::ZERO && p <= cap)
        );
    }
    for c in evaluation.criteria() {
        let floor = match c.criterion().rule() {
            Some(parscore::Rule::Deduction { cap, .. }) => c.criterion().max_points - *cap,
            _ => Decimal::ZERO,
        };
        prop_assert!(c.points() >= floor.min(Decimal::ZERO), "{}", c.code());
        prop_assert!(c.points() <= c.max_points(), "{}", c.code());
        prop_assert!(c.recoverable() >= Decimal::ZERO, "{}", c.code());
        if c.status() == Status::Missing {
            prop_assert_eq!(c.points(), Decimal::ZERO);
        }
    }
    if let Some(index) = evaluation.index() {
        prop_assert!(index >= Decimal::ZERO);
        prop_assert!(index <= Decimal::ONE_HUNDRED || scheme.index_above_100());
    }
    Ok(())
}

/// Input percentages whose larger values are better under every criterion that reads them:
/// not compared with `<=`/`==`, and not the right-hand side of another criterion's target.
fn higher_is_better(scheme: &Scheme) -> Vec<String> {
    let leaves: Vec<_> = scheme.leaves().collect();
    scheme
        .indicators()
        .iter()
        .filter(|i| {
            i.kind == IndicatorKind::Percent && i.source == parscore::IndicatorSource::Input
        })
        .filter(|i| {
            leaves.iter().all(|c| {
                let target = c.target();
                let reads = scheme.indicator_of(c).is_some_and(|own| own.id == i.id);
                let referenced =
                    matches!(target.map(|t| &t.rhs), Some(Rhs::Indicator(id)) if *id == i.id);
                let lower_better =
                    target.is_some_and(|t| !matches!(t.op, parscore::Op::Ge | parscore::Op::Gt));
                !(referenced || (reads && lower_better))
            })
        })
        .map(|i| i.id.clone())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The reported index is the exact quotient rounded once: within half a unit of it
    /// (below it by less than a unit when truncating), a tie going the mode's way, and
    /// equal to rounding the decimal quotient whenever that quotient is exact.
    #[test]
    fn the_index_is_the_exact_quotient_rounded_once(
        points in (-10i64.pow(12)..=10i64.pow(12), 0u32..=12),
        max in (1i64..=10i64.pow(12), 0u32..=12),
        places in 0u32..=4,
        mode in prop_oneof![Just(RoundingMode::HalfUp), Just(RoundingMode::HalfEven), Just(RoundingMode::Down)],
    ) {
        let rounding = Rounding { places, mode, scope: RoundingScope::Report };
        let (points, max) = (decimal(points.0, points.1), decimal(max.0, max.1));
        let index = rounding.index(points, max).unwrap();
        prop_assert_eq!(index.scale(), places);
        // Every product below is exact: at most 28 digits.
        let hundred_points = points * Decimal::ONE_HUNDRED;
        let unit = Decimal::new(1, places);
        let error = (index * max - hundred_points).abs();
        let half = unit * max / Decimal::TWO;
        match mode {
            RoundingMode::Down => {
                prop_assert!(index.abs() * max <= hundred_points.abs());
                prop_assert!(error < unit * max);
            }
            _ => prop_assert!(error <= half),
        }
        if error == half && mode == RoundingMode::HalfEven {
            prop_assert!((index.mantissa() % 2) == 0);
        }
        if error == half && mode == RoundingMode::HalfUp && !error.is_zero() {
            prop_assert!(index.abs() * max > hundred_points.abs());
        }
        let quotient = hundred_points / max;
        if quotient * max == hundred_points {
            prop_assert_eq!(index, rounding.round(quotient));
        }
    }

    #[test]
    fn builtin_points_stay_within_bounds(inputs in inputs(builtin())) {
        if let Ok(inputs) = inputs {
            check_bounds(&builtin(), &inputs)?;
        }
    }

    #[test]
    fn generated_points_stay_within_bounds((scheme, inputs) in generated()) {
        if let Ok(inputs) = inputs {
            check_bounds(&scheme, &inputs)?;
        }
    }

    #[test]
    fn a_better_rate_never_scores_less(
        inputs in inputs(builtin()),
        pick in any::<prop::sample::Index>(),
        raise in 1i64..=5_000,
    ) {
        let scheme = builtin();
        let Ok(before) = inputs else { return Ok(()) };
        let candidates = higher_is_better(&scheme);
        let id = &candidates[pick.index(candidates.len())];
        let Some(Value::Number(value)) = before.get(id).copied() else { return Ok(()) };
        let mut after = before.clone();
        let raised = (value + decimal(raise, 2)).min(Decimal::ONE_HUNDRED);
        after.set(id, Value::Number(raised)).unwrap();
        let options = Options::default();
        if let (Ok(a), Ok(b)) = (scheme.evaluate(&before, &options), scheme.evaluate(&after, &options)) {
            prop_assert!(b.points() >= a.points(), "{id}: {value} → {raised} lost points");
        }
    }

    #[test]
    fn more_on_time_dossiers_never_score_less(resolved in 1u32..5_000, on_time in 0u32..5_000, more in 1u32..100) {
        let scheme = builtin();
        let on_time = on_time.min(resolved);
        let score = |n: u32| {
            let mut inputs = scheme.inputs("u", None);
            inputs.set_text("dossiers_on_time", &n.to_string()).unwrap();
            inputs.set_text("dossiers_resolved", &resolved.to_string()).unwrap();
            scheme.evaluate(&inputs, &Options::default()).unwrap().points()
        };
        prop_assert!(score((on_time + more).min(resolved)) >= score(on_time));
    }

    #[test]
    fn a_batch_equals_its_units_one_by_one(rows in prop::collection::vec(inputs(builtin()), 1..12)) {
        let scheme = builtin();
        let options = Options::default();
        let batch = scheme.evaluate_batch(rows.clone(), &options);
        prop_assert_eq!(batch.results.len(), rows.len());
        for (result, row) in batch.results.iter().zip(rows) {
            let alone = row.and_then(|inputs| scheme.evaluate(&inputs, &options));
            prop_assert_eq!(&result.outcome, &alone);
        }
        // Ranks: each ranked unit's rank is 1 + the number of units with a higher index.
        for result in &batch.results {
            if let Some(rank) = result.rank {
                let mine = result.outcome.as_ref().unwrap().index_rounded().unwrap();
                let higher = batch.results.iter().filter(|o| {
                    o.outcome.as_ref().ok().and_then(|e| e.index_rounded()).is_some_and(|i| i > mine)
                }).count();
                prop_assert_eq!(rank, higher + 1);
            }
        }
    }

    #[test]
    fn the_lean_scorer_agrees_with_the_full_evaluation((scheme, inputs) in generated(), strict in any::<bool>()) {
        let Ok(inputs) = inputs else { return Ok(()) };
        let options = Options { strict };
        let mut scorer = parscore::Scorer::new(&scheme);
        match (scheme.evaluate(&inputs, &options), scorer.score(&inputs, &options)) {
            (Ok(full), Ok(lean)) => {
                prop_assert_eq!(lean.points, full.points());
                prop_assert_eq!(lean.max_points, full.max_points());
                prop_assert_eq!(lean.index(), full.index());
                let points: Vec<Decimal> = full.criteria().map(|c| c.points()).collect();
                prop_assert_eq!(scorer.leaf_points(), &points[..]);
            }
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            (a, b) => prop_assert!(false, "{a:?} vs {b:?}"),
        }
    }

    #[test]
    fn a_dumped_scheme_loads_back_the_same(file in scheme_file()) {
        let scheme = Scheme::from_file(file.clone()).unwrap();
        let from_toml = Scheme::from_toml(&scheme.to_toml().unwrap()).unwrap();
        prop_assert_eq!(from_toml.file(), &file);
        let from_json = Scheme::from_json(&scheme.to_json().unwrap()).unwrap();
        prop_assert_eq!(from_json.file(), &file);
    }

    #[test]
    fn any_scheme_text_gives_a_scheme_or_an_error(text in ".{0,400}") {
        let _ = Scheme::from_text(&text);
        let _ = Scheme::from_json(&text);
    }

    #[test]
    fn a_damaged_scheme_gives_a_scheme_or_an_error(
        cuts in prop::collection::vec((any::<prop::sample::Index>(), ".{0,3}"), 1..4),
    ) {
        let mut text = builtin().to_toml().unwrap();
        for (at, insert) in cuts {
            let mut at = at.index(text.len());
            while !text.is_char_boundary(at) { at -= 1; }
            let end = (at + 5).min(text.len());
            let end = (end..=text.len()).find(|&e| text.is_char_boundary(e)).unwrap_or(text.len());
            text.replace_range(at..end, &insert);
        }
        if let Err(error) = Scheme::from_toml(&text) {
            prop_assert!(!error.to_string().is_empty());
        }
    }

    #[test]
    fn a_float_reads_as_its_shortest_form(f in prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO, places in 0u32..8, units in -10_000_000i64..10_000_000) {
        // Any float, and the floats people type (few decimals): the fast path must give
        // exactly the decimal that Display prints.
        for f in [f, units as f64 / 10f64.powi(places as i32)] {
            let text = f.to_string();
            let expected = if text.contains('e') { Decimal::from_scientific(&text).ok() } else { Decimal::from_str_exact(&text).ok() };
            // Values lie below 10^15 (parscore::limits).
            let expected = expected.filter(|e| e.abs() < parscore::limits::MAX_MAGNITUDE);
            match (Value::from_f64(f), expected) {
                (Ok(Value::Number(d)), Some(e)) => prop_assert_eq!(d, e, "{}", text),
                (Err(_), None) => {}
                (got, expected) => prop_assert!(false, "{text}: {got:?} vs {expected:?}"),
            }
        }
    }

    #[test]
    fn any_cell_gives_a_value_or_an_error(text in ".{0,30}", pick in any::<prop::sample::Index>()) {
        let scheme = builtin();
        let ids: Vec<&str> = scheme.indicators().iter().map(|i| i.id.as_str()).collect();
        let mut inputs = scheme.inputs("u", None);
        let _ = Value::parse(&text);
        if inputs.set_text(ids[pick.index(ids.len())], &text).is_ok() {
            let _ = scheme.evaluate(&inputs, &Options { strict: true });
            let _ = scheme.evaluate(&inputs, &Options::default());
        }
    }
}

#[test]
fn the_builtin_and_golden_schemes_round_trip() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden");
    let mut schemes = vec![builtin()];
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path().join("scheme.toml");
        if path.exists() {
            schemes.push(Scheme::from_toml(&std::fs::read_to_string(path).unwrap()).unwrap());
        }
    }
    for scheme in schemes {
        let toml = Scheme::from_toml(&scheme.to_toml().unwrap()).unwrap();
        assert_eq!(toml.file(), scheme.file(), "{}", scheme.id());
        let json = Scheme::from_json(&scheme.to_json().unwrap()).unwrap();
        assert_eq!(json.file(), scheme.file(), "{}", scheme.id());
    }
}
