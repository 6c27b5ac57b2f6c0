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

const VI_CSV: &str = "examples/data/units-2024-vi.csv";

#[test]
fn the_path_to_a_grade_lists_the_fewest_fixes_with_their_points_and_lead_units() {
    // A Vietnamese file (decimal commas, `x`), the unit typed decomposed.
    let output = explain(&[
        "--unit",
        "Chi cu\u{323}c Thu\u{309}y lợi",
        "--decimal",
        ",",
        "--to-grade",
        "Xuất sắc",
        VI_CSV,
    ]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.starts_with(
            "Chi cục Thủy lợi (2024) — lang-son-snn-2024 2024.1\n\
             ESTIMATED scheme: points are not official.\n\
             points 77.8163 of 98.84, index 78.73, grade Khá\n\
             path to Xuất sắc from 90: fix 1 criterion, fewest first:\n  +20 KS.1 "
        ),
        "{text}"
    );
    assert!(
        text.contains("after: points 97.8163 of 98.84, index 98.96, grade Xuất sắc\n"),
        "{text}"
    );

    // As JSON: the unit's result object with the path; its figures add up exactly.
    let output = explain(&[
        "--unit",
        "Sở NN&PTNT",
        "--to-grade",
        "To\u{302}\u{301}t",
        "--format",
        "json",
        CSV,
    ]);
    assert_eq!(output.status.code(), Some(0));
    let object: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let path = &object["path_to_grade"];
    assert_eq!(path["grade"], "Tốt");
    assert_eq!(path["reached"], true);
    assert_eq!(path["fixes"].as_array().unwrap().len(), 0, "{path}");
    assert_eq!(path["points"], object["points"]);
    // A unit below the grade: the points before and the points each fix brings add up to
    // the points after, exactly.
    let output = explain(&[
        "--unit",
        "Chi cục Thủy lợi",
        "--to-grade",
        "Xuất sắc",
        "--format",
        "json",
        CSV,
    ]);
    let object: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let path = &object["path_to_grade"];
    let fixes = path["fixes"].as_array().unwrap();
    let brought: parscore::Decimal = fixes
        .iter()
        .map(|f| {
            f["points"]
                .to_string()
                .parse::<parscore::Decimal>()
                .unwrap()
        })
        .sum();
    let before: parscore::Decimal = object["points"].to_string().parse().unwrap();
    let after: parscore::Decimal = path["points"].to_string().parse().unwrap();
    assert_eq!(before + brought, after);
    assert!(path["index"].as_f64().unwrap() >= 90.0);
    for fix in fixes {
        assert!(fix.get("lead").is_some() && fix.get("title").is_some());
    }
}

#[test]
fn what_if_shows_each_criterion_its_changes_move_and_the_exact_index_after() {
    let output = explain(&[
        "--unit",
        "Chi cục Thủy lợi",
        "--decimal",
        ",",
        "--what-if",
        "III.4.1=99,KS.1=16,5",
        VI_CSV,
    ]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains(
            "what if III.4.1 = 99, KS.1 = 16,5:\n  +1.16 III.4.1 Tỷ lệ hồ sơ TTHC tiếp nhận \
             trong năm được giải quyết đúng hạn: 0 → 1.16 — lead: Các phòng: KHTC, TS-KTTH, \
             các Chi cục trực thuộc\n  +16.5 KS.1 "
        ),
        "{text}"
    );
    assert!(
        text.contains("after: points 95.4763 of 100, index 95.48, grade Xuất sắc\n"),
        "{text}"
    );
    let output = explain(&[
        "--unit",
        "Chi cục Thủy lợi",
        "--what-if",
        "KS.1=16.5",
        "--what-if",
        "I.2=không",
        "--format",
        "json",
        CSV,
    ]);
    let object: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let what_if = &object["what_if"];
    assert_eq!(
        what_if["given"][1],
        serde_json::json!({"code": "I.2", "value": "không"})
    );
    let codes: Vec<&str> = what_if["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["I.2", "KS.1"]);
    assert_eq!(what_if["changes"][1]["points"].to_string(), "16.5");
}

#[test]
fn a_grade_or_change_that_cannot_be_is_refused_with_what_can() {
    let output = explain(&["--unit", "Sở NN&PTNT", "--to-grade", "Giỏi", CSV]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "parscore: --to-grade: `Giỏi` is not a grade of lang-son-snn-2024 (its grades: Xuất \
         sắc, Tốt, Khá, Trung bình, Yếu)\n"
    );
    for (change, message) in [
        (
            "III.4=99",
            "parscore: --what-if: `III.4` is not a leaf criterion of this scheme\n",
        ),
        (
            "III.4.1=98,7",
            "parscore: --what-if: III.4.1: `98,7` is ambiguous",
        ),
        (
            "III.4.1",
            "parscore: --what-if: `III.4.1` is not CODE=VALUE",
        ),
        ("KS.1=25", "parscore: --what-if: "),
    ] {
        let output = explain(&["--unit", "Sở NN&PTNT", "--what-if", change, CSV]);
        assert_eq!(output.status.code(), Some(2), "{change}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.starts_with(message), "{change}: {stderr}");
    }
}
