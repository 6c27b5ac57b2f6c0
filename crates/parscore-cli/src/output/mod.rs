//! Rendering a run in each output format, and writing it where it is asked to go.

pub mod binary;
pub mod compare;
pub mod csv;
pub mod destination;
pub mod escape;
pub(crate) mod figures;
mod html;
pub mod json;
pub mod lang;
mod large_file;
mod markdown;
pub mod parquet;
mod report_data;
pub mod result_row;
pub mod sensitivity;
pub mod summary;
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
use result_row::Detail;

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
        return destination.write_with(|out: &mut dyn Write| run.write_document(out));
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
            run.write_document(&mut bytes)
                .map_err(|error| Failure::Write {
                    target: "JSON".into(),
                    error,
                })?;
            bytes
        }
        OutputFormat::Table => table::render(run, rendering.width, lang).into_bytes(),
        OutputFormat::Csv => csv::render(run)?,
        OutputFormat::Jsonl => {
            let scheme = &run.batch.scheme;
            let mut bytes = Vec::new();
            json::lines(scheme, Detail::Criteria, &run.rows(), &mut bytes).map_err(|error| {
                Failure::Write {
                    target: "JSON lines".into(),
                    error,
                }
            })?;
            bytes
        }
        OutputFormat::Parquet => {
            let scheme = &run.batch.scheme;
            let rows = run.rows();
            let mut scales = parquet::Scales::exact(scheme, Detail::Criteria);
            for row in &rows {
                scales.observe(scheme, &row.outcome);
            }
            let mut writer = parquet::ParquetWriter::new(scheme, Detail::Criteria, scales)?;
            let mut bytes = Vec::new();
            writer.rows(scheme, &rows, &mut bytes)?;
            writer.finish(&mut bytes)?;
            bytes
        }
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
