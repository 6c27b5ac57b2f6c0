//! Rendering a run in each output format, and writing it where it is asked to go.

mod csv;
mod html;
mod json;
mod markdown;
mod table;
mod xlsx;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::cli::OutputFormat;
use crate::fail::Failure;
use crate::report_data::ReportData;
use crate::run::Run;

/// The run in `format`. `width` is the terminal's, when the table goes to one.
pub fn render(run: &Run, format: OutputFormat, width: Option<u16>) -> Result<Vec<u8>, Failure> {
    Ok(match format {
        OutputFormat::Table => table::render(run, width).into_bytes(),
        OutputFormat::Csv => csv::render(run)?,
        OutputFormat::Json => json::render(&run.to_json()).into_bytes(),
        OutputFormat::Md => markdown::render(&ReportData::new(run)).into_bytes(),
        OutputFormat::Html => html::render(&ReportData::new(run)).into_bytes(),
        OutputFormat::Xlsx => xlsx::render(run)?,
    })
}

pub use json::render as json_text;

/// Writes to standard output.
pub fn to_stdout(bytes: &[u8]) -> Result<(), Failure> {
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(|error| Failure::Write {
            target: "standard output".into(),
            error,
        })
}

/// Writes a file whole or not at all: a report that a script picks up is never half
/// written, and a failed run leaves an earlier report in place.
pub fn to_file(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let failure = |error| Failure::Write {
        target: path.display().to_string(),
        error,
    };
    let partial = partial_path(path);
    std::fs::write(&partial, bytes).map_err(failure)?;
    std::fs::rename(&partial, path).map_err(|error| {
        let _ = std::fs::remove_file(&partial);
        failure(error)
    })
}

fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    path.with_file_name(name)
}

/// The width of the terminal on standard output, when it tells.
pub fn terminal_width() -> Option<u16> {
    terminal_size::terminal_size_of(io::stdout()).map(|(width, _)| width.0)
}
