//! The arguments of `parscore records track`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::RecordsArgs;
use crate::output::Lang;

/// Mid-year records against a scheme's targets: what the rest of the year must deliver.
#[derive(Debug, Args)]
pub struct TrackArgs {
    /// Record files: CSV, Excel (.xlsx), Parquet (.parquet) or Arrow IPC (.arrow, .feather,
    /// .arrows); with the year before's records too, its same months give the dossiers
    /// expected. `-` reads CSV from standard input.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// The scheme whose targets the rates are tracked against: a built-in id or a file.
    #[arg(long, value_name = "ID|FILE")]
    pub scheme: String,
    /// The dossiers expected in the rest of the year, for every unit and rate (default: the
    /// same months of the year before, when the records hold them, else the pace so far).
    #[arg(long, value_name = "N")]
    pub expected: Option<u64>,
    /// An indicator map file: which summary rate feeds which indicator of the scheme
    /// (default: the scheme's built-in map, else the indicators named like the summary's).
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// Summary indicators → indicator ids as `name=id` pairs, added to --mapping (or, alone,
    /// the whole map).
    #[arg(long, value_name = "NAME=ID,...")]
    pub map: Option<String>,
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
    pub format: Option<TrackFormat>,
    /// Write to this file instead of standard output (as `evaluate --output`).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The language of the table and of the Markdown and HTML reports.
    #[arg(long, value_enum, default_value_t = Lang::Vi)]
    pub lang: Lang,
    /// Do not list bad records one by one on standard error (their counts still are).
    #[arg(long, short)]
    pub quiet: bool,
}

/// The output formats of `records track`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TrackFormat {
    /// A line per unit and criterion, then each rate month by month.
    Table,
    /// A row per unit and criterion: counts so far, target, expected, needed, status.
    Csv,
    /// The tracking document: lines, untracked criteria, trends, the records read.
    Json,
    /// A report to read: the lines by status, and each rate month by month.
    Md,
    /// The same report as one self-contained HTML file, with a chart of each rate.
    Html,
}

impl TrackFormat {
    /// The format a file name asks for, by its extension.
    pub fn from_path(path: &std::path::Path) -> Option<TrackFormat> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match extension.as_str() {
            "txt" => TrackFormat::Table,
            "csv" => TrackFormat::Csv,
            "json" => TrackFormat::Json,
            "md" | "markdown" => TrackFormat::Md,
            "html" | "htm" => TrackFormat::Html,
            _ => return None,
        })
    }
}
