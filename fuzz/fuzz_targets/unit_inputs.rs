#![no_main]
//! The command's readers of unit inputs: any text as CSV or JSON under either decimal mark,
//! any bytes as a workbook, and workbooks of arbitrary cells anywhere up to XFD1048576,
//! through reading, the column check, the built-in plan and every output format.

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use parscore_cli::cli::InputFormat;
use parscore_fuzz::{builtin, cells, command};

fuzz_target!(|data: &[u8]| {
    let Some((&choice, rest)) = data.split_first() else {
        return;
    };
    let options = command::options(choice & 1 == 1, None);
    let ignore_unknown = choice & 2 == 2;
    let (bytes, format) = match (choice >> 2) % 4 {
        0 => (rest.to_vec(), InputFormat::Csv),
        1 => (rest.to_vec(), InputFormat::Json),
        2 => (rest.to_vec(), InputFormat::Xlsx),
        _ => {
            let mut words: Vec<&str> = builtin()
                .indicators()
                .iter()
                .map(|i| i.id.as_str())
                .collect();
            words.extend([
                "unit",
                "period",
                "Đơn vị",
                "Kỳ",
                "98,7",
                "có",
                "x",
                "Sở Nội vụ",
                "So\u{31b} No\u{323}i vu\u{323}",
            ]);
            let Ok(bytes) =
                cells::workbook(&mut Unstructured::new(rest), &["Sheet1", "Đơn vị"], &words)
            else {
                return;
            };
            (bytes, InputFormat::Xlsx)
        }
    };
    command::read_and_score(bytes, format, &options, ignore_unknown);
});
