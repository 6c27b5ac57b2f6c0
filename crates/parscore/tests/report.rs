//! The results document: each result and the summary say what had no input.

use serde_json::json;

use parscore::{InputError, Options, Scheme};

#[test]
fn each_result_and_the_summary_say_what_had_no_input() {
    let scheme = Scheme::from_toml(
        r#"
        id = "gaps"
        title = "Gaps"
        version = "1"
        [[indicators]]
        id = "held"
        title = "Đối thoại"
        kind = "bool"
        [[indicators]]
        id = "on_time"
        title = "Đúng hạn"
        kind = "percent"
        [[areas]]
        code = "A"
        title = "A"
        [[areas.criteria]]
        code = "A.1"
        title = "Đối thoại"
        indicator = "held"
        max_points = 1.5
        rule = { kind = "boolean" }
        [[areas.criteria]]
        code = "A.2"
        title = "Đúng hạn"
        indicator = "on_time"
        max_points = 2.25
        target = ">= 99"
        rule = { kind = "threshold" }
        "#,
    )
    .unwrap();
    let mut gap = scheme.inputs("Chi cục Thủy lợi", Some("2024".into()));
    gap.set_text("held", "có").unwrap();
    let mut whole = scheme.inputs("Sở NN&PTNT", Some("2024".into()));
    whole.set_text("held", "không").unwrap();
    whole.set_text("on_time", "99").unwrap();
    let rows = [
        Ok(gap),
        Ok(whole),
        Err(InputError::UnknownIndicator("x".into())),
    ];
    let batch = scheme.evaluate_batch(rows, &Options::default());
    let document = batch.report().to_json();
    assert_eq!(
        document["results"][0]["missing"],
        json!({"count": 1, "points": 2.25, "criteria": ["A.2"]})
    );
    assert_eq!(
        document["results"][1]["missing"],
        json!({"count": 0, "points": 0, "criteria": []})
    );
    assert!(document["results"][2].get("missing").is_none());
    assert_eq!(
        document["summary"]["missing"],
        json!({"units": 1, "criteria": 1})
    );
}

#[test]
fn the_streamed_document_is_the_text_of_the_built_one() {
    let scheme = Scheme::builtin("lang-son-snn-2024").unwrap();
    let mut unit = scheme.inputs("Sở A", Some("2024".into()));
    unit.set_text("survey_points", "16.85").unwrap();
    unit.set_text("dossiers_on_time", "987").unwrap();
    unit.set_text("dossiers_resolved", "1000").unwrap();
    let rows = [Ok(unit), Err(InputError::UnknownIndicator("x".into()))];
    let batch = scheme.evaluate_batch(rows, &Options::default());
    let report = batch.report();
    assert_eq!(
        serde_json::to_string_pretty(&report).unwrap(),
        serde_json::to_string_pretty(&report.to_json()).unwrap()
    );
    assert_eq!(
        serde_json::to_string(&report).unwrap(),
        report.to_json().to_string()
    );
}
