//! The `parscore` command as a library: its readers, outputs and commands, so that tests and
//! fuzz targets reach them directly. `parscore`: scores PAR Index targets for many units and periods, from CSV, JSON or Excel
//! inputs, and writes tables, CSV, JSON, Markdown, HTML or Excel reports; counts the dossier
//! records of one-stop-shop exports (CSV, Excel, Parquet, Arrow) into indicators.
//!
//! Standard output carries only the result; messages go to standard error. Exit status: 0
//! when every row was scored (every record counted), 1 when some rows have errors or some
//! records are bad, 2 when nothing could be done (bad scheme, bad usage, unreadable input,
//! an internal error), 130 when interrupted.

pub mod cli;
pub mod commands;
pub mod fail;
pub mod guard;
pub mod input;
pub mod output;
pub mod records;
pub mod run;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::commands::Done;
use crate::fail::Failure;

/// Runs the command line of this process and says how it ended. A panic that escapes a
/// command anyway ends the run as an internal error with its place, exit 2.
pub fn main() -> ExitCode {
    let ended = guard::guarded(|| run(&Cli::parse()));
    // A worker thread's panic that its caller made into an error (or survived) is reported
    // too: the run's result cannot be trusted.
    match ended.map(|code| (code, guard::panicked_elsewhere())) {
        Ok((code, None)) => code,
        Ok((_, Some(internal))) | Err(internal) => {
            output::message(&internal.to_string());
            ExitCode::from(2)
        }
    }
}

fn run(cli: &Cli) -> ExitCode {
    let result = match &cli.command {
        Command::Schemes(args) => commands::schemes::run(args),
        Command::Scheme(command) => commands::scheme::run(command),
        Command::Evaluate(args) => commands::evaluate::run(args),
        Command::Explain(args) => commands::explain::run(args),
        Command::Compare(args) => commands::compare::run(args),
        Command::Records(command) => commands::records::run(command),
        Command::Template(args) => commands::template::run(args),
        Command::Sensitivity(args) => commands::sensitivity::run(args),
    };
    match result {
        Ok(Done::Clean) => ExitCode::SUCCESS,
        Ok(Done::RowErrors) => ExitCode::from(1),
        // The reader of standard output left (`| head`); what it read is all it wanted.
        Err(failure) if failure.is_broken_pipe() => ExitCode::SUCCESS,
        Err(failure) => {
            report(&failure);
            ExitCode::from(2)
        }
    }
}

fn report(failure: &Failure) {
    match failure {
        // Scheme problems start with the file's name, as compilers print them, so that
        // editors and CI logs link to the place: one line each.
        Failure::Scheme { file, error } => list_problems(failure, file, error.problems().len()),
        Failure::Workbook { file, problems } => list_problems(failure, file, problems.len()),
        // Unknown columns, likewise: each at its place, then what to do.
        Failure::Columns { scheme, problems } => {
            for line in failure.to_string().lines() {
                eprintln!("{}", output::escape::terminal(line));
            }
            let (count, are) = match problems.len() {
                1 => ("1 column is not an indicator".to_string(), "it"),
                n => (format!("{n} columns are not indicators"), "them"),
            };
            output::message(&format!(
                "{count} of {scheme}: correct the header, or give --ignore-unknown to skip {are}"
            ));
        }
        _ => output::message(&failure.to_string()),
    }
}

/// A scheme's (or workbook's) problems, one a line, then how many.
fn list_problems(failure: &Failure, file: &str, count: usize) {
    for line in failure.to_string().lines() {
        eprintln!("{}", output::escape::terminal(line));
    }
    let noun = if count == 1 { "problem" } else { "problems" };
    output::message(&format!("{file}: {count} {noun}"));
}
