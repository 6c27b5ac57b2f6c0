//! The command's path for unit inputs: its readers, the column check, the scoring of the
//! built-in plan and every output format in both languages.

use parscore::Decimal;
use parscore_cli::cli::{InputFormat, OutputFormat};
use parscore_cli::input::{self, DecimalMark, ReadOptions};
use parscore_cli::output::{self, Lang, Rendering};
use parscore_cli::run::{Run, RunOptions};

use crate::builtin;

/// The name inputs go by in places and messages.
pub const FILE: &str = "tệp";

/// Reads the bytes as `evaluate` does and scores what they hold: a refusal names the file;
/// otherwise one result per row read, each placed in the file, points within `[0, max]`,
/// and every output rendered.
pub fn read_and_score(
    bytes: Vec<u8>,
    format: InputFormat,
    options: &ReadOptions,
    ignore_unknown: bool,
) {
    let scheme = builtin();
    let file = match input::read_rows(FILE, bytes, format, options) {
        Ok(file) => file,
        Err(failure) => {
            assert!(failure.to_string().contains(FILE), "{failure}");
            return;
        }
    };
    let files = [file];
    if let Err(failure) = input::columns::check(scheme, &files, ignore_unknown) {
        assert!(failure.to_string().contains(FILE), "{failure}");
        return;
    }
    let [file] = files;
    let count = file.rows.len();
    let run = Run::evaluate(
        scheme,
        file.rows,
        RunOptions {
            strict: false,
            ignore_unknown,
        },
    );
    assert_eq!(run.batch.results.len(), count);
    assert_eq!(run.places.len(), count);
    for (result, place) in run.batch.results.iter().zip(&run.places) {
        assert!(place.to_string().starts_with(FILE), "{place}");
        if let Ok(evaluation) = &result.outcome {
            crate::check(evaluation);
            assert!(
                evaluation.points() >= Decimal::ZERO
                    && evaluation.points() <= evaluation.max_points()
            );
        }
    }
    render_all(&run);
}

/// Every output format in both languages, for a terminal and not.
pub fn render_all(run: &Run) {
    for format in [
        OutputFormat::Table,
        OutputFormat::Csv,
        OutputFormat::Json,
        OutputFormat::Md,
        OutputFormat::Html,
        OutputFormat::Xlsx,
    ] {
        for lang in [Lang::Vi, Lang::En] {
            let rendering = Rendering {
                lang,
                width: Some(80),
                terminal: format == OutputFormat::Csv,
            };
            let bytes = output::render(run, format, rendering).expect("a run renders");
            assert!(!bytes.is_empty() || run.batch.results.is_empty());
            output::for_terminal(&bytes);
        }
    }
}

/// Read options under a decimal mark, with the built-in plan (so that templates are read).
pub fn options(comma: bool, sheet: Option<String>) -> ReadOptions {
    ReadOptions {
        decimal: if comma {
            DecimalMark::Comma
        } else {
            DecimalMark::Point
        },
        scheme: Some(builtin().clone()),
        sheet,
        ..ReadOptions::default()
    }
}
