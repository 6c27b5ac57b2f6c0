//! The JSON document: the core's results document with each row's source.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::Value as Json;

/// Pretty JSON with a final newline. Numbers keep the exact digits the core wrote.
pub fn render(document: &Json) -> String {
    let mut text = serde_json::to_string_pretty(document).unwrap_or_else(|_| "null".into());
    text.push('\n');
    text
}

/// [`render`] of a document written as it is serialised, into `out`: the text is the same,
/// without the document or its text in memory first.
pub fn write(document: &impl Serialize, out: &mut dyn Write) -> io::Result<()> {
    let mut out = io::BufWriter::new(out);
    serde_json::to_writer_pretty(&mut out, document)?;
    out.write_all(b"\n")?;
    out.flush()
}
