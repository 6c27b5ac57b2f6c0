//! `parscore evaluate`: score every row of the inputs and write the results.

use std::io::IsTerminal;

use crate::cli::{EvaluateArgs, OutputFormat};
use crate::commands::{Done, evaluate_inputs};
use crate::fail::Failure;
use crate::output;

pub fn run(args: &EvaluateArgs) -> Result<Done, Failure> {
    let format = format_of(args)?;
    // Checked before any work, so that a long run does not end in a usage error.
    if format == OutputFormat::Xlsx && args.output.is_none() && std::io::stdout().is_terminal() {
        return Err(Failure::Usage(
            "an Excel workbook is binary: write it to a file with --output FILE.xlsx".into(),
        ));
    }
    let run = evaluate_inputs(&args.input)?;
    let table_on_terminal =
        args.output.is_none() && format == OutputFormat::Table && std::io::stdout().is_terminal();
    // A table on the terminal lists the bad rows itself; listing them again on standard
    // error would only say everything twice.
    if !args.input.quiet && !table_on_terminal {
        for (_, line) in run.errors() {
            eprintln!("parscore: {line}");
        }
    }
    let width = table_on_terminal.then(output::terminal_width).flatten();
    let bytes = output::render(&run, format, width)?;
    match &args.output {
        Some(path) => output::to_file(path, &bytes)?,
        None => output::to_stdout(&bytes)?,
    }
    Ok(if run.batch.error_count() > 0 {
        Done::RowErrors
    } else {
        Done::Clean
    })
}

/// `--format`, else the output file's extension, else a table.
fn format_of(args: &EvaluateArgs) -> Result<OutputFormat, Failure> {
    match (args.format, &args.output) {
        (Some(format), _) => Ok(format),
        (None, None) => Ok(OutputFormat::Table),
        (None, Some(path)) => OutputFormat::from_path(path).ok_or_else(|| {
            Failure::Usage(format!(
                "cannot tell the format from `{}`: give --format \
                 (table, csv, json, md, html or xlsx)",
                path.display()
            ))
        }),
    }
}
