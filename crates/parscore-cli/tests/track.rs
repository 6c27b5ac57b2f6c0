//! `parscore records track`: the golden mid-year records through the command, a Vietnamese
//! export (`;`, decomposed names) with the year before's, every output format, the number
//! given, and what is refused.

mod common;

use common::{SCHEME, parscore, root};
use serde_json::Value as Json;

const CASE: &str = "tests/records/track-mid-year";
const YEAR_BEFORE: &str = "examples/data/records/dossiers-2024.csv";
const FIRST_HALF: &str = "examples/data/records/dossiers-2025-h1.csv";

fn run(args: &[&str]) -> (Vec<u8>, String, i32) {
    let output = parscore(args).output().unwrap();
    (
        output.stdout,
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output.status.code().unwrap(),
    )
}

fn json(args: &[&str]) -> Json {
    let (stdout, stderr, code) = run(&[args, &["-f", "json", "-q"]].concat());
    assert_eq!(code, 0, "{args:?}: {stderr}");
    serde_json::from_slice(&stdout).unwrap()
}

#[test]
fn the_golden_mid_year_case_gives_its_expected_tracking() {
    let scheme = format!("{CASE}/scheme.toml");
    let records = format!("{CASE}/records.csv");
    let mut document = json(&[
        "records",
        "track",
        "--scheme",
        &scheme,
        "--as-of",
        "15/06/2024",
        &records,
    ]);
    assert_eq!(document["scheme"]["id"], "track-demo");
    assert_eq!(document["records"]["records"], 22);
    assert!(document["records"].get("groups").is_none());
    let fields = document.as_object_mut().unwrap();
    fields.shift_remove("scheme");
    fields.shift_remove("records");
    let expected: Json = serde_json::from_str(
        &std::fs::read_to_string(root().join(CASE).join("expected.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(document, expected);
}

#[test]
fn a_vietnamese_export_with_the_year_before_is_tracked_unit_by_unit() {
    // `;`-separated, day-first dates, some unit names decomposed: one unit each.
    let args = [
        "records",
        "track",
        "--scheme",
        SCHEME,
        "--as-of",
        "2025-06-30",
        YEAR_BEFORE,
        FIRST_HALF,
    ];
    let document = json(&args);
    let criteria = document["criteria"].as_array().unwrap();
    let units: std::collections::BTreeSet<&str> = criteria
        .iter()
        .map(|c| c["unit"].as_str().unwrap())
        .collect();
    assert_eq!(units.len(), 5, "{units:?}");
    // III.4.1, VII.2.2, VII.2.4 and VII.3.3 for each.
    assert_eq!(criteria.len(), 20);
    assert!(
        criteria
            .iter()
            .all(|c| c["expected_from"] == "previous_year")
    );
    let on_time = criteria
        .iter()
        .find(|c| c["unit"] == "Chi cục Kiểm lâm" && c["criterion"] == "III.4.1")
        .unwrap();
    assert_eq!(on_time["so_far"], "5/6");
    assert_eq!(on_time["target"], ">= 99");
    assert_eq!(on_time["status"], "impossible");
    assert_eq!(document["days_elapsed"], 181);
    let trend = &document["trends"][0];
    assert_eq!(trend["months"].as_array().unwrap().len(), 6);

    let (md, stderr, code) = run(&[&args[..], &["-f", "md"]].concat());
    assert_eq!(code, 0, "{stderr}");
    let md = String::from_utf8(md).unwrap();
    for part in [
        "# Theo dõi chỉ tiêu trong năm từ hồ sơ TTHC: ",
        "**Năm 2025, số liệu đến ngày 30/06/2025: 181 ngày đã qua, 184 ngày còn lại.**",
        "| đơn vị | tiêu chí | nội dung | đến nay | chỉ tiêu | dự kiến còn lại | cần đạt | trạng thái | căn cứ dự kiến |",
        "| Chi cục Kiểm lâm | III.4.1 |",
        "83,33% (5/6) | `>= 99` |",
        "không thể đạt | cùng kỳ năm trước |",
        "## Chi cục Kiểm lâm: Diễn biến theo tháng",
    ] {
        assert!(md.contains(part), "{part:?} in\n{md}");
    }
    let en =
        String::from_utf8(run(&[&args[..], &["-f", "md", "--lang", "en"]].concat()).0).unwrap();
    assert!(en.contains("# Tracking the year's targets from the dossier records: "));
    assert!(en.contains("| impossible | previous year |"));

    let html = String::from_utf8(run(&[&args[..], &["-f", "html"]].concat()).0).unwrap();
    for part in [
        "<table class=\"tracking\">",
        "data-status=\"impossible\"",
        "<svg class=\"trend\" data-unit=\"Chi cục Kiểm lâm\" data-rate=\"on_time_rate\"",
        "<line class=\"target\"",
        "<polyline class=\"ytd\"",
        "<g class=\"month\" data-month=\"2025-03\">",
    ] {
        assert!(html.contains(part), "{part:?}");
    }
    assert!(!html.contains("<script"));

    let csv = String::from_utf8(run(&[&args[..], &["-f", "csv"]].concat()).0).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "unit",
            "criterion",
            "indicator",
            "rate",
            "so_far",
            "so_far_met",
            "so_far_total",
            "target",
            "expected",
            "needed",
            "status",
            "expected_from",
            "lead"
        ]
    );
    assert_eq!(reader.records().count(), 20);
}

#[test]
fn the_number_given_is_used_for_every_unit_and_rate() {
    let document = json(&[
        "records",
        "track",
        "--scheme",
        SCHEME,
        "--as-of",
        "2025-06-30",
        "--expected",
        "100",
        FIRST_HALF,
    ]);
    for line in document["criteria"].as_array().unwrap() {
        assert_eq!(line["expected"], 100);
        assert_eq!(line["expected_from"], "given");
    }
    // Without it, and without the year before, the pace so far.
    let document = json(&[
        "records",
        "track",
        "--scheme",
        SCHEME,
        "--as-of",
        "2025-06-30",
        FIRST_HALF,
    ]);
    let line = &document["criteria"][0];
    assert_eq!(line["expected_from"], "pace");
    // 6 dossiers in 181 days, over 184: 6.1, so 6.
    assert_eq!(line["expected"], 6);
}

#[test]
fn what_is_refused_and_bad_records() {
    for (args, says) in [
        (
            vec!["records", "track", "--scheme", SCHEME, FIRST_HALF],
            "give --as-of DATE",
        ),
        (
            vec![
                "records",
                "track",
                "--scheme",
                SCHEME,
                "--as-of",
                "2025-06-30",
                "--period",
                "quarter",
                FIRST_HALF,
            ],
            "counts by month",
        ),
        (
            vec![
                "records",
                "track",
                "--scheme",
                SCHEME,
                "--as-of",
                "2025-06-30",
                "-o",
                FIRST_HALF,
                FIRST_HALF,
            ],
            "is a records file",
        ),
        (
            vec![
                "records",
                "track",
                "--scheme",
                SCHEME,
                "--as-of",
                "2025-06-30",
                "--map",
                "on_time_rate=dossiers_on_time",
                FIRST_HALF,
            ],
            "a rate cannot feed a count indicator",
        ),
    ] {
        let (_, stderr, code) = run(&args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{says:?} in {stderr}");
    }
    // Bad records are reported and counted, as by `records summarize`; the others tracked.
    let (stdout, stderr, code) = run(&[
        "records",
        "track",
        "--scheme",
        SCHEME,
        "--as-of",
        "2024-03-20",
        "examples/data/records/bad-dossiers.csv",
        "-f",
        "json",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("4 of 7 records are bad"), "{stderr}");
    let document: Json = serde_json::from_slice(&stdout).unwrap();
    assert_eq!(document["records"]["bad"]["total"], 4);
}
