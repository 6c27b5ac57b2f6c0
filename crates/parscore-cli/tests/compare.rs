//! `parscore compare`: the golden comparisons through the command, every output format in
//! Vietnamese and English, Vietnamese inputs (`;`, decimal commas, NFD names, `x` and `có`),
//! the usage errors, and the README's examples.

mod common;

use std::io::Cursor;

use calamine::Reader;
use common::{SCHEME, parscore, root};
use serde_json::Value as Json;

const VI: &str = "examples/data/units-2024-vi.csv";
const APPRAISAL_VI: &str = "examples/data/units-2024-tham-dinh-vi.csv";

fn run(args: &[&str]) -> (Vec<u8>, String, i32) {
    let output = parscore(args).output().unwrap();
    (
        output.stdout,
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output.status.code().unwrap(),
    )
}

fn text(args: &[&str]) -> String {
    let (stdout, stderr, code) = run(args);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    String::from_utf8(stdout).unwrap()
}

#[test]
fn the_golden_comparisons_give_their_expected_documents() {
    let golden = root().join("tests/golden");
    let mut cases: Vec<_> = std::fs::read_dir(&golden)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("compare.json").is_file())
        .collect();
    cases.sort();
    assert!(cases.len() >= 2);
    for case in cases {
        let spec: Json =
            serde_json::from_str(&std::fs::read_to_string(case.join("compare.json")).unwrap())
                .unwrap();
        let pair = |key: &str| {
            spec[key]
                .as_array()
                .map(|p| format!("{},{}", p[0].as_str().unwrap(), p[1].as_str().unwrap()))
        };
        let mut args: Vec<String> = vec![
            "compare".into(),
            "--scheme".into(),
            spec["scheme"].as_str().unwrap().into(),
            "--format".into(),
            "json".into(),
            "--quiet".into(),
        ];
        for key in ["periods", "labels"] {
            if let Some(value) = pair(key) {
                args.extend([format!("--{key}"), value]);
            }
        }
        args.extend(
            spec["inputs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i.as_str().unwrap().to_string()),
        );
        let output = assert_cmd::Command::new(env!("CARGO_BIN_EXE_parscore"))
            .current_dir(&case)
            .args(&args)
            .output()
            .unwrap();
        let actual: Json = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            panic!(
                "{}: {e}: {}",
                case.display(),
                String::from_utf8_lossy(&output.stderr)
            )
        });
        let expected: Json =
            serde_json::from_str(&std::fs::read_to_string(case.join("expected.json")).unwrap())
                .unwrap();
        assert_eq!(actual, expected, "{}", case.display());
        let errors = expected["summary"]["errors"].as_u64().unwrap();
        assert_eq!(
            output.status.code(),
            Some(i32::from(errors > 0)),
            "{}",
            case.display()
        );
    }
}

#[test]
fn vietnamese_rounds_from_excel_csv_compare_and_list_the_explanations_due() {
    // Both files as a Vietnamese Excel saves them: `;`, decimal commas, thousands points,
    // `x` and `có`, unit names decomposed.
    let args = [
        "compare",
        "--scheme",
        SCHEME,
        "--decimal",
        ",",
        "--labels",
        "Tự đánh giá,Thẩm định",
        VI,
        APPRAISAL_VI,
        "-q",
    ];
    let md = text(&[&args[..], &["-f", "md"]].concat());
    for part in [
        "# So sánh Chỉ số CCHC: ",
        "Tự đánh giá → Thẩm định (hai vòng chấm): Chỉ số bình quân 92,66 → 92,34 (-0,32) của 5 \
         đơn vị có ở cả hai bên",
        "| đơn vị | kỳ | Chỉ số (Tự đánh giá) | Chỉ số (Thẩm định) | chênh lệch | xếp loại | xếp hạng | thay đổi |",
        "| Sở NN&PTNT | 2024 | 90,57 | 89,50 | -1,07 | Xuất sắc → Tốt | 4 | mới không đạt 2 |",
        "## Tiêu chí bị hạ điểm khi thẩm định",
        "| Sở NN&PTNT | I.6 | Hội nghị đối thoại với doanh nghiệp, Hợp tác xã | 1,00 | 0,00 | -1,00 | có → không | Phòng Kế hoạch Tài chính | có |",
        "### Thay đổi điểm theo lĩnh vực",
        "### Tiêu chí thay đổi (chênh lệch lớn nhất trước)",
    ] {
        assert!(md.contains(part), "{part:?} in\n{md}");
    }
    // The names, decomposed in both files, are one unit each, written composed.
    assert!(!md.contains("So\u{31b}\u{309}"));

    let json: Json = serde_json::from_str(&text(&[&args[..], &["-f", "json"]].concat())).unwrap();
    assert_eq!(json["kind"], "rounds");
    assert_eq!(json["units"].as_array().unwrap().len(), 5);
    let lowered = json["appraisal"].as_array().unwrap();
    assert_eq!(lowered.len(), 4);
    assert!(lowered.iter().all(|l| l["explanation_due"] == true));
    assert_eq!(lowered[0]["unit"], "Sở NN&PTNT");
    assert_eq!(lowered[0]["code"], "I.6");
    assert_eq!(
        (&lowered[0]["points_before"], &lowered[0]["points_after"]),
        (&Json::from("1"), &Json::from("0"))
    );

    let en = text(&[&args[..], &["-f", "md", "--lang", "en"]].concat());
    assert!(en.contains("# PAR Index comparison: "));
    assert!(en.contains("## Criteria the appraisal lowered"));
    assert!(en.contains("| Sở NN&PTNT | 2024 | 90.57 | 89.50 | -1.07 |"));
}

#[test]
fn two_years_in_every_format() {
    let base = [
        "compare",
        "--scheme",
        SCHEME,
        "examples/data/units-2024.csv",
        "examples/data/units-2025.csv",
        "-q",
    ];
    let table = text(&base);
    assert!(table.contains("So sánh Chỉ số CCHC: 2024 → 2025"));
    assert!(table.contains("chỉ có ở 2024"));
    assert!(table.contains("chỉ có ở 2025"));

    let csv = text(&[&base[..], &["-f", "csv"]].concat());
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(&reader.headers().unwrap()[0], "unit");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // Four units compared, 59 criteria each; one row each for the two on one side.
    assert_eq!(rows.len(), 4 * 59 + 2);

    let html = text(&[&base[..], &["-f", "html"]].concat());
    for part in [
        "<html lang=\"vi\">",
        "<svg class=\"rank-moves\"",
        "<g class=\"move up\" data-unit=\"Chi cục Thủy lợi\">",
        "<svg class=\"area-change\"",
        "<g class=\"area\" data-code=\"III\"",
        "<table class=\"changes\">",
        "id=\"estimated-banner\"",
    ] {
        assert!(html.contains(part), "{part:?}");
    }
    assert!(!html.contains("<script"));

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("so-sanh.xlsx");
    let path_text = path.to_str().unwrap();
    let (_, stderr, code) = run(&[&base[..], &["-o", path_text]].concat());
    assert_eq!(code, 0, "{stderr}");
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(std::fs::read(&path).unwrap())).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        ["So sánh", "Tiêu chí", "Bộ tiêu chí"]
    );
    let units = workbook.worksheet_range("So sánh").unwrap();
    assert_eq!(units.height(), 7);
}

#[test]
fn two_periods_of_one_input_and_what_is_refused() {
    let json = text(&[
        "compare",
        "--scheme",
        SCHEME,
        "--periods",
        "2024,2025.0",
        "examples/data/units-2024.csv",
        "examples/data/units-2025.csv",
        "-f",
        "json",
        "-q",
    ]);
    let json: Json = serde_json::from_str(&json).unwrap();
    assert_eq!(json["kind"], "periods");
    assert_eq!(json["labels"]["after"], "2025");
    assert_eq!(json["summary"]["both"], 4);

    for (args, says) in [
        (
            vec![
                "compare",
                "--scheme",
                SCHEME,
                "examples/data/units-2024.csv",
            ],
            "give two inputs, BEFORE and AFTER (1 given)",
        ),
        (
            vec![
                "compare",
                "--scheme",
                SCHEME,
                "--periods",
                "2024,2026",
                "examples/data/units-2024.csv",
            ],
            "no row is of period `2026` (the periods are: 2024)",
        ),
        (
            vec![
                "compare",
                "--scheme",
                SCHEME,
                "--periods",
                "2024",
                "examples/data/units-2024.csv",
            ],
            "--periods takes two names separated by a comma",
        ),
        (
            vec![
                "compare",
                "--scheme",
                SCHEME,
                "examples/data/units-2024.csv",
                "examples/data/units-2025.csv",
                "-o",
                "examples/data/units-2025.csv",
            ],
            "is an input",
        ),
    ] {
        let (_, stderr, code) = run(&args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{says:?} in {stderr}");
    }

    // A side holding a unit in two periods cannot say which to compare.
    let dir = tempfile::tempdir().unwrap();
    let both = dir.path().join("hai-nam.csv");
    let mut text_2024 =
        std::fs::read_to_string(root().join("examples/data/units-2024.csv")).unwrap();
    let year_2025 = std::fs::read_to_string(root().join("examples/data/units-2025.csv")).unwrap();
    text_2024.push_str(year_2025.lines().nth(1).unwrap());
    std::fs::write(&both, text_2024).unwrap();
    let (_, stderr, code) = run(&[
        "compare",
        "--scheme",
        SCHEME,
        both.to_str().unwrap(),
        "examples/data/units-2025.csv",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("holds `Sở NN&PTNT` in 2 periods (2024, 2025)"),
        "{stderr}"
    );
}

#[test]
fn a_bad_row_is_reported_and_listed_and_the_run_exits_1() {
    // The 2025 file with a rate written with a decimal comma, which `.` does not read.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("2025-loi.csv");
    let text = std::fs::read_to_string(root().join("examples/data/units-2025.csv")).unwrap();
    std::fs::write(&bad, text.replacen(",92.3,", ",\"92,3\",", 1)).unwrap();
    let (stdout, stderr, code) = run(&[
        "compare",
        "--scheme",
        SCHEME,
        "examples/data/units-2024.csv",
        bad.to_str().unwrap(),
        "-f",
        "json",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("2025-loi.csv:2 (unit `Sở NN&PTNT`)"),
        "{stderr}"
    );
    let json: Json = serde_json::from_slice(&stdout).unwrap();
    assert_eq!(json["summary"]["errors"], 1);
    let unit = &json["units"][0];
    assert_eq!(unit["unit"], "Sở NN&PTNT");
    assert_eq!(unit["presence"], "both");
    assert!(
        unit["error_after"]
            .as_str()
            .unwrap()
            .contains("online_full_services_rate")
    );
    assert_eq!(unit["criteria"], Json::Array(Vec::new()));
}

#[test]
fn the_readme_examples_run() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let lines: Vec<&str> = readme
        .lines()
        .filter(|l| l.starts_with("parscore compare") || l.starts_with("parscore records track"))
        // The lines of the example data; the others show a user's own files.
        .filter(|l| l.contains("examples/data/"))
        .collect();
    assert!(lines.len() >= 3, "{lines:?}");
    for line in lines {
        let words = shell_words(line.trim_start_matches("parscore "));
        let args: Vec<&str> = words.iter().map(String::as_str).collect();
        let (_, stderr, code) = run(&args);
        assert_eq!(code, 0, "{line}: {stderr}");
    }
}

/// Shell words: split on spaces, except inside double quotes; a `#` word ends the command.
fn shell_words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in command.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if word == "#" {
                    return words;
                }
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            _ => word.push(c),
        }
    }
    if !word.is_empty() && word != "#" {
        words.push(word);
    }
    words
}
