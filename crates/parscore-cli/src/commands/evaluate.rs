//! `parscore evaluate`: score every row of the inputs and write the results.

use std::io::IsTerminal;
use std::path::Path;

use crate::cli::{EvaluateArgs, OutputFormat};
use crate::commands::records::report_bad;
use crate::commands::{Done, RecordsInput, evaluate_inputs_with};
use crate::fail::Failure;
use crate::output::{self, Destination, Protected, Rendering};
use crate::run::Run;

pub fn run(args: &EvaluateArgs) -> Result<Done, Failure> {
    let format = format_of(args)?;
    // Checked before any work, so that a long run does not end in a usage error.
    if format == OutputFormat::Xlsx && args.output.is_none() && std::io::stdout().is_terminal() {
        return Err(Failure::Usage(
            "an Excel workbook is binary: write it to a file with --output FILE.xlsx".into(),
        ));
    }
    let destination = Destination::open(args.output.as_deref(), &own_files(args))?;
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
    // Each bad row once, here, with its place; the table marks the row as an error with a
    // short reason and does not repeat it.
    if !args.input.quiet {
        for (_, line) in run.errors() {
            output::message(&line);
        }
        if let Some(line) = gaps_message(&run) {
            output::message(&line);
        }
    }
    let terminal = destination.is_stdout() && std::io::stdout().is_terminal();
    let rendering = Rendering {
        lang: args.lang,
        width: (terminal && format == OutputFormat::Table)
            .then(output::terminal_width)
            .flatten(),
        terminal,
    };
    output::write(&run, format, rendering, destination)?;
    let bad_records = summarized.is_some_and(|s| !s.summary.bad.is_empty());
    Ok(if run.batch.error_count() > 0 || bad_records {
        Done::RowErrors
    } else {
        Done::Clean
    })
}

/// The files the command reads, which `--output` must not name.
fn own_files(args: &EvaluateArgs) -> Vec<Protected<'_>> {
    let mut files: Vec<Protected<'_>> = args
        .input
        .inputs
        .iter()
        .map(|path| Protected::new(path, "an input"))
        .collect();
    files.push(Protected::new(Path::new(&args.input.scheme), "the scheme"));
    files.extend(
        args.records
            .iter()
            .map(|path| Protected::new(path, "a records file")),
    );
    if let Some(mapping) = &args.mapping {
        files.push(Protected::new(mapping, "the indicator map"));
    }
    files.extend(super::records::options_files(&args.record_options));
    files
}

/// One line for standard error when any unit has criteria without input: how many units,
/// how many criteria, and where to see which.
fn gaps_message(run: &Run) -> Option<String> {
    let summary = run.batch.summary();
    if summary.missing_units == 0 {
        return None;
    }
    Some(format!(
        "criteria without input: {} in {} of {} scored units, scored 0 as missing; \
         `--format json` lists them under `missing`, `parscore explain --unit UNIT` shows \
         one unit's",
        summary.missing_criteria, summary.missing_units, summary.ok
    ))
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
