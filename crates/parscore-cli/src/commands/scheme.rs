//! `parscore scheme show` and `parscore scheme check`.

use std::path::{Path, PathBuf};

use super::scheme_source;
use crate::cli::{SchemeCommand, SchemeFormat};
use crate::commands::Done;
use crate::fail::Failure;
use crate::output::{self, Destination, Lang, Protected, figures};

pub fn run(command: &SchemeCommand) -> Result<Done, Failure> {
    match command {
        SchemeCommand::Show {
            scheme,
            format,
            output,
        } => show(scheme, *format, output.as_ref()),
        SchemeCommand::Check { file } => check(file),
    }
}

fn show(
    name: &str,
    format: Option<SchemeFormat>,
    output: Option<&PathBuf>,
) -> Result<Done, Failure> {
    let format = match (format, output) {
        (Some(format), _) => format,
        (None, None) => SchemeFormat::Toml,
        (None, Some(path)) => SchemeFormat::from_path(path).ok_or_else(|| {
            Failure::Usage(format!(
                "cannot tell the format from `{}`: give --format (toml, json or xlsx)",
                path.display()
            ))
        })?,
    };
    if format == SchemeFormat::Xlsx {
        output::binary::needs_file(output.map(PathBuf::as_path), "scheme.xlsx")?;
    }
    // Chosen before the scheme is read: `-o` never names the file being shown.
    let destination = Destination::open(
        output.map(PathBuf::as_path),
        &[Protected::new(Path::new(name), "the scheme")],
    )?;
    let scheme = scheme_source::load(name)?;
    let failure = |error| Failure::Scheme {
        file: name.to_string(),
        error,
    };
    let bytes = match format {
        SchemeFormat::Toml => scheme.to_toml().map_err(failure)?.into_bytes(),
        SchemeFormat::Json => {
            let mut json = scheme.to_json().map_err(failure)?;
            json.push('\n');
            json.into_bytes()
        }
        SchemeFormat::Xlsx => {
            parscore_workbook::write_scheme(&scheme).map_err(|e| Failure::Write {
                target: "the Excel workbook".into(),
                error: std::io::Error::other(e),
            })?
        }
    };
    destination.write(&bytes)?;
    Ok(Done::Clean)
}

fn check(file: &str) -> Result<Done, Failure> {
    let scheme = scheme_source::load(file)?;
    let kind = if scheme.estimated() {
        ", estimated points"
    } else {
        ""
    };
    let line = format!(
        "{file}: ok ({} criteria, {} indicators, max {} points{kind})\n",
        scheme.leaves().count(),
        scheme.indicators().len(),
        figures::points(&scheme, scheme.max_points(), Lang::En)
    );
    output::to_stdout(line.as_bytes())?;
    Ok(Done::Clean)
}
