//! `parscore evaluate`: score every row of the inputs and write the results.

use std::io::IsTerminal;
use std::path::Path;

use parscore::Summary;

use crate::cli::{Decimals, EvaluateArgs, OutputFormat};
use crate::commands::records::report_bad;
use crate::commands::{Done, RecordsInput, read_joined, scheme_source};
use crate::fail::Failure;
use crate::input::ReadOptions;
use crate::output::result_row::Detail;
use crate::output::{self, Destination, Protected, Rendering};
use crate::pipeline::{self, Settings, Sources};

pub fn run(args: &EvaluateArgs) -> Result<Done, Failure> {
    let format = format_of(args)?;
    // Checked before any work, so that a long run does not end in a usage error.
    let binary = matches!(format, OutputFormat::Xlsx | OutputFormat::Parquet);
    if binary && args.output.is_none() && std::io::stdout().is_terminal() {
        let what = match format {
            OutputFormat::Xlsx => {
                "an Excel workbook is binary: write it to a file with --output FILE.xlsx"
            }
            _ => "Parquet is binary: write it to a file with --output FILE.parquet",
        };
        return Err(Failure::Usage(what.into()));
    }
    let machine = matches!(
        format,
        OutputFormat::Csv | OutputFormat::Json | OutputFormat::Jsonl | OutputFormat::Parquet
    );
    if args.detail.is_some() && !machine {
        return Err(Failure::Usage(
            "--detail applies to the csv, json, jsonl and parquet formats; the reports show \
             what they show"
                .into(),
        ));
    }
    if args.decimals.is_some() && format != OutputFormat::Parquet {
        return Err(Failure::Usage(
            "--decimals applies to --format parquet; the other formats write exact figures".into(),
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
    let input = &args.input;
    if input.inputs.is_empty() && records.is_none() {
        return Err(Failure::Usage(
            "give at least one INPUT file (or, to `evaluate`, --records FILE)".into(),
        ));
    }
    let scheme = scheme_source::load(&input.scheme)?;
    let (mut sources, records_document, summarized) = match records {
        // Rows joined to the records are joined in memory: read whole, then streamed.
        Some(records) => {
            let joined = read_joined(&scheme, input, Some(records))?;
            let sources = Sources::held(&scheme, "the inputs", joined.rows, input.ignore_unknown);
            (sources, joined.records_document, joined.summarized)
        }
        None => {
            let options = ReadOptions {
                format: input.input_format,
                sheet: input.sheet.clone(),
                sheet_unused_ok: false,
                decimal: input.decimal,
                scheme: Some(scheme.clone()),
            };
            let sources = Sources::open(&scheme, &input.inputs, &options, input.ignore_unknown)?;
            (sources, None, None)
        }
    };
    if let Some(summarized) = &summarized {
        report_bad(summarized, input.quiet);
    }
    let terminal = destination.is_stdout() && std::io::stdout().is_terminal();
    let settings = Settings {
        strict: input.strict,
        ignore_unknown: input.ignore_unknown,
        quiet: input.quiet,
        format,
        detail: args.detail.unwrap_or(match format {
            OutputFormat::Json => Detail::Full,
            _ => Detail::Criteria,
        }),
        decimals: args.decimals.unwrap_or(Decimals::Exact),
        report_units: args.report_units,
        rendering: Rendering {
            lang: args.lang,
            width: (terminal && format == OutputFormat::Table)
                .then(output::terminal_width)
                .flatten(),
            terminal,
        },
    };
    let finished = pipeline::evaluate(
        &scheme,
        &mut sources,
        &settings,
        records_document.as_ref(),
        destination,
    )?;
    if !input.quiet
        && let Some(line) = gaps_message(&finished.summary)
    {
        output::message(&line);
    }
    let bad_records = summarized.is_some_and(|s| !s.summary.bad.is_empty());
    Ok(if finished.summary.errors > 0 || bad_records {
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
fn gaps_message(summary: &Summary) -> Option<String> {
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
                 (table, csv, json, jsonl, parquet, md, html or xlsx)",
                path.display()
            ))
        }),
    }
}
