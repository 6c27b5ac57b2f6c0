//! The JSON document: the core's results document with each row's source.

use serde_json::Value as Json;

/// Pretty JSON with a final newline. Numbers keep the exact digits the core wrote.
pub fn render(document: &Json) -> String {
    let mut text = serde_json::to_string_pretty(document).unwrap_or_else(|_| "null".into());
    text.push('\n');
    text
}
