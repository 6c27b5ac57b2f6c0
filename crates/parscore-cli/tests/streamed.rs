//! `evaluate` at batch scale: Parquet and Arrow inputs, several files as one batch, chunks
//! crossed, standard input read twice, the JSON-lines and Parquet outputs at each detail,
//! and the reports of a batch too large to show unit by unit.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Decimal128Type;
use arrow_array::{
    Array, ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray,
};
use arrow_schema::DataType;
use common::{CSV, SCHEME, parscore, root};
use parscore::{Decimal, IndicatorKind, Scheme};
use parscore_cli::cli::{Decimals, OutputFormat};
use parscore_cli::input::{self, ReadOptions};
use parscore_cli::output::Rendering;
use parscore_cli::output::parquet::{ParquetWriter, Scales};
use parscore_cli::output::result_row::{Detail, write_scaled};
use parscore_cli::pipeline::{self, Settings, Sources};
use parscore_cli::run::{Run, RunOptions};
use serde_json::Value as Json;

fn scheme() -> Scheme {
    Scheme::builtin(SCHEME).expect("the built-in scheme loads")
}

/// The cells of a CSV file: its header and rows.
fn cells(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let first = std::fs::read_to_string(path).unwrap();
    let delimiter = if first.lines().next().unwrap().contains(';') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_path(path)
        .unwrap();
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// The CSV's cells as a record batch: typed by each indicator's kind (yes/no as booleans,
/// counts as integers, the rest as floats, the period as an integer), or all text.
fn batch_of(path: &Path, typed: bool) -> RecordBatch {
    let scheme = scheme();
    let (header, rows) = cells(path);
    let column = |i: usize| rows.iter().map(move |r| r[i].as_str());
    let fields = header.iter().enumerate().map(|(i, name)| {
        let text = || Arc::new(StringArray::from_iter_values(column(i))) as ArrayRef;
        // A column with a cell no type holds (`n/a`) stays text.
        let typed = typed
            && column(i)
                .all(|c| c.is_empty() || c.parse::<f64>().is_ok() || c == "true" || c == "false");
        let array: ArrayRef = match (typed, name.as_str(), scheme.indicator(name)) {
            (false, _, _) | (_, "unit", _) => text(),
            (true, "period", _) => {
                Arc::new(Int64Array::from_iter(column(i).map(|c| c.parse().ok())))
            }
            (true, _, Some(indicator)) => match indicator.kind {
                IndicatorKind::Bool => Arc::new(BooleanArray::from_iter(
                    column(i).map(|c| Some(c == "true")),
                )),
                IndicatorKind::Count => {
                    Arc::new(Int64Array::from_iter(column(i).map(|c| c.parse().ok())))
                }
                _ => Arc::new(Float64Array::from_iter(column(i).map(|c| c.parse().ok()))),
            },
            (true, _, None) => text(),
        };
        (name.clone(), array)
    });
    RecordBatch::try_from_iter(fields).unwrap()
}

fn write_parquet(batch: &RecordBatch, path: &Path) {
    let file = std::fs::File::create(path).unwrap();
    let mut writer = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None).unwrap();
    writer.write(batch).unwrap();
    writer.close().unwrap();
}

fn write_ipc_file(batch: &RecordBatch, path: &Path) {
    let file = std::fs::File::create(path).unwrap();
    let mut writer = arrow_ipc::writer::FileWriter::try_new(file, &batch.schema()).unwrap();
    writer.write(batch).unwrap();
    writer.finish().unwrap();
}

fn write_ipc_stream(batch: &RecordBatch, path: &Path) {
    let file = std::fs::File::create(path).unwrap();
    let mut writer = arrow_ipc::writer::StreamWriter::try_new(file, &batch.schema()).unwrap();
    // Two record batches: the input's batches are read one after the other.
    writer.write(&batch.slice(0, 2)).unwrap();
    writer.write(&batch.slice(2, batch.num_rows() - 2)).unwrap();
    writer.finish().unwrap();
}

/// `evaluate ARGS -f jsonl` as one JSON value per result, without its `source` (which names
/// the file), and the exit status.
fn lines(args: &[&str]) -> (Vec<Json>, i32) {
    let mut all = vec![
        "evaluate", "--scheme", SCHEME, "--format", "jsonl", "--quiet",
    ];
    all.extend_from_slice(args);
    let output = parscore(&all).output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let results = text
        .lines()
        .map(|line| {
            let mut result: Json = serde_json::from_str(line).unwrap();
            result.as_object_mut().unwrap().remove("source");
            result
        })
        .collect();
    (results, output.status.code().unwrap())
}

/// Results that are the same, or the first field where they differ.
fn same(actual: &[Json], expected: &[Json], what: &str) {
    assert_eq!(actual.len(), expected.len(), "{what}");
    for (a, e) in actual.iter().zip(expected) {
        for (key, value) in e.as_object().unwrap() {
            if key == "criteria" {
                for (ca, ce) in a[key]
                    .as_array()
                    .unwrap()
                    .iter()
                    .zip(value.as_array().unwrap())
                {
                    assert_eq!(ca, ce, "{what}: row {}", e["row"]);
                }
            }
            assert_eq!(&a[key], value, "{what}: row {} `{key}`", e["row"]);
        }
    }
}

#[test]
fn parquet_and_arrow_inputs_score_as_the_csv_they_were_made_from() {
    let folder = tempfile::tempdir().unwrap();
    let csv = root().join(CSV);
    let typed = batch_of(&csv, true);
    let files: Vec<PathBuf> = ["units.parquet", "units.arrow", "units.arrows"]
        .iter()
        .map(|name| folder.path().join(name))
        .collect();
    write_parquet(&typed, &files[0]);
    write_ipc_file(&typed, &files[1]);
    write_ipc_stream(&typed, &files[2]);
    let (expected, code) = lines(&[CSV]);
    assert_eq!(code, 0);
    assert_eq!(expected.len(), 5);
    for file in &files {
        let (results, code) = lines(&[file.to_str().unwrap()]);
        assert_eq!(code, 0, "{}", file.display());
        same(&results, &expected, &file.display().to_string());
    }
    // Told by their first bytes when their names do not say.
    let unnamed = folder.path().join("units.bin");
    std::fs::copy(&files[0], &unnamed).unwrap();
    assert_eq!(lines(&[unnamed.to_str().unwrap()]).0, expected);
    // A row of a Parquet file is placed by its row.
    let output = parscore([
        "evaluate",
        "--scheme",
        SCHEME,
        "-f",
        "csv",
        "--detail",
        "headline",
        files[0].to_str().unwrap(),
    ])
    .output()
    .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("units.parquet: row 5,"), "{text}");
}

#[test]
fn vietnamese_text_in_parquet_reads_as_in_csv() {
    // Decimal commas, thousands points, `x` and `có` for yes, decomposed unit names: as
    // Excel under a Vietnamese locale writes them, kept as text columns.
    let folder = tempfile::tempdir().unwrap();
    let vi = root().join("examples/data/units-2024-vi.csv");
    let parquet = folder.path().join("đơn-vị.parquet");
    write_parquet(&batch_of(&vi, false), &parquet);
    let (expected, code) = lines(&["--decimal", ",", "examples/data/units-2024-vi.csv"]);
    assert_eq!(code, 0);
    let (results, code) = lines(&["--decimal", ",", parquet.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(results, expected);
    // And as the file with decimal points: the same figures.
    let (plain, _) = lines(&[CSV]);
    assert_eq!(results, plain);
    assert_eq!(results[0]["unit"], "Sở NN&PTNT");
    // Without the mark, a decimal comma in a text column is an error of its row.
    let (refused, code) = lines(&[parquet.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(refused.iter().any(|r| r["status"] == "error"));
}

/// Varies a rate and a count of row `i` so that the indices differ and tie.
fn vary(header: &[String], row: &mut [String], i: usize) {
    row[2] = format!("{}", 60 + (i * 7) % 41);
    row[header.iter().position(|h| h == "dossiers_on_time").unwrap()] =
        format!("{}", 9000 + (i * 13) % 1000);
    // Of 10,000 resolved: the example's own totals are smaller.
    let resolved = header
        .iter()
        .position(|h| h == "dossiers_resolved")
        .unwrap();
    row[resolved] = "10000".into();
}

/// Rows of the built-in plan's units, in `files` files: periods mixed, some units given
/// twice (within a file and across files), some rows bad.
fn generated(folder: &Path, rows: usize, files: usize) -> Vec<PathBuf> {
    let (header, units) = cells(&root().join(CSV));
    let mut written: Vec<String> = vec![String::new(); files];
    for text in &mut written {
        *text = header.join(",") + "\n";
    }
    for i in 0..rows {
        let mut row = units[i % units.len()].clone();
        row[0] = format!("Đơn vị {}", i % (rows - rows / 10));
        row[1] = ["2023", "2024", "2024.0", "2025"][i % 4].to_string();
        vary(&header, &mut row, i);
        match i % 29 {
            5 => row[3] = "có lẽ".into(),
            11 => row[0] = " ".into(),
            17 => {
                row.pop();
            }
            _ => {}
        }
        written[i % files].push_str(&row.join(","));
        written[i % files].push('\n');
    }
    written
        .iter()
        .enumerate()
        .map(|(k, text)| {
            let path = folder.join(format!("units-{k}.csv"));
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect()
}

fn settings(format: OutputFormat, detail: Detail) -> Settings {
    Settings {
        strict: false,
        ignore_unknown: false,
        quiet: true,
        format,
        detail,
        decimals: Decimals::Exact,
        report_units: 200,
        rendering: Rendering::default(),
    }
}

/// The streamed run of `files` read `chunk_rows` at a time: its output and how it went.
fn streamed(
    scheme: &Scheme,
    files: &[PathBuf],
    chunk_rows: usize,
    settings: &Settings,
) -> (Vec<u8>, pipeline::Finished) {
    let mut sources = Sources::open(scheme, files, &ReadOptions::default(), false)
        .unwrap()
        .with_chunk_rows(chunk_rows);
    let mut out = Vec::new();
    let finished = pipeline::evaluate_into(scheme, &mut sources, settings, None, &mut out).unwrap();
    (out, finished)
}

#[test]
fn rows_across_chunks_and_files_rank_and_repeat_as_row_by_row() {
    let folder = tempfile::tempdir().unwrap();
    let files = generated(folder.path(), 400, 3);
    let scheme = scheme();
    let run = row_by_row(&scheme, &files);
    assert!(run.batch.error_count() > 20, "{}", run.batch.error_count());
    for detail in [Detail::Headline, Detail::Criteria, Detail::Full] {
        let expected = {
            let writer = parscore_cli::output::csv::CsvWriter::new(&scheme, detail);
            let mut out = Vec::new();
            writer.header(&mut out).unwrap();
            writer.rows(&run.rows(), &mut out).unwrap();
            out
        };
        for chunk_rows in [7, 64, 100_000] {
            let (out, finished) = streamed(
                &scheme,
                &files,
                chunk_rows,
                &settings(OutputFormat::Csv, detail),
            );
            assert_eq!(finished.summary, run.batch.summary());
            assert_eq!(
                String::from_utf8_lossy(&out),
                String::from_utf8_lossy(&expected),
                "{detail:?} in chunks of {chunk_rows}"
            );
        }
    }
}

#[test]
fn explained_rows_across_the_parts_of_a_chunk_are_as_row_by_row() {
    // More rows than are evaluated in full at once, in one chunk: the parts of it are
    // written in order, each row as the row-by-row path writes it.
    let folder = tempfile::tempdir().unwrap();
    let rows = pipeline::EVALUATED_AT_ONCE * 2 + 300;
    let files = generated(folder.path(), rows, 1);
    let scheme = scheme();
    let run = row_by_row(&scheme, &files);
    let mut expected = Vec::new();
    parscore_cli::output::json::lines(&scheme, Detail::Full, &run.rows(), &mut expected).unwrap();
    // Windows written while the next is made, in one chunk and across chunks (whose
    // windows are smaller than the text's buffers kept from the ones before).
    for chunk_rows in [100_000, 333] {
        let (out, finished) = streamed(
            &scheme,
            &files,
            chunk_rows,
            &settings(OutputFormat::Jsonl, Detail::Full),
        );
        assert_eq!(finished.summary, run.batch.summary());
        assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), rows);
        assert!(
            out == expected,
            "the explained lines differ from the row-by-row ones in chunks of {chunk_rows}"
        );
    }
}

#[test]
fn rows_written_before_their_ranks_keep_their_ranks_and_their_messages() {
    // No unit and period given twice: CSV and JSON lines are written on the first pass and
    // ranked on the second; the bad rows are said on standard error in order, as the rows
    // scored again are.
    let folder = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join(common::BAD_ROWS)).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|line| !line.starts_with("Chi cục Kiểm lâm,2024,1990"))
        .collect();
    let path = folder.path().join("bad.csv");
    std::fs::write(&path, kept.join("\n") + "\n").unwrap();
    let path = path.to_str().unwrap();
    let scheme = scheme();
    let files = [PathBuf::from(path)];
    let run = row_by_row(&scheme, &files);
    for detail in [Detail::Headline, Detail::Criteria] {
        let mut expected = Vec::new();
        parscore_cli::output::json::lines(&scheme, detail, &run.rows(), &mut expected).unwrap();
        let name = format!("{detail:?}").to_lowercase();
        let output = parscore([
            "evaluate", "--scheme", SCHEME, "-f", "jsonl", "--detail", &name, path,
        ])
        .output()
        .unwrap();
        assert_eq!(output.status.code(), Some(1));
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&expected),
            "{detail:?}"
        );
        let said: Vec<String> = String::from_utf8_lossy(&output.stderr)
            .lines()
            .filter(|line| line.contains("bad.csv:"))
            .map(|line| line.split(": ").nth(1).unwrap_or_default().to_string())
            .collect();
        assert_eq!(said.len(), 4, "{said:?}");
        assert!(
            said[0].contains("bad.csv:3 (unit `Chi cục Thủy lợi`)"),
            "{said:?}"
        );
        assert!(said[1].contains("bad.csv:4"), "{said:?}");
        assert!(said[3].contains("bad.csv:6"), "{said:?}");
    }
}

#[test]
fn standard_input_is_read_twice_from_a_copy() {
    let csv = std::fs::read(root().join(CSV)).unwrap();
    let output = parscore(["evaluate", "--scheme", SCHEME, "-f", "jsonl", "-"])
        .write_stdin(csv)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    let ranks: Vec<Json> = text
        .lines()
        .map(|l| serde_json::from_str::<Json>(l).unwrap()["rank"].clone())
        .collect();
    assert_eq!(ranks, [4, 3, 5, 1, 1].map(Json::from));
    assert!(text.contains("\"file\":\"<stdin>\",\"line\":2"), "{text}");
}

/// A Parquet file's batches, read back.
fn read_parquet(path: &Path) -> Vec<RecordBatch> {
    let file = std::fs::File::open(path).unwrap();
    parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap()
        .map(|b| b.unwrap())
        .collect()
}

/// A decimal column's precision, scale and values, each as its exact text.
fn decimals(batch: &RecordBatch, column: &str) -> (u8, i8, Vec<Option<String>>) {
    let array = batch.column_by_name(column).unwrap();
    let DataType::Decimal128(precision, scale) = array.data_type() else {
        panic!("{column} is {}", array.data_type());
    };
    let values = array.as_primitive::<Decimal128Type>();
    let read = (0..values.len())
        .map(|i| {
            values.is_valid(i).then(|| {
                let mut text = Vec::new();
                write_scaled(&mut text, values.value(i), *scale as u32);
                String::from_utf8(text).unwrap()
            })
        })
        .collect();
    (*precision, *scale, read)
}

#[test]
fn parquet_output_is_typed_exact_or_at_the_scale_asked() {
    let folder = tempfile::tempdir().unwrap();
    let out = folder.path().join("results.parquet");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "evaluate",
            "--scheme",
            SCHEME,
            "examples/data/bad/bad-rows.csv",
            CSV,
            "-o",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let status = parscore(&args).output().unwrap().status;
        assert_eq!(status.code(), Some(1));
        read_parquet(&out)
    };
    let batches = run(&[]);
    assert_eq!(batches.len(), 1);
    let batch = &batches[0];
    assert_eq!(batch.num_rows(), 12);
    // Exact: each column at the fewest places that hold it; the index at the scheme's two.
    let (precision, scale, points) = decimals(batch, "points");
    // The most places any unit's points need: 17.622897777777777777777777778.
    assert_eq!((precision, scale), (38, 27));
    assert_eq!(points[6].as_deref(), Some("17.622897777777777777777777778"));
    assert_eq!(points[7].as_deref(), Some("90.57455733333333333333333333"));
    assert_eq!(points[1], None, "a failed row has no figures");
    assert_eq!(decimals(batch, "index").1, 2);
    let status = batch
        .column_by_name("III.4.1_status")
        .unwrap()
        .as_string::<i32>();
    assert_eq!(status.value(7), "scored");
    let rank = batch
        .column_by_name("rank")
        .unwrap()
        .as_primitive::<arrow_array::types::Int64Type>();
    // The rows after it of its period repeat rows of the first file, bad as those are.
    assert_eq!(rank.value(7), 1);
    // Fixed: every decimal at the scale asked, rounded as the scheme rounds.
    let batches = run(&["--decimals", "4", "--detail", "full"]);
    let batch = &batches[0];
    let (_, scale, points) = decimals(batch, "points");
    assert_eq!(scale, 4);
    assert_eq!(points[7].as_deref(), Some("90.5746"));
    assert_eq!(decimals(batch, "III.4.1_margin").1, 4);
    let explanation = batch
        .column_by_name("III.4.1_explanation")
        .unwrap()
        .as_string::<i32>();
    assert!(
        explanation.value(7).contains("misses >= 99"),
        "{}",
        explanation.value(7)
    );
}

#[test]
fn each_detail_carries_what_it_says() {
    let csv = |detail: &str| {
        let output = parscore([
            "evaluate", "--scheme", SCHEME, CSV, "-f", "csv", "--detail", detail,
        ])
        .output()
        .unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        let header = text.lines().next().unwrap().split(',').count();
        let last = text.lines().last().unwrap().split(',').count();
        (header, last)
    };
    let leaves = scheme().leaves().count();
    assert_eq!(csv("headline"), (13, 13));
    assert_eq!(csv("criteria"), (13 + 2 * leaves, 13 + 2 * leaves));
    let (header, _) = csv("full");
    assert_eq!(header, 13 + 7 * leaves);
    // Full JSON lines are the document's results.
    let (full, _) = lines(&["--detail", "full", CSV]);
    let (document, _) = common::evaluate_json(&[CSV]);
    let mut expected = common::results(&document).clone();
    for result in &mut expected {
        result.as_object_mut().unwrap().remove("source");
    }
    assert_eq!(full, expected);
    // Headline results still say what had no input.
    let (headline, _) = lines(&["--detail", "headline", CSV]);
    assert_eq!(
        headline[2]["missing"],
        serde_json::json!({"count": 1, "points": 20})
    );
    assert!(headline[2].get("criteria").is_none());
    let (criteria, _) = lines(&[CSV]);
    assert_eq!(
        criteria[2]["missing"]["criteria"],
        serde_json::json!(["KS.1"])
    );
    assert_eq!(
        criteria[2]["criteria"][0],
        serde_json::json!({"code": "I.1", "points": 1, "status": "scored"})
    );
}

#[test]
fn a_batch_beyond_the_report_units_is_summarised_in_vietnamese() {
    let run = |format: &str, lang: &str| {
        let output = parscore([
            "evaluate",
            "--scheme",
            SCHEME,
            CSV,
            "examples/data/bad/bad-rows.csv",
            "--quiet",
            "--report-units",
            "3",
            "-f",
            format,
            "--lang",
            lang,
        ])
        .output()
        .unwrap();
        assert_eq!(output.status.code(), Some(1));
        String::from_utf8(output.stdout).unwrap()
    };
    let md = run("md", "vi");
    for part in [
        "## Phân bố Chỉ số",
        "| từ 90 đến 100 | 4 | 66,7% |",
        "## Các đơn vị có Chỉ số cao nhất",
        "## Các đơn vị có Chỉ số thấp nhất",
        "## Các tiêu chí không đạt nhiều nhất",
        "| III.4.1 |",
        "## Các dòng có lỗi",
        "Lô này có 12 đơn vị, nhiều hơn 3 đơn vị",
        "Chỉ số bình quân",
    ] {
        assert!(md.contains(part), "{part} not in:\n{md}");
    }
    assert!(
        !md.contains("Điểm đạt và điểm bị mất theo lĩnh vực"),
        "no unit's own section"
    );
    let en = run("md", "en");
    assert!(
        en.contains("## Distribution of the index") && en.contains("| 90 to 100 | 4 | 66.7% |"),
        "{en}"
    );
    let html = run("html", "vi");
    for part in [
        "id=\"distribution\"",
        "id=\"best\"",
        "id=\"worst\"",
        "id=\"most-failed\"",
        "<html lang=\"vi\">",
    ] {
        assert!(html.contains(part), "{part}");
    }
    let table = run("table", "vi");
    assert!(
        table.contains("Phân bố Chỉ số") && table.contains("12 đơn vị: 6 đã chấm, 6 có lỗi"),
        "{table}"
    );
    let folder = tempfile::tempdir().unwrap();
    let xlsx = folder.path().join("tóm-tắt.xlsx");
    let status = parscore([
        "evaluate",
        "--scheme",
        SCHEME,
        CSV,
        "--report-units",
        "3",
        "-o",
        xlsx.to_str().unwrap(),
    ])
    .output()
    .unwrap()
    .status;
    assert_eq!(status.code(), Some(0));
    use calamine::Reader;
    let workbook: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        [
            "Tổng hợp",
            "Cao nhất",
            "Thấp nhất",
            "Không đạt nhiều nhất",
            "Dòng lỗi",
            "Bộ tiêu chí"
        ]
    );
}

/// A summarised report of a scheme with a bonus or penalty section shows what the section
/// gave the batch: units given points, their share, the total and the most for one unit,
/// as the golden cases' own figures add up (Vietnamese numbers: `4,5`).
#[test]
fn summarised_reports_show_bonus_and_penalty_points() {
    let golden = root().join("tests/golden");
    for (case, field, title) in [
        ("bonus-capped", "bonus_points", "TH Điểm thưởng"),
        ("penalties-capped", "penalty_points", "TR Điểm trừ"),
    ] {
        let dir = golden.join(case);
        let expected: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap())
                .unwrap();
        let results = expected["results"].as_array().unwrap();
        let ok = results.iter().filter(|r| r["status"] == "ok").count();
        let given: Vec<Decimal> = results
            .iter()
            .filter_map(|r| r[field].as_number())
            .map(|n| n.as_str().parse::<Decimal>().unwrap())
            .filter(|d| !d.is_zero())
            .collect();
        let total: Decimal = given.iter().sum();
        let largest = given.iter().copied().max().unwrap();
        let share = Decimal::from(given.len() * 100) / Decimal::from(ok);
        let vi = |d: Decimal| d.round_dp(1).normalize().to_string().replace('.', ",");
        let run = |format: &str| {
            let output = parscore([
                "evaluate",
                "--scheme",
                dir.join("scheme.toml").to_str().unwrap(),
                dir.join("input.json").to_str().unwrap(),
                "--quiet",
                "--report-units",
                "1",
                "-f",
                format,
            ])
            .output()
            .unwrap();
            assert_eq!(
                output.status.code(),
                Some(1),
                "the golden input has a bad row"
            );
            String::from_utf8(output.stdout).unwrap()
        };
        let line = format!(
            "| {title} | {} | {}% | {} | {} |",
            given.len(),
            vi(share),
            vi(total),
            vi(largest)
        );
        let md = run("md");
        assert!(md.contains("## Điểm thưởng và điểm trừ"), "{md}");
        assert!(md.contains(&line), "{line} not in:\n{md}");
        let html = run("html");
        assert!(
            html.contains("id=\"sections\"") && html.contains(title),
            "{html}"
        );
    }
    // A scheme without either section has no such part.
    let plain = parscore([
        "evaluate",
        "--scheme",
        SCHEME,
        CSV,
        "--report-units",
        "3",
        "-f",
        "md",
    ])
    .output()
    .unwrap();
    assert!(
        !String::from_utf8(plain.stdout)
            .unwrap()
            .contains("Điểm thưởng và điểm trừ")
    );
}

#[test]
fn options_that_do_not_apply_are_usage_errors() {
    for args in [
        vec!["-f", "csv", "--decimals", "2"],
        vec!["-f", "md", "--detail", "full"],
        vec!["-f", "parquet", "--decimals", "29"],
    ] {
        let mut all = vec!["evaluate", "--scheme", SCHEME, CSV];
        all.extend(args.iter().copied());
        let output = parscore(&all).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
}

/// An Arrow file whose lengths a changed byte made point beyond its buffers makes the Arrow
/// decoder panic: the command refuses the file, naming it, exit 2, and reports no internal
/// error (found by the fuzzing of the Parquet and Arrow readers).
#[test]
fn a_damaged_arrow_file_is_refused_naming_it() {
    use parscore_cli::input::arrow_units::{ArrowChunks, ArrowFormat};
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("hỏng.arrow");
    let batch = RecordBatch::try_from_iter([
        (
            "unit",
            Arc::new(StringArray::from(vec![
                "Sở Y tế",
                "Sở Tư pháp",
                "Sở Nội vụ",
            ])) as ArrayRef,
        ),
        (
            "tasks_plan_completion_rate",
            Arc::new(Float64Array::from(vec![98.5, 100.0, 87.25])) as ArrayRef,
        ),
    ])
    .unwrap();
    write_ipc_file(&batch, &path);
    let good = std::fs::read(&path).unwrap();
    // The first change of a high bit that the decoder does not survive, found by reading
    // alone (no scoring).
    let read = |bytes: &[u8]| -> Option<String> {
        std::fs::write(&path, bytes).unwrap();
        let file = std::fs::File::open(&path).unwrap();
        let label = path.display().to_string();
        let failure = ArrowChunks::open(
            &label,
            file,
            ArrowFormat::IpcFile,
            Default::default(),
            &|_| true,
        )
        .and_then(|mut chunks| {
            while chunks.next_chunk()?.is_some() {}
            Ok(())
        })
        .err()?;
        Some(failure.to_string())
    };
    let damaged = (0..good.len())
        .flat_map(|at| [0x80u8, 0x40].map(|bit| (at, bit)))
        .map(|(at, bit)| {
            let mut bytes = good.clone();
            bytes[at] ^= bit;
            bytes
        })
        .find(|bytes| read(bytes).is_some_and(|m| m.contains("the file is damaged")))
        .expect("a change the decoder does not survive");
    std::fs::write(&path, &damaged).unwrap();
    let output = parscore(["evaluate", "--scheme", SCHEME, "-f", "csv"])
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("hỏng.arrow"), "{stderr}");
    assert!(stderr.contains("the file is damaged"), "{stderr}");
    assert!(!stderr.contains("internal error"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn a_temporary_folder_that_cannot_hold_the_spool_costs_a_second_reading_not_the_run() {
    // The first pass writes CSV and JSON lines to a temporary file; without a usable
    // temporary folder the run reads and scores the inputs again and gives the same text.
    for format in ["csv", "jsonl"] {
        let expected = parscore(["evaluate", "--scheme", SCHEME, "-f", format, CSV])
            .output()
            .unwrap();
        let output = parscore(["evaluate", "--scheme", SCHEME, "-f", format, CSV])
            .env("TMPDIR", "/nonexistent/không có thư mục")
            .output()
            .unwrap();
        assert_eq!(output.status.code(), expected.status.code(), "{format}");
        assert!(!output.stdout.is_empty(), "{format}");
        assert_eq!(output.stdout, expected.stdout, "{format}");
        let said = String::from_utf8_lossy(&output.stderr);
        assert!(
            said.contains("/nonexistent/không có thư mục") && said.contains("a second time"),
            "{said}"
        );
    }
}

#[test]
fn explained_rows_written_a_window_at_a_time_share_their_parquet_row_group() {
    // Rows explained come 2,048 at a time; the Parquet output gathers them into row groups
    // of up to 65,536 rows rather than one group a window.
    let folder = tempfile::tempdir().unwrap();
    let inputs = generated(folder.path(), 5_000, 1);
    let out = folder.path().join("giải thích.parquet");
    let output = parscore([
        "evaluate",
        "--scheme",
        SCHEME,
        "--detail",
        "full",
        "--quiet",
        "-o",
        out.to_str().unwrap(),
        inputs[0].to_str().unwrap(),
    ])
    .output()
    .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "the generated rows hold bad ones"
    );
    let file = std::fs::File::open(&out).unwrap();
    let reader =
        parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let metadata = reader.metadata();
    assert_eq!(metadata.num_row_groups(), 1);
    assert_eq!(metadata.file_metadata().num_rows(), 5_000);
    let rows: usize = read_parquet(&out).iter().map(RecordBatch::num_rows).sum();
    assert_eq!(rows, 5_000);
}

/// Rows of the built-in plan's units, each unit and period once, named in NFD text
/// (`Phòng Tư pháp` with its marks apart), some rows bad.
/// The inputs scored row by row, as the command scored them before it streamed.
fn row_by_row(scheme: &Scheme, files: &[PathBuf]) -> Run {
    let read = input::read_all(files, &ReadOptions::default()).unwrap();
    Run::evaluate(
        scheme,
        input::FileRows::rows_of(read),
        RunOptions::default(),
    )
}

fn distinct_units(folder: &Path, rows: usize) -> PathBuf {
    let (header, units) = cells(&root().join(CSV));
    let mut text = header.join(",") + "\n";
    for i in 0..rows {
        let mut row = units[i % units.len()].clone();
        row[0] = format!("Pho\u{300}ng Tu\u{31b} pha\u{301}p {i}");
        row[1] = ["2023", "2024", "2025"][i % 3].to_string();
        vary(&header, &mut row, i);
        match i % 29 {
            5 => row[3] = "có lẽ".into(),
            11 => row[0] = " ".into(),
            _ => {}
        }
        text.push_str(&row.join(","));
        text.push('\n');
    }
    let path = folder.join("đơn vị.csv");
    std::fs::write(&path, text).unwrap();
    path
}

/// The batches of a Parquet file written to memory.
/// Each row group of a Parquet output has the least and greatest unit and period (what a
/// reader filters on) but none for the row's place.
fn statistics_kept_for_all_but_the_place(bytes: &[u8]) {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), bytes).unwrap();
    let reader = SerializedFileReader::new(std::fs::File::open(file.path()).unwrap()).unwrap();
    for group in reader.metadata().row_groups() {
        let mut checked = 0;
        for column in group.columns() {
            let name = column.column_path().string();
            match name.as_str() {
                "source" => assert!(column.statistics().is_none(), "{name}"),
                "unit" | "period" | "points" => assert!(column.statistics().is_some(), "{name}"),
                _ => continue,
            }
            checked += 1;
        }
        assert_eq!(checked, 4, "the columns looked at");
    }
}

/// The row-by-row results written as Parquet at `decimals` (exact: at the scales the
/// results need), read back.
fn row_by_row_parquet(
    scheme: &Scheme,
    results: &[parscore_cli::output::result_row::ResultRow<'_>],
    detail: Detail,
    decimals: Decimals,
) -> Vec<RecordBatch> {
    let mut scales = match decimals {
        Decimals::Exact => Scales::exact(scheme, detail),
        Decimals::Fixed(places) => Scales::fixed(scheme, detail, places),
    };
    if decimals == Decimals::Exact {
        for row in results {
            scales.observe(scheme, &row.outcome);
        }
    }
    let mut expected = Vec::new();
    let mut writer = ParquetWriter::new(scheme, detail, scales).unwrap();
    writer.rows(scheme, results, &mut expected).unwrap();
    writer.finish(&mut expected).unwrap();
    parquet_table(expected)
}

fn parquet_table(bytes: Vec<u8>) -> Vec<RecordBatch> {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), bytes).unwrap();
    read_parquet(file.path())
}

#[test]
fn parquet_scored_once_and_spooled_is_the_row_by_row_parquet() {
    // No unit and period given twice: the Parquet output is written on the first pass as
    // Arrow batches and ranked on the second, in chunks of its own places raised to the
    // file's. Each row's result, rank and error is the row-by-row path's, in its place.
    let folder = tempfile::tempdir().unwrap();
    let rows = 300;
    let files = [distinct_units(folder.path(), rows)];
    let scheme = scheme();
    let run = row_by_row(&scheme, &files);
    assert!(run.batch.error_count() >= 20, "{}", run.batch.error_count());
    let results = run.rows();
    for detail in [Detail::Headline, Detail::Criteria] {
        for decimals in [Decimals::Exact, Decimals::Fixed(3)] {
            let expected = row_by_row_parquet(&scheme, &results, detail, decimals);
            for chunk_rows in [7, 64, 100_000] {
                let (out, finished) = streamed(
                    &scheme,
                    &files,
                    chunk_rows,
                    &Settings {
                        decimals,
                        ..settings(OutputFormat::Parquet, detail)
                    },
                );
                assert_eq!(finished.summary, run.batch.summary());
                let table = parquet_table(out);
                assert_eq!(table.iter().map(RecordBatch::num_rows).sum::<usize>(), rows);
                assert!(
                    table == expected,
                    "{detail:?} {decimals:?} in chunks of {chunk_rows}"
                );
            }
        }
    }
    let status = &parquet_table({
        let mut out = Vec::new();
        let mut sources = Sources::open(&scheme, &files, &ReadOptions::default(), false).unwrap();
        pipeline::evaluate_into(
            &scheme,
            &mut sources,
            &settings(OutputFormat::Parquet, Detail::Headline),
            None,
            &mut out,
        )
        .unwrap();
        out
    })[0];
    // Given decomposed (NFD), written composed, as every output writes a label.
    let units = status.column_by_name("unit").unwrap().as_string::<i32>();
    assert_eq!(units.value(0), "Phòng Tư pháp 0");
    let status = status.column_by_name("status").unwrap().as_string::<i32>();
    assert_eq!(status.value(5), "error");
    assert_eq!(status.value(11), "error");
    assert_eq!(status.value(12), "ok");
}

#[test]
fn parquet_spooled_in_parts_of_a_chunk_is_the_row_by_row_parquet() {
    // A chunk is spooled in parts of 4,096 rows, each encoded on the pool as a stream of its
    // own, and read back in groups of some megabytes on a thread of its own: chunks of a
    // full part and a short one give each row's result, rank and error in its place, with
    // the summary of the row-by-row path.
    let folder = tempfile::tempdir().unwrap();
    let rows = 4096 + 300;
    let files = [distinct_units(folder.path(), rows)];
    let scheme = scheme();
    let run = row_by_row(&scheme, &files);
    let results = run.rows();
    for detail in [Detail::Headline, Detail::Criteria] {
        let expected = row_by_row_parquet(&scheme, &results, detail, Decimals::Exact);
        for chunk_rows in [4_200, 100_000] {
            let (out, finished) = streamed(
                &scheme,
                &files,
                chunk_rows,
                &settings(OutputFormat::Parquet, detail),
            );
            assert_eq!(finished.summary, run.batch.summary());
            statistics_kept_for_all_but_the_place(&out);
            let table = parquet_table(out);
            assert_eq!(table.iter().map(RecordBatch::num_rows).sum::<usize>(), rows);
            assert!(table == expected, "{detail:?} in chunks of {chunk_rows}");
        }
    }
}

#[test]
fn parquet_spooled_says_its_bad_rows_in_order_and_falls_back_without_a_temporary_folder() {
    // The bad rows are said on standard error in order, as the rows are written; without a
    // usable temporary folder the run reads and scores the inputs again, to the same file.
    let folder = tempfile::tempdir().unwrap();
    let input = distinct_units(folder.path(), 100);
    for detail in ["headline", "criteria"] {
        let run = |tmp: Option<&str>, out: &Path| {
            let mut command = parscore([
                "evaluate",
                "--scheme",
                SCHEME,
                "--detail",
                detail,
                "-o",
                out.to_str().unwrap(),
                input.to_str().unwrap(),
            ]);
            if let Some(tmp) = tmp {
                command.env("TMPDIR", tmp);
            }
            let output = command.output().unwrap();
            assert_eq!(output.status.code(), Some(1), "{detail}");
            (read_parquet(out), String::from_utf8(output.stderr).unwrap())
        };
        let spooled = folder.path().join("một lần.parquet");
        let again = folder.path().join("hai lần.parquet");
        let (expected, said) = run(None, &spooled);
        let (read_again, said_again) = run(Some("/nonexistent/không có thư mục"), &again);
        assert_eq!(read_again, expected, "{detail}");
        let bad: Vec<&str> = said.lines().filter(|l| l.contains("đơn vị.csv:")).collect();
        assert_eq!(bad.len(), 8, "{said}");
        assert!(bad[0].contains("đơn vị.csv:7"), "{said}");
        assert!(bad[1].contains("đơn vị.csv:13"), "{said}");
        let bad_again: Vec<&str> = said_again
            .lines()
            .filter(|l| l.contains("đơn vị.csv:"))
            .collect();
        assert_eq!(bad_again, bad, "{detail}");
        assert!(
            said_again.contains("/nonexistent/không có thư mục")
                && said_again.contains("a second time"),
            "{said_again}"
        );
    }
}
