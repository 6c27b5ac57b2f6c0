//! Rendering a run in each output format, and writing it where it is asked to go.

pub mod binary;
pub mod compare;
mod csv;
pub mod destination;
pub mod escape;
pub(crate) mod figures;
mod html;
mod json;
pub mod lang;
mod markdown;
mod report_data;
pub mod sensitivity;
mod table;
pub mod track;
mod xlsx;

#[cfg(test)]
mod props;

use std::io::{self, Write};

use crate::cli::OutputFormat;
use crate::fail::Failure;
use crate::run::Run;
pub use destination::{Destination, Protected};
pub use lang::Lang;
use report_data::ReportData;

/// How the outputs for people are rendered.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rendering {
    /// The language of the table and the reports.
    pub lang: Lang,
    /// The terminal's width, when the table goes to one.
    pub width: Option<u16>,
    /// Whether the output goes to a terminal: CSV then shows its control characters as
    /// escapes too (to a file or a pipe it keeps the cells exact).
    pub terminal: bool,
}

/// Writes the run in `format` to `destination`. JSON is written as it is rendered, one
/// result at a time: the document of a large batch is many times the size of its figures.
pub fn write(
    run: &Run,
    format: OutputFormat,
    rendering: Rendering,
    destination: Destination,
) -> Result<(), Failure> {
    if format == OutputFormat::Json {
        return destination.write_with(|out: &mut dyn Write| json::write(run, out));
    }
    let bytes = render(run, format, rendering)?;
    if rendering.terminal && format == OutputFormat::Csv {
        return destination.write(for_terminal(&bytes).as_ref());
    }
    destination.write(&bytes)
}

/// Text for a terminal: each line with its control characters shown as escapes.
pub fn for_terminal(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    match std::str::from_utf8(bytes) {
        Ok(text) => match escape::terminal_lines(text) {
            std::borrow::Cow::Borrowed(_) => std::borrow::Cow::Borrowed(bytes),
            std::borrow::Cow::Owned(text) => std::borrow::Cow::Owned(text.into_bytes()),
        },
        Err(_) => std::borrow::Cow::Borrowed(bytes),
    }
}

/// The run in `format`, in memory.
pub fn render(run: &Run, format: OutputFormat, rendering: Rendering) -> Result<Vec<u8>, Failure> {
    let lang = rendering.lang;
    Ok(match format {
        OutputFormat::Json => {
            let mut bytes = Vec::new();
            json::write(run, &mut bytes).map_err(|error| Failure::Write {
                target: "JSON".into(),
                error,
            })?;
            bytes
        }
        OutputFormat::Table => table::render(run, rendering.width, lang).into_bytes(),
        OutputFormat::Csv => csv::render(run)?,
        OutputFormat::Md => markdown::render(&ReportData::new(run, lang)).into_bytes(),
        OutputFormat::Html => html::render(&ReportData::new(run, lang)).into_bytes(),
        OutputFormat::Xlsx => xlsx::render(run, lang)?,
    })
}

pub use json::render as json_text;

/// Writes to standard output.
pub fn to_stdout(bytes: &[u8]) -> Result<(), Failure> {
    Destination::Stdout.write(bytes)
}

/// A message on standard error, `parscore: ` first, with the control characters of the
/// input text it quotes made visible.
pub fn message(text: &str) {
    let _ = writeln!(io::stderr().lock(), "parscore: {}", escape::terminal(text));
}

/// The width of the terminal on standard output, when it tells.
pub fn terminal_width() -> Option<u16> {
    terminal_size::terminal_size_of(io::stdout()).map(|(width, _)| width.0)
}
