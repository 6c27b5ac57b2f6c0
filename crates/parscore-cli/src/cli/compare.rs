//! The arguments of `parscore compare`.

use std::path::PathBuf;

use clap::Args;

use super::{InputArgs, OutputFormat};
use crate::output::Lang;

/// Two evaluations of one scheme side by side: two files (`BEFORE AFTER`), or two periods of
/// the inputs (`--periods 2024,2025`).
#[derive(Debug, Args)]
#[command(mut_arg("inputs", |arg| arg.help(
    "Input files (CSV, JSON or Excel): exactly two, BEFORE and AFTER; with --periods, any \
     number, read as one batch. `-` reads standard input"
)))]
pub struct CompareArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// The two periods to compare, before and after: `2024,2025`. The inputs are then read
    /// as one batch and split by period.
    #[arg(long, value_name = "BEFORE,AFTER")]
    pub periods: Option<String>,
    /// The names of the two sides, as the reports head their columns:
    /// `"Tự đánh giá,Thẩm định"` (default: the periods, else the file names).
    #[arg(long, value_name = "BEFORE,AFTER")]
    pub labels: Option<String>,
    /// The sides are two rounds of one year (self-assessment, appraisal): list every
    /// criterion whose points were lowered, and the explanations due. Told from the periods
    /// without it: the same period on both sides is two rounds.
    #[arg(long, conflicts_with = "periods")]
    pub rounds: bool,
    /// The output format (default: from the --output extension, else a table).
    #[arg(long, short, value_enum)]
    pub format: Option<OutputFormat>,
    /// Write the comparison to this file instead of standard output (as `evaluate --output`).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The language of the table and of the Markdown, HTML and Excel reports (CSV and JSON
    /// keep English keys).
    #[arg(long, value_enum, default_value_t = Lang::Vi)]
    pub lang: Lang,
}
