//! The outputs under arbitrary batches: unit names with control characters, NFD text,
//! formulas and long text; values missing, not applicable, out of range or unreadable; rows
//! that fail as a whole. Each batch is scored with the built-in scheme, or with a scheme of
//! every key (bonus points, penalty points, a rank policy), and rendered in every format in
//! both languages: nothing panics, each machine format has one result per row, terminal text
//! holds no raw control character, and no CSV cell starts like a formula.
//!
//! The same batches also go through the streamed pipeline of `evaluate` (the columnar
//! engine, chunk by chunk, two passes), in every format and at every detail: what it writes
//! is, byte for byte, what the row-by-row path writes of the same rows; the summarised
//! reports of a large batch render too.
//!
//! `PROPTEST_CASES=5000 cargo test -p parscore-cli --lib output::props` runs it longer.

use std::io::Cursor;

use calamine::Reader;
use parscore::{Decimal, RawRow, Scheme};
use proptest::prelude::*;
use serde_json::Value as Json;

use super::result_row::Detail;
use super::{Lang, Rendering, escape, render};
use crate::cli::{Decimals, OutputFormat};
use crate::input::{Place, SourceRow};
use crate::pipeline::{self, Settings, Sources};
use crate::run::{Run, RunOptions};

const FORMATS: [OutputFormat; 8] = [
    OutputFormat::Table,
    OutputFormat::Csv,
    OutputFormat::Json,
    OutputFormat::Jsonl,
    OutputFormat::Parquet,
    OutputFormat::Md,
    OutputFormat::Html,
    OutputFormat::Xlsx,
];

const DETAILS: [Detail; 3] = [Detail::Headline, Detail::Criteria, Detail::Full];

fn scheme() -> Scheme {
    Scheme::builtin("lang-son-snn-2024").expect("the built-in scheme loads")
}

/// A scheme with every key of the format: bonus and penalty points that may take the index
/// past 100, ties broken by the exact index and by points.
fn every_key() -> Scheme {
    Scheme::from_toml(include_str!("../../../../tests/schemes/every-key.toml"))
        .expect("the every-key scheme loads")
}

/// Text as hostile inputs hold it.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        // Vietnamese names, precomposed and decomposed.
        Just("Sở NN&PTNT".to_string()),
        Just("So\u{31b}\u{309} NN&PTNT".to_string()),
        Just("Chi cục Thủy lợi".to_string()),
        // Control characters, C0 and C1, escapes and bidirectional overrides.
        "[a-zA-Zếơư \\x00-\\x1f\\x7f\\u{80}-\\u{9f}\\u{202e}\\u{2066}]{0,24}",
        // What a spreadsheet would run.
        "[=+@\\-\\t\\r][a-zA-Z0-9()!|' +\\-*/\"]{0,24}",
        // Markdown and HTML markup, table pipes, quotes.
        "[<>&|*_`\\[\\]#\\\\\"' a-z]{0,24}",
        // Anything at all.
        any::<String>().prop_map(|s| s.chars().take(40).collect()),
        // Long text.
        "[a-zế ]{2000,4000}",
    ]
}

/// A cell of an indicator: a value of any kind, right or wrong for the indicator.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("n/a".to_string()),
        Just("có".to_string()),
        Just("không".to_string()),
        Just("x".to_string()),
        (0u32..=100, 0u32..100).prop_map(|(whole, cents)| format!("{whole}.{cents:02}")),
        (0u32..=2000, 0u32..=2000).prop_map(|(num, den)| format!("{num}/{den}")),
        "-?[0-9]{1,30}(\\.[0-9]{1,30})?",
        // Many decimals, within the range a percent accepts. (From 26 decimals the core's
        // exact sums overflow: the core's to mend, not the outputs'.)
        "[0-9]{1,2}\\.[0-9]{10,20}",
        text(),
    ]
}

/// A generated row: unit, period, cells, and what makes it fail as a whole, if anything.
type Row = (
    Option<String>,
    Option<String>,
    Vec<(String, String)>,
    Option<String>,
);

/// A row: some indicators of the scheme with cells, a unit, a period, maybe a problem.
fn row(ids: Vec<String>) -> impl Strategy<Value = Row> {
    let count = ids.len();
    (
        proptest::option::weighted(0.9, text()),
        proptest::option::of(prop_oneof![
            Just("2024".to_string()),
            Just("2023".to_string()),
            text()
        ]),
        proptest::collection::vec((0..count, cell()), 0..24),
        proptest::option::weighted(0.1, text()),
    )
        .prop_map(move |(unit, period, cells, problem)| {
            let cells = cells
                .into_iter()
                .map(|(i, value)| (ids[i].clone(), value))
                .collect();
            (unit, period, cells, problem)
        })
}

fn batch(scheme: &Scheme) -> impl Strategy<Value = Vec<SourceRow>> + use<> {
    let ids: Vec<String> = scheme.indicators().iter().map(|i| i.id.clone()).collect();
    proptest::collection::vec(row(ids), 0..8).prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (unit, period, cells, problem))| SourceRow {
                place: Place::Line {
                    file: "đơn-vị.csv".into(),
                    line: i as u64 + 2,
                },
                raw: RawRow {
                    row: i + 2,
                    unit,
                    period,
                    cells,
                },
                problem,
                bad_cells: Vec::new(),
            })
            .collect()
    })
}

/// No control character other than a line break: what a terminal can show safely.
fn assert_shown(text: &str, what: &str) {
    let raw: Vec<char> = text
        .chars()
        .filter(|&c| c != '\n' && escape::terminal(&c.to_string()) != c.to_string())
        .collect();
    assert!(raw.is_empty(), "{what} holds {raw:?}");
}

fn check(run: &Run) {
    let rows = run.batch.results.len();
    for (_, line) in run.errors() {
        assert_shown(&escape::terminal(&line), "a message");
    }
    for lang in [Lang::Vi, Lang::En] {
        for format in FORMATS {
            for width in [None, Some(60)] {
                let rendering = Rendering {
                    lang,
                    width,
                    terminal: false,
                };
                let bytes = render(run, format, rendering)
                    .unwrap_or_else(|e| panic!("{format:?} {lang:?}: {e}"));
                check_format(format, &bytes, rows, run);
                if format != OutputFormat::Table {
                    break;
                }
            }
        }
    }
}

fn check_format(format: OutputFormat, bytes: &[u8], rows: usize, run: &Run) {
    match format {
        OutputFormat::Table | OutputFormat::Md | OutputFormat::Html => {
            let text = std::str::from_utf8(bytes).expect("text is UTF-8");
            assert_shown(text, &format!("{format:?}"));
        }
        OutputFormat::Csv => {
            let mut reader = csv::Reader::from_reader(bytes);
            let width = reader.headers().expect("a header").len();
            let mut count = 0;
            for record in reader.records() {
                let record = record.expect("CSV reads back");
                assert_eq!(record.len(), width);
                for cell in record.iter() {
                    assert_eq!(escape::csv_cell(cell), cell, "{cell:?} starts a formula");
                }
                count += 1;
            }
            assert_eq!(count, rows);
        }
        OutputFormat::Json => {
            let document: Json = serde_json::from_slice(bytes).expect("JSON reads back");
            let results = document["results"].as_array().expect("results");
            assert_eq!(results.len(), rows);
            for (result, unit) in results.iter().zip(&run.batch.results) {
                check_result(result, unit.outcome.as_ref().ok());
            }
        }
        OutputFormat::Jsonl => {
            let text = std::str::from_utf8(bytes).expect("JSON lines are UTF-8");
            let mut count = 0;
            for (line, unit) in text.lines().zip(&run.batch.results) {
                let result: Json = serde_json::from_str(line).expect("each line reads back");
                check_result(&result, unit.outcome.as_ref().ok());
                count += 1;
            }
            assert_eq!(count, rows);
            assert_eq!(text.lines().count(), rows);
        }
        OutputFormat::Parquet => check_parquet(bytes, rows, beyond_max(&run.batch.scheme)),
        OutputFormat::Xlsx => {
            let mut workbook: calamine::Xlsx<_> =
                calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec()))
                    .expect("the workbook opens");
            let names = workbook.sheet_names();
            let results = workbook
                .worksheet_range(&names[0])
                .expect("the results sheet");
            assert_eq!(results.height(), rows + 1);
            let formulas = workbook
                .worksheet_formula(&names[0])
                .expect("the results sheet");
            assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
        }
    }
}

/// A result written as JSON: an error, or figures within their maximum that say what had
/// no input.
fn check_result(result: &Json, evaluation: Option<&parscore::Evaluation>) {
    let Some(evaluation) = evaluation else {
        assert_eq!(result["status"], "error");
        return;
    };
    let beyond = beyond_max(evaluation.scheme());
    assert!(evaluation.points() >= Decimal::ZERO);
    assert!(evaluation.points() <= evaluation.max_points() + beyond);
    let points: Decimal = result["points"].to_string().parse().expect("points");
    let max: Decimal = result["max_points"]
        .to_string()
        .parse()
        .expect("max_points");
    assert!(
        points >= Decimal::ZERO && points <= max + beyond,
        "{points} of {max}"
    );
    assert_eq!(
        result["missing"]["count"].as_u64(),
        Some(evaluation.missing().count() as u64)
    );
}

/// What a unit's points may exceed its maximum by: a bonus counted above 100.
fn beyond_max(scheme: &Scheme) -> Decimal {
    match scheme.bonus() {
        Some((_, cap)) if scheme.index_above_100() => cap,
        _ => Decimal::ZERO,
    }
}

/// A Parquet file that reads back with one row per result, its points within the maximum
/// (and what a bonus may add beyond it).
fn check_parquet(bytes: &[u8], rows: usize, beyond: Decimal) {
    use arrow_array::Array;
    use arrow_array::cast::AsArray;
    use arrow_array::types::Decimal128Type;
    use std::io::Write;
    let mut file = tempfile::tempfile().expect("a temporary file");
    file.write_all(bytes).expect("written");
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .expect("Parquet reads back")
        .build()
        .expect("Parquet reads back");
    let mut count = 0;
    for batch in reader {
        let batch = batch.expect("a batch");
        let points = batch.column_by_name("points").expect("points");
        let max = batch.column_by_name("max_points").expect("max_points");
        let (points, max) = (
            points.as_primitive::<Decimal128Type>(),
            max.as_primitive::<Decimal128Type>(),
        );
        for row in 0..batch.num_rows() {
            if points.is_valid(row) {
                let scale = |a: &arrow_array::PrimitiveArray<Decimal128Type>| match a.data_type() {
                    arrow_schema::DataType::Decimal128(_, s) => *s as u32,
                    _ => 0,
                };
                let p = Decimal::from_i128_with_scale(points.value(row), scale(points));
                let m = Decimal::from_i128_with_scale(max.value(row), scale(max));
                assert!(p >= Decimal::ZERO && p <= m + beyond, "{p} of {m}");
            }
        }
        count += batch.num_rows();
    }
    assert_eq!(count, rows);
}

/// Rows as the readers give them: unit and period composed and trimmed, so that a row read
/// whole and the same row streamed name the same unit.
fn as_read(mut rows: Vec<SourceRow>) -> Vec<SourceRow> {
    for row in &mut rows {
        row.raw.unit = row.raw.unit.as_deref().map(crate::input::unit_name);
        row.raw.period = row
            .raw
            .period
            .as_deref()
            .map(crate::input::period_name)
            .filter(|p| !p.is_empty());
    }
    rows
}

/// The rows through the streamed pipeline, in `format` at `detail`.
fn streamed(
    scheme: &Scheme,
    rows: &[SourceRow],
    options: RunOptions,
    format: OutputFormat,
    detail: Detail,
    report_units: usize,
    lang: Lang,
) -> Vec<u8> {
    let mut sources = Sources::held(scheme, "test", rows.to_vec(), options.ignore_unknown);
    let settings = Settings {
        strict: options.strict,
        ignore_unknown: options.ignore_unknown,
        quiet: true,
        format,
        detail,
        decimals: Decimals::Exact,
        report_units,
        rendering: Rendering {
            lang,
            width: None,
            terminal: false,
        },
    };
    let mut out = Vec::new();
    pipeline::evaluate_into(scheme, &mut sources, &settings, None, &mut out)
        .unwrap_or_else(|e| panic!("{format:?} {detail:?}: {e}"));
    out
}

/// What the row-by-row path writes of a run in `format` at `detail`.
fn row_by_row(run: &Run, format: OutputFormat, detail: Detail) -> Vec<u8> {
    let scheme = &run.batch.scheme;
    let rows = run.rows();
    let mut out = Vec::new();
    match format {
        OutputFormat::Csv => {
            let writer = super::csv::CsvWriter::new(scheme, detail);
            writer.header(&mut out).unwrap();
            writer.rows(&rows, &mut out).unwrap();
        }
        OutputFormat::Jsonl => super::json::lines(scheme, detail, &rows, &mut out).unwrap(),
        OutputFormat::Json => {
            let mut document =
                super::json::DocumentWriter::begin(scheme, detail, &mut out).unwrap();
            document.rows(scheme, &rows, &mut out).unwrap();
            let summary = run.batch.report().summary_json();
            document.end(&summary, None, &mut out).unwrap();
        }
        _ => unreachable!("a machine format"),
    }
    out
}

/// The streamed pipeline writes what the row-by-row path writes, in every machine format at
/// every detail, and renders every report, each shown unit by unit and summarised.
fn check_streamed(scheme: &Scheme, rows: Vec<SourceRow>, options: RunOptions) {
    let rows = as_read(rows);
    let run = Run::evaluate(scheme, rows.clone(), options);
    for detail in DETAILS {
        let mut lines = Vec::new();
        super::json::lines(scheme, detail, &run.rows(), &mut lines).unwrap();
        let by_serde = super::json::lines_by_serde(scheme, detail, &run.rows());
        assert_eq!(
            String::from_utf8_lossy(&lines),
            String::from_utf8_lossy(&by_serde),
            "JSON lines at {detail:?} written by hand and by serde_json"
        );
        for format in [OutputFormat::Csv, OutputFormat::Jsonl, OutputFormat::Json] {
            let streamed = streamed(scheme, &rows, options, format, detail, 200, Lang::Vi);
            let expected = row_by_row(&run, format, detail);
            assert_eq!(
                String::from_utf8_lossy(&streamed),
                String::from_utf8_lossy(&expected),
                "{format:?} at {detail:?}"
            );
        }
        let parquet = streamed(
            scheme,
            &rows,
            options,
            OutputFormat::Parquet,
            detail,
            200,
            Lang::Vi,
        );
        check_parquet(&parquet, rows.len(), beyond_max(scheme));
    }
    for lang in [Lang::Vi, Lang::En] {
        for format in [OutputFormat::Table, OutputFormat::Md, OutputFormat::Html] {
            let rendering = Rendering {
                lang,
                width: None,
                terminal: false,
            };
            let whole = streamed(scheme, &rows, options, format, Detail::Criteria, 200, lang);
            let expected = render(&run, format, rendering).unwrap();
            assert_eq!(
                String::from_utf8_lossy(&whole),
                String::from_utf8_lossy(&expected),
                "{format:?} in {lang:?}"
            );
            let summary = streamed(scheme, &rows, options, format, Detail::Criteria, 0, lang);
            assert_shown(
                std::str::from_utf8(&summary).expect("UTF-8"),
                &format!("summarised {format:?}"),
            );
        }
        let workbook = streamed(
            scheme,
            &rows,
            options,
            OutputFormat::Xlsx,
            Detail::Criteria,
            0,
            lang,
        );
        let mut workbook: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(Cursor::new(workbook)).expect("the workbook opens");
        for name in workbook.sheet_names() {
            let formulas = workbook.worksheet_formula(&name).expect("a sheet");
            assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn every_output_renders_every_batch(
        (scheme, rows) in prop_oneof![Just(scheme()), Just(every_key())]
            .prop_flat_map(|scheme| (Just(scheme.clone()), batch(&scheme))),
        strict in any::<bool>(),
        ignore_unknown in any::<bool>(),
    ) {
        let count = rows.len();
        let options = RunOptions { strict, ignore_unknown };
        let run = Run::evaluate(&scheme, rows.clone(), options);
        prop_assert_eq!(run.batch.results.len(), count);
        check(&run);
        check_streamed(&scheme, rows, options);
    }
}

#[test]
fn a_hostile_batch_renders_everywhere() {
    let scheme = scheme();
    let names = [
        "\u{1b}[31mĐỏ\u{7}",
        "=HYPERLINK(\"http://example.invalid\")",
        "So\u{31b}\u{309} NN&PTNT",
        "-2+3+cmd|' /C calc'!A0",
    ];
    let rows: Vec<SourceRow> = names
        .iter()
        .enumerate()
        .map(|(i, name)| SourceRow {
            place: Place::Line {
                file: "\u{1b}]0;x\u{7}.csv".into(),
                line: i as u64 + 2,
            },
            raw: RawRow {
                row: i + 2,
                unit: Some(name.to_string()),
                period: Some("2024".into()),
                cells: vec![
                    ("survey_points".into(), "17.5".into()),
                    (
                        "dossiers_on_time".into(),
                        if i == 3 { "\u{9b}x" } else { "9899" }.into(),
                    ),
                    ("dossiers_resolved".into(), "10000".into()),
                    ("business_dialogue_held".into(), "không".into()),
                ],
            },
            problem: None,
            bad_cells: Vec::new(),
        })
        .collect();
    let run = Run::evaluate(&scheme, rows.clone(), RunOptions::default());
    assert_eq!(run.batch.error_count(), 1);
    check(&run);
    check_streamed(&scheme, rows, RunOptions::default());
}
