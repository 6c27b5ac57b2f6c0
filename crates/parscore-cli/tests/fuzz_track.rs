//! `records track` fed arbitrary records: unit names in either Unicode form and hostile text,
//! dates around two years, any status, flags of any kind, bad records among them; tracked
//! against the built-in scheme and its map, with or without a number expected, and rendered
//! in every format in both languages. Nothing may panic; every unit gets one entry per
//! criterion its rates feed (tracked or not); each status is what the exact arithmetic says;
//! the machine formats hold every entry, terminal text no raw control character.
//!
//! The arithmetic itself is checked in `parscore-records` (`tests/track.rs`).
//! `PROPTEST_CASES=2000 cargo test -p parscore-cli --test fuzz_track` runs it longer.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use parscore::Scheme;
use parscore::text::nfc;
use parscore_cli::cli::TrackFormat;
use parscore_cli::output::{Lang, escape, track};
use parscore_records::{
    Calendar, Date, DossierStatus, IndicatorMap, PeriodKind, Record, Summarizer, SummaryOptions,
    TrackStatus, YearTracking,
};
use proptest::prelude::*;
use serde_json::Value as Json;

static SCHEME: LazyLock<Scheme> =
    LazyLock::new(|| Scheme::builtin("lang-son-snn-2024").expect("the built-in scheme loads"));

/// The built-in plan's criteria fed by rates of the records: III.4.1, VII.2.2, VII.2.4,
/// VII.3.3.
const FED: usize = 4;

const FORMATS: [TrackFormat; 5] = [
    TrackFormat::Table,
    TrackFormat::Csv,
    TrackFormat::Json,
    TrackFormat::Md,
    TrackFormat::Html,
];

fn cases(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default);
    ProptestConfig::with_cases(cases)
}

fn unit() -> impl Strategy<Value = String> {
    prop_oneof![
        5 => prop::sample::select(vec![
            "Sở Tư pháp",
            "So\u{31b}\u{309} Tư pha\u{301}p",
            "UBND huyện Cao Lộc",
        ])
        .prop_map(str::to_string),
        1 => "[a-zA-Zếơư \\x01-\\x1f\\x7f\\u{202e}=+@|<>*_`]{1,12}",
    ]
}

fn day(offset: i32) -> Date {
    Date::from_ymd(2023, 1, 1)
        .unwrap()
        .add_days(offset)
        .unwrap()
}

type Spec = (
    String,
    i32,
    i32,
    Option<i32>,
    Option<usize>,
    [Option<bool>; 4],
);

fn spec() -> impl Strategy<Value = Spec> {
    (
        unit(),
        0..720i32,
        -2..20i32,
        proptest::option::weighted(0.8, 0..40i32),
        proptest::option::weighted(0.5, 0..DossierStatus::ALL.len()),
        proptest::array::uniform4(proptest::option::of(any::<bool>())),
    )
}

/// No control character other than a line break.
fn assert_shown(text: &str, what: &str) {
    let raw: Vec<char> = text
        .chars()
        .filter(|&c| c != '\n' && escape::terminal(&c.to_string()) != c.to_string())
        .collect();
    assert!(raw.is_empty(), "{what} holds {raw:?}");
}

proptest! {
    #![proptest_config(cases(48))]

    #[test]
    fn any_records_track_and_render(
        specs in proptest::collection::vec(spec(), 0..40),
        as_of in 0..720i32,
        expected in proptest::option::of(0u64..500),
    ) {
        let options = SummaryOptions {
            period: PeriodKind::Month,
            as_of: Some(day(as_of)),
            ..SummaryOptions::default()
        };
        let mut summarizer = Summarizer::new(options, Calendar::vietnam());
        for (row, (unit, received, due, completed, status, flags)) in specs.iter().enumerate() {
            summarizer
                .push(&Record {
                    due: Some(day(received + due)),
                    completed: completed.map(|c| day(received + c)),
                    status: status.map(|s| DossierStatus::ALL[s]),
                    full_online: flags[0],
                    digitised: flags[1],
                    paid_online: flags[2],
                    payable: flags[3],
                    ..Record::new(row + 1, unit, day(*received))
                })
                .unwrap();
        }
        let summary = summarizer.finish().unwrap();
        let map = IndicatorMap::for_scheme(&SCHEME);
        let tracking = YearTracking::new(&summary, &SCHEME, &map, expected).unwrap();

        let units: BTreeSet<String> = summary
            .groups
            .iter()
            .map(|g| nfc(&g.label()).into_owned())
            .collect();
        for unit in &units {
            let entries = tracking.criteria.iter().filter(|l| &l.unit == unit).count()
                + tracking.untracked.iter().filter(|u| &u.unit == unit).count();
            prop_assert_eq!(entries, FED, "{}", unit);
        }
        for line in &tracking.criteria {
            let (a, b, n, k) = (line.so_far.met, line.so_far.total, line.expected, line.needed);
            let status = match () {
                _ if k == 0 => TrackStatus::Secured,
                _ if k > n => TrackStatus::Impossible,
                _ if b == 0 || u128::from(k) * u128::from(b) > u128::from(a) * u128::from(n) => {
                    TrackStatus::AtRisk
                }
                _ => TrackStatus::OnTrack,
            };
            prop_assert_eq!(line.status, status, "{:?}", line);
        }

        let tracked = track::Tracked {
            tracking: &tracking,
            scheme: &SCHEME,
            records: summary.to_json(),
        };
        for lang in [Lang::Vi, Lang::En] {
            for format in FORMATS {
                let width = (format == TrackFormat::Table).then_some(70);
                let bytes = track::render(&tracked, format, lang, width)
                    .unwrap_or_else(|e| panic!("{format:?} {lang:?}: {e}"));
                match format {
                    TrackFormat::Json => {
                        let document: Json = serde_json::from_slice(&bytes).unwrap();
                        prop_assert_eq!(
                            document["criteria"].as_array().unwrap().len(),
                            tracking.criteria.len()
                        );
                        prop_assert!(document["records"].get("groups").is_none());
                    }
                    TrackFormat::Csv => {
                        let mut reader = csv::Reader::from_reader(bytes.as_slice());
                        let mut count = 0;
                        for record in reader.records() {
                            for cell in record.unwrap().iter() {
                                prop_assert_eq!(escape::csv_cell(cell), cell);
                            }
                            count += 1;
                        }
                        prop_assert_eq!(count, tracking.criteria.len());
                    }
                    _ => assert_shown(std::str::from_utf8(&bytes).unwrap(), &format!("{format:?}")),
                }
            }
        }
    }
}
