//! Bonus points (điểm thưởng), penalty points (điểm trừ) and a rank policy in every output
//! of `evaluate` and in `explain`: Vietnamese data (decimal commas, a decomposed name, `có`
//! and `x`) scored on the golden cases' schemes.

mod common;

use std::io::Write;

use calamine::{Data, Reader};
use common::parscore;
use serde_json::Value as Json;

const BONUS: &str = "tests/golden/bonus-capped/scheme.toml";
const PENALTIES: &str = "tests/golden/penalties-capped/scheme.toml";
const TIES: &str = "tests/golden/ranking-tie-break/scheme.toml";

/// Units as a Vietnamese-locale Excel saves them: `;`, decimal commas, one name decomposed.
const BONUS_CSV: &str = "unit;period;on_time_rate;survey_points;initiative;awards\n\
    Sở Tư pháp;2024;90;3,5;có;3\n\
    Sở Y tế;2024;80;3;không;1\n\
    So\u{31b}\u{309} Xây dựng;2024;95;4;x;\n";

const PENALTIES_CSV: &str = "unit;period;on_time_rate;survey_points;reprimands;violation\n\
    Sở Công Thương;2024;100;4;1;không\n\
    Sở Nội vụ;2024;100;4;5;có\n\
    Thanh tra tỉnh;2024;0;1;4;x\n\
    Sở Ngoại vụ;2024;90;3,6;n/a;\n";

const TIES_CSV: &str = "unit;period;on_time_rate;survey_points\n\
    Sở GTVT;2018;87;17,3\n\
    Sở KH&CN;2018;87,5;16,9\n\
    Sở Công Thương;2018;87;17,2\n\
    Sở Ngoại vụ;2018;87;17,2\n";

fn csv_file(text: &str) -> tempfile::NamedTempFile {
    let mut file = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
    file.write_all(text.as_bytes()).unwrap();
    file
}

fn evaluate(scheme: &str, input: &tempfile::NamedTempFile, extra: &[&str]) -> String {
    let output = parscore(["evaluate", "--scheme", scheme, "--decimal", ",", "-q"])
        .args(extra)
        .arg(input.path())
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn json_and_csv_carry_the_bonus_and_penalty_points() {
    let input = csv_file(BONUS_CSV);
    let document: Json = serde_json::from_str(&evaluate(BONUS, &input, &["-f", "json"])).unwrap();
    let results = document["results"].as_array().unwrap();
    let figures: Vec<(&str, f64, f64, f64)> = results
        .iter()
        .map(|r| {
            (
                r["unit"].as_str().unwrap(),
                r["points"].as_f64().unwrap(),
                r["bonus_points"].as_f64().unwrap(),
                r["index"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        figures,
        [
            ("Sở Tư pháp", 10.0, 1.5, 100.0),
            ("Sở Y tế", 8.3, 0.5, 83.0),
            ("Sở Xây dựng", 10.0, 1.0, 100.0)
        ]
    );
    assert_eq!(document["scheme"]["bonus"]["cap"], 1.5);
    assert!(results[0].get("penalty_points").is_none());

    let input = csv_file(PENALTIES_CSV);
    let csv = evaluate(PENALTIES, &input, &["-f", "csv"]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "row,source,unit,period,status,error,points,max_points,penalty_points,index,grade,rank,\
         missing,missing_points,I.1,II.1,TR.1,TR.2,I.1_status,II.1_status,TR.1_status,TR.2_status"
    );
    let second: Vec<&str> = lines.nth(1).unwrap().split(',').collect();
    assert_eq!(&second[2..4], ["Sở Nội vụ", "2024"]);
    assert_eq!(&second[6..12], ["8", "10", "2", "80", "Tốt", "3"]);
    assert_eq!(&second[16..18], ["-1.5", "-1"]);
}

#[test]
fn the_table_and_reports_say_diem_thuong_and_diem_tru() {
    let input = csv_file(BONUS_CSV);
    let table = evaluate(BONUS, &input, &[]);
    assert!(table.contains("điểm thưởng"), "{table}");
    assert!(table.contains("1,50"), "{table}");
    let md = evaluate(BONUS, &input, &["-f", "md"]);
    for part in [
        "| xếp hạng | đơn vị | kỳ | điểm đạt | điểm tối đa | điểm thưởng | Chỉ số |",
        "| 1 | [Sở Tư pháp](#unit-1) | 2024 | 10,00 | 10,00 | 1,50 | 100,00 | Tốt |",
        "### Điểm thưởng và điểm trừ",
        "**Điểm thưởng (TH)**: 1,50 (tối đa 1,50)",
        "| TH.1 | Có sáng kiến CCHC được công nhận | có | 1,00 |",
        "- Điểm thưởng: tối đa 1,50 điểm, cộng vào tổng điểm, ngoài điểm tối đa; tổng điểm \
         không vượt quá điểm tối đa (chỉ số không quá 100)",
    ] {
        assert!(md.contains(part), "{part:?} in\n{md}");
    }
    // A bonus not earned is no failing target: each unit lists TH.1 once, in its section.
    assert_eq!(md.matches("\n| TH.1 |").count(), 3, "{md}");

    let input = csv_file(PENALTIES_CSV);
    let html = evaluate(PENALTIES, &input, &["-f", "html"]);
    for part in [
        "<th class=\"num\">điểm trừ</th>",
        "<td class=\"num penalty\">2,00</td>",
        "<table class=\"sections\">",
        "<p><strong>Điểm trừ (TR)</strong>: 2,00 (tối đa 2,00)</p>",
        "<tr><td>TR.1</td><td>Bị phê bình, nhắc nhở về CCHC</td><td class=\"num\">5</td>\
         <td class=\"num\">-1,50</td></tr>",
        "<tr><th>điểm trừ</th><td>tối đa 2,00 điểm, trừ vào tổng điểm (không dưới 0)</td></tr>",
    ] {
        assert!(html.contains(part), "{part:?} in\n{html}");
    }
    let english = evaluate(PENALTIES, &input, &["-f", "md", "--lang", "en"]);
    assert!(english.contains("| rank | unit | period | points | max | penalty | index |"));
}

#[test]
fn ranks_follow_the_schemes_tie_break_everywhere() {
    let input = csv_file(TIES_CSV);
    let document: Json = serde_json::from_str(&evaluate(TIES, &input, &["-f", "json"])).unwrap();
    let ranks: Vec<(&str, u64)> = document["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["unit"].as_str().unwrap(), r["rank"].as_u64().unwrap()))
        .collect();
    // 86.9, 86.9, 86.8, 86.8: area II decides, then area I; the last two are equal in both.
    assert_eq!(
        ranks,
        [
            ("Sở GTVT", 1),
            ("Sở KH&CN", 2),
            ("Sở Công Thương", 3),
            ("Sở Ngoại vụ", 3)
        ]
    );
    assert_eq!(
        document["scheme"]["ranking"],
        serde_json::json!({"ties": "reported", "tie_break": ["II", "I"]})
    );
    let md = evaluate(TIES, &input, &["-f", "md"]);
    assert!(
        md.contains(
            "- Khi bằng điểm: chỉ số báo cáo bằng nhau thì xét điểm II, rồi điểm I: cao hơn xếp \
             trên; vẫn bằng nhau thì đồng hạng"
        ),
        "{md}"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ranks.xlsx");
    parscore(["evaluate", "--scheme", TIES, "--decimal", ",", "-q", "-o"])
        .arg(&path)
        .arg(input.path())
        .assert()
        .success();
    let mut workbook = calamine::open_workbook_auto(&path).unwrap();
    let results = workbook.worksheet_range("Kết quả").unwrap();
    let ranks: Vec<&Data> = (1..=4).map(|r| results.get((r, 9)).unwrap()).collect();
    assert_eq!(
        ranks,
        [1.0, 2.0, 3.0, 3.0]
            .map(Data::Float)
            .iter()
            .collect::<Vec<_>>()
    );
    let scheme = workbook.worksheet_range("Bộ tiêu chí").unwrap();
    assert!(
        scheme
            .rows()
            .any(|row| row.first() == Some(&Data::String("khi bằng điểm".into())))
    );
}

#[test]
fn the_workbook_has_a_column_for_each_section() {
    let input = csv_file(PENALTIES_CSV);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("penalties.xlsx");
    parscore([
        "evaluate",
        "--scheme",
        PENALTIES,
        "--decimal",
        ",",
        "-q",
        "-o",
    ])
    .arg(&path)
    .arg(input.path())
    .assert()
    .success();
    let mut workbook = calamine::open_workbook_auto(&path).unwrap();
    let results = workbook.worksheet_range("Kết quả").unwrap();
    // The areas I and II, then the penalty points, after the columns every scheme has.
    assert_eq!(results.get((0, 15)), Some(&Data::String("điểm trừ".into())));
    let nội_vụ = (1..results.height())
        .find(|&r| results.get((r, 2)) == Some(&Data::String("Sở Nội vụ".into())))
        .unwrap();
    assert_eq!(results.get((nội_vụ, 15)), Some(&Data::Float(2.0)));
}

#[test]
fn explain_shows_how_the_total_is_made() {
    let input = csv_file(PENALTIES_CSV);
    let output = parscore([
        "explain",
        "--scheme",
        PENALTIES,
        "--decimal",
        ",",
        "--unit",
        "Sở Nội vụ",
    ])
    .arg(input.path())
    .output()
    .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("10") && text.contains("TR.1") && text.contains("5 × 0.5, at most 1.5: -1.5"),
        "{text}"
    );
}
