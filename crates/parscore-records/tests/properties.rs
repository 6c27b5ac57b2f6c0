//! Invariants of the records summary for any records: chunks merged in order equal one
//! stream, the counts nest (on time ≤ resolved, overdue ≤ pending, known ≤ received), every
//! record is counted once, good or bad; and the working-day arithmetic agrees with itself.

use parscore::Value;

use parscore_records::{
    Calendar, Date, DossierStatus, PeriodKind, Record, RecordSummary, ResolvedBy, Summarizer,
    SummaryOptions,
};
use proptest::prelude::*;

const UNITS: [&str; 3] = ["Sở A", "Sở B", "UBND huyện C"];

#[derive(Debug, Clone)]
struct Spec {
    unit: usize,
    sub_unit: Option<usize>,
    received: i32,
    due: Option<i32>,
    completed: Option<i32>,
    status: Option<usize>,
    flags: [Option<bool>; 5],
    /// One of a few dossier codes, so that some repeat.
    code: Option<usize>,
}

fn day(offset: i32) -> Date {
    // Records fall in 2023–2025, whose calendars are built in, with room for due dates.
    Date::from_ymd(2023, 1, 1)
        .unwrap()
        .add_days(offset)
        .unwrap()
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        0..UNITS.len(),
        proptest::option::of(0..2usize),
        0..1000i32,
        proptest::option::weighted(0.95, -2..25i32),
        proptest::option::weighted(0.7, -3..45i32),
        proptest::option::weighted(0.5, 0..DossierStatus::ALL.len()),
        proptest::array::uniform5(proptest::option::of(any::<bool>())),
        proptest::option::weighted(0.8, 0..CODES.len()),
    )
        .prop_map(
            |(unit, sub_unit, received, due, completed, status, flags, code)| Spec {
                unit,
                sub_unit,
                received,
                due: due.map(|d| received + d),
                completed: completed.map(|c| received + c),
                status,
                flags,
                code,
            },
        )
}

/// Dossier codes as exports write them, one twice (composed, and decomposed with spaces).
const CODES: [&str; 12] = [
    "H12.34-240305-0001",
    "H12.34-240305-0002",
    "H12.34-240305-0003",
    "000.00.10.H47-240101-0001",
    "000.00.10.H47-240101-0002",
    "SỞ-TP-1",
    " SO\u{31b}\u{309}-TP-1 ",
    "B1",
    "B2",
    "B3",
    "B4",
    "B5",
];

const SUBS: [&str; 2] = ["Phòng 1", "Phòng 2"];

fn record(row: usize, spec: &Spec) -> Record<'static> {
    Record {
        sub_unit: spec.sub_unit.map(|s| SUBS[s]),
        due: spec.due.map(day),
        completed: spec.completed.map(day),
        status: spec.status.map(|s| DossierStatus::ALL[s]),
        online: spec.flags[0],
        full_online: spec.flags[1],
        paid_online: spec.flags[2],
        payable: spec.flags[3],
        digitised: spec.flags[4],
        id: spec.code.map(|c| CODES[c]),
        ..Record::new(row, UNITS[spec.unit], day(spec.received))
    }
}

fn options() -> impl Strategy<Value = SummaryOptions> {
    (
        prop_oneof![
            Just(PeriodKind::Year),
            Just(PeriodKind::Quarter),
            Just(PeriodKind::Month),
            Just(PeriodKind::Range {
                from: day(100),
                to: day(400)
            }),
        ],
        any::<bool>(),
        any::<bool>(),
        0..3usize,
    )
        .prop_map(
            |(period, by_sub_unit, by_received, bad_examples)| SummaryOptions {
                period,
                by_sub_unit,
                resolved_by: if by_received {
                    ResolvedBy::Received
                } else {
                    ResolvedBy::Completed
                },
                bad_examples,
                ..SummaryOptions::default()
            },
        )
}

fn summarize(options: SummaryOptions, specs: &[Spec]) -> RecordSummary {
    let mut summarizer = Summarizer::new(options, Calendar::vietnam());
    for (i, spec) in specs.iter().enumerate() {
        summarizer.push(&record(i + 1, spec)).unwrap();
    }
    summarizer.finish().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn chunks_with_codes_checked_ahead_merged_in_order_equal_one_stream(
        options in options(),
        specs in proptest::collection::vec(spec(), 0..60),
        cuts in proptest::collection::vec(0..60usize, 0..4),
    ) {
        let whole = summarize(options, &specs);
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(specs.len())).collect();
        cuts.push(0);
        cuts.push(specs.len());
        cuts.sort_unstable();
        let mut merged = Summarizer::new(options, Calendar::vietnam());
        let duplicates: Vec<(usize, usize)> = specs
            .iter()
            .enumerate()
            .filter_map(|(i, spec)| Some((i + 1, merged.check_code(i + 1, CODES[spec.code?])?)))
            .collect();
        let duplicates: std::sync::Arc<[(usize, usize)]> = duplicates.into();
        for window in cuts.windows(2) {
            let mut chunk = merged.part(duplicates.clone());
            for (i, spec) in specs.iter().enumerate().take(window[1]).skip(window[0]) {
                chunk.push(&record(i + 1, spec)).unwrap();
            }
            merged.merge(chunk).unwrap();
        }
        prop_assert_eq!(merged.finish().unwrap(), whole);
    }

    /// Chunks summarised apart, each checking its own codes: merged in order they equal one
    /// stream, unless a code repeats across chunks, which is refused rather than counted
    /// twice.
    #[test]
    fn chunks_apart_merge_or_refuse_a_code_counted_twice(
        options in options(),
        specs in proptest::collection::vec(spec(), 0..40),
        cut in 0..40usize,
    ) {
        let whole = summarize(options, &specs);
        let cut = cut.min(specs.len());
        let mut merged = Summarizer::new(options, Calendar::vietnam());
        let mut second = Summarizer::new(options, Calendar::vietnam());
        for (i, spec) in specs.iter().enumerate() {
            let part = if i < cut { &mut merged } else { &mut second };
            part.push(&record(i + 1, spec)).unwrap();
        }
        let codes = |specs: &[Spec]| -> std::collections::HashSet<&str> {
            specs.iter().filter_map(|s| Some(CODES[s.code?].trim())).collect()
        };
        let (before, after) = specs.split_at(cut);
        // Only the composed and decomposed `SỞ-TP-1` are the same code written two ways.
        let nfc = |set: std::collections::HashSet<&str>| -> std::collections::HashSet<String> {
            set.into_iter().map(|c| c.replace("SO\u{31b}\u{309}", "SỞ")).collect()
        };
        let repeated = !nfc(codes(before)).is_disjoint(&nfc(codes(after)));
        match merged.merge(second) {
            Ok(()) => {
                prop_assert!(!repeated);
                prop_assert_eq!(merged.finish().unwrap(), whole);
            }
            Err(error) => prop_assert!(repeated, "{error}"),
        }
    }

    #[test]
    fn counts_nest_and_every_record_is_counted_once(
        options in options(),
        specs in proptest::collection::vec(spec(), 0..80),
    ) {
        let summary = summarize(options, &specs);
        prop_assert_eq!(summary.records, specs.len() as u64);
        prop_assert_eq!(summary.counted + summary.bad.total, summary.records);
        // A dossier code is counted at most once, and every repeat is a duplicate.
        let mut seen = std::collections::HashSet::new();
        let repeats = specs
            .iter()
            .filter_map(|s| s.code)
            .filter(|&c| !seen.insert(CODES[c].trim().replace("SO\u{31b}\u{309}", "SỞ")))
            .count() as u64;
        let duplicates = summary
            .bad_of(parscore_records::BadKind::DuplicateId)
            .map_or(0, |k| k.count);
        prop_assert_eq!(duplicates, repeats);
        let kept: u64 = summary.bad.kinds.iter().map(|k| k.count).sum();
        prop_assert_eq!(kept, summary.bad.total);
        for g in &summary.groups {
            prop_assert!(g.resolved_early <= g.resolved_on_time);
            prop_assert_eq!(g.resolved_on_time + g.resolved_late, g.resolved);
            prop_assert!(g.overdue_in_progress <= g.pending);
            prop_assert!(g.withdrawn <= g.received);
            for flag in [g.online, g.full_online, g.payable, g.digitised] {
                prop_assert!(flag.known() <= g.received);
            }
            prop_assert!(g.paid_online.known() <= g.payable.yes);
            prop_assert!(g.evaluated_on <= g.period.end());
            for name in parscore_records::SUMMARY_INDICATORS {
                if let Some(Value::Ratio { num, den }) = g.value(name) {
                    prop_assert!(num <= den, "{name}: {num}/{den}");
                }
            }
        }
        if options.period == PeriodKind::Year {
            let received: u64 = summary.groups.iter().map(|g| g.received).sum();
            prop_assert_eq!(received, summary.counted);
        }
    }

    #[test]
    fn strict_mode_fails_exactly_when_a_record_is_bad(
        specs in proptest::collection::vec(spec(), 0..30),
    ) {
        let lenient = summarize(SummaryOptions::default(), &specs);
        let strict_options = SummaryOptions { strict: true, ..SummaryOptions::default() };
        let mut strict = Summarizer::new(strict_options, Calendar::vietnam());
        let mut failed = None;
        for (i, spec) in specs.iter().enumerate() {
            if let Err(e) = strict.push(&record(i + 1, spec)) {
                failed = Some(e);
                break;
            }
        }
        match failed {
            Some(_) => prop_assert!(lenient.bad.total > 0),
            None => {
                prop_assert_eq!(lenient.bad.total, 0);
                let summary = strict.finish().unwrap();
                prop_assert_eq!(summary.groups, lenient.groups);
            }
        }
    }

    #[test]
    fn working_days_add_up(a in 0..1400i32, b in 0..1400i32, n in 0..40u32) {
        let vn = Calendar::vietnam();
        let base = Date::from_ymd(2022, 1, 1).unwrap();
        let (a, b) = (base.add_days(a).unwrap(), base.add_days(b).unwrap());
        let between = vn.working_days_between(a, b).unwrap();
        prop_assert_eq!(between, -vn.working_days_between(b, a).unwrap());
        // Counting back over days off gives 0 too, so the forward property needs a <= b.
        if a <= b {
            let reached = vn.add_working_days(a, between as u32).unwrap();
            prop_assert!(reached <= b);
            prop_assert_eq!(reached == b, vn.is_working_day(b).unwrap() || a == b);
        }
        if let Ok(end) = vn.add_working_days(a, n) {
            prop_assert_eq!(vn.working_days_between(a, end).unwrap(), i64::from(n));
            prop_assert!(n == 0 || vn.is_working_day(end).unwrap());
            prop_assert_eq!(vn.roll_forward(end).unwrap(), if n == 0 { vn.roll_forward(a).unwrap() } else { end });
        }
    }

    #[test]
    fn dates_read_back_in_every_written_form(offset in -25_000i32..2_900_000) {
        let date = Date::from_days_since_epoch(offset).unwrap();
        let (y, m, d) = date.ymd();
        prop_assert_eq!(Date::parse(&date.to_string()), Ok(date));
        prop_assert_eq!(Date::parse(&format!("{d:02}/{m:02}/{y}")), Ok(date));
        prop_assert_eq!(Date::parse(&format!("{d}/{m}/{y} 23:59:59")), Ok(date));
        prop_assert_eq!(Date::parse(&date.to_excel_serial().to_string()), Ok(date));
    }

    #[test]
    fn no_text_makes_a_date_panic(text in "\\PC{0,24}") {
        let _ = Date::parse(&text);
    }
}
