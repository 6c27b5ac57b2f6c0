//! The command line as clap reads it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Scores PAR Index (public-administration reform) targets exactly, for many units and
/// periods at once, and writes reports.
///
/// Exit status: 0 when every row was scored, 1 when some rows have errors (the others are
/// still scored), 2 for a bad scheme, bad usage or a file that cannot be read.
#[derive(Debug, Parser)]
#[command(name = "parscore", version, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the built-in schemes: id, title, version, estimated or official.
    Schemes(SchemesArgs),
    /// Show or check a scheme.
    #[command(subcommand)]
    Scheme(SchemeCommand),
    /// Score every unit of the inputs and write the results.
    Evaluate(EvaluateArgs),
    /// Explain one unit: every criterion with its value, target, margin, points and why,
    /// then the points recoverable, largest first.
    Explain(ExplainArgs),
}

#[derive(Debug, Args)]
pub struct SchemesArgs {
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

/// How `schemes` lists the built-in schemes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum SchemeCommand {
    /// Print a scheme as a file that loads back to the same scheme.
    Show {
        /// A built-in scheme id or a scheme file (TOML or JSON).
        scheme: String,
        #[arg(long, value_enum, default_value_t = SchemeFormat::Toml)]
        format: SchemeFormat,
    },
    /// Validate a scheme file: exit 0 when valid, otherwise exit 2 and list every problem
    /// as FILE:LINE:COLUMN: CODE: message.
    Check {
        /// A scheme file (TOML or JSON), or a built-in id.
        file: String,
    },
}

/// The file format of a scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemeFormat {
    Toml,
    Json,
}

/// How input files are read; shared by `evaluate` and `explain`.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// The scheme: a built-in id (see `parscore schemes`) or a scheme file (TOML or JSON).
    #[arg(long, value_name = "ID|FILE")]
    pub scheme: String,
    /// Input files: CSV, JSON (an array of objects, or JSON lines) or Excel (.xlsx).
    /// `-` reads standard input.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,
    /// Read the inputs as this format instead of guessing it from the file name.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,
    /// The Excel sheet to read (default: the first sheet).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Skip columns that are not indicators of the scheme instead of failing their rows.
    #[arg(long)]
    pub ignore_unknown: bool,
    /// Make a missing value an error for its row instead of a `missing` criterion scored 0.
    #[arg(long)]
    pub strict: bool,
    /// Do not list bad rows on standard error (the results still hold them).
    #[arg(long, short)]
    pub quiet: bool,
}

/// The file format of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    Csv,
    Json,
    Xlsx,
}

#[derive(Debug, Args)]
pub struct EvaluateArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// The output format (default: from the --output extension, else a table).
    #[arg(long, short, value_enum)]
    pub format: Option<OutputFormat>,
    /// Write the results to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The output formats of `evaluate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// One line per unit, for a terminal.
    Table,
    /// One row per unit: headline fields, then points per criterion code.
    Csv,
    /// The results document: scheme, results, summary; exact numbers.
    Json,
    /// A report for a reader: headline, area chart, failing targets, recoverable points.
    Md,
    /// The same report as one self-contained HTML file.
    Html,
    /// A workbook: results, criteria, failing targets by lead unit, scheme.
    Xlsx,
}

impl OutputFormat {
    /// The format a file name asks for, by its extension.
    pub fn from_path(path: &std::path::Path) -> Option<OutputFormat> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match extension.as_str() {
            "txt" => OutputFormat::Table,
            "csv" => OutputFormat::Csv,
            "json" => OutputFormat::Json,
            "md" | "markdown" => OutputFormat::Md,
            "html" | "htm" => OutputFormat::Html,
            "xlsx" => OutputFormat::Xlsx,
            _ => return None,
        })
    }
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// The unit to explain, as written in the `unit` column.
    #[arg(long)]
    pub unit: String,
    /// The period, when the unit has rows in several periods.
    #[arg(long)]
    pub period: Option<String>,
    #[arg(long, short, value_enum, default_value_t = ExplainFormat::Text)]
    pub format: ExplainFormat,
}

/// The output formats of `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// Plain text, one line per criterion.
    Text,
    /// The unit's result object, as in `evaluate --format json`.
    Json,
}
