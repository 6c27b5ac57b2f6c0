//! Schemes as Excel workbooks, everywhere the command takes a scheme: `--scheme x.xlsx`,
//! `scheme check x.xlsx` with every problem at its sheet and cell, `scheme show … --format
//! xlsx -o` (never over the scheme being read) and back to TOML.

mod common;

use std::path::Path;

use common::{CSV, SCHEME, normalized, parscore, without_sources};
use predicates::prelude::*;
use rust_xlsxwriter::Workbook;
use serde_json::Value as Json;

/// A cell as a person types it: text, or a number.
#[derive(Clone, Copy)]
enum C<'a> {
    T(&'a str),
    N(f64),
}
use C::{N, T};

fn write_workbook(path: &Path, sheets: &[(&str, Vec<Vec<C>>)]) {
    let mut book = Workbook::new();
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    T("") => {}
                    T(text) => {
                        sheet.write_string(r as u32, c as u16, *text).unwrap();
                    }
                    N(n) => {
                        sheet.write_number(r as u32, c as u16, *n).unwrap();
                    }
                }
            }
        }
    }
    book.save(path).unwrap();
}

/// A small instrument typed into Excel by a province: settings, indicators, and criteria
/// with Vietnamese headers (one in decomposed Unicode), bands as the instrument words them.
fn instrument(criteria_rows: Vec<Vec<C<'static>>>) -> Vec<(&'static str, Vec<Vec<C<'static>>>)> {
    let mut criteria = vec![
        vec![T("BỘ TIÊU CHÍ ĐÁNH GIÁ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH")],
        vec![
            T("STT"),
            T("Li\u{303}nh vư\u{323}c/Tiêu chi\u{301}"),
            T("Điểm tối đa"),
            T("Chỉ tiêu"),
            T("Mục tiêu"),
            T("Phương pháp chấm điểm"),
            T("Đơn vị chủ trì"),
        ],
    ];
    criteria.extend(criteria_rows);
    vec![
        (
            "Thông tin",
            vec![
                vec![T("Mã bộ tiêu chí"), T("tinh-x-2025")],
                vec![T("Tên bộ tiêu chí"), T("Chỉ số CCHC các sở 2025")],
                vec![T("Phiên bản"), T("1")],
            ],
        ),
        (
            "Chỉ tiêu",
            vec![
                vec![
                    T("Mã chỉ tiêu"),
                    T("Tên chỉ tiêu"),
                    T("Loại"),
                    T("Tử số"),
                    T("Mẫu số"),
                ],
                vec![T("reports_on_time"), T("Báo cáo đúng hạn"), T("có/không")],
                vec![T("on_time"), T("Hồ sơ đúng hạn"), T("số lượng")],
                vec![T("resolved"), T("Hồ sơ đã giải quyết"), T("số lượng")],
                vec![
                    T("on_time_rate"),
                    T("Tỷ lệ hồ sơ đúng hạn"),
                    T("tỷ lệ %"),
                    T("on_time"),
                    T("resolved"),
                ],
            ],
        ),
        ("Tiêu chí", criteria),
    ]
}

fn good_rows() -> Vec<Vec<C<'static>>> {
    vec![
        vec![T("I"), T("Công tác chỉ đạo, điều hành"), N(1.0)],
        vec![
            T("I.1"),
            T("Báo cáo CCHC định kỳ"),
            N(1.0),
            T("reports_on_time"),
            T("có"),
            T("Đạt/không đạt"),
            T("Văn phòng Sở"),
        ],
        vec![T("II"), T("Cải cách TTHC"), N(2.0)],
        vec![
            T("II.1"),
            T("Tỷ lệ hồ sơ đúng hạn"),
            N(2.0),
            T("on_time_rate"),
            T("≥ 99%"),
            T("Từ 99% trở lên: 2 điểm;\nTừ 95% đến dưới 99%: 1,5 điểm;\nDưới 95%: 0 điểm."),
            T("Bộ phận Một cửa"),
        ],
    ]
}

fn stdout_of(args: &[&str]) -> Vec<u8> {
    let output = parscore(args).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

#[test]
fn the_plan_as_a_workbook_checks_converts_back_and_scores_as_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("kế-hoạch.xlsx");
    let xlsx = xlsx.to_str().unwrap();
    parscore(["scheme", "show", SCHEME, "--format", "xlsx", "-o", xlsx])
        .assert()
        .code(0)
        .stdout("");
    parscore(["scheme", "check", xlsx])
        .assert()
        .code(0)
        .stdout(format!(
            "{xlsx}: ok (59 criteria, 71 indicators, max 100.00 points, estimated points)\n"
        ));
    // Back to TOML and JSON: the same file as the built-in plan's.
    for format in ["toml", "json"] {
        assert_eq!(
            String::from_utf8(stdout_of(&["scheme", "show", xlsx, "--format", format])).unwrap(),
            String::from_utf8(stdout_of(&["scheme", "show", SCHEME, "--format", format])).unwrap(),
            "{format}"
        );
    }
    // The format follows the name given to -o.
    let toml = dir.path().join("plan.toml");
    parscore(["scheme", "show", xlsx, "-o", toml.to_str().unwrap()])
        .assert()
        .code(0);
    assert_eq!(
        std::fs::read(&toml).unwrap(),
        stdout_of(&["scheme", "show", SCHEME])
    );
    // Scored with the workbook, the units score as with the built-in plan.
    let scored = |scheme: &str| -> Json {
        let out = stdout_of(&[
            "evaluate", "--scheme", scheme, "--format", "json", "-q", CSV,
        ]);
        normalized(&without_sources(&serde_json::from_slice(&out).unwrap()))
    };
    assert_eq!(scored(xlsx), scored(SCHEME));
    // And explain takes it too.
    parscore([
        "explain",
        "--scheme",
        xlsx,
        "--unit",
        "Sở NN&PTNT",
        CSV,
        "--to-grade",
        "Xuất sắc",
    ])
    .assert()
    .code(0)
    .stdout(predicate::str::contains("path to Xuất sắc from 90"));
}

#[test]
fn show_never_writes_over_the_scheme_it_reads() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("plan.xlsx");
    let xlsx = xlsx.to_str().unwrap();
    parscore(["scheme", "show", SCHEME, "-o", xlsx])
        .assert()
        .code(0);
    let before = std::fs::read(xlsx).unwrap();
    parscore(["scheme", "show", xlsx, "--format", "xlsx", "-o", xlsx])
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!(
            "parscore: --output {xlsx} is the scheme: writing the output there would destroy \
             it; choose another file\n"
        ));
    assert_eq!(std::fs::read(xlsx).unwrap(), before);
    // A name whose format cannot be told is refused before anything is written.
    let txt = dir.path().join("plan.txt");
    parscore(["scheme", "show", SCHEME, "-o", txt.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "give --format (toml, json or xlsx)",
        ));
    assert!(!txt.exists());
}

#[test]
fn an_instrument_typed_in_excel_scores_and_its_mistakes_are_located_at_their_cells() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("bo-tieu-chi.xlsx");
    write_workbook(&good, &instrument(good_rows()));
    let good = good.to_str().unwrap();
    parscore(["scheme", "check", good])
        .assert()
        .code(0)
        .stdout(format!(
            "{good}: ok (2 criteria, 4 indicators, max 3.00 points)\n"
        ));
    // Vietnamese input: decomposed names, `có`, counts.
    let units = dir.path().join("don-vi.csv");
    std::fs::write(
        &units,
        "unit,period,reports_on_time,on_time,resolved\n\
         So\u{31b}\u{309} Tư pháp,2025,có,990,1000\n\
         Sở Y tế,2025,không,9899,10000\n",
    )
    .unwrap();
    let out = stdout_of(&[
        "evaluate",
        "--scheme",
        good,
        "--format",
        "json",
        units.to_str().unwrap(),
    ]);
    let document: Json = serde_json::from_slice(&out).unwrap();
    let results = document["results"].as_array().unwrap();
    assert_eq!(results[0]["unit"], "Sở Tư pháp");
    assert_eq!(results[0]["points"].to_string(), "3");
    // 98.99% falls in the band from 95% to below 99%: 1.5 points.
    assert_eq!(results[1]["points"].to_string(), "1.5");

    // A band that leaves its bound out, a leaf without its maximum, an unknown indicator.
    let mut rows = good_rows();
    rows[1][3] = T("report_on_time");
    rows[3][2] = T("");
    rows[3][5] = T("Trên 99%: 2 điểm; dưới 99%: 0");
    let bad = dir.path().join("sai.xlsx");
    write_workbook(&bad, &instrument(rows));
    let bad = bad.to_str().unwrap();
    let output = parscore(["scheme", "check", bad]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&format!("{bad}: Tiêu chí!F6: II.1: ")) && l.contains("`trên`")),
        "{stderr}"
    );
    assert_eq!(lines.len(), 2, "{stderr}");
    assert_eq!(lines[1], format!("parscore: {bad}: 1 problem"));
    // Reading stops at what cannot be read; once the band is mended, the validation's
    // problems are placed back at their cells.
    let mut rows = good_rows();
    rows[1][3] = T("report_on_time");
    rows[3][2] = T("");
    write_workbook(Path::new(bad), &instrument(rows));
    let output = parscore(["evaluate", "--scheme", bad, CSV])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(&format!(
            "{bad}: Tiêu chí!D4: I.1: `indicator`: indicator `report_on_time` is not declared"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{bad}: Tiêu chí!C6: II.1: `max_points`: ")),
        "{stderr}"
    );
    assert!(
        stderr.ends_with(&format!("parscore: {bad}: 3 problems\n")),
        "{stderr}"
    );
}

#[test]
fn what_is_no_workbook_is_refused_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("bo-tieu-chi.xlsx");
    std::fs::write(&fake, "id = \"x\"\n").unwrap();
    let fake = fake.to_str().unwrap();
    parscore(["scheme", "check", fake])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(format!(
            "parscore: cannot read {fake}: not an Excel workbook"
        )));
    let binary = dir.path().join("scheme.toml");
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x41]).unwrap();
    parscore(["scheme", "check", binary.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not UTF-8 text"));
}
