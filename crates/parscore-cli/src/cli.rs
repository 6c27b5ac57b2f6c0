//! The command line as clap reads it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::input::DecimalMark;
use crate::output::Lang;

mod compare;
mod track;

pub use compare::CompareArgs;
pub use track::{TrackArgs, TrackFormat};

/// Scores PAR Index (public-administration reform) targets exactly, for many units and
/// periods at once, and writes reports.
///
/// Exit status: 0 when every row was scored, 1 when some rows have errors or some dossier
/// records are bad (the others are still scored), 2 for a bad scheme, bad usage or a file
/// that cannot be read.
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
    /// Compare two evaluations of one scheme: two files (last year, this year; the
    /// self-assessment, the appraisal) or two periods of the inputs, unit by unit and
    /// criterion by criterion.
    Compare(CompareArgs),
    /// Dossier records exported by a one-stop-shop system.
    #[command(subcommand)]
    Records(RecordsCommand),
    /// Write the workbook to fill in for a scheme: a row per unit and a column per input
    /// indicator, or (--per-unit) the self-assessment form, a sheet per unit. `evaluate`
    /// reads it back filled in, without a flag.
    Template(TemplateArgs),
    /// How sure the scores are: each unit's index at p5 / p50 / p95, the probability of each
    /// grade and the spread of its rank, over samples of what is uncertain (estimated points,
    /// inputs, methods); and the share of their variance each area or criterion explains.
    Sensitivity(SensitivityArgs),
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
    /// Print a scheme as a file that loads back to the same scheme: TOML, JSON, or an Excel
    /// workbook laid out like a published instrument.
    Show {
        /// A built-in scheme id or a scheme file (TOML, JSON or Excel).
        scheme: String,
        /// The format (default: from the --output extension, else TOML).
        #[arg(long, short, value_enum)]
        format: Option<SchemeFormat>,
        /// Write to this file instead of standard output (as `evaluate --output`); never
        /// over the scheme being read.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Validate a scheme file: exit 0 when valid, otherwise exit 2 and list every problem
    /// as FILE:LINE:COLUMN: CODE: message (in a workbook, FILE: Sheet!Cell: CODE: message).
    Check {
        /// A scheme file (TOML, JSON or Excel), or a built-in id.
        file: String,
    },
}

/// The file format of a scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemeFormat {
    Toml,
    Json,
    /// An Excel workbook: criteria, indicators, grades and settings, a sheet each.
    Xlsx,
}

impl SchemeFormat {
    /// The format a file name asks for, by its extension.
    pub fn from_path(path: &std::path::Path) -> Option<SchemeFormat> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match extension.as_str() {
            "toml" => SchemeFormat::Toml,
            "json" => SchemeFormat::Json,
            "xlsx" => SchemeFormat::Xlsx,
            _ => return None,
        })
    }
}

/// How input files are read; shared by `evaluate`, `explain` and `compare`.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// The scheme: a built-in id (see `parscore schemes`) or a scheme file (TOML, JSON, or an
    /// Excel workbook laid out like an instrument).
    #[arg(long, value_name = "ID|FILE")]
    pub scheme: String,
    /// Input files: CSV, JSON (an array of objects, or JSON lines) or Excel (.xlsx: a table
    /// with a `unit` column, or a filled `parscore template`). `-` reads standard input.
    /// `evaluate` needs none when it is given --records.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Read the inputs as this format instead of guessing it from the file name.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,
    /// The Excel sheet to read (default: the first sheet).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// The decimal mark of numbers typed as text in the inputs: `.` (98.7) or `,` (98,7,
    /// with `.` grouping thousands: 1.234,5), as Excel writes them under a Vietnamese
    /// locale. Never guessed; a number that reads two ways is an error of its row.
    #[arg(long, value_name = "MARK", default_value = ".", value_parser = parse_decimal_mark)]
    pub decimal: DecimalMark,
    /// Skip columns that are not indicators of the scheme (each file's are named once on
    /// standard error) instead of stopping with the list of them.
    #[arg(long)]
    pub ignore_unknown: bool,
    /// Make a missing value an error for its row instead of a `missing` criterion scored 0.
    #[arg(long)]
    pub strict: bool,
    /// Do not list bad rows on standard error (the results still hold them).
    #[arg(long, short)]
    pub quiet: bool,
}

/// A percent as typed: `20`, `12.5` or `20%`; exact, never through a float.
fn parse_percent(text: &str) -> Result<parscore::Decimal, String> {
    let number = text.trim().trim_end_matches('%').trim_end();
    parscore::Decimal::from_str_exact(number)
        .map_err(|_| format!("`{text}` is not a percent: write it as 20 or 12.5"))
}

fn parse_decimal_mark(text: &str) -> Result<DecimalMark, String> {
    text.parse()
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
    /// Write the results to this file instead of standard output: a regular file is replaced
    /// whole or not at all, a symlink's target likewise, a device or FIFO is written in
    /// place; one of the command's own files is refused.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The language of the table and of the Markdown, HTML and Excel reports (CSV and JSON
    /// keep English keys).
    #[arg(long, value_enum, default_value_t = Lang::Vi)]
    pub lang: Lang,
    /// A file of dossier records (CSV, Excel, Parquet, Arrow) whose counts become indicators
    /// of the scheme, for each unit and period; repeat for several files.
    #[arg(long = "records", value_name = "FILE", help_heading = "Records")]
    pub records: Vec<PathBuf>,
    /// An indicator map file: which summary indicator feeds which indicator of the scheme
    /// (default: the scheme's built-in map, else the indicators named like the summary's).
    #[arg(long, value_name = "FILE", help_heading = "Records")]
    pub mapping: Option<PathBuf>,
    /// Summary indicators → indicator ids as `name=id` pairs, added to --mapping (or, alone,
    /// the whole map): `on_time_rate=dossiers_on_time_rate,received=dossiers_received`.
    #[arg(long, value_name = "NAME=ID,...", help_heading = "Records")]
    pub map: Option<String>,
    #[command(flatten, next_help_heading = "Records")]
    pub record_options: RecordsArgs,
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
pub struct TemplateArgs {
    /// The scheme: a built-in id (see `parscore schemes`) or a scheme file (TOML, JSON or
    /// Excel).
    #[arg(long, value_name = "ID|FILE")]
    pub scheme: String,
    /// Write the workbook to this file (as `evaluate --output`). A workbook is binary:
    /// without --output, standard output must be a file or a pipe.
    #[arg(long, short, value_name = "FILE.xlsx")]
    pub output: Option<PathBuf>,
    /// Write the self-assessment form (tự đánh giá) instead: one sheet per unit with one row
    /// per criterion.
    #[arg(long)]
    pub per_unit: bool,
    /// The units to fill in, separated by commas: a row each (with --per-unit, a sheet
    /// each). Without them the rows (or one form) are left blank.
    #[arg(long, value_name = "UNIT,...", value_delimiter = ',')]
    pub units: Vec<String>,
    /// The period written beside each unit, e.g. 2024.
    #[arg(long, value_name = "PERIOD")]
    pub period: Option<String>,
}

#[derive(Debug, Args)]
pub struct SensitivityArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Samples drawn of what is uncertain: each unit is scored this many times (and that
    /// many times more per factor of the variance shares).
    #[arg(long, value_name = "N", default_value_t = 1_000)]
    pub samples: usize,
    /// The seed of the draws: the same seed gives the same results, on any number of
    /// threads.
    #[arg(long, value_name = "K", default_value_t = 0)]
    pub seed: u64,
    /// The uncertainty model, a TOML file (its keys at the top or in an `[uncertainty]`
    /// table; see docs/uncertainty.md). Default: for a scheme with estimated points, every
    /// criterion's points ±20%; for an official one, nothing varies.
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
    /// Every criterion's points ±PCT percent, renormalised to the scheme's total; laid over
    /// the model's `[weights]`. `--weights 0` without a model: nothing varies.
    #[arg(long, value_name = "PCT", value_parser = parse_percent)]
    pub weights: Option<parscore::Decimal>,
    /// The factors of the variance shares: one per area (default) or per criterion.
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = FactorLevel::Areas)]
    pub factors: FactorLevel,
    /// Threads (default: one per core); the results do not depend on it.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// The output format (default: from the --output extension, else a table).
    #[arg(long, short, value_enum)]
    pub format: Option<OutputFormat>,
    /// Write the results to this file instead of standard output (as `evaluate --output`).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The language of the table and of the Markdown, HTML and Excel reports (CSV and JSON
    /// keep English keys).
    #[arg(long, value_enum, default_value_t = Lang::Vi)]
    pub lang: Lang,
}

/// What a factor of the variance shares is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FactorLevel {
    /// One factor per area (all the points drawn within it), per varied input and method.
    Areas,
    /// One factor per varied criterion, input and method.
    Criteria,
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
    /// Show the path to this grade instead: the fewest criteria whose fixing reaches it,
    /// the points each brings and its lead unit, and the exact index after them.
    #[arg(long, value_name = "GRADE")]
    pub to_grade: Option<String>,
    /// Show what changes instead: the criteria whose points move when each named
    /// criterion's indicator takes the value given, and the exact index after.
    /// Repeat, or separate pairs with commas: `III.4.1=99,I.2=có`.
    #[arg(long, value_name = "CODE=VALUE,...")]
    pub what_if: Vec<String>,
}

/// The output formats of `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// Plain text, one line per criterion.
    Text,
    /// The unit's result object, as in `evaluate --format json`.
    Json,
}

#[derive(Debug, Subcommand)]
pub enum RecordsCommand {
    /// Count dossier records per unit and period: received, resolved, on time, pending,
    /// overdue, withdrawn, online, full-process online, paid online, digitised.
    ///
    /// Exit status: 0 when every record was counted, 1 when some records are bad (each is
    /// reported with its row; the others are counted), 2 when nothing could be done (a file
    /// or profile that cannot be read, a calendar year not covered, a bad record with
    /// --strict).
    Summarize(SummarizeArgs),
    /// Track the year from mid-year records: for each unit and each criterion a rate of the
    /// records feeds, the rate so far, the dossiers expected in the rest of the year, and
    /// how many of them must meet the condition for the target (secured, on track, at risk,
    /// impossible); and each rate month by month.
    ///
    /// Exit status: as `records summarize`.
    Track(TrackArgs),
}

#[derive(Debug, Args)]
pub struct SummarizeArgs {
    /// Record files: CSV, Excel (.xlsx), Parquet (.parquet) or Arrow IPC (.arrow, .feather,
    /// .arrows). `-` reads CSV from standard input.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub records: RecordsArgs,
    /// The Excel sheet to read (default: the first sheet).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// The first bad record stops the run (exit 2), instead of being counted and reported.
    #[arg(long)]
    pub strict: bool,
    /// The output format (default: from the --output extension, else a table).
    #[arg(long, short, value_enum)]
    pub format: Option<SummaryFormat>,
    /// Write the summary to this file instead of standard output (as `evaluate --output`).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Do not list bad records one by one on standard error (their counts still are).
    #[arg(long, short)]
    pub quiet: bool,
}

/// How dossier records are read and counted; shared by `records summarize` and `evaluate
/// --records`.
#[derive(Debug, Clone, Args, Default)]
pub struct RecordsArgs {
    /// A profile file naming the columns and spellings (default: the built-in
    /// `vn-one-stop`).
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
    /// A working-day calendar file laid over the built-in Vietnamese calendar (its years
    /// added, its days winning); repeat for several.
    #[arg(long, value_name = "FILE")]
    pub calendar: Vec<PathBuf>,
    /// The periods: year, quarter, month (default: year), one period (2024, 2024-Q2,
    /// 2024-03) or a range of dates FROM..TO.
    #[arg(long, value_name = "PERIOD")]
    pub period: Option<String>,
    /// The day the export was taken: dossiers in progress are counted on it in its period,
    /// and a record dated after it is bad (default: the latest date in the records).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Group by unit and sub-unit instead of by unit.
    #[arg(long)]
    pub by_sub_unit: bool,
    /// Which date puts a resolved dossier in a period (default: completed).
    #[arg(long, value_enum, value_name = "DATE")]
    pub resolved_by: Option<ResolvedByArg>,
    /// Threads that read Parquet and Arrow files (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Print records read, time taken and peak memory on standard error.
    #[arg(long, hide = true)]
    pub stats: bool,
}

impl RecordsArgs {
    /// The options given on the command line, by name, for a usage error when there are no
    /// records for them to apply to.
    pub fn given(&self) -> Vec<&'static str> {
        let mut given = Vec::new();
        if self.profile.is_some() {
            given.push("--profile");
        }
        if !self.calendar.is_empty() {
            given.push("--calendar");
        }
        if self.period.is_some() {
            given.push("--period");
        }
        if self.as_of.is_some() {
            given.push("--as-of");
        }
        if self.by_sub_unit {
            given.push("--by-sub-unit");
        }
        if self.resolved_by.is_some() {
            given.push("--resolved-by");
        }
        if self.threads.is_some() {
            given.push("--threads");
        }
        given
    }
}

/// Which date puts a resolved dossier in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ResolvedByArg {
    /// The period it was completed in: "resolved in the period".
    Completed,
    /// The period it was received in: "received in the period and resolved".
    Received,
}

/// The output formats of `records summarize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SummaryFormat {
    /// One line per unit and period, rates as percent and exact counts.
    Table,
    /// One row per unit and period: every summary indicator, rates as exact counts.
    Csv,
    /// The summary document: options, record counts, groups, bad records with their rows.
    Json,
}

impl SummaryFormat {
    /// The format a file name asks for, by its extension.
    pub fn from_path(path: &std::path::Path) -> Option<SummaryFormat> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match extension.as_str() {
            "txt" => SummaryFormat::Table,
            "csv" => SummaryFormat::Csv,
            "json" => SummaryFormat::Json,
            _ => return None,
        })
    }
}
