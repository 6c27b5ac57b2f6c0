//! `parscore sensitivity`: the units read as `evaluate` reads them (here Vietnamese files,
//! decimal commas, `x` and `có`), every output format, the JSON keys scripts rely on, the
//! run reproduced by its seed on any number of threads, the model's defaults and files.

mod common;

use std::io::Cursor;

use calamine::{Reader, Xlsx};
use common::{BAD_ROWS, CSV, SCHEME, parscore};
use parscore::Decimal;
use predicates::prelude::*;
use serde_json::Value as Json;

const VI_CSV: &str = "examples/data/units-2024-vi.csv";

fn sensitivity(extra: &[&str]) -> std::process::Output {
    let mut args = vec!["sensitivity", "--scheme", SCHEME];
    args.extend_from_slice(extra);
    parscore(&args).output().unwrap()
}

/// The JSON document of a run on the Vietnamese example file.
fn document(extra: &[&str]) -> Json {
    let mut args = vec!["--decimal", ",", "--format", "json", "-q", VI_CSV];
    args.extend_from_slice(extra);
    let output = sensitivity(&args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn decimal(value: &Json) -> Decimal {
    value.as_str().unwrap().parse().unwrap()
}

#[test]
fn the_json_document_has_the_keys_scripts_rely_on_and_its_figures_hold() {
    let document = document(&["--samples", "300", "--seed", "7"]);
    assert_eq!(document["scheme"], SCHEME);
    assert_eq!(document["samples"], 300);
    assert_eq!(document["seed"], 7);
    assert_eq!(
        document["model"],
        serde_json::json!({"file": null, "weights": "20", "default": true})
    );
    let units = document["units"].as_array().unwrap();
    assert_eq!(units.len(), 5);
    for unit in units {
        for key in [
            "unit", "period", "index", "p05", "p50", "p95", "grades", "rank_p05", "rank_p95",
            "source",
        ] {
            assert!(unit.get(key).is_some(), "{key} in {unit}");
        }
        let (p05, p50, p95) = (
            decimal(&unit["p05"]),
            decimal(&unit["p50"]),
            decimal(&unit["p95"]),
        );
        assert!(p05 <= p50 && p50 <= p95, "{unit}");
        let grades = unit["grades"].as_object().unwrap();
        assert_eq!(
            grades.keys().collect::<Vec<_>>(),
            ["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"]
        );
        let total: f64 = grades.values().map(|p| p.as_f64().unwrap()).sum();
        assert!((total - 1.0).abs() < 1e-9, "{total}");
        assert!(
            grades
                .values()
                .all(|p| (0.0..=1.0).contains(&p.as_f64().unwrap()))
        );
        assert!(unit["rank_p05"].as_u64() <= unit["rank_p95"].as_u64());
    }
    // The unit read from `9.899/10.000` and `16,85` is the one evaluate scores.
    assert_eq!(units[0]["unit"], "Sở NN&PTNT");
    assert_eq!(units[0]["index"], "90.57");
    assert_eq!(units[0]["source"]["line"], 2);
    // Chi cục Thủy lợi, 78.73 with no survey points yet, is the uncertain one.
    assert_eq!(units[2]["missing"]["count"], 1);
    assert!(decimal(&units[2]["p95"]) - decimal(&units[2]["p05"]) > Decimal::ONE);
    let shares = document["variance_share"].as_array().unwrap();
    assert!(!shares.is_empty());
    for share in shares {
        for key in ["code", "first", "total", "first_se", "total_se"] {
            assert!(share.get(key).is_some(), "{key} in {share}");
        }
    }
    assert!(shares.iter().any(|s| s["code"] == "KS"));
}

#[test]
fn a_seed_gives_the_same_results_on_any_number_of_threads() {
    let one = document(&["--samples", "200", "--seed", "11", "--threads", "1"]);
    let two = document(&["--samples", "200", "--seed", "11", "--threads", "2"]);
    assert_eq!(one, two);
    let other = document(&["--samples", "200", "--seed", "12", "--threads", "2"]);
    assert_ne!(one["units"], other["units"]);
    // The default for an estimated scheme is its points ±20%: the same draws as --weights 20.
    let weights = document(&["--samples", "200", "--seed", "11", "--weights", "20"]);
    assert_eq!(one["units"], weights["units"]);
    assert_eq!(one["variance_share"], weights["variance_share"]);
}

#[test]
fn with_nothing_uncertain_every_sample_is_the_index() {
    let output = sensitivity(&["--weights", "0", "--samples", "50", "--format", "json", CSV]);
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("seed 0: `--seed 0` gives these results again; nothing varies"),
        "{stderr}"
    );
    let document: Json = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["varies"], false);
    for unit in document["units"].as_array().unwrap() {
        for key in ["p05", "p50", "p95"] {
            assert_eq!(unit[key], unit["index"], "{key}");
        }
        let grade = unit["grade"].as_str().unwrap();
        assert_eq!(unit["grades"][grade], 1.0);
    }
    // The table says so in Vietnamese.
    let output = sensitivity(&["--weights", "0", "--samples", "20", "-q", CSV]);
    let table = String::from_utf8(output.stdout).unwrap();
    assert!(
        table.contains("Không có gì thay đổi theo mô hình này"),
        "{table}"
    );
}

#[test]
fn every_format_is_written_in_vietnamese_or_english() {
    let dir = tempfile::tempdir().unwrap();
    let common = ["--decimal", ",", "--samples", "120", "-q", VI_CSV];
    let run = |name: &str, extra: &[&str]| -> Vec<u8> {
        let path = dir.path().join(name);
        let mut args: Vec<&str> = common.to_vec();
        args.extend_from_slice(extra);
        args.extend(["-o", path.to_str().unwrap()]);
        let output = sensitivity(&args);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        std::fs::read(path).unwrap()
    };
    let table = String::from_utf8(run("bang.txt", &[])).unwrap();
    for text in [
        "p50 (trung vị)",
        "xác suất xếp loại",
        "120 mẫu, hạt giống ngẫu nhiên (seed) 0",
        "Chi cục Trồng trọt và BVTV",
        "Tỷ trọng phương sai theo yếu tố",
        "Điều tra xã hội học (khảo sát)",
    ] {
        assert!(table.contains(text), "{text}:\n{table}");
    }
    let english = String::from_utf8(run("table.txt", &["--lang", "en"])).unwrap();
    assert!(english.contains("p50 (median)") && english.contains("120 samples, seed 0"));

    let csv = String::from_utf8(run("ket-qua.csv", &[])).unwrap();
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().starts_with(
        "row,source,unit,period,status,error,index,grade,rank,p05,p50,p95,rank_p05,rank_p95,\
         missing,P(Xuất sắc),P(Tốt)"
    ));
    assert_eq!(lines.count(), 5);

    let markdown = String::from_utf8(run("bao-cao.md", &[])).unwrap();
    assert!(markdown.starts_with("# Độ tin cậy của Chỉ số CCHC"));
    assert!(markdown.contains("## Tỷ trọng phương sai theo yếu tố"));
    assert!(
        markdown.contains("| 4 | Sở NN&PTNT | 2024 | 90,57 |"),
        "{markdown}"
    );

    let html = String::from_utf8(run("bao-cao.html", &[])).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"vi\">"));
    let fan = &html[html.find("<svg class=\"fan-chart\"").unwrap()..];
    let fan = &fan[..fan.find("</svg>").unwrap()];
    assert_eq!(fan.matches("<g class=\"unit\"").count(), 5);
    assert_eq!(fan.matches("<rect class=\"band\"").count(), 5);
    assert_eq!(fan.matches("<line class=\"median\"").count(), 5);
    // The thresholds of Tốt (80) and Xuất sắc (90) lie among these units' indices.
    assert!(fan.contains(">Tốt từ 80</text>") && fan.contains(">Xuất sắc từ 90</text>"));
    let ranks = &html[html.find("<svg class=\"rank-chart\"").unwrap()..];
    assert_eq!(
        ranks[..ranks.find("</svg>").unwrap()]
            .matches("<g class=\"unit\"")
            .count(),
        5
    );
    assert!(html.contains("id=\"variance-shares\""));
    assert!(!html.contains("<script"));

    let workbook = run("ket-qua.xlsx", &[]);
    let sheets = Xlsx::new(Cursor::new(workbook)).unwrap().sheet_names();
    assert_eq!(sheets, ["Độ bất định", "Tỷ trọng phương sai", "Thiết lập"]);
    let workbook = run("results.xlsx", &["--lang", "en"]);
    let sheets = Xlsx::new(Cursor::new(workbook)).unwrap().sheet_names();
    assert_eq!(sheets, ["Uncertainty", "Variance shares", "Settings"]);
}

#[test]
fn a_model_file_varies_the_unknown_survey_and_its_mistakes_are_located() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("mô-hình.toml");
    std::fs::write(
        &model,
        "[weights]\nspread = 10\nfixed = [\"KS\"]\n\n[[inputs]]\nindicator = \
         \"survey_points\"\nrange = [14, 19]\nonly_missing = true\n",
    )
    .unwrap();
    let model = model.to_str().unwrap();
    let varied = document(&["--model", model, "--samples", "300"]);
    assert_eq!(
        varied["model"],
        serde_json::json!({"file": model, "weights": null, "default": false})
    );
    let units = varied["units"].as_array().unwrap();
    // Chi cục Thủy lợi has no survey points: drawn in 14–19, its index spans the grades.
    let p05 = decimal(&units[2]["p05"]);
    let p95 = decimal(&units[2]["p95"]);
    assert!(p95 - p05 > Decimal::from(3), "{p05}–{p95}");
    assert!(
        varied["variance_share"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["code"] == "survey_points")
    );
    // --weights replaces the file's [weights]; its inputs stay.
    let both = document(&["--model", model, "--weights", "0", "--samples", "300"]);
    assert_eq!(both["model"]["weights"], "0");
    assert_eq!(both["units"][0]["p05"], both["units"][0]["p50"]);
    assert_ne!(both["units"][2]["p05"], both["units"][2]["p95"]);

    // A mistake is named at its line and column, with what is at fault.
    let bad = dir.path().join("sai.toml");
    std::fs::write(
        &bad,
        "[weights]\nspread = 20\n\n[[inputs]]\nindicator = \"survey_point\"\nrange = [14, 19]\n",
    )
    .unwrap();
    let bad = bad.to_str().unwrap();
    let output = sensitivity(&["--model", bad, CSV]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.starts_with(&format!("{bad}:5:")), "{stderr}");
    assert!(stderr.contains("survey_point"), "{stderr}");
    assert!(
        stderr.ends_with(&format!("parscore: {bad}: 1 problem\n")),
        "{stderr}"
    );
    // An unknown key, likewise.
    std::fs::write(dir.path().join("sai.toml"), "[weights]\nspred = 20\n").unwrap();
    sensitivity(&["--model", bad, CSV])
        .status
        .code()
        .filter(|c| *c == 2)
        .expect("exit 2");
}

#[test]
fn bad_rows_keep_their_place_and_error_and_the_others_are_studied() {
    let output = sensitivity(&["--samples", "50", "--format", "json", BAD_ROWS]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(&format!("parscore: {BAD_ROWS}:4: no `unit`")),
        "{stderr}"
    );
    let document: Json = serde_json::from_slice(&output.stdout).unwrap();
    let units = document["units"].as_array().unwrap();
    assert_eq!(units.len(), 7);
    let failed: Vec<&Json> = units.iter().filter(|u| !u["error"].is_null()).collect();
    assert_eq!(failed.len(), 5);
    for unit in failed {
        assert!(unit["p05"].is_null() && unit["source"]["line"].is_u64());
    }
}

#[test]
fn mistakes_of_the_command_line_are_refused_before_any_work() {
    sensitivity(&["--samples", "0", CSV])
        .status
        .code()
        .filter(|c| *c == 2)
        .expect("exit 2");
    let output = sensitivity(&["--weights", "150", CSV]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .starts_with("parscore: --weights: spread 150")
    );
    let output = sensitivity(&["--weights", "2o", CSV]);
    assert_eq!(output.status.code(), Some(2));
    // -o never names one of the command's own files.
    let dir = tempfile::tempdir().unwrap();
    let units = dir.path().join("units.csv");
    std::fs::copy(common::root().join(CSV), &units).unwrap();
    let units = units.to_str().unwrap();
    parscore(["sensitivity", "--scheme", SCHEME, units, "-o", units])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is an input"));
    let model = dir.path().join("model.toml");
    std::fs::write(&model, "").unwrap();
    let model = model.to_str().unwrap();
    parscore([
        "sensitivity",
        "--scheme",
        SCHEME,
        units,
        "--model",
        model,
        "-f",
        "json",
        "-o",
        model,
    ])
    .assert()
    .code(2)
    .stderr(predicate::str::contains("is the uncertainty model"));
}
