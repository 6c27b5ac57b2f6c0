//! `parscore explain`: one unit, every criterion and why.

mod common;

use common::{BAD_ROWS, CSV, SCHEME, evaluate_json, parscore, result_of};
use parscore::Scheme;
use predicates::prelude::*;

fn explain(args: &[&str]) -> std::process::Output {
    let mut all = vec!["explain", "--scheme", SCHEME];
    all.extend_from_slice(args);
    parscore(&all).output().unwrap()
}

#[test]
fn explain_shows_every_criterion_and_the_recoverable_points_largest_first() {
    let output = explain(&["--unit", "Sở NN&PTNT", CSV]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    let scheme = Scheme::builtin(SCHEME).unwrap();
    assert!(text.starts_with("Sở NN&PTNT (2024) — lang-son-snn-2024 2024.1\n"));
    assert!(text.contains("ESTIMATED"));
    for leaf in scheme.leaves() {
        assert!(
            text.lines()
                .any(|l| l.contains(&format!(" {} {}: ", leaf.code, leaf.title))),
            "{} is explained",
            leaf.code
        );
    }
    // The failing on-time target: value from counts, the target, the margin, the points.
    let line = text.lines().find(|l| l.contains(" III.4.1 ")).unwrap();
    assert!(line.starts_with('✗'), "{line}");
    assert!(
        line.contains("9899/10000 = 98.99% misses >= 99, margin -0.01"),
        "{line}"
    );
    let recoverable: Vec<f64> = text
        .lines()
        .skip_while(|l| !l.starts_with("recoverable points"))
        .skip(1)
        .take_while(|l| l.starts_with("  +"))
        .map(|l| l.trim()[1..].split(' ').next().unwrap().parse().unwrap())
        .collect();
    assert!(!recoverable.is_empty());
    assert!(
        recoverable.windows(2).all(|w| w[0] >= w[1]),
        "{recoverable:?}"
    );
    let (document, _) = evaluate_json(&[CSV]);
    let rank = &result_of(&document, "Sở NN&PTNT", None)["rank"];
    assert!(
        text.ends_with(&format!("rank {rank} of 5 in these inputs\n")),
        "{text}"
    );
}

#[test]
fn explain_json_is_the_units_result_object() {
    let output = explain(&["--unit", "Chi cục Kiểm lâm", "--format", "json", CSV]);
    assert!(output.status.success());
    let object: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let (document, _) = evaluate_json(&[CSV]);
    assert_eq!(&object, result_of(&document, "Chi cục Kiểm lâm", None));
}

#[test]
fn explain_needs_a_period_when_the_unit_has_several() {
    let output = explain(&["--unit", "Chi cục Kiểm lâm", "-q", BAD_ROWS]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stderr,
        "parscore: unit `Chi cục Kiểm lâm` has rows in several periods (2024, 2023): \
         choose one with --period\n"
    );
    let output = explain(&[
        "--unit",
        "Chi cục Kiểm lâm",
        "--period",
        "2023",
        "-q",
        BAD_ROWS,
    ]);
    assert!(output.status.success());
    assert!(
        String::from_utf8(output.stdout)
            .unwrap()
            .starts_with("Chi cục Kiểm lâm (2023)")
    );
}

#[test]
fn explain_names_the_units_there_are_when_one_is_not() {
    let output = explain(&["--unit", "Sở Y tế", CSV]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.starts_with("parscore: no unit `Sở Y tế` in the inputs (units: Sở NN&PTNT, "));
}

#[test]
fn explaining_a_bad_row_gives_its_error_and_exit_1() {
    parscore([
        "explain",
        "--scheme",
        SCHEME,
        "--unit",
        "Chi cục Thủy lợi",
        BAD_ROWS,
    ])
    .assert()
    .code(1)
    .stdout("")
    .stderr(predicate::str::starts_with(format!(
        "parscore: {BAD_ROWS}:3 (unit `Chi cục Thủy lợi`): indicator `online_full_services_rate`"
    )))
    .stderr(predicate::str::contains("\n").count(1));
}
