//! The figures the streamed command writes (points, maximum, bonus and penalty points, index,
//! grade, rank, what had no input, each criterion's points and status) are those of the
//! row-by-row path, for every row: over every golden case, at each detail of the machine
//! formats, and over generated inputs (Vietnamese names in both Unicode forms, decimal
//! commas, `có`/`x`, bad cells) run through the command.

mod common;

use std::path::Path;

use common::{CSV, SCHEME, parscore, root};
use parscore::{Decimal, Scheme, Status};
use parscore_cli::input::{self, DecimalMark, ReadOptions};
use parscore_cli::run::{Run, RunOptions};
use proptest::prelude::*;
use serde_json::Value as Json;

/// One row's figures, in one form whatever wrote them.
#[derive(Debug, Clone, PartialEq)]
struct Figures {
    row: u64,
    ok: bool,
    points: Option<Decimal>,
    max_points: Option<Decimal>,
    bonus: Option<Decimal>,
    penalties: Option<Decimal>,
    index: Option<Decimal>,
    grade: Option<String>,
    rank: Option<u64>,
    missing: Option<(u64, Decimal)>,
    /// Each criterion's code, points and status, when the output carries them.
    criteria: Option<Vec<(String, Option<Decimal>, String)>>,
}

fn decimal(value: &Json) -> Option<Decimal> {
    match value {
        Json::Null => None,
        Json::String(text) => text.parse().ok(),
        number => Some(number.to_string().parse().expect("an exact number")),
    }
}

fn text_decimal(text: &str) -> Option<Decimal> {
    (!text.is_empty() && text != "n/a").then(|| text.parse().expect("an exact number"))
}

/// A result object of the document or of JSON lines; `criteria` read when asked for.
fn from_json(result: &Json, criteria: bool) -> Figures {
    let ok = result["status"] == "ok";
    Figures {
        row: result["row"].as_u64().expect("a row"),
        ok,
        points: decimal(&result["points"]),
        max_points: decimal(&result["max_points"]),
        bonus: decimal(&result["bonus_points"]),
        penalties: decimal(&result["penalty_points"]),
        index: decimal(&result["index"]),
        grade: result["grade"].as_str().map(str::to_string),
        rank: result["rank"].as_u64(),
        missing: ok.then(|| {
            (
                result["missing"]["count"].as_u64().expect("a count"),
                decimal(&result["missing"]["points"]).expect("points"),
            )
        }),
        criteria: (criteria && ok).then(|| {
            result["criteria"]
                .as_array()
                .expect("criteria")
                .iter()
                .map(|c| {
                    let status = c["status"].as_str().expect("a status").to_string();
                    // A criterion that does not apply has no points to compare.
                    let points = (status != "not_applicable")
                        .then(|| decimal(&c["points"]))
                        .flatten();
                    (
                        c["code"].as_str().expect("a code").to_string(),
                        points,
                        status,
                    )
                })
                .collect()
        }),
    }
}

/// The rows of `evaluate -f csv`, with the criteria of `codes` when it carries them.
fn from_csv(text: &[u8], codes: &[String], criteria: bool) -> Vec<Figures> {
    let mut reader = csv::Reader::from_reader(text);
    let header: Vec<String> = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_string)
        .collect();
    let at = |name: &str| header.iter().position(|h| h == name);
    reader
        .records()
        .map(|record| {
            let record = record.expect("a record");
            let cell = |name: &str| at(name).map(|i| record[i].to_string()).unwrap_or_default();
            let ok = cell("status") == "ok";
            let number = |name: &str| text_decimal(&cell(name));
            Figures {
                row: cell("row").parse().expect("a row"),
                ok,
                points: number("points"),
                max_points: number("max_points"),
                bonus: number("bonus_points"),
                penalties: number("penalty_points"),
                index: number("index"),
                grade: Some(cell("grade")).filter(|g| !g.is_empty()),
                rank: cell("rank").parse().ok(),
                missing: ok.then(|| {
                    (
                        cell("missing").parse().expect("a count"),
                        number("missing_points").expect("points"),
                    )
                }),
                criteria: (criteria && ok).then(|| {
                    codes
                        .iter()
                        .map(|code| {
                            let status = cell(&format!("{code}_status"));
                            (code.clone(), text_decimal(&cell(code)), status)
                        })
                        .collect()
                }),
            }
        })
        .collect()
}

/// The command's output in `format` at `detail`, and its exit status.
fn run(dir: &Path, args: &[&str], format: &str, detail: &str) -> (Vec<u8>, i32) {
    let mut all = vec!["evaluate", "--quiet", "-f", format, "--detail", detail];
    all.extend_from_slice(args);
    let output = parscore(&all)
        .current_dir(dir)
        .output()
        .expect("parscore runs");
    (output.stdout, output.status.code().expect("an exit status"))
}

/// Every machine format and detail of the command, each as figures, against `expected`.
fn check_streamed(dir: &Path, args: &[&str], codes: &[String], expected: &[Figures], what: &str) {
    let code = if expected.iter().all(|f| f.ok) { 0 } else { 1 };
    let headline = |f: &Figures| Figures {
        criteria: None,
        ..f.clone()
    };
    for detail in ["headline", "criteria"] {
        let criteria = detail == "criteria";
        let want: Vec<Figures> = if criteria {
            expected.to_vec()
        } else {
            expected.iter().map(headline).collect()
        };
        let (lines, status) = run(dir, args, "jsonl", detail);
        assert_eq!(status, code, "{what}: jsonl at {detail}");
        let lines: Vec<Figures> = std::str::from_utf8(&lines)
            .expect("UTF-8")
            .lines()
            .map(|line| from_json(&serde_json::from_str(line).expect("JSON"), criteria))
            .collect();
        assert_eq!(lines, want, "{what}: jsonl at {detail}");
        let (csv, status) = run(dir, args, "csv", detail);
        assert_eq!(status, code, "{what}: csv at {detail}");
        assert_eq!(
            from_csv(&csv, codes, criteria),
            want,
            "{what}: csv at {detail}"
        );
    }
}

#[test]
fn every_golden_case_streams_the_row_by_row_figures() {
    let golden = root().join("tests/golden");
    let mut cases: Vec<_> = std::fs::read_dir(&golden)
        .expect("the golden cases")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.join("case.json").is_file())
        .collect();
    cases.sort();
    assert!(cases.len() >= 5, "{} golden cases", cases.len());
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let read = |file: &str| -> Json {
            let text = std::fs::read_to_string(case.join(file)).expect("readable");
            serde_json::from_str(&text).expect("JSON")
        };
        let spec = read("case.json");
        let expected = read("expected.json");
        let scheme = spec["scheme"].as_str().expect("a scheme");
        let scheme = scheme.strip_prefix("builtin:").unwrap_or(scheme);
        let input = spec["input"].as_str().expect("an input");
        let mut args = vec!["--scheme", scheme];
        if spec["strict"] == true {
            args.push("--strict");
        }
        if spec["ignore_unknown"] == true {
            args.push("--ignore-unknown");
        }
        args.push(input);
        let results = expected["results"].as_array().expect("results");
        let figures: Vec<Figures> = results.iter().map(|r| from_json(r, true)).collect();
        let codes: Vec<String> = results
            .iter()
            .find_map(|r| r["criteria"].as_array())
            .map(|criteria| {
                criteria
                    .iter()
                    .map(|c| c["code"].as_str().expect("a code").to_string())
                    .collect()
            })
            .unwrap_or_default();
        check_streamed(case, &args, &codes, &figures, &name);
    }
}

/// The row-by-row path's figures of the rows the command reads from `path`.
fn row_by_row(scheme: &Scheme, path: &Path, decimal: DecimalMark) -> Vec<Figures> {
    let options = ReadOptions {
        decimal,
        ..ReadOptions::default()
    };
    let read = input::read_all(&[path.to_path_buf()], &options).expect("the file reads");
    let run = Run::evaluate(
        scheme,
        input::FileRows::rows_of(read),
        RunOptions::default(),
    );
    run.batch
        .results
        .iter()
        .map(|result| {
            let evaluation = result.outcome.as_ref().ok();
            let missing = evaluation.map(|e| e.missing_summary());
            Figures {
                row: result.row as u64,
                ok: evaluation.is_some(),
                points: evaluation.map(|e| e.points()),
                max_points: evaluation.map(|e| e.max_points()),
                bonus: evaluation.and_then(|e| e.bonus_points()),
                penalties: evaluation.and_then(|e| e.penalty_points()),
                index: evaluation.and_then(|e| e.index_rounded()),
                grade: evaluation.and_then(|e| e.grade()).map(|g| g.name.clone()),
                rank: result.rank.map(|r| r as u64),
                missing: missing.map(|(count, points)| (count as u64, points)),
                criteria: evaluation.map(|e| {
                    e.criteria()
                        .map(|c| {
                            let points = (c.status() != Status::NotApplicable).then(|| c.points());
                            (c.code().to_string(), points, c.status().name().to_string())
                        })
                        .collect()
                }),
            }
        })
        .collect()
}

/// A row of the example with its decimals written as a Vietnamese sheet writes them (`41,2`,
/// quoted) when `comma`.
fn with_mark(row: &[&str], comma: bool) -> Vec<String> {
    row.iter()
        .map(|cell| match (comma, cell.parse::<f64>()) {
            (true, Ok(_)) if cell.contains('.') => format!("\"{}\"", cell.replace('.', ",")),
            _ => cell.to_string(),
        })
        .collect()
}

/// Cells of a yes/no indicator, a rate and a count, as Vietnamese exports write them (and
/// some mistakes).
fn yes_no() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "có",
        "co\u{301}",
        "x",
        "X",
        "không",
        "true",
        "false",
        "n/a",
        "",
        "có lẽ",
        "1",
        "0",
    ])
    .prop_map(str::to_string)
}

fn rate(comma: bool) -> impl Strategy<Value = String> {
    (0u32..=1000, 0u32..3).prop_map(move |(tenths, form)| {
        let whole = tenths / 10;
        let tenth = tenths % 10;
        match form {
            0 => whole.to_string(),
            1 if comma => format!("\"{whole},{tenth}\""),
            1 => format!("{whole}.{tenth}"),
            _ => ["", "n/a", "abc", "50%", "-1"][tenths as usize % 5].to_string(),
        }
    })
}

/// A unit's name, in either Unicode form.
fn unit() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "Sở Tư pháp",
        "So\u{31b}\u{309} Tu\u{31b} pha\u{301}p",
        "Sở Y tế",
        "Sở Nội vụ",
        "UBND huyện Bắc Sơn",
        "",
    ])
    .prop_map(str::to_string)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Generated rows of the built-in plan, each scored through the command.
    #[test]
    fn generated_inputs_stream_the_row_by_row_figures(
        comma in any::<bool>(),
        rows in prop::collection::vec(
            (unit(), prop::sample::select(vec!["2023", "2024"]), yes_no(), any::<bool>(), 0u32..60),
            1..24,
        ),
        rates in prop::collection::vec(0u32..=1000, 24),
        texts in prop::collection::vec(rate(false), 24),
        texts_comma in prop::collection::vec(rate(true), 24),
    ) {
        let scheme = Scheme::builtin(SCHEME).expect("the built-in scheme");
        let (header, base) = {
            let text = std::fs::read_to_string(root().join(CSV)).expect("the example");
            let mut lines = text.lines();
            let header: Vec<String> = lines.next().expect("a header").split(',').map(str::to_string).collect();
            let base: Vec<&str> = lines.next().expect("a row").split(',').collect();
            (header, with_mark(&base, comma))
        };
        let column = |name: &str| header.iter().position(|h| h == name).expect("a column");
        let mut text = header.join(",") + "\n";
        for (i, (unit, period, answer, dialogue, count)) in rows.iter().enumerate() {
            let mut row = base.clone();
            row[0] = unit.clone();
            row[1] = period.to_string();
            row[column("reports_on_time")] = answer.clone();
            row[column("business_dialogue_held")] = if *dialogue { "x".into() } else { String::new() };
            row[column("tasks_plan_completion_rate")] =
                if comma { texts_comma[i].clone() } else { texts[i].clone() };
            let on_time = rates[i] * 10;
            row[column("dossiers_on_time")] = on_time.to_string();
            row[column("dossiers_resolved")] = (on_time + count).to_string();
            text.push_str(&row.join(","));
            text.push('\n');
        }
        let folder = tempfile::tempdir().expect("a folder");
        let path = folder.path().join("don-vi.csv");
        std::fs::write(&path, &text).expect("written");
        let decimal = if comma { DecimalMark::Comma } else { DecimalMark::Point };
        let expected = row_by_row(&scheme, &path, decimal);
        let codes: Vec<String> = scheme.leaves().map(|c| c.code.clone()).collect();
        let mut args = vec!["--scheme", SCHEME];
        if comma {
            args.extend(["--decimal", ","]);
        }
        args.push("don-vi.csv");
        check_streamed(folder.path(), &args, &codes, &expected, &text);
    }
}

/// Vietnamese data through the streamed command: a unit named in NFC and again in NFD is one
/// unit (the second row fails, keeping its place), `98,5` under `--decimal ,` is 98.5, `có`
/// and `x` are yes and `không` is no, at every detail as row by row.
#[test]
fn vietnamese_data_streams_as_row_by_row() {
    let text = std::fs::read_to_string(root().join(CSV)).expect("the example");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    let base: Vec<&str> = lines.next().expect("a row").split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).expect("a column");
    let row = |unit: &str, rate: &str, reports: &str, dialogue: &str| {
        let mut row = with_mark(&base, true);
        row[0] = unit.to_string();
        row[1] = "2024".to_string();
        row[column("tasks_plan_completion_rate")] = rate.to_string();
        row[column("reports_on_time")] = reports.to_string();
        row[column("business_dialogue_held")] = dialogue.to_string();
        row.join(",")
    };
    let csv = [
        header.join(","),
        row("Sở Tư pháp", "\"98,5\"", "có", "x"),
        row("So\u{31b}\u{309} Tu\u{31b} pha\u{301}p", "100", "có", "x"),
        row("Sở Y tế", "\"1.000,0\"", "x", "không"),
        row("UBND huyện Bắc Sơn", "\"87,25\"", "co\u{301}", ""),
    ]
    .join("\n")
        + "\n";
    let folder = tempfile::tempdir().expect("a folder");
    let path = folder.path().join("đơn-vị.csv");
    std::fs::write(&path, &csv).expect("written");
    let scheme = Scheme::builtin(SCHEME).expect("the built-in scheme");
    let args = ["--scheme", SCHEME, "--decimal", ",", "đơn-vị.csv"];

    let (out, status) = run(folder.path(), &args, "jsonl", "full");
    assert_eq!(status, 1, "the NFD repeat fails its row");
    let results: Vec<Json> = std::str::from_utf8(&out)
        .expect("UTF-8")
        .lines()
        .map(|line| serde_json::from_str(line).expect("JSON"))
        .collect();
    assert_eq!(results.len(), 4, "every row keeps its place");
    assert_eq!(results[0]["unit"], "Sở Tư pháp");
    assert_eq!(results[1]["status"], "error");
    assert_eq!(
        results[1]["unit"], "Sở Tư pháp",
        "the name is composed (NFC)"
    );
    let message = results[1]["error"]["message"].as_str().expect("a message");
    assert!(message.contains("same unit and period"), "{message}");
    assert!(message.contains("đơn-vị.csv:2"), "{message}");
    let value = |result: &Json, indicator: &str| -> Json {
        result["criteria"]
            .as_array()
            .expect("criteria")
            .iter()
            .find(|c| c["indicator"] == indicator)
            .map(|c| c["value"].clone())
            .unwrap_or_else(|| panic!("no criterion of {indicator}"))
    };
    assert_eq!(
        decimal(&value(&results[0], "tasks_plan_completion_rate")),
        Some(Decimal::new(985, 1))
    );
    assert_eq!(value(&results[0], "reports_on_time"), Json::Bool(true));
    assert_eq!(
        value(&results[0], "business_dialogue_held"),
        Json::Bool(true)
    );
    // 1.000,0 is a thousand: a rate above 100, refused at its cell.
    assert_eq!(results[2]["status"], "error");
    assert_eq!(value(&results[3], "reports_on_time"), Json::Bool(true));
    assert_eq!(
        decimal(&value(&results[3], "tasks_plan_completion_rate")),
        Some(Decimal::new(8725, 2))
    );

    let expected = row_by_row(&scheme, &path, DecimalMark::Comma);
    assert_eq!(expected.iter().filter(|f| f.ok).count(), 2);
    let codes: Vec<String> = scheme.leaves().map(|c| c.code.clone()).collect();
    check_streamed(folder.path(), &args, &codes, &expected, "Vietnamese data");
}
