//! `parscore records summarize`: count dossier records per unit and period.

use std::io::IsTerminal;

use crate::cli::{RecordsArgs, RecordsCommand, SummarizeArgs, SummaryFormat};
use crate::commands::Done;
use crate::fail::Failure;
use crate::output::{self, Destination, Protected};
use crate::records::{self, Request, Summarized};

pub fn run(command: &RecordsCommand) -> Result<Done, Failure> {
    match command {
        RecordsCommand::Summarize(args) => summarize(args),
        RecordsCommand::Track(args) => super::track::run(args),
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
    let mut own: Vec<Protected<'_>> = args
        .files
        .iter()
        .map(|path| Protected::new(path, "a records file"))
        .collect();
    own.extend(options_files(&args.records));
    let destination = Destination::open(args.output.as_deref(), &own)?;
    let summarized = records::summarize(&Request {
        files: &args.files,
        args: &args.records,
        sheet: args.sheet.as_deref(),
        strict: args.strict,
    })?;
    report_bad(&summarized, args.quiet);
    let terminal = destination.is_stdout() && std::io::stdout().is_terminal();
    let width = (terminal && format == SummaryFormat::Table)
        .then(output::terminal_width)
        .flatten();
    let bytes = records::render_summary(&summarized, format, width)?;
    // Unit names come from the records: on a terminal, and in the table wherever it goes,
    // their control characters are shown, not run. (JSON escapes them itself.)
    if format == SummaryFormat::Table || (terminal && format == SummaryFormat::Csv) {
        destination.write(output::for_terminal(&bytes).as_ref())?;
    } else {
        destination.write(&bytes)?;
    }
    Ok(if summarized.summary.bad.is_empty() {
        Done::Clean
    } else {
        Done::RowErrors
    })
}

/// The files the records options name (profile, calendars), which `--output` must not name.
pub fn options_files(options: &RecordsArgs) -> Vec<Protected<'_>> {
    let mut files: Vec<Protected<'_>> = options
        .profile
        .iter()
        .map(|path| Protected::new(path, "the profile"))
        .collect();
    files.extend(
        options
            .calendar
            .iter()
            .map(|path| Protected::new(path, "a calendar")),
    );
    files
}

/// The bad records on standard error, by kind with their places.
pub fn report_bad(summarized: &Summarized, quiet: bool) {
    for line in records::bad_report(summarized, quiet) {
        output::message(&line);
    }
}
