//! The JSON document: the core's results document with each row's source, pretty-printed.
//!
//! Its strings carry no character a terminal would act on: serde_json escapes C0 controls,
//! and the other ones (DEL, C1 controls, bidirectional overrides) are written as `\uXXXX`
//! escapes here. The document reads back to the same values.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::Value as Json;
use serde_json::ser::{Formatter, PrettyFormatter, Serializer};

use super::escape;

/// Pretty JSON with a final newline. Numbers keep the exact digits the core wrote.
pub fn render(document: &Json) -> String {
    let mut bytes = Vec::new();
    // Writing to memory cannot fail, and a `Value` always serialises.
    let _ = write(document, &mut bytes);
    String::from_utf8(bytes).unwrap_or_default()
}

/// [`render`] of a document written as it is serialised, into `out`: the text is the same,
/// without the document or its text in memory first.
pub fn write(document: &impl Serialize, out: &mut dyn Write) -> io::Result<()> {
    let mut out = io::BufWriter::new(out);
    let mut serializer = Serializer::with_formatter(&mut out, Shown(PrettyFormatter::new()));
    document
        .serialize(&mut serializer)
        .map_err(io::Error::from)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// serde_json's pretty printing, with the characters of strings that a terminal would act on
/// escaped.
struct Shown<'a>(PrettyFormatter<'a>);

impl Formatter for Shown<'_> {
    fn write_string_fragment<W>(&mut self, writer: &mut W, fragment: &str) -> io::Result<()>
    where
        W: ?Sized + Write,
    {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if escape::acts_on_terminal(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                // Every such character is in the Basic Multilingual Plane: one escape.
                write!(writer, "\\u{:04x}", c as u32)?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_text_is_serde_jsons_pretty_text_with_terminal_controls_escaped() {
        let plain = json!({"unit": "Sở NN&PTNT", "points": [1, 2.5], "grade": null});
        let mut expected = serde_json::to_string_pretty(&plain).unwrap();
        expected.push('\n');
        assert_eq!(render(&plain), expected);

        let hostile = json!({"unit": "a\u{1b}[2J\u{7f}\u{9b}31m\u{202e}b"});
        let text = render(&hostile);
        assert_eq!(
            text,
            "{\n  \"unit\": \"a\\u001b[2J\\u007f\\u009b31m\\u202eb\"\n}\n"
        );
        assert_eq!(serde_json::from_str::<Json>(&text).unwrap(), hostile);
    }
}
