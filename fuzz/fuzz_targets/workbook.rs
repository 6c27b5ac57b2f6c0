#![no_main]
//! The workbook crate's readers: any bytes, workbooks of arbitrary cells anywhere, and the
//! built-in plan's own scheme workbook and templates mistyped, read as a scheme and as a
//! filled template. A scheme read is scored; a template's rows are scored; a refusal names
//! its sheet.

use std::sync::OnceLock;

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use parscore::Options;
use parscore_fuzz::{builtin, cells};
use parscore_workbook::{Layout, TemplateOptions, WorkbookError};

/// The plan as a scheme workbook, as a table template and as a form per unit.
fn originals() -> &'static [Vec<u8>; 3] {
    static ORIGINALS: OnceLock<[Vec<u8>; 3]> = OnceLock::new();
    ORIGINALS.get_or_init(|| {
        let template = |layout| {
            let options = TemplateOptions {
                layout,
                units: vec!["Sở Nội vụ".into(), "UBND huyện Cao Lộc".into()],
                period: Some("2024".into()),
            };
            parscore_workbook::write_template(builtin(), &options).expect("a template is written")
        };
        [
            parscore_workbook::write_scheme(builtin()).expect("the plan is written"),
            template(Layout::Table),
            template(Layout::PerUnit),
        ]
    })
}

/// Every problem of a refused workbook is at a sheet.
fn refused(error: &WorkbookError) {
    for problem in error.problems() {
        assert!(!problem.place.sheet.is_empty(), "{problem}");
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&choice, rest)) = data.split_first() else {
        return;
    };
    let mut u = Unstructured::new(rest);
    let mut words: Vec<&str> = builtin()
        .indicators()
        .iter()
        .map(|i| i.id.as_str())
        .collect();
    words.extend(builtin().leaves().map(|c| c.code.as_str()));
    words.extend([
        "98,7",
        "1.000",
        "có",
        "x",
        ">= 99",
        "threshold",
        "bands",
        "Đơn vị",
        "unit",
        "",
    ]);
    let bytes = match choice % 5 {
        0 => rest.to_vec(),
        1 => match cells::workbook(&mut u, &["Tiêu chí", "Chỉ tiêu", "Nhập liệu"], &words)
        {
            Ok(bytes) => bytes,
            Err(_) => return,
        },
        pick => match cells::edited(&mut u, &originals()[usize::from(pick - 2)], &words) {
            Ok(bytes) => bytes,
            Err(_) => return,
        },
    };
    match parscore_workbook::read_scheme(&bytes) {
        Ok(scheme) => parscore_fuzz::exercise(&scheme),
        Err(error) => refused(&error),
    }
    match parscore_workbook::read_template(&bytes, builtin()) {
        Ok(filled) => {
            let rows: Vec<_> = filled.into_iter().map(|row| row.raw).collect();
            let batch = builtin().evaluate_rows(&rows, true, &Options::default());
            assert_eq!(batch.results.len(), rows.len());
            for evaluation in batch.results.iter().filter_map(|r| r.outcome.as_ref().ok()) {
                parscore_fuzz::check(evaluation);
            }
        }
        Err(error) => refused(&error),
    }
});
