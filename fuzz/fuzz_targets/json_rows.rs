#![no_main]
//! Any text as JSON rows (an array or lines), scored on the built-in plan.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(rows) = parscore::rows_from_json(text) {
        parscore_fuzz::score(parscore_fuzz::builtin(), &rows);
    }
});
