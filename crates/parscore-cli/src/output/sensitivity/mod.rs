//! The outputs of `parscore sensitivity`: how sure each unit's index, grade and rank are
//! over the samples of an uncertainty model, and the share of their variance each factor
//! explains; as a terminal table, CSV, JSON, Markdown, HTML (with a fan chart of each
//! unit's index against the grade thresholds and a rank-stability chart) and an Excel
//! workbook, in Vietnamese or English.
//!
//! The figures of the study are of two kinds, and they are shown as such: the index
//! quantiles are exact decimals (each is an index some sample gave); the probabilities and
//! variance shares are statistics of the samples, estimated in floating point, and are
//! shown rounded.

mod csv;
mod data;
mod html;
mod json;
mod markdown;
mod table;
mod words;
mod xlsx;

use parscore::Decimal;
use parscore_uncertainty::Results;

use super::Rendering;
use super::lang::Lang;
use crate::cli::OutputFormat;
use crate::fail::Failure;
use crate::run::Run;

/// Where the uncertainty model came from: what the outputs say of it, and what reproduces
/// the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelSource {
    /// No model given: the scheme's default, every criterion's points ± this percent (0
    /// for an official scheme: nothing varies).
    Default { spread: Decimal },
    /// `--weights PCT` alone.
    Weights(Decimal),
    /// `--model FILE`, with `--weights PCT` laid over its `[weights]` when given.
    File {
        path: String,
        weights: Option<Decimal>,
    },
}

/// A study run: the scored batch it was made of, its results and how it was set up.
pub struct Analysis<'a> {
    pub run: &'a Run,
    pub results: &'a Results,
    pub model: &'a ModelSource,
    /// Whether nothing varies under the model.
    pub certain: bool,
}

/// The analysis in `format`, in memory.
pub fn render(
    analysis: &Analysis<'_>,
    format: OutputFormat,
    rendering: Rendering,
) -> Result<Vec<u8>, Failure> {
    let lang: Lang = rendering.lang;
    Ok(match format {
        OutputFormat::Table => table::render(analysis, rendering.width, lang).into_bytes(),
        OutputFormat::Csv => csv::render(analysis)?,
        OutputFormat::Json => json::render(analysis).into_bytes(),
        OutputFormat::Md => markdown::render(analysis, lang).into_bytes(),
        OutputFormat::Html => html::render(analysis, lang).into_bytes(),
        OutputFormat::Xlsx => xlsx::render(analysis, lang)?,
    })
}
