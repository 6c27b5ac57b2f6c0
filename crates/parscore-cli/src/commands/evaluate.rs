//! `parscore evaluate`: score every row of the inputs and write the results.

use std::io::IsTerminal;

use crate::cli::{EvaluateArgs, OutputFormat};
use crate::commands::records::report_bad;
use crate::commands::{Done, RecordsInput, evaluate_inputs_with};
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
    let records = if args.records.is_empty() {
        let mut given = args.record_options.given();
        if args.mapping.is_some() {
            given.push("--mapping");
        }
        if args.map.is_some() {
            given.push("--map");
        }
        if let Some(first) = given.first() {
            return Err(Failure::Usage(format!(
                "{first} applies to dossier records: give them with --records FILE"
            )));
        }
        None
    } else {
        Some(RecordsInput {
            files: &args.records,
            options: &args.record_options,
            mapping: args.mapping.as_deref(),
            map: args.map.as_deref(),
        })
    };
    let (run, summarized) = evaluate_inputs_with(&args.input, records)?;
    if let Some(summarized) = &summarized {
        report_bad(summarized, args.input.quiet);
    }
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
    output::write(&run, format, width, args.output.as_deref())?;
    let bad_records = summarized.is_some_and(|s| !s.summary.bad.is_empty());
    Ok(if run.batch.error_count() > 0 || bad_records {
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
