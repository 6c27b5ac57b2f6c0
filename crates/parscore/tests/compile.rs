//! Validation of a scheme file: every problem found, each with its criterion code, field and
//! position in the text.

use parscore::{Location, ProblemKind, Scheme, SchemeError};

const VALID: &str = r#"id = "t"
title = "Test"
version = "1"

[[grades]]
name = "Tốt"
min_index = 80

[[grades]]
name = "Khá"
min_index = 60

[[indicators]]
id = "rate"
kind = "percent"

[[indicators]]
id = "done"
kind = "bool"

[[indicators]]
id = "n"
kind = "count"

[[areas]]
code = "A"
title = "Area"
max_points = 4

[[areas.criteria]]
code = "A.1"
title = "Rate"
indicator = "rate"
max_points = 2
target = ">= 99"
rule = { kind = "bands", bands = [{ min = 99, points = 2 }, { min = 90, points = 1 }] }

[[areas.criteria]]
code = "A.2"
title = "Done"
indicator = "done"
max_points = 1
target = "== true"
rule = { kind = "threshold" }

[[areas.criteria]]
code = "A.3"
title = "Count"
indicator = "n"
max_points = 1
rule = { kind = "deduction", per = 0.5, cap = 1 }
"#;

fn problems(text: &str) -> Vec<parscore::Problem> {
    match Scheme::from_toml(text) {
        Err(SchemeError::Invalid { problems }) => problems,
        other => panic!("expected validation problems, got {other:?}"),
    }
}

fn with(from: &str, to: &str) -> String {
    assert!(VALID.contains(from), "{from}");
    VALID.replacen(from, to, 1)
}

#[test]
fn the_base_scheme_is_valid() {
    let scheme = Scheme::from_toml(VALID).unwrap();
    assert_eq!(scheme.max_points().to_string(), "4");
    assert_eq!(scheme.leaves().count(), 3);
}

#[test]
fn unknown_keys_are_refused_with_their_position() {
    let text = with("max_points = 1\ntarget", "max_point = 1\ntarget");
    match Scheme::from_toml(&text) {
        Err(SchemeError::Syntax {
            location, message, ..
        }) => {
            assert_eq!(location.map(|l| l.line), Some(42));
            assert!(message.contains("unknown field `max_point`"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let json = r#"{"id": "t", "title": "T", "version": "1", "indicators": [],
  "areas": [], "colour": 1}"#;
    match Scheme::from_json(json) {
        Err(SchemeError::Syntax {
            location, message, ..
        }) => {
            assert_eq!(
                location,
                Some(Location {
                    line: 2,
                    column: 23
                })
            );
            assert!(message.contains("unknown field `colour`"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn duplicate_codes_point_at_the_second() {
    let p = problems(&with("code = \"A.2\"", "code = \"A.1\""));
    assert_eq!(p[0].kind, ProblemKind::DuplicateCode("A.1".into()));
    assert_eq!(p[0].code.as_deref(), Some("A.1"));
    assert_eq!(
        p[0].location,
        Some(Location {
            line: 39,
            column: 1
        })
    );
}

#[test]
fn duplicate_indicators_are_refused() {
    let p = problems(&with("id = \"n\"", "id = \"done\""));
    assert!(
        p.iter()
            .any(|p| p.kind == ProblemKind::DuplicateIndicator("done".into())
                && p.location
                    == Some(Location {
                        line: 22,
                        column: 1
                    }))
    );
}

#[test]
fn undeclared_indicators_are_named() {
    let p = problems(&with("indicator = \"done\"", "indicator = \"finished\""));
    assert_eq!(p[0].kind, ProblemKind::UnknownIndicator("finished".into()));
    assert_eq!(p[0].code.as_deref(), Some("A.2"));
    assert_eq!(p[0].field.as_deref(), Some("indicator"));
    assert_eq!(
        p[0].location,
        Some(Location {
            line: 41,
            column: 1
        })
    );
    let p = problems(&with("target = \">= 99\"", "target = \">= @elsewhere\""));
    assert_eq!(p[0].kind, ProblemKind::UnknownIndicator("elsewhere".into()));
}

#[test]
fn group_maximum_must_match_its_children() {
    let p = problems(&with("max_points = 4", "max_points = 5"));
    assert_eq!(
        p[0].kind,
        ProblemKind::GroupMaxMismatch {
            stated: "5".into(),
            sum: "4".into()
        }
    );
    assert_eq!(
        p[0].location,
        Some(Location {
            line: 28,
            column: 1
        })
    );
}

#[test]
fn bands_must_descend_and_stay_within_the_maximum() {
    let p = problems(&with(
        "{ min = 90, points = 1 }",
        "{ min = 99.5, points = 1 }",
    ));
    assert!(matches!(&p[0].kind, ProblemKind::Bands(m) if m.contains("out of order")));
    assert_eq!(p[0].location.map(|l| l.line), Some(36));
    let p = problems(&with(
        "{ min = 90, points = 1 }",
        "{ min = 90, points = 3 }",
    ));
    assert!(
        p.iter()
            .any(|p| matches!(&p.kind, ProblemKind::Bands(m) if m.contains("outside [0, 2]")))
    );
    let p = problems(&with(
        "{ min = 99, points = 2 }",
        "{ min = 99, points = 0.5 }",
    ));
    assert!(matches!(&p[0].kind, ProblemKind::Bands(m) if m.contains("more points")));
}

#[test]
fn grades_must_descend() {
    let p = problems(&with("min_index = 60", "min_index = 85"));
    assert_eq!(p[0].kind, ProblemKind::GradesOutOfOrder("Khá".into()));
}

#[test]
fn targets_and_rules_must_fit_the_indicator_kind() {
    let p = problems(&with("target = \"== true\"", "target = \">= 1\""));
    assert!(matches!(&p[0].kind, ProblemKind::KindMismatch(m) if m.contains("compares a number")));
    let p = problems(&with("target = \">= 99\"", "target = \"== true\""));
    assert!(matches!(&p[0].kind, ProblemKind::KindMismatch(m) if m.contains("compares a bool")));
    let p = problems(&with("kind = \"threshold\"", "kind = \"given\""));
    assert!(
        matches!(&p[0].kind, ProblemKind::KindMismatch(m) if m.contains("given rule cannot score a bool"))
    );
    let p = problems(&with(
        "target = \"== true\"\nrule = { kind = \"threshold\" }",
        "rule = { kind = \"threshold\" }",
    ));
    assert!(matches!(
        &p[0].kind,
        ProblemKind::MissingField {
            field: "target",
            ..
        }
    ));
    let p = problems(&with("target = \">= 99\"", "target = \"99\""));
    assert!(matches!(&p[0].kind, ProblemKind::InvalidValue(m) if m.contains("operator")));
}

#[test]
fn leaves_need_their_fields_and_groups_refuse_leaf_fields() {
    let p = problems(&with("indicator = \"n\"\n", ""));
    assert_eq!(p[0].code.as_deref(), Some("A.3"));
    assert!(matches!(
        p[0].kind,
        ProblemKind::MissingField {
            field: "indicator",
            ..
        }
    ));
    let p = problems(&with(
        "max_points = 4",
        "max_points = 4\nrule = { kind = \"given\" }",
    ));
    assert!(matches!(
        p[0].kind,
        ProblemKind::UnexpectedField { field: "rule", .. }
    ));
}

#[test]
fn derived_rates_need_count_sources() {
    let text = with(
        "[[indicators]]\nid = \"n\"",
        "[[indicators]]\nid = \"r2\"\nkind = \"percent\"\nnumerator = \"done\"\ndenominator = \"n\"\n\n[[indicators]]\nid = \"n\"",
    );
    let p = problems(&text);
    assert_eq!(p[0].code.as_deref(), Some("r2"));
    assert_eq!(p[0].field.as_deref(), Some("numerator"));
    assert!(
        matches!(&p[0].kind, ProblemKind::KindMismatch(m) if m.contains("`done` must be an input indicator of kind count"))
    );
}

#[test]
fn points_beyond_what_a_sum_can_hold_are_refused() {
    let p = problems(&with(
        "max_points = 1\nrule = { kind = \"deduction\"",
        "max_points = 1\nrule = { kind = \"deduction\", per = 1, cap = 1e12 } #",
    ));
    assert!(
        matches!(&p[0].kind, ProblemKind::InvalidValue(m) if m.contains("above the 1000000000"))
    );
}

fn refused(text: &str, field: &str, why: &str) {
    let p = problems(text);
    assert!(
        p.iter()
            .any(|p| p.field.as_deref() == Some(field) && p.to_string().contains(why)),
        "{field}: {why}: {p:?}"
    );
}

#[test]
fn ids_that_can_never_receive_a_value_are_refused() {
    refused(
        &with("id = \"n\"", "id = \"unit\""),
        "id",
        "never receive a value",
    );
    refused(
        &with("id = \"n\"", "id = \"period\""),
        "id",
        "never receive a value",
    );
    refused(&with("id = \"n\"", "id = \"\""), "id", "empty id");
}

#[test]
fn targets_decided_by_the_range_alone_are_refused() {
    for (target, verdict) in [
        (">= 150", "never"),
        (">= 0", "always"),
        ("<= 100", "always"),
        ("< 0", "never"),
        ("== 101", "never"),
        ("!= -1", "always"),
    ] {
        let text = with("target = \">= 99\"", &format!("target = \"{target}\""));
        refused(&text, "target", &format!("is {verdict} met"));
    }
    let count_target = |target: &str| {
        VALID.replacen(
            "rule = { kind = \"deduction\"",
            &format!("target = \"{target}\"\nrule = {{ kind = \"deduction\""),
            1,
        )
    };
    refused(&count_target("<= -1"), "target", "never met");
    refused(&count_target("== 0.5"), "target", "never met");
    let text = with("target = \">= 99\"", "target = \">= @rate\"");
    refused(&text, "target", "with itself");
    // A percent sign fits a percent only, as in a cell.
    let text = with("target = \">= 99\"", "target = \">= 99%\"");
    assert!(Scheme::from_toml(&text).is_ok());
    refused(
        &count_target("<= 1%"),
        "target",
        "is a percentage but the indicator is a count",
    );
    // Read from its digits: 98.99999999999999999 is not 99.
    let text = with("target = \">= 99\"", "target = \">= 98.99999999999999999\"");
    let scheme = Scheme::from_toml(&text).unwrap();
    let target = scheme
        .criterion("A.1")
        .unwrap()
        .target()
        .unwrap()
        .to_string();
    assert_eq!(target, ">= 98.99999999999999999");
}

#[test]
fn goal_posts_and_bands_beyond_the_range_are_refused() {
    let text = with(
        "kind = \"bands\", bands = [{ min = 99, points = 2 }, { min = 90, points = 1 }]",
        "kind = \"proportional\", floor = -5, full_at = 150",
    );
    refused(
        &text,
        "rule",
        "floor -5 lies outside the indicator's range [0, 100]",
    );
    refused(&text, "rule", "full_at 150 lies outside");
    let text = with("{ min = 99, points = 2 }", "{ min = 199, points = 2 }");
    refused(&text, "bands", "band at 199 lies outside");
}

#[test]
fn grades_beyond_the_index_or_named_twice_are_refused() {
    refused(
        &with("min_index = 80", "min_index = 101"),
        "min_index",
        "from 0 to 100",
    );
    refused(
        &with("min_index = 60", "min_index = -1"),
        "min_index",
        "from 0 to 100",
    );
    refused(
        &with("name = \"Khá\"", "name = \"Tốt\""),
        "name",
        "named twice",
    );
}

#[test]
fn a_syntax_error_inside_a_criterion_names_its_code() {
    let text = with(
        "max_points = 1\nrule = { kind = \"deduction\"",
        "max_point = 1\nrule = { kind = \"deduction\"",
    );
    match Scheme::from_toml(&text) {
        Err(SchemeError::Syntax { code, .. }) => assert_eq!(code.as_deref(), Some("A.3")),
        other => panic!("{other:?}"),
    }
    let json = "\u{feff}{\"id\": \"t\", \"title\": \"T\", \"version\": \"1\", \"indicators\": [],\n\"areas\": [{\"code\": \"A\", \"title\": \"A\", \"colour\": 1}]}";
    match Scheme::from_text(json) {
        Err(SchemeError::Syntax { code, message, .. }) => {
            assert_eq!(code.as_deref(), Some("A"));
            assert!(message.contains("colour"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn numbers_of_a_scheme_built_in_code_are_held_to_the_limits() {
    let mut file = Scheme::from_toml(VALID).unwrap().file().clone();
    file.areas[0].criteria[0].max_points = Some(parscore::file::Num(rust_decimal::Decimal::MAX));
    file.areas[0].criteria[1].max_points = Some(parscore::file::Num(rust_decimal::Decimal::MAX));
    match Scheme::from_file(file) {
        Err(SchemeError::Invalid { problems }) => {
            assert!(
                problems[0].to_string().contains("too large"),
                "{problems:?}"
            );
            assert_eq!(problems[0].code.as_deref(), Some("A.1"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let text =
        with("max_points = 4", "max_points = 5").replacen("min_index = 60", "min_index = 85", 1);
    assert_eq!(problems(&text).len(), 2);
}
