//! `compare` fed arbitrary inputs on both sides: unit names in either Unicode form, hostile
//! text, rows that fail, units on one side only or in several periods, values of any kind.
//! Each side is scored as the command scores it, compared by files and by periods, and
//! rendered in every format in both languages. Nothing may panic; the comparison has one
//! entry per unit named on either side, each on the sides it is on, with the differences of
//! its figures; points stay within [0, max]; every machine format has one entry per unit
//! (CSV: per unit and criterion), terminal text shows no raw control character, and no CSV
//! cell starts like a formula.
//!
//! `PROPTEST_CASES=2000 cargo test -p parscore-cli --test fuzz_compare` runs it longer.

use std::collections::BTreeSet;
use std::io::Cursor;
use std::sync::LazyLock;

use calamine::Reader;
use parscore::text::nfc;
use parscore::{Decimal, RawRow, Scheme};
use parscore_cli::cli::OutputFormat;
use parscore_cli::input::{Place, SourceRow};
use parscore_cli::output::{Lang, Rendering, compare, escape};
use parscore_cli::run::{Run, RunOptions};
use parscore_compare::{CompareError, CompareOptions, Comparison, Labels, Presence};
use proptest::prelude::*;
use serde_json::Value as Json;

static SCHEME: LazyLock<Scheme> =
    LazyLock::new(|| Scheme::builtin("lang-son-snn-2024").expect("the built-in scheme loads"));

const FORMATS: [OutputFormat; 6] = [
    OutputFormat::Table,
    OutputFormat::Csv,
    OutputFormat::Json,
    OutputFormat::Md,
    OutputFormat::Html,
    OutputFormat::Xlsx,
];

fn cases(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default);
    ProptestConfig::with_cases(cases)
}

/// Unit names: a few, so that sides share them, in both Unicode forms; and hostile text.
fn unit() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(vec![
            "Sở NN&PTNT",
            "So\u{31b}\u{309} NN&PTNT",
            "Chi cục Thủy lợi",
            " Chi cục Thủy lợi ",
            "Chi cục Kiểm lâm",
        ])
        .prop_map(str::to_string),
        1 => "[a-zA-Zếơư \\x00-\\x1f\\x7f\\u{202e}=+@|<>*_`]{0,16}",
    ]
}

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("n/a".to_string()),
        Just("có".to_string()),
        Just("không".to_string()),
        (0u32..=100, 0u32..100).prop_map(|(whole, cents)| format!("{whole}.{cents:02}")),
        (0u32..=2000, 0u32..=2000).prop_map(|(num, den)| format!("{num}/{den}")),
        "-?[0-9]{1,6}",
        "[a-z=@+\\-]{0,6}",
    ]
}

type Row = (Option<String>, Option<String>, Vec<(usize, String)>, bool);

fn row() -> impl Strategy<Value = Row> {
    (
        proptest::option::weighted(0.95, unit()),
        proptest::option::weighted(
            0.9,
            prop::sample::select(vec!["2024", "2025", "2024.0"]).prop_map(str::to_string),
        ),
        proptest::collection::vec((0..SCHEME.indicators().len(), cell()), 0..20),
        proptest::bool::weighted(0.05),
    )
}

fn source_rows(rows: Vec<Row>, file: &str) -> Vec<SourceRow> {
    rows.into_iter()
        .enumerate()
        .map(|(i, (unit, period, cells, broken))| SourceRow {
            place: Place::Line {
                file: file.into(),
                line: i as u64 + 2,
            },
            raw: RawRow {
                row: i + 2,
                // As the readers give them: NFC, trimmed; a whole period without its zeros.
                unit: unit.map(|u| parscore_cli::input::unit_name(&u)),
                period: period.map(|p| parscore_cli::input::period_name(&p)),
                cells: cells
                    .into_iter()
                    .map(|(i, value)| (SCHEME.indicators()[i].id.clone(), value))
                    .collect(),
            },
            problem: broken.then(|| "3 fields, but the header has 5".to_string()),
            bad_cells: Vec::new(),
        })
        .collect()
}

fn score(rows: Vec<SourceRow>) -> Run {
    Run::evaluate(&SCHEME, rows, RunOptions::default())
}

/// The units a side names, as the comparison matches them.
fn names(run: &Run) -> BTreeSet<String> {
    run.batch
        .results
        .iter()
        .filter_map(|r| r.unit.as_deref())
        .filter(|u| !u.trim().is_empty())
        .map(|u| nfc(u.trim()).into_owned())
        .collect()
}

fn check(comparison: &Comparison, before: &BTreeSet<String>, after: &BTreeSet<String>) {
    let listed: Vec<&str> = comparison.units.iter().map(|u| u.unit.as_str()).collect();
    let unique: BTreeSet<&str> = listed.iter().copied().collect();
    assert_eq!(listed.len(), unique.len(), "one entry per unit: {listed:?}");
    let expected: BTreeSet<&str> = before.union(after).map(String::as_str).collect();
    assert_eq!(unique, expected);
    for u in &comparison.units {
        let presence = match (before.contains(&u.unit), after.contains(&u.unit)) {
            (true, true) => Presence::Both,
            (true, false) => Presence::BeforeOnly,
            (false, true) => Presence::AfterOnly,
            (false, false) => unreachable!("listed units are named"),
        };
        assert_eq!(u.presence, presence, "{}", u.unit);
        if let (Some(b), Some(a)) = (u.points_before, u.points_after) {
            assert_eq!(u.points_delta, Some(a - b));
            assert_eq!(u.criteria.len(), SCHEME.leaves().count());
        } else {
            assert!(u.criteria.is_empty());
        }
        for c in &u.criteria {
            for points in [c.points_before, c.points_after] {
                assert!(points >= Decimal::ZERO && points <= c.max_points, "{c:?}");
            }
            assert_eq!(c.delta, c.points_after - c.points_before);
        }
        for w in u.criteria.windows(2) {
            assert!(w[0].delta.abs() >= w[1].delta.abs(), "largest change first");
        }
    }
    assert_eq!(
        comparison.summary.both + comparison.summary.before_only + comparison.summary.after_only,
        comparison.units.len()
    );
    render_all(comparison);
}

/// No control character other than a line break.
fn assert_shown(text: &str, what: &str) {
    let raw: Vec<char> = text
        .chars()
        .filter(|&c| c != '\n' && escape::terminal(&c.to_string()) != c.to_string())
        .collect();
    assert!(raw.is_empty(), "{what} holds {raw:?}");
}

fn render_all(comparison: &Comparison) {
    let rows: usize = comparison
        .units
        .iter()
        .map(|u| u.criteria.len().max(1))
        .sum();
    for lang in [Lang::Vi, Lang::En] {
        for format in FORMATS {
            let rendering = Rendering {
                lang,
                width: (format == OutputFormat::Table).then_some(70),
                terminal: false,
            };
            let bytes = compare::render(comparison, &SCHEME, format, rendering)
                .unwrap_or_else(|e| panic!("{format:?} {lang:?}: {e}"));
            match format {
                OutputFormat::Table | OutputFormat::Md | OutputFormat::Html => {
                    assert_shown(std::str::from_utf8(&bytes).unwrap(), &format!("{format:?}"));
                }
                OutputFormat::Csv => {
                    let mut reader = csv::Reader::from_reader(bytes.as_slice());
                    let width = reader.headers().unwrap().len();
                    let mut count = 0;
                    for record in reader.records() {
                        let record = record.unwrap();
                        assert_eq!(record.len(), width);
                        for cell in record.iter() {
                            assert_eq!(escape::csv_cell(cell), cell, "{cell:?} starts a formula");
                        }
                        count += 1;
                    }
                    assert_eq!(count, rows);
                }
                OutputFormat::Json => {
                    let document: Json = serde_json::from_slice(&bytes).unwrap();
                    assert_eq!(
                        document["units"].as_array().unwrap().len(),
                        comparison.units.len()
                    );
                }
                OutputFormat::Xlsx => {
                    let mut workbook: calamine::Xlsx<_> =
                        calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
                    let names = workbook.sheet_names();
                    let units = workbook.worksheet_range(&names[0]).unwrap();
                    assert_eq!(units.height(), comparison.units.len() + 1);
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(cases(32))]

    /// Two files: each side scored alone, matched by name.
    #[test]
    fn any_two_files_compare(
        mut before in proptest::collection::vec(row(), 0..6),
        mut after in proptest::collection::vec(row(), 0..6),
        rounds in any::<bool>(),
        one_period_each in proptest::bool::weighted(0.7),
        after_period in prop::sample::select(vec!["2024", "2025"]),
    ) {
        // Mostly one period a side, as files of one year or one round are; else anything.
        if one_period_each {
            before.iter_mut().for_each(|row| row.1 = Some("2024".into()));
            after.iter_mut().for_each(|row| row.1 = Some(after_period.into()));
        }
        let (before, after) = (score(source_rows(before, "trước.csv")), score(source_rows(after, "sau.csv")));
        let options = CompareOptions {
            labels: Labels::new("Tự đánh giá", "Thẩm định"),
            kind: rounds.then_some(parscore_compare::Kind::Rounds),
        };
        match Comparison::of_batches(&before.batch, &after.batch, &options) {
            Ok(comparison) => check(&comparison, &names(&before), &names(&after)),
            // A unit scored in two periods on one side: refused, naming the side.
            Err(CompareError::Repeated { side, periods, .. }) => {
                prop_assert!(!one_period_each);
                prop_assert!(side == "Tự đánh giá" || side == "Thẩm định");
                prop_assert!(periods.len() > 1);
            }
            Err(other) => prop_assert!(false, "{other}"),
        }
    }

    /// One batch, two of its periods.
    #[test]
    fn any_batch_compares_two_periods(rows in proptest::collection::vec(row(), 0..10)) {
        let run = score(source_rows(rows, "đơn-vị.csv"));
        let side = |period: &str| -> BTreeSet<String> {
            run.batch
                .results
                .iter()
                .filter(|r| r.period.as_deref() == Some(period))
                .filter_map(|r| r.unit.as_deref())
                .filter(|u| !u.trim().is_empty())
                .map(|u| nfc(u.trim()).into_owned())
                .collect()
        };
        let options = CompareOptions::default();
        match Comparison::of_periods(&run.batch, "2024", "2025", &options) {
            Ok(comparison) => check(&comparison, &side("2024"), &side("2025")),
            Err(CompareError::NoPeriod { period, .. }) => {
                prop_assert!(side(&period).is_empty());
            }
            Err(other) => prop_assert!(false, "{other}"),
        }
    }
}
