//! The outputs under arbitrary batches: unit names with control characters, NFD text,
//! formulas and long text; values missing, not applicable, out of range or unreadable; rows
//! that fail as a whole. Each batch is scored with the built-in scheme, or with a scheme of
//! every key (bonus points, penalty points, a rank policy), and rendered in every format in
//! both languages: nothing panics, each machine format has one result per row, terminal text
//! holds no raw control character, and no CSV cell starts like a formula.
//!
//! `PROPTEST_CASES=5000 cargo test -p parscore-cli --lib output::props` runs it longer.

use std::io::Cursor;

use calamine::Reader;
use parscore::{Decimal, RawRow, Scheme};
use proptest::prelude::*;
use serde_json::Value as Json;

use super::{Lang, Rendering, escape, render};
use crate::cli::OutputFormat;
use crate::input::{Place, SourceRow};
use crate::run::{Run, RunOptions};

const FORMATS: [OutputFormat; 6] = [
    OutputFormat::Table,
    OutputFormat::Csv,
    OutputFormat::Json,
    OutputFormat::Md,
    OutputFormat::Html,
    OutputFormat::Xlsx,
];

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
                let Ok(evaluation) = &unit.outcome else {
                    assert_eq!(result["status"], "error");
                    continue;
                };
                let scheme = evaluation.scheme();
                let beyond = match scheme.bonus() {
                    Some((_, cap)) if scheme.index_above_100() => cap,
                    _ => Decimal::ZERO,
                };
                assert!(evaluation.points() >= Decimal::ZERO);
                assert!(evaluation.points() <= evaluation.max_points() + beyond);
                assert_eq!(
                    result["missing"]["count"].as_u64(),
                    Some(evaluation.missing().count() as u64)
                );
            }
        }
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
        let run = Run::evaluate(&scheme, rows, RunOptions { strict, ignore_unknown });
        prop_assert_eq!(run.batch.results.len(), count);
        check(&run);
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
    let run = Run::evaluate(&scheme, rows, RunOptions::default());
    assert_eq!(run.batch.error_count(), 1);
    check(&run);
}
