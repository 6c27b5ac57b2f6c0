//! The fuzzing harness that runs with the tests: arbitrary scheme text (valid schemes
//! mutated, and random text) through `Scheme::from_text`; for each scheme that loads,
//! arbitrary rows — extreme numbers, 28 places, counts, words, decomposed text, control
//! characters, empty cells, unknown and repeated columns — through `inputs_from_row`,
//! `evaluate_rows` and `rows_from_json`, and every output: the results document, `explain`,
//! `recoverable`, the missing summary. `parscore-columnar`'s tests take the same schemes and
//! rows through `score_batches`.
//!
//! Asserted for every case: no panic, one result per input row, and points within bounds at
//! every node — a group and the unit within `[0, max]`, a leaf at most its maximum and at
//! least 0 (a deduction's at least its maximum less its cap, which reaches into its group);
//! the penalties section within `[-cap, 0]`, and the unit above its maximum by at most the
//! bonus cap, only when the scheme lets the index pass 100.
//!
//! Fast enough for every test run; `PROPTEST_CASES=5000 cargo test -p parscore --test fuzz`
//! runs longer. The `cargo fuzz` targets in `fuzz/` take the same inputs for hours.

use std::path::Path;

use parscore::{Decimal, Evaluation, Options, RawRow, Rule, Scheme, Status, rows_from_json};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::strategy::ValueTree;

/// Cases per property: `PROPTEST_CASES` when set, else a few seconds' worth.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

/// The properties' configuration: [`cases`] of each, failures not persisted.
pub(crate) fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(48),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Valid schemes to mutate: the built-in plan (TOML and JSON) and the golden cases'.
fn seeds() -> &'static [String] {
    static SEEDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    SEEDS.get_or_init(|| {
        let builtin = Scheme::builtin("lang-son-snn-2024").unwrap();
        let mut seeds = vec![builtin.to_toml().unwrap(), builtin.to_json().unwrap()];
        let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden");
        let mut cases: Vec<_> = std::fs::read_dir(golden)
            .unwrap()
            .map(|e| e.unwrap().path().join("scheme.toml"))
            .filter(|p| p.exists())
            .collect();
        cases.sort();
        seeds.extend(cases.iter().map(|p| std::fs::read_to_string(p).unwrap()));
        seeds
    })
}

/// Numbers at the edges of what a decimal, a float and the limits hold.
const EXTREMES: &[&str] = &[
    "0",
    "-0",
    "1e-28",
    "0.0000000000000000000000000001",
    "50.00000000000000000000000001",
    "99.99999999999999999999999999",
    "0.3333333333333333333333333333",
    "98.99999999999999999",
    "79228162514264337593543950335",
    "-79228162514264337593543950335",
    "999999999999999",
    "1000000000000000",
    "1e15",
    "1e300",
    "1e-400",
    "100",
    "100.0000000000000000000000001",
    "150",
    "-1",
    "1_000",
    "inf",
    "nan",
];

/// One cell as a person, a system or an attacker writes it.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(EXTREMES).prop_map(str::to_string),
        4 => (0i64..=1000).prop_map(|n| n.to_string()),
        3 => (0i64..=100_000, 0u32..=28).prop_map(|(n, s)| Decimal::new(n, s).to_string()),
        2 => (0u64..=2000, 0u64..=2000).prop_map(|(a, b)| format!("{a}/{b}")),
        1 => Just("999999999999999/999999999999999".to_string()),
        1 => Just("1/79228162514264337593543950335".to_string()),
        2 => proptest::sample::select(&[
            "có", "co\u{301}", "x", "không", "khong", "✓", "đúng", "sai", "n/a", "N/A",
            "không áp dụng", "true", "false", "yes", "1", "0", "50%", "98,7", "98.7%",
            "", " ", "\u{0}", "\u{7}\u{1b}[31m", "\u{feff}1", "\u{202e}99", "٣",
        ][..])
        .prop_map(str::to_string),
        1 => "\\PC{0,12}",
        1 => ".{0,8}",
    ]
}

/// A column name: an indicator of the scheme (mostly), in NFC or NFD, or a stray one.
fn column(ids: &[String]) -> impl Strategy<Value = String> + use<> {
    let ids = ids.to_vec();
    (any::<Index>(), 0u8..10).prop_map(move |(pick, how)| {
        let id = ids
            .get(pick.index(ids.len().max(1)))
            .cloned()
            .unwrap_or_default();
        match how {
            0 => format!("{id}x"),
            1 => "Sở".to_string(),
            2 => "So\u{31b}\u{309}".to_string(),
            3 => id.to_uppercase(),
            _ => id,
        }
    })
}

fn unit() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        6 => "[A-Z][a-z]{0,3}".prop_map(Some),
        1 => Just(Some("Sở Tư pháp".to_string())),
        1 => Just(Some("So\u{31b}\u{309} Tu\u{31b} pha\u{301}p".to_string())),
        1 => Just(Some("  ".to_string())),
        1 => Just(None),
        1 => Just(Some("\u{0}\u{1b}".to_string())),
    ]
}

pub(crate) fn rows(ids: Vec<String>) -> impl Strategy<Value = Vec<RawRow>> {
    let row = (
        unit(),
        proptest::option::of(prop_oneof!["20[0-9]{2}", Just("2024.0".to_string())]),
        proptest::collection::vec((column(&ids), cell()), 0..12),
    );
    proptest::collection::vec(row, 0..6).prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (unit, period, cells))| RawRow {
                row: i + 1,
                unit,
                period,
                cells,
            })
            .collect()
    })
}

/// A change to a valid scheme's text.
#[derive(Debug, Clone)]
enum Mutation {
    Delete(Index, usize),
    Insert(Index, String),
    /// Replaces the n-th number of the text.
    Number(Index, &'static str),
    DuplicateLine(Index),
    Decompose,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        2 => (any::<Index>(), 1usize..40).prop_map(|(at, n)| Mutation::Delete(at, n)),
        2 => (any::<Index>(), prop_oneof![
            "\\PC{0,10}",
            proptest::sample::select(&[
                "\n[[areas]]\n", "\nmax_point = 1\n", "\n[[indicators]]\nid = \"unit\"\nkind = \"count\"\n",
                "\"", "{", "}", "]", "=", "\n", "\u{feff}", ">= @", "%", "1e-28",
                "\n[bonus]\n", "\n[[bonus.criteria]]\n", "\nindex_above_100 = true\n",
                "\n[penalties]\ncode = \"P\"\ntitle = \"P\"\ncap = 1\ncriteria = []\n",
                "\n[[penalties.criteria]]\n", "\nper = 0\n", "\ncap = -1\n",
                "\n[ranking]\nties = \"exact\"\n", "\ntie_break = [\"I\", \"I\"]\n",
            ][..]).prop_map(str::to_string),
        ]).prop_map(|(at, text)| Mutation::Insert(at, text)),
        4 => (any::<Index>(), proptest::sample::select(EXTREMES))
            .prop_map(|(at, n)| Mutation::Number(at, n)),
        1 => any::<Index>().prop_map(Mutation::DuplicateLine),
        1 => Just(Mutation::Decompose),
    ]
}

fn apply(text: &str, mutation: &Mutation) -> String {
    let boundary = |at: usize| {
        let mut at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    match mutation {
        Mutation::Delete(at, n) => {
            let start = boundary(at.index(text.len() + 1));
            let end = boundary(start + n);
            format!("{}{}", &text[..start], &text[end..])
        }
        Mutation::Insert(at, insert) => {
            let at = boundary(at.index(text.len() + 1));
            format!("{}{insert}{}", &text[..at], &text[at..])
        }
        Mutation::Number(at, number) => {
            let numbers: Vec<(usize, usize)> = number_spans(text);
            match numbers.get(at.index(numbers.len().max(1))) {
                Some(&(start, end)) => format!("{}{number}{}", &text[..start], &text[end..]),
                None => text.to_string(),
            }
        }
        Mutation::DuplicateLine(at) => {
            let lines: Vec<&str> = text.lines().collect();
            let n = at.index(lines.len().max(1));
            let mut out: Vec<&str> = lines.clone();
            if let Some(line) = lines.get(n) {
                out.insert(n, line);
            }
            out.join("\n")
        }
        Mutation::Decompose => {
            use unicode_normalization::UnicodeNormalization;
            text.nfd().collect()
        }
    }
}

/// Byte spans of the numbers written after `= ` or `: ` in a scheme's text.
fn number_spans(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if (bytes[i] == b'=' || bytes[i] == b':') && bytes[i + 1] == b' ' {
            let start = i + 2;
            let mut end = start;
            while end < bytes.len()
                && (bytes[end].is_ascii_digit() || b".-eE+_".contains(&bytes[end]))
            {
                end += 1;
            }
            if end > start && bytes[start..end].iter().any(u8::is_ascii_digit) {
                spans.push((start, end));
            }
            i = end;
        } else {
            i += 1;
        }
    }
    spans
}

pub(crate) fn scheme_text() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => (any::<Index>(), proptest::collection::vec(mutation(), 0..4)).prop_map(|(seed, changes)| {
            let seeds = seeds();
            let mut text = seeds[seed.index(seeds.len())].clone();
            for change in &changes {
                text = apply(&text, change);
            }
            text
        }),
        1 => "\\PC{0,200}",
        1 => ".{0,60}",
    ]
}

/// How far a unit's total may pass its maximum: the bonus cap when the scheme lets the
/// index pass 100, else nothing.
pub(crate) fn beyond(scheme: &Scheme) -> Decimal {
    match scheme.bonus() {
        Some((_, cap)) if scheme.index_above_100() => cap,
        _ => Decimal::ZERO,
    }
}

/// Points within bounds at every node of an evaluation, and every output rendered.
fn check(evaluation: &Evaluation) -> Result<(), TestCaseError> {
    let scheme = evaluation.scheme();
    for c in evaluation.criteria() {
        let least = match c.criterion().rule() {
            Some(Rule::Deduction { cap, .. }) => (c.max_points() - cap).min(Decimal::ZERO),
            _ => Decimal::ZERO,
        };
        prop_assert!(
            c.points() <= c.max_points(),
            "{}: {} of {}",
            c.code(),
            c.points(),
            c.max_points()
        );
        prop_assert!(
            c.points() >= least,
            "{}: {} of {}",
            c.code(),
            c.points(),
            c.max_points()
        );
        prop_assert!(c.max_points() <= c.criterion().max_points);
        prop_assert!(c.recoverable() >= Decimal::ZERO);
        if c.status() == Status::Missing {
            prop_assert_eq!(c.points(), Decimal::ZERO);
        }
        c.explanation();
    }
    let penalties = scheme.penalties();
    for g in evaluation.groups() {
        let least = match penalties {
            Some((section, cap)) if section.code == g.code() => -cap,
            _ => Decimal::ZERO,
        };
        prop_assert!(
            g.points() >= least && g.points() <= g.max_points(),
            "{}: {} of {}",
            g.code(),
            g.points(),
            g.max_points()
        );
    }
    prop_assert!(evaluation.points() >= Decimal::ZERO);
    prop_assert!(evaluation.points() <= evaluation.max_points() + beyond(scheme));
    if let Some(index) = evaluation.index_rounded() {
        prop_assert!(
            index >= Decimal::ZERO && (index <= Decimal::ONE_HUNDRED || scheme.index_above_100()),
            "{}",
            index
        );
    }
    evaluation.explain();
    evaluation.recoverable();
    evaluation.missing_summary();
    serde_json::to_string(&evaluation.to_json()).unwrap();
    Ok(())
}

/// Rows of a scheme through every row path and output.
fn score_rows(scheme: &Scheme, rows: &[RawRow]) -> Result<(), TestCaseError> {
    for options in [Options::default(), Options { strict: true }] {
        for ignore_unknown in [false, true] {
            let batch = scheme.evaluate_rows(rows, ignore_unknown, &options);
            prop_assert_eq!(batch.results.len(), rows.len());
            for (result, row) in batch.results.iter().zip(rows) {
                prop_assert_eq!(result.row, row.row);
                if let Ok(evaluation) = &result.outcome {
                    check(evaluation)?;
                }
            }
            let text = serde_json::to_string(&batch.report()).unwrap();
            let document: serde_json::Value = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(
                document["results"].as_array().map(Vec::len),
                Some(rows.len())
            );
            batch.summary();
        }
    }
    Ok(())
}

/// The rows as JSON lines, read back by `rows_from_json` and scored.
fn score_json(scheme: &Scheme, rows: &[RawRow]) -> Result<(), TestCaseError> {
    let lines: Vec<String> = rows
        .iter()
        .map(|row| {
            let mut object = serde_json::Map::new();
            if let Some(unit) = &row.unit {
                object.insert("unit".into(), unit.clone().into());
            }
            for (column, cell) in &row.cells {
                object.insert(column.clone(), cell.clone().into());
            }
            serde_json::Value::Object(object).to_string()
        })
        .collect();
    if let Ok(read) = rows_from_json(&lines.join("\n")) {
        prop_assert_eq!(read.len(), rows.len());
        score_rows(scheme, &read)?;
    }
    let array = format!("[{}]", lines.join(","));
    if let Ok(read) = rows_from_json(&array) {
        prop_assert_eq!(read.len(), rows.len());
    }
    Ok(())
}

/// Rows drawn for a scheme from a runner of their own, seeded.
pub(crate) fn seeded_rows(scheme: &Scheme, seed: u64) -> Vec<RawRow> {
    let mut runner = proptest::test_runner::TestRunner::new_with_rng(
        ProptestConfig::default(),
        proptest::test_runner::TestRng::from_seed(proptest::test_runner::RngAlgorithm::ChaCha, &{
            let mut bytes = [0u8; 32];
            bytes[..8].copy_from_slice(&seed.to_le_bytes());
            bytes
        }),
    );
    rows(ids(scheme)).new_tree(&mut runner).unwrap().current()
}

/// Input ids of a scheme, in order.
pub(crate) fn ids(scheme: &Scheme) -> Vec<String> {
    scheme.indicators().iter().map(|i| i.id.clone()).collect()
}

proptest! {
    #![proptest_config(config())]

    /// Any scheme text loads or is refused; a scheme that loads scores any rows.
    #[test]
    fn any_scheme_text_then_any_rows(text in scheme_text(), seed in any::<u64>()) {
        let Ok(scheme) = Scheme::from_text(&text) else {
            return Ok(());
        };
        let rows = seeded_rows(&scheme, seed);
        score_rows(&scheme, &rows)?;
        score_json(&scheme, &rows)?;
        scheme.to_toml().ok();
        scheme.to_json().ok();
    }

    /// The built-in plan, whose rules are the richest, with any rows.
    #[test]
    fn the_builtin_plan_with_any_rows(rows in rows(ids(&Scheme::builtin("lang-son-snn-2024").unwrap()))) {
        let scheme = Scheme::builtin("lang-son-snn-2024").unwrap();
        score_rows(&scheme, &rows)?;
        score_json(&scheme, &rows)?;
    }

    /// Any JSON-ish text as rows.
    #[test]
    fn any_json_rows(text in prop_oneof![
        "\\PC{0,80}",
        proptest::collection::vec(
            ("[a-z_]{1,6}|unit|survey_points", prop_oneof![
                "-?[0-9]{1,30}(\\.[0-9]{1,30})?(e-?[0-9]{1,3})?".prop_map(|n| n),
                "\"[^\"\\\\]{0,6}\"".prop_map(|s| s),
                Just("null".to_string()), Just("true".to_string()), Just("[1]".to_string()), Just("{}".to_string()),
            ]),
            0..6,
        ).prop_map(|pairs| {
            let body: Vec<String> = pairs.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
            format!("{{{}}}\n[{{{}}}]", body.join(", "), body.join(", "))
        }),
    ]) {
        let scheme = Scheme::builtin("lang-son-snn-2024").unwrap();
        for text in [text.as_str(), text.lines().next().unwrap_or(""), text.lines().last().unwrap_or("")] {
            if let Ok(rows) = rows_from_json(text) {
                score_rows(&scheme, &rows)?;
            }
        }
    }
}
