//! `parscore compare`: two evaluations of one scheme side by side.

use std::io::IsTerminal;
use std::path::Path;

use parscore::Batch;
use parscore_compare::{CompareOptions, Comparison, Kind, Labels};

use crate::cli::{CompareArgs, InputArgs, OutputFormat};
use crate::commands::{Done, evaluate_inputs};
use crate::fail::Failure;
use crate::input::{period_name, unit_name};
use crate::output::{self, Destination, Protected, Rendering};
use crate::run::Run;

pub fn run(args: &CompareArgs) -> Result<Done, Failure> {
    let format = format_of(args)?;
    if format == OutputFormat::Xlsx && args.output.is_none() && std::io::stdout().is_terminal() {
        return Err(Failure::Usage(
            "an Excel workbook is binary: write it to a file with --output FILE.xlsx".into(),
        ));
    }
    let periods = args
        .periods
        .as_deref()
        .map(|text| pair("--periods", text, period_name))
        .transpose()?;
    let labels = args
        .labels
        .as_deref()
        .map(|text| pair("--labels", text, unit_name))
        .transpose()?;
    let inputs = &args.input.inputs;
    match (&periods, inputs.len()) {
        (None, 2) => {}
        (None, _) => {
            return Err(Failure::Usage(format!(
                "give two inputs, BEFORE and AFTER ({} given), or --periods BEFORE,AFTER to \
                 compare two periods of the inputs",
                inputs.len()
            )));
        }
        (Some(_), 0) => return Err(Failure::Usage("give at least one INPUT file".into())),
        (Some(_), _) => {}
    }
    let destination = Destination::open(args.output.as_deref(), &own_files(&args.input))?;
    let kind = args.rounds.then_some(Kind::Rounds);
    let (comparison, runs) = match &periods {
        Some(periods) => {
            let run = evaluate_inputs(&args.input)?;
            let options = CompareOptions {
                labels: labels.unwrap_or_else(|| periods.clone()),
                kind,
            };
            let comparison =
                Comparison::of_periods(&run.batch, &periods.before, &periods.after, &options)
                    .map_err(|e| Failure::Usage(e.to_string()))?;
            (comparison, vec![run])
        }
        None => {
            let side = |input: &Path| {
                evaluate_inputs(&InputArgs {
                    inputs: vec![input.to_path_buf()],
                    ..args.input.clone()
                })
            };
            let (before, after) = (side(&inputs[0])?, side(&inputs[1])?);
            let options = CompareOptions {
                labels: labels.unwrap_or_else(|| default_labels(&before, &after, inputs)),
                kind,
            };
            let comparison = Comparison::of_batches(&before.batch, &after.batch, &options)
                .map_err(|e| Failure::Usage(e.to_string()))?;
            (comparison, vec![before, after])
        }
    };
    if !args.input.quiet {
        for run in &runs {
            for (_, line) in run.errors() {
                output::message(&line);
            }
        }
        if let Some(line) = gaps_message(&comparison) {
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
    let scheme = &runs[0].batch.scheme;
    let bytes = output::compare::render(&comparison, scheme, format, rendering)?;
    if terminal && format == OutputFormat::Csv {
        destination.write(output::for_terminal(&bytes).as_ref())?;
    } else {
        destination.write(&bytes)?;
    }
    Ok(if runs.iter().any(|run| run.batch.error_count() > 0) {
        Done::RowErrors
    } else {
        Done::Clean
    })
}

/// `A,B` as two names, each read as `read` reads a name of the inputs.
fn pair(option: &str, text: &str, read: fn(&str) -> String) -> Result<Labels, Failure> {
    let parts: Vec<String> = text.split(',').map(read).collect();
    match parts.as_slice() {
        [before, after] if !before.is_empty() && !after.is_empty() => {
            Ok(Labels::new(before.clone(), after.clone()))
        }
        _ => Err(Failure::Usage(format!(
            "{option} takes two names separated by a comma (BEFORE,AFTER), not `{text}`"
        ))),
    }
}

/// The periods of the two sides when each has one and they differ (`2024`, `2025`), else
/// the files' names.
fn default_labels(before: &Run, after: &Run, inputs: &[std::path::PathBuf]) -> Labels {
    let only_period = |batch: &Batch| {
        let mut periods = batch.results.iter().filter_map(|r| r.period.as_deref());
        let first = periods.next()?;
        periods.all(|p| p == first).then(|| first.to_string())
    };
    match (only_period(&before.batch), only_period(&after.batch)) {
        (Some(b), Some(a)) if a != b => Labels::new(b, a),
        _ => {
            let name = |path: &std::path::PathBuf| {
                path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into(),
                )
            };
            Labels::new(name(&inputs[0]), name(&inputs[1]))
        }
    }
}

/// The files the command reads, which `--output` must not name.
fn own_files(input: &InputArgs) -> Vec<Protected<'_>> {
    let mut files: Vec<Protected<'_>> = input
        .inputs
        .iter()
        .map(|path| Protected::new(path, "an input"))
        .collect();
    files.push(Protected::new(Path::new(&input.scheme), "the scheme"));
    files
}

/// One line for standard error when units lack input on either side.
fn gaps_message(comparison: &Comparison) -> Option<String> {
    let side = |missing: fn(&parscore_compare::UnitChange) -> Option<usize>| {
        let counts: Vec<usize> = comparison
            .units
            .iter()
            .filter_map(missing)
            .filter(|&n| n > 0)
            .collect();
        (counts.len(), counts.iter().sum::<usize>())
    };
    let (before, after) = (side(|u| u.missing_before), side(|u| u.missing_after));
    if before.0 + after.0 == 0 {
        return None;
    }
    let labels = &comparison.labels;
    Some(format!(
        "criteria without input, scored 0 as missing: {} in {} units of `{}`, {} in {} units \
         of `{}`; `--format json` gives each unit's `missing_before` and `missing_after`",
        before.1, before.0, labels.before, after.1, after.0, labels.after
    ))
}

/// `--format`, else the output file's extension, else a table.
fn format_of(args: &CompareArgs) -> Result<OutputFormat, Failure> {
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
