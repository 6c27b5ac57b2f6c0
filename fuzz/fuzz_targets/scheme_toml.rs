#![no_main]
//! Any text as a TOML scheme: loads or is refused; a scheme that loads scores.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(scheme) = parscore::Scheme::from_toml(text) {
        parscore_fuzz::exercise(&scheme);
    }
});
