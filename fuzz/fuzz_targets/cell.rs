#![no_main]
//! Any text as a cell of every indicator of the built-in plan, and any float as a value.

use libfuzzer_sys::fuzz_target;
use parscore::{Options, Value};

fuzz_target!(|text: &str| {
    let _ = Value::parse(text);
    if let Ok(bytes) = <[u8; 8]>::try_from(text.as_bytes().get(..8).unwrap_or_default()) {
        let _ = Value::from_f64(f64::from_le_bytes(bytes));
    }
    let scheme = parscore_fuzz::builtin();
    let mut inputs = scheme.inputs("A", None);
    for indicator in scheme.indicators() {
        let _ = inputs.set_text(&indicator.id, text);
    }
    if let Ok(evaluation) = scheme.evaluate(&inputs, &Options::default()) {
        parscore_fuzz::check(&evaluation);
    }
});
