//! `parscore records summarize`: count dossier records per unit and period.

use std::io::IsTerminal;

use crate::cli::{RecordsCommand, SummarizeArgs, SummaryFormat};
use crate::commands::Done;
use crate::fail::Failure;
use crate::output;
use crate::records::{self, Request, Summarized};

pub fn run(command: &RecordsCommand) -> Result<Done, Failure> {
    match command {
        RecordsCommand::Summarize(args) => summarize(args),
    }
}

fn summarize(args: &SummarizeArgs) -> Result<Done, Failure> {
    let format = match (args.format, &args.output) {
        (Some(format), _) => format,
        (None, None) => SummaryFormat::Table,
        (None, Some(path)) => SummaryFormat::from_path(path).ok_or_else(|| {
            Failure::Usage(format!(
                "cannot tell the format from `{}`: give --format (table, csv or json)",
                path.display()
            ))
        })?,
    };
    let summarized = records::summarize(&Request {
        files: &args.files,
        args: &args.records,
        sheet: args.sheet.as_deref(),
        strict: args.strict,
    })?;
    report_bad(&summarized, args.quiet);
    let width = (args.output.is_none()
        && format == SummaryFormat::Table
        && std::io::stdout().is_terminal())
    .then(output::terminal_width)
    .flatten();
    let bytes = records::render_summary(&summarized, format, width)?;
    match &args.output {
        Some(path) => output::to_file(path, &bytes)?,
        None => output::to_stdout(&bytes)?,
    }
    Ok(if summarized.summary.bad.is_empty() {
        Done::Clean
    } else {
        Done::RowErrors
    })
}

/// The bad records on standard error, by kind with their places.
pub fn report_bad(summarized: &Summarized, quiet: bool) {
    for line in records::bad_report(summarized, quiet) {
        eprintln!("parscore: {line}");
    }
}
