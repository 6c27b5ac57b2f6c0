//! `parscore records track`: mid-year records against a scheme's targets.

use std::io::IsTerminal;
use std::path::Path;

use parscore_records::YearTracking;

use crate::cli::{RecordsArgs, TrackArgs, TrackFormat};
use crate::commands::records::{options_files, report_bad};
use crate::commands::{Done, indicator_map, scheme_source};
use crate::fail::Failure;
use crate::output::{self, Destination, Protected};
use crate::records::{self, Request};

pub fn run(args: &TrackArgs) -> Result<Done, Failure> {
    let format = match (args.format, &args.output) {
        (Some(format), _) => format,
        (None, None) => TrackFormat::Table,
        (None, Some(path)) => TrackFormat::from_path(path).ok_or_else(|| {
            Failure::Usage(format!(
                "cannot tell the format from `{}`: give --format (table, csv, json, md or html)",
                path.display()
            ))
        })?,
    };
    if args.records.period.is_some() {
        return Err(Failure::Usage(
            "--period: `records track` counts by month over the year of --as-of".into(),
        ));
    }
    if args.records.as_of.is_none() {
        return Err(Failure::Usage(
            "give --as-of DATE, the day the records were exported: it decides how much of the \
             year is left"
                .into(),
        ));
    }
    let destination = Destination::open(args.output.as_deref(), &own_files(args))?;
    let scheme = scheme_source::load(&args.scheme)?;
    // The map is checked before the records are read: a long read should not end in a
    // mistake on the command line.
    let map = indicator_map(&scheme, args.mapping.as_deref(), args.map.as_deref())?;
    let monthly = RecordsArgs {
        period: Some("month".into()),
        ..args.records.clone()
    };
    let summarized = records::summarize(&Request {
        files: &args.files,
        args: &monthly,
        sheet: args.sheet.as_deref(),
        strict: args.strict,
    })?;
    report_bad(&summarized, args.quiet);
    let tracking = YearTracking::new(&summarized.summary, &scheme, &map, args.expected)
        .map_err(|e| Failure::Records(e.to_string()))?;
    if !args.quiet && !tracking.untracked.is_empty() {
        output::message(&format!(
            "{} criteria of units fed by the records cannot be tracked (no target to reach, \
             nothing counted, or the records do not say); `--format json` lists them under \
             `untracked`",
            tracking.untracked.len()
        ));
    }
    let terminal = destination.is_stdout() && std::io::stdout().is_terminal();
    let width = (terminal && format == TrackFormat::Table)
        .then(output::terminal_width)
        .flatten();
    let bytes = output::track::render(
        &output::track::Tracked {
            tracking: &tracking,
            scheme: &scheme,
            records: records::summary_json(&summarized),
        },
        format,
        args.lang,
        width,
    )?;
    if terminal && format == TrackFormat::Csv {
        destination.write(output::for_terminal(&bytes).as_ref())?;
    } else {
        destination.write(&bytes)?;
    }
    Ok(if summarized.summary.bad.is_empty() {
        Done::Clean
    } else {
        Done::RowErrors
    })
}

/// The files the command reads, which `--output` must not name.
fn own_files(args: &TrackArgs) -> Vec<Protected<'_>> {
    let mut files: Vec<Protected<'_>> = args
        .files
        .iter()
        .map(|path| Protected::new(path, "a records file"))
        .collect();
    files.push(Protected::new(Path::new(&args.scheme), "the scheme"));
    if let Some(mapping) = &args.mapping {
        files.push(Protected::new(mapping, "the indicator map"));
    }
    files.extend(options_files(&args.records));
    files
}
