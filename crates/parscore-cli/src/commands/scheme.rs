//! `parscore scheme show` and `parscore scheme check`.

use super::scheme_source;
use crate::cli::{SchemeCommand, SchemeFormat};
use crate::commands::Done;
use crate::fail::Failure;
use crate::output;
use crate::output::Lang;
use crate::output::figures;

pub fn run(command: &SchemeCommand) -> Result<Done, Failure> {
    match command {
        SchemeCommand::Show { scheme, format } => {
            let loaded = scheme_source::load(scheme)?;
            let text = match format {
                SchemeFormat::Toml => loaded.to_toml(),
                SchemeFormat::Json => loaded.to_json().map(|mut json| {
                    json.push('\n');
                    json
                }),
            }
            .map_err(|error| Failure::Scheme {
                file: scheme.clone(),
                error,
            })?;
            output::to_stdout(text.as_bytes())?;
        }
        SchemeCommand::Check { file } => {
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
        }
    }
    Ok(Done::Clean)
}
