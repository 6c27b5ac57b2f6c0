//! What this part of the command reads and writes, fed arbitrary input: bytes and workbooks
//! of arbitrary cells as a scheme (`--scheme x.xlsx`, `scheme check`), workbooks laid out
//! like a filled template as an input, model text (`--model`), and every output of
//! `sensitivity` on arbitrary small batches. Whatever they meet they must not panic, fail
//! only with a message naming the file (and in a workbook the sheet), give one result per
//! row read with points in [0, max], and one study entry per unit with probabilities in
//! [0, 1] and p5 ≤ p50 ≤ p95.
//!
//! `PROPTEST_CASES=5000 cargo test -p parscore-cli --test fuzz_workbooks` runs longer.

use std::io::Cursor;
use std::path::Path;
use std::sync::LazyLock;

use calamine::{Data, Reader, Xlsx};
use parscore::{Decimal, Scheme};
use parscore_cli::cli::{InputFormat, OutputFormat};
use parscore_cli::commands::{scheme_source, sensitivity};
use parscore_cli::input::{self, ReadOptions};
use parscore_cli::output::sensitivity::{Analysis, ModelSource, render};
use parscore_cli::output::{Lang, Rendering};
use parscore_cli::run::{Run, RunOptions};
use parscore_uncertainty::{Level, Settings, Study};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use rust_xlsxwriter::{Format, Formula, Workbook};
use serde_json::Value as Json;

static SCHEME: LazyLock<Scheme> =
    LazyLock::new(|| Scheme::builtin("lang-son-snn-2024").expect("the built-in scheme loads"));

/// The built-in plan as a workbook, sheet by sheet, as its cells read.
static PLAN: LazyLock<Vec<(String, Vec<Vec<Data>>)>> = LazyLock::new(|| {
    let bytes = parscore_workbook::write_scheme(&SCHEME).unwrap();
    let mut book = Xlsx::new(Cursor::new(bytes)).unwrap();
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let (rows, columns) = range.end().map_or((0, 0), |(r, c)| (r + 1, c + 1));
            let cells = (0..rows)
                .map(|r| {
                    (0..columns)
                        .map(|c| range.get_value((r, c)).cloned().unwrap_or(Data::Empty))
                        .collect()
                })
                .collect();
            (name, cells)
        })
        .collect()
});

const FILE: &str = "nhập-liệu.xlsx";

fn cases(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default);
    ProptestConfig::with_cases(cases)
}

/// A cell as people type them in a workbook.
#[derive(Debug, Clone)]
enum Typed {
    Text(String),
    Number(f64),
    Percent(f64),
    Bool(bool),
    /// A formula whose cached result is an Excel error.
    Error,
}

fn typed() -> impl Strategy<Value = Typed> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "", "có", "co\u{301}", "không", "x", "n/a", "N/A", "98,7", "98.7", "12.000",
            "1,500", "16,85", "1.234,5", "987/1000", "1,5/3", "0/0", "98,7%", "abc", "-1",
            "101", "I", "I.1", "II.1", "III.4.1", "KS.1", "Đơn vị", "unit", "Kỳ đánh giá",
            "Mã chỉ tiêu", "Giá trị tự đánh giá", "survey_points", "dossiers_on_time",
            "reports_on_time", "dossiers_on_time_rate", "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn",
            "Điểm điều tra xã hội học (khảo sát)", "Sở Y tế", "So\u{31b}\u{309} Y te\u{302}\u{301}",
            "2024", "theo mức", "từ 99%: 2; từ 95% đến dưới 99%: 1", "trên 99%: 2",
            "đạt/không đạt", "tỷ lệ %", "số lượng", "có/không", ">= 99", "≥ 99%", "== 0",
            "=1+1", "\n", " ",
        ])
        .prop_map(|s| Typed::Text(s.to_string())),
        2 => prop_oneof![
            (0u32..=100).prop_map(f64::from),
            (0u32..100_000).prop_map(|n| f64::from(n) / 100.0),
            Just(-1.0),
            Just(1e20),
            Just(0.1 + 0.2),
        ]
        .prop_map(Typed::Number),
        1 => (0u32..=1000).prop_map(|n| Typed::Percent(f64::from(n) / 1000.0)),
        1 => any::<bool>().prop_map(Typed::Bool),
        1 => Just(Typed::Error),
        1 => "\\PC{0,6}".prop_map(Typed::Text),
    ]
}

fn write_cell(sheet: &mut rust_xlsxwriter::Worksheet, row: u32, column: u16, cell: &Typed) {
    let written = match cell {
        Typed::Text(text) if text.is_empty() => Ok(sheet),
        Typed::Text(text) => sheet.write_string(row, column, text),
        Typed::Number(n) => sheet.write_number(row, column, *n),
        Typed::Percent(n) => {
            sheet.write_number_with_format(row, column, *n, &Format::new().set_num_format("0.0%"))
        }
        Typed::Bool(b) => sheet.write_boolean(row, column, *b),
        Typed::Error => {
            sheet.write_formula(row, column, Formula::new("=1/0").set_result("#DIV/0!"))
        }
    };
    written.unwrap();
}

/// A failure must name the file it is about.
fn named(failure: parscore_cli::fail::Failure, file: &str) -> Result<(), TestCaseError> {
    let message = failure.to_string();
    prop_assert!(
        message.contains(file),
        "a failure without its file: {message}"
    );
    if let parscore_cli::fail::Failure::Workbook { problems, .. } = &failure {
        prop_assert!(!problems.is_empty());
        for problem in problems {
            prop_assert!(!problem.place.sheet.is_empty() || problem.place.cell.is_none());
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn any_bytes_as_a_scheme_are_read_or_refused_with_their_name(
        bytes in prop::collection::vec(any::<u8>(), 0..400),
        zip in any::<bool>(),
        extension in prop::sample::select(vec!["xlsx", "xls", "ods", "toml", "json", "txt"]),
    ) {
        let mut bytes = bytes;
        if zip {
            bytes.splice(0..0, *b"PK\x03\x04");
        }
        let name = format!("bộ-tiêu-chí.{extension}");
        if let Err(failure) = scheme_source::from_bytes(&name, &bytes) {
            named(failure, &name)?;
        }
    }
}

proptest! {
    #![proptest_config(cases(96))]

    /// The plan's workbook with cells replaced, rows dropped and sheets left out, as a
    /// province mistypes its instrument: a scheme, or every problem at its sheet.
    #[test]
    fn the_plan_workbook_mistyped_reads_or_names_each_problems_cell(
        edits in prop::collection::vec((0usize..4, 0u32..80, 0u16..16, typed()), 0..12),
        dropped in prop::collection::vec((0usize..4, 0u32..80), 0..3),
        left_out in prop::option::of(0usize..4),
    ) {
        let mut sheets = PLAN.clone();
        let mut edited: Vec<Vec<Vec<Option<Typed>>>> = sheets
            .iter()
            .map(|(_, rows)| rows.iter().map(|row| vec![None; row.len()]).collect())
            .collect();
        for (sheet, row, column, cell) in edits {
            let sheet = sheet % sheets.len();
            let rows = &mut edited[sheet];
            let row = row as usize % (rows.len() + 2);
            while rows.len() <= row {
                rows.push(Vec::new());
                sheets[sheet].1.push(Vec::new());
            }
            let column = column as usize;
            if rows[row].len() <= column {
                rows[row].resize(column + 1, None);
            }
            rows[row][column] = Some(cell);
        }
        let mut book = Workbook::new();
        for (i, (name, rows)) in sheets.iter().enumerate() {
            if left_out == Some(i) {
                continue;
            }
            let sheet = book.add_worksheet();
            sheet.set_name(name).unwrap();
            let mut out_row = 0;
            for (r, row) in rows.iter().enumerate() {
                if dropped.iter().any(|&(s, d)| s % 4 == i && d as usize == r) {
                    continue;
                }
                for (c, data) in row.iter().enumerate() {
                    let c = c as u16;
                    match data {
                        Data::String(s) => { sheet.write_string(out_row, c, s).unwrap(); }
                        Data::Float(f) => { sheet.write_number(out_row, c, *f).unwrap(); }
                        _ => {}
                    }
                }
                for (c, cell) in edited[i][r].iter().enumerate() {
                    if let Some(cell) = cell {
                        write_cell(sheet, out_row, c as u16, cell);
                    }
                }
                out_row += 1;
            }
        }
        let bytes = book.save_to_buffer().unwrap();
        let name = "bộ-tiêu-chí.xlsx";
        match scheme_source::from_bytes(name, &bytes) {
            // What reads is a valid scheme, as the TOML it stands for is.
            Ok(scheme) => prop_assert!(scheme.to_toml().is_ok_and(|t| Scheme::from_toml(&t).is_ok())),
            Err(failure) => named(failure, name)?,
        }
    }
}

/// How a header of a template's table names an indicator: by id, by title, or
/// `Title [id]`; or a header of no indicator.
fn header() -> impl Strategy<Value = String> {
    let ids: Vec<String> = SCHEME.indicators().iter().map(|i| i.id.clone()).collect();
    (prop::sample::select(ids), 0u8..4, "\\PC{0,6}").prop_map(|(id, how, text)| {
        let title = SCHEME
            .indicator(&id)
            .map(|i| i.title.clone())
            .unwrap_or_default();
        match how {
            0 => id,
            1 => title,
            2 => format!("{title} [{id}]"),
            _ => text,
        }
    })
}

/// A filled template of either layout: a table (titles, ids below, a row per unit) or
/// self-assessment forms (a sheet per unit), with arbitrary cells where values go.
#[derive(Debug, Clone)]
enum Filled {
    Table {
        headers: Vec<String>,
        ids_row: bool,
        rows: Vec<(Typed, Typed, Vec<Typed>)>,
    },
    Forms(Vec<(Typed, Vec<(String, Typed)>)>),
}

fn filled() -> impl Strategy<Value = Filled> {
    let ids: Vec<String> = SCHEME.indicators().iter().map(|i| i.id.clone()).collect();
    prop_oneof![
        prop::collection::vec(header(), 0..8).prop_flat_map(|headers| {
            let width = headers.len();
            (
                Just(headers),
                any::<bool>(),
                prop::collection::vec(
                    (typed(), typed(), prop::collection::vec(typed(), width)),
                    0..8,
                ),
            )
                .prop_map(|(headers, ids_row, rows)| Filled::Table {
                    headers,
                    ids_row,
                    rows,
                })
        }),
        prop::collection::vec(
            (
                typed(),
                prop::collection::vec((prop::sample::select(ids), typed()), 0..8)
            ),
            0..4,
        )
        .prop_map(Filled::Forms),
    ]
}

fn workbook_of(filled: &Filled) -> Vec<u8> {
    let mut book = Workbook::new();
    match filled {
        Filled::Table {
            headers,
            ids_row,
            rows,
        } => {
            let sheet = book.add_worksheet();
            sheet.write_string(0, 0, "Chỉ số CCHC").unwrap();
            sheet.write_string(1, 0, "Đơn vị").unwrap();
            sheet.write_string(1, 1, "Kỳ đánh giá").unwrap();
            for (c, header) in headers.iter().enumerate() {
                sheet.write_string(1, c as u16 + 2, header).unwrap();
            }
            let first = if *ids_row {
                sheet.write_string(2, 0, "unit").unwrap();
                sheet.write_string(2, 1, "period").unwrap();
                3
            } else {
                2
            };
            for (r, (unit, period, cells)) in rows.iter().enumerate() {
                let r = first + r as u32;
                write_cell(sheet, r, 0, unit);
                write_cell(sheet, r, 1, period);
                for (c, cell) in cells.iter().enumerate() {
                    write_cell(sheet, r, c as u16 + 2, cell);
                }
            }
        }
        Filled::Forms(forms) => {
            for (unit, values) in forms {
                let sheet = book.add_worksheet();
                sheet.write_string(1, 0, "Đơn vị").unwrap();
                write_cell(sheet, 1, 1, unit);
                sheet.write_string(2, 0, "Kỳ đánh giá").unwrap();
                sheet.write_string(2, 1, "2024").unwrap();
                sheet.write_string(4, 4, "Giá trị tự đánh giá").unwrap();
                sheet.write_string(4, 7, "Mã chỉ tiêu").unwrap();
                for (r, (id, value)) in values.iter().enumerate() {
                    let r = 5 + r as u32;
                    write_cell(sheet, r, 4, value);
                    sheet.write_string(r, 7, id).unwrap();
                }
            }
        }
    }
    book.save_to_buffer().unwrap()
}

/// Reads the bytes as `evaluate` reads an Excel input for the built-in plan, and scores
/// them; checks every invariant.
fn read_and_score(bytes: Vec<u8>, ignore_unknown: bool) -> Result<(), TestCaseError> {
    let options = ReadOptions {
        scheme: Some(SCHEME.clone()),
        ..ReadOptions::default()
    };
    let file = match input::read_rows(FILE, bytes, InputFormat::Xlsx, &options) {
        Ok(file) => file,
        Err(failure) => return named(failure, FILE),
    };
    let files = [file];
    if let Err(failure) = input::columns::check(&SCHEME, &files, ignore_unknown) {
        return named(failure, FILE);
    }
    let [file] = files;
    let count = file.rows.len();
    let run = Run::evaluate(
        &SCHEME,
        file.rows,
        RunOptions {
            strict: false,
            ignore_unknown,
        },
    );
    prop_assert_eq!(run.batch.results.len(), count);
    for (result, place) in run.batch.results.iter().zip(&run.places) {
        prop_assert!(place.to_string().starts_with(FILE), "{place}");
        if let Ok(evaluation) = &result.outcome {
            let (points, max) = (evaluation.points(), evaluation.max_points());
            prop_assert!(
                points >= Decimal::ZERO && points <= max,
                "{place}: {points} of {max}"
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(192))]

    #[test]
    fn filled_templates_of_any_cells_read_as_rows_with_their_places(
        filled in filled(),
        ignore_unknown in any::<bool>(),
    ) {
        read_and_score(workbook_of(&filled), ignore_unknown)?;
    }

    #[test]
    fn any_bytes_as_an_input_workbook_are_read_or_refused(
        bytes in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        let mut bytes = bytes;
        bytes.splice(0..0, *b"PK\x03\x04");
        read_and_score(bytes, true)?;
    }
}

/// The example units, scored: the batch a model is tried on.
static UNITS: LazyLock<Run> = LazyLock::new(|| {
    let bytes = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/data/units-2024.csv"),
    )
    .unwrap();
    let file = input::read_rows(
        "units.csv",
        bytes,
        InputFormat::Csv,
        &ReadOptions::default(),
    )
    .unwrap();
    Run::evaluate(&SCHEME, file.rows, RunOptions::default())
});

/// Text made of the pieces model files are built from.
fn model_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "[weights]\n",
        "[uncertainty]\n",
        "[uncertainty.weights]\n",
        "spread = ",
        "20",
        "-5",
        "100",
        "99.9",
        "0",
        "1e3",
        "distribution = \"dirichlet\"\n",
        "distribution = \"uniform\"\n",
        "concentration = ",
        "vary = \"areas\"\n",
        "vary = \"criteria\"\n",
        "keep = \"areas\"\n",
        "keep = \"total\"\n",
        "fixed = [\"KS\"]\n",
        "fixed = [\"III.4.1\", \"X\"]\n",
        "[[weights.criterion]]\n",
        "code = \"III\"\n",
        "code = \"Z\"\n",
        "[[inputs]]\n",
        "indicator = \"survey_points\"\n",
        "indicator = \"dossiers_on_time\"\n",
        "indicator = \"dossiers_on_time_rate\"\n",
        "indicator = \"khảo_sát\"\n",
        "range = [14, 19]\n",
        "range = [19, 14]\n",
        "range = [-5, 500]\n",
        "margin = 1\n",
        "margin = -1\n",
        "places = 2\n",
        "places = 40\n",
        "only_missing = true\n",
        "[methods]\n",
        "not_applicable = [\"exclude\", \"full_points\"]\n",
        "not_applicable = []\n",
        "rounding = [{ places = 1 }, { places = 2, apply = \"criterion\" }]\n",
        "rounding = [{ places = 99 }]\n",
        "\n",
        "=",
        "\"",
        "[",
        "]",
        "{",
        "}",
        ",",
        "#",
        "spred = 1\n",
    ]);
    prop::collection::vec(pieces, 0..24).prop_map(|pieces| pieces.concat())
}

/// Checks a study's results and renders every output of it.
fn study_and_render(
    run: &Run,
    source: &ModelSource,
    model: &parscore_uncertainty::Model,
    samples: usize,
    seed: u64,
) -> Result<(), TestCaseError> {
    let settings = Settings {
        samples,
        seed,
        threads: Some(1),
        sensitivity: Some(Level::Areas),
    };
    let results = match Study::new(&run.batch, model, settings).and_then(|s| s.run()) {
        Ok(results) => results,
        // Sums beyond the exact path's digits: refused, with the reason.
        Err(error) => {
            prop_assert!(!error.to_string().is_empty());
            return Ok(());
        }
    };
    prop_assert_eq!(results.units.len(), run.batch.results.len());
    for unit in &results.units {
        for (_, p) in &unit.grades {
            prop_assert!((0.0..=1.0).contains(p), "{p}");
        }
        if let (Some(a), Some(b), Some(c)) = (unit.p05, unit.p50, unit.p95) {
            prop_assert!(a <= b && b <= c, "{a} {b} {c}");
            let total: f64 = unit.grades.iter().map(|(_, p)| p).sum();
            prop_assert!(
                (total - 1.0).abs() < 1e-9 || unit.index.is_none(),
                "{total}"
            );
        }
        if let (Some(a), Some(b)) = (unit.rank_p05, unit.rank_p95) {
            prop_assert!(a <= b);
        }
    }
    let analysis = Analysis {
        run,
        results: &results,
        model: source,
        certain: model.is_certain(),
    };
    for format in [
        OutputFormat::Table,
        OutputFormat::Csv,
        OutputFormat::Json,
        OutputFormat::Md,
        OutputFormat::Html,
        OutputFormat::Xlsx,
    ] {
        for lang in [Lang::Vi, Lang::En] {
            let rendering = Rendering {
                lang,
                width: None,
                terminal: false,
            };
            let bytes = render(&analysis, format, rendering)
                .map_err(|f| TestCaseError::fail(format!("{format:?}: {f}")))?;
            prop_assert!(!bytes.is_empty());
            if format == OutputFormat::Json {
                let document: Json = serde_json::from_slice(&bytes).unwrap();
                prop_assert_eq!(
                    document["units"].as_array().map(Vec::len),
                    Some(run.batch.results.len())
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(128))]

    #[test]
    fn any_model_text_is_read_or_refused_at_its_place_and_a_read_one_runs(
        text in model_text(),
        weights in prop::option::of(0u32..120),
        seed in any::<u64>(),
    ) {
        let path = Path::new("mô-hình.toml");
        let weights = weights.map(Decimal::from);
        match sensitivity::model(&SCHEME, Some((path, &text)), weights) {
            Ok((model, source)) => study_and_render(&UNITS, &source, &model, 4, seed)?,
            Err(failure) => {
                let message = failure.to_string();
                prop_assert!(
                    message.contains("mô-hình.toml") || message.starts_with("--weights: "),
                    "{message}"
                );
            }
        }
    }
}

/// A unit's row: its name, its period and its (id, text) cells.
type Row = (String, String, Vec<(String, String)>);

/// Rows of a few units with arbitrary cells of a few indicators.
fn batch() -> impl Strategy<Value = Vec<Row>> {
    let ids = vec![
        "survey_points",
        "dossiers_on_time",
        "dossiers_resolved",
        "reports_on_time",
        "online_full_services_rate",
        "tasks_plan_completion_rate",
        "disbursement_rate",
    ];
    let cell = prop::sample::select(vec![
        "", "0", "1", "17", "16.85", "20", "25", "100", "98.7", "990", "1000", "có", "không", "x",
        "n/a", "abc", "-1", "0/0", "987/1000",
    ]);
    prop::collection::vec(
        (
            prop::sample::select(vec![
                "Sở Y tế",
                "Sở Tư pháp",
                "Sở Nội vụ",
                "So\u{31b}\u{309} Y te\u{302}\u{301}",
                "",
                "Sở A",
            ]),
            prop::sample::select(vec!["2024", "2025", ""]),
            prop::collection::vec((prop::sample::select(ids), cell), 0..6),
        ),
        0..7,
    )
    .prop_map(|rows| {
        rows.into_iter()
            .map(|(u, p, cells)| {
                let mut seen = Vec::new();
                let cells = cells
                    .into_iter()
                    .filter(|(id, _)| {
                        let fresh = !seen.contains(id);
                        seen.push(*id);
                        fresh
                    })
                    .map(|(id, c)| (id.to_string(), c.to_string()))
                    .collect();
                (u.to_string(), p.to_string(), cells)
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(cases(128))]

    #[test]
    fn every_output_of_a_study_of_any_small_batch_holds(
        rows in batch(),
        weights in prop::option::of(0u32..80),
        samples in 1usize..12,
        seed in any::<u64>(),
    ) {
        let rows = rows
            .into_iter()
            .enumerate()
            .map(|(i, (unit, period, cells))| input::SourceRow {
                place: input::Place::Line { file: "u.csv".into(), line: i as u64 + 2 },
                raw: parscore::RawRow {
                    row: i + 2,
                    unit: Some(unit),
                    period: Some(period).filter(|p| !p.is_empty()),
                    cells,
                },
                problem: None,
                bad_cells: Vec::new(),
            })
            .collect();
        let run = Run::evaluate(&SCHEME, rows, RunOptions::default());
        let (model, source) = sensitivity::model(&SCHEME, None, weights.map(Decimal::from))
            .map_err(|f| TestCaseError::fail(f.to_string()))?;
        study_and_render(&run, &source, &model, samples, seed)?;
    }
}
