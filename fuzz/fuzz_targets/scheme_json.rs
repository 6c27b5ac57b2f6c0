#![no_main]
//! Any text as a JSON scheme (and through `from_text`): loads or is refused.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(scheme) = parscore::Scheme::from_json(text) {
        parscore_fuzz::exercise(&scheme);
    }
    let _ = parscore::Scheme::from_text(text);
});
