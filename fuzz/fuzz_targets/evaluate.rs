#![no_main]
//! The whole path: a scheme (the text before the first NUL, else the built-in plan) and
//! JSON rows (the text after it) through parsing, scoring and every output.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let (scheme_text, rows_text) = text.split_once('\0').unwrap_or(("", text));
    let loaded = parscore::Scheme::from_text(scheme_text).ok();
    let scheme = loaded.as_ref().unwrap_or_else(|| parscore_fuzz::builtin());
    if let Ok(rows) = parscore::rows_from_json(rows_text) {
        parscore_fuzz::score(scheme, &rows);
    }
});
