//! Failures that stop a command (exit status 2), as opposed to bad rows, which become
//! results of their own.

use std::fmt;
use std::io;

use parscore::SchemeError;

/// Why a command could not run to the end.
#[derive(Debug)]
pub enum Failure {
    /// The command line asks for something that cannot be done.
    Usage(String),
    /// A file or standard input could not be read, or its layout is unusable as a whole.
    Read { file: String, reason: String },
    /// The scheme is invalid; each problem is printed with the file's name before it.
    Scheme { file: String, error: SchemeError },
    /// A workbook (a scheme, or a filled template) holds problems, each at its sheet and
    /// cell: printed `FILE: Sheet!Cell: CODE: message`, one a line.
    Workbook {
        file: String,
        problems: Vec<parscore_workbook::Problem>,
    },
    /// Inputs name columns that are not indicators of the scheme (without
    /// `--ignore-unknown`); each problem starts with its place (`units.csv:1:27: …`).
    Columns {
        scheme: String,
        problems: Vec<String>,
    },
    /// The results could not be written.
    Write { target: String, error: io::Error },
    /// Dossier records cannot be summarised: a bad record with `--strict`, a calendar year
    /// not covered, a map that does not fit the scheme.
    Records(String),
}

impl Failure {
    /// A workbook that cannot be used: unreadable as a whole, or its problems each at its
    /// cell.
    pub fn workbook(file: impl Into<String>, error: parscore_workbook::WorkbookError) -> Failure {
        let file = file.into();
        match error.problems() {
            [] => Failure::read(file, error),
            problems => Failure::Workbook {
                file,
                problems: problems.to_vec(),
            },
        }
    }

    pub fn read(file: impl Into<String>, reason: impl fmt::Display) -> Failure {
        Failure::Read {
            file: file.into(),
            reason: reason.to_string(),
        }
    }

    /// Whether writing failed only because the reader of standard output went away
    /// (`parscore … | head`), which is no error worth reporting.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Failure::Write { error, .. } if error.kind() == io::ErrorKind::BrokenPipe)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(message) => f.write_str(message),
            Failure::Read { file, reason } => write!(f, "cannot read {file}: {reason}"),
            Failure::Scheme { file, error } => {
                let problems = error.problems();
                for (i, problem) in problems.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    // A problem with a position reads `FILE:LINE:COLUMN: …`, as compilers
                    // print, so editors and CI logs link to it.
                    match problem.location {
                        Some(_) => write!(f, "{file}:{problem}")?,
                        None => write!(f, "{file}: {problem}")?,
                    }
                }
                Ok(())
            }
            Failure::Workbook { file, problems } => {
                let lines: Vec<String> = problems.iter().map(|p| format!("{file}: {p}")).collect();
                f.write_str(&lines.join("\n"))
            }
            Failure::Columns { problems, .. } => f.write_str(&problems.join("\n")),
            Failure::Write { target, error } => write!(f, "cannot write {target}: {error}"),
            Failure::Records(message) => f.write_str(message),
        }
    }
}
