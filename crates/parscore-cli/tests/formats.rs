//! `evaluate` in every output format, on every input format, on the example data.

mod common;

use std::collections::BTreeSet;

use calamine::{Data, Reader};
use common::{CSV, JSON, SCHEME, XLSX, evaluate_json, parscore, results, root, without_sources};
use parscore::{Batch, IndicatorKind, Options, Scheme};
use predicates::prelude::*;
use serde_json::Value as Json;

/// The example data scored by the library itself, which the command must agree with.
fn library_batch() -> Batch {
    let scheme = Scheme::builtin(SCHEME).unwrap();
    let text = std::fs::read_to_string(root().join(JSON)).unwrap();
    let rows = parscore::rows_from_json(&text).unwrap();
    scheme.evaluate_batch(
        rows.iter().map(|row| scheme.inputs_from_row(row, false)),
        &Options::default(),
    )
}

fn stdout_of(args: &[&str]) -> String {
    let output = parscore(args).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn json_is_the_library_document_with_each_rows_source() {
    let (document, code) = evaluate_json(&[JSON]);
    assert_eq!(code, 0);
    assert_eq!(
        without_sources(&document),
        library_batch().report().to_json()
    );
    for (i, result) in results(&document).iter().enumerate() {
        assert_eq!(result["source"]["file"], JSON);
        assert_eq!(result["source"]["object"], i + 1);
    }
    // Exact digits: the decimal text of each figure, never a float's approximation.
    let batch = library_batch();
    let evaluation = batch.results[0].outcome.as_ref().unwrap();
    let first = &results(&document)[0];
    assert_eq!(
        first["points"].to_string(),
        evaluation.points().normalize().to_string()
    );
    assert_eq!(
        first["index"].to_string(),
        evaluation.index_rounded().unwrap().normalize().to_string()
    );
}

#[test]
fn json_to_a_file_is_the_text_standard_output_gets_and_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.json");
    let args = [
        "evaluate", "--scheme", SCHEME, CSV, JSON, "--format", "json", "-q",
    ];
    let printed = parscore(args).output().unwrap();
    let written = parscore(args).arg("-o").arg(&path).output().unwrap();
    assert_eq!(printed.status.code(), written.status.code());
    let text = std::fs::read(&path).unwrap();
    assert_eq!(text, printed.stdout);
    // The text serde_json gives the whole document, rendered before it is written: the
    // document is written one result at a time, and must not read differently.
    let document: Json = serde_json::from_slice(&text).unwrap();
    let mut pretty = serde_json::to_vec_pretty(&document).unwrap();
    pretty.push(b'\n');
    assert_eq!(text, pretty);
    // Nothing is left beside it: the report was written whole and renamed into place.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["results.json"]);
}

#[test]
fn csv_json_and_excel_inputs_give_the_same_results() {
    let (from_json, _) = evaluate_json(&[JSON]);
    let (from_csv, code) = evaluate_json(&[CSV]);
    assert_eq!(code, 0);
    let (from_xlsx, code) = evaluate_json(&[XLSX]);
    assert_eq!(code, 0);
    assert_eq!(without_sources(&from_csv), without_sources(&from_json));
    assert_eq!(without_sources(&from_xlsx), without_sources(&from_json));
    // Each says where its rows are, as a person finds them in the file.
    assert_eq!(results(&from_csv)[0]["source"]["line"], 2);
    assert_eq!(results(&from_xlsx)[4]["source"]["sheet"], "Units");
    assert_eq!(results(&from_xlsx)[4]["source"]["row"], 6);
}

/// `number` (a plain decimal) divided by 100 by moving its point: the double Excel
/// stores when `numbers`% is typed into a cell formatted as a percentage.
fn typed_as_percent(number: &str) -> f64 {
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let padded = format!("{whole:0>3}");
    let (units, hundredths) = padded.split_at(padded.len() - 2);
    format!("{units}.{hundredths}{fraction}").parse().unwrap()
}

#[test]
fn rates_formatted_as_percentages_in_excel_read_as_they_show() {
    // The example units as an analyst types them: every rate into a cell formatted `0.0%`
    // (98.7% is stored as 0.987), every other number into a plain cell.
    let scheme = Scheme::builtin(SCHEME).unwrap();
    let rates: BTreeSet<&str> = scheme
        .indicators()
        .iter()
        .filter(|i| i.kind == IndicatorKind::Percent)
        .map(|i| i.id.as_str())
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("percent.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    let percent = rust_xlsxwriter::Format::new().set_num_format("0.0%");
    let mut reader = csv::Reader::from_path(root().join(CSV)).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let mut formatted = 0;
    for (c, name) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, name).unwrap();
    }
    for (r, record) in reader.records().enumerate() {
        let (r, record) = (r as u32 + 1, record.unwrap());
        for (c, text) in record.iter().enumerate() {
            let c = c as u16;
            match text.parse::<f64>() {
                Ok(_) if rates.contains(header[c as usize].as_str()) => {
                    let stored = typed_as_percent(text);
                    sheet
                        .write_number_with_format(r, c, stored, &percent)
                        .unwrap();
                    formatted += 1;
                }
                Ok(number) => {
                    sheet.write_number(r, c, number).unwrap();
                }
                Err(_) => {
                    sheet.write_string(r, c, text).unwrap();
                }
            }
        }
    }
    workbook.save(&path).unwrap();
    assert!(formatted > 100, "{formatted} percent cells");
    assert_eq!(typed_as_percent("98.7"), 0.987);
    assert_eq!(typed_as_percent("5"), 0.05);
    let (from_percent, code) = evaluate_json(&[path.to_str().unwrap()]);
    assert_eq!(code, 0);
    let (from_csv, _) = evaluate_json(&[CSV]);
    assert_eq!(without_sources(&from_percent), without_sources(&from_csv));
}

#[test]
fn json_lines_and_standard_input_are_read_too() {
    let (from_json, _) = evaluate_json(&[JSON]);
    let text = std::fs::read_to_string(root().join(JSON)).unwrap();
    let objects: Vec<Json> = serde_json::from_str(&text).unwrap();
    let lines: String = objects.iter().map(|o| format!("{o}\n")).collect();
    let output = parscore(["evaluate", "--scheme", SCHEME, "--format", "json", "-"])
        .write_stdin(lines)
        .output()
        .unwrap();
    assert!(output.status.success());
    let from_stdin: Json = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(without_sources(&from_stdin), without_sources(&from_json));
    assert_eq!(results(&from_stdin)[1]["source"]["file"], "<stdin>");
    assert_eq!(results(&from_stdin)[1]["source"]["line"], 2);
}

/// `90.57` as a Vietnamese reader writes it: `90,57`.
fn vi(figure: impl ToString) -> String {
    figure.to_string().replace('.', ",")
}

#[test]
fn the_table_shows_one_line_per_unit_and_a_summary() {
    let batch = library_batch();
    let summary = batch.summary();
    for (lang, figure, summary_line, estimated) in [
        (
            "vi",
            vi as fn(parscore::Decimal) -> String,
            format!(
                "5 đơn vị: 5 đã chấm, 0 có lỗi; Chỉ số bình quân {}",
                vi(summary.mean_index.unwrap())
            ),
            "ƯỚC TÍNH",
        ),
        (
            "en",
            |d: parscore::Decimal| d.to_string(),
            format!(
                "5 units: 5 ok, 0 with errors; mean index {}",
                summary.mean_index.unwrap()
            ),
            "ESTIMATED",
        ),
    ] {
        let text = stdout_of(&["evaluate", "--scheme", SCHEME, "--lang", lang, CSV]);
        assert!(text.starts_with("lang-son-snn-2024 2024.1 — "), "{text}");
        assert!(text.lines().next().unwrap().contains(estimated), "{text}");
        for result in &batch.results {
            let evaluation = result.outcome.as_ref().unwrap();
            let unit = result.unit.as_deref().unwrap();
            let line = text
                .lines()
                .find(|l| l.contains(unit))
                .unwrap_or_else(|| panic!("{unit} in\n{text}"));
            let index = figure(evaluation.index_rounded().unwrap());
            assert!(line.contains(&index), "{line} should show {index}");
            assert!(line.contains(&evaluation.grade().unwrap().name), "{line}");
            let rank = result.rank.unwrap().to_string();
            assert!(
                line.trim_start_matches('│').trim().starts_with(&rank),
                "{line}"
            );
        }
        assert!(text.contains(&summary_line), "{text}");
    }
}

#[test]
fn csv_output_has_headline_fields_then_points_per_criterion() {
    let batch = library_batch();
    let text = stdout_of(&["evaluate", "--scheme", SCHEME, "--format", "csv", CSV]);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let codes: Vec<String> = batch.scheme.leaves().map(|c| c.code.clone()).collect();
    assert_eq!(
        header[..13],
        [
            "row",
            "source",
            "unit",
            "period",
            "status",
            "error",
            "points",
            "max_points",
            "index",
            "grade",
            "rank",
            "missing",
            "missing_points"
        ]
    );
    let n = codes.len();
    assert_eq!(header[13..13 + n], codes[..]);
    let statuses: Vec<String> = codes.iter().map(|c| format!("{c}_status")).collect();
    assert_eq!(header[13 + n..], statuses[..]);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), batch.results.len());
    for (record, result) in records.iter().zip(&batch.results) {
        let evaluation = result.outcome.as_ref().unwrap();
        assert_eq!(&record[2], result.unit.as_deref().unwrap());
        assert_eq!(&record[3], "2024");
        assert_eq!(&record[4], "ok");
        assert_eq!(&record[6], evaluation.points().normalize().to_string());
        assert_eq!(
            &record[8],
            evaluation.index_rounded().unwrap().normalize().to_string()
        );
        assert_eq!(&record[10], result.rank.unwrap().to_string());
        let (missing, missing_points) = evaluation.missing_summary();
        assert_eq!(&record[11], missing.to_string());
        assert_eq!(&record[12], missing_points.normalize().to_string());
        for (i, criterion) in evaluation.criteria().enumerate() {
            let points = match criterion.status() {
                parscore::Status::NotApplicable => "n/a".to_string(),
                _ => criterion.points().normalize().to_string(),
            };
            assert_eq!(&record[13 + i], points, "{}", criterion.code());
            assert_eq!(&record[13 + n + i], criterion.status().name());
        }
    }
    assert_eq!(&records[0][1], "examples/data/units-2024.csv:2");
}

#[test]
fn markdown_report_has_headline_banner_chart_failures_recoverable_and_provenance() {
    let batch = library_batch();
    let scheme = &batch.scheme;
    let round = |d| scheme.rounding().round(d).to_string();
    let text = stdout_of(&[
        "evaluate", "--scheme", SCHEME, "--format", "md", "--lang", "en", CSV,
    ]);
    let banner = text
        .find("ESTIMATED POINTS — NOT OFFICIAL")
        .expect("banner");
    let mean = batch.summary().mean_index.unwrap();
    let headline = text
        .find(&format!("**Mean index {mean}**"))
        .expect("headline");
    assert!(banner < headline, "the banner comes first");

    let result = &batch.results[0];
    let first = result.outcome.as_ref().unwrap();
    let index = first.index_rounded().unwrap();
    let grade = &first.grade().unwrap().name;
    let mut parts = vec![
        "# PAR Index report: ".to_string(),
        "## Units".into(),
        format!(
            "| {} | [Sở NN&PTNT](#unit-1) | 2024 | {} | {} | {index} | {grade} | 0 | ok |",
            result.rank.unwrap(),
            round(first.points()),
            round(first.max_points()),
        ),
        "## Sở NN&PTNT (2024)".into(),
        format!("**Index {index} · {grade}** — "),
        "### Points and lost points per area".into(),
        "### Failing targets by lead unit".into(),
        "### Largest recoverable points".into(),
        "## Provenance".into(),
        "- Points: **estimated**, not an official methodology".into(),
    ];
    for area in first.areas() {
        parts.push(format!(
            "| {} | {} | {} | {} |",
            area.code(),
            area.title(),
            round(area.points()),
            round(area.max_points())
        ));
    }
    let failed: Vec<_> = first.failed_targets().collect();
    assert!(!failed.is_empty(), "the example has failing targets");
    for target in failed {
        parts.push(format!(
            "**{}**",
            target.criterion().lead.as_deref().unwrap()
        ));
        let margin = target.margin().unwrap().round_dp(4).normalize();
        parts.push(format!("| {} | {} | ", target.code(), target.title()));
        parts.push(format!(" | {margin} | {} |", round(target.lost_points())));
    }
    let largest = &first.recoverable()[0];
    parts.push(format!(
        "| points | criterion | title | lead unit |\n|---:|---|---|---|\n| +{} | {} |",
        round(largest.points),
        largest.criterion.code()
    ));
    for part in parts {
        assert!(text.contains(&part), "missing {part:?} in\n{text}");
    }
}

#[test]
fn html_report_is_one_self_contained_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.html");
    parscore(["evaluate", "--scheme", SCHEME, CSV, "--output"])
        .arg(&path)
        .assert()
        .success()
        .stdout("");
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<meta charset=\"utf-8\">"));
    // Nothing fetched: no script, stylesheet link, image or frame, and no address other
    // than the SVG namespace.
    for forbidden in ["<script", "<link", "<img", "<iframe", "src=", "url("] {
        assert!(!html.contains(forbidden), "{forbidden}");
    }
    let addresses = html.matches("http").count();
    let namespaces = html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count();
    assert_eq!(addresses, namespaces);
    assert_eq!(html.matches("<svg class=\"area-chart\"").count(), 5);
    assert!(html.contains("id=\"estimated-banner\""));
    assert!(html.contains("<html lang=\"vi\">"));
    let mean = vi(library_batch().summary().mean_index.unwrap());
    assert!(html.contains(&format!(
        "<span class=\"value\" id=\"headline-index\">{mean}</span>"
    )));
    assert!(html.contains("Sở NN&amp;PTNT"), "text is escaped");
}

#[test]
fn excel_workbook_has_results_criteria_failing_targets_and_scheme_sheets() {
    let batch = library_batch();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.xlsx");
    parscore(["evaluate", "--scheme", SCHEME, CSV, "-o"])
        .arg(&path)
        .assert()
        .success();
    let mut workbook = calamine::open_workbook_auto(&path).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        [
            "Kết quả",
            "Tiêu chí",
            "Tiêu chí không đạt",
            "Chưa có số liệu",
            "Bộ tiêu chí"
        ]
    );

    let results = workbook.worksheet_range("Kết quả").unwrap();
    assert_eq!(results.get((0, 2)), Some(&Data::String("đơn vị".into())));
    assert_eq!(results.get((0, 7)), Some(&Data::String("Chỉ số".into())));
    assert_eq!(
        results.get((0, 10)),
        Some(&Data::String("chưa có số liệu".into()))
    );
    assert_eq!(results.height(), batch.results.len() + 1);
    // Units by rank: the first two share rank 1.
    let ranks: Vec<&Data> = (1..=5).map(|r| results.get((r, 9)).unwrap()).collect();
    assert_eq!(
        ranks,
        [1.0, 1.0, 3.0, 4.0, 5.0]
            .iter()
            .map(|r| Data::Float(*r))
            .collect::<Vec<_>>()
            .iter()
            .collect::<Vec<_>>()
    );
    for result in &batch.results {
        let evaluation = result.outcome.as_ref().unwrap();
        let unit = result.unit.as_deref().unwrap();
        let row = (1..=5u32)
            .find(|&r| results.get((r as usize, 2)) == Some(&Data::String(unit.into())))
            .unwrap_or_else(|| panic!("{unit}"));
        let index: f64 = evaluation
            .index_rounded()
            .unwrap()
            .to_string()
            .parse()
            .unwrap();
        assert_eq!(results.get_value((row, 7)), Some(&Data::Float(index)));
        let rank = result.rank.unwrap() as f64;
        assert_eq!(results.get_value((row, 9)), Some(&Data::Float(rank)));
        let (missing, _) = evaluation.missing_summary();
        assert_eq!(
            results.get_value((row, 10)),
            Some(&Data::Float(missing as f64))
        );
    }

    let criteria = workbook.worksheet_range("Tiêu chí").unwrap();
    let leaves = batch.scheme.leaves().count();
    assert_eq!(criteria.height(), 1 + leaves * batch.results.len());

    // Each lead unit's failing targets are together, and every criterion that lost points
    // against its target or yes/no is there.
    let failing = workbook.worksheet_range("Tiêu chí không đạt").unwrap();
    assert_eq!(
        failing.get((0, 0)),
        Some(&Data::String("đơn vị chủ trì".into()))
    );
    let leads: Vec<String> = failing
        .rows()
        .skip(1)
        .map(|row| row[0].to_string())
        .collect();
    let mut seen = BTreeSet::new();
    for pair in leads.windows(2) {
        if pair[0] != pair[1] {
            assert!(seen.insert(pair[0].clone()), "{} is split", pair[0]);
        }
    }
    let failed: usize = batch
        .results
        .iter()
        .map(|r| {
            r.outcome
                .as_ref()
                .unwrap()
                .criteria()
                .filter(|c| {
                    c.status() == parscore::Status::Scored
                        && c.lost_points() > parscore::Decimal::ZERO
                        && c.target().is_some()
                })
                .count()
        })
        .sum();
    assert_eq!(leads.len(), failed);

    // The gaps apart: Chi cục Thủy lợi has no survey points.
    let gaps = workbook.worksheet_range("Chưa có số liệu").unwrap();
    assert_eq!(gaps.height(), 2);
    assert_eq!(
        gaps.get((1, 0)),
        Some(&Data::String("Chi cục Thủy lợi".into()))
    );
    assert_eq!(gaps.get((1, 2)), Some(&Data::String("KS.1".into())));

    let scheme = workbook.worksheet_range("Bộ tiêu chí").unwrap();
    assert!(scheme.get((0, 0)).unwrap().to_string().contains("ƯỚC TÍNH"));

    // In English on request.
    parscore(["evaluate", "--scheme", SCHEME, CSV, "--lang", "en", "-o"])
        .arg(&path)
        .assert()
        .success();
    let workbook = calamine::open_workbook_auto(&path).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        [
            "Results",
            "Criteria",
            "Failing targets",
            "Missing values",
            "Scheme"
        ]
    );
}

#[test]
fn the_format_follows_the_output_extension() {
    let dir = tempfile::tempdir().unwrap();
    for (name, start) in [
        ("r.json", "{"),
        ("r.md", "# Báo cáo Chỉ số CCHC"),
        ("r.csv", "row,source,unit"),
        ("r.txt", "lang-son-snn-2024"),
    ] {
        let path = dir.path().join(name);
        parscore(["evaluate", "--scheme", SCHEME, CSV, "-o"])
            .arg(&path)
            .assert()
            .success();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with(start), "{name}: {text}");
    }
    parscore(["evaluate", "--scheme", SCHEME, CSV, "-o"])
        .arg(dir.path().join("r.pdf"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("give --format"));
    assert!(!dir.path().join("r.pdf").exists());
}

#[test]
fn excel_goes_to_standard_output_only_when_it_is_not_a_terminal() {
    let output = parscore(["evaluate", "--scheme", SCHEME, "--format", "xlsx", CSV])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(output.stdout.starts_with(b"PK\x03\x04"), "a zip container");
}

#[test]
fn csv_saved_by_excel_with_semicolons_and_a_byte_order_mark_reads_the_same() {
    let (expected, _) = evaluate_json(&[CSV]);
    let text = std::fs::read_to_string(root().join(CSV)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("excel-export.txt");
    std::fs::write(&path, format!("\u{feff}{}", text.replace(',', ";"))).unwrap();
    let (document, code) = evaluate_json(&["--input-format", "csv", path.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(without_sources(&document), without_sources(&expected));
}

#[test]
fn large_batches_get_the_summary_report_and_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.csv");
    let mut text = String::from("unit,period,survey_points\n");
    for i in 1..=21 {
        text.push_str(&format!("Unit {i},2024,{}\n", i % 20));
    }
    std::fs::write(&path, text).unwrap();
    let file = path.to_str().unwrap();
    let markdown = stdout_of(&["evaluate", "--scheme", SCHEME, "-f", "md", file]);
    assert!(
        markdown.contains(
            "Chi tiết từng đơn vị chỉ hiển thị khi có tối đa 20 đơn vị; báo cáo này có 21."
        )
    );
    assert!(markdown.contains("| 1 | Unit 19 | 2024 |"), "{markdown}");
    assert!(!markdown.contains("### Tiêu chí không đạt"));
    let html = stdout_of(&["evaluate", "--scheme", SCHEME, "-f", "html", file]);
    assert!(html.contains("id=\"details-omitted\""));
    assert!(!html.contains("<svg"));
}
