//! Rendering a run in each output format, and writing it where it is asked to go.

mod csv;
pub(crate) mod figures;
mod html;
mod json;
mod markdown;
mod report_data;
mod table;
mod xlsx;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::cli::OutputFormat;
use crate::fail::Failure;
use crate::run::Run;
use report_data::ReportData;

/// Writes the run in `format` to `path`, or to standard output. `width` is the terminal's,
/// when the table goes to one. JSON is written as it is rendered, one result at a time: the
/// document of a large batch is many times the size of its figures.
pub fn write(
    run: &Run,
    format: OutputFormat,
    width: Option<u16>,
    path: Option<&Path>,
) -> Result<(), Failure> {
    let bytes = match format {
        OutputFormat::Json => {
            let document = |out: &mut dyn Write| json::write(run, out);
            return match path {
                Some(path) => to_file_with(path, document),
                None => to_stdout_with(document),
            };
        }
        OutputFormat::Table => table::render(run, width).into_bytes(),
        OutputFormat::Csv => csv::render(run)?,
        OutputFormat::Md => markdown::render(&ReportData::new(run)).into_bytes(),
        OutputFormat::Html => html::render(&ReportData::new(run)).into_bytes(),
        OutputFormat::Xlsx => xlsx::render(run)?,
    };
    match path {
        Some(path) => to_file(path, &bytes),
        None => to_stdout(&bytes),
    }
}

pub use json::render as json_text;

/// Writes to standard output.
pub fn to_stdout(bytes: &[u8]) -> Result<(), Failure> {
    to_stdout_with(|out| out.write_all(bytes))
}

fn to_stdout_with(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), Failure> {
    let mut stdout = io::stdout().lock();
    write(&mut stdout)
        .and_then(|()| stdout.flush())
        .map_err(|error| Failure::Write {
            target: "standard output".into(),
            error,
        })
}

/// Writes a file whole or not at all: a report that a script picks up is never half
/// written, and a failed run leaves an earlier report in place.
pub fn to_file(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    to_file_with(path, |out| out.write_all(bytes))
}

fn to_file_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Failure> {
    let failure = |error| Failure::Write {
        target: path.display().to_string(),
        error,
    };
    let partial = partial_path(path);
    let written = std::fs::File::create(&partial).and_then(|mut file| {
        write(&mut file)?;
        file.flush()
    });
    if let Err(error) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(failure(error));
    }
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
