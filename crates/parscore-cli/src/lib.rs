//! The `parscore` command as a library: its readers, outputs and commands, so that tests and
//! fuzz targets reach them directly. `parscore`: scores PAR Index targets for many units and periods, from CSV, JSON or Excel
//! inputs, and writes tables, CSV, JSON, Markdown, HTML or Excel reports; counts the dossier
//! records of one-stop-shop exports (CSV, Excel, Parquet, Arrow) into indicators.
//!
//! Standard output carries only the result; messages go to standard error. Exit status: 0
//! when every row was scored (every record counted), 1 when some rows have errors or some
//! records are bad, 2 when nothing could be done (bad scheme, bad usage, unreadable input).

pub mod cli;
pub mod commands;
pub mod fail;
pub mod input;
pub mod output;
pub mod records;
pub mod run;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::commands::Done;
use crate::fail::Failure;

/// Runs the command line of this process and says how it ended.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Schemes(args) => commands::schemes::run(args),
        Command::Scheme(command) => commands::scheme::run(command),
        Command::Evaluate(args) => commands::evaluate::run(args),
        Command::Explain(args) => commands::explain::run(args),
        Command::Records(command) => commands::records::run(command),
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
        // editors and CI logs link to the place.
        Failure::Scheme { file, error } => {
            eprintln!("{failure}");
            let count = error.problems().len();
            let noun = if count == 1 { "problem" } else { "problems" };
            eprintln!("parscore: {file}: {count} {noun}");
        }
        // Unknown columns, likewise: each at its place, then what to do.
        Failure::Columns { scheme, problems } => {
            eprintln!("{failure}");
            let (count, are) = match problems.len() {
                1 => ("1 column is not an indicator".to_string(), "it"),
                n => (format!("{n} columns are not indicators"), "them"),
            };
            eprintln!(
                "parscore: {count} of {scheme}: correct the header, or give \
                 --ignore-unknown to skip {are}"
            );
        }
        _ => eprintln!("parscore: {failure}"),
    }
}
