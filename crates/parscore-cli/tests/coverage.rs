//! No gap hidden: every output says how many criteria had no input and the points they stand
//! for; a "No" on a yes/no criterion is a failing target whatever its rule; not applicable
//! is `n/a`, never the 0 of a failure.

mod common;

use std::path::{Path, PathBuf};

use calamine::{Data, Reader};
use common::{CSV, SCHEME, parscore, result_of, results, root};
use serde_json::{Value as Json, json};

/// `Sở NN&PTNT` as a system that writes NFD Unicode spells it.
const NFD_UNIT: &str = "So\u{31b}\u{309} NN&PTNT";
/// The name as every output writes it: composed (NFC), as it is read.
const UNIT: &str = "Sở NN&PTNT";

/// The example units as a Vietnamese office types them: `có`/`x` and `không` for yes and
/// no, the first unit's name in NFD, and its survey points not yet in (an empty cell).
fn vietnamese_units(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(root().join(CSV)).unwrap();
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let mut cells: Vec<String> = line.split(',').map(String::from).collect();
        for (j, cell) in cells.iter_mut().enumerate() {
            match cell.as_str() {
                "true" => *cell = if j % 2 == 0 { "có" } else { "x" }.into(),
                "false" => *cell = "không".into(),
                "Sở NN&PTNT" => *cell = NFD_UNIT.into(),
                _ => {}
            }
        }
        if i == 1 {
            *cells.last_mut().unwrap() = String::new();
        }
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    let path = dir.join("đơn-vị-2024.csv");
    std::fs::write(&path, out).unwrap();
    path
}

fn run(args: &[&str]) -> (String, String, i32) {
    let output = parscore(args).output().unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
        output.status.code().unwrap(),
    )
}

#[test]
fn every_output_counts_the_criteria_without_input_and_their_points() {
    let dir = tempfile::tempdir().unwrap();
    let units = vietnamese_units(dir.path());
    let file = units.to_str().unwrap();

    // The results document: per result, and in the summary.
    let (text, stderr, code) = run(&["evaluate", "--scheme", SCHEME, "-f", "json", file]);
    assert_eq!(code, 0, "{stderr}");
    let document: Json = serde_json::from_str(&text).unwrap();
    let first = &results(&document)[0];
    assert_eq!(first["unit"], UNIT);
    assert_eq!(
        first["missing"],
        json!({"count": 1, "points": 20, "criteria": ["KS.1"]})
    );
    let complete = result_of(&document, "Chi cục Kiểm lâm", None);
    assert_eq!(complete["missing"]["count"], 0);
    assert_eq!(
        document["summary"]["missing"],
        json!({"units": 2, "criteria": 2})
    );
    // Standard error says so, once, in one line, with where to look.
    let gaps: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("without input"))
        .collect();
    assert_eq!(
        gaps,
        [
            "parscore: criteria without input: 2 in 2 of 5 scored units, scored 0 as missing; \
          `--format json` lists them under `missing`, `parscore explain --unit UNIT` shows one \
          unit's"
        ]
    );

    // CSV: the count and the points.
    let (text, _, _) = run(&["evaluate", "--scheme", SCHEME, "-f", "csv", "-q", file]);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let first = reader.records().next().unwrap().unwrap();
    assert_eq!(&first[column("missing")], "1");
    assert_eq!(&first[column("missing_points")], "20");

    // The table: a column, in Vietnamese figures.
    let (text, _, _) = run(&["evaluate", "--scheme", SCHEME, "-q", file]);
    assert!(text.contains("chưa có số liệu"), "{text}");
    let line = text.lines().find(|l| l.contains(UNIT)).unwrap();
    assert!(line.contains("1 (20,00)"), "{line}");

    // The reports: per unit, and in the headline.
    let (text, _, _) = run(&["evaluate", "--scheme", SCHEME, "-f", "md", "-q", file]);
    assert!(
        text.contains(
            "**2/5 đơn vị có tiêu chí chưa có số liệu (2 tiêu chí, tính 0 điểm): điểm và xếp \
             loại của các đơn vị này có thể thấp hơn thực tế.**"
        ),
        "{text}"
    );
    assert!(
        text.contains("**1 tiêu chí chưa có số liệu (20,00 điểm)**"),
        "{text}"
    );
    assert!(
        text.contains("chưa có số liệu cho `survey_points`"),
        "{text}"
    );
    let (text, _, _) = run(&["evaluate", "--scheme", SCHEME, "-f", "html", "-q", file]);
    assert!(text.contains("id=\"headline-gaps\""), "{text}");
    assert!(text.contains("1 tiêu chí chưa có số liệu (20,00 điểm)"));
    let (text, _, _) = run(&[
        "evaluate", "--scheme", SCHEME, "-f", "md", "-q", "--lang", "en", file,
    ]);
    assert!(
        text.contains("**1 criterion without input (20.00 points)**"),
        "{text}"
    );

    // The workbook: a column on the results, and a sheet of the gaps.
    let workbook_path = dir.path().join("kết-quả.xlsx");
    parscore(["evaluate", "--scheme", SCHEME, "-q", file, "-o"])
        .arg(&workbook_path)
        .assert()
        .success();
    let mut workbook = calamine::open_workbook_auto(&workbook_path).unwrap();
    let sheet = workbook.worksheet_range("Kết quả").unwrap();
    let row = (1..sheet.height())
        .find(|&r| sheet.get((r, 2)) == Some(&Data::String(UNIT.into())))
        .unwrap();
    assert_eq!(
        sheet.get((0, 10)),
        Some(&Data::String("chưa có số liệu".into()))
    );
    assert_eq!(sheet.get((row, 10)), Some(&Data::Float(1.0)));
    assert_eq!(sheet.get((row, 11)), Some(&Data::Float(20.0)));
    let gaps = workbook.worksheet_range("Chưa có số liệu").unwrap();
    assert_eq!(gaps.height(), 3);
}

#[test]
fn the_readme_records_example_scores_the_records_with_the_other_indicators() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let line = readme
        .lines()
        .find(|l| l.starts_with("parscore evaluate") && l.contains("--records"))
        .expect("the README scores records");
    let args: Vec<&str> = line
        .trim_start_matches("parscore ")
        .split_whitespace()
        .take_while(|w| !w.starts_with('#'))
        .collect();
    let mut with_json = args.clone();
    with_json.extend(["-f", "json"]);
    let (text, stderr, code) = run(&with_json);
    assert_eq!(code, 0, "{line}: {stderr}");
    let document: Json = serde_json::from_str(&text).unwrap();
    assert_eq!(results(&document).len(), 5);
    for result in results(&document) {
        // Only the survey points are still to come for the unit that lacks them in
        // units-2024-other.csv; nothing the records or the other indicators give is missing.
        assert!(
            result["missing"]["count"].as_u64().unwrap() <= 1,
            "{}: {}",
            result["unit"],
            result["missing"]
        );
        assert_ne!(result["grade"], "Yếu", "{}", result["unit"]);
    }
}

/// A scheme of one yes/no criterion scored `boolean` without a target, and one rate.
const YES_NO_SCHEME: &str = r#"
id = "yes-no"
title = "Đối thoại và hồ sơ"
version = "1"

[[grades]]
name = "Tốt"
min_index = 80

[[indicators]]
id = "business_dialogue_held"
title = "Hội nghị đối thoại với doanh nghiệp"
kind = "bool"

[[indicators]]
id = "on_time_rate"
title = "Tỷ lệ hồ sơ đúng hạn"
kind = "percent"

[[areas]]
code = "I"
title = "Chỉ đạo, điều hành"

[[areas.criteria]]
code = "I.6"
title = "Hội nghị đối thoại với doanh nghiệp, Hợp tác xã"
indicator = "business_dialogue_held"
max_points = 1
rule = { kind = "boolean" }
lead = "Phòng Kế hoạch Tài chính"
timeline = "Quý II/2024"

[[areas.criteria]]
code = "I.7"
title = "Tỷ lệ hồ sơ đúng hạn"
indicator = "on_time_rate"
max_points = 2
target = ">= 99"
rule = { kind = "threshold" }
lead = "Văn phòng Sở"
"#;

#[test]
fn a_no_on_a_yes_no_criterion_is_a_failing_target_whatever_its_rule() {
    let dir = tempfile::tempdir().unwrap();
    let scheme = dir.path().join("yes-no.toml");
    std::fs::write(&scheme, YES_NO_SCHEME).unwrap();
    let units = dir.path().join("units.csv");
    std::fs::write(
        &units,
        "unit,period,business_dialogue_held,on_time_rate\n\
         Chi cục Thủy lợi,2024,không,99.5\n\
         Sở NN&PTNT,2024,có,\n",
    )
    .unwrap();
    let scheme = scheme.to_str().unwrap();
    let units = units.to_str().unwrap();

    let (md, _, code) = run(&["evaluate", "--scheme", scheme, "-f", "md", "-q", units]);
    assert_eq!(code, 0);
    let thuy_loi = &md[md.find("## Chi cục Thủy lợi").unwrap()..];
    let thuy_loi = &thuy_loi[..thuy_loi.find("\n## ").unwrap_or(thuy_loi.len())];
    assert!(
        thuy_loi.contains("**Phòng Kế hoạch Tài chính**"),
        "{thuy_loi}"
    );
    assert!(
        thuy_loi.contains(
            "| I.6 | Hội nghị đối thoại với doanh nghiệp, Hợp tác xã | không |  |  | 1,00 | Quý II/2024 |"
        ),
        "{thuy_loi}"
    );
    // A criterion without input is a gap, listed apart, not a failing target.
    let so = &md[md.find("## Sở NN&PTNT").unwrap()..];
    let failing = &so[..so.find("### Điểm có thể khôi phục").unwrap()];
    assert!(!failing.contains("| I.7 |"), "{failing}");
    assert!(so.contains("- I.7 Tỷ lệ hồ sơ đúng hạn: chưa có số liệu cho `on_time_rate`"));

    let (html, _, _) = run(&["evaluate", "--scheme", scheme, "-f", "html", "-q", units]);
    assert!(html.contains("<tr class=\"failing-target\" data-code=\"I.6\">"));

    let workbook = dir.path().join("r.xlsx");
    parscore(["evaluate", "--scheme", scheme, "-q", units, "-o"])
        .arg(&workbook)
        .assert()
        .success();
    let mut workbook = calamine::open_workbook_auto(&workbook).unwrap();
    let failing = workbook.worksheet_range("Tiêu chí không đạt").unwrap();
    assert_eq!(failing.height(), 2);
    assert_eq!(
        failing.get((1, 1)),
        Some(&Data::String("Chi cục Thủy lợi".into()))
    );
    assert_eq!(failing.get((1, 3)), Some(&Data::String("I.6".into())));
}

#[test]
fn not_applicable_is_na_in_the_csv_and_its_status_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let units = vietnamese_units(dir.path());
    let (text, _, code) = run(&[
        "evaluate",
        "--scheme",
        SCHEME,
        "-f",
        "csv",
        "-q",
        units.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // Chi cục Thủy lợi received no dossiers: its on-time rate does not apply.
    let thuy_loi = records
        .iter()
        .find(|r| &r[2] == "Chi cục Thủy lợi")
        .unwrap();
    assert_eq!(&thuy_loi[column("III.4.1")], "n/a");
    assert_eq!(&thuy_loi[column("III.4.1_status")], "not_applicable");
    // Its survey points are missing: 0 points, and the status says why.
    assert_eq!(&thuy_loi[column("KS.1")], "0");
    assert_eq!(&thuy_loi[column("KS.1_status")], "missing");
    // A failed target is 0 too, but scored.
    assert_eq!(&thuy_loi[column("I.6")], "0");
    assert_eq!(&thuy_loi[column("I.6_status")], "scored");
}
