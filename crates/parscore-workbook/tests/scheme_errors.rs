//! Schemes typed into Excel the way a province types its instrument: read as written, and
//! every mistake located at its sheet and cell with the criterion code.

use parscore::{Options, ProblemKind, Scheme};
use parscore_workbook::{Place, Problem, WorkbookError, read_scheme};
use rust_xlsxwriter::Workbook;

/// A cell as a person types it: text, or a number.
#[derive(Clone, Copy)]
enum C<'a> {
    T(&'a str),
    N(f64),
}
use C::{N, T};

fn workbook(sheets: &[(&str, Vec<Vec<C>>)]) -> Vec<u8> {
    let mut book = Workbook::new();
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    T("") => {}
                    T(text) => {
                        sheet.write_string(r as u32, c as u16, *text).unwrap();
                    }
                    N(n) => {
                        sheet.write_number(r as u32, c as u16, *n).unwrap();
                    }
                }
            }
        }
    }
    book.save_to_buffer().unwrap()
}

fn settings() -> (&'static str, Vec<Vec<C<'static>>>) {
    (
        "Thông tin",
        vec![
            vec![T("Mã bộ tiêu chí"), T("tinh-x-2025")],
            vec![T("Tên bộ tiêu chí"), T("Chỉ số CCHC các sở 2025")],
            vec![T("Phiên bản"), T("1")],
        ],
    )
}

fn indicators() -> (&'static str, Vec<Vec<C<'static>>>) {
    (
        "Chỉ tiêu",
        vec![
            vec![
                T("Mã chỉ tiêu"),
                T("Tên chỉ tiêu"),
                T("Loại"),
                T("Tử số"),
                T("Mẫu số"),
            ],
            vec![T("reports_on_time"), T("Báo cáo đúng hạn"), T("có/không")],
            vec![T("on_time"), T("Hồ sơ đúng hạn"), T("số lượng")],
            vec![T("resolved"), T("Hồ sơ đã giải quyết"), T("số lượng")],
            vec![
                T("on_time_rate"),
                T("Tỷ lệ hồ sơ đúng hạn"),
                T("tỷ lệ %"),
                T("on_time"),
                T("resolved"),
            ],
        ],
    )
}

/// The criteria of a small instrument as published: STT, title, points, method, evidence.
fn criteria(rows: Vec<Vec<C<'static>>>) -> (&'static str, Vec<Vec<C<'static>>>) {
    let mut sheet = vec![
        vec![T("BỘ TIÊU CHÍ ĐÁNH GIÁ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH")],
        vec![
            T("STT"),
            // Typed in decomposed Unicode, as some systems write it.
            T("Li\u{303}nh vư\u{323}c/Tiêu chi\u{301}"),
            T("Điểm tối đa"),
            T("Chỉ tiêu"),
            T("Mục tiêu"),
            T("Phương pháp chấm điểm"),
            T("Tài liệu kiểm chứng"),
            T("Ghi chú"),
        ],
    ];
    sheet.extend(rows);
    ("Tiêu chí", sheet)
}

fn good_rows() -> Vec<Vec<C<'static>>> {
    vec![
        vec![T("I"), T("Công tác chỉ đạo, điều hành"), N(1.0)],
        vec![
            T("I.1"),
            T("Báo cáo CCHC định kỳ"),
            N(1.0),
            T("reports_on_time"),
            T("có"),
            T("Đạt/không đạt"),
            T("Các báo cáo"),
            T("ghi chú bất kỳ"),
        ],
        vec![T("II"), T("Cải cách TTHC"), N(2.0)],
        vec![
            T("II.1"),
            T("Tỷ lệ hồ sơ đúng hạn"),
            N(2.0),
            T("on_time_rate"),
            T("≥ 99%"),
            T("Từ 99% trở lên: 2 điểm;\nTừ 95% đến dưới 99%: 1,5 điểm;\nDưới 95%: 0 điểm."),
            T("Báo cáo trích xuất từ Hệ thống"),
        ],
    ]
}

fn read(rows: Vec<Vec<C<'static>>>) -> Result<Scheme, WorkbookError> {
    read_scheme(&workbook(&[settings(), indicators(), criteria(rows)]))
}

fn problems(rows: Vec<Vec<C<'static>>>) -> Vec<Problem> {
    match read(rows) {
        Err(WorkbookError::Invalid { problems }) => problems,
        other => panic!("expected problems, got {other:?}"),
    }
}

fn at(sheet: &str, cell: &str) -> String {
    format!("{sheet}!{cell}")
}

#[test]
fn an_instrument_typed_as_published_reads_and_scores() {
    let scheme = read(good_rows()).unwrap();
    let file = scheme.file();
    let on_time = &file.areas[1].criteria[0];
    assert_eq!(on_time.target.as_deref(), Some(">= 99%"));
    assert_eq!(
        on_time.evidence.as_deref(),
        Some("Báo cáo trích xuất từ Hệ thống")
    );
    assert_eq!(file.areas[0].criteria[0].target.as_deref(), Some("== true"));
    let mut inputs = scheme.inputs("Sở Tư pháp", None);
    inputs
        .set_text("reports_on_time", "x")
        .unwrap()
        .set_text("on_time", "9899")
        .unwrap()
        .set_text("resolved", "10000")
        .unwrap();
    let evaluation = scheme.evaluate(&inputs, &Options::default()).unwrap();
    // 98.99% falls in the 1.5 band, exactly.
    assert_eq!(evaluation.points().to_string(), "2.5");
}

#[test]
fn a_bad_band_text_is_located_with_its_code() {
    let mut rows = good_rows();
    rows[3][5] = T("Trên 99%: 2 điểm; dưới 99%: 0");
    let p = problems(rows);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].place.to_string(), at("Tiêu chí", "F6"));
    assert_eq!(p[0].code.as_deref(), Some("II.1"));
    assert!(p[0].to_string().contains("trên"), "{}", p[0]);
}

#[test]
fn a_missing_maximum_is_located_at_its_cell() {
    let mut rows = good_rows();
    rows[3][2] = T("");
    // The area's stated 2 no longer matches its child's; drop it too.
    rows[2][2] = T("");
    let p = problems(rows);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].place, Place::cell("Tiêu chí", 5, 2));
    assert_eq!(p[0].code.as_deref(), Some("II.1"));
    assert!(matches!(
        p[0].kind,
        ProblemKind::MissingField {
            field: "max_points",
            ..
        }
    ));
    assert_eq!(
        p[0].to_string(),
        "Tiêu chí!C6: II.1: `max_points`: `max_points` is required for a leaf criterion"
    );
}

#[test]
fn an_unknown_indicator_is_located_at_its_cell() {
    let mut rows = good_rows();
    rows[1][3] = T("report_on_time");
    let p = problems(rows);
    assert_eq!(p[0].place.to_string(), at("Tiêu chí", "D4"));
    assert_eq!(p[0].code.as_deref(), Some("I.1"));
    assert_eq!(
        p[0].kind,
        ProblemKind::UnknownIndicator("report_on_time".into())
    );
}

#[test]
fn validation_problems_land_on_their_rows() {
    // A group whose stated maximum disagrees with its children, a duplicate code, bands
    // above the maximum.
    let mut rows = good_rows();
    rows[0][2] = N(3.0);
    rows[3][5] = T("từ 99%: 5; dưới 99%: 0");
    rows.push(vec![
        T("II.1"),
        T("Lặp mã"),
        N(0.0),
        T("reports_on_time"),
        T("có"),
        T("có/không"),
    ]);
    let p = problems(rows);
    let places: Vec<String> = p.iter().map(|p| p.place.to_string()).collect();
    assert!(places.contains(&at("Tiêu chí", "C3")), "{p:#?}");
    assert!(places.contains(&at("Tiêu chí", "A7")), "{p:#?}");
    assert!(places.contains(&at("Tiêu chí", "F6")), "{p:#?}");
}

#[test]
fn rows_out_of_their_tree_and_unknown_columns_are_refused() {
    let mut rows = good_rows();
    rows.swap(1, 2); // I.1 now stands under II
    let p = problems(rows);
    assert_eq!(p[0].place.to_string(), at("Tiêu chí", "A5"));
    assert!(p[0].to_string().contains("stands under `II`"), "{}", p[0]);

    let mut sheet = criteria(good_rows());
    sheet.1[1][7] = T("Điểm tự đánh giá");
    let error = read_scheme(&workbook(&[settings(), indicators(), sheet])).unwrap_err();
    assert_eq!(error.problems()[0].place.to_string(), at("Tiêu chí", "H2"));
    assert!(error.to_string().contains("unknown column"), "{error}");
}

#[test]
fn a_missing_sheet_or_setting_is_named() {
    let error = read_scheme(&workbook(&[settings(), criteria(good_rows())])).unwrap_err();
    assert_eq!(error.problems()[0].place, Place::sheet("Chỉ tiêu"));
    let mut info = settings();
    info.1.pop();
    let error = read_scheme(&workbook(&[info, indicators(), criteria(good_rows())])).unwrap_err();
    assert_eq!(error.problems()[0].field.as_deref(), Some("version"));
    assert!(matches!(
        read_scheme(b"not a workbook"),
        Err(WorkbookError::Unreadable(_))
    ));
}

#[test]
fn explicit_levels_free_the_codes() {
    // Local numbering, as some instruments print it: I, 1, a.
    let mut sheet = criteria(vec![]);
    sheet.1[1].insert(0, T("Cấp"));
    sheet.1.extend([
        vec![N(1.0), T("I"), T("Chỉ đạo"), N(1.0)],
        vec![
            N(2.0),
            T("1"),
            T("Báo cáo"),
            N(1.0),
            T("reports_on_time"),
            T("có"),
            T("đạt/không đạt"),
        ],
        vec![N(1.0), T("II"), T("TTHC"), N(2.0)],
        vec![
            N(2.0),
            T("2"),
            T("Đúng hạn"),
            N(2.0),
            T("on_time_rate"),
            T(""),
            T("từ 99%: 2"),
        ],
    ]);
    let scheme = read_scheme(&workbook(&[settings(), indicators(), sheet])).unwrap();
    assert_eq!(scheme.file().areas[1].criteria[0].code, "2");
    assert_eq!(scheme.max_points().to_string(), "3");
}

/// Bonus points as an instrument prints them: the section's row with its cap, then its
/// criteria; the index may pass 100 as the settings say.
fn bonus_sheet(cap: C<'static>) -> (&'static str, Vec<Vec<C<'static>>>) {
    (
        "Điểm thưởng",
        vec![
            vec![
                T("STT"),
                T("Nội dung"),
                T("Điểm tối đa"),
                T("Chỉ tiêu"),
                T("Phương pháp chấm điểm"),
            ],
            vec![T("TH"), T("ĐIỂM THƯỞNG"), cap],
            vec![
                T("TH.1"),
                T("Có sáng kiến CCHC được công nhận"),
                N(1.0),
                T("reports_on_time"),
                T("có/không"),
            ],
        ],
    )
}

/// Penalty points: the section's row with its cap, then one row a penalty.
fn penalties_sheet(parameters: &'static str) -> (&'static str, Vec<Vec<C<'static>>>) {
    (
        "Điểm trừ",
        vec![
            vec![
                T("STT"),
                T("Nội dung"),
                T("Điểm tối đa"),
                T("Chỉ tiêu"),
                T("Phương pháp chấm điểm"),
                T("Mức điểm"),
            ],
            vec![T("TR"), T("ĐIỂM TRỪ"), N(2.0)],
            vec![
                T("TR.1"),
                T("Bị phê bình, nhắc nhở về CCHC"),
                T(""),
                T("on_time"),
                T("trừ điểm"),
                T(parameters),
            ],
        ],
    )
}

#[test]
fn bonus_and_penalty_sheets_read_as_the_sections() {
    let mut info = settings();
    info.1.push(vec![T("Chỉ số được vượt 100"), T("có")]);
    info.1
        .push(vec![T("Khi bằng chỉ số"), T("chỉ số chính xác")]);
    info.1.push(vec![T("Thứ tự xét khi bằng điểm"), T("II; I")]);
    let bytes = workbook(&[
        info,
        indicators(),
        criteria(good_rows()),
        bonus_sheet(N(0.5)),
        penalties_sheet("mỗi lần: 0,5; trừ tối đa: 1,5"),
    ]);
    let scheme = read_scheme(&bytes).unwrap();
    let (bonus, cap) = scheme.bonus().unwrap();
    assert_eq!(
        (bonus.code.as_str(), cap.to_string().as_str()),
        ("TH", "0.5")
    );
    assert!(scheme.index_above_100());
    let penalties = scheme.file().penalties.as_ref().unwrap();
    assert_eq!(penalties.criteria[0].per.to_string(), "0.5");
    assert_eq!(
        penalties.criteria[0].cap.map(|c| c.to_string()),
        Some("1.5".into())
    );
    assert_eq!(scheme.ties(), parscore::Ties::Exact);
    let tie_break: Vec<&str> = scheme.tie_break().map(|c| c.code.as_str()).collect();
    assert_eq!(tie_break, ["II", "I"]);
    // 3 points of 3, a bonus of 0.5 past the maximum, 3 reprimands (1.5 taken off).
    let mut inputs = scheme.inputs("Sở Tư pháp", None);
    inputs
        .set_text("reports_on_time", "có")
        .unwrap()
        .set_text("on_time_rate", "99")
        .unwrap()
        .set_text("on_time", "3")
        .unwrap();
    let evaluation = scheme.evaluate(&inputs, &Options::default()).unwrap();
    assert_eq!(evaluation.points().to_string(), "2");
    assert_eq!(
        evaluation.penalty_points().map(|p| p.to_string()),
        Some("1.5".into())
    );
}

#[test]
fn mistakes_on_the_section_sheets_are_located() {
    let sheets = |bonus, penalties| {
        read_scheme(&workbook(&[
            settings(),
            indicators(),
            criteria(good_rows()),
            bonus,
            penalties,
        ]))
        .unwrap_err()
        .problems()
        .to_vec()
    };
    // A cap of 0, and a penalty without its points per occurrence.
    let p = sheets(bonus_sheet(N(0.0)), penalties_sheet("trừ tối đa: 1"));
    let places: Vec<String> = p.iter().map(|p| p.place.to_string()).collect();
    assert!(places.contains(&at("Điểm trừ", "F3")), "{p:#?}");
    // Cell errors come first: with the penalty mended, the cap's validation is placed.
    let p = sheets(bonus_sheet(N(0.0)), penalties_sheet("mỗi lần: 0,5"));
    assert_eq!(p[0].place.to_string(), at("Điểm thưởng", "C2"), "{p:#?}");
    assert_eq!(p[0].code.as_deref(), Some("TH"));
    // A penalty's cap above the section's is placed at its parameters.
    let p = sheets(
        bonus_sheet(N(1.0)),
        penalties_sheet("mỗi lần: 0,5; trừ tối đa: 3"),
    );
    assert_eq!(p[0].place.to_string(), at("Điểm trừ", "F3"), "{p:#?}");
    assert_eq!(p[0].code.as_deref(), Some("TR.1"));

    // The index passing 100 without bonus points, a tie-break code the scheme lacks.
    let mut info = settings();
    info.1.push(vec![T("Chỉ số được vượt 100"), T("có")]);
    let error = read_scheme(&workbook(&[info, indicators(), criteria(good_rows())])).unwrap_err();
    assert_eq!(error.problems()[0].place.to_string(), at("Thông tin", "B4"));
    let mut info = settings();
    info.1.push(vec![T("Thứ tự xét khi bằng điểm"), T("IX")]);
    let error = read_scheme(&workbook(&[info, indicators(), criteria(good_rows())])).unwrap_err();
    assert_eq!(error.problems()[0].place.to_string(), at("Thông tin", "B4"));
    assert!(error.to_string().contains("`IX`"), "{error}");
}
