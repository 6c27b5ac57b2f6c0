//! Reports in Vietnamese by default, as they go upward: the instruments' terms, numbers as a
//! Vietnamese reader writes them (exact, from the decimal's digits), units by rank within
//! each period; English with `--lang en`.

mod common;

use common::{CSV, SCHEME, parscore};

fn stdout_of(args: &[&str]) -> String {
    let output = parscore(args).output().unwrap();
    assert!(
        output.status.code() == Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn reports_and_the_table_are_in_vietnamese_by_default_and_english_on_request() {
    let md = stdout_of(&["evaluate", "--scheme", SCHEME, "-q", "-f", "md", CSV]);
    for part in [
        "# Báo cáo Chỉ số CCHC: ",
        "> **ĐIỂM ƯỚC TÍNH — KHÔNG PHẢI ĐIỂM CHÍNH THỨC.**",
        "**Chỉ số bình quân 92,66** của 5 đơn vị đã chấm (0 có lỗi).",
        "## Các đơn vị",
        "| xếp hạng | đơn vị | kỳ | điểm đạt | điểm tối đa | Chỉ số | xếp loại | chưa có số liệu | trạng thái |",
        "### Điểm đạt và điểm bị mất theo lĩnh vực",
        "### Tiêu chí không đạt theo đơn vị chủ trì",
        "| tiêu chí | nội dung | giá trị | chỉ tiêu | chênh lệch | điểm bị mất | tiến độ |",
        "### Điểm có thể khôi phục nhiều nhất",
        "| điểm | tiêu chí | nội dung | đơn vị chủ trì |",
        "### Tiêu chí chưa có số liệu (tính 0 điểm)",
        "## Nguồn gốc bộ tiêu chí",
        "- Điểm: **ước tính**, không phải phương pháp chính thức",
        "- Xếp loại: Xuất sắc từ 90, Tốt từ 80, Khá từ 70, Trung bình từ 50, Yếu từ 0",
        "**Chỉ số 90,57 · Xuất sắc** — 90,57 / 100,00 điểm, xếp hạng 4/5.",
    ] {
        assert!(md.contains(part), "{part:?} in\n{md}");
    }
    for english in [
        "PAR Index report",
        "Failing targets",
        "Mean index",
        "Provenance",
    ] {
        assert!(!md.contains(english), "{english}");
    }

    let html = stdout_of(&["evaluate", "--scheme", SCHEME, "-q", "-f", "html", CSV]);
    assert!(html.contains("<html lang=\"vi\">"));
    assert!(html.contains("<h1>Báo cáo Chỉ số CCHC</h1>"));
    assert!(html.contains("<span class=\"value\" id=\"headline-index\">92,66</span>"));
    assert!(html.contains("<h3>Tiêu chí không đạt theo đơn vị chủ trì</h3>"));

    let table = stdout_of(&["evaluate", "--scheme", SCHEME, "-q", CSV]);
    assert!(table.contains("xếp hạng"), "{table}");
    assert!(
        table.contains("(điểm ƯỚC TÍNH, không chính thức)"),
        "{table}"
    );

    let md = stdout_of(&[
        "evaluate", "--scheme", SCHEME, "-q", "-f", "md", "--lang", "en", CSV,
    ]);
    assert!(md.starts_with("# PAR Index report: "));
    assert!(md.contains("**Mean index 92.66** over 5 scored units (0 with errors)."));
    assert!(md.contains("### Failing targets by lead unit"));
    let html = stdout_of(&[
        "evaluate", "--scheme", SCHEME, "-q", "-f", "html", "--lang", "en", CSV,
    ]);
    assert!(html.contains("<html lang=\"en\">"));
    let table = stdout_of(&["evaluate", "--scheme", SCHEME, "-q", "--lang", "en", CSV]);
    assert!(table.contains("│ rank"), "{table}");

    // Machine formats keep their English keys whatever the language.
    let csv = stdout_of(&["evaluate", "--scheme", SCHEME, "-q", "-f", "csv", CSV]);
    assert!(csv.starts_with("row,source,unit,period,status,error,points,"));
}

#[test]
fn vietnamese_figures_are_the_exact_digits_with_a_decimal_comma() {
    let dir = tempfile::tempdir().unwrap();
    let units = dir.path().join("units.csv");
    // 9,899 of 10,000 dossiers on time: 98.99%, just under the 99% target.
    std::fs::write(
        &units,
        "unit,period,dossiers_on_time,dossiers_resolved,survey_points\n\
         Văn phòng Sở,2024,9899,10000,16.855\n",
    )
    .unwrap();
    let md = stdout_of(
        &["evaluate", "--scheme", SCHEME, "-q", "-f", "md"]
            .into_iter()
            .chain([units.to_str().unwrap()])
            .collect::<Vec<_>>(),
    );
    let line = md
        .lines()
        .find(|l| l.starts_with("| III.4.1 |"))
        .unwrap_or_else(|| panic!("III.4.1 fails in\n{md}"));
    assert!(
        line.contains("| 9.899/10.000 = 98,99% | `>= 99` | -0,01 |"),
        "{line}"
    );
}

#[test]
fn units_are_listed_by_rank_within_each_period() {
    let dir = tempfile::tempdir().unwrap();
    let units = dir.path().join("units.csv");
    std::fs::write(
        &units,
        "unit,period,survey_points\n\
         Chi cục Kiểm lâm,2023,12\n\
         Sở NN&PTNT,2024,15\n\
         Chi cục Thủy lợi,2023,18\n\
         Chi cục Kiểm lâm,2024,19\n\
         ,2024,20\n\
         Chi cục Thủy lợi,2024,15\n",
    )
    .unwrap();
    let file = units.to_str().unwrap();
    let output = parscore(["evaluate", "--scheme", SCHEME, "-q", "-f", "md", file])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let md = String::from_utf8(output.stdout).unwrap();
    let rows: Vec<(String, String)> = md
        .lines()
        .skip_while(|l| !l.starts_with("| xếp hạng |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let cells: Vec<&str> = l.split(" | ").collect();
            let unit = cells[1]
                .trim_start_matches('[')
                .split("](")
                .next()
                .unwrap()
                .to_string();
            (cells[0].trim_start_matches("| ").to_string(), unit)
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("1", "Chi cục Thủy lợi"),
            ("2", "Chi cục Kiểm lâm"),
            ("1", "Chi cục Kiểm lâm"),
            ("2", "Sở NN&PTNT"),
            ("2", "Chi cục Thủy lợi"),
            ("-", "?"),
        ]
        .map(|(r, u)| (r.to_string(), u.to_string()))
    );
    // The unit pages follow the same order.
    let pages: Vec<&str> = md
        .lines()
        .filter(|l| l.starts_with("## Chi cục") || l.starts_with("## Sở"))
        .collect();
    assert_eq!(
        pages,
        [
            "## Chi cục Thủy lợi (2023)",
            "## Chi cục Kiểm lâm (2023)",
            "## Chi cục Kiểm lâm (2024)",
            "## Sở NN&PTNT (2024)",
            "## Chi cục Thủy lợi (2024)",
        ]
    );
}
