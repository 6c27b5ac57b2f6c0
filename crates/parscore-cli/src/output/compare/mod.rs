//! `compare` in each output format: the JSON document is the comparison as the core crate
//! serialises it; the table, CSV, Markdown, HTML and workbook are made from it, with the
//! scheme for its decimal places.

mod csv;
mod html;
mod markdown;
mod table;
mod view;
mod xlsx;

use parscore::Scheme;
use parscore_compare::Comparison;

use super::Rendering;
use crate::cli::OutputFormat;
use crate::fail::Failure;
use view::View;

/// The comparison in `format`.
pub fn render(
    comparison: &Comparison,
    scheme: &Scheme,
    format: OutputFormat,
    rendering: Rendering,
) -> Result<Vec<u8>, Failure> {
    let view = View::new(comparison, scheme, rendering.lang);
    Ok(match format {
        OutputFormat::Json => {
            let document = serde_json::to_value(comparison).map_err(|e| Failure::Write {
                target: "JSON".into(),
                error: e.into(),
            })?;
            super::json_text(&document).into_bytes()
        }
        OutputFormat::Table => table::render(&view, rendering.width).into_bytes(),
        OutputFormat::Csv => csv::render(comparison)?,
        OutputFormat::Md => markdown::render(&view).into_bytes(),
        OutputFormat::Html => html::render(&view).into_bytes(),
        OutputFormat::Xlsx => xlsx::render(&view)?,
    })
}
