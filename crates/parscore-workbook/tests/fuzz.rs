//! Arbitrary cells through both readers: no panic, and what reads scores within bounds with
//! one result per row.

use parscore::{Decimal, Options, RawRow, Scheme};
use parscore_workbook::{read_scheme, read_template};
use proptest::prelude::*;
use rust_xlsxwriter::{Format, Workbook};

#[derive(Debug, Clone)]
enum Cell {
    Text(String),
    Number(f64),
    Percent(f64),
    Bool(bool),
}

/// Words the readers look for, mixed with anything.
fn cell() -> impl Strategy<Value = Cell> {
    let words = prop::sample::select(vec![
        "STT",
        "Cấp",
        "Tiêu chí",
        "Điểm tối đa",
        "Chỉ tiêu",
        "Mục tiêu",
        "Phương pháp chấm điểm",
        "Mức điểm",
        "Mức 2",
        "Khi không áp dụng",
        "Mã chỉ tiêu",
        "Loại",
        "Tử số",
        "Mẫu số",
        "Xếp loại",
        "Chỉ số từ",
        "Mã bộ tiêu chí",
        "Tên bộ tiêu chí",
        "Phiên bản",
        "Số chữ số thập phân",
        "Đơn vị",
        "unit",
        "Kỳ đánh giá",
        "period",
        "Giá trị tự đánh giá",
        "I",
        "I.1",
        "I.1.a",
        "II.1",
        "có",
        "x",
        "không",
        "n/a",
        "tỷ lệ %",
        "số lượng",
        "có/không",
        "theo mức",
        "đạt/không đạt",
        "trừ điểm",
        "từ 99%: 2; từ 95% đến dưới 99%: 1; dưới 95%: 0",
        "trên 99%: 2",
        ">= 99",
        "== 0",
        "≥ 80%",
        "dossiers_on_time",
        "dossiers_resolved",
        "survey_points",
        "reports_on_time",
        "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn [dossiers_on_time]",
        "1.500",
        "99,5",
        "9899/10000",
        "-1",
        "loại trừ",
        "đủ điểm",
        "TH",
        "TH.1",
        "TR",
        "TR.1",
        "mỗi lần: 0,5; trừ tối đa: 1,5",
        "mỗi lần: 0",
        "Chỉ số được vượt 100",
        "Khi bằng chỉ số",
        "chỉ số chính xác",
        "Thứ tự xét khi bằng điểm",
        "I; TH",
    ])
    .prop_map(|w| Cell::Text(w.to_string()));
    prop_oneof![
        4 => words,
        2 => "\\PC{0,12}".prop_map(Cell::Text),
        2 => (-1_000_000i64..1_000_000, 0u32..4).prop_map(|(u, s)| Cell::Number(u as f64 / 10f64.powi(s as i32))),
        1 => (0i64..2000).prop_map(|u| Cell::Percent(u as f64 / 1000.0)),
        1 => any::<bool>().prop_map(Cell::Bool),
    ]
}

fn sheets() -> impl Strategy<Value = Vec<(String, Vec<Vec<Option<Cell>>>)>> {
    let name = prop::sample::select(vec![
        "Tiêu chí",
        "Chỉ tiêu",
        "Thông tin",
        "Xếp loại",
        "Điểm thưởng",
        "Điểm trừ",
        "Nhập liệu",
        "Tự đánh giá",
        "Sheet1",
    ]);
    let grid = prop::collection::vec(
        prop::collection::vec(proptest::option::of(cell()), 0..9),
        0..9,
    );
    prop::collection::vec((name, grid), 1..5).prop_map(|mut sheets| {
        let mut seen = std::collections::HashSet::new();
        sheets.retain(|(name, _)| seen.insert(*name));
        sheets
            .into_iter()
            .map(|(n, g)| (n.to_string(), g))
            .collect()
    })
}

/// Cells anywhere in a sheet, up to XFD1048576: by sheet (an index into the sheets), row
/// and column.
type Stray = (usize, (u32, u16), Cell);

fn strays() -> impl Strategy<Value = Vec<Stray>> {
    prop::collection::vec((0usize..5, (0u32..1_048_576, 0u16..16_384), cell()), 0..4)
}

fn workbook(sheets: &[(String, Vec<Vec<Option<Cell>>>)]) -> Vec<u8> {
    workbook_with(sheets, &[])
}

fn workbook_with(sheets: &[(String, Vec<Vec<Option<Cell>>>)], strays: &[Stray]) -> Vec<u8> {
    let mut book = Workbook::new();
    let percent = Format::new().set_num_format("0.0%");
    for (i, (name, rows)) in sheets.iter().enumerate() {
        let sheet = book.add_worksheet();
        sheet.set_name(name).unwrap();
        let near = rows.iter().enumerate().flat_map(|(r, row)| {
            row.iter()
                .enumerate()
                .map(move |(c, cell)| ((r as u32, c as u16), cell.as_ref()))
        });
        let far = strays
            .iter()
            .filter(|(s, _, _)| s % sheets.len() == i)
            .map(|(_, at, cell)| (*at, Some(cell)));
        for ((r, c), cell) in near.chain(far) {
            match cell {
                None => {}
                Some(Cell::Text(t)) => {
                    sheet.write_string(r, c, t).unwrap();
                }
                Some(Cell::Number(n)) => {
                    sheet.write_number(r, c, *n).unwrap();
                }
                Some(Cell::Percent(n)) => {
                    sheet.write_number_with_format(r, c, *n, &percent).unwrap();
                }
                Some(Cell::Bool(b)) => {
                    sheet.write_boolean(r, c, *b).unwrap();
                }
            }
        }
    }
    book.save_to_buffer().unwrap()
}

fn check_scores(scheme: &Scheme, rows: &[RawRow]) -> Result<(), TestCaseError> {
    let batch = scheme.evaluate_rows(rows, true, &Options::default());
    prop_assert_eq!(batch.results.len(), rows.len());
    // A bonus that may pass the maximum takes the total above it, by its cap at most.
    let beyond = match scheme.bonus() {
        Some((_, cap)) if scheme.index_above_100() => cap,
        _ => Decimal::ZERO,
    };
    for result in &batch.results {
        if let Ok(evaluation) = &result.outcome {
            prop_assert!(evaluation.points() >= Decimal::ZERO);
            prop_assert!(evaluation.points() <= evaluation.max_points() + beyond);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn any_cells_read_as_a_scheme_or_a_located_refusal(sheets in sheets()) {
        match read_scheme(&workbook(&sheets)) {
            Ok(scheme) => {
                let rows = vec![RawRow { row: 1, unit: Some("A".into()), ..RawRow::default() }];
                check_scores(&scheme, &rows)?;
            }
            Err(error) => {
                for problem in error.problems() {
                    prop_assert!(sheets.iter().any(|(name, _)| *name == problem.place.sheet)
                        || ["Tiêu chí", "Chỉ tiêu", "Thông tin"].contains(&problem.place.sheet.as_str()));
                }
            }
        }
    }

    #[test]
    fn any_cells_read_as_template_rows_that_score(sheets in sheets()) {
        let scheme = Scheme::builtin("lang-son-snn-2024").unwrap();
        if let Ok(rows) = read_template(&workbook(&sheets), &scheme) {
            let raw: Vec<RawRow> = rows.into_iter().map(|r| r.raw).collect();
            check_scores(&scheme, &raw)?;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Before, one far cell made the readers build the rectangle up to it.
    #[test]
    fn any_cells_anywhere_are_read_by_the_cells_held(sheets in sheets(), strays in strays()) {
        let bytes = workbook_with(&sheets, &strays);
        if let Err(error) = read_scheme(&bytes) {
            for problem in error.problems() {
                prop_assert!(!problem.place.sheet.is_empty());
            }
        }
        let scheme = Scheme::builtin("lang-son-snn-2024").unwrap();
        if let Ok(rows) = read_template(&bytes, &scheme) {
            let raw: Vec<RawRow> = rows.into_iter().map(|r| r.raw).collect();
            check_scores(&scheme, &raw)?;
        }
    }
}
