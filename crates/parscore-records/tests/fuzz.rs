//! The records' fuzzing harness, run with the tests: arbitrary rows of cells (every date form
//! and far outside the accepted years, status and yes/no words in NFC and NFD, repeated
//! dossier codes, free text of any Unicode) and arbitrary Arrow batches (every column type a
//! frame or file may hold, any day number, zoned timestamps) go through the profile reader,
//! the summarizer, the summary document and `raw_rows` → a scheme's evaluation. Whatever the
//! input: no panic; every record counted once or listed as bad; a dossier code counted at
//! most once; the summary within the limits; points within `[0, max]`; one result per group.
//!
//! `PROPTEST_CASES=5000 cargo test -p parscore-records --features arrow --test fuzz` runs a
//! longer search.

use parscore::{Decimal, Options, Scheme};
use parscore_records::limits::{MAX_GROUPS, MAX_PERIODS};
use parscore_records::{
    BadKind, Calendar, IndicatorMap, PeriodKind, Profile, RecordError, RecordSummary, Summarizer,
    SummaryOptions,
};
use proptest::prelude::*;

const HEADER: [&str; 14] = [
    "Mã hồ sơ",
    "Đơn vị",
    "Phòng ban",
    "Mã thủ tục",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày có kết quả",
    "Trạng thái",
    "Hình thức nộp",
    "Toàn trình",
    "Thanh toán trực tuyến",
    "Có phí, lệ phí",
    "Số hóa",
    "Số ngày giải quyết",
];

/// Cells a date column may hold: every accepted form, days that do not exist, years far
/// outside the accepted ones, Excel serials of every size, and text.
fn date_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        (1..=28u32, 1..=12u32, 2022..=2026i32).prop_map(|(d, m, y)| format!("{d:02}/{m:02}/{y}")),
        (1..=28u32, 1..=12u32, 2022..=2026i32).prop_map(|(d, m, y)| format!("{y}-{m:02}-{d:02}")),
        (1..=28u32, 1..=12u32, 2024..=2025i32, 0..24u32)
            .prop_map(|(d, m, y, h)| format!("{d}/{m}/{y} {h}:05 SA")),
        (1..=28u32, 1..=12u32, 2024..=2025i32)
            .prop_map(|(d, m, y)| format!("{y}-{m:02}-{d:02}T23:30:00+07:00")),
        (44_000..46_500u32).prop_map(|s| s.to_string()),
        (0..3_000_000u64).prop_map(|s| format!("{s}.75")),
        prop_oneof![
            Just("01/01/1900"),
            Just("31/12/9999"),
            Just("29/02/2023"),
            Just("31/02/2024"),
            Just("60"),
            Just("0"),
            Just("1989-12-31"),
            Just("2101-01-01"),
            Just("05/03/24"),
            Just("20240305"),
            Just(""),
        ]
        .prop_map(str::to_string),
        "\\PC{0,12}",
    ]
}

/// Status labels: the vocabulary in both languages, decomposed, shouting, and unknown words.
fn status_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        prop_oneof![
            Just("Đúng hạn"),
            Just("Đu\u{301}ng ha\u{323}n"),
            Just("TRỄ HẠN"),
            Just("Trước hạn"),
            Just("Đang xử lý"),
            Just("Đang xử lý - Quá hạn"),
            Just("Chờ bổ sung"),
            Just("Rút hồ sơ"),
            Just("Đã giải quyết"),
            Just("in progress"),
            Just("withdrawn"),
            Just("Đã huỷ"),
            Just(""),
        ]
        .prop_map(str::to_string),
        "\\PC{0,10}",
    ]
}

/// Yes/no cells: the one vocabulary, NFD, amounts and text.
fn flag_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        prop_oneof![
            Just("x"),
            Just("có"),
            Just("co\u{301}"),
            Just("Không"),
            Just("✓"),
            Just("Trực tuyến"),
            Just("Trực tiếp"),
            Just("50000"),
            Just("0"),
            Just(""),
            Just("đúng"),
        ]
        .prop_map(str::to_string),
        "\\PC{0,6}",
    ]
}

/// Units, sub-units and codes: a few, composed and decomposed, so that groups and duplicates
/// form; sometimes any text.
fn name_cell(names: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(names).prop_map(str::to_string),
        1 => "\\PC{0,16}",
    ]
}

const UNITS: &[&str] = &[
    "Sở Tư pháp",
    "So\u{31b}\u{309} Tu\u{31b} pha\u{301}p",
    " UBND huyện Cao Lộc ",
    "",
];
const SUB_UNITS: &[&str] = &[
    "Phòng Hành chính",
    "Pho\u{300}ng Ha\u{300}nh chi\u{301}nh",
    "",
];
const CODES: &[&str] = &[
    "H01",
    " H01 ",
    "H02",
    "HS-Sở-3",
    "HS-So\u{31b}\u{309}-3",
    "H04",
    "",
];

fn row() -> impl Strategy<Value = Vec<String>> {
    (
        (
            name_cell(CODES),
            name_cell(UNITS),
            name_cell(SUB_UNITS),
            "\\PC{0,8}",
        ),
        (date_cell(), date_cell(), date_cell()),
        status_cell(),
        proptest::collection::vec(flag_cell(), 5),
        prop_oneof![
            Just(String::new()),
            (0..40u32).prop_map(|d| d.to_string()),
            Just("4294967295".to_string()),
            Just("-3".to_string()),
            Just("2.5".to_string()),
            "\\PC{0,5}",
        ],
    )
        .prop_map(
            |(
                (code, unit, sub_unit, procedure),
                (received, due, completed),
                status,
                flags,
                days,
            )| {
                let mut cells = vec![code, unit, sub_unit, procedure, received, due, completed];
                cells.push(status);
                cells.extend(flags);
                cells.push(days);
                cells
            },
        )
}

fn options() -> impl Strategy<Value = SummaryOptions> {
    (
        prop_oneof![
            Just(PeriodKind::Year),
            Just(PeriodKind::Quarter),
            Just(PeriodKind::Month),
            Just(PeriodKind::parse("2024-Q1").unwrap()),
            Just(PeriodKind::parse("01/01/1900..31/12/2024").unwrap()),
        ],
        any::<bool>(),
        any::<bool>(),
        prop_oneof![
            Just(None),
            Just(Some("2024-12-31")),
            Just(Some("2025-06-30")),
            Just(Some("9999-12-30")),
            Just(Some("1995-01-01")),
        ],
    )
        .prop_map(|(period, by_sub_unit, strict, as_of)| SummaryOptions {
            period,
            by_sub_unit,
            strict,
            as_of: as_of.map(|d| parscore_records::Date::parse(d).unwrap()),
            bad_examples: 5,
            ..SummaryOptions::default()
        })
}

/// What every summary must hold, whatever its records, and its path to a scheme.
fn check_summary(summary: &RecordSummary, records: usize, codes: &[Option<String>]) {
    assert_eq!(summary.records, records as u64);
    assert_eq!(summary.counted + summary.bad.total, summary.records);
    let counted: u64 = summary.bad.kinds.iter().map(|k| k.count).sum();
    assert_eq!(counted, summary.bad.total);
    assert!(summary.groups.len() <= MAX_GROUPS);
    let mut periods: Vec<_> = summary.groups.iter().map(|g| g.period).collect();
    periods.sort();
    periods.dedup();
    assert!(
        periods.len() as i64 <= MAX_PERIODS,
        "{} periods",
        periods.len()
    );
    // No dossier code is counted twice: at most the codes' distinct values are counted.
    let distinct: std::collections::HashSet<String> = codes
        .iter()
        .flatten()
        .map(|c| parscore::text::nfc(c.trim()).into_owned())
        .filter(|c| !c.is_empty())
        .collect();
    let coded = codes
        .iter()
        .flatten()
        .filter(|c| !c.trim().is_empty())
        .count() as u64;
    let duplicates = summary.bad_of(BadKind::DuplicateId).map_or(0, |k| k.count);
    assert_eq!(duplicates, coded - distinct.len() as u64);
    let json = summary.to_json();
    assert_eq!(json["records"], summary.records);
    let again: RecordSummary =
        serde_json::from_str(&serde_json::to_string(summary).unwrap()).unwrap();
    assert_eq!(&again, summary);
    let scheme = Scheme::builtin("lang-son-snn-2024").unwrap();
    let rows = summary.raw_rows(&IndicatorMap::for_scheme(&scheme));
    let batch = scheme.evaluate_rows(&rows, false, &Options::default());
    assert_eq!(batch.results.len(), summary.groups.len());
    for result in &batch.results {
        if let Ok(evaluation) = &result.outcome {
            assert!(evaluation.points() >= Decimal::ZERO);
            assert!(evaluation.points() <= evaluation.max_points());
            for criterion in evaluation.criteria() {
                assert!(criterion.points() >= Decimal::ZERO);
                assert!(criterion.points() <= criterion.max_points());
            }
        }
    }
}

/// The errors a summary may end with: a limit, a calendar year not held, or a bad record in
/// strict mode.
fn allowed(error: &RecordError, options: &SummaryOptions) {
    match error {
        RecordError::Bad(_) => assert!(options.strict, "{error}"),
        RecordError::Calendar { .. }
        | RecordError::Options(_)
        | RecordError::TooManyPeriods { .. }
        | RecordError::TooManyGroups { .. } => {}
        other => panic!("unexpected error: {other}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_rows_are_counted_once_or_listed_as_bad(
        options in options(),
        rows in proptest::collection::vec(row(), 0..40),
        shuffle in proptest::sample::subsequence((0..HEADER.len()).collect::<Vec<_>>(), 4..=HEADER.len()),
    ) {
        // Any subset of the columns, in any order; a header without a required column is
        // refused naming it.
        let header: Vec<&str> = shuffle.iter().map(|&c| HEADER[c]).collect();
        let Ok(mut reader) = Profile::builtin().reader(&header) else {
            return Ok(());
        };
        let mut summarizer = Summarizer::new(options, Calendar::vietnam());
        let mut stopped = None;
        let mut codes = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            let cells: Vec<&str> = shuffle.iter().map(|&c| row[c].as_str()).collect();
            codes.push(shuffle.contains(&0).then(|| row[0].clone()));
            if let Err(error) = summarizer.push_read(reader.read(i + 1, &cells)) {
                stopped = Some(error);
                break;
            }
        }
        if let Some(error) = stopped {
            allowed(&error, &options);
            return Ok(());
        }
        match summarizer.finish() {
            Ok(summary) => check_summary(&summary, rows.len(), &codes),
            Err(error) => allowed(&error, &options),
        }
    }
}

#[cfg(feature = "arrow")]
mod batches {
    use std::sync::Arc;

    use arrow_array::builder::StringDictionaryBuilder;
    use arrow_array::types::Int32Type;
    use arrow_array::{
        ArrayRef, BooleanArray, Date32Array, Date64Array, Float64Array, Int64Array, NullArray,
        RecordBatch, StringArray, TimestampSecondArray,
    };
    use parscore_records::{ArrowCells, BatchCounter, DateForm, RecordCell};

    use super::*;

    /// One column of a frame: its cells as any of the types a frame or file may hold.
    #[derive(Debug, Clone)]
    enum Column {
        Text(Vec<Option<String>>),
        Dictionary(Vec<Option<String>>),
        Days(Vec<Option<i32>>),
        Millis(Vec<Option<i64>>),
        Stamps(Vec<Option<i64>>, Option<&'static str>),
        Numbers(Vec<Option<f64>>),
        Integers(Vec<Option<i64>>),
        Flags(Vec<Option<bool>>),
        Nulls,
    }

    fn column(rows: usize, text: BoxedStrategy<String>) -> impl Strategy<Value = Column> {
        let cells =
            |s: BoxedStrategy<String>| proptest::collection::vec(proptest::option::of(s), rows);
        let day = prop_oneof![19_000..20_500i32, any::<i32>()];
        prop_oneof![
            cells(text.clone()).prop_map(Column::Text),
            cells(text).prop_map(Column::Dictionary),
            proptest::collection::vec(proptest::option::of(day), rows).prop_map(Column::Days),
            proptest::collection::vec(proptest::option::of(any::<i64>()), rows)
                .prop_map(Column::Millis),
            (
                proptest::collection::vec(
                    proptest::option::of(prop_oneof![
                        1_640_000_000..1_800_000_000i64,
                        any::<i64>()
                    ]),
                    rows
                ),
                proptest::sample::select(vec![
                    None,
                    Some("+07:00"),
                    Some("Asia/Ho_Chi_Minh"),
                    Some("UTC"),
                    Some("Europe/Paris")
                ]),
            )
                .prop_map(|(v, z)| Column::Stamps(v, z)),
            proptest::collection::vec(
                proptest::option::of(prop_oneof![any::<f64>(), 0.0..60.0f64]),
                rows
            )
            .prop_map(Column::Numbers),
            proptest::collection::vec(
                proptest::option::of(prop_oneof![any::<i64>(), 40_000..47_000i64]),
                rows
            )
            .prop_map(Column::Integers),
            proptest::collection::vec(proptest::option::of(any::<bool>()), rows)
                .prop_map(Column::Flags),
            Just(Column::Nulls),
        ]
    }

    fn array(column: &Column, rows: usize) -> ArrayRef {
        match column {
            Column::Text(v) => Arc::new(StringArray::from(v.clone())),
            Column::Dictionary(v) => {
                let mut builder = StringDictionaryBuilder::<Int32Type>::new();
                for cell in v {
                    builder.append_option(cell.as_deref());
                }
                Arc::new(builder.finish())
            }
            Column::Days(v) => Arc::new(Date32Array::from(v.clone())),
            Column::Millis(v) => Arc::new(Date64Array::from(v.clone())),
            Column::Stamps(v, zone) => {
                let stamps = TimestampSecondArray::from(v.clone());
                Arc::new(match zone {
                    Some(zone) => stamps.with_timezone(*zone),
                    None => stamps,
                })
            }
            Column::Numbers(v) => Arc::new(Float64Array::from(v.clone())),
            Column::Integers(v) => Arc::new(Int64Array::from(v.clone())),
            Column::Flags(v) => Arc::new(BooleanArray::from(v.clone())),
            Column::Nulls => Arc::new(NullArray::new(rows)),
        }
    }

    fn frame() -> impl Strategy<Value = (usize, Vec<Column>)> {
        (0..24usize).prop_flat_map(|rows| {
            let text = |s: BoxedStrategy<String>| column(rows, s);
            (
                Just(rows),
                (
                    text(name_cell(CODES).boxed()),
                    text(name_cell(UNITS).boxed()),
                    text(name_cell(SUB_UNITS).boxed()),
                    text(date_cell().boxed()),
                    text(date_cell().boxed()),
                    text(date_cell().boxed()),
                    text(status_cell().boxed()),
                    text(flag_cell().boxed()),
                ),
            )
                .prop_map(|(rows, (a, b, c, d, e, f, g, h))| (rows, vec![a, b, c, d, e, f, g, h]))
        })
    }

    const FRAME_HEADER: [&str; 8] = [
        "Mã hồ sơ",
        "Đơn vị",
        "Phòng ban",
        "Ngày tiếp nhận",
        "Ngày hẹn trả",
        "Ngày có kết quả",
        "Trạng thái",
        "Toàn trình",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn any_batch_is_counted_once_or_listed_as_bad(
            options in options(),
            (rows, columns) in frame(),
            split in 0..24usize,
        ) {
            let arrays: Vec<ArrayRef> = columns.iter().map(|c| array(c, rows)).collect();
            let batch = RecordBatch::try_from_iter(FRAME_HEADER.iter().copied().zip(arrays)).unwrap();
            let schema = batch.schema();
            let header: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
            let mut reader = Profile::builtin().reader(&header).unwrap();
            let columns_read = BatchCounter::columns(&reader, options.by_sub_unit);
            let batch = batch.project(&columns_read).unwrap();
            let Ok(counter) = BatchCounter::new(batch.schema().as_ref(), &columns_read, &reader, options.by_sub_unit) else {
                // A zone parscore does not know is refused, naming the column.
                return Ok(());
            };
            let mut summarizer = Summarizer::new(options, Calendar::vietnam());
            // In two batches, as a file arrives.
            let split = split.min(rows);
            let mut outcome = counter.count(&batch.slice(0, split), 0, &mut reader, &mut summarizer);
            if outcome.is_ok() {
                outcome = counter.count(&batch.slice(split, rows - split), split, &mut reader, &mut summarizer);
            }
            if let Err(error) = outcome {
                allowed(&error, &options);
                return Ok(());
            }
            // The codes as the summary reads them: the code column's cells as text.
            let codes_array = array(&columns[0], rows);
            let field = arrow_schema::Field::new("code", codes_array.data_type().clone(), true);
            let offset = ArrowCells::check(&field).unwrap_or(0);
            let cells = ArrowCells::new(&codes_array, offset, Some(DateForm::Iso));
            let codes: Vec<Option<String>> = (0..rows)
                .map(|i| match cells.cell(i) {
                    RecordCell::Text(text) => Some(text.to_string()),
                    _ => None,
                })
                .collect();
            match summarizer.finish() {
                Ok(summary) => check_summary(&summary, rows, &codes),
                Err(error) => allowed(&error, &options),
            }
        }
    }
}
