#![no_main]
//! Dossier records as any CSV text (the first byte picks the period, the grouping, strict
//! mode and the as-of date): the built-in profile's reader, the summarizer, the summary
//! document, the mapping to the built-in plan's indicators and its scoring. Every record
//! is counted or listed as bad, never twice; one result per group; points within bounds.

use libfuzzer_sys::fuzz_target;
use parscore::Options;
use parscore_records::{
    Calendar, Date, IndicatorMap, PeriodKind, Profile, Summarizer, SummaryOptions,
};

fuzz_target!(|data: &[u8]| {
    let Some((&choice, rest)) = data.split_first() else {
        return;
    };
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(rest);
    let mut rows = csv.records().map_while(Result::ok);
    let Some(header) = rows.next() else {
        return;
    };
    let header: Vec<&str> = header.iter().collect();
    let Ok(mut reader) = Profile::builtin().reader(&header) else {
        return;
    };
    let period = match choice % 4 {
        0 => PeriodKind::Year,
        1 => PeriodKind::Quarter,
        2 => PeriodKind::Month,
        _ => PeriodKind::parse("01/01/2024..31/12/2024").expect("a period"),
    };
    let as_of = match (choice >> 4) % 3 {
        0 => None,
        1 => Some("2024-12-31"),
        _ => Some("9999-12-30"),
    };
    let options = SummaryOptions {
        period,
        by_sub_unit: choice & 4 == 4,
        strict: choice & 8 == 8,
        as_of: as_of.map(|d| Date::parse(d).expect("a date")),
        bad_examples: 5,
        ..SummaryOptions::default()
    };
    let mut summarizer = Summarizer::new(options, Calendar::vietnam());
    let mut records = 0u64;
    for (i, row) in rows.enumerate() {
        let cells: Vec<&str> = row.iter().collect();
        records += 1;
        if summarizer.push_read(reader.read(i + 1, &cells)).is_err() {
            return;
        }
    }
    let Ok(summary) = summarizer.finish() else {
        return;
    };
    assert_eq!(summary.records, records);
    assert_eq!(summary.counted + summary.bad.total, summary.records);
    serde_json::to_string(&summary.to_json()).expect("a summary is JSON");
    let scheme = parscore_fuzz::builtin();
    let rows = summary.raw_rows(&IndicatorMap::for_scheme(scheme));
    assert_eq!(rows.len(), summary.groups.len());
    for strict in [false, true] {
        let batch = scheme.evaluate_rows(&rows, false, &Options { strict });
        assert_eq!(batch.results.len(), rows.len());
        for evaluation in batch.results.iter().filter_map(|r| r.outcome.as_ref().ok()) {
            parscore_fuzz::check(evaluation);
        }
    }
    parscore_fuzz::score(scheme, &rows);
});
