//! Tracking the year: the golden case `tests/records/track-mid-year/` (records exported in
//! June, with the year before's, counted by hand in its README), and for any records the
//! invariants: no panic, one entry per unit and rate-fed criterion, and statuses that say
//! what the exact arithmetic says.
//!
//! `PARSCORE_BLESS=1 cargo test -p parscore-records --test track` rewrites `expected.json`.

use std::path::{Path, PathBuf};

use parscore::{Decimal, Scheme};
use parscore_records::{
    Calendar, Date, DossierStatus, IndicatorMap, PeriodKind, Profile, Record, RecordSummary,
    Summarizer, SummaryOptions, TrackStatus, UntrackedReason, YearTracking,
};
use proptest::prelude::*;
use serde_json::Value as Json;

fn case_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/records/track-mid-year")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The case's CSV (plain: no quoted commas) through the built-in profile, by month.
fn summary(dir: &Path, as_of: Date) -> RecordSummary {
    let text = read(&dir.join("records.csv"));
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let mut reader = Profile::builtin().reader(&header).unwrap();
    let options = SummaryOptions {
        period: PeriodKind::Month,
        as_of: Some(as_of),
        ..SummaryOptions::default()
    };
    let mut summarizer = Summarizer::new(options, Calendar::vietnam());
    for (i, line) in lines.enumerate() {
        let cells: Vec<&str> = line.split(',').collect();
        summarizer.push_read(reader.read(i + 1, &cells)).unwrap();
    }
    summarizer.finish().unwrap()
}

#[test]
fn the_mid_year_case_gives_its_hand_counted_figures() {
    let dir = case_dir();
    let spec: Json = serde_json::from_str(&read(&dir.join("track.json"))).unwrap();
    let as_of = Date::parse(spec["as_of"].as_str().unwrap()).unwrap();
    let scheme = Scheme::from_toml(&read(&dir.join("scheme.toml"))).unwrap();
    let map = IndicatorMap::for_scheme(&scheme);
    let expected = spec["expected"].as_u64();
    let tracking = YearTracking::new(&summary(&dir, as_of), &scheme, &map, expected).unwrap();
    let document = serde_json::to_value(&tracking).unwrap();
    for (field, value) in spec["checks"]["year"].as_object().unwrap() {
        assert_eq!(&document[field], value, "`{field}`");
    }
    let criteria = document["criteria"].as_array().unwrap();
    let checks = spec["checks"]["criteria"].as_array().unwrap();
    assert_eq!(
        criteria.len(),
        checks.len(),
        "one entry per unit and criterion"
    );
    for (line, check) in criteria.iter().zip(checks) {
        for (field, value) in check.as_object().unwrap() {
            assert_eq!(
                &line[field], value,
                "{} {}: `{field}`",
                line["unit"], line["criterion"]
            );
        }
    }
    assert_eq!(document["untracked"], spec["checks"]["untracked"]);
    for check in spec["checks"]["trends"].as_array().unwrap() {
        let trend = document["trends"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["unit"] == check["unit"] && t["rate"] == check["rate"])
            .unwrap_or_else(|| panic!("no trend {check}"));
        let months: Vec<(&Json, &Json)> = trend["months"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (&m["count"], &m["year_to_date"]))
            .collect();
        let expected: Vec<(&Json, &Json)> = check["months"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (&m[0], &m[1]))
            .collect();
        assert_eq!(months, expected, "{check}");
    }
    let path = dir.join("expected.json");
    if std::env::var_os("PARSCORE_BLESS").is_some() {
        std::fs::write(
            &path,
            serde_json::to_string_pretty(&document).unwrap() + "\n",
        )
        .unwrap();
        return;
    }
    let expected: Json = serde_json::from_str(&read(&path)).unwrap();
    assert_eq!(
        document, expected,
        "expected.json (rerun with PARSCORE_BLESS=1 after checking why)"
    );
}

#[test]
fn the_number_given_replaces_the_estimate() {
    let dir = case_dir();
    let scheme = Scheme::from_toml(&read(&dir.join("scheme.toml"))).unwrap();
    let map = IndicatorMap::for_scheme(&scheme);
    let as_of = Date::parse("2024-06-15").unwrap();
    let tracking = YearTracking::new(&summary(&dir, as_of), &scheme, &map, Some(100)).unwrap();
    let line = &tracking.criteria[0];
    // 10/10 so far, 100 to come, ≥ 90%: 90% of 110 is 99, so 89 of them.
    assert_eq!(
        (line.so_far.to_string(), line.expected, line.needed),
        ("10/10".into(), 100, 89)
    );
    assert_eq!(line.status, TrackStatus::OnTrack);
    assert!(
        tracking
            .criteria
            .iter()
            .all(|l| l.expected_from.name() == "given")
    );
}

#[test]
fn a_summary_not_by_month_is_refused() {
    let scheme = Scheme::from_toml(&read(&case_dir().join("scheme.toml"))).unwrap();
    let map = IndicatorMap::for_scheme(&scheme);
    let yearly = Summarizer::new(SummaryOptions::default(), Calendar::vietnam())
        .finish()
        .unwrap();
    assert!(YearTracking::new(&yearly, &scheme, &map, None).is_err());
}

/// One rate of each kind with a floor, one without a target, one with a ceiling.
const SCHEME: &str = r#"
id = "track-props"
title = "Tracking"
version = "1"
[[indicators]]
id = "on_time_rate"
title = "Đúng hạn"
kind = "percent"
[[indicators]]
id = "full_online_rate"
title = "Toàn trình"
kind = "percent"
[[indicators]]
id = "digitised_rate"
title = "Số hóa"
kind = "percent"
[[indicators]]
id = "paid_online_rate"
title = "Thanh toán trực tuyến"
kind = "percent"
[[indicators]]
id = "online_rate"
title = "Trực tuyến"
kind = "percent"
[[areas]]
code = "A"
title = "A"
[[areas.criteria]]
code = "A.1"
title = "Đúng hạn"
indicator = "on_time_rate"
max_points = 1
target = ">= 99.5"
rule = { kind = "threshold" }
[[areas.criteria]]
code = "A.2"
title = "Toàn trình"
indicator = "full_online_rate"
max_points = 1
target = "> 50"
rule = { kind = "threshold" }
[[areas.criteria]]
code = "A.3"
title = "Số hóa"
indicator = "digitised_rate"
max_points = 1
target = ">= 100"
rule = { kind = "proportional" }
[[areas.criteria]]
code = "A.4"
title = "Thanh toán"
indicator = "paid_online_rate"
max_points = 1
target = "<= 80"
rule = { kind = "threshold" }
[[areas.criteria]]
code = "A.5"
title = "Trực tuyến"
indicator = "online_rate"
max_points = 1
rule = { kind = "proportional" }
"#;

const UNITS: [&str; 3] = ["Sở A", "So\u{31b}\u{309} A", "UBND huyện C"];

fn day(offset: i32) -> Date {
    Date::from_ymd(2023, 1, 1)
        .unwrap()
        .add_days(offset)
        .unwrap()
}

type Spec = (
    usize,
    i32,
    i32,
    Option<i32>,
    Option<usize>,
    [Option<bool>; 4],
);

fn spec() -> impl Strategy<Value = Spec> {
    (
        0..UNITS.len(),
        0..700i32,
        -2..20i32,
        proptest::option::weighted(0.8, 0..30i32),
        proptest::option::weighted(0.5, 0..DossierStatus::ALL.len()),
        proptest::array::uniform4(proptest::option::of(any::<bool>())),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Whatever the records: every unit gets one entry per rate-fed criterion (tracked or
    /// not), and each status is what `(a + k) / (b + n)` against the target says.
    #[test]
    fn statuses_follow_the_arithmetic(
        specs in proptest::collection::vec(spec(), 0..60),
        as_of in 0..700i32,
        expected in proptest::option::of(0u64..50),
    ) {
        let as_of = day(as_of);
        let options = SummaryOptions {
            period: PeriodKind::Month,
            as_of: Some(as_of),
            ..SummaryOptions::default()
        };
        let mut summarizer = Summarizer::new(options, Calendar::vietnam());
        for (row, (unit, received, due, completed, status, flags)) in specs.iter().enumerate() {
            let record = Record {
                due: Some(day(received + due)),
                completed: completed.map(|c| day(received + c)),
                status: status.map(|s| DossierStatus::ALL[s]),
                full_online: flags[0],
                digitised: flags[1],
                paid_online: flags[2],
                online: flags[3],
                ..Record::new(row + 1, UNITS[*unit], day(*received))
            };
            summarizer.push(&record).unwrap();
        }
        let summary = summarizer.finish().unwrap();
        let scheme = Scheme::from_toml(SCHEME).unwrap();
        let map = IndicatorMap::for_scheme(&scheme);
        let tracking = YearTracking::new(&summary, &scheme, &map, expected).unwrap();

        let mut units: Vec<String> = summary
            .groups
            .iter()
            .map(|g| parscore::text::nfc(&g.label()).into_owned())
            .collect();
        units.dedup();
        units.sort();
        units.dedup();
        for unit in &units {
            let entries = tracking.criteria.iter().filter(|l| &l.unit == unit).count()
                + tracking.untracked.iter().filter(|u| &u.unit == unit).count();
            prop_assert_eq!(entries, 5, "{}", unit);
            // No target, and a ceiling: never tracked.
            for (code, reason) in [("A.4", UntrackedReason::NotAFloor), ("A.5", UntrackedReason::NoTarget)] {
                prop_assert!(tracking.untracked.iter().any(|u| &u.unit == unit && u.criterion == code && u.reason == reason));
            }
        }
        for line in &tracking.criteria {
            let (a, b, n, k) = (
                u128::from(line.so_far.met),
                u128::from(line.so_far.total),
                u128::from(line.expected),
                u128::from(line.needed),
            );
            prop_assert!(a <= b);
            let (strict, target) = match line.target.split_once(' ') {
                Some((">", p)) => (true, p.parse::<Decimal>().unwrap()),
                Some((">=", p)) => (false, p.parse::<Decimal>().unwrap()),
                _ => panic!("{}", line.target),
            };
            // Target in ten-thousandths of a percent: 99.5 is 995 000.
            let t = (target * Decimal::from(10_000)).normalize().to_string().parse::<u128>().unwrap();
            let meets = |k: u128| {
                let lhs = 1_000_000 * (a + k);
                let rhs = t * (b + n);
                if strict { lhs > rhs } else { lhs >= rhs }
            };
            prop_assert!(meets(k), "{line:?}");
            prop_assert!(k == 0 || !meets(k - 1), "{line:?}");
            let status = match () {
                _ if k == 0 => TrackStatus::Secured,
                _ if k > n => TrackStatus::Impossible,
                _ if b == 0 || k * b > a * n => TrackStatus::AtRisk,
                _ => TrackStatus::OnTrack,
            };
            prop_assert_eq!(line.status, status, "{:?}", line);
            if let Some(given) = expected {
                prop_assert_eq!(line.expected, given);
            }
        }
    }
}
